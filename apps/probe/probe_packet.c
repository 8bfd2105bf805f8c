/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_packet: probe construction. Paris traceroute (Augustin et al., IMC 2006) keeps every
 * field a per-flow load balancer hashes constant for the whole trace: the UDP/TCP ports, and
 * for ICMP the type, code and checksum (the first 4 bytes of the transport header). The ICMP
 * echo sequence changes per probe, so two payload bytes compensate to keep the checksum fixed.
 */
#include "probe_packet.h"

#include <string.h>

#include "icmp_reply.h"

#define IP_HLEN 20

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

/* One's complement sum (not complemented) of data, folded to 16 bits. */
static uint32_t sum16(const uint8_t *data, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(data[i] << 8 | data[i + 1]);
    if (len & 1)
        sum += (uint32_t)data[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum;
}

static uint16_t l4_cksum(const uint8_t *ip, const uint8_t *l4, size_t len, uint8_t proto)
{
    uint8_t pseudo[12];
    memcpy(pseudo, ip + 12, 8); /* src, dst */
    pseudo[8] = 0;
    pseudo[9] = proto;
    put16(pseudo + 10, (uint16_t)len);
    uint16_t c = (uint16_t)~sum16(l4, len, sum16(pseudo, sizeof(pseudo), 0));
    return c;
}

/* The two payload bytes at `w` that make the ICMP message's checksum equal `want`. */
static void paris_compensate(uint8_t *icmp, size_t len, uint8_t *w, uint16_t want)
{
    put16(icmp + 2, 0);
    put16(w, 0);
    uint32_t s = sum16(icmp, len, 0);          /* everything but checksum and w */
    uint32_t need = (uint16_t)~want;           /* s + w must be ~want */
    uint32_t v = need + (uint16_t)~s;          /* w = need - s, one's complement */
    while (v >> 16)
        v = (v & 0xffff) + (v >> 16);
    put16(w, (uint16_t)v);
    put16(icmp + 2, want);
}

uint16_t probe_packet_tcp_probe_id(uint32_t ack)
{
    return (uint16_t)((ack - 1) >> 16);
}

size_t probe_packet_build(const struct probe_packet_spec *s, uint8_t *buf, size_t size)
{
    size_t l4len;
    uint8_t proto;
    switch (s->method) {
    case PROBE_ICMP_PARIS: case PROBE_ICMP: l4len = 8; proto = 1; break;
    case PROBE_UDP_PARIS: case PROBE_UDP: l4len = 8; proto = 17; break;
    case PROBE_TCP: l4len = 20; proto = 6; break;
    default: return 0;
    }
    size_t payload = s->payload_len < 2 ? 2 : s->payload_len;
    if (s->method == PROBE_TCP)
        payload = 0;
    size_t total = IP_HLEN + l4len + payload;
    if (total > size || s->probe_id == 0)
        return 0;
    memset(buf, 0, total);
    uint8_t *ip = buf, *l4 = buf + IP_HLEN;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)total);
    put16(ip + 4, s->probe_id);
    ip[8] = s->ttl;
    ip[9] = proto;
    memcpy(ip + 12, &s->src, 4);
    memcpy(ip + 16, &s->dst, 4);
    put16(ip + 10, icmp_reply_cksum(ip, IP_HLEN));
    switch (s->method) {
    case PROBE_ICMP_PARIS: case PROBE_ICMP:
        l4[0] = 8;
        put16(l4 + 4, s->flow_id);
        put16(l4 + 6, s->probe_id);
        if (s->method == PROBE_ICMP_PARIS) {
            paris_compensate(l4, l4len + payload, l4 + l4len, s->paris_cksum);
        } else {
            put16(l4 + l4len, s->probe_id);
            put16(l4 + 2, icmp_reply_cksum(l4, l4len + payload));
        }
        break;
    case PROBE_UDP_PARIS: case PROBE_UDP:
        put16(l4, s->flow_id);
        put16(l4 + 2, (uint16_t)(s->method == PROBE_UDP ? s->dport + s->ttl : s->dport));
        put16(l4 + 4, (uint16_t)(l4len + payload));
        put16(l4 + 8, s->probe_id);
        if (s->src) {
            uint16_t c = l4_cksum(ip, l4, l4len + payload, 17);
            put16(l4 + 6, c ? c : 0xffff);
        }
        break;
    case PROBE_TCP:
        put16(l4, s->flow_id);
        put16(l4 + 2, s->dport);
        put32(l4 + 4, (uint32_t)s->probe_id << 16 | s->flow_id);
        l4[12] = 5 << 4;
        l4[13] = 0x02; /* SYN */
        put16(l4 + 14, 5840);
        put16(l4 + 16, l4_cksum(ip, l4, l4len, 6));
        break;
    }
    return total;
}
