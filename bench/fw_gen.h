/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ClassBench-style rule sets and packet traces for `unf bench fw`, from a fixed seed: prefix
 * lengths, protocols and port classes drawn with ACL-like frequencies (many /24-/32 prefixes
 * around a few thousand "site" addresses, well-known exact destination ports, some ranges and
 * wildcards), and headers drawn inside random rules (95%) or at random (5%). Three profiles
 * after ClassBench's seed families: acl (specific prefixes, exact well-known destination
 * ports), fw (many wildcard addresses, port ranges, any-protocol rules) and ipc (a mix). Also
 * writes a set as ClassBench filter lines, the one format both the firewall and DPDK's
 * dpdk-test-acl read, a trace as dpdk-test-acl's header lines, and nftables scripts.
 */
#ifndef BENCH_FW_GEN_H
#define BENCH_FW_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../apps/firewall/fw_rule.h"

/* The end-to-end test's client and server (10.78.0.1, 10.78.0.2): generated sets avoid them. */
#define BENCH_FW_CLIENT 0x0a4e0001u
#define BENCH_FW_SERVER 0x0a4e0002u

enum bench_fw_profile { BENCH_FW_ACL, BENCH_FW_FW, BENCH_FW_IPC, BENCH_FW_NPROFILES };

/* "acl", "fw", "ipc"; the profile of a name, -1 when unknown. */
const char *bench_fw_profile_name(int profile);
int bench_fw_profile_parse(const char *name);

/* Fills rules[0..n) with the given profile (action deny); see bench_fw_gen_rules for avoid. */
void bench_fw_gen_profile(struct fw_rule *rules, size_t n, int profile, uint64_t seed, uint32_t avoid_a,
                          uint32_t avoid_b);
/* Fills rules[0..n) with the acl profile (action deny). With avoid_a/avoid_b non-zero, no rule matches any packet
 * between those two addresses (the benchmark's own traffic then meets the default policy). */
void bench_fw_gen_rules(struct fw_rule *rules, size_t n, uint64_t seed, uint32_t avoid_a, uint32_t avoid_b);
void bench_fw_gen_trace(const struct fw_rule *rules, size_t n, struct fw_key *keys, size_t nkeys, uint64_t seed);

/* ClassBench filter lines, then "default allow" (the firewall's rule file). -1 on a write error. */
int bench_fw_write_rules(FILE *f, const struct fw_rule *rules, size_t n);
/* The ClassBench filter lines alone (dpdk-test-acl --rulesf: line i is priority i, first wins;
 * the firewall's parser reads the same lines). -1 on a write error. */
int bench_fw_write_classbench(FILE *f, const struct fw_rule *rules, size_t n);
/* dpdk-test-acl --tracef lines: "SRC DST SPORT DPORT PROTO", addresses as decimal numbers. */
int bench_fw_write_trace(FILE *f, const struct fw_key *keys, size_t n);
/* An nft script: table ip NAME with a forward chain of n drop rules, policy accept. */
int bench_fw_write_nft(FILE *f, const char *table, const struct fw_rule *rules, size_t n);
/* The same drop rules as nftables interval sets (concatenations, matched in one lookup each):
 * tcp/udp rules in a 5-field set, icmp rules in (saddr . daddr . icmp type), rules for any
 * protocol in (saddr . daddr); exact duplicates are left out. -1 on a write or memory error. */
int bench_fw_write_nft_sets(FILE *f, const char *table, const struct fw_rule *rules, size_t n);

#endif
