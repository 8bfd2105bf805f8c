/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of apps/probe/icmp_reply: crafted time-exceeded, unreachable and echo replies,
 * RFC 4884 framing (length field and the 128-byte compatibility layout), RFC 4950 label stacks
 * with several objects, and every kind of malformation, including all truncations. */
#include <stdlib.h>
#include <string.h>

#include "../../apps/probe/icmp_reply.h"
#include "check.h"

struct craft {
    uint8_t type, code, te, qttl, qproto;
    int len_field;      /* write the RFC 4884 length (words of a 128-byte quote) */
    int compat;         /* extension at 128 without the length field */
    int n_labels;
    uint32_t labels[4]; /* label values; TTL = 1 + index, S on the last */
    int second_obj;     /* append a non-MPLS object (class 2) */
    int ext_version;
};

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* Builds an IPv4 ICMP error from 192.0.2.1 quoting an ICMP echo probe to 198.51.100.7. */
static size_t craft(const struct craft *c, uint8_t *buf)
{
    memset(buf, 0, 600);
    uint8_t *ip = buf, *icmp = buf + 20, *q = icmp + 8;
    ip[0] = 0x45; ip[8] = c->te; ip[9] = 1;
    ip[12] = 192; ip[13] = 0; ip[14] = 2; ip[15] = 1;
    ip[16] = 10; ip[17] = 0; ip[18] = 0; ip[19] = 2;
    icmp[0] = c->type; icmp[1] = c->code;
    q[0] = 0x45; put16(q + 2, 48); put16(q + 4, 0x1234); q[8] = c->qttl; q[9] = c->qproto;
    q[12] = 10; q[15] = 2; q[16] = 198; q[17] = 51; q[18] = 100; q[19] = 7;
    uint8_t *l4 = q + 20;
    if (c->qproto == 1) {
        l4[0] = 8; put16(l4 + 2, 0xbeef); put16(l4 + 4, 0x4242); put16(l4 + 6, 7);
    } else {
        put16(l4, 40000); put16(l4 + 2, 33435); put16(l4 + 4, 20);
    }
    size_t qlen = 28;
    size_t plen = qlen;
    if (c->n_labels || c->second_obj || c->compat || c->len_field) {
        qlen = 128;
        if (c->len_field)
            icmp[5] = 128 / 4;
        uint8_t *e = q + qlen, *o = e + 4;
        e[0] = (uint8_t)((c->ext_version ? c->ext_version : 2) << 4);
        if (c->n_labels) {
            put16(o, (uint16_t)(4 + 4 * c->n_labels)); o[2] = 1; o[3] = 1;
            for (int i = 0; i < c->n_labels; i++) {
                uint32_t v = c->labels[i] << 12 | (uint32_t)(i == c->n_labels - 1) << 8 |
                             (uint32_t)(1 + i) | 5u << 9;
                o[4 + 4 * i] = (uint8_t)(v >> 24); o[5 + 4 * i] = (uint8_t)(v >> 16);
                o[6 + 4 * i] = (uint8_t)(v >> 8); o[7 + 4 * i] = (uint8_t)v;
            }
            o += 4 + 4 * c->n_labels;
        }
        if (c->second_obj) {
            put16(o, 8); o[2] = 2; o[3] = 3; o[4] = 0xaa;
            o += 8;
        }
        size_t elen = (size_t)(o - e);
        put16(e + 2, icmp_reply_cksum(e, elen));
        plen = qlen + elen;
    }
    size_t icmp_len = 8 + plen;
    put16(icmp + 2, icmp_reply_cksum(icmp, icmp_len));
    put16(ip + 2, (uint16_t)(20 + icmp_len));
    put16(ip + 10, icmp_reply_cksum(ip, 20));
    return 20 + icmp_len;
}

static void fix_icmp_cksum(uint8_t *buf, size_t len)
{
    put16(buf + 22, 0);
    put16(buf + 22, icmp_reply_cksum(buf + 20, len - 20));
}

int main(void)
{
    uint8_t buf[600];
    struct icmp_reply r;

    /* plain time exceeded quoting an ICMP echo */
    struct craft te = {.type = 11, .te = 244, .qttl = 1, .qproto = 1};
    size_t n = craft(&te, buf);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_OK, "icmp.te.parses");
    CHECK(r.type == 11 && r.code == 0 && r.ttl == 244, "icmp.te.type-ttl");
    CHECK(r.has_quote && r.q_ttl == 1 && r.q_proto == 1 && r.q_ipid == 0x1234, "icmp.te.quote");
    CHECK(r.q_icmp_id == 0x4242 && r.q_icmp_seq == 7 && r.q_icmp_cksum == 0xbeef, "icmp.te.quoted-echo");
    uint8_t *qd = (uint8_t *)&r.q_dst;
    CHECK(qd[0] == 198 && qd[3] == 7, "icmp.te.quoted-dst-network-order");
    CHECK(!r.has_ext && r.n_labels == 0, "icmp.te.no-ext");

    /* quoted UDP */
    struct craft udp = {.type = 3, .code = 3, .te = 60, .qttl = 2, .qproto = 17};
    n = craft(&udp, buf);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_OK && r.q_sport == 40000 &&
              r.q_dport == 33435 && r.q_ttl == 2, "icmp.unreach.quoted-udp-ports");

    /* RFC 4884 + RFC 4950: two labels, then a second object */
    struct craft mp = {.type = 11, .te = 236, .qttl = 2, .qproto = 1, .len_field = 1,
                       .n_labels = 2, .labels = {35698, 25874}, .second_obj = 1};
    n = craft(&mp, buf);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_OK, "icmp.mpls.parses");
    CHECK(r.rfc4884_len == 32 && r.has_ext && !r.ext_compat && r.ext_version == 2, "icmp.mpls.rfc4884");
    CHECK(r.n_objs == 2 && r.objs[0].class_num == 1 && r.objs[0].c_type == 1 &&
              r.objs[0].length == 12 && r.objs[1].class_num == 2 && r.objs[1].c_type == 3 &&
              r.objs[1].length == 8, "icmp.mpls.all-objects");
    CHECK(r.n_labels == 2 && r.labels[0].label == 35698 && r.labels[0].ttl == 1 &&
              r.labels[0].s == 0 && r.labels[0].tc == 5 && r.labels[1].label == 25874 &&
              r.labels[1].ttl == 2 && r.labels[1].s == 1, "icmp.mpls.label-stack");
    unsigned nl = 0;
    const struct icmp_mpls_entry *l = icmp_reply_mpls(&r, &nl);
    CHECK(l && nl == 2 && l[0].label == 35698, "icmp.mpls.accessor");
    CHECK(r.q_ttl == 2 && r.q_icmp_seq == 7, "icmp.mpls.quote-kept");

    /* compatibility layout: extension at 128 without a length field */
    struct craft cp = {.type = 11, .te = 250, .qttl = 1, .qproto = 1, .compat = 1,
                       .n_labels = 1, .labels = {16}};
    n = craft(&cp, buf);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_OK && r.has_ext && r.ext_compat &&
              r.n_labels == 1 && r.labels[0].label == 16, "icmp.compat.ext-at-128");
    /* max label value */
    struct craft mx = {.type = 11, .te = 250, .qttl = 1, .qproto = 1, .len_field = 1,
                       .n_labels = 1, .labels = {0xfffff}};
    n = craft(&mx, buf);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_OK && r.labels[0].label == 0xfffff,
          "icmp.mpls.20-bit-label");

    /* echo reply */
    memset(buf, 0, sizeof(buf));
    buf[0] = 0x45; put16(buf + 2, 36); buf[8] = 54; buf[9] = 1; buf[12] = 1;
    buf[20] = 0; put16(buf + 24, 0x4242); put16(buf + 26, 9);
    fix_icmp_cksum(buf, 36);
    CHECK(icmp_reply_parse(buf, 36, &r) == ICMP_REPLY_OK && r.type == 0 && r.echo_id == 0x4242 &&
              r.echo_seq == 9 && r.ttl == 54, "icmp.echo-reply");

    /* malformations */
    n = craft(&mp, buf);
    buf[20 + 8 + 128 + 2] ^= 0x55; /* ext checksum */
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_EXT_CKSUM, "icmp.bad.ext-cksum");

    struct craft v1 = mp;
    v1.ext_version = 1;
    n = craft(&v1, buf);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_EXT_VERSION, "icmp.bad.ext-version");

    n = craft(&mp, buf);
    buf[20 + 5] = 200; /* length field beyond the message */
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_EXT_LEN, "icmp.bad.rfc4884-len");

    n = craft(&mp, buf);
    uint8_t *e = buf + 20 + 8 + 128;
    put16(e + 4, 200); put16(e + 2, 0); put16(e + 2, icmp_reply_cksum(e, n - 156));
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_OBJ_LEN, "icmp.bad.obj-len-past-end");
    put16(e + 4, 2); put16(e + 2, 0); put16(e + 2, icmp_reply_cksum(e, n - 156));
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_OBJ_LEN, "icmp.bad.obj-len-zero");
    put16(e + 4, 10); put16(e + 2, 0); put16(e + 2, icmp_reply_cksum(e, n - 156));
    fix_icmp_cksum(buf, n);
    enum icmp_reply_err err = icmp_reply_parse(buf, n, &r);
    CHECK(err == ICMP_REPLY_E_MPLS_LEN, "icmp.bad.mpls-len");

    n = craft(&te, buf);
    buf[25] ^= 1;
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_CKSUM, "icmp.bad.icmp-cksum");
    n = craft(&te, buf);
    buf[28] = 0x65; /* quoted version 6 */
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_QUOTE_GARBAGE, "icmp.bad.quote-garbage");
    n = craft(&te, buf);
    buf[28] = 0x4f; /* quoted IHL 60 bytes, not there */
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_SHORT_QUOTE, "icmp.bad.quote-ihl");
    n = craft(&te, buf);
    buf[9] = 17;
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_NOT_ICMP, "icmp.bad.not-icmp");
    buf[9] = 1; buf[0] = 0x65;
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_NOT_IPV4, "icmp.bad.not-ipv4");
    n = craft(&te, buf);
    buf[20] = 13;
    fix_icmp_cksum(buf, n);
    CHECK(icmp_reply_parse(buf, n, &r) == ICMP_REPLY_E_TYPE, "icmp.bad.type-counted");
    CHECK(icmp_reply_parse(NULL, 0, &r) == ICMP_REPLY_E_SHORT_IP, "icmp.bad.null");
    CHECK(strcmp(icmp_reply_err_name(ICMP_REPLY_E_EXT_CKSUM), "ext-cksum") == 0 &&
              strcmp(icmp_reply_err_name((enum icmp_reply_err)99), "unknown") == 0, "icmp.err-names");

    /* every truncation of a valid MPLS reply, in an exactly sized heap copy (ASan) */
    n = craft(&mp, buf);
    int all_errors = 1;
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, buf, cut);
        if (icmp_reply_parse(copy, cut, &r) == ICMP_REPLY_OK)
            all_errors = 0;
        /* also lie in the IP total length so the parser trusts the header less than len */
        free(copy);
    }
    CHECK(all_errors, "icmp.truncations-are-errors");
    int no_crash = 1;
    for (size_t cut = 0; cut < n; cut++) {
        uint8_t *copy = malloc(n);
        memcpy(copy, buf, n);
        put16(copy + 2, (uint16_t)cut);
        copy[20 + 5] = (uint8_t)cut;
        icmp_reply_parse(copy, n, &r);
        free(copy);
    }
    CHECK(no_crash, "icmp.lying-lengths-no-crash");
    return CHECK_DONE();
}
