/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The end-to-end part of `unf bench fw`: two copies of one topology in namespaces,
 *   client -- veth -- [bridge + tap | proc firewall unikernel | tap + bridge] -- veth -- server
 *   client -- veth -- [Linux bridge, nftables ip forward chain via br_netfilter] -- veth -- server
 * (nftables twice: the rules as one linear chain, and as interval sets of concatenations) and, for each rule count, iperf3 TCP and UDP throughput and ping latency from client to
 * server through each. The generated rules never match the test traffic, so every packet
 * meets the whole rule set before the default policy (allow) lets it through: the worst case
 * for a linear chain, the IncludeOS study's setup. Everything is removed at the end.
 */
#ifndef BENCH_FW_E2E_H
#define BENCH_FW_E2E_H

#include <stddef.h>
#include <stdint.h>

#define BENCH_FW_E2E_MAX_COUNTS 8

struct bench_fw_e2e_opts {
    long counts[BENCH_FW_E2E_MAX_COUNTS];
    int ncounts;
    long nft_max;       /* larger rule counts are not tried with nftables */
    long mem_mib;       /* every firewall instance's memory; 0: sized for its rules (64M + 320 B/rule) */
    int seconds;        /* per iperf3 run */
    uint64_t seed;
};

struct bench_fw_e2e_row {
    const char *variant;   /* "proc firewall", "nftables chain" or "nftables sets" */
    long rules;
    int run;               /* which repetition of the whole end-to-end part (1..), set by the caller */
    int ok;
    double load_s;         /* rules given to forwarding (unikernel boot, or nft -f) */
    double tcp_mbps, udp_mbps, udp_loss_pct;
    double ping_avg_ms, ping_max_ms;
    char note[200];
};

/* Runs every (variant, count) pair into rows (at most maxrows); -1 with err when the topology
 * cannot be built (rows already measured stay valid, *nrows says how many). */
int bench_fw_e2e_run(const struct bench_fw_e2e_opts *o, struct bench_fw_e2e_row *rows, int maxrows,
                     int *nrows, char *err, size_t errlen);

#endif
