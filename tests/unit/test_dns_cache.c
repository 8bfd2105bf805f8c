/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the UDP response cache (apps/dns/dns_answer.c, dns_answer_cached) on the app's
 * example zones: every response through the cache must be byte for byte what dns_answer gives
 * for that query, ID included, whether it was a hit or a miss; over queries repeated with new
 * IDs, spelled in other case, with and without EDNS, mutated at random, and more distinct
 * queries than the cache has slots (evictions, hash collisions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_answer.h"
#include "../../apps/dns/dns_msg.h"
#include "../../apps/dns/dns_zparse.h"
#include "check.h"
#include "dns_fixture.h"

static struct dns_zoneset zones;
static struct dns_cache cache;
static uint8_t want[65535], got[65535];

static int load(const char *path, const char *origin_text)
{
    return dns_fixture_load(&zones, path, origin_text) ? 0 : -1;
}

static uint32_t rng_state = 2463534242u;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* A query for name/type with a random ID, case flipped at random, EDNS with a size or not. */
static size_t query(uint8_t *q, const char *name, uint16_t type, int flip, uint16_t edns)
{
    memset(q, 0, 12);
    q[0] = (uint8_t)rnd(), q[1] = (uint8_t)rnd(), q[2] = 0x01, q[5] = 1;
    size_t len = 12;
    dns_name_from_text(name, strlen(name), NULL, q + len);
    size_t n = dns_name_len(q + len);
    for (size_t i = 0; flip && i < n; i++)
        if (rnd() % 2 && ((q[len + i] >= 'a' && q[len + i] <= 'z') || (q[len + i] >= 'A' && q[len + i] <= 'Z')))
            q[len + i] ^= 0x20;
    len += n;
    dns_put16(q, len, type);
    dns_put16(q, len + 2, DNS_CLASS_IN);
    len += 4;
    if (edns) {
        static const uint8_t opt[] = {0, 0, 41, 0, 0, 0, 0, 0, 0, 0, 0};
        q[11] = 1;
        memcpy(q + len, opt, sizeof(opt));
        dns_put16(q, len + 3, edns);
        len += sizeof(opt);
    }
    return len;
}

/* 1 when the cache's response to q equals dns_answer's. */
static int same(const uint8_t *q, size_t len)
{
    size_t a = dns_answer(&zones, q, len, 0, want, sizeof(want));
    size_t b = dns_answer_cached(&cache, &zones, q, len, got, sizeof(got));
    return a == b && memcmp(want, got, a) == 0;
}

int main(void)
{
    if (load("apps/dns/files/example.com.zone", "example.com.") < 0 ||
        load("apps/dns/files/2.0.192.in-addr.arpa.zone", "2.0.192.in-addr.arpa.") < 0) {
        printf("FAIL cache.load-example-zones\n");
        return 1;
    }
    static const char *const names[] = {"example.com.", "www.example.com.", "nothere.example.com.",
                                        "x.sub.example.com.", "q.wild.example.com.", "big.example.com.",
                                        "huge.example.com.", "chain1.example.com.", "1.2.0.192.in-addr.arpa.",
                                        "example.org.", "_sip._tcp.example.com.", "loop1.example.com."};
    static const uint16_t types[] = {DNS_T_A, DNS_T_NS, DNS_T_MX, DNS_T_TXT, DNS_T_AAAA, DNS_T_SRV,
                                     DNS_T_PTR, DNS_T_ANY, DNS_T_AXFR, DNS_T_SOA, 99};
    static const uint16_t ednss[] = {0, 512, 1232, 4096, 600};
    uint8_t q[600];

    /* The same queries again and again with new IDs: hits, each with its own ID. */
    int ok = 1;
    unsigned long hits0 = cache.hits;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
                size_t len = query(q, names[i], types[t], 0, ednss[(i + t) % 5]);
                ok &= same(q, len);
            }
    CHECK(ok, "cache.repeated-queries-same-as-uncached");
    printf("INFO cache.hits %lu of %d repeats\n", cache.hits - hits0, 2 * 12 * 11);
    CHECK(cache.hits - hits0 >= 2 * 12 * 11 * 3 / 4, "cache.repeated-queries-hit"); /* sets may overflow */

    /* Other spellings of a name are other queries: answered with their own spelling. */
    ok = 1;
    for (int round = 0; round < 200; round++) {
        size_t len = query(q, names[rnd() % 12], types[rnd() % 11], 1, ednss[rnd() % 5]);
        ok &= same(q, len);
    }
    CHECK(ok, "cache.case-variants-same-as-uncached");

    /* Mutated queries (malformed, responses, truncated) and far more of them than slots. */
    ok = 1;
    for (int round = 0; round < 20000; round++) {
        size_t len = query(q, names[rnd() % 12], types[rnd() % 11], 1, ednss[rnd() % 5]);
        for (uint32_t m = rnd() % 4; m > 0; m--)
            q[rnd() % len] = (uint8_t)rnd();
        if (rnd() % 8 == 0)
            len = rnd() % len + 1;
        ok &= same(q, len);
        if (rnd() % 4 == 0) /* and the same again with a new ID */
            q[0] ^= 0x5a, ok &= same(q, len);
    }
    CHECK(ok, "cache.mutated-queries-same-as-uncached");

    /* A name can point into the ID (here the question's name is the 0-label at ID byte 0 when
     * the ID starts with 0, else a bad label): the same query with another ID is another one. */
    ok = 1;
    for (int round = 0; round < 64; round++) {
        static const uint8_t tail[] = {0xc0, 0x00, 0, 1, 0, 1};
        memset(q, 0, 12);
        q[0] = (uint8_t)(round % 3 ? 0 : 0x41), q[1] = (uint8_t)round, q[5] = 1;
        memcpy(q + 12, tail, sizeof(tail));
        ok &= same(q, 12 + sizeof(tail));
    }
    CHECK(ok, "cache.name-pointing-into-the-id");

    /* A response longer than a UDP one is never kept: the caller's buffer decides nothing. */
    size_t len = query(q, "www.example.com.", DNS_T_A, 0, 0);
    CHECK(dns_answer_cached(&cache, &zones, q, len, got, 600) == dns_answer(&zones, q, len, 0, want, 600) &&
              memcmp(got, want, 12) == 0,
          "cache.small-buffer-bypasses");
    dns_cache_free(&cache);
    dns_zoneset_free(&zones);
    return CHECK_DONE();
}
