/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the zone-file parser and zone storage (apps/dns/dns_zparse.c, dns_rdata.c,
 * dns_zone.c): every supported syntax and type, errors with their line, empty non-terminals,
 * and lookups in a zone of 20,000 names (the hash table grows). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_rdata.h"
#include "../../apps/dns/dns_zparse.h"
#include "check.h"

static char err[512];

static struct dns_zone *parse(const char *text)
{
    uint8_t origin[DNS_NAME_MAX];
    dns_name_from_text("example.com.", 12, NULL, origin);
    err[0] = '\0';
    return dns_zparse("t.zone", text, strlen(text), origin, err, sizeof(err));
}

static const struct dns_rrset *rrset(const struct dns_zone *z, const char *name, uint16_t type)
{
    uint8_t n[DNS_NAME_MAX];
    if (dns_name_from_text(name, strlen(name), NULL, n) < 0)
        return NULL;
    const struct dns_node *node = dns_zone_find(z, n);
    return node ? dns_node_rrset(node, type) : NULL;
}

/* The first record's rdata equals want (len bytes). */
static int rdata_is(const struct dns_rrset *s, const void *want, size_t len)
{
    return s && s->size >= DNS_RR_HEAD && dns_rr_rdlen(s->data) == len && memcmp(dns_rr_rdata(s->data), want, len) == 0;
}

static int error_is(const char *text, const char *want)
{
    struct dns_zone *z = parse(text);
    dns_zone_free(z);
    if (!z && strstr(err, want))
        return 1;
    printf("  got '%s', want '%s'\n", err, want);
    return 0;
}

static const char zone[] =
    "; a comment line\n"
    "$TTL 1h\n"
    "@ IN SOA ns1 hostmaster.example.com. (\n"
    "      42 ; serial\n"
    "      2h 30m 2w\n"
    "      300 )\n"
    "  NS ns1\n"
    "  IN 600 MX 10 mail\n"
    "ns1 A 192.0.2.53\n"
    "  AAAA 2001:db8::53\n"
    "v4map AAAA ::ffff:192.0.2.1\n"
    "full AAAA 2001:db8:1:2:3:4:5:6\n"
    "_sip._tcp SRV 1 2 5060 sip.example.net.\n"
    "txt TXT \"a b\" c \"q\\\"\" \"\\065\"\n"
    "ptr PTR host\n"
    "alias 60 IN CNAME target\n"
    "$ORIGIN sub.example.com.\n"
    "deep.x A 10.0.0.1\n"
    "Case.Mixed A 10.0.0.2\n";

int main(void)
{
    struct dns_zone *z = parse(zone);
    CHECK(z != NULL, "zone.parses");
    if (!z) {
        printf("  %s\n", err);
        return 1;
    }
    const struct dns_rrset *soa = rrset(z, "example.com.", DNS_T_SOA);
    CHECK(soa && soa->ttl == 3600 && z->soa == soa, "zone.soa-ttl-from-$TTL-with-units");
    static const uint8_t soa_rd[] = "\3ns1\7example\3com\0\12hostmaster\7example\3com\0"
                                    "\0\0\0\52\0\0\x1c\x20\0\0\x07\x08\0\x12\x75\0\0\0\x01\x2c";
    CHECK(rdata_is(soa, soa_rd, sizeof(soa_rd) - 1), "zone.soa-rdata-across-parentheses");
    const struct dns_rrset *mx = rrset(z, "example.com.", DNS_T_MX);
    CHECK(mx && mx->ttl == 600 && rdata_is(mx, "\0\12\4mail\7example\3com", 20), "zone.mx-class-before-ttl");
    CHECK(rdata_is(rrset(z, "example.com.", DNS_T_NS), "\3ns1\7example\3com", 17), "zone.ns-owner-omitted");
    CHECK(rdata_is(rrset(z, "ns1.example.com.", DNS_T_A), "\xc0\0\2\x35", 4), "zone.a");
    CHECK(rdata_is(rrset(z, "ns1.example.com.", DNS_T_AAAA),
                   "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x53", 16), "zone.aaaa-compressed-zeros");
    CHECK(rdata_is(rrset(z, "v4map.example.com.", DNS_T_AAAA),
                   "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\0\2\1", 16), "zone.aaaa-embedded-ipv4");
    CHECK(rdata_is(rrset(z, "full.example.com.", DNS_T_AAAA),
                   "\x20\x01\x0d\xb8\0\1\0\2\0\3\0\4\0\5\0\6", 16), "zone.aaaa-full");
    CHECK(rdata_is(rrset(z, "_sip._tcp.example.com.", DNS_T_SRV), "\0\1\0\2\x13\xc4\3sip\7example\3net", 23),
          "zone.srv");
    CHECK(rdata_is(rrset(z, "txt.example.com.", DNS_T_TXT), "\3a b\1c\2q\"\1A", 11), "zone.txt-strings-and-escapes");
    CHECK(rdata_is(rrset(z, "ptr.example.com.", DNS_T_PTR), "\4host\7example\3com", 18), "zone.ptr-relative");
    const struct dns_rrset *cn = rrset(z, "alias.example.com.", DNS_T_CNAME);
    CHECK(cn && cn->ttl == 60, "zone.cname-ttl-before-class");
    CHECK(rrset(z, "deep.x.sub.example.com.", DNS_T_A) != NULL, "zone.$ORIGIN-changes-relative-names");
    uint8_t n[DNS_NAME_MAX];
    dns_name_from_text("x.sub.example.com.", 18, NULL, n);
    const struct dns_node *ent = dns_zone_find(z, n);
    CHECK(ent && !ent->rrsets, "zone.empty-non-terminal-created");
    CHECK(rrset(z, "CASE.mixed.SUB.example.COM.", DNS_T_A) != NULL, "zone.lookup-case-insensitive");
    CHECK(rrset(z, "nothere.example.com.", DNS_T_A) == NULL, "zone.missing-name");
    dns_zone_free(z);

    const char *soa_line = "@ 3600 SOA ns h 1 2 3 4 5\n";
    char text[600];
    snprintf(text, sizeof(text), "%swww A 192.0.2.1\nwww A 192.0.2.1\n", soa_line);
    z = parse(text);
    CHECK(z && z->nrecords == 2, "zone.duplicate-record-ignored");
    dns_zone_free(z);

    /* Records of one RRset with different TTLs keep their own (NSD serves each one's TTL); a
     * duplicate with another TTL is still a duplicate, and the first one read stays. */
    snprintf(text, sizeof(text), "%sm 300 A 192.0.2.1\nm 600 A 192.0.2.2\nm 60 A 192.0.2.3\nm 5 A 192.0.2.1\n",
             soa_line);
    z = parse(text);
    const struct dns_rrset *m = z ? rrset(z, "m.example.com.", DNS_T_A) : NULL;
    const uint8_t *rr2 = m && m->count == 3 ? dns_rr_next(m->data) : NULL;
    CHECK(m && m->ttl == 300 && dns_rr_ttl(m->data) == 300 && rr2 && dns_rr_ttl(rr2) == 600 &&
          dns_rr_rdata(rr2)[3] == 2 && dns_rr_ttl(dns_rr_next(rr2)) == 60 &&
          dns_rr_next(dns_rr_next(rr2)) == m->data + m->size, "zone.ttl-per-record");
    dns_zone_free(z);

    CHECK(error_is("www A 192.0.2.1\n", "t.zone:1: the first record must be the zone's SOA"), "error.soa-first");
    CHECK(error_is("@ SOA ns h 1 2 3 4 5\n", "t.zone:1: no TTL"), "error.no-ttl");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\n\n\nwww A 1.2.3\n", "t.zone:4: bad IPv4 address"), "error.line-number");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww 1 IN ( A\n\n 1.2.3.4 x )\n", "t.zone:2: wrong number of fields"),
          "error.line-of-multiline-entry");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww AAAA 1::2::3\n", "bad IPv6 address"), "error.ipv6-two-gaps");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww AAAA 1:2:3:4:5:6:7:8:9\n", "bad IPv6 address"), "error.ipv6-too-long");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww MX 70000 mail\n", "bad MX preference"), "error.mx-preference-range");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\n@ 1 SOA ns h 1 2 3 4 6\n", "more than one SOA"), "error.two-soa");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww.example.net. A 1.2.3.4\n", "outside the zone"), "error.out-of-zone");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww CNAME a\nwww CNAME b\n", "t.zone:3: more than one CNAME"), "error.two-cnames");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww A 1.2.3.4\nwww CNAME b\n", "CNAME and other data"), "error.cname-and-data");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\n$FOO bar\n", "unknown directive '$FOO'"), "error.unknown-directive");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww CH A 1.2.3.4\n", "only class IN"), "error.class-ch");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww 1h30 A 1.2.3.4\n", "bad TTL"), "error.ttl-units-mixed");
    CHECK(error_is("@ 1 SOA ns h 1 2 3 4 5\nwww 4294967296 A 1.2.3.4\n", "bad TTL"), "error.ttl-too-big");
    CHECK(error_is("", "no records"), "error.empty-file");
    CHECK(error_is("$ORIGIN\n", "t.zone:1: $ORIGIN wants one domain name"), "error.origin-without-name");

    uint32_t ttl;
    CHECK(dns_ttl_from_text("1w2d3h4m5s", 10, &ttl) == 0 && ttl == 604800 + 2 * 86400 + 3 * 3600 + 4 * 60 + 5, "ttl.units");
    CHECK(dns_ttl_from_text("h", 1, &ttl) < 0, "ttl.unit-without-number");

    /* 20,000 names: the table grows from 64 buckets and every name is still found. */
    size_t cap = 64 + 20000 * 32;
    char *big = malloc(cap);
    size_t len = (size_t)snprintf(big, cap, "%s", soa_line);
    for (int i = 0; i < 20000; i++)
        len += (size_t)snprintf(big + len, cap - len, "h%d A 10.%d.%d.%d\n", i, i >> 16, (i >> 8) & 255, i & 255);
    uint8_t origin[DNS_NAME_MAX];
    dns_name_from_text("example.com.", 12, NULL, origin);
    z = dns_zparse("big.zone", big, len, origin, err, sizeof(err));
    int all = z != NULL;
    for (int i = 0; z && i < 20000 && all; i++) {
        char name[64];
        snprintf(name, sizeof(name), "H%d.EXAMPLE.com.", i);
        const struct dns_rrset *a = rrset(z, name, DNS_T_A);
        all = a && dns_rr_rdata(a->data)[3] == (i & 255);
    }
    CHECK(all && z->nnodes == 20001 && z->nbuckets >= 16384, "zone.20000-names-found");
    dns_zone_free(z);
    free(big);
    return CHECK_DONE();
}
