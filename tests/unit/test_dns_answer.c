/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of answer construction (apps/dns/dns_answer.c, dns_msg.c) on the app's example
 * zones: rcodes, flags, sections, compression, EDNS0 sizes, truncation, and a property over
 * random and mutated queries: never more than the size limit, never a crash (ASan/UBSan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_answer.h"
#include "../../apps/dns/dns_msg.h"
#include "../../apps/dns/dns_zparse.h"
#include "check.h"
#include "dns_fixture.h"

static struct dns_zoneset zones;
static uint8_t out[65535];

static int load(const char *path, const char *origin_text)
{
    return dns_fixture_load(&zones, path, origin_text) ? 0 : -1;
}

/* A query: id 0x1234, RD, one question; edns_size 0: no OPT; version: EDNS version. */
static size_t query(uint8_t *q, const char *name, uint16_t type, uint16_t edns_size, uint8_t version)
{
    memset(q, 0, 12);
    q[0] = 0x12, q[1] = 0x34, q[2] = 0x01, q[5] = 1;
    size_t len = 12;
    dns_name_from_text(name, strlen(name), NULL, q + len);
    len += dns_name_len(q + len);
    dns_put16(q, len, type);
    dns_put16(q, len + 2, DNS_CLASS_IN);
    len += 4;
    if (edns_size) {
        q[11] = 1;
        static const uint8_t opt[] = {0, 0, 41, 0, 0, 0, 0, 0, 0, 0, 0};
        memcpy(q + len, opt, sizeof(opt));
        dns_put16(q, len + 3, edns_size);
        q[len + 6] = version;
        len += sizeof(opt);
    }
    return len;
}

static size_t ask(const char *name, uint16_t type, uint16_t edns, int tcp)
{
    uint8_t q[600];
    size_t len = query(q, name, type, edns, 0);
    return dns_answer(&zones, q, len, tcp, out, sizeof(out));
}

static int rcode(void) { return out[3] & 15; }
static int flag(uint16_t f) { return (dns_get16(out, 2) & f) != 0; }
static int count(int i) { return dns_get16(out, 4 + 2 * i); }

int main(void)
{
    if (load("apps/dns/files/example.com.zone", "example.com.") < 0 ||
        load("apps/dns/files/2.0.192.in-addr.arpa.zone", "2.0.192.in-addr.arpa.") < 0) {
        printf("FAIL answer.load-example-zones\n");
        return 1;
    }
    size_t n = ask("example.com.", DNS_T_A, 0, 0);
    CHECK(n > 12 && rcode() == 0 && flag(DNS_FLAG_QR) && flag(DNS_FLAG_AA) && flag(DNS_FLAG_RD) &&
          dns_get16(out, 0) == 0x1234 && count(0) == 1 && count(1) == 1, "answer.noerror-a");
    /* The answer's owner is a pointer to the question at offset 12. */
    CHECK(out[12 + 13 + 4] == 0xc0 && out[12 + 13 + 5] == 12, "answer.owner-compressed-to-question");

    /* Each record with its own TTL, as NSD serves an RRset whose TTLs differ (question: 34
     * bytes, then records of 16 with the TTL at 6). */
    n = ask("ttls.example.com.", DNS_T_A, 0, 0);
    CHECK(count(1) == 3 && dns_get16(out, 40) == 0 && dns_get16(out, 42) == 300 && dns_get16(out, 58) == 600 &&
          dns_get16(out, 74) == 60, "answer.ttl-per-record");

    n = ask("WwW.ExAmPlE.CoM.", DNS_T_A, 0, 0);
    CHECK(n > 12 && memcmp(out + 12, "\3WwW\7ExAmPlE\3CoM", 17) == 0 && count(1) == 3, "answer.case-kept-cname-chased");
    ask("nothere.example.com.", DNS_T_A, 0, 0);
    CHECK(rcode() == DNS_RCODE_NXDOMAIN && flag(DNS_FLAG_AA) && count(1) == 0 && count(2) == 1, "answer.nxdomain-soa");
    ask("mail.example.com.", DNS_T_TXT, 0, 0);
    CHECK(rcode() == 0 && count(1) == 0 && count(2) == 1, "answer.nodata-soa");
    ask("b.example.com.", DNS_T_A, 0, 0);
    CHECK(rcode() == 0 && count(1) == 0 && count(2) == 1, "answer.empty-non-terminal-nodata");
    ask("example.org.", DNS_T_A, 0, 0);
    CHECK(rcode() == DNS_RCODE_REFUSED && !flag(DNS_FLAG_AA) && count(0) == 1, "answer.refused-other-zone");
    ask("a.b.sub.example.com.", DNS_T_A, 0, 0);
    CHECK(rcode() == 0 && !flag(DNS_FLAG_AA) && count(1) == 0 && count(2) == 2 && count(3) == 2, "answer.referral-with-glue");
    ask("sub.example.com.", DNS_T_DS, 0, 0);
    CHECK(rcode() == 0 && flag(DNS_FLAG_AA) && count(2) == 1, "answer.ds-at-cut-from-parent");
    ask("loop1.example.com.", DNS_T_A, 0, 0);
    CHECK(rcode() == 0 && count(1) == 2, "answer.cname-loop-stops");
    ask("reverse.example.com.", DNS_T_PTR, 0, 0);
    CHECK(rcode() == 0 && count(1) == 2, "answer.cname-across-served-zones");

    n = ask("big.example.com.", DNS_T_TXT, 0, 0);
    CHECK(n <= 512 && flag(DNS_FLAG_TC) && count(1) == 0, "answer.tc-at-512");
    n = ask("big.example.com.", DNS_T_TXT, 4096, 0);
    CHECK(n > 512 && n <= DNS_EDNS_SIZE && !flag(DNS_FLAG_TC) && count(1) == 5 && count(3) >= 1, "answer.edns-size-honoured");
    n = ask("big.example.com.", DNS_T_TXT, 100, 0);
    CHECK(n <= 512 && flag(DNS_FLAG_TC), "answer.edns-below-512-means-512");
    n = ask("huge.example.com.", DNS_T_TXT, 4096, 0);
    CHECK(n <= DNS_EDNS_SIZE && flag(DNS_FLAG_TC), "answer.capped-at-our-edns-size");
    n = ask("huge.example.com.", DNS_T_TXT, 0, 1);
    CHECK(n > DNS_EDNS_SIZE && !flag(DNS_FLAG_TC) && count(1) == 12, "answer.tcp-no-limit");

    uint8_t q[600];
    size_t len = query(q, "example.com.", DNS_T_A, 1232, 1);
    dns_answer(&zones, q, len, 0, out, sizeof(out));
    CHECK((out[3] & 15) == 0 && count(1) == 0 && count(3) == 1, "answer.badvers-header");
    len = query(q, "example.com.", DNS_T_A, 0, 0);
    q[5] = 0;
    n = dns_answer(&zones, q, len, 0, out, sizeof(out));
    CHECK(n == 12 && rcode() == DNS_RCODE_FORMERR, "answer.formerr-no-question");
    len = query(q, "example.com.", DNS_T_A, 0, 0);
    n = dns_answer(&zones, q, len - 3, 0, out, sizeof(out));
    CHECK(n == 12 && rcode() == DNS_RCODE_FORMERR, "answer.formerr-short-question");
    len = query(q, "example.com.", DNS_T_A, 0, 0);
    q[7] = 1;
    dns_answer(&zones, q, len, 0, out, sizeof(out));
    CHECK(rcode() == DNS_RCODE_FORMERR, "answer.formerr-answer-in-query");
    len = query(q, "example.com.", DNS_T_A, 1232, 0);
    q[11] = 2;
    memcpy(q + len, q + len - 11, 11);
    dns_answer(&zones, q, len + 11, 0, out, sizeof(out));
    CHECK(rcode() == DNS_RCODE_FORMERR, "answer.formerr-two-opt");
    len = query(q, "example.com.", DNS_T_A, 0, 0);
    q[2] = 0x10; /* opcode 2 (STATUS) */
    n = dns_answer(&zones, q, len, 0, out, sizeof(out));
    CHECK(n == 12 && rcode() == DNS_RCODE_NOTIMP && ((out[2] >> 3) & 15) == 2, "answer.notimp-opcode");
    q[2] = 0x80; /* a response */
    CHECK(dns_answer(&zones, q, len, 0, out, sizeof(out)) == 0, "answer.response-dropped");
    CHECK(dns_answer(&zones, q, 11, 0, out, sizeof(out)) == 0, "answer.short-dropped");

    /* Property: random mutations of valid queries stay within the size limit. */
    static const char *names[] = {"example.com.", "big.example.com.", "huge.example.com.", "www.example.com.",
                                  "x.sub.example.com.", "nothere.example.com.", "1.2.0.192.in-addr.arpa."};
    static const uint16_t types[] = {DNS_T_A, DNS_T_TXT, DNS_T_MX, DNS_T_ANY, DNS_T_NS, DNS_T_SOA, DNS_T_PTR};
    int within = 1;
    srand(7);
    for (int i = 0; i < 50000 && within; i++) {
        uint16_t edns = (uint16_t)(i % 3 == 0 ? 0 : rand() % 5000);
        len = query(q, names[rand() % 7], types[rand() % 7], edns, 0);
        for (int k = rand() % 4; k > 0; k--)
            q[rand() % len] = (uint8_t)rand();
        if (rand() % 4 == 0)
            len = (size_t)rand() % (len + 1);
        int tcp = rand() % 5 == 0;
        n = dns_answer(&zones, q, len, tcp, out, sizeof(out));
        struct dns_query pq;
        dns_query_parse(q, len, &pq);
        size_t limit = tcp ? 65535 : 512;
        if (!tcp && pq.edns && pq.udp_size > 512)
            limit = pq.udp_size < DNS_EDNS_SIZE ? pq.udp_size : DNS_EDNS_SIZE;
        within = n <= limit && (n == 0 || n >= 12);
        if (!within)
            printf("  query %d: %zu bytes answered with %zu (limit %zu)\n", i, len, n, limit);
    }
    CHECK(within, "answer.random-queries-within-limits");
    dns_zoneset_free(&zones);
    return CHECK_DONE();
}
