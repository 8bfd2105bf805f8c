/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The authoritative answer to one query: zone selection (REFUSED when none), exact matches,
 * wildcards, CNAME chasing within the served zones, referrals at zone cuts (NS plus glue, AA
 * off), NXDOMAIN and NODATA with the SOA, EDNS0, and truncation (TC) when the UDP size does not
 * allow the answer.
 */
#ifndef DNS_ANSWER_H
#define DNS_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "dns_zone.h"

#define DNS_EDNS_SIZE 1232 /* our advertised UDP payload size (the DNS flag day 2020 value) */

/*
 * Builds the response to the query msg (len bytes) into out (outsize bytes; 65535 holds any
 * answer). tcp: the query came over TCP (no size limit but 65535). Returns the response length,
 * or 0 when the query must be dropped unanswered.
 */
size_t dns_answer(const struct dns_zoneset *zones, const uint8_t *msg, size_t len, int tcp,
                  uint8_t *out, size_t outsize);

/*
 * A cache of UDP responses by query, like PowerDNS's packet cache. Zones never change once
 * loaded, so a UDP response is a function of the query's bytes but for the ID it echoes: a
 * query seen before is answered with a copy of that response, its ID patched in. Two-way set
 * associative by a hash of the query (a new query replaces the less recently used of its set);
 * queries of up to DNS_CACHE_QUERY_MAX bytes, responses up to DNS_EDNS_SIZE: at most
 * DNS_CACHE_SLOTS * 1.7 KiB (870 KiB) of responses kept.
 */
#define DNS_CACHE_SETS 256
#define DNS_CACHE_SLOTS (2 * DNS_CACHE_SETS)
#define DNS_CACHE_QUERY_MAX 512

struct dns_cache_slot {
    uint32_t hash;
    uint16_t qlen, alen;
    uint8_t *data; /* the query's bytes after its ID (qlen - 2), then the response (alen) */
};

struct dns_cache {
    struct dns_cache_slot slots[DNS_CACHE_SLOTS]; /* set i: slots 2i and 2i + 1 */
    uint8_t recent[DNS_CACHE_SETS];                /* per set: the way used last */
    unsigned long hits, misses;
};

/* dns_answer for a UDP query, through the cache (zero-initialised before first use). */
size_t dns_answer_cached(struct dns_cache *cache, const struct dns_zoneset *zones, const uint8_t *msg,
                         size_t len, uint8_t *out, size_t outsize);
void dns_cache_free(struct dns_cache *cache);

#endif
