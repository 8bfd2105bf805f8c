/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tnt_reveal: TNT pass 3, the revelation of one invisible (or opaque) tunnel, as a state
 * machine. The caller runs what it asks (a trace or a ping) and feeds the result back, so the
 * decision logic (DPR, BRPR, buddy, UNKN, INCOMP?) is testable without a network.
 */
#ifndef PROBE_TNT_REVEAL_H
#define PROBE_TNT_REVEAL_H

#include <stddef.h>
#include <stdint.h>

#include "tnt_classify.h"

#define TNT_REVEAL_MAX_HOPS 32
#define TNT_REVEAL_MAX_KNOWN 64
#define TNT_REVEAL_MAX_ATTEMPTS 12
#define TNT_REVEAL_MAX_STEPS 10

enum tnt_reveal_op { TNT_REVEAL_TRACE, TNT_REVEAL_PING, TNT_REVEAL_DONE };

/* What the state machine wants next. */
struct tnt_reveal_req {
    enum tnt_reveal_op op;
    uint32_t dst;
    int first_ttl;
    int udp; /* trace with udp-paris (buddy) instead of icmp-paris */
};

/* Outcome of one revelation trace. */
enum tnt_reveal_outcome {
    TNT_REVEAL_OK,     /* new routers between ingress and target */
    TNT_REVEAL_TGT_NR, /* target not reached */
    TNT_REVEAL_ING_NF, /* ingress not in the trace */
    TNT_REVEAL_NTH_RV, /* nothing new between ingress and target */
};

struct tnt_reveal_attempt {
    uint32_t dst;
    int first_ttl, udp, step;
    enum tnt_reveal_outcome outcome;
    int new_hops;
};

enum tnt_reveal_state { TNT_RS_FIRST, TNT_RS_BRPR, TNT_RS_BUDDY_PING, TNT_RS_BUDDY, TNT_RS_DONE };

struct tnt_reveal {
    /* input */
    uint32_t ingress, egress;
    int first_ttl;
    int uhp;
    unsigned trigger;
    const struct tnt_opts *opts;
    /* state */
    enum tnt_reveal_state state;
    uint32_t target;
    int step;
    size_t n_known;
    uint32_t known[TNT_REVEAL_MAX_KNOWN];
    /* results */
    unsigned method; /* TNT_F_DPR / BRPR / BUDDY / UNKN, plus TNT_F_INCOMP; 0: nothing found */
    size_t n_revealed;
    struct tnt_hop revealed[TNT_REVEAL_MAX_HOPS]; /* ingress side first */
    size_t n_attempts;
    struct tnt_reveal_attempt attempts[TNT_REVEAL_MAX_ATTEMPTS];
};

/* Starts revealing candidate c of hops[] (the first trace); *req is the first request. */
void tnt_reveal_start(struct tnt_reveal *r, const struct tnt_hop *hops, size_t n,
                      const struct tnt_candidate *c, const struct tnt_opts *o,
                      struct tnt_reveal_req *req);
/* Feeds the trace that was asked for (its hops, by probe TTL). */
void tnt_reveal_on_trace(struct tnt_reveal *r, const struct tnt_hop *hops, size_t n,
                         struct tnt_reveal_req *req);
/* Feeds the ping that was asked for (replied: 1 when any echo reply came back). */
void tnt_reveal_on_ping(struct tnt_reveal *r, int replied, struct tnt_reveal_req *req);

const char *tnt_reveal_outcome_name(enum tnt_reveal_outcome o);

#endif
