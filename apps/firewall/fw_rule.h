/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firewall's rule and packet-key types, shared by the parsers, the classifiers, the filter
 * and the benchmark. A rule matches five header fields: source and destination prefixes, source
 * and destination port ranges, and the protocol under a mask (ClassBench's model). ICMP has no
 * ports: its type and code stand in the source and destination port fields, so "icmp
 * echo-request" is protocol 1 with source "port" 8. Everything is in host byte order. A rule's
 * priority is its position in the rule array (first match wins).
 */
#ifndef FW_RULE_H
#define FW_RULE_H

#include <stddef.h>
#include <stdint.h>

enum fw_action { FW_DENY = 0, FW_ALLOW = 1 };

struct fw_rule {
    uint32_t src, dst;          /* prefixes, host bits cleared */
    uint16_t sport_lo, sport_hi;
    uint16_t dport_lo, dport_hi;
    uint8_t src_len, dst_len;   /* 0..32 */
    uint8_t proto, proto_mask;  /* matches when (packet proto & mask) == proto */
    uint8_t action;             /* enum fw_action */
    uint32_t id;                /* the source rule (one text rule may expand to several) */
    uint32_t line;              /* its line in the rule file; 0 for a rule added at run time */
};

/* The id of a hole in a rule array (fw_control.h): an entry no classifier holds, and that
 * never matches (its source port range is empty), so a linear scan may skip over it. */
#define FW_ID_NONE UINT32_MAX

/* The fields of one packet the rules look at. */
struct fw_key {
    uint32_t src, dst;
    uint16_t sport, dport;      /* ICMP: type, code */
    uint8_t proto;
};

static inline uint32_t fw_prefix_mask(unsigned len)
{
    return len == 0 ? 0 : 0xffffffffu << (32 - len);
}

static inline int fw_rule_matches(const struct fw_rule *r, const struct fw_key *k)
{
    return ((k->src ^ r->src) & fw_prefix_mask(r->src_len)) == 0 &&
           ((k->dst ^ r->dst) & fw_prefix_mask(r->dst_len)) == 0 &&
           (k->proto & r->proto_mask) == r->proto &&
           k->sport >= r->sport_lo && k->sport <= r->sport_hi &&
           k->dport >= r->dport_lo && k->dport <= r->dport_hi;
}

/* First-match linear scan: the reference every classifier must agree with. -1: no match. */
static inline long fw_linear_match(const struct fw_rule *rules, size_t n, const struct fw_key *k)
{
    for (size_t i = 0; i < n; i++) {
        if (fw_rule_matches(&rules[i], k))
            return (long)i;
    }
    return -1;
}

#endif
