/* SPDX-License-Identifier: BSD-2-Clause */
/* The per-frame verdict and the counters of the firewall (see fw_filter.h). */
#include "fw_filter.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fw_filter_init(struct fw_filter *f, const struct fw_ruleset *rs, uint32_t ct_capacity)
{
    memset(f, 0, sizeof(*f));
    f->rs = rs;
    f->cls = fw_classifier_build(rs->rules, rs->count, FW_CLASSES_DEFAULT);
    f->rule = calloc(rs->nsources ? rs->nsources : 1, sizeof(*f->rule));
    f->nids = rs->nsources ? rs->nsources : 1;
    f->flows = calloc(FW_FLOW_SLOTS, sizeof(*f->flows));
    if (ct_capacity)
        f->ct = fw_ct_create(ct_capacity);
    if (!f->cls || !f->rule || !f->flows || (ct_capacity && !f->ct)) {
        fw_filter_free(f);
        return -1;
    }
    return 0;
}

void fw_filter_free(struct fw_filter *f)
{
    fw_classifier_free(f->cls);
    fw_ct_free(f->ct);
    free(f->rule);
    free(f->flows);
    memset(f, 0, sizeof(*f));
}

void fw_filter_flush_flows(struct fw_filter *f)
{
    memset(f->flows, 0, FW_FLOW_SLOTS * sizeof(*f->flows));
}

int fw_filter_grow_ids(struct fw_filter *f, uint32_t n)
{
    if (n <= f->nids)
        return 0;
    uint32_t cap = f->nids;
    while (cap < n)
        cap = cap > UINT32_MAX / 2 ? n : cap * 2;
    struct fw_counter *grown = realloc(f->rule, (size_t)cap * sizeof(*grown));
    if (!grown)
        return -1;
    memset(grown + f->nids, 0, (size_t)(cap - f->nids) * sizeof(*grown));
    f->rule = grown;
    f->nids = cap;
    return 0;
}

static int same_key(const struct fw_key *a, const struct fw_key *b)
{
    return a->src == b->src && a->dst == b->dst && a->sport == b->sport && a->dport == b->dport &&
           a->proto == b->proto;
}

/* The classifier's answer for k, from the flow cache when k was seen last in its slot. */
static long classify_cached(struct fw_filter *f, const struct fw_key *k)
{
    uint64_t h = ((uint64_t)k->src << 32 | k->dst) * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)k->sport << 24 | (uint64_t)k->dport << 8 | k->proto) * 0xC2B2AE3D27D4EB4Full;
    struct fw_flow *fl = &f->flows[(h >> 40) & (FW_FLOW_SLOTS - 1)];
    if (fl->valid && same_key(&fl->key, k)) {
        f->flow_hits++;
        return fl->verdict;
    }
    f->flow_misses++;
    fl->key = *k;
    fl->valid = 1;
    fl->verdict = fw_classify(f->cls, k);
    return fl->verdict;
}

static void count(struct fw_counter *c, size_t len)
{
    c->packets++;
    c->bytes += len;
}

int fw_filter_frame(struct fw_filter *f, const uint8_t *frame, size_t len, uint64_t now_ns)
{
    struct fw_packet pkt;
    switch (fw_packet_parse(frame, len, &pkt)) {
    case FW_FRAME_ARP:
        count(&f->arp, len);
        return 1;
    case FW_FRAME_OTHER:
        count(&f->other, len);
        return 0;
    case FW_FRAME_BAD:
        count(&f->bad, len);
        return 0;
    case FW_FRAME_IPV4:
        break;
    }
    if (f->ct && fw_ct_lookup(f->ct, &pkt, now_ns)) {
        count(&f->tracked, len);
        return 1;
    }
    long idx = classify_cached(f, &pkt.key);
    int allow;
    if (idx < 0) {
        count(&f->dflt, len);
        allow = f->rs->default_action == FW_ALLOW;
    } else {
        const struct fw_rule *r = &f->rs->rules[idx];
        count(&f->rule[r->id], len);
        allow = r->action == FW_ALLOW;
    }
    if (allow && f->ct && fw_ct_insert(f->ct, &pkt, now_ns) < 0)
        count(&f->ct_full, len);
    return allow;
}

void fw_filter_print(const struct fw_filter *f, const char *tag)
{
    const struct fw_ruleset *rs = f->rs;
    uint32_t last = FW_ID_NONE, pos = 0;
    for (size_t i = 0; i < rs->count; i++) {
        const struct fw_rule *r = &rs->rules[i];
        if (r->id == last || r->id == FW_ID_NONE)
            continue; /* one line per written rule, not per expansion; holes are no rules */
        last = r->id;
        pos++;
        const struct fw_counter *c = &f->rule[r->id];
        if (c->packets || rs->nsources <= 100) /* big sets: only the rules that matched */
            printf("%s rule %" PRIu32 " line %" PRIu32 " %s: %" PRIu64 " packets %" PRIu64 " bytes\n", tag,
                   pos, r->line, r->action == FW_ALLOW ? "allow" : "deny", c->packets, c->bytes);
    }
    printf("%s default %s: %" PRIu64 " packets %" PRIu64 " bytes\n", tag,
           rs->default_action == FW_ALLOW ? "allow" : "deny", f->dflt.packets, f->dflt.bytes);
    printf("%s conntrack %s: %" PRIu64 " packets passed as established, %" PRIu64 " flows not tracked (table full)\n",
           tag, f->ct ? "on" : "off", f->tracked.packets, f->ct_full.packets);
    printf("%s arp passed %" PRIu64 ", non-IPv4 dropped %" PRIu64 ", malformed dropped %" PRIu64 "\n", tag,
           f->arp.packets, f->other.packets, f->bad.packets);
}
