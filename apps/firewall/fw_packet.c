/* SPDX-License-Identifier: BSD-2-Clause */
/* Ethernet/IPv4/TCP/UDP/ICMP header reading for the firewall (see fw_packet.h). */
#include "fw_packet.h"

#include <string.h>

#define ETH_HLEN 14

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

enum fw_frame_kind fw_packet_parse(const uint8_t *frame, size_t len, struct fw_packet *pkt)
{
    memset(pkt, 0, sizeof(*pkt));
    if (len < ETH_HLEN)
        return FW_FRAME_BAD;
    uint16_t type = be16(frame + 12);
    if (type == 0x0806)
        return FW_FRAME_ARP;
    if (type != 0x0800)
        return FW_FRAME_OTHER;
    const uint8_t *ip = frame + ETH_HLEN;
    size_t avail = len - ETH_HLEN;
    if (avail < 20 || ip[0] >> 4 != 4)
        return FW_FRAME_BAD;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    size_t total = be16(ip + 2);
    if (ihl < 20 || total < ihl || total > avail)
        return FW_FRAME_BAD;
    pkt->key.proto = ip[9];
    pkt->key.src = be32(ip + 12);
    pkt->key.dst = be32(ip + 16);
    if ((be16(ip + 6) & 0x1fff) != 0) {
        pkt->fragment = 1;
        return FW_FRAME_IPV4;
    }
    const uint8_t *l4 = ip + ihl;
    size_t l4len = total - ihl;
    switch (pkt->key.proto) {
    case 6:
        if (l4len < 14)
            return FW_FRAME_BAD;
        pkt->key.sport = be16(l4);
        pkt->key.dport = be16(l4 + 2);
        pkt->tcp_flags = l4[13];
        break;
    case 17:
        if (l4len < 8)
            return FW_FRAME_BAD;
        pkt->key.sport = be16(l4);
        pkt->key.dport = be16(l4 + 2);
        break;
    case 1:
        if (l4len < 8)
            return FW_FRAME_BAD;
        pkt->key.sport = l4[0]; /* type */
        pkt->key.dport = l4[1]; /* code */
        pkt->icmp_id = be16(l4 + 4);
        break;
    default:
        break;
    }
    return FW_FRAME_IPV4;
}
