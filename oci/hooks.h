/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OCI lifecycle hooks (config.json "hooks"): each hook {path, args, env, timeout} is run with
 * execve(path, args, env) and the container's state JSON on its stdin; stdout and stderr are
 * captured for the error message. unf-oci runs prestart and createRuntime in create (after the
 * holder has its network namespace and before the network is wired: docker configures the
 * namespace from a prestart hook), poststart in start and poststop in delete. createContainer
 * and startContainer hooks run in a container's mount namespace, which a unikernel does not
 * have; they are ignored.
 */
#ifndef OCI_HOOKS_H
#define OCI_HOOKS_H

#include <jansson.h>
#include <stddef.h>

#define OCI_HOOK_TIMEOUT_S 60   /* when the hook gives no timeout */

/* Runs hooks[kind] in order; -1 with one line in err at the first that fails. hooks may be
 * NULL (nothing to run). */
int oci_hooks_run(json_t *hooks, const char *kind, const char *state_json, char *err, size_t errlen);

#endif
