/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench fw`, the part against the peer: the firewall's classifier and DPDK's rte_acl
 * (dpdk-test-acl, scalar and the best vector path this CPU has) on the same ClassBench-style
 * rule sets (acl, fw, ipc profiles) and header traces, in rounds that interleave the variants,
 * all on one pinned core; lookups/s, build time and memory per rule of each, and whether they
 * agree. Also the classifier's in-place updates: an insert/delete mix at a given rule count,
 * updates/s, checked against a rebuild from scratch.
 */
#ifndef BENCH_FW_PEER_H
#define BENCH_FW_PEER_H

#include <stdint.h>
#include <stdio.h>

#define BENCH_FW_PEER_MAX_SIZES 6
#define BENCH_FW_PEER_VARIANTS 4 /* ours single, ours burst, dpdk scalar, dpdk vector */

struct bench_fw_peer_opts {
    int profiles[3], nprofiles;
    long sizes[BENCH_FW_PEER_MAX_SIZES];
    int nsizes;
    int rounds;           /* interleaved rounds per set; sets of 1M rules and more: one for DPDK */
    long timeout_s;       /* per dpdk-test-acl process */
    int cpu;              /* the core everything runs on */
    long verify_max;      /* sets up to this size: DPDK's answers checked against ours */
    long upd_rules;       /* updates: rule count (0: no update measurement) */
    long updates;         /* updates timed */
    uint64_t seed;
};

struct bench_fw_peer_row {
    int profile;
    long rules;
    const char *variant;  /* "unf classify", "unf burst", "dpdk scalar", "dpdk avx2" ... */
    int ok;
    int runs;
    double build_ms;
    double bytes;         /* memory: ours from the classifier's allocations, DPDK's runtime footprint */
    double peak_mib;      /* DPDK: the process's peak RSS (0 for ours) */
    double best, median;  /* lookups/s over the runs */
    long agreed, checked; /* answers compared (ours: with the linear scan; DPDK: with ours) */
    char note[200];
};

struct bench_fw_upd_row {
    int ok;
    long rules, updates;
    double updates_per_s;
    double insert_per_s, delete_per_s;
    double lookups_after, lookups_rebuilt;   /* lookups/s after the updates, and after a rebuild */
    double bytes_after, bytes_rebuilt;
    long agreed, checked;                    /* incremental vs rebuilt answers */
    char note[160];
};

/* Runs every set; rows get BENCH_FW_PEER_VARIANTS rows per (profile, size). 0, or -1 with err. */
int bench_fw_peer_run(const struct bench_fw_peer_opts *o, struct bench_fw_peer_row *rows, int maxrows, int *nrows,
                      struct bench_fw_upd_row *upd, char *err, size_t errlen);

/* The report's sections, the targets' rows (no header), and the CSV. */
void bench_fw_peer_md(FILE *f, const struct bench_fw_peer_opts *o, const struct bench_fw_peer_row *rows, int nrows,
                      const struct bench_fw_upd_row *upd);
void bench_fw_peer_targets(FILE *f, const struct bench_fw_peer_row *rows, int nrows,
                           const struct bench_fw_upd_row *upd);
void bench_fw_peer_csv(FILE *f, const struct bench_fw_peer_row *rows, int nrows);

#endif
