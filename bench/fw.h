/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench fw`: the firewall benchmark. Part 1 (host, no privileges): the app's classifier
 * (apps/firewall/fw_classify.c, compiled in) on ClassBench-style rule sets of 1 .. 1,000,000
 * rules, lookups/s, build time and memory, against the first-match linear scan. Part 2 (root):
 * end to end through the proc firewall unikernel in namespaces (iperf3 TCP and UDP, ping)
 * against the same rules as a linear nftables chain on a Linux bridge (bench/fw_e2e.c).
 */
#ifndef BENCH_FW_H
#define BENCH_FW_H

/* argv starts at "fw". Returns the exit status (0 ok, 1 error, 2 usage). */
int bench_fw_main(int argc, char **argv);

#endif
