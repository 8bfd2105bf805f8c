/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Query parsing and compressed response writing (see dns_msg.h). Parsing follows NSD's rules
 * for what a query may hold: one question, no answer or authority records, at most one OPT.
 */
#include "dns_msg.h"

#include <string.h>

#include "dns_zone.h"

void dns_put16(uint8_t *buf, size_t off, uint16_t v)
{
    buf[off] = (uint8_t)(v >> 8);
    buf[off + 1] = (uint8_t)v;
}

uint16_t dns_get16(const uint8_t *buf, size_t off)
{
    return (uint16_t)((buf[off] << 8) | buf[off + 1]);
}

/* Reads one resource record of the additional section; only OPT matters to us. */
static int parse_additional(const uint8_t *msg, size_t len, size_t *pos, struct dns_query *q)
{
    uint8_t name[DNS_NAME_MAX];
    if (dns_name_parse(msg, len, pos, name) < 0 || *pos + 10 > len)
        return -1;
    uint16_t type = dns_get16(msg, *pos), klass = dns_get16(msg, *pos + 2);
    uint8_t ext_rcode = msg[*pos + 4], version = msg[*pos + 5];
    uint16_t eflags = dns_get16(msg, *pos + 6), rdlen = dns_get16(msg, *pos + 8);
    *pos += 10;
    if (*pos + rdlen > len)
        return -1;
    if (type == DNS_T_OPT) {
        if (q->edns || name[0] != 0)
            return -1; /* a second OPT, or one not owned by the root */
        /* The options must be well formed: code, length, data, back to back. */
        for (size_t o = *pos; o < *pos + rdlen;) {
            if (o + 4 > *pos + rdlen)
                return -1;
            o += 4 + dns_get16(msg, o + 2);
            if (o > *pos + rdlen)
                return -1;
        }
        (void)ext_rcode;
        q->edns = 1;
        q->udp_size = klass;
        q->edns_version = version;
        q->do_bit = (eflags & 0x8000) != 0;
    }
    *pos += rdlen;
    return 0;
}

int dns_query_parse(const uint8_t *msg, size_t len, struct dns_query *q)
{
    memset(q, 0, sizeof(*q));
    if (len < DNS_HEADER)
        return -1;
    q->id = dns_get16(msg, 0);
    q->flags = dns_get16(msg, 2);
    q->opcode = (q->flags >> 11) & 0xf;
    if (q->flags & DNS_FLAG_QR)
        return -1; /* never answer a response: that is how reflection loops start */
    uint16_t qd = dns_get16(msg, 4), an = dns_get16(msg, 6), ns = dns_get16(msg, 8), ar = dns_get16(msg, 10);
    if (q->opcode != 0)
        return DNS_RCODE_NOTIMP;
    if (qd != 1 || an != 0 || ns != 0)
        return DNS_RCODE_FORMERR;
    size_t pos = DNS_HEADER;
    if (dns_name_parse(msg, len, &pos, q->qname) < 0 || pos + 4 > len)
        return DNS_RCODE_FORMERR;
    q->qtype = dns_get16(msg, pos);
    q->qclass = dns_get16(msg, pos + 2);
    pos += 4;
    q->question_len = pos - DNS_HEADER;
    q->has_question = 1;
    for (uint16_t i = 0; i < ar; i++)
        if (parse_additional(msg, len, &pos, q) < 0)
            return DNS_RCODE_FORMERR;
    return DNS_RCODE_NOERROR;
}

void dns_writer_init(struct dns_writer *w, uint8_t *buf, size_t limit)
{
    w->buf = buf;
    w->limit = limit;
    w->len = 0;
    w->nptrs = 0;
}

struct dns_mark dns_writer_mark(const struct dns_writer *w)
{
    struct dns_mark m = {w->len, w->nptrs};
    return m;
}

void dns_writer_undo(struct dns_writer *w, struct dns_mark m)
{
    w->len = m.len;
    w->nptrs = m.nptrs;
}

int dns_write_bytes(struct dns_writer *w, const void *data, size_t n)
{
    if (w->len + n > w->limit)
        return -1;
    memcpy(w->buf + w->len, data, n);
    w->len += n;
    return 0;
}

int dns_write_u16(struct dns_writer *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return dns_write_bytes(w, b, 2);
}

int dns_write_u32(struct dns_writer *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return dns_write_bytes(w, b, 4);
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* 1 when the (possibly compressed) name at off in the packet equals the wire name s. */
static int packet_name_equals(const struct dns_writer *w, size_t off, const uint8_t *s)
{
    for (int hops = 0; hops < 128;) {
        uint8_t c = w->buf[off];
        if ((c & 0xc0) == 0xc0) {
            off = ((size_t)(c & 0x3f) << 8) | w->buf[off + 1];
            hops++;
            continue;
        }
        if (c != *s)
            return 0;
        if (c == 0)
            return 1;
        for (size_t k = 1; k <= c; k++)
            if (lower(w->buf[off + k]) != lower(s[k]))
                return 0;
        off += (size_t)c + 1;
        s += c + 1;
    }
    return 0;
}

int dns_write_name(struct dns_writer *w, const uint8_t *name, int compress)
{
    for (const uint8_t *s = name; *s; s += *s + 1) {
        if (compress) {
            for (size_t i = 0; i < w->nptrs; i++) {
                if (packet_name_equals(w, w->ptrs[i], s))
                    return dns_write_u16(w, (uint16_t)(0xc000 | w->ptrs[i]));
            }
        }
        /* Remember where this suffix starts so later names can point at it. */
        if (w->len < 0x4000 && w->nptrs < DNS_PTRS_MAX)
            w->ptrs[w->nptrs++] = (uint16_t)w->len;
        if (dns_write_bytes(w, s, (size_t)*s + 1) < 0)
            return -1;
    }
    return dns_write_bytes(w, "", 1);
}

/* Rdata whose embedded names may be compressed (RFC 3597 section 4: the RFC 1035 types). */
static int write_rdata(struct dns_writer *w, uint16_t type, const uint8_t *rd, size_t rdlen)
{
    size_t pre = 0, names = 0;
    switch (type) {
    case DNS_T_NS: case DNS_T_CNAME: case DNS_T_PTR: names = 1; break;
    case DNS_T_MX: pre = 2; names = 1; break;
    case DNS_T_SOA: names = 2; break;
    default: return dns_write_bytes(w, rd, rdlen);
    }
    if (dns_write_bytes(w, rd, pre) < 0)
        return -1;
    size_t p = pre;
    for (size_t i = 0; i < names; i++) {
        if (dns_write_name(w, rd + p, 1) < 0)
            return -1;
        p += dns_name_len(rd + p);
    }
    return dns_write_bytes(w, rd + p, rdlen - p);
}

int dns_write_rr(struct dns_writer *w, const uint8_t *owner, uint16_t type, uint32_t ttl,
                 const uint8_t *rdata, size_t rdlen)
{
    if (dns_write_name(w, owner, 1) < 0 || dns_write_u16(w, type) < 0 ||
        dns_write_u16(w, DNS_CLASS_IN) < 0 || dns_write_u32(w, ttl) < 0 || dns_write_u16(w, 0) < 0)
        return -1;
    size_t start = w->len;
    if (write_rdata(w, type, rdata, rdlen) < 0)
        return -1;
    dns_put16(w->buf, start - 2, (uint16_t)(w->len - start));
    return 0;
}
