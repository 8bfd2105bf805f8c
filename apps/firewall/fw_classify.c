/*
 * Tuple space search over coarse tuples with priority pruning (design in fw_classify.h).
 * Each table is an open-addressing hash (linear probing, load <= 1/2) whose slots hold a
 * truncated key and a slice of one shared array of rule indices, ascending, so a probe is one
 * slot read plus a short scan that also stops at the best match found so far.
 */
#include "fw_classify.h"

#include <stdlib.h>
#include <string.h>

#define NTUPLES (33 * 33 * 4)

struct slot {
    uint32_t src, dst;
    uint32_t extra;        /* dport << 8 | proto, each 0 when the table does not key on it */
    uint32_t start, count; /* count 0: empty slot */
};

struct table {
    uint32_t smask, dmask;
    uint8_t port_exact, proto_exact;
    uint32_t best;         /* lowest rule index in the table */
    uint32_t mask;         /* slots - 1 */
    uint32_t nrules;
    struct slot *slots;
};

struct fw_classifier {
    const struct fw_rule *rules;
    struct table *tables;
    unsigned ntables;
    uint32_t *chain;
    size_t bytes;
};

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

static unsigned tuple_of(const struct fw_rule *r, unsigned g)
{
    unsigned s = r->src_len / g * g, d = r->dst_len / g * g;
    unsigned pe = r->dport_lo == r->dport_hi, pr = r->proto_mask == 0xff;
    return ((s * 33 + d) * 2 + pe) * 2 + pr;
}

static void rule_key(const struct table *t, const struct fw_rule *r, uint32_t *s, uint32_t *d, uint32_t *x)
{
    *s = r->src & t->smask;
    *d = r->dst & t->dmask;
    *x = (t->port_exact ? (uint32_t)r->dport_lo << 8 : 0) | (t->proto_exact ? r->proto : 0);
}

/* The slot holding key (s, d, x), or the empty slot where it belongs. */
static struct slot *find_slot(const struct table *t, uint32_t s, uint32_t d, uint32_t x)
{
    uint32_t i = hash_key(s, d, x) & t->mask;
    for (;;) {
        struct slot *sl = &t->slots[i];
        if (sl->count == 0 || (sl->src == s && sl->dst == d && sl->extra == x))
            return sl;
        i = (i + 1) & t->mask;
    }
}

static int by_best(const void *a, const void *b)
{
    const struct table *x = a, *y = b;
    return x->best < y->best ? -1 : x->best > y->best;
}

void fw_classifier_free(struct fw_classifier *c)
{
    if (!c)
        return;
    for (unsigned i = 0; i < c->ntables; i++)
        free(c->tables[i].slots);
    free(c->tables);
    free(c->chain);
    free(c);
}

/* Counts tables and gives each rule its table; fills the table headers (no slots yet). */
static int make_tables(struct fw_classifier *c, size_t n, unsigned g, uint32_t *tid)
{
    int *map = malloc(NTUPLES * sizeof(*map));
    if (!map)
        return -1;
    for (unsigned i = 0; i < NTUPLES; i++)
        map[i] = -1;
    for (size_t i = 0; i < n; i++) {
        unsigned tu = tuple_of(&c->rules[i], g);
        if (map[tu] < 0)
            map[tu] = (int)c->ntables++;
        tid[i] = (uint32_t)map[tu];
    }
    free(map);
    c->tables = calloc(c->ntables ? c->ntables : 1, sizeof(*c->tables));
    if (!c->tables)
        return -1;
    for (size_t i = n; i-- > 0;) {
        struct table *t = &c->tables[tid[i]];
        const struct fw_rule *r = &c->rules[i];
        t->nrules++;
        t->best = (uint32_t)i; /* walking down: ends at the lowest index */
        t->smask = fw_prefix_mask(r->src_len / g * g);
        t->dmask = fw_prefix_mask(r->dst_len / g * g);
        t->port_exact = r->dport_lo == r->dport_hi;
        t->proto_exact = r->proto_mask == 0xff;
    }
    for (unsigned i = 0; i < c->ntables; i++) {
        struct table *t = &c->tables[i];
        uint32_t size = 4;
        while (size < 2 * t->nrules)
            size *= 2;
        t->mask = size - 1;
        t->slots = calloc(size, sizeof(*t->slots));
        if (!t->slots)
            return -1;
        c->bytes += size * sizeof(*t->slots);
    }
    c->bytes += c->ntables * sizeof(*c->tables);
    return 0;
}

/* Fills the slots: count per key, carve the chain, then place indices walking down so each
 * slice ends up ascending. */
static void fill_tables(struct fw_classifier *c, size_t n, const uint32_t *tid)
{
    uint32_t s, d, x;
    for (size_t i = 0; i < n; i++) {
        const struct table *t = &c->tables[tid[i]];
        rule_key(t, &c->rules[i], &s, &d, &x);
        struct slot *sl = find_slot(t, s, d, x);
        sl->src = s;
        sl->dst = d;
        sl->extra = x;
        sl->count++;
    }
    uint32_t end = 0;
    for (unsigned i = 0; i < c->ntables; i++) {
        const struct table *t = &c->tables[i];
        for (uint32_t j = 0; j <= t->mask; j++) {
            end += t->slots[j].count;
            t->slots[j].start = end;
        }
    }
    for (size_t i = n; i-- > 0;) {
        const struct table *t = &c->tables[tid[i]];
        rule_key(t, &c->rules[i], &s, &d, &x);
        struct slot *sl = find_slot(t, s, d, x);
        c->chain[--sl->start] = (uint32_t)i;
    }
}

struct fw_classifier *fw_classifier_build(const struct fw_rule *rules, size_t n, unsigned granularity)
{
    if (granularity < 1 || granularity > 32 || n >= UINT32_MAX)
        return NULL;
    struct fw_classifier *c = calloc(1, sizeof(*c));
    uint32_t *tid = malloc((n ? n : 1) * sizeof(*tid));
    if (!c || !tid)
        goto fail;
    c->rules = rules;
    c->chain = malloc((n ? n : 1) * sizeof(*c->chain));
    if (!c->chain || make_tables(c, n, granularity, tid) < 0)
        goto fail;
    c->bytes += sizeof(*c) + n * sizeof(*c->chain);
    fill_tables(c, n, tid);
    /* Probe order: best rule first, so pruning can stop early. */
    qsort(c->tables, c->ntables, sizeof(*c->tables), by_best);
    free(tid);
    return c;
fail:
    free(tid);
    fw_classifier_free(c);
    return NULL;
}

long fw_classify(const struct fw_classifier *c, const struct fw_key *k)
{
    uint32_t best = UINT32_MAX;
    for (unsigned i = 0; i < c->ntables; i++) {
        const struct table *t = &c->tables[i];
        if (t->best >= best)
            break; /* tables are sorted by best: none after this one can win */
        uint32_t s = k->src & t->smask, d = k->dst & t->dmask;
        uint32_t x = (t->port_exact ? (uint32_t)k->dport << 8 : 0) | (t->proto_exact ? k->proto : 0);
        const struct slot *sl = find_slot(t, s, d, x);
        for (uint32_t j = 0; j < sl->count; j++) {
            uint32_t idx = c->chain[sl->start + j];
            if (idx >= best)
                break;
            if (fw_rule_matches(&c->rules[idx], k)) {
                best = idx;
                break;
            }
        }
    }
    return best == UINT32_MAX ? -1 : (long)best;
}

size_t fw_classifier_bytes(const struct fw_classifier *c)
{
    return c->bytes;
}

unsigned fw_classifier_tables(const struct fw_classifier *c)
{
    return c->ntables;
}
