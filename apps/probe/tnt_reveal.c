/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tnt_reveal: how TNT digs the LSRs out of an invisible tunnel. A trace towards the candidate
 * egress, started just before the ingress, may show the whole tunnel at once (DPR) when the
 * egress is not the tunnel's exit for that destination; otherwise each trace shows one more
 * LSR and the next trace targets it (BRPR). For UHP tunnels (duplicate address), the other
 * end of the egress's point-to-point link may be reachable around the tunnel (buddy).
 */
#include "tnt_reveal.h"

#include <string.h>

static uint32_t to_host(uint32_t a)
{
    const uint8_t *b = (const uint8_t *)&a;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t to_net(uint32_t h)
{
    uint32_t a;
    uint8_t *b = (uint8_t *)&a;
    b[0] = (uint8_t)(h >> 24);
    b[1] = (uint8_t)(h >> 16);
    b[2] = (uint8_t)(h >> 8);
    b[3] = (uint8_t)h;
    return a;
}

static int known(const struct tnt_reveal *r, uint32_t addr)
{
    for (size_t i = 0; i < r->n_known; i++)
        if (r->known[i] == addr)
            return 1;
    return 0;
}

static void learn(struct tnt_reveal *r, uint32_t addr)
{
    if (addr && !known(r, addr) && r->n_known < TNT_REVEAL_MAX_KNOWN)
        r->known[r->n_known++] = addr;
}

static void finish(struct tnt_reveal *r, struct tnt_reveal_req *req)
{
    r->state = TNT_RS_DONE;
    req->op = TNT_REVEAL_DONE;
}

static void ask_trace(struct tnt_reveal *r, uint32_t dst, int udp, struct tnt_reveal_req *req)
{
    r->target = dst;
    req->op = TNT_REVEAL_TRACE;
    req->dst = dst;
    req->first_ttl = r->first_ttl;
    req->udp = udp;
}

/* Locates ingress (*g) and target (*t) in the trace and judges what lies between. */
static enum tnt_reveal_outcome analyze(const struct tnt_reveal *r, const struct tnt_hop *hops,
                                       size_t n, size_t *g, size_t *t, size_t *distinct_new)
{
    size_t ti = n, gi = n;
    for (size_t i = 0; i < n && ti == n; i++)
        if (hops[i].addr == r->target)
            ti = i;
    if (ti == n)
        return TNT_REVEAL_TGT_NR;
    for (size_t i = 0; i < ti; i++)
        if (hops[i].addr == r->ingress)
            gi = i;
    if (gi == n)
        return TNT_REVEAL_ING_NF;
    size_t count = 0;
    for (size_t i = gi + 1; i < ti; i++) {
        if (!hops[i].addr || known(r, hops[i].addr))
            continue;
        int dup = 0;
        for (size_t j = gi + 1; j < i; j++)
            dup |= hops[j].addr == hops[i].addr;
        count += !dup;
    }
    *g = gi;
    *t = ti;
    *distinct_new = count;
    return count ? TNT_REVEAL_OK : TNT_REVEAL_NTH_RV;
}

/* Puts the new hops of (g, t) in front of those revealed so far: each BRPR step reveals
 * routers closer to the ingress than the previous one did. */
static void add_new(struct tnt_reveal *r, const struct tnt_hop *hops, size_t g, size_t t)
{
    struct tnt_hop fresh[TNT_REVEAL_MAX_HOPS];
    size_t nf = 0;
    for (size_t i = g + 1; i < t && nf + r->n_revealed < TNT_REVEAL_MAX_HOPS; i++) {
        if (!hops[i].addr || known(r, hops[i].addr))
            continue;
        learn(r, hops[i].addr);
        fresh[nf] = hops[i];
        fresh[nf].step = r->step;
        nf++;
    }
    memmove(&r->revealed[nf], &r->revealed[0], r->n_revealed * sizeof(r->revealed[0]));
    memcpy(&r->revealed[0], fresh, nf * sizeof(fresh[0]));
    r->n_revealed += nf;
}

void tnt_reveal_start(struct tnt_reveal *r, const struct tnt_hop *hops, size_t n,
                      const struct tnt_candidate *c, const struct tnt_opts *o,
                      struct tnt_reveal_req *req)
{
    memset(r, 0, sizeof(*r));
    r->opts = o;
    r->ingress = hops[c->ingress].addr;
    r->egress = hops[c->egress].addr;
    r->uhp = c->uhp;
    r->trigger = c->trigger;
    r->first_ttl = hops[c->ingress].probe_ttl - 2 >= 1 ? hops[c->ingress].probe_ttl - 2 : 1;
    r->step = 1;
    for (size_t i = 0; i < n; i++)
        learn(r, hops[i].addr);
    r->state = TNT_RS_FIRST;
    ask_trace(r, r->egress, 0, req);
}

static void start_buddy(struct tnt_reveal *r, struct tnt_reveal_req *req)
{
    uint32_t e = to_host(r->egress);
    uint32_t index = e & 3;
    if (index == 0 || index == 3) { /* cannot be a /30 host address: a /31 */
        r->state = TNT_RS_BUDDY;
        ask_trace(r, to_net(e ^ 1), 1, req);
        return;
    }
    r->state = TNT_RS_BUDDY_PING;
    req->op = TNT_REVEAL_PING;
    req->dst = to_net(e & ~3u);
    req->first_ttl = 0;
    req->udp = 0;
}

static void record(struct tnt_reveal *r, enum tnt_reveal_outcome out, size_t new_hops)
{
    if (r->n_attempts == TNT_REVEAL_MAX_ATTEMPTS)
        return;
    struct tnt_reveal_attempt *a = &r->attempts[r->n_attempts++];
    a->dst = r->target;
    a->first_ttl = r->first_ttl;
    a->udp = r->state == TNT_RS_BUDDY;
    a->step = r->step;
    a->outcome = out;
    a->new_hops = (int)new_hops;
}

static void brpr_step(struct tnt_reveal *r, const struct tnt_hop *hops, size_t n,
                      struct tnt_reveal_req *req)
{
    size_t g = 0, t = 0, fresh = 0;
    enum tnt_reveal_outcome out = analyze(r, hops, n, &g, &t, &fresh);
    record(r, out, fresh);
    if (out != TNT_REVEAL_OK) {
        r->method = r->n_revealed >= 2 ? TNT_F_BRPR : TNT_F_UNKN;
        finish(r, req);
        return;
    }
    uint32_t next = hops[t - 1].addr;
    int usable = next && !known(r, next) && tnt_classify_usable_addr(next, r->opts);
    add_new(r, hops, g, t);
    r->method = r->n_revealed >= 2 ? TNT_F_BRPR : TNT_F_UNKN;
    if (!usable || r->step >= TNT_REVEAL_MAX_STEPS) {
        r->method |= TNT_F_INCOMP;
        finish(r, req);
        return;
    }
    r->step++;
    ask_trace(r, next, 0, req);
}

void tnt_reveal_on_trace(struct tnt_reveal *r, const struct tnt_hop *hops, size_t n,
                         struct tnt_reveal_req *req)
{
    size_t g = 0, t = 0, fresh = 0;
    enum tnt_reveal_outcome out;
    switch (r->state) {
    case TNT_RS_FIRST:
        out = analyze(r, hops, n, &g, &t, &fresh);
        record(r, out, fresh);
        if (out != TNT_REVEAL_OK) {
            if (r->uhp)
                start_buddy(r, req);
            else
                finish(r, req);
            return;
        }
        if (fresh >= 2) {
            add_new(r, hops, g, t);
            r->method = TNT_F_DPR;
            finish(r, req);
            return;
        }
        add_new(r, hops, g, t);
        r->method = TNT_F_UNKN; /* until BRPR finds more */
        r->state = TNT_RS_BRPR;
        r->step++;
        ask_trace(r, r->revealed[0].addr, 0, req);
        return;
    case TNT_RS_BRPR:
        brpr_step(r, hops, n, req);
        return;
    case TNT_RS_BUDDY:
        out = analyze(r, hops, n, &g, &t, &fresh);
        record(r, out, fresh);
        if (out == TNT_REVEAL_OK) {
            add_new(r, hops, g, t);
            r->method = TNT_F_BUDDY;
        }
        finish(r, req);
        return;
    default:
        finish(r, req);
        return;
    }
}

void tnt_reveal_on_ping(struct tnt_reveal *r, int replied, struct tnt_reveal_req *req)
{
    if (r->state != TNT_RS_BUDDY_PING) {
        finish(r, req);
        return;
    }
    /* Index 0 of the /30 answering means it is a host address: the link is a /31. */
    uint32_t e = to_host(r->egress);
    r->state = TNT_RS_BUDDY;
    ask_trace(r, to_net(replied ? e ^ 1 : e ^ 3), 1, req);
}

const char *tnt_reveal_outcome_name(enum tnt_reveal_outcome o)
{
    static const char *const names[] = {"OK", "TGT-NR", "ING-NF", "NTH-RV"};
    return (unsigned)o < 4 ? names[o] : "?";
}
