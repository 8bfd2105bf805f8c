/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * icmp_reply: the received-ICMP parser of the probe. Every length is checked against the bytes
 * actually present before it is used, so hostile or broken replies (truncated, lying RFC 4884
 * lengths, bad extension checksums, garbage quotes) end in an error code, never in a read
 * outside the buffer. Field layouts: RFC 791 (IP), RFC 792 (ICMP), RFC 4884 (extensions),
 * RFC 4950 (MPLS label stack object, class 1 c-type 1).
 */
#include "icmp_reply.h"

#include <string.h>

#define IP_HLEN 20
#define ICMP_HLEN 8
#define EXT_HLEN 4
#define OBJ_HLEN 4
#define COMPAT_QUOTE 128 /* RFC 4884 section 5: non-compliant extensions sit at this offset */

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
/* Addresses stay in network byte order, as unf_ip4 wants. */
static uint32_t raw32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

uint16_t icmp_reply_cksum(const uint8_t *data, size_t len)
{
    uint32_t sum = 0;
    size_t i;
    for (i = 0; i + 1 < len; i += 2)
        sum += be16(data + i);
    if (i < len)
        sum += (uint32_t)data[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static const char *const err_names[ICMP_REPLY_E_COUNT] = {
    "ok", "short-ip", "not-ipv4", "not-icmp", "fragment", "short-icmp", "cksum", "type",
    "short-quote", "quote-garbage", "ext-len", "ext-version", "ext-cksum", "obj-len",
    "too-many", "mpls-len",
};

const char *icmp_reply_err_name(enum icmp_reply_err err)
{
    return (unsigned)err < ICMP_REPLY_E_COUNT ? err_names[err] : "unknown";
}

/* RFC 4950: each 4-byte entry is label(20) TC(3) S(1) TTL(8). */
static enum icmp_reply_err parse_mpls(const uint8_t *p, size_t len, struct icmp_reply *r,
                                      struct icmp_ext_obj *obj)
{
    if (len % 4 != 0)
        return ICMP_REPLY_E_MPLS_LEN;
    obj->first_label = (uint16_t)r->n_labels;
    for (size_t off = 0; off < len; off += 4) {
        if (r->n_labels == ICMP_REPLY_MAX_LABELS)
            return ICMP_REPLY_E_TOO_MANY;
        uint32_t v = be32(p + off);
        struct icmp_mpls_entry *e = &r->labels[r->n_labels++];
        e->label = v >> 12;
        e->tc = (uint8_t)((v >> 9) & 7);
        e->s = (uint8_t)((v >> 8) & 1);
        e->ttl = (uint8_t)(v & 0xff);
        obj->n_labels++;
    }
    return ICMP_REPLY_OK;
}

/* The extension structure: a 4-byte header (version 2, checksum) then objects to the end. */
static enum icmp_reply_err parse_ext(const uint8_t *e, size_t len, struct icmp_reply *r)
{
    if (len < EXT_HLEN)
        return ICMP_REPLY_E_EXT_LEN;
    r->ext_version = e[0] >> 4;
    r->ext_cksum = be16(e + 2);
    if (r->ext_version != 2)
        return ICMP_REPLY_E_EXT_VERSION;
    if (icmp_reply_cksum(e, len) != 0)
        return ICMP_REPLY_E_EXT_CKSUM;
    r->has_ext = 1;
    size_t off = EXT_HLEN;
    while (off < len) {
        if (len - off < OBJ_HLEN)
            return ICMP_REPLY_E_OBJ_LEN;
        uint16_t olen = be16(e + off);
        if (olen < OBJ_HLEN || olen > len - off)
            return ICMP_REPLY_E_OBJ_LEN;
        if (r->n_objs == ICMP_REPLY_MAX_OBJS)
            return ICMP_REPLY_E_TOO_MANY;
        struct icmp_ext_obj *obj = &r->objs[r->n_objs++];
        obj->length = olen;
        obj->class_num = e[off + 2];
        obj->c_type = e[off + 3];
        if (obj->class_num == 1 && obj->c_type == 1) {
            enum icmp_reply_err err = parse_mpls(e + off + OBJ_HLEN, olen - OBJ_HLEN, r, obj);
            if (err != ICMP_REPLY_OK)
                return err;
        }
        off += olen;
    }
    return ICMP_REPLY_OK;
}

/* RFC 4884 section 5: a sender without the length field may still append an extension after
 * exactly 128 bytes; accept it only when it looks like one (version 2, checksum verifies). */
static int compat_ext_present(const uint8_t *payload, size_t plen)
{
    if (plen < COMPAT_QUOTE + EXT_HLEN)
        return 0;
    const uint8_t *e = payload + COMPAT_QUOTE;
    return (e[0] >> 4) == 2 && icmp_reply_cksum(e, plen - COMPAT_QUOTE) == 0;
}

/* The quoted IP header and first 8 transport bytes. */
static enum icmp_reply_err parse_quote(const uint8_t *q, size_t qlen, struct icmp_reply *r)
{
    if (qlen < IP_HLEN)
        return ICMP_REPLY_E_SHORT_QUOTE;
    size_t ihl = (size_t)(q[0] & 0x0f) * 4;
    if ((q[0] >> 4) != 4 || ihl < IP_HLEN)
        return ICMP_REPLY_E_QUOTE_GARBAGE;
    if (ihl + 8 > qlen)
        return ICMP_REPLY_E_SHORT_QUOTE;
    r->has_quote = 1;
    r->q_tos = q[1];
    r->q_len = be16(q + 2);
    r->q_ipid = be16(q + 4);
    r->q_ttl = q[8];
    r->q_proto = q[9];
    r->q_src = raw32(q + 12);
    r->q_dst = raw32(q + 16);
    const uint8_t *l4 = q + ihl;
    memcpy(r->q_l4, l4, sizeof(r->q_l4));
    if (r->q_proto == 17 || r->q_proto == 6) {
        r->q_sport = be16(l4);
        r->q_dport = be16(l4 + 2);
        r->q_tcp_seq = be32(l4 + 4);
    } else if (r->q_proto == 1) {
        r->q_icmp_type = l4[0];
        r->q_icmp_cksum = be16(l4 + 2);
        r->q_icmp_id = be16(l4 + 4);
        r->q_icmp_seq = be16(l4 + 6);
    }
    return ICMP_REPLY_OK;
}

static int has_length_field(uint8_t type)
{
    return type == 3 || type == 11 || type == 12; /* RFC 4884 section 4 */
}

static enum icmp_reply_err parse_error_msg(const uint8_t *icmp, size_t icmp_len,
                                           struct icmp_reply *r)
{
    const uint8_t *payload = icmp + ICMP_HLEN;
    size_t plen = icmp_len - ICMP_HLEN;
    size_t qlen = plen;
    if (has_length_field(r->type))
        r->rfc4884_len = icmp[5];
    if (r->rfc4884_len != 0) {
        qlen = (size_t)r->rfc4884_len * 4;
        if (qlen > plen)
            return ICMP_REPLY_E_EXT_LEN;
    } else if (has_length_field(r->type) && compat_ext_present(payload, plen)) {
        qlen = COMPAT_QUOTE;
        r->ext_compat = 1;
    }
    enum icmp_reply_err err = parse_quote(payload, qlen, r);
    if (err != ICMP_REPLY_OK)
        return err;
    if (qlen < plen)
        return parse_ext(payload + qlen, plen - qlen, r);
    return ICMP_REPLY_OK;
}

enum icmp_reply_err icmp_reply_parse(const uint8_t *pkt, size_t len, struct icmp_reply *r)
{
    memset(r, 0, sizeof(*r));
    if (!pkt || len < IP_HLEN)
        return ICMP_REPLY_E_SHORT_IP;
    size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
    if ((pkt[0] >> 4) != 4 || ihl < IP_HLEN)
        return ICMP_REPLY_E_NOT_IPV4;
    size_t tot = be16(pkt + 2);
    if (ihl > len || tot < ihl || tot > len)
        return ICMP_REPLY_E_SHORT_IP;
    r->ip_len = (uint16_t)tot;
    r->ttl = pkt[8];
    r->src = raw32(pkt + 12);
    r->dst = raw32(pkt + 16);
    if (pkt[9] != 1)
        return ICMP_REPLY_E_NOT_ICMP;
    if ((be16(pkt + 6) & 0x3fff) != 0)
        return ICMP_REPLY_E_FRAGMENT;
    const uint8_t *icmp = pkt + ihl;
    size_t icmp_len = tot - ihl;
    if (icmp_len < ICMP_HLEN)
        return ICMP_REPLY_E_SHORT_ICMP;
    r->type = icmp[0];
    r->code = icmp[1];
    if (icmp_reply_cksum(icmp, icmp_len) != 0)
        return ICMP_REPLY_E_CKSUM;
    switch (r->type) {
    case 0: /* echo reply */
        r->echo_id = be16(icmp + 4);
        r->echo_seq = be16(icmp + 6);
        return ICMP_REPLY_OK;
    case 3: case 4: case 5: case 11: case 12:
        return parse_error_msg(icmp, icmp_len, r);
    default:
        return ICMP_REPLY_E_TYPE;
    }
}

const struct icmp_mpls_entry *icmp_reply_mpls(const struct icmp_reply *r, unsigned *n)
{
    for (unsigned i = 0; i < r->n_objs; i++) {
        if (r->objs[i].class_num == 1 && r->objs[i].c_type == 1) {
            *n = r->objs[i].n_labels;
            return *n ? &r->labels[r->objs[i].first_label] : NULL;
        }
    }
    *n = 0;
    return NULL;
}
