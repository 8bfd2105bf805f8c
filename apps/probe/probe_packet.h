/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_packet: builds the complete IPv4 probe packets the engine sends (header included):
 * ICMP echo (Paris: constant checksum per flow), UDP (Paris: constant ports) and TCP SYN.
 * Every probe carries its probe id in the IP ID; ICMP also in the echo sequence number and TCP
 * in the sequence number, so replies that quote or echo them can be matched. Pure.
 */
#ifndef PROBE_PACKET_H
#define PROBE_PACKET_H

#include <stddef.h>
#include <stdint.h>

#include "probe_result.h"

#define PROBE_PACKET_MAX 128

struct probe_packet_spec {
    enum probe_method method;
    uint32_t src, dst;    /* network order; src 0: UDP checksum left 0 (TCP needs src) */
    uint8_t ttl;
    uint16_t probe_id;    /* nonzero */
    uint16_t flow_id;     /* ICMP echo id, or UDP/TCP source port */
    uint16_t dport;       /* UDP/TCP destination port (plain UDP adds the probe TTL) */
    uint16_t paris_cksum; /* icmp-paris: the constant ICMP checksum of the flow */
    size_t payload_len;   /* bytes after the transport header (at least 2 for Paris) */
};

/* Writes the packet into buf; returns its length, 0 when it does not fit / bad spec. */
size_t probe_packet_build(const struct probe_packet_spec *s, uint8_t *buf, size_t size);

/* The probe id a TCP reply acknowledges (ack - 1 carries it in the top 16 bits). */
uint16_t probe_packet_tcp_probe_id(uint32_t ack);

#endif
