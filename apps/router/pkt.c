/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packet helpers of the router: checksums, IPv4 headers, MPLS label stack entries and ICMP
 * errors with RFC 4884/4950 extensions. See pkt.h.
 */
#include "pkt.h"

#include <string.h>

uint16_t pkt_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

uint32_t pkt_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void pkt_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

void pkt_put32(uint8_t *p, uint32_t v)
{
    pkt_put16(p, (uint16_t)(v >> 16));
    pkt_put16(p + 2, (uint16_t)v);
}

uint16_t pkt_checksum(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t sum = 0;
    for (; len > 1; p += 2, len -= 2)
        sum += pkt_get16(p);
    if (len)
        sum += (uint32_t)p[0] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

int pkt_ip_check(const uint8_t *ip, size_t len, size_t *hlen, size_t *total)
{
    if (len < 20 || (ip[0] >> 4) != 4)
        return -1;
    size_t h = (size_t)(ip[0] & 0x0f) * 4;
    size_t t = pkt_get16(ip + 2);
    if (h < 20 || t < h || t > len || pkt_checksum(ip, h) != 0)
        return -1;
    *hlen = h;
    *total = t;
    return 0;
}

void pkt_ip_set_ttl(uint8_t *ip, uint8_t ttl)
{
    /* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), m the 16-bit word holding TTL and protocol */
    uint16_t old = pkt_get16(ip + 8);
    ip[8] = ttl;
    uint32_t sum = (uint32_t)(uint16_t)~pkt_get16(ip + 10) + (uint16_t)~old + pkt_get16(ip + 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    pkt_put16(ip + 10, (uint16_t)~sum);
}

void pkt_ip_header(uint8_t *ip, size_t total, uint16_t id, uint8_t ttl, uint8_t proto,
                   unf_ip4 src, unf_ip4 dst)
{
    ip[0] = 0x45;
    ip[1] = 0;
    pkt_put16(ip + 2, (uint16_t)total);
    pkt_put16(ip + 4, id);
    pkt_put16(ip + 6, 0);
    ip[8] = ttl;
    ip[9] = proto;
    pkt_put16(ip + 10, 0);
    memcpy(ip + 12, &src, 4); /* unf_ip4 is already in network order */
    memcpy(ip + 16, &dst, 4);
    pkt_put16(ip + 10, pkt_checksum(ip, 20));
}

uint32_t pkt_lse_encode(const struct pkt_lse *e)
{
    return (e->label & 0xfffff) << 12 | (uint32_t)(e->tc & 7) << 9 | (uint32_t)(e->bottom ? 1 : 0) << 8 |
           e->ttl;
}

void pkt_lse_decode(uint32_t word, struct pkt_lse *e)
{
    e->label = word >> 12;
    e->tc = (uint8_t)(word >> 9 & 7);
    e->bottom = (uint8_t)(word >> 8 & 1);
    e->ttl = (uint8_t)word;
}

int pkt_lse_parse(const uint8_t *p, size_t len, struct pkt_lse *out, int max)
{
    for (int n = 0; n < max; n++) {
        if (len < (size_t)(n + 1) * 4)
            return -1;
        pkt_lse_decode(pkt_get32(p + 4 * n), &out[n]);
        if (out[n].bottom)
            return n + 1;
    }
    return -1;
}

int pkt_may_send_error(const uint8_t *ip, size_t len)
{
    size_t hlen, total;
    if (pkt_ip_check(ip, len, &hlen, &total) < 0)
        return 0;
    if ((pkt_get16(ip + 6) & 0x1fff) != 0)
        return 0; /* only the first fragment gets errors (RFC 1812) */
    uint8_t first = ip[12];
    uint32_t src = pkt_get32(ip + 12);
    if (src == 0 || src == 0xffffffffu || (first & 0xf0) == 0xe0 || first == 127)
        return 0;
    if (ip[9] == PKT_IP_ICMP) {
        if (total < hlen + 1)
            return 0;
        uint8_t type = ip[hlen];
        /* Only queries (echo, timestamp, info, mask) may be answered with an error. */
        if (type != 0 && type != 8 && type != 13 && type != 14 && type != 15 && type != 16 &&
            type != 17 && type != 18)
            return 0;
    }
    return 1;
}

/* Appends the RFC 4884 extension header and one RFC 4950 object at ext; returns its size. */
static size_t put_mpls_extension(uint8_t *ext, const struct pkt_lse *labels, int n)
{
    size_t obj_len = 4 + 4 * (size_t)n;
    ext[0] = 0x20; /* version 2, reserved bits zero */
    ext[1] = 0;
    pkt_put16(ext + 2, 0);
    pkt_put16(ext + 4, (uint16_t)obj_len);
    ext[6] = 1; /* class-num 1: MPLS label stack */
    ext[7] = 1; /* c-type 1: incoming label stack */
    for (int i = 0; i < n; i++) {
        struct pkt_lse e = labels[i];
        e.bottom = i == n - 1;
        pkt_put32(ext + 8 + 4 * i, pkt_lse_encode(&e));
    }
    size_t total = 4 + obj_len;
    pkt_put16(ext + 2, pkt_checksum(ext, total));
    return total;
}

size_t pkt_icmp_error_build(uint8_t *out, size_t cap, const struct pkt_icmp_error *e,
                            const uint8_t *orig, size_t orig_len)
{
    size_t hlen, total;
    if (pkt_ip_check(orig, orig_len, &hlen, &total) < 0)
        return 0;
    int n = e->nlabels > PKT_MAX_LABELS ? PKT_MAX_LABELS : e->nlabels;
    size_t quote, room;
    if (n > 0) {
        quote = total < PKT_ICMP_EXT_QUOTE ? total : PKT_ICMP_EXT_QUOTE;
        room = PKT_ICMP_EXT_QUOTE + 8 + 4 * (size_t)n;
    } else {
        quote = total < hlen + 8 ? total : hlen + 8;
        room = quote;
    }
    size_t len = 20 + 8 + room;
    if (len > cap)
        return 0;
    memset(out, 0, len);
    uint8_t *icmp = out + 20;
    icmp[0] = e->type;
    icmp[1] = e->code;
    uint8_t *q = icmp + 8;
    memcpy(q, orig, quote);
    if (e->quote_ttl_one)
        pkt_ip_set_ttl(q, 1);
    if (n > 0) {
        icmp[5] = PKT_ICMP_EXT_QUOTE / 4; /* RFC 4884 length, in 32-bit words */
        put_mpls_extension(q + PKT_ICMP_EXT_QUOTE, e->labels, n);
    }
    pkt_put16(icmp + 2, pkt_checksum(icmp, len - 20));
    unf_ip4 dst;
    memcpy(&dst, orig + 12, 4);
    pkt_ip_header(out, len, e->id, e->ttl, PKT_IP_ICMP, e->src, dst);
    return len;
}
