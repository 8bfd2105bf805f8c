/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of zone transfer out (apps/dns/dns_axfr.c): which queries start one, the SOA at
 * both ends with every record in between once, and the same records when messages are small
 * enough that the transfer splits across many. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_answer.h"
#include "../../apps/dns/dns_axfr.h"
#include "../../apps/dns/dns_zparse.h"
#include "check.h"
#include "dns_fixture.h"

static struct dns_zoneset zones;
static struct dns_zone *example;
static uint8_t out[65535];

static struct dns_zone *load(const char *path, const char *origin_text)
{
    return dns_fixture_load(&zones, path, origin_text);
}

static size_t query(uint8_t *q, const char *name, uint16_t type, uint16_t opcode)
{
    memset(q, 0, 12);
    q[0] = 0xab, q[1] = 0xcd, q[2] = (uint8_t)(opcode << 3), q[5] = 1;
    size_t len = 12;
    dns_name_from_text(name, strlen(name), NULL, q + len);
    len += dns_name_len(q + len);
    dns_put16(q, len, type);
    dns_put16(q, len + 2, DNS_CLASS_IN);
    return len + 4;
}

/* The bytes of the (possibly compressed) name at p. */
static size_t skip_name(const uint8_t *m, size_t p)
{
    while (m[p] && (m[p] & 0xc0) != 0xc0)
        p += 1 + m[p];
    return p + (m[p] ? 2 : 1);
}

struct transfer {
    unsigned messages, records, questions, max_len;
    int ok;                   /* every message well-formed: QR AA NOERROR, id kept */
    uint16_t types[256];      /* type and TTL of each record, in order */
    uint32_t ttls[256];
};

/* Runs a whole transfer of name in messages of at most size bytes. */
static int transfer(const char *name, size_t size, struct transfer *t)
{
    uint8_t q[300];
    size_t qlen = query(q, name, DNS_T_AXFR, 0);
    struct dns_axfr x;
    memset(t, 0, sizeof(*t));
    if (!dns_axfr_start(&zones, q, qlen, &x))
        return -1;
    t->ok = 1;
    size_t n;
    while ((n = dns_axfr_next(&x, out, size)) > 0 && t->messages < 1000) {
        t->messages++;
        if (n > t->max_len)
            t->max_len = (unsigned)n;
        t->ok &= dns_get16(out, 0) == 0xabcd && dns_get16(out, 2) == (DNS_FLAG_QR | DNS_FLAG_AA);
        uint16_t qd = dns_get16(out, 4), an = dns_get16(out, 6);
        t->questions += qd;
        size_t p = DNS_HEADER;
        if (qd)
            p = skip_name(out, p) + 4;
        for (uint16_t i = 0; i < an && p < n; i++) {
            p = skip_name(out, p);
            if (t->records < 256) {
                t->types[t->records] = dns_get16(out, p);
                t->ttls[t->records] = (uint32_t)dns_get16(out, p + 4) << 16 | dns_get16(out, p + 6);
            }
            t->records++;
            p += 10 + dns_get16(out, p + 8);
        }
        t->ok &= p == n;
    }
    return 0;
}

int main(void)
{
    example = load("apps/dns/files/example.com.zone", "example.com.");
    if (!example || !load("apps/dns/files/2.0.192.in-addr.arpa.zone", "2.0.192.in-addr.arpa.")) {
        printf("FAIL axfr.load-example-zones\n");
        return 1;
    }
    uint8_t q[300];
    struct dns_axfr x;
    size_t qlen = query(q, "www.example.com.", DNS_T_AXFR, 0);
    CHECK(!dns_axfr_start(&zones, q, qlen, &x), "axfr.not-at-apex-not-taken");
    qlen = query(q, "example.org.", DNS_T_AXFR, 0);
    CHECK(!dns_axfr_start(&zones, q, qlen, &x), "axfr.other-zone-not-taken");
    qlen = query(q, "example.com.", DNS_T_SOA, 0);
    CHECK(!dns_axfr_start(&zones, q, qlen, &x), "axfr.soa-query-not-taken");
    qlen = query(q, "example.com.", DNS_T_AXFR, 2);
    CHECK(!dns_axfr_start(&zones, q, qlen, &x), "axfr.status-opcode-not-taken");
    /* What is not taken is dns_answer's: AXFR refused, over UDP and TCP alike. */
    qlen = query(q, "www.example.com.", DNS_T_AXFR, 0);
    CHECK(dns_answer(&zones, q, qlen, 1, out, sizeof(out)) > 12 && (out[3] & 15) == DNS_RCODE_REFUSED,
          "axfr.not-apex-refused");
    qlen = query(q, "example.com.", DNS_T_AXFR, 0);
    CHECK(dns_answer(&zones, q, qlen, 0, out, sizeof(out)) > 12 && (out[3] & 15) == DNS_RCODE_REFUSED,
          "axfr.udp-refused");

    static struct transfer one, many;
    int rc = transfer("ExAmPlE.com.", 65535, &one);
    CHECK(rc == 0 && one.ok && one.messages == 1 && one.questions == 1, "axfr.one-message");
    /* The SOA at both ends and every other record once: nrecords counts the SOA once. */
    CHECK(one.records == example->nrecords + 1 && one.types[0] == DNS_T_SOA &&
          one.types[one.records - 1] == DNS_T_SOA, "axfr.soa-records-soa");
    unsigned soas = 0;
    for (unsigned i = 0; i < one.records && i < 256; i++)
        soas += one.types[i] == DNS_T_SOA;
    CHECK(soas == 2, "axfr.soa-only-at-the-ends");
    /* Each record's own TTL: the three of ttls.example.com. */
    unsigned seen = 0;
    for (unsigned i = 0; i < one.records && i < 256; i++)
        seen |= one.types[i] == DNS_T_A ? (one.ttls[i] == 300) | (one.ttls[i] == 600) << 1 | (one.ttls[i] == 60) << 2 : 0;
    CHECK(seen == 7, "axfr.ttl-per-record");

    rc = transfer("example.com.", 512, &many);
    CHECK(rc == 0 && many.ok && many.messages > 3 && many.max_len <= 512 && many.questions == 1,
          "axfr.split-in-512-byte-messages");
    CHECK(many.records == one.records && memcmp(many.types, one.types, sizeof(one.types)) == 0 &&
          memcmp(many.ttls, one.ttls, sizeof(one.ttls)) == 0, "axfr.split-same-records");

    rc = transfer("2.0.192.in-addr.arpa.", 65535, &one);
    CHECK(rc == 0 && one.ok && one.records >= 3 && one.types[0] == DNS_T_SOA, "axfr.second-zone");
    dns_zoneset_free(&zones);
    return CHECK_DONE();
}
