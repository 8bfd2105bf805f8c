/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the router's packet helpers (apps/router/pkt.c): the Internet checksum, IPv4
 * header checks, the incremental checksum update of a TTL change, MPLS label stack entries, and
 * ICMP errors with the RFC 4884 extension structure carrying an RFC 4950 label stack (length
 * field, 128-byte padding, checksums). */
#include <arpa/inet.h>
#include <string.h>

#include "../../apps/router/pkt.h"
#include "check.h"

/* A valid IPv4 ICMP echo request of `total` bytes (payload bytes are 0xab) with TTL ttl. */
static size_t make_probe(uint8_t *p, size_t total, uint8_t ttl)
{
    memset(p, 0xab, total);
    uint8_t *icmp = p + 20;
    icmp[0] = 8;
    icmp[1] = 0;
    pkt_put16(icmp + 2, 0);
    pkt_put32(icmp + 4, 0x12340001);
    pkt_put16(icmp + 2, pkt_checksum(icmp, total - 20));
    pkt_ip_header(p, total, 0x4242, ttl, PKT_IP_ICMP, inet_addr("10.1.0.1"), inet_addr("10.1.0.14"));
    return total;
}

static void test_checksum(void)
{
    /* RFC 1071's example: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2, checksum 220d */
    static const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    CHECK(pkt_checksum(data, sizeof(data)) == 0x220d, "router_pkt.checksum-rfc1071");
    static const uint8_t odd[] = {0x01, 0x02, 0x03};
    CHECK(pkt_checksum(odd, 3) == (uint16_t)~0x0402, "router_pkt.checksum-odd-length");
    uint8_t p[64];
    make_probe(p, 64, 9);
    size_t hlen, total;
    CHECK(pkt_ip_check(p, 64, &hlen, &total) == 0 && hlen == 20 && total == 64, "router_pkt.ip-valid");
    pkt_ip_set_ttl(p, 8);
    CHECK(p[8] == 8 && pkt_ip_check(p, 64, &hlen, &total) == 0, "router_pkt.set-ttl-keeps-checksum-valid");
    p[15] ^= 1;
    CHECK(pkt_ip_check(p, 64, &hlen, &total) < 0, "router_pkt.ip-bad-checksum");
    make_probe(p, 64, 9);
    CHECK(pkt_ip_check(p, 63, &hlen, &total) < 0, "router_pkt.ip-truncated");
    p[0] = 0x65;
    CHECK(pkt_ip_check(p, 64, &hlen, &total) < 0, "router_pkt.ip-version");
}

static void test_lse(void)
{
    struct pkt_lse e = {.label = 1001, .tc = 5, .bottom = 1, .ttl = 254}, d;
    uint32_t w = pkt_lse_encode(&e);
    CHECK(w == ((1001u << 12) | (5u << 9) | (1u << 8) | 254u), "router_pkt.lse-encode");
    pkt_lse_decode(w, &d);
    CHECK(d.label == 1001 && d.tc == 5 && d.bottom == 1 && d.ttl == 254, "router_pkt.lse-decode");
    e.label = 0xfffff;
    pkt_lse_decode(pkt_lse_encode(&e), &d);
    CHECK(d.label == 0xfffff, "router_pkt.lse-max-label");
    uint8_t stack[12];
    struct pkt_lse in[3] = {{100, 0, 0, 7}, {200, 0, 0, 8}, {300, 0, 1, 9}}, out[4];
    for (int i = 0; i < 3; i++)
        pkt_put32(stack + 4 * i, pkt_lse_encode(&in[i]));
    CHECK(pkt_lse_parse(stack, 12, out, 4) == 3 && out[0].label == 100 && out[2].label == 300 && out[2].ttl == 9,
          "router_pkt.stack-parse");
    CHECK(pkt_lse_parse(stack, 8, out, 4) == -1, "router_pkt.stack-truncated");
    CHECK(pkt_lse_parse(stack, 12, out, 2) == -1, "router_pkt.stack-too-deep");
}

/* Checks the common parts of an ICMP error in out (len bytes); returns the ICMP header. */
static const uint8_t *icmp_of(const uint8_t *out, size_t len, uint8_t ttl)
{
    size_t hlen, total;
    if (pkt_ip_check(out, len, &hlen, &total) < 0 || total != len || out[8] != ttl || out[9] != 1)
        return NULL;
    if (memcmp(out + 12, &(unf_ip4){inet_addr("10.1.0.6")}, 4) != 0 ||
        memcmp(out + 16, &(unf_ip4){inet_addr("10.1.0.1")}, 4) != 0)
        return NULL;
    if (pkt_checksum(out + 20, len - 20) != 0)
        return NULL;
    return out + 20;
}

static void test_icmp_plain(void)
{
    uint8_t probe[100], out[400];
    make_probe(probe, 100, 1);
    struct pkt_icmp_error e = {.type = 11, .code = 0, .src = inet_addr("10.1.0.6"), .ttl = 255, .id = 7};
    size_t n = pkt_icmp_error_build(out, sizeof(out), &e, probe, 100);
    const uint8_t *icmp = icmp_of(out, n, 255);
    CHECK(n == 20 + 8 + 28 && icmp && icmp[0] == 11 && icmp[1] == 0, "router_icmp.plain-time-exceeded");
    CHECK(icmp && icmp[5] == 0 && memcmp(icmp + 8, probe, 28) == 0, "router_icmp.plain-quotes-header-plus-8");
    e.quote_ttl_one = 1;
    make_probe(probe, 100, 5);
    n = pkt_icmp_error_build(out, sizeof(out), &e, probe, 100);
    CHECK(n && out[28 + 8] == 1 && pkt_checksum(out + 28, 20) == 0,
          "router_icmp.quoted-ttl-one-keeps-quoted-checksum");
    e.quote_ttl_one = 0;
    e.type = 3;
    e.code = 3;
    n = pkt_icmp_error_build(out, sizeof(out), &e, probe, 100);
    icmp = icmp_of(out, n, 255);
    CHECK(icmp && icmp[0] == 3 && icmp[1] == 3, "router_icmp.port-unreachable");
    CHECK(pkt_icmp_error_build(out, 40, &e, probe, 100) == 0, "router_icmp.no-room");
    probe[10] ^= 0xff;
    CHECK(pkt_icmp_error_build(out, sizeof(out), &e, probe, 100) == 0, "router_icmp.bad-original");
}

static void test_icmp_extension(void)
{
    uint8_t probe[300], out[400];
    struct pkt_lse labels[2] = {{.label = 1001, .ttl = 1}, {.label = 2002, .tc = 3, .ttl = 200}};
    struct pkt_icmp_error e = {.type = 11, .src = inet_addr("10.1.0.6"), .ttl = 255, .labels = labels, .nlabels = 2};

    /* a 60-byte original: quoted, then zero-padded to 128 bytes */
    make_probe(probe, 60, 1);
    size_t n = pkt_icmp_error_build(out, sizeof(out), &e, probe, 60);
    const uint8_t *icmp = icmp_of(out, n, 255);
    const uint8_t *ext = icmp ? icmp + 8 + 128 : NULL;
    CHECK(n == 20 + 8 + 128 + 4 + 4 + 8 && icmp, "router_icmp.ext-total-length");
    CHECK(icmp && icmp[5] == 32, "router_icmp.ext-rfc4884-length-32-words");
    int zero_pad = icmp != NULL;
    for (size_t i = 60; icmp && i < 128; i++)
        zero_pad &= icmp[8 + i] == 0;
    CHECK(zero_pad && icmp && memcmp(icmp + 8, probe, 60) == 0, "router_icmp.ext-short-original-zero-padded");
    CHECK(ext && ext[0] == 0x20 && ext[1] == 0, "router_icmp.ext-version-2");
    CHECK(ext && pkt_checksum(ext, 16) == 0 && pkt_get16(ext + 2) != 0, "router_icmp.ext-checksum");
    CHECK(ext && pkt_get16(ext + 4) == 12 && ext[6] == 1 && ext[7] == 1, "router_icmp.ext-object-mpls-class-1-type-1");
    struct pkt_lse d0, d1;
    if (ext) {
        pkt_lse_decode(pkt_get32(ext + 8), &d0);
        pkt_lse_decode(pkt_get32(ext + 12), &d1);
    }
    CHECK(ext && d0.label == 1001 && d0.ttl == 1 && !d0.bottom && d1.label == 2002 && d1.tc == 3 &&
          d1.ttl == 200 && d1.bottom, "router_icmp.ext-label-stack-entries");

    /* a 300-byte original: cut to 128 bytes */
    make_probe(probe, 300, 1);
    e.nlabels = 1;
    n = pkt_icmp_error_build(out, sizeof(out), &e, probe, 300);
    icmp = icmp_of(out, n, 255);
    ext = icmp ? icmp + 8 + 128 : NULL;
    CHECK(n == 20 + 8 + 128 + 8 + 4 && icmp && icmp[5] == 32 && memcmp(icmp + 8, probe, 128) == 0,
          "router_icmp.ext-long-original-cut-to-128");
    CHECK(ext && pkt_checksum(ext, 12) == 0 && pkt_get16(ext + 4) == 8, "router_icmp.ext-one-label");
    if (ext)
        pkt_lse_decode(pkt_get32(ext + 8), &d0);
    CHECK(ext && d0.bottom && d0.label == 1001, "router_icmp.ext-single-entry-is-bottom");
}

static void test_may_send_error(void)
{
    uint8_t p[64];
    make_probe(p, 64, 1);
    CHECK(pkt_may_send_error(p, 64), "router_icmp.error-about-echo-request");
    p[20] = 11;
    CHECK(!pkt_may_send_error(p, 64), "router_icmp.no-error-about-error");
    make_probe(p, 64, 1);
    pkt_put16(p + 6, 0x0010);
    pkt_put16(p + 10, 0);
    pkt_put16(p + 10, pkt_checksum(p, 20));
    CHECK(!pkt_may_send_error(p, 64), "router_icmp.no-error-about-later-fragment");
    make_probe(p, 64, 1);
    memset(p + 12, 0xff, 4);
    pkt_put16(p + 10, 0);
    pkt_put16(p + 10, pkt_checksum(p, 20));
    CHECK(!pkt_may_send_error(p, 64), "router_icmp.no-error-to-broadcast-source");
}

/* pkt_ip_set_ttl updates the checksum incrementally (RFC 1624) instead of summing the header:
 * for every TTL change of headers with and without options and varied contents, the header
 * stays valid and the checksum equals the full recomputation (0x0000 and 0xffff both mean
 * zero in ones' complement and are accepted as equal). */
static void test_set_ttl_incremental(void)
{
    uint8_t h[24], full[24];
    unsigned seed = 12345, bad_valid = 0, bad_equal = 0, tried = 0;
    for (int round = 0; round < 64; round++) {
        size_t hlen = round % 2 ? 24 : 20;
        for (size_t i = 0; i < sizeof(h); i++) {
            seed = seed * 1103515245u + 12345u;
            h[i] = (uint8_t)(seed >> 16);
        }
        h[0] = (uint8_t)(0x40 | hlen / 4);
        if (round == 0)
            memset(h + 1, 0, hlen - 1); /* an almost empty header: sums near the 0/0xffff edge */
        pkt_put16(h + 10, 0);
        pkt_put16(h + 10, pkt_checksum(h, hlen));
        for (int ttl = 0; ttl < 256; ttl++) {
            uint8_t before = h[8];
            pkt_ip_set_ttl(h, (uint8_t)ttl);
            memcpy(full, h, hlen);
            pkt_put16(full + 10, 0);
            uint16_t want = pkt_checksum(full, hlen), got = pkt_get16(h + 10);
            tried++;
            bad_valid += pkt_checksum(h, hlen) != 0;
            bad_equal += got != want && !((got == 0 || got == 0xffff) && (want == 0 || want == 0xffff));
            pkt_ip_set_ttl(h, before); /* and back: still valid */
            bad_valid += pkt_checksum(h, hlen) != 0;
        }
    }
    CHECK(tried == 64 * 256 && bad_valid == 0, "router_pkt.set-ttl-incremental-valid");
    CHECK(bad_equal == 0, "router_pkt.set-ttl-equals-full-recompute");
}

int main(void)
{
    test_checksum();
    test_set_ttl_incremental();
    test_lse();
    test_icmp_plain();
    test_icmp_extension();
    test_may_send_error();
    return CHECK_DONE();
}
