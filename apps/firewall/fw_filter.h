/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firewall's verdict on one frame, and its counters: ARP passes, IPv4 goes through
 * conntrack (when enabled) and then the classifier (first matching rule, else the default
 * policy), everything else is dropped (the firewall cannot filter it, so it does not let it
 * by). Counters are kept per written rule, for the default policy and for conntrack. The
 * classifier's answers for recent 5-tuples are kept in a small direct-mapped flow cache: a
 * packet of a flow seen before costs one cache line instead of the classifier's dozen (at 1M
 * rules those lines miss the CPU caches on a busy core, and the forwarding path is CPU-bound).
 * Whoever changes the rule set (fw_control.c) must call fw_filter_flush_flows, and
 * fw_filter_grow_ids before a rule takes a new id. The rule array may hold holes (FW_ID_NONE).
 */
#ifndef FW_FILTER_H
#define FW_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "fw_classify.h"
#include "fw_conntrack.h"
#include "fw_parse.h"

struct fw_counter {
    uint64_t packets, bytes;
};

#define FW_FLOW_SLOTS 4096 /* 64 KiB: a power of two */

struct fw_flow {
    struct fw_key key;
    uint8_t valid;
    long verdict;                  /* the classifier's answer for key */
};

struct fw_filter {
    const struct fw_ruleset *rs;
    struct fw_classifier *cls;
    struct fw_conntrack *ct;       /* NULL: stateless */
    struct fw_counter *rule;       /* per source rule id */
    uint32_t nids;                 /* entries in rule[] */
    struct fw_counter dflt, tracked, arp, other, bad, ct_full;
    struct fw_flow *flows;         /* FW_FLOW_SLOTS */
    uint64_t flow_hits, flow_misses;
};

/* Builds the classifier (and the conntrack table when ct_capacity > 0); -1 on no memory. */
int fw_filter_init(struct fw_filter *f, const struct fw_ruleset *rs, uint32_t ct_capacity);
void fw_filter_free(struct fw_filter *f);

/* 1: forward the frame, 0: drop it. */
int fw_filter_frame(struct fw_filter *f, const uint8_t *frame, size_t len, uint64_t now_ns);

/* Forgets every cached classifier answer (after a rule change). */
void fw_filter_flush_flows(struct fw_filter *f);

/* Makes room for the counters of ids below n (new ones zero); -1 on no memory. */
int fw_filter_grow_ids(struct fw_filter *f, uint32_t n);

/* Prints the counters, one line per rule (numbered by position), prefixed with `tag`. */
void fw_filter_print(const struct fw_filter *f, const char *tag);

#endif
