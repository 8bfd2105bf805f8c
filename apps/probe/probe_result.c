/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_result: storage of trace results and the conversion from raw replies (every attempt)
 * to the per-TTL hop view that TNT classifies.
 */
#include "probe_result.h"

#include <stdlib.h>
#include <string.h>

static const char *const method_names[] = {"icmp-paris", "udp-paris", "icmp", "udp", "tcp"};

const char *probe_method_name(enum probe_method m)
{
    return (unsigned)m < 5 ? method_names[m] : "?";
}

int probe_method_parse(const char *s, enum probe_method *m)
{
    for (unsigned i = 0; i < 5; i++) {
        if (strcmp(s, method_names[i]) == 0) {
            *m = (enum probe_method)i;
            return 0;
        }
    }
    return -1;
}

const char *probe_stop_name(enum probe_stop s)
{
    static const char *const names[] = {"NONE", "COMPLETED", "UNREACH", "GAPLIMIT", "HOPLIMIT",
                                        "ERROR"};
    return (unsigned)s < 6 ? names[s] : "?";
}

int probe_result_add_reply(struct probe_trace_result *t, const struct probe_reply *r)
{
    if (t->n_replies == t->cap_replies) {
        size_t cap = t->cap_replies ? t->cap_replies * 2 : 8;
        struct probe_reply *grown = realloc(t->replies, cap * sizeof(*grown));
        if (!grown)
            return -1;
        t->replies = grown;
        t->cap_replies = cap;
    }
    t->replies[t->n_replies++] = *r;
    return 0;
}

void probe_result_free(struct probe_trace_result *t)
{
    free(t->replies);
    t->replies = NULL;
    t->n_replies = t->cap_replies = 0;
}

static void fill_hop(struct tnt_hop *h, const struct probe_reply *r, uint32_t dst)
{
    h->addr = r->icmp.src;
    h->rtt_us = r->rtt_us;
    h->reply_ttl = r->icmp.ttl;
    h->is_dst = r->icmp.src == dst;
    if (r->tcp_flags) {
        h->icmp_type = -1;
        return;
    }
    h->icmp_type = r->icmp.type;
    h->icmp_code = r->icmp.code;
    h->qttl = r->icmp.has_quote ? r->icmp.q_ttl : 0;
    unsigned nl = 0;
    const struct icmp_mpls_entry *l = icmp_reply_mpls(&r->icmp, &nl);
    if (nl > TNT_HOP_MAX_LABELS)
        nl = TNT_HOP_MAX_LABELS;
    if (l)
        memcpy(h->labels, l, nl * sizeof(*l));
    h->n_labels = nl;
}

struct tnt_hop *probe_result_hops(const struct probe_trace_result *t, size_t *n)
{
    int first = t->p.first_ttl, last = t->stop_ttl;
    *n = last >= first ? (size_t)(last - first + 1) : 0;
    struct tnt_hop *hops = calloc(*n ? *n : 1, sizeof(*hops));
    if (!hops) {
        *n = 0;
        return NULL;
    }
    for (size_t i = 0; i < *n; i++)
        hops[i].probe_ttl = first + (int)i;
    for (size_t k = 0; k < t->n_replies; k++) {
        const struct probe_reply *r = &t->replies[k];
        int idx = r->probe_ttl - first;
        if (idx < 0 || (size_t)idx >= *n || hops[idx].addr)
            continue;
        fill_hop(&hops[idx], r, t->p.dst);
    }
    return hops;
}
