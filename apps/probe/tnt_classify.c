/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * tnt_classify: TNT passes 1, 2 and 4 (Vanaubel et al., TMA 2019; Luttringer et al., TNSM
 * 2020). Pass 1 reads what routers tell directly (RFC 4950 labels, quoted TTL), pass 2 looks
 * for the indirect signs of a hidden tunnel (a duplicated address, return paths longer than
 * the forward path), pass 4 for u-turns the revelation did not explain.
 */
#include "tnt_classify.h"

#include <stdlib.h>

#include "tnt_math.h"

void tnt_opts_default(struct tnt_opts *o)
{
    o->rtla_threshold = 1;
    o->frpla_threshold = 3;
    o->uturn_threshold = 3;
    o->brute_force = 0;
    o->allow_private = 0;
}

int tnt_classify_usable_addr(uint32_t addr, const struct tnt_opts *o)
{
    const uint8_t *b = (const uint8_t *)&addr; /* network order: b[0] is the first number */
    if (addr == 0 || b[0] == 0 || b[0] == 127 || b[0] >= 224)
        return 0;
    if (o && o->allow_private)
        return 1;
    if (b[0] == 10 || (b[0] == 100 && (b[1] & 0xc0) == 64) || (b[0] == 169 && b[1] == 254) ||
        (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
        (b[0] == 192 && b[1] == 0 && (b[2] == 0 || b[2] == 2)) ||
        (b[0] == 198 && (b[1] & 0xfe) == 18) || (b[0] == 198 && b[1] == 51 && b[2] == 100) ||
        (b[0] == 203 && b[1] == 0 && b[2] == 113))
        return 0;
    return 1;
}

void tnt_classify_metrics(struct tnt_hop *hops, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct tnt_hop *h = &hops[i];
        h->te = h->addr && h->icmp_type == 11 ? h->reply_ttl : 0;
        h->ret_te = tnt_math_ret(h->te);
        h->ret_er = tnt_math_ret(h->er);
        h->frpla = tnt_math_frpla(h->te, h->probe_ttl);
        h->uturn = tnt_math_uturn(h->te, h->er);
        h->rtla = tnt_math_rtla(h->te, h->er);
    }
}

static void mark(struct tnt_hop *h, enum tnt_class c, enum tnt_role r, unsigned flags)
{
    h->cls = c;
    h->role = r;
    h->flags |= flags;
}

static int is_te(const struct tnt_hop *h) { return h->addr && h->icmp_type == 11; }
static int free_hop(const struct tnt_hop *h) { return h->addr && h->cls == TNT_CLASS_NONE; }

/* Juniper (JunOS) signature <255,64>: such an "egress" is really an implicit LSR. */
static int juniper(const struct tnt_hop *h)
{
    return tnt_math_ittl(h->te) == 255 && tnt_math_ittl(h->er) == 64;
}

/* Pass 1 for a hop right after an LSR; returns 1 when it decided the hop's fate. */
static int after_lsr(struct tnt_hop *hops, size_t i, uint32_t dst)
{
    struct tnt_hop *h = &hops[i], *prev = &hops[i - 1];
    if (prev->role != TNT_ROLE_LSR || prev->cls == TNT_CLASS_NONE)
        return 0;
    if (prev->cls == TNT_CLASS_OPA) {
        prev->role = TNT_ROLE_EGR; /* an opaque hop followed by an unlabelled one */
        return 0;
    }
    if (prev->cls == TNT_CLASS_EXP) {
        if (juniper(h))
            mark(h, TNT_CLASS_IMP, TNT_ROLE_LSR, 0);
        else
            mark(h, TNT_CLASS_EXP, TNT_ROLE_EGR, 0);
        return 1;
    }
    if (prev->cls == TNT_CLASS_IMP) {
        if (h->addr == dst || (h->qttl <= 1 && h->addr != prev->addr)) {
            mark(h, TNT_CLASS_IMP, TNT_ROLE_EGR, 0);
            return 1;
        }
    }
    return 0;
}

void tnt_classify_labels(struct tnt_hop *hops, size_t n, uint32_t dst)
{
    for (size_t i = 0; i < n; i++) {
        struct tnt_hop *h = &hops[i];
        struct tnt_hop *prev = i > 0 ? &hops[i - 1] : NULL;
        if (!h->addr) {
            if (prev && prev->cls == TNT_CLASS_OPA && prev->role == TNT_ROLE_LSR)
                prev->role = TNT_ROLE_EGR; /* an opaque hop followed by a '*' */
            continue;
        }
        if (is_te(h) && h->n_labels > 0) {
            int mttl = h->labels[0].ttl;
            if (mttl <= 1 || mttl == 255)
                mark(h, TNT_CLASS_EXP, TNT_ROLE_LSR, 0);
            else
                mark(h, TNT_CLASS_OPA, TNT_ROLE_LSR, TNT_F_MTTL);
            if (prev && free_hop(prev) && prev->n_labels == 0)
                mark(prev, h->cls, TNT_ROLE_ING, 0);
            continue;
        }
        if (prev && prev->addr && after_lsr(hops, i, dst))
            continue;
        if (is_te(h) && h->qttl > 1 && h->qttl != 255) {
            mark(h, TNT_CLASS_IMP, TNT_ROLE_LSR, TNT_F_QTTL);
            if (h->qttl == 2 && prev && prev->addr && prev->cls == TNT_CLASS_NONE) {
                mark(prev, TNT_CLASS_IMP, TNT_ROLE_LSR, 0);
                if (i >= 2 && free_hop(&hops[i - 2]))
                    mark(&hops[i - 2], TNT_CLASS_IMP, TNT_ROLE_ING, 0);
            }
        }
    }
    if (n > 0 && hops[n - 1].cls == TNT_CLASS_OPA && hops[n - 1].role == TNT_ROLE_LSR)
        hops[n - 1].role = TNT_ROLE_EGR; /* the trace ends on it: nothing unlabelled follows */
}

/* The first trigger that fires for hop i (spec order), or 0. */
static unsigned trigger_of(const struct tnt_hop *hops, size_t n, size_t i,
                           const struct tnt_opts *o)
{
    const struct tnt_hop *h = &hops[i];
    if (h->cls == TNT_CLASS_OPA && h->role == TNT_ROLE_EGR)
        return TNT_F_MTTL;
    if (h->cls != TNT_CLASS_NONE)
        return 0;
    if (hops[i - 1].addr == h->addr && !(i + 1 < n && hops[i + 1].addr == h->addr))
        return i >= 2 ? TNT_F_DUPIP : 0;
    /* The first of a duplicated pair: its twin carries the DUPIP trigger. Its own FRPLA (3 or
     * more hidden LSRs) would come first and start a revelation without the buddy step. */
    if (i + 1 < n && hops[i + 1].addr == h->addr)
        return 0;
    if (tnt_math_rtla_applies(h->te, h->er) && h->rtla >= o->rtla_threshold)
        return TNT_F_RTLA;
    if (h->frpla >= o->frpla_threshold)
        return TNT_F_FRPLA;
    return o->brute_force ? TNT_F_BTFC : 0;
}

size_t tnt_classify_candidates(struct tnt_hop *hops, size_t n, const struct tnt_opts *o,
                               struct tnt_candidate *out, size_t max)
{
    size_t count = 0;
    for (size_t i = 1; i < n && count < max; i++) {
        struct tnt_hop *h = &hops[i];
        if (!is_te(h) || !tnt_classify_usable_addr(h->addr, o))
            continue;
        unsigned trig = trigger_of(hops, n, i, o);
        if (!trig)
            continue;
        size_t ing = trig == TNT_F_DUPIP ? i - 2 : i - 1;
        int found = 1;
        if (!hops[ing].addr) {
            if (ing == 0 || !hops[ing - 1].addr)
                continue;
            ing--;
            found = 0;
        }
        struct tnt_candidate *c = &out[count++];
        c->ingress = ing;
        c->egress = i;
        c->trigger = trig;
        c->ingress_found = found;
        c->uhp = trig == TNT_F_DUPIP;
        unsigned f = trig | (found ? 0 : TNT_F_ING_NF);
        if (trig != TNT_F_MTTL) {
            mark(h, TNT_CLASS_INV, TNT_ROLE_EGR, trig);
            if (hops[ing].cls == TNT_CLASS_NONE)
                mark(&hops[ing], TNT_CLASS_INV, TNT_ROLE_ING, f);
        } else {
            h->flags |= trig;
            if (hops[ing].cls == TNT_CLASS_NONE || hops[ing].cls == TNT_CLASS_OPA)
                mark(&hops[ing], TNT_CLASS_OPA, TNT_ROLE_ING, f);
        }
    }
    return count;
}

static int uturn_eligible(const struct tnt_hop *h)
{
    return is_te(h) && h->cls == TNT_CLASS_NONE && h->uturn != 0 && h->rtla != h->uturn;
}

void tnt_classify_uturns(struct tnt_hop *hops, size_t n, uint32_t dst, const struct tnt_opts *o)
{
    size_t i = 0;
    while (i < n) {
        if (!uturn_eligible(&hops[i])) {
            i++;
            continue;
        }
        size_t j = i;
        int sum = 0;
        while (j < n && uturn_eligible(&hops[j]))
            sum += abs(hops[j++].uturn);
        if (sum >= o->uturn_threshold) {
            for (size_t k = i; k < j; k++)
                mark(&hops[k], TNT_CLASS_IMP, TNT_ROLE_LSR, TNT_F_UTURN);
            if (i > 0 && free_hop(&hops[i - 1]))
                mark(&hops[i - 1], TNT_CLASS_IMP, TNT_ROLE_ING, TNT_F_UTURN);
            if (j < n && free_hop(&hops[j]) &&
                (abs(hops[j].uturn) < 3 || hops[j].rtla == hops[j].uturn))
                mark(&hops[j], TNT_CLASS_IMP, TNT_ROLE_EGR, TNT_F_UTURN);
        }
        i = j;
    }
    if (n > 0) {
        struct tnt_hop *last = &hops[n - 1];
        if (is_te(last) && last->addr != dst && last->cls == TNT_CLASS_NONE &&
            abs(last->uturn) >= 3)
            mark(last, TNT_CLASS_IMP, TNT_ROLE_LSR, TNT_F_UTURN);
    }
}

const char *tnt_class_name(enum tnt_class c)
{
    static const char *const names[] = {"", "EXP", "IMP", "OPA", "INV"};
    return (unsigned)c < 5 ? names[c] : "";
}

const char *tnt_role_name(enum tnt_role r)
{
    static const char *const names[] = {"", "ING", "LSR", "EGR"};
    return (unsigned)r < 4 ? names[r] : "";
}
