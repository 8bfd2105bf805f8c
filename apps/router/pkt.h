/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packet helpers of the router: byte order access, the Internet checksum, IPv4 header checks,
 * MPLS label stack entries (RFC 3032) and the ICMP error messages a router sends, including the
 * RFC 4884 extension structure carrying an RFC 4950 MPLS label stack object. Pure functions
 * over byte buffers, so unit tests and the fuzzer exercise them without a network.
 */
#ifndef ROUTER_PKT_H
#define ROUTER_PKT_H

#include <stddef.h>
#include <stdint.h>
#include <unf/net.h>

#define PKT_ETH_HLEN 14
#define PKT_ETH_ARP 0x0806
#define PKT_ETH_IP 0x0800
#define PKT_ETH_MPLS 0x8847
#define PKT_IP_ICMP 1
#define PKT_IP_UDP 17
#define PKT_MAX_LABELS 8
/* RFC 4884: with an extension, the quoted datagram is padded (or cut) to 128 bytes. */
#define PKT_ICMP_EXT_QUOTE 128

uint16_t pkt_get16(const uint8_t *p);
uint32_t pkt_get32(const uint8_t *p);
void pkt_put16(uint8_t *p, uint16_t v);
void pkt_put32(uint8_t *p, uint32_t v);

/* The Internet checksum (RFC 1071) of data, ready to store with pkt_put16. */
uint16_t pkt_checksum(const void *data, size_t len);

/* Validates an IPv4 header at ip (version, header length, total length within len, header
 * checksum); on success stores the header length and the total length and returns 0. */
int pkt_ip_check(const uint8_t *ip, size_t len, size_t *hlen, size_t *total);
/* Sets the TTL and updates the header checksum incrementally (RFC 1624): per forwarded packet
 * it touches one word instead of summing the header again. A valid checksum stays valid. */
void pkt_ip_set_ttl(uint8_t *ip, uint8_t ttl);
/* Writes a 20-byte IPv4 header (no options) with a valid checksum. */
void pkt_ip_header(uint8_t *ip, size_t total, uint16_t id, uint8_t ttl, uint8_t proto,
                   unf_ip4 src, unf_ip4 dst);

/* One MPLS label stack entry: 20-bit label, 3-bit traffic class, bottom-of-stack, TTL. */
struct pkt_lse {
    uint32_t label;
    uint8_t tc;
    uint8_t bottom;
    uint8_t ttl;
};

uint32_t pkt_lse_encode(const struct pkt_lse *e);
void pkt_lse_decode(uint32_t word, struct pkt_lse *e);
/* Parses the label stack at the start of an MPLS payload (up to max entries, until the
 * bottom-of-stack bit); returns the number of entries, -1 when it is truncated or too deep. */
int pkt_lse_parse(const uint8_t *p, size_t len, struct pkt_lse *out, int max);

/* What an ICMP error says and where it goes. */
struct pkt_icmp_error {
    uint8_t type, code;
    unf_ip4 src;                  /* the router's address that sends it */
    uint8_t ttl;                  /* initial TTL of the error */
    uint16_t id;                  /* IP identification */
    int quote_ttl_one;            /* rewrite the quoted IP TTL to 1 */
    const struct pkt_lse *labels; /* label stack as received, for an RFC 4950 object */
    int nlabels;                  /* 0: no extension */
};

/* Builds a whole IPv4 packet (header, ICMP error quoting orig) into out; returns its length,
 * 0 when orig is no valid IPv4 packet or out is too small. The destination is orig's source.
 * Without labels the quote is orig's header plus 8 bytes; with labels it is 128 bytes (cut or
 * zero-padded) followed by the extension header and one MPLS label stack object. */
size_t pkt_icmp_error_build(uint8_t *out, size_t cap, const struct pkt_icmp_error *e,
                            const uint8_t *orig, size_t orig_len);

/* 1 when an ICMP error may be sent about this IPv4 packet: not about an ICMP error, not a
 * fragment other than the first, not from a zero/broadcast/multicast source. */
int pkt_may_send_error(const uint8_t *ip, size_t len);

#endif
