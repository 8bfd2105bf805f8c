/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The zones the server answers from: each zone is a hash table of owner names (nodes), each node
 * a list of RRsets whose records are kept in wire form. Zones are built record by record (by the
 * zone-file parser), then checked and sealed by dns_zone_finish, and never change afterwards.
 */
#ifndef DNS_ZONE_H
#define DNS_ZONE_H

#include <stddef.h>
#include <stdint.h>

#include "dns_name.h"

enum {
    DNS_T_A = 1, DNS_T_NS = 2, DNS_T_CNAME = 5, DNS_T_SOA = 6, DNS_T_PTR = 12, DNS_T_MX = 15,
    DNS_T_TXT = 16, DNS_T_AAAA = 28, DNS_T_SRV = 33, DNS_T_OPT = 41, DNS_T_DS = 43,
    DNS_T_IXFR = 251, DNS_T_AXFR = 252, DNS_T_ANY = 255
};
#define DNS_CLASS_IN 1

/* Each record keeps its own TTL: a zone file may give the records of one RRset different TTLs
 * (RFC 2181 5.2 says they should not), and NSD then serves every record with its own. */
struct dns_rrset {
    struct dns_rrset *next;
    uint16_t type;
    uint16_t count;
    uint32_t ttl;      /* the first record's TTL */
    size_t size;       /* bytes used in data */
    uint8_t *data;     /* count records, each DNS_RR_HEAD bytes (TTL, rdata length; big-endian)
                        * then the rdata; walk them with the dns_rr_* helpers */
};

#define DNS_RR_HEAD 6

static inline uint32_t dns_rr_ttl(const uint8_t *rr)
{
    return ((uint32_t)rr[0] << 24) | ((uint32_t)rr[1] << 16) | ((uint32_t)rr[2] << 8) | rr[3];
}
static inline size_t dns_rr_rdlen(const uint8_t *rr)
{
    return ((size_t)rr[4] << 8) | rr[5];
}
static inline const uint8_t *dns_rr_rdata(const uint8_t *rr)
{
    return rr + DNS_RR_HEAD;
}
/* The record after rr. */
static inline const uint8_t *dns_rr_next(const uint8_t *rr)
{
    return rr + DNS_RR_HEAD + dns_rr_rdlen(rr);
}

struct dns_node {
    struct dns_node *next;   /* hash chain */
    uint32_t hash;
    struct dns_rrset *rrsets;
    uint8_t name[];          /* wire form, case as first written in the zone */
};

struct dns_zone {
    struct dns_zone *next;   /* in the zone set */
    uint8_t origin[DNS_NAME_MAX];
    unsigned origin_labels;  /* dns_name_labels(origin) */
    struct dns_node **buckets;
    size_t nbuckets, nnodes, nrecords;
    struct dns_node *apex;
    const struct dns_rrset *soa;
};

struct dns_zoneset {
    struct dns_zone *zones;
};

struct dns_zone *dns_zone_new(const uint8_t *origin);
void dns_zone_free(struct dns_zone *zone);

/*
 * Adds one record (rdata in wire form, names uncompressed). A record equal to one already held
 * is ignored, as in NSD. Returns 0, or -1 with a reason in *why (static text).
 */
int dns_zone_add(struct dns_zone *zone, const uint8_t *owner, uint16_t type, uint32_t ttl,
                 const uint8_t *rdata, size_t rdlen, const char **why);

/* Checks the zone (one SOA at the apex, CNAME alone) and creates the empty non-terminals. */
int dns_zone_finish(struct dns_zone *zone, const char **why);

/* The node of exactly this name, or NULL. Case-insensitive. */
struct dns_node *dns_zone_find(const struct dns_zone *zone, const uint8_t *name);
const struct dns_rrset *dns_node_rrset(const struct dns_node *node, uint16_t type);

/* The zone whose origin is the closest enclosing name of qname, or NULL. */
const struct dns_zone *dns_zoneset_find(const struct dns_zoneset *set, const uint8_t *qname);
/* Adds a finished zone; -1 if a zone of that origin is already there. */
int dns_zoneset_add(struct dns_zoneset *set, struct dns_zone *zone);
void dns_zoneset_free(struct dns_zoneset *set);

#endif
