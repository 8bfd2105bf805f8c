/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The commands that look at or end a container: state, kill, delete, ps, list, features.
 * Each returns the process exit status (0 or 1) and reports errors with oci_log_error.
 */
#ifndef OCI_COMMANDS_H
#define OCI_COMMANDS_H

#include "cli.h"

int oci_state_cmd(const struct oci_opts *o, const char *id);
/* sig: a number or a name with or without SIG ("TERM", "SIGKILL", "9"); NULL: SIGTERM. */
int oci_kill(const struct oci_opts *o, const char *id, const char *sig);
int oci_delete(const struct oci_opts *o, const char *id);
int oci_ps(const struct oci_opts *o, const char *id);
int oci_list(const struct oci_opts *o);
int oci_features(void);

/* Signal number for a name or number, -1 when unknown. */
int oci_signal_parse(const char *s);

#endif
