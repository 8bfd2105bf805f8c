/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The conntrack table (see fw_conntrack.h): chained hashing over a preallocated pool, with a
 * free list; expired entries are unlinked when a lookup walks past them and by fw_ct_expire.
 */
#include "fw_conntrack.h"

#include <stdlib.h>
#include <string.h>

#define SEC 1000000000ull
#define NONE UINT32_MAX

struct ct_key {
    uint32_t a, b;       /* the lower (address, port) end first */
    uint16_t pa, pb;
    uint8_t proto;
};

struct ct_entry {
    struct ct_key key;
    uint64_t expires;
    uint32_t next;
    uint8_t closing;
};

struct fw_conntrack {
    struct ct_entry *pool;
    uint32_t *buckets;
    uint32_t mask;
    uint32_t free_head;
    uint32_t used;
};

/* Direction-free key; -1 for packets that are not tracked. */
static int flow_key(const struct fw_packet *p, struct ct_key *k)
{
    uint16_t ps = p->key.sport, pd = p->key.dport;
    if (p->fragment)
        return -1;
    if (p->key.proto == 1) {
        if (p->key.sport != 8 && p->key.sport != 0)
            return -1; /* only echo request (8) and reply (0) */
        ps = pd = p->icmp_id;
    } else if (p->key.proto != 6 && p->key.proto != 17) {
        return -1;
    }
    memset(k, 0, sizeof(*k));
    k->proto = p->key.proto;
    if (p->key.src < p->key.dst || (p->key.src == p->key.dst && ps <= pd)) {
        k->a = p->key.src, k->pa = ps, k->b = p->key.dst, k->pb = pd;
    } else {
        k->a = p->key.dst, k->pa = pd, k->b = p->key.src, k->pb = ps;
    }
    return 0;
}

static uint32_t key_hash(const struct ct_key *k)
{
    uint64_t h = (uint64_t)k->a * 0x9E3779B97F4A7C15ull ^ (uint64_t)k->b * 0xC2B2AE3D27D4EB4Full;
    h ^= ((uint64_t)k->pa << 24 | (uint64_t)k->pb << 8 | k->proto) * 0x165667B19E3779F9ull;
    h ^= h >> 31;
    return (uint32_t)h;
}

static int key_eq(const struct ct_key *x, const struct ct_key *y)
{
    return x->a == y->a && x->b == y->b && x->pa == y->pa && x->pb == y->pb && x->proto == y->proto;
}

static uint64_t timeout_of(uint8_t proto, int closing)
{
    if (proto == 6)
        return closing ? 10 * SEC : 300 * SEC;
    return proto == 17 ? 60 * SEC : 30 * SEC;
}

struct fw_conntrack *fw_ct_create(uint32_t capacity)
{
    if (capacity == 0 || capacity > (1u << 28))
        return NULL;
    struct fw_conntrack *ct = calloc(1, sizeof(*ct));
    if (!ct)
        return NULL;
    uint32_t nb = 16;
    while (nb < capacity)
        nb *= 2;
    ct->mask = nb - 1;
    ct->pool = malloc(capacity * sizeof(*ct->pool));
    ct->buckets = malloc(nb * sizeof(*ct->buckets));
    if (!ct->pool || !ct->buckets) {
        fw_ct_free(ct);
        return NULL;
    }
    for (uint32_t i = 0; i < nb; i++)
        ct->buckets[i] = NONE;
    for (uint32_t i = 0; i < capacity; i++)
        ct->pool[i].next = i + 1 < capacity ? i + 1 : NONE;
    ct->free_head = 0;
    return ct;
}

void fw_ct_free(struct fw_conntrack *ct)
{
    if (!ct)
        return;
    free(ct->pool);
    free(ct->buckets);
    free(ct);
}

/* Unlinks expired entries of one chain; returns the live entry with key k, if any. */
static struct ct_entry *walk(struct fw_conntrack *ct, uint32_t bucket, const struct ct_key *k, uint64_t now)
{
    uint32_t *link = &ct->buckets[bucket];
    struct ct_entry *found = NULL;
    while (*link != NONE) {
        struct ct_entry *e = &ct->pool[*link];
        if (e->expires <= now) {
            uint32_t idx = *link;
            *link = e->next;
            e->next = ct->free_head;
            ct->free_head = idx;
            ct->used--;
            continue;
        }
        if (k && key_eq(&e->key, k))
            found = e;
        link = &e->next;
    }
    return found;
}

int fw_ct_lookup(struct fw_conntrack *ct, const struct fw_packet *pkt, uint64_t now_ns)
{
    struct ct_key k;
    if (flow_key(pkt, &k) < 0)
        return 0;
    struct ct_entry *e = walk(ct, key_hash(&k) & ct->mask, &k, now_ns);
    if (!e)
        return 0;
    if (k.proto == 6 && (pkt->tcp_flags & (FW_TCP_FIN | FW_TCP_RST)))
        e->closing = 1;
    e->expires = now_ns + timeout_of(k.proto, e->closing);
    return 1;
}

int fw_ct_insert(struct fw_conntrack *ct, const struct fw_packet *pkt, uint64_t now_ns)
{
    struct ct_key k;
    if (flow_key(pkt, &k) < 0)
        return 0;
    uint32_t bucket = key_hash(&k) & ct->mask;
    struct ct_entry *e = walk(ct, bucket, &k, now_ns);
    if (!e) {
        if (ct->free_head == NONE)
            return -1;
        uint32_t idx = ct->free_head;
        e = &ct->pool[idx];
        ct->free_head = e->next;
        e->key = k;
        e->closing = 0;
        e->next = ct->buckets[bucket];
        ct->buckets[bucket] = idx;
        ct->used++;
    }
    if (k.proto == 6 && (pkt->tcp_flags & (FW_TCP_FIN | FW_TCP_RST)))
        e->closing = 1;
    e->expires = now_ns + timeout_of(k.proto, e->closing);
    return 0;
}

uint32_t fw_ct_expire(struct fw_conntrack *ct, uint64_t now_ns)
{
    for (uint32_t b = 0; b <= ct->mask; b++)
        walk(ct, b, NULL, now_ns);
    return ct->used;
}
