/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Resource limits of an instance: one cgroup named unf-<name> holding every process the
 * instance runs (tender or QEMU), with a memory cap and an optional CPU quota. Works on the
 * unified hierarchy (cgroup v2) and on the v1 memory and cpu controllers, whichever the host has.
 */
#ifndef RUNTIME_CGROUP_H
#define RUNTIME_CGROUP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Creates the instance's cgroup(s) with a memory limit (bytes) and, when cpus > 0, a CPU quota
 * of `cpus` cores. Removes what it made on failure. */
int cgroup_create(const char *name, uint64_t mem_limit, double cpus, char *err, size_t errlen);

/* Moves pid into the instance's cgroup(s). */
int cgroup_attach(const char *name, pid_t pid);

/* The cgroup.procs file(s) of the instance, ':'-separated, for a tender that joins them itself
 * (UNF_CGROUP_PROCS, tender/common/tender.h). -1 when they do not fit. */
int cgroup_procs_files(const char *name, char *out, size_t len);

/* Removes the cgroup(s), killing what is still inside; missing is not an error. */
void cgroup_remove(const char *name);

/* "v2" or "v1", for inspect; NULL when no memory controller is usable. */
const char *cgroup_mode(void);

#endif
