/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The container's cgroup, from linux.cgroupsPath: created when missing, the holder moved into
 * it (so the tender or QEMU it becomes is accounted there), memory and CPU limits from
 * linux.resources written to it, removed on delete. cgroup v2 (unified) and v1 (the memory,
 * cpu, cpuacct and pids hierarchies) are handled. With --systemd-cgroup the path has systemd's
 * "slice:prefix:name" form and is mapped to <slice dirs>/<prefix>-<name>.scope, created directly
 * in cgroupfs: unf-oci does not talk to systemd over D-Bus.
 */
#ifndef OCI_CGROUPS_H
#define OCI_CGROUPS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct oci_cgroup_limits {
    uint64_t memory;            /* bytes, 0: none */
    int64_t cpu_quota;          /* microseconds per period, <= 0: none */
    uint64_t cpu_period;        /* microseconds, 0: the default 100000 */
};

/* Creates the cgroup (every hierarchy), writes the limits, moves pid in. Removes what it
 * created on failure. An empty path does nothing. */
int oci_cgroup_join(const char *path, int systemd, const struct oci_cgroup_limits *lim, pid_t pid,
                    char *err, size_t errlen);

/* Kills what is left in the cgroup and removes it (leaf only); missing is fine. */
void oci_cgroup_remove(const char *path, int systemd);

#endif
