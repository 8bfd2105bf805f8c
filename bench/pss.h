/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host memory of an instance: proportional set size (PSS) from /proc/PID/smaps_rollup, summed
 * over all processes that make up the instance (a process and its descendants, or a given list).
 * PSS charges each shared page to its sharers in equal parts, so summing it over processes does
 * not count a page twice.
 */
#ifndef BENCH_PSS_H
#define BENCH_PSS_H

#include <sys/types.h>

/* PSS of one process in KiB; -1 when it cannot be read (gone, or no permission). */
int bench_pss_kib(pid_t pid, long *kib);

/* root and all its descendants (root first) into pids; returns the count or -1. */
int bench_proc_tree(pid_t root, pid_t *pids, int max);

/* Sum of the PSS of pids; processes that vanished meanwhile are skipped. Returns how many
 * processes were counted, or -1 when none could be read. */
int bench_pss_sum_kib(const pid_t *pids, int n, long *kib);

#endif
