/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * icmp_reply: parses one received IPv4 packet carrying ICMP into the fields a traceroute
 * needs: reply TTL, type/code, echo id/seq, the quoted IP header and the first 8 bytes of the
 * quoted transport header (to match the reply to a probe), and the RFC 4884 extension
 * structure with every object, decoding RFC 4950 MPLS label stacks. Pure: no I/O, no
 * allocation; every malformation yields an error code and never a read outside the buffer.
 */
#ifndef PROBE_ICMP_REPLY_H
#define PROBE_ICMP_REPLY_H

#include <stddef.h>
#include <stdint.h>

#define ICMP_REPLY_MAX_OBJS 8
#define ICMP_REPLY_MAX_LABELS 16

enum icmp_reply_err {
    ICMP_REPLY_OK = 0,
    ICMP_REPLY_E_SHORT_IP,      /* fewer bytes than an IPv4 header / than its IHL / total length */
    ICMP_REPLY_E_NOT_IPV4,      /* version != 4 or IHL < 5 */
    ICMP_REPLY_E_NOT_ICMP,      /* protocol != 1 */
    ICMP_REPLY_E_FRAGMENT,      /* a fragment: cannot be parsed alone */
    ICMP_REPLY_E_SHORT_ICMP,    /* fewer than 8 bytes of ICMP header */
    ICMP_REPLY_E_CKSUM,         /* ICMP checksum does not verify */
    ICMP_REPLY_E_TYPE,          /* a type the probe does not use (counted, not an attack) */
    ICMP_REPLY_E_SHORT_QUOTE,   /* quoted IP header + 8 bytes do not fit */
    ICMP_REPLY_E_QUOTE_GARBAGE, /* quoted header is not IPv4 / bad IHL */
    ICMP_REPLY_E_EXT_LEN,       /* RFC 4884 length field points outside the message */
    ICMP_REPLY_E_EXT_VERSION,   /* extension header version != 2 */
    ICMP_REPLY_E_EXT_CKSUM,     /* extension checksum does not verify */
    ICMP_REPLY_E_OBJ_LEN,       /* an object length < 4, or running past the end */
    ICMP_REPLY_E_TOO_MANY,      /* more objects or labels than we keep */
    ICMP_REPLY_E_MPLS_LEN,      /* MPLS object payload not a multiple of 4 */
    ICMP_REPLY_E_COUNT
};

struct icmp_mpls_entry {
    uint32_t label; /* 20 bits */
    uint8_t tc;     /* 3 bits (formerly EXP) */
    uint8_t s;      /* bottom of stack */
    uint8_t ttl;
};

struct icmp_ext_obj {
    uint16_t length; /* octets, header included */
    uint8_t class_num;
    uint8_t c_type;
    uint16_t first_label; /* MPLS objects: index into labels[] */
    uint16_t n_labels;
};

struct icmp_reply {
    /* outer IP header */
    uint32_t src, dst; /* network byte order */
    uint8_t ttl;       /* reply TTL */
    uint16_t ip_len;
    /* ICMP header */
    uint8_t type, code;
    uint16_t echo_id, echo_seq; /* echo reply only (host order) */
    /* quoted datagram (error messages only) */
    int has_quote;
    uint32_t q_src, q_dst;
    uint8_t q_ttl, q_proto, q_tos;
    uint16_t q_ipid, q_len;
    uint8_t q_l4[8];   /* first 8 bytes of the quoted transport header */
    uint16_t q_sport, q_dport;         /* UDP/TCP (host order) */
    uint8_t q_icmp_type;               /* quoted ICMP */
    uint16_t q_icmp_cksum, q_icmp_id, q_icmp_seq;
    uint32_t q_tcp_seq;
    /* RFC 4884 */
    uint8_t rfc4884_len; /* length field, 32-bit words (0: none) */
    int has_ext;
    int ext_compat;      /* found at offset 128 without a length field (RFC 4884 section 5) */
    uint8_t ext_version;
    uint16_t ext_cksum;
    unsigned n_objs;
    struct icmp_ext_obj objs[ICMP_REPLY_MAX_OBJS];
    unsigned n_labels;
    struct icmp_mpls_entry labels[ICMP_REPLY_MAX_LABELS];
};

/* Parses `len` bytes starting at the IPv4 header; ICMP_REPLY_OK or an error code. `out` is
 * filled as far as parsing got (zeroed first). */
enum icmp_reply_err icmp_reply_parse(const uint8_t *pkt, size_t len, struct icmp_reply *out);

/* Short name of an error code, e.g. "ext-cksum". */
const char *icmp_reply_err_name(enum icmp_reply_err err);

/* Internet checksum (RFC 1071) of a buffer: the folded one's complement sum, complemented. */
uint16_t icmp_reply_cksum(const uint8_t *data, size_t len);

/* The labels of the first MPLS object; NULL (and *n = 0) when there is none. */
const struct icmp_mpls_entry *icmp_reply_mpls(const struct icmp_reply *r, unsigned *n);

#endif
