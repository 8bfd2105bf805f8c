/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tuple space search over coarse tuples with priority pruning, by protocol group (design in
 * fw_classify.h). Each table is an open-addressing hash (linear probing, load <= 1/2) whose
 * slots hold a truncated key and a slice of the group's chain array: the rule indices of that
 * key, ascending, in a slice of power-of-two capacity so an insert usually fits in place. A
 * slot, once used, keeps its key until the table is resized (a chain may drop to empty), so
 * deletes need no tombstones. Two filters per group, indexed by the top bits of the source
 * and of the destination address, say which tables (by position, up to 64) hold a rule whose
 * prefix covers those bits; a lookup probes only the tables both filters name. Deletes leave
 * filter bits and a table's best index as they are: both stay bounds (a superset, a lower
 * bound), so lookups stay exact and only prune a little less; once deletes reach a quarter of
 * a group's rules, the group is refreshed in place (filters and bests recomputed from the
 * rules present, emptied keys dropped, the chain compacted), which costs about as much as
 * those deletes did and keeps lookups and memory near a rebuild's.
 */
#include "fw_classify.h"

#include <stdlib.h>
#include <string.h>

#define NGROUPS 4
#define NTUPLES (33 * 33 * 2)
#define MASKED 64       /* tables a filter word can name; later ones are always probed */
#define SPREAD_MAX 8    /* a prefix this many bits shorter than the filter index is "wild" */
#ifndef CHAIN_LIMIT
#define CHAIN_LIMIT 64 /* longer chains send their rules to tables of exact prefix lengths */
#endif
#define BURST 8

struct slot {
    uint32_t src, dst;
    uint16_t port;         /* the destination port, 0 when the table does not key on it */
    uint8_t used, lcap;    /* key set; the chain slice holds 1 << lcap indices */
    uint32_t start, count; /* the slice in the group's chain, and how much of it is used */
    uint32_t first;        /* chain[start]: the best rule, without a second memory access */
};

struct table {
    uint32_t smask, dmask;
    uint32_t port_exact;
    uint32_t best;         /* a lower bound of the rule indices in the table */
    uint32_t mask;         /* slots - 1 */
    uint32_t nkeys;        /* used slots */
    struct slot *slots;
};

struct group {
    struct table *tables;
    unsigned ntables, tables_cap;
    uint32_t *chain;
    size_t chain_len, chain_cap, garbage; /* garbage: chain entries no slot owns */
    uint64_t *fsrc, *fdst;                /* 1 << fbits words each */
    uint64_t swild, dwild;                /* tables with a rule too wide for the filter */
    unsigned fbits;
    uint32_t live, dels;                  /* rules in the group; deletes since the last refresh */
    int16_t tmap[NTUPLES];                /* tuple -> table position, -1 */
};

struct fw_classifier {
    const struct fw_rule *rules;
    struct group groups[NGROUPS];
    uint8_t class_of[33];  /* prefix length -> start of its class */
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

/* Two multiplications: masked prefixes have their low bits zero, so mix before taking bits. */
static inline uint32_t hash_key(uint32_t s, uint32_t d, uint32_t x)
{
    uint64_t h = ((uint64_t)s << 32 | d) * 0x9E3779B97F4A7C15ull;
    h ^= (h >> 29) ^ ((uint64_t)x * 0xC2B2AE3D27D4EB4Full);
    h *= 0xBF58476D1CE4E5B9ull;
    return (uint32_t)(h >> 32);
}

/* The slot holding key (s, d, x), or the unused slot where it belongs; the probe starts at i. */
static inline struct slot *probe_from(const struct table *t, uint32_t i, uint32_t s, uint32_t d, uint32_t x)
{
    for (;;) {
        struct slot *sl = &t->slots[i];
        if (!sl->used || (sl->src == s && sl->dst == d && sl->port == x))
            return sl;
        i = (i + 1) & t->mask;
    }
}

static inline struct slot *find_slot(const struct table *t, uint32_t s, uint32_t d, uint32_t x)
{
    return probe_from(t, hash_key(s, d, x) & t->mask, s, d, x);
}

static void rule_key(const struct table *t, const struct fw_rule *r, uint32_t *s, uint32_t *d, uint32_t *x)
{
    *s = r->src & t->smask;
    *d = r->dst & t->dmask;
    *x = t->port_exact ? r->dport_lo : 0;
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

static void free_group(struct group *grp)
{
    for (unsigned i = 0; i < grp->ntables; i++)
        free(grp->tables[i].slots);
    free(grp->tables);
    free(grp->chain);
    free(grp->fsrc);
    free(grp->fdst);
}

void fw_classifier_free(struct fw_classifier *c)
{
    if (!c)
        return;
    for (unsigned g = 0; g < NGROUPS; g++)
        free_group(&c->groups[g]);
    free(c);
}

static inline unsigned tuple_index(unsigned sl, unsigned dl, int port_exact)
{
    return (sl * 33u + dl) * 2u + (port_exact ? 1u : 0u);
}

static unsigned lcap_for(uint32_t count)
{
    unsigned l = 0;
    while ((1u << l) < count)
        l++;
    return l;
}

/* ---- chain slices ------------------------------------------------------------------------ */

/* Copies every live slice to a fresh array: drops the garbage left by moved slices. */
static int compact_chain(struct group *grp, size_t need)
{
    size_t live = grp->chain_len - grp->garbage, cap = 16;
    while (cap < 2 * (live + need))
        cap *= 2;
    uint32_t *nc = malloc(cap * sizeof(*nc)), end = 0;
    if (!nc)
        return -1;
    for (unsigned i = 0; i < grp->ntables; i++) {
        const struct table *t = &grp->tables[i];
        for (uint32_t k = 0; k <= t->mask; k++) {
            struct slot *sl = &t->slots[k];
            if (!sl->used)
                continue;
            memcpy(nc + end, grp->chain + sl->start, ((size_t)1 << sl->lcap) * sizeof(*nc));
            sl->start = end;
            end += 1u << sl->lcap;
        }
    }
    free(grp->chain);
    grp->chain = nc;
    grp->chain_len = end;
    grp->chain_cap = cap;
    grp->garbage = 0;
    return 0;
}

/* A new slice of n entries at the chain's end; may move every slice (their starts follow). */
static int alloc_slice(struct group *grp, uint32_t n, uint32_t *start)
{
    if (grp->chain_len + n > grp->chain_cap) {
        if (grp->garbage > grp->chain_len / 2) {
            if (compact_chain(grp, n) < 0)
                return -1;
        } else {
            size_t cap = grp->chain_cap ? grp->chain_cap : 16;
            while (cap < grp->chain_len + n)
                cap *= 2;
            uint32_t *nc = realloc(grp->chain, cap * sizeof(*nc));
            if (!nc)
                return -1;
            grp->chain = nc;
            grp->chain_cap = cap;
        }
    }
    if (grp->chain_len + n >= UINT32_MAX)
        return -1;
    *start = (uint32_t)grp->chain_len;
    grp->chain_len += n;
    return 0;
}

/* ---- filters ------------------------------------------------------------------------------ */

/* Sets bit in every word of filter f (fb index bits) that prefix addr/len covers; a prefix so
 * short it would spread over more than 2^SPREAD_MAX words sets it in *wild instead. */
static void filter_mark(uint64_t *f, uint64_t *wild, unsigned fb, uint32_t addr, uint8_t len, uint64_t bit)
{
    if (len + SPREAD_MAX < (int)fb) {
        *wild |= bit;
        return;
    }
    uint32_t first = len >= fb ? addr >> (32 - fb) : (addr >> (32 - fb)) & ~((1u << (fb - len)) - 1);
    uint32_t n = len >= fb ? 1 : 1u << (fb - len);
    for (uint32_t i = 0; i < n; i++)
        f[first + i] |= bit;
}

/* Marks table pos as holding rule r in the filters (positions past MASKED need no bit). */
static void filter_add(struct group *grp, unsigned pos, const struct fw_rule *r)
{
    if (pos >= MASKED)
        return;
    filter_mark(grp->fsrc, &grp->swild, grp->fbits, r->src, r->src_len, 1ull << pos);
    filter_mark(grp->fdst, &grp->dwild, grp->fbits, r->dst, r->dst_len, 1ull << pos);
}

/* Index bits: about one filter word per rule of the group, 64 to 65536 words. */
static unsigned filter_bits(uint32_t m)
{
    unsigned fb = 6;
    while (fb < 16 && (1u << (fb + 1)) <= m)
        fb++;
    return fb;
}

static int filter_init(struct group *grp, uint32_t m)
{
    grp->fbits = filter_bits(m);
    grp->fsrc = calloc((size_t)1 << grp->fbits, sizeof(uint64_t));
    grp->fdst = calloc((size_t)1 << grp->fbits, sizeof(uint64_t));
    return grp->fsrc && grp->fdst ? 0 : -1;
}

/* ---- tables ------------------------------------------------------------------------------- */

/* Position of the table of tuple (sl, dl, pe), created (empty, 4 slots) when missing. */
static int table_for(struct group *grp, unsigned sl, unsigned dl, int pe, int create)
{
    unsigned tu = tuple_index(sl, dl, pe);
    if (grp->tmap[tu] >= 0 || !create)
        return grp->tmap[tu];
    if (grp->ntables == grp->tables_cap) {
        unsigned cap = grp->tables_cap ? 2 * grp->tables_cap : 8;
        struct table *nt = realloc(grp->tables, cap * sizeof(*nt));
        if (!nt)
            return -1;
        grp->tables = nt;
        grp->tables_cap = cap;
    }
    struct table *t = &grp->tables[grp->ntables];
    memset(t, 0, sizeof(*t));
    t->slots = calloc(4, sizeof(*t->slots));
    if (!t->slots)
        return -1;
    t->mask = 3;
    t->smask = fw_prefix_mask(sl);
    t->dmask = fw_prefix_mask(dl);
    t->port_exact = (uint32_t)pe;
    t->best = UINT32_MAX;
    grp->tmap[tu] = (int16_t)grp->ntables;
    return (int)grp->ntables++;
}

/* Re-hashes t into size slots; chains of used-but-empty slots become garbage. */
static int rehash_table(struct group *grp, struct table *t, uint32_t size)
{
    uint32_t keys = 0;
    struct slot *ns = calloc(size, sizeof(*ns));
    if (!ns)
        return -1;
    struct table nt = *t;
    nt.slots = ns;
    nt.mask = size - 1;
    for (uint32_t k = 0; k <= t->mask; k++) {
        const struct slot *o = &t->slots[k];
        if (!o->used)
            continue;
        if (o->count == 0) {
            grp->garbage += 1u << o->lcap;
            continue;
        }
        *find_slot(&nt, o->src, o->dst, o->port) = *o;
        keys++;
    }
    free(t->slots);
    t->slots = ns;
    t->mask = size - 1;
    t->nkeys = keys;
    return 0;
}

static int grow_table(struct group *grp, struct table *t)
{
    return rehash_table(grp, t, (t->mask + 1) * 2);
}

/* The slot for rule r in table pos, made when new: key set, and with alloc a one-entry slice
 * (without, the build counts rules per key first and sizes the slices itself). */
static struct slot *slot_for(struct group *grp, unsigned pos, const struct fw_rule *r, int alloc)
{
    uint32_t s, d, x, start = 0;
    struct table *t = &grp->tables[pos];
    rule_key(t, r, &s, &d, &x);
    struct slot *sl = find_slot(t, s, d, x);
    if (sl->used)
        return sl;
    if (2 * (t->nkeys + 1) > t->mask + 1) {
        if (grow_table(grp, t) < 0)
            return NULL;
        sl = find_slot(t, s, d, x);
    }
    if (alloc && alloc_slice(grp, 1, &start) < 0)
        return NULL;
    sl->src = s, sl->dst = d, sl->port = (uint16_t)x;
    sl->used = 1, sl->lcap = 0;
    sl->start = start, sl->count = 0;
    t->nkeys++;
    return sl;
}

/* Puts idx into sl's chain in ascending order, moving the slice to one twice as big when full. */
static int chain_insert(struct group *grp, struct slot *sl, uint32_t idx)
{
    if (sl->count == (1u << sl->lcap)) {
        uint32_t ns;
        if (sl->lcap >= 30 || alloc_slice(grp, 2u << sl->lcap, &ns) < 0)
            return -1;
        memcpy(grp->chain + ns, grp->chain + sl->start, sl->count * sizeof(uint32_t));
        grp->garbage += 1u << sl->lcap;
        sl->start = ns;
        sl->lcap++;
    }
    uint32_t *ch = grp->chain + sl->start, j = sl->count;
    while (j > 0 && ch[j - 1] > idx) {
        ch[j] = ch[j - 1];
        j--;
    }
    ch[j] = idx;
    sl->count++;
    sl->first = ch[0];
    return 0;
}

/* ---- build -------------------------------------------------------------------------------- */

/* Member j's tuple: its prefix lengths rounded down to their class starts, or kept exact
 * when its chain overflowed in the class layout. */
static void tuple_of(const struct fw_classifier *c, const struct fw_rule *r, int exact, unsigned *sl, unsigned *dl)
{
    *sl = exact ? r->src_len : c->class_of[r->src_len];
    *dl = exact ? r->dst_len : c->class_of[r->dst_len];
}

/* Keys per class tuple: marks in exact[] the members whose key has more than CHAIN_LIMIT rules. */
static int mark_overflow(struct fw_classifier *c, const uint32_t *idx, uint32_t m, uint8_t *exact)
{
    struct group tmp;
    memset(&tmp, 0, sizeof(tmp));
    memset(tmp.tmap, 0xff, sizeof(tmp.tmap));
    int rc = -1;
    unsigned sl, dl;
    for (uint32_t j = 0; j < m; j++) {
        const struct fw_rule *r = &c->rules[idx[j]];
        tuple_of(c, r, 0, &sl, &dl);
        int pos = table_for(&tmp, sl, dl, r->dport_lo == r->dport_hi, 1);
        struct slot *s = pos < 0 ? NULL : slot_for(&tmp, (unsigned)pos, r, 0);
        if (!s)
            goto done;
        s->count++; /* only counted here: no chain is filled */
    }
    for (uint32_t j = 0; j < m; j++) {
        const struct fw_rule *r = &c->rules[idx[j]];
        uint32_t s, d, x;
        tuple_of(c, r, 0, &sl, &dl);
        const struct table *t = &tmp.tables[table_for(&tmp, sl, dl, r->dport_lo == r->dport_hi, 0)];
        rule_key(t, r, &s, &d, &x);
        exact[j] = find_slot(t, s, d, x)->count > CHAIN_LIMIT;
    }
    rc = 0;
done:
    free_group(&tmp);
    return rc;
}

static int by_best(const void *a, const void *b)
{
    const struct table *x = a, *y = b;
    return x->best < y->best ? -1 : x->best > y->best;
}

/* Adds rule idx to table pos of grp (chain, best, filters). */
static int table_add(struct group *grp, unsigned pos, const struct fw_rule *r, uint32_t idx)
{
    struct slot *sl = slot_for(grp, pos, r, 1);
    if (!sl || chain_insert(grp, sl, idx) < 0)
        return -1;
    struct table *t = &grp->tables[pos];
    if (idx < t->best)
        t->best = idx;
    filter_add(grp, pos, r);
    grp->live++;
    return 0;
}

/* Gives every used slot a slice sized for the rules counted in it (count goes back to 0). */
static int carve_slices(struct group *grp)
{
    size_t total = 0;
    for (unsigned i = 0; i < grp->ntables; i++)
        for (uint32_t k = 0; k <= grp->tables[i].mask; k++)
            total += grp->tables[i].slots[k].used ? (size_t)1 << lcap_for(grp->tables[i].slots[k].count) : 0;
    grp->chain = malloc((total ? total : 1) * sizeof(*grp->chain));
    if (!grp->chain || total >= UINT32_MAX)
        return -1;
    grp->chain_cap = total ? total : 1;
    for (unsigned i = 0; i < grp->ntables; i++) {
        for (uint32_t k = 0; k <= grp->tables[i].mask; k++) {
            struct slot *sl = &grp->tables[i].slots[k];
            if (!sl->used)
                continue;
            sl->lcap = (uint8_t)lcap_for(sl->count);
            sl->start = (uint32_t)grp->chain_len;
            sl->count = 0;
            grp->chain_len += (size_t)1 << sl->lcap;
        }
    }
    return 0;
}

/* The table positions by tuple, after the tables were sorted. */
static void remap_tables(struct group *grp)
{
    memset(grp->tmap, 0xff, sizeof(grp->tmap));
    for (unsigned i = 0; i < grp->ntables; i++) {
        const struct table *t = &grp->tables[i];
        unsigned sl = 0, dl = 0;
        while (sl < 32 && fw_prefix_mask(sl) != t->smask)
            sl++;
        while (dl < 32 && fw_prefix_mask(dl) != t->dmask)
            dl++;
        grp->tmap[tuple_index(sl, dl, (int)t->port_exact)] = (int16_t)i;
    }
}

/* One group: tables made and sorted by their best rule (so pruning can stop early), keys
 * counted, slices carved, then the rules placed in ascending order. */
static int build_group(struct fw_classifier *c, unsigned g, const uint8_t *member, size_t n)
{
    struct group *grp = &c->groups[g];
    uint32_t m = 0;
    unsigned sl, dl;
    for (size_t i = 0; i < n; i++)
        m += (member[i] >> g) & 1;
    uint32_t *idx = malloc((m ? m : 1) * sizeof(*idx));
    uint8_t *exact = calloc(m ? m : 1, 1);
    int16_t *tab = malloc((m ? m : 1) * sizeof(*tab));
    int rc = -1;
    if (!idx || !exact || !tab || filter_init(grp, m) < 0)
        goto done;
    m = 0;
    for (size_t i = 0; i < n; i++) {
        if ((member[i] >> g) & 1)
            idx[m++] = (uint32_t)i;
    }
    if (mark_overflow(c, idx, m, exact) < 0)
        goto done;
    for (uint32_t j = 0; j < m; j++) { /* ascending: a table's first rule is its best */
        const struct fw_rule *r = &c->rules[idx[j]];
        tuple_of(c, r, exact[j], &sl, &dl);
        int pos = table_for(grp, sl, dl, r->dport_lo == r->dport_hi, 1);
        if (pos < 0)
            goto done;
        if (grp->tables[pos].best == UINT32_MAX)
            grp->tables[pos].best = idx[j];
    }
    if (grp->ntables)
        qsort(grp->tables, grp->ntables, sizeof(*grp->tables), by_best);
    remap_tables(grp);
    for (uint32_t j = 0; j < m; j++) {
        const struct fw_rule *r = &c->rules[idx[j]];
        tuple_of(c, r, exact[j], &sl, &dl);
        tab[j] = grp->tmap[tuple_index(sl, dl, r->dport_lo == r->dport_hi)];
        struct slot *s = slot_for(grp, (unsigned)tab[j], r, 0);
        if (!s)
            goto done;
        s->count++;
    }
    if (carve_slices(grp) < 0)
        goto done;
    for (uint32_t j = 0; j < m; j++) {
        if (table_add(grp, (unsigned)tab[j], &c->rules[idx[j]], idx[j]) < 0)
            goto done;
    }
    rc = 0;
done:
    free(idx);
    free(exact);
    free(tab);
    return rc;
}

static struct fw_classifier *classifier_new(const struct fw_rule *rules, uint64_t classes)
{
    struct fw_classifier *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->rules = rules;
    classes |= 1;
    for (unsigned l = 0, start = 0; l <= 32; l++) {
        if (classes & (1ull << l))
            start = l;
        c->class_of[l] = (uint8_t)start;
    }
    for (unsigned g = 0; g < NGROUPS; g++)
        memset(c->groups[g].tmap, 0xff, sizeof(c->groups[g].tmap));
    return c;
}

struct fw_classifier *fw_classifier_build(const struct fw_rule *rules, size_t n, uint64_t classes)
{
    if (n >= UINT32_MAX)
        return NULL;
    struct fw_classifier *c = classifier_new(rules, classes);
    uint8_t *member = malloc(n ? n : 1);
    if (!c || !member)
        goto fail;
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

/* ---- updates ------------------------------------------------------------------------------ */

int fw_classifier_insert(struct fw_classifier *c, const struct fw_rule *rules, uint32_t idx)
{
    if (idx == UINT32_MAX)
        return -1;
    c->rules = rules;
    const struct fw_rule *r = &rules[idx];
    unsigned groups = groups_of_rule(r), sl, dl;
    int pe = r->dport_lo == r->dport_hi;
    tuple_of(c, r, 0, &sl, &dl);
    for (unsigned g = 0; g < NGROUPS; g++) {
        struct group *grp = &c->groups[g];
        if (!((groups >> g) & 1))
            continue;
        int pos = table_for(grp, sl, dl, pe, 1);
        if (pos < 0)
            return -1;
        uint32_t s, d, x;
        rule_key(&grp->tables[pos], r, &s, &d, &x);
        const struct slot *at = find_slot(&grp->tables[pos], s, d, x);
        if (at->used && at->count >= CHAIN_LIMIT) { /* as the build would: exact lengths */
            pos = table_for(grp, r->src_len, r->dst_len, pe, 1);
            if (pos < 0)
                return -1;
        }
        if (table_add(grp, (unsigned)pos, r, idx) < 0)
            return -1;
    }
    return 0;
}

void fw_classifier_set_rules(struct fw_classifier *c, const struct fw_rule *rules)
{
    c->rules = rules;
}

/* Removes idx from the chain of r's key in table pos; 0 when it was there. */
static int table_remove(struct group *grp, int pos, const struct fw_rule *r, uint32_t idx)
{
    uint32_t s, d, x;
    if (pos < 0)
        return -1;
    struct table *t = &grp->tables[pos];
    rule_key(t, r, &s, &d, &x);
    struct slot *sl = find_slot(t, s, d, x);
    if (!sl->used)
        return -1;
    uint32_t *ch = grp->chain + sl->start;
    for (uint32_t j = 0; j < sl->count; j++) {
        if (ch[j] != idx)
            continue;
        memmove(ch + j, ch + j + 1, (sl->count - j - 1) * sizeof(*ch));
        sl->count--;
        sl->first = sl->count ? ch[0] : UINT32_MAX;
        grp->live--;
        grp->dels++;
        return 0;
    }
    return -1;
}

/* The group as a build would leave it, in place: emptied keys dropped (tables re-hashed at the
 * size a build picks), the chain compacted, filters sized for and filled from the rules present,
 * every table's best exact again. Each step that cannot get memory is skipped: what it would
 * have replaced is still correct. */
static void refresh_group(const struct fw_classifier *c, struct group *grp)
{
    unsigned fb = filter_bits(grp->live);
    uint64_t *fs = calloc((size_t)1 << fb, sizeof(uint64_t)), *fd = calloc((size_t)1 << fb, sizeof(uint64_t));
    grp->dels = 0;
    for (unsigned i = 0; i < grp->ntables; i++) {
        struct table *t = &grp->tables[i];
        uint32_t keys = 0, size = 4;
        for (uint32_t k = 0; k <= t->mask; k++)
            keys += t->slots[k].used && t->slots[k].count;
        while (size < 2 * keys)
            size *= 2;
        if (size < t->mask + 1 || keys < t->nkeys)
            rehash_table(grp, t, size);
    }
    if (grp->garbage > grp->chain_len / 2)
        compact_chain(grp, 0);
    if (!fs || !fd) {
        free(fs);
        free(fd);
        return;
    }
    free(grp->fsrc);
    free(grp->fdst);
    grp->fsrc = fs, grp->fdst = fd, grp->fbits = fb;
    grp->swild = grp->dwild = 0;
    for (unsigned i = 0; i < grp->ntables; i++) {
        struct table *t = &grp->tables[i];
        t->best = UINT32_MAX;
        for (uint32_t k = 0; k <= t->mask; k++) {
            const struct slot *sl = &t->slots[k];
            if (!sl->used || !sl->count)
                continue;
            if (sl->first < t->best)
                t->best = sl->first;
            for (uint32_t j = 0; j < sl->count; j++)
                filter_add(grp, i, &c->rules[grp->chain[sl->start + j]]);
        }
    }
}

int fw_classifier_delete(struct fw_classifier *c, const struct fw_rule *rules, uint32_t idx)
{
    c->rules = rules;
    const struct fw_rule *r = &rules[idx];
    unsigned groups = groups_of_rule(r), sl, dl, found = 0;
    int pe = r->dport_lo == r->dport_hi;
    tuple_of(c, r, 0, &sl, &dl);
    for (unsigned g = 0; g < NGROUPS; g++) {
        struct group *grp = &c->groups[g];
        if (!((groups >> g) & 1))
            continue;
        if (table_remove(grp, table_for(grp, sl, dl, pe, 0), r, idx) == 0 ||
            table_remove(grp, table_for(grp, r->src_len, r->dst_len, pe, 0), r, idx) == 0)
            found++;
        if (grp->dels > grp->live / 4 + 64)
            refresh_group(c, grp);
    }
    return found ? 0 : -1;
}

/* ---- lookup ------------------------------------------------------------------------------- */

/* A lookup in flight: its group, the tables to probe, where their probes start, then the slots
 * found there. */
struct pending {
    const struct group *grp;
    uint64_t mask;
    uint32_t at[MASKED];
    const struct slot *hit[MASKED];
};

static inline void lookup_filter(const struct fw_classifier *c, const struct fw_key *k, struct pending *p)
{
    const struct group *grp = &c->groups[group_of(k->proto)];
    unsigned sh = 32 - grp->fbits;
    p->grp = grp;
    p->mask = (grp->fsrc[k->src >> sh] | grp->swild) & (grp->fdst[k->dst >> sh] | grp->dwild);
}

/* Hashes for every named table, and their slots fetched ahead, all before waiting on any. */
static inline void lookup_start(const struct fw_key *k, struct pending *p)
{
    for (uint64_t m = p->mask; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctzll(m);
        const struct table *t = &p->grp->tables[i];
        uint32_t h = hash_key(k->src & t->smask, k->dst & t->dmask, t->port_exact ? k->dport : 0) & t->mask;
        p->at[i] = h;
        __builtin_prefetch(&t->slots[h]);
    }
}

/* The slots, and the best rule of each fetched ahead. */
static inline void lookup_slots(const struct fw_classifier *c, const struct fw_key *k, struct pending *p)
{
    for (uint64_t m = p->mask; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctzll(m);
        const struct table *t = &p->grp->tables[i];
        const struct slot *sl = probe_from(t, p->at[i], k->src & t->smask, k->dst & t->dmask,
                                           t->port_exact ? k->dport : 0);
        p->hit[i] = sl;
        if (sl->count)
            __builtin_prefetch(&c->rules[sl->first]);
    }
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

static inline long lookup_finish(const struct fw_classifier *c, const struct fw_key *k, const struct pending *p)
{
    const struct group *grp = p->grp;
    uint32_t best = UINT32_MAX;
    for (uint64_t m = p->mask; m; m &= m - 1) {
        unsigned i = (unsigned)__builtin_ctzll(m);
        if (grp->tables[i].best < best && p->hit[i]->count) /* else nothing in it can beat the match found */
            best = scan_chain(c, grp, p->hit[i], k, best);
    }
    for (unsigned i = MASKED; i < grp->ntables; i++) {
        const struct table *t = &grp->tables[i];
        if (t->best < best)
            best = scan_chain(c, grp, find_slot(t, k->src & t->smask, k->dst & t->dmask, t->port_exact ? k->dport : 0),
                              k, best);
    }
    return best == UINT32_MAX ? -1 : (long)best;
}

long fw_classify(const struct fw_classifier *c, const struct fw_key *k)
{
    struct pending p;
    lookup_filter(c, k, &p);
    lookup_start(k, &p);
    lookup_slots(c, k, &p);
    return lookup_finish(c, k, &p);
}

void fw_classify_burst(const struct fw_classifier *c, const struct fw_key *keys, size_t n, long *out)
{
    struct pending p[BURST];
    for (size_t base = 0; base < n; base += BURST) {
        size_t b = n - base < BURST ? n - base : BURST;
        const struct fw_key *k = keys + base;
        /* Passes over the burst, so each one's cache misses overlap the others': filter
         * words, slots, rules, then the chains. */
        for (size_t j = 0; j < b; j++) {
            const struct group *grp = &c->groups[group_of(k[j].proto)];
            __builtin_prefetch(&grp->fsrc[k[j].src >> (32 - grp->fbits)]);
            __builtin_prefetch(&grp->fdst[k[j].dst >> (32 - grp->fbits)]);
        }
        for (size_t j = 0; j < b; j++) {
            lookup_filter(c, &k[j], &p[j]);
            lookup_start(&k[j], &p[j]);
        }
        for (size_t j = 0; j < b; j++)
            lookup_slots(c, &k[j], &p[j]);
        for (size_t j = 0; j < b; j++)
            out[base + j] = lookup_finish(c, &k[j], &p[j]);
    }
}

/* ---- accounting --------------------------------------------------------------------------- */

size_t fw_classifier_bytes(const struct fw_classifier *c)
{
    size_t b = sizeof(*c);
    for (unsigned g = 0; g < NGROUPS; g++) {
        const struct group *grp = &c->groups[g];
        b += grp->tables_cap * sizeof(*grp->tables) + grp->chain_cap * sizeof(*grp->chain);
        b += 2 * ((size_t)1 << grp->fbits) * sizeof(uint64_t);
        for (unsigned i = 0; i < grp->ntables; i++)
            b += (grp->tables[i].mask + 1) * sizeof(struct slot);
    }
    return b;
}

unsigned fw_classifier_tables(const struct fw_classifier *c)
{
    unsigned n = 0;
    for (unsigned g = 0; g < NGROUPS; g++)
        n += c->groups[g].ntables;
    return n;
}
