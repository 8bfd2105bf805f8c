/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Zone storage (see dns_zone.h): a chained hash table of owner names per zone, grown by
 * doubling so lookups stay O(1) whatever the zone size, and the zone set that maps a query name
 * to the zone serving it.
 */
#include "dns_zone.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_BUCKETS 64

struct dns_zone *dns_zone_new(const uint8_t *origin)
{
    struct dns_zone *z = calloc(1, sizeof(*z));
    if (!z)
        return NULL;
    memcpy(z->origin, origin, dns_name_len(origin));
    z->origin_labels = dns_name_labels(origin);
    z->nbuckets = INITIAL_BUCKETS;
    z->buckets = calloc(z->nbuckets, sizeof(*z->buckets));
    if (!z->buckets) {
        free(z);
        return NULL;
    }
    return z;
}

void dns_zone_free(struct dns_zone *zone)
{
    if (!zone)
        return;
    for (size_t b = 0; b < zone->nbuckets; b++) {
        struct dns_node *n = zone->buckets[b];
        while (n) {
            struct dns_node *next_node = n->next;
            struct dns_rrset *s = n->rrsets;
            while (s) {
                struct dns_rrset *next_set = s->next;
                free(s->data);
                free(s);
                s = next_set;
            }
            free(n);
            n = next_node;
        }
    }
    free(zone->buckets);
    free(zone);
}

struct dns_node *dns_zone_find(const struct dns_zone *zone, const uint8_t *name)
{
    uint32_t h = dns_name_hash(name);
    for (struct dns_node *n = zone->buckets[h & (zone->nbuckets - 1)]; n; n = n->next)
        if (n->hash == h && dns_name_equal(n->name, name))
            return n;
    return NULL;
}

const struct dns_rrset *dns_node_rrset(const struct dns_node *node, uint16_t type)
{
    for (const struct dns_rrset *s = node->rrsets; s; s = s->next)
        if (s->type == type)
            return s;
    return NULL;
}

static int grow(struct dns_zone *z)
{
    size_t nb = z->nbuckets * 2;
    struct dns_node **b = calloc(nb, sizeof(*b));
    if (!b)
        return -1;
    for (size_t i = 0; i < z->nbuckets; i++) {
        struct dns_node *n = z->buckets[i];
        while (n) {
            struct dns_node *next = n->next;
            n->next = b[n->hash & (nb - 1)];
            b[n->hash & (nb - 1)] = n;
            n = next;
        }
    }
    free(z->buckets);
    z->buckets = b;
    z->nbuckets = nb;
    return 0;
}

/* The node of name, created with its missing ancestors up to the origin (empty non-terminals). */
static struct dns_node *node_get(struct dns_zone *z, const uint8_t *name)
{
    struct dns_node *n = dns_zone_find(z, name);
    if (n)
        return n;
    if (!dns_name_equal(name, z->origin) && !node_get(z, dns_name_parent(name)))
        return NULL;
    if (z->nnodes >= z->nbuckets && grow(z) < 0)
        return NULL;
    size_t len = dns_name_len(name);
    n = calloc(1, sizeof(*n) + len);
    if (!n)
        return NULL;
    memcpy(n->name, name, len);
    n->hash = dns_name_hash(name);
    n->next = z->buckets[n->hash & (z->nbuckets - 1)];
    z->buckets[n->hash & (z->nbuckets - 1)] = n;
    z->nnodes++;
    if (!z->apex && dns_name_equal(name, z->origin))
        z->apex = n;
    return n;
}

/* Equal records are equal rdata whatever their TTLs: NSD keeps the first one read. */
static int rrset_holds(const struct dns_rrset *s, const uint8_t *rdata, size_t rdlen)
{
    const uint8_t *end = s->data + s->size;
    for (const uint8_t *rr = s->data; rr < end; rr = dns_rr_next(rr))
        if (dns_rr_rdlen(rr) == rdlen && memcmp(dns_rr_rdata(rr), rdata, rdlen) == 0)
            return 1;
    return 0;
}

static int rrset_append(struct dns_rrset *s, uint32_t ttl, const uint8_t *rdata, size_t rdlen)
{
    if (s->count == UINT16_MAX || s->size + DNS_RR_HEAD + rdlen > 65535)
        return -1; /* could never be sent anyway */
    uint8_t *d = realloc(s->data, s->size + DNS_RR_HEAD + rdlen);
    if (!d)
        return -1;
    uint8_t *rr = d + s->size;
    rr[0] = (uint8_t)(ttl >> 24);
    rr[1] = (uint8_t)(ttl >> 16);
    rr[2] = (uint8_t)(ttl >> 8);
    rr[3] = (uint8_t)ttl;
    rr[4] = (uint8_t)(rdlen >> 8);
    rr[5] = (uint8_t)rdlen;
    memcpy(rr + DNS_RR_HEAD, rdata, rdlen);
    s->data = d;
    s->size += DNS_RR_HEAD + rdlen;
    s->count++;
    return 0;
}

int dns_zone_add(struct dns_zone *zone, const uint8_t *owner, uint16_t type, uint32_t ttl,
                 const uint8_t *rdata, size_t rdlen, const char **why)
{
    if (!dns_name_is_below(owner, zone->origin)) {
        *why = "owner name outside the zone";
        return -1;
    }
    if (type == DNS_T_SOA && !dns_name_equal(owner, zone->origin)) {
        *why = "SOA record not at the zone's origin";
        return -1;
    }
    struct dns_node *n = node_get(zone, owner);
    if (!n) {
        *why = "out of memory";
        return -1;
    }
    struct dns_rrset *s = (struct dns_rrset *)dns_node_rrset(n, type);
    if (n->rrsets && !s && (type == DNS_T_CNAME || dns_node_rrset(n, DNS_T_CNAME))) {
        *why = "CNAME and other data at the same name";
        return -1;
    }
    if (s && rrset_holds(s, rdata, rdlen))
        return 0;
    if (s && (type == DNS_T_SOA || type == DNS_T_CNAME)) {
        *why = type == DNS_T_SOA ? "more than one SOA record" : "more than one CNAME at a name";
        return -1;
    }
    if (!s) {
        s = calloc(1, sizeof(*s));
        if (!s) {
            *why = "out of memory";
            return -1;
        }
        s->type = type;
        s->ttl = ttl;
        /* File order is kept: a query for ANY gets the first RRset, as from NSD. */
        struct dns_rrset **tail = &n->rrsets;
        while (*tail)
            tail = &(*tail)->next;
        *tail = s;
    }
    if (rrset_append(s, ttl, rdata, rdlen) < 0) {
        *why = "RRset too large";
        return -1;
    }
    if (type == DNS_T_SOA)
        zone->soa = s;
    zone->nrecords++;
    return 0;
}

int dns_zone_finish(struct dns_zone *zone, const char **why)
{
    if (!zone->soa) {
        *why = "no SOA record at the zone's origin";
        return -1;
    }
    return 0;
}

const struct dns_zone *dns_zoneset_find(const struct dns_zoneset *set, const uint8_t *qname)
{
    /* The suffixes of qname by label count, found once for every zone compared. */
    const uint8_t *suffix[DNS_NAME_MAX / 2 + 1];
    unsigned qlabels = dns_name_labels(qname);
    const uint8_t *s = qname;
    for (unsigned n = qlabels + 1; n-- > 0; s = dns_name_parent(s))
        suffix[n] = s;
    const struct dns_zone *best = NULL;
    unsigned best_labels = 0;
    for (const struct dns_zone *z = set->zones; z; z = z->next) {
        unsigned labels = z->origin_labels;
        if ((!best || labels > best_labels) && labels <= qlabels && dns_name_equal(suffix[labels], z->origin)) {
            best = z;
            best_labels = labels;
        }
    }
    return best;
}

int dns_zoneset_add(struct dns_zoneset *set, struct dns_zone *zone)
{
    for (const struct dns_zone *z = set->zones; z; z = z->next)
        if (dns_name_equal(z->origin, zone->origin))
            return -1;
    zone->next = set->zones;
    set->zones = zone;
    return 0;
}

void dns_zoneset_free(struct dns_zoneset *set)
{
    while (set->zones) {
        struct dns_zone *next = set->zones->next;
        dns_zone_free(set->zones);
        set->zones = next;
    }
}
