/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tnt_classify: TNT's classification passes over the hops of one trace: pass 1 (labels and
 * quoted TTL: explicit, implicit, opaque tunnels), pass 2 (invisible-tunnel candidates and
 * their triggers) and pass 4 (runs of u-turns), plus the per-hop metrics they rely on. Pass 3
 * (revelation) is tnt_reveal. Pure functions over an array of struct tnt_hop.
 */
#ifndef PROBE_TNT_CLASSIFY_H
#define PROBE_TNT_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "icmp_reply.h"

#define TNT_HOP_MAX_LABELS 8

enum tnt_class { TNT_CLASS_NONE, TNT_CLASS_EXP, TNT_CLASS_IMP, TNT_CLASS_OPA, TNT_CLASS_INV };
enum tnt_role { TNT_ROLE_NONE, TNT_ROLE_ING, TNT_ROLE_LSR, TNT_ROLE_EGR };

/* Flags: triggers, then revelation methods, then hints. */
#define TNT_F_QTTL (1u << 0)
#define TNT_F_UTURN (1u << 1)
#define TNT_F_MTTL (1u << 2)
#define TNT_F_DUPIP (1u << 3)
#define TNT_F_RTLA (1u << 4)
#define TNT_F_FRPLA (1u << 5)
#define TNT_F_BTFC (1u << 6)
#define TNT_F_DPR (1u << 7)
#define TNT_F_BRPR (1u << 8)
#define TNT_F_BUDDY (1u << 9)
#define TNT_F_UNKN (1u << 10)
#define TNT_F_INCOMP (1u << 11)
#define TNT_F_ING_NF (1u << 12) /* the ingress did not answer; the hop before it stands in */
#define TNT_F_TRIGGERS (TNT_F_MTTL | TNT_F_DUPIP | TNT_F_RTLA | TNT_F_FRPLA | TNT_F_BTFC)

struct tnt_hop {
    uint32_t addr;    /* network byte order; 0: no reply ('*') */
    int probe_ttl;
    int revealed;     /* 0: hop of the first trace; n > 0: printed as H<n> */
    int step;         /* revelation step that found it (revealed hops) */
    int icmp_type, icmp_code;
    int reply_ttl;    /* TTL of the reply to the trace probe */
    int qttl;         /* quoted TTL (error replies), 0 otherwise */
    int er;           /* echo-reply TTL (vote over the pings), 0: no echo reply */
    uint32_t rtt_us;
    int is_dst;       /* the reply came from the trace destination */
    unsigned n_labels;
    struct icmp_mpls_entry labels[TNT_HOP_MAX_LABELS]; /* top label first */
    /* derived by tnt_classify_metrics */
    int te;           /* reply_ttl when the reply is a time-exceeded, else 0 */
    int ret_te, ret_er, frpla, uturn, rtla;
    /* classification */
    enum tnt_class cls;
    enum tnt_role role;
    unsigned flags;
};

struct tnt_opts {
    int rtla_threshold;   /* default 1 */
    int frpla_threshold;  /* default 3 */
    int uturn_threshold;  /* default 3 */
    int brute_force;      /* try every hop (BTFC) */
    int allow_private;    /* consider private/reserved addresses (test topologies) */
};

/* An invisible (or opaque-MTTL) tunnel candidate found by pass 2. */
struct tnt_candidate {
    size_t ingress, egress; /* indexes into the hop array */
    unsigned trigger;       /* one TNT_F_* trigger */
    int ingress_found;      /* 0: the real ingress did not answer */
    int uhp;                /* DUPIP: popped at the egress (buddy applies) */
};

void tnt_opts_default(struct tnt_opts *o);
/* 1 when a revelation may target addr (public unicast, or anything with allow_private). */
int tnt_classify_usable_addr(uint32_t addr, const struct tnt_opts *o);
/* Fills te, ret_te, ret_er, frpla, uturn, rtla of every hop. */
void tnt_classify_metrics(struct tnt_hop *hops, size_t n);
/* Pass 1: explicit, implicit (QTTL) and opaque tunnels from labels and quoted TTLs. */
void tnt_classify_labels(struct tnt_hop *hops, size_t n, uint32_t dst);
/* Pass 2: invisible candidates; marks them and returns how many were written to out. */
size_t tnt_classify_candidates(struct tnt_hop *hops, size_t n, const struct tnt_opts *o,
                               struct tnt_candidate *out, size_t max);
/* Pass 4: runs of u-turns become implicit LSRs. */
void tnt_classify_uturns(struct tnt_hop *hops, size_t n, uint32_t dst, const struct tnt_opts *o);

const char *tnt_class_name(enum tnt_class c);
const char *tnt_role_name(enum tnt_role r);

#endif
