/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reads what the firewall needs from an Ethernet frame: its kind (IPv4, ARP, other) and, for
 * IPv4, the 5-tuple key, TCP flags and the ICMP echo identifier. Pure code over bytes, no I/O.
 * Non-first fragments carry no transport header: their ports read as 0 and they are marked,
 * so conntrack leaves them alone and only rules without port conditions can match them alike.
 */
#ifndef FW_PACKET_H
#define FW_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "fw_rule.h"

enum fw_frame_kind { FW_FRAME_IPV4, FW_FRAME_ARP, FW_FRAME_OTHER, FW_FRAME_BAD };

#define FW_TCP_FIN 0x01
#define FW_TCP_SYN 0x02
#define FW_TCP_RST 0x04

struct fw_packet {
    struct fw_key key;
    uint8_t tcp_flags;
    uint8_t fragment;   /* not the first fragment: no ports */
    uint16_t icmp_id;   /* echo request/reply identifier */
};

/* Classifies the frame and fills pkt for IPv4 (a truncated or malformed IPv4 header: BAD). */
enum fw_frame_kind fw_packet_parse(const uint8_t *frame, size_t len, struct fw_packet *pkt);

#endif
