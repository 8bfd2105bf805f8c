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
    /* Field by field rather than a memset of the whole name buffer (once per query). */
    q->id = q->flags = 0;
    q->opcode = 0;
    q->has_question = 0;
    q->qname[0] = 0;
    q->qtype = q->qclass = 0;
    q->question_len = 0;
    q->edns = 0;
    q->udp_size = 0;
    q->edns_version = 0;
    q->do_bit = 0;
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
    w->stable_names = 0;
    memset(w->heads, 0, sizeof(w->heads));
}

struct dns_mark dns_writer_mark(const struct dns_writer *w)
{
    struct dns_mark m = {w->len, w->nptrs};
    return m;
}

void dns_writer_undo(struct dns_writer *w, struct dns_mark m)
{
    /* Offsets leave their buckets in the reverse of the order they joined them. */
    while (w->nptrs > m.nptrs) {
        w->nptrs--;
        w->heads[w->hashes[w->nptrs] % DNS_PTR_BUCKETS] = w->chain[w->nptrs];
    }
    w->len = m.len;
}

int dns_write_bytes(struct dns_writer *w, const void *data, size_t n)
{
    if (w->len + n > w->limit)
        return -1;
    memcpy(w->buf + w->len, data, n);
    w->len += n;
    return 0;
}

/* The fixed-size fields are stored byte by byte: a call to memcpy for two or four bytes costs
 * more than the copy (these run several times per record). */
int dns_write_u16(struct dns_writer *w, uint16_t v)
{
    if (w->len + 2 > w->limit)
        return -1;
    dns_put16(w->buf, w->len, v);
    w->len += 2;
    return 0;
}

int dns_write_u32(struct dns_writer *w, uint32_t v)
{
    if (w->len + 4 > w->limit)
        return -1;
    uint8_t *p = w->buf + w->len;
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    w->len += 4;
    return 0;
}

/* 1 when the (possibly compressed) name at off in the packet equals the wire name s. Only
 * names written completely are ever looked at, so every byte read was written by us. */
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
        if (!dns_label_equal(w->buf + off + 1, s + 1, c))
            return 0;
        off += (size_t)c + 1;
        s += c + 1;
    }
    return 0;
}

static uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

/* A case-insensitive key of one label (its length byte first) for the compression hashes:
 * the length and up to eight of its bytes (all of a label that short: its first four and last
 * four), each with bit 5 set, so names that differ only in ASCII case get equal keys. Bytes it
 * skips or merges only cost a comparison when a hash matches (packet_name_equals decides);
 * a key per label instead of a step per byte keeps hashing every suffix of every name cheap. */
static uint32_t label_key(const uint8_t *l)
{
    size_t n = l[0];
    uint32_t a, b = 0;
    if (n >= 4) {
        a = load32(l + 1);
        b = load32(l + n - 3);
    } else {
        a = l[1] | (uint32_t)l[1 + (n >> 1)] << 8 | (uint32_t)l[n] << 16;
    }
    a |= 0x20202020u;
    b |= 0x20202020u;
    return a ^ ((b << 13) | (b >> 19)) ^ (uint32_t)n;
}

int dns_write_name(struct dns_writer *w, const uint8_t *name, int compress)
{
    /* Label offsets, then the hash of every suffix, built from the root up by mixing in a key
     * of each label (label_key) once per label. */
    uint8_t off[DNS_NAME_MAX / 2 + 1];
    uint32_t hash[DNS_NAME_MAX / 2 + 1];
    unsigned labels = 0;
    size_t p = 0;
    for (; name[p]; p += (size_t)name[p] + 1)
        off[labels++] = (uint8_t)p;
    off[labels] = (uint8_t)p;
    uint32_t h = 0x811c9dc5u;
    for (unsigned k = labels; k-- > 0;) {
        h = (((h << 7) | (h >> 25)) ^ label_key(name + off[k])) * 0x9e3779b1u;
        hash[k] = h;
    }
    /* The longest suffix already in the message (the first remembered offset holding it, as
     * the names were written); labels before it go out in full. */
    unsigned k = labels;
    size_t target = 0;
    int found = 0;
    for (unsigned j = 0; compress && j < labels && !found; j++) {
        /* The bucket lists the newest first: the last match seen is the first written. */
        for (unsigned e = w->heads[hash[j] % DNS_PTR_BUCKETS]; e; e = w->chain[e - 1])
            if (w->hashes[e - 1] == hash[j] &&
                ((w->stable_names && w->src[e - 1] == name + off[j]) ||
                 packet_name_equals(w, w->ptrs[e - 1], name + off[j]))) {
                target = w->ptrs[e - 1];
                found = 1;
                k = j;
            }
    }
    size_t head = off[k], need = head + (found ? 2 : 1);
    if (w->len + need > w->limit)
        return -1;
    /* Remember where each written suffix starts so later names can point at it. */
    for (unsigned j = 0; j < k && w->len + off[j] < 0x4000 && w->nptrs < DNS_PTRS_MAX; j++) {
        size_t i = w->nptrs++;
        uint8_t *bucket = &w->heads[hash[j] % DNS_PTR_BUCKETS];
        w->ptrs[i] = (uint16_t)(w->len + off[j]);
        w->hashes[i] = hash[j];
        w->src[i] = name + off[j];
        w->chain[i] = *bucket;
        *bucket = (uint8_t)(i + 1);
    }
    uint8_t *dst = w->buf + w->len;
    if (head > 0)
        memcpy(dst, name, head);
    if (found) {
        dst[head] = (uint8_t)(0xc0 | (target >> 8));
        dst[head + 1] = (uint8_t)target;
    } else {
        dst[head] = 0;
    }
    w->len += need;
    return 0;
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
    if (dns_write_name(w, owner, 1) < 0 || w->len + 10 > w->limit)
        return -1;
    uint8_t *h = w->buf + w->len;
    h[0] = (uint8_t)(type >> 8);
    h[1] = (uint8_t)type;
    h[2] = 0;
    h[3] = DNS_CLASS_IN;
    h[4] = (uint8_t)(ttl >> 24);
    h[5] = (uint8_t)(ttl >> 16);
    h[6] = (uint8_t)(ttl >> 8);
    h[7] = (uint8_t)ttl;
    w->len += 10; /* the rdata length (h[8], h[9]) is known once the rdata is written */
    size_t start = w->len;
    if (write_rdata(w, type, rdata, rdlen) < 0)
        return -1;
    dns_put16(w->buf, start - 2, (uint16_t)(w->len - start));
    return 0;
}
