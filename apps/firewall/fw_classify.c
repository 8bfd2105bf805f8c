/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tuple space search over coarse tuples with priority pruning, by protocol group (design in
 * fw_classify.h). Each table is an open-addressing hash (linear probing, load <= 1/2) whose
 * slots hold a truncated key and a slice of the group's array of rule indices, ascending, so a
 * probe is one slot read plus a short scan that also stops at the best match found so far.
 */
#include "fw_classify.h"

#include <stdlib.h>
#include <string.h>

#define NGROUPS 4
#define NTUPLES (33 * 33 * 2)
#define PREFETCH 64 /* tables whose slot a lookup fetches ahead, all at once */
#ifndef CHAIN_LIMIT
#define CHAIN_LIMIT 64 /* longer chains send their rules to tables of exact prefix lengths */
#endif

struct slot {
    uint32_t src, dst;
    uint32_t port;         /* the destination port, 0 when the table does not key on it */
    uint32_t start, count; /* count 0: empty slot */
    uint32_t first;        /* chain[start]: the best rule, without a second memory access */
};

struct table {
    uint32_t smask, dmask;
    uint32_t port_exact;
    uint32_t best;         /* lowest rule index in the table */
    uint32_t mask;         /* slots - 1 */
    uint32_t nrules;
    struct slot *slots;
};

struct group {
    struct table *tables;
    unsigned ntables;
    uint32_t *chain;
};

struct fw_classifier {
    const struct fw_rule *rules;
    struct group groups[NGROUPS];
    uint8_t class_of[33];  /* prefix length -> start of its class */
    size_t bytes;
};

static inline unsigned group_of(uint8_t proto)
{
    return proto == 6 ? 0 : proto == 17 ? 1 : proto == 1 ? 2 : 3;
}

/* The groups whose protocols the rule can match, as a bit mask. */
static unsigned groups_of_rule(const struct fw_rule *r)
{
    unsigned m = 0;
    if (r->proto_mask == 0xff)
        return 1u << group_of(r->proto);
    if (r->proto_mask == 0)
        return (1u << NGROUPS) - 1;
    for (unsigned p = 0; p < 256; p++) {
        if ((p & r->proto_mask) == r->proto)
            m |= 1u << group_of((uint8_t)p);
    }
    return m;
}

static inline uint32_t hash_key(uint32_t s, uint32_t d, uint32_t x)
{
    uint64_t h = (uint64_t)s * 0x9E3779B97F4A7C15ull;
    h ^= ((uint64_t)d + 0x632BE59BD9B4E019ull) * 0xC2B2AE3D27D4EB4Full;
    h ^= (uint64_t)x * 0x165667B19E3779F9ull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* The slot holding key (s, d, x), or the empty slot where it belongs; the probe starts at i. */
static inline struct slot *probe_from(const struct table *t, uint32_t i, uint32_t s, uint32_t d, uint32_t x)
{
    for (;;) {
        struct slot *sl = &t->slots[i];
        if (sl->count == 0 || (sl->src == s && sl->dst == d && sl->port == x))
            return sl;
        i = (i + 1) & t->mask;
    }
}

static inline struct slot *find_slot(const struct table *t, uint32_t s, uint32_t d, uint32_t x)
{
    return probe_from(t, hash_key(s, d, x) & t->mask, s, d, x);
}

static inline uint32_t key_x(const struct table *t, const struct fw_key *k)
{
    return t->port_exact ? k->dport : 0;
}

static void rule_key(const struct table *t, const struct fw_rule *r, uint32_t *s, uint32_t *d, uint32_t *x)
{
    *s = r->src & t->smask;
    *d = r->dst & t->dmask;
    *x = t->port_exact ? r->dport_lo : 0;
}

static int by_best(const void *a, const void *b)
{
    const struct table *x = a, *y = b;
    return x->best < y->best ? -1 : x->best > y->best;
}

uint64_t fw_classes_every(unsigned g)
{
    uint64_t m = 0;
    if (g < 1 || g > 32)
        return 0;
    for (unsigned l = 0; l <= 32; l += g)
        m |= 1ull << l;
    return m;
}

static void free_tables(struct group *grp)
{
    for (unsigned i = 0; i < grp->ntables; i++)
        free(grp->tables[i].slots);
    free(grp->tables);
    grp->tables = NULL;
    grp->ntables = 0;
}

void fw_classifier_free(struct fw_classifier *c)
{
    if (!c)
        return;
    for (unsigned g = 0; g < NGROUPS; g++) {
        free_tables(&c->groups[g]);
        free(c->groups[g].chain);
    }
    free(c);
}

/* Member j's tuple: its prefix lengths rounded down to their class starts, or kept exact
 * when its chain overflowed in the class layout. */
static void tuple_of(const struct fw_classifier *c, const struct fw_rule *r, int exact, unsigned *sl, unsigned *dl)
{
    *sl = exact ? r->src_len : c->class_of[r->src_len];
    *dl = exact ? r->dst_len : c->class_of[r->dst_len];
}

/* Tables for the m rules idx[]: headers, then slots; tid[j] gets member j's table. */
static int make_tables(struct fw_classifier *c, struct group *grp, const uint32_t *idx, uint32_t m,
                       const uint8_t *exact, uint32_t *tid)
{
    unsigned sl, dl;
    int *map = malloc(NTUPLES * sizeof(*map));
    if (!map)
        return -1;
    for (unsigned i = 0; i < NTUPLES; i++)
        map[i] = -1;
    for (uint32_t j = 0; j < m; j++) {
        const struct fw_rule *r = &c->rules[idx[j]];
        tuple_of(c, r, exact[j], &sl, &dl);
        unsigned tu = (sl * 33u + dl) * 2u + (r->dport_lo == r->dport_hi);
        if (map[tu] < 0)
            map[tu] = (int)grp->ntables++;
        tid[j] = (uint32_t)map[tu];
    }
    free(map);
    grp->tables = calloc(grp->ntables ? grp->ntables : 1, sizeof(*grp->tables));
    if (!grp->tables)
        return -1;
    for (uint32_t j = m; j-- > 0;) {
        struct table *t = &grp->tables[tid[j]];
        const struct fw_rule *r = &c->rules[idx[j]];
        tuple_of(c, r, exact[j], &sl, &dl);
        t->nrules++;
        t->best = idx[j]; /* walking down: ends at the lowest index */
        t->smask = fw_prefix_mask(sl);
        t->dmask = fw_prefix_mask(dl);
        t->port_exact = r->dport_lo == r->dport_hi;
    }
    for (unsigned i = 0; i < grp->ntables; i++) {
        struct table *t = &grp->tables[i];
        uint32_t size = 4;
        while (size < 2 * t->nrules)
            size *= 2;
        t->mask = size - 1;
        t->slots = calloc(size, sizeof(*t->slots));
        if (!t->slots)
            return -1;
    }
    return 0;
}

/* Counts rules per key; returns how many members sit in chains longer than CHAIN_LIMIT and
 * marks them in exact[]. */
static uint32_t count_keys(struct fw_classifier *c, struct group *grp, const uint32_t *idx, uint32_t m,
                           const uint32_t *tid, uint8_t *exact)
{
    uint32_t s, d, x, over = 0;
    for (uint32_t j = 0; j < m; j++) {
        const struct table *t = &grp->tables[tid[j]];
        rule_key(t, &c->rules[idx[j]], &s, &d, &x);
        struct slot *sl = find_slot(t, s, d, x);
        sl->src = s, sl->dst = d, sl->port = x;
        sl->count++;
    }
    for (uint32_t j = 0; j < m; j++) {
        const struct table *t = &grp->tables[tid[j]];
        rule_key(t, &c->rules[idx[j]], &s, &d, &x);
        if (!exact[j] && find_slot(t, s, d, x)->count > CHAIN_LIMIT) {
            exact[j] = 1;
            over++;
        }
    }
    return over;
}

/* Carves the chain, then places indices walking down so each slice ascends. */
static void fill_chains(struct fw_classifier *c, struct group *grp, const uint32_t *idx, uint32_t m,
                        const uint32_t *tid)
{
    uint32_t s, d, x, end = 0;
    for (unsigned i = 0; i < grp->ntables; i++) {
        const struct table *t = &grp->tables[i];
        for (uint32_t k = 0; k <= t->mask; k++) {
            end += t->slots[k].count;
            t->slots[k].start = end;
        }
    }
    for (uint32_t j = m; j-- > 0;) {
        const struct table *t = &grp->tables[tid[j]];
        rule_key(t, &c->rules[idx[j]], &s, &d, &x);
        struct slot *sl = find_slot(t, s, d, x);
        grp->chain[--sl->start] = idx[j];
        sl->first = idx[j];
    }
}

/* One group: tables in the class layout; rules whose chain grew too long move to tables of
 * their exact prefix lengths (TupleMerge's split), and the group is laid out again. */
static int build_group(struct fw_classifier *c, unsigned g, const uint8_t *member, size_t n)
{
    struct group *grp = &c->groups[g];
    uint32_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += (member[i] >> g) & 1;
    uint32_t *idx = malloc((m ? m : 1) * sizeof(*idx));
    uint32_t *tid = malloc((m ? m : 1) * sizeof(*tid));
    uint8_t *exact = calloc(m ? m : 1, 1);
    grp->chain = malloc((m ? m : 1) * sizeof(*grp->chain));
    int rc = -1;
    if (!idx || !tid || !exact || !grp->chain)
        goto done;
    m = 0;
    for (size_t i = 0; i < n; i++) {
        if ((member[i] >> g) & 1)
            idx[m++] = (uint32_t)i;
    }
    if (make_tables(c, grp, idx, m, exact, tid) < 0)
        goto done;
    if (count_keys(c, grp, idx, m, tid, exact) > 0) {
        free_tables(grp);
        if (make_tables(c, grp, idx, m, exact, tid) < 0)
            goto done;
        count_keys(c, grp, idx, m, tid, exact);
    }
    fill_chains(c, grp, idx, m, tid);
    /* Probe order: best rule first, so pruning can stop early. */
    qsort(grp->tables, grp->ntables, sizeof(*grp->tables), by_best);
    c->bytes += grp->ntables * sizeof(*grp->tables) + m * sizeof(*grp->chain);
    for (unsigned i = 0; i < grp->ntables; i++)
        c->bytes += (grp->tables[i].mask + 1) * sizeof(struct slot);
    rc = 0;
done:
    free(idx);
    free(tid);
    free(exact);
    return rc;
}

struct fw_classifier *fw_classifier_build(const struct fw_rule *rules, size_t n, uint64_t classes)
{
    if (n >= UINT32_MAX)
        return NULL;
    struct fw_classifier *c = calloc(1, sizeof(*c));
    uint8_t *member = malloc(n ? n : 1);
    if (!c || !member)
        goto fail;
    c->rules = rules;
    c->bytes = sizeof(*c);
    classes |= 1;
    for (unsigned l = 0, start = 0; l <= 32; l++) {
        if (classes & (1ull << l))
            start = l;
        c->class_of[l] = (uint8_t)start;
    }
    for (size_t i = 0; i < n; i++)
        member[i] = (uint8_t)groups_of_rule(&rules[i]);
    for (unsigned g = 0; g < NGROUPS; g++) {
        if (build_group(c, g, member, n) < 0)
            goto fail;
    }
    free(member);
    return c;
fail:
    free(member);
    fw_classifier_free(c);
    return NULL;
}

/* First match in one slot's chain, if better than best. */
static inline uint32_t scan_chain(const struct fw_classifier *c, const struct group *grp, const struct slot *sl,
                                  const struct fw_key *k, uint32_t best)
{
    for (uint32_t j = 0; j < sl->count; j++) {
        uint32_t idx = j ? grp->chain[sl->start + j] : sl->first;
        if (idx >= best)
            break;
        if (fw_rule_matches(&c->rules[idx], k))
            return idx;
    }
    return best;
}

long fw_classify(const struct fw_classifier *c, const struct fw_key *k)
{
    const struct group *grp = &c->groups[group_of(k->proto)];
    const struct slot *hit[PREFETCH];
    uint32_t best = UINT32_MAX, at[PREFETCH];
    unsigned ahead = grp->ntables < PREFETCH ? grp->ntables : PREFETCH;
    /* In big rule sets slots and rules are cache misses: issue them all before waiting on any,
     * first the slots of every table, then the best rule of every slot that holds the key. */
    for (unsigned i = 0; i < ahead; i++) {
        const struct table *t = &grp->tables[i];
        at[i] = hash_key(k->src & t->smask, k->dst & t->dmask, key_x(t, k)) & t->mask;
        __builtin_prefetch(&t->slots[at[i]]);
    }
    for (unsigned i = 0; i < ahead; i++) {
        const struct table *t = &grp->tables[i];
        hit[i] = probe_from(t, at[i], k->src & t->smask, k->dst & t->dmask, key_x(t, k));
        if (hit[i]->count)
            __builtin_prefetch(&c->rules[hit[i]->first]);
    }
    for (unsigned i = 0; i < grp->ntables; i++) {
        const struct table *t = &grp->tables[i];
        if (t->best >= best)
            break; /* tables are sorted by best: none after this one can win */
        const struct slot *sl = i < ahead ? hit[i] : find_slot(t, k->src & t->smask, k->dst & t->dmask, key_x(t, k));
        best = scan_chain(c, grp, sl, k, best);
    }
    return best == UINT32_MAX ? -1 : (long)best;
}

size_t fw_classifier_bytes(const struct fw_classifier *c)
{
    return c->bytes;
}

unsigned fw_classifier_tables(const struct fw_classifier *c)
{
    unsigned n = 0;
    for (unsigned g = 0; g < NGROUPS; g++)
        n += c->groups[g].ntables;
    return n;
}
