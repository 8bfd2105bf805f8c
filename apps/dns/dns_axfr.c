/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AXFR out (see dns_axfr.h). The records are walked in the zone's hash-table order: RFC 5936
 * prescribes no order besides the SOA first and last. Each message is filled with whole
 * records up to the size given (no RRset needs to stay in one message, section 2.2), the
 * question goes in the first message only (section 2.2.1 allows it in the others, not requires
 * it), and names are compressed within each message.
 */
#include "dns_axfr.h"

#include <string.h>

int dns_axfr_start(const struct dns_zoneset *zones, const uint8_t *msg, size_t len, struct dns_axfr *x)
{
    memset(x, 0, sizeof(*x));
    if (dns_query_parse(msg, len, &x->q) != DNS_RCODE_NOERROR || !x->q.has_question ||
        x->q.qtype != DNS_T_AXFR || x->q.qclass != DNS_CLASS_IN || x->q.opcode != 0 ||
        (x->q.edns && x->q.edns_version != 0))
        return 0;
    const struct dns_zone *z = dns_zoneset_find(zones, x->q.qname);
    if (!z || !dns_name_equal(z->origin, x->q.qname))
        return 0;
    x->zone = z;
    return 1;
}

/* The record to send next, or NULL after the last one. Moves the position past empty
 * non-terminals and the SOA, which is sent separately at both ends. */
static const uint8_t *current(struct dns_axfr *x)
{
    const struct dns_zone *z = x->zone;
    for (;;) {
        if (x->rr && x->rr < x->set->data + x->set->size)
            return x->rr;
        if (x->set && x->set->next) {
            x->set = x->set->next;
        } else {
            if (x->node && x->node->next) {
                x->node = x->node->next;
            } else {
                x->node = NULL;
                while (!x->node && x->bucket < z->nbuckets)
                    x->node = z->buckets[x->bucket++];
                if (!x->node)
                    return NULL;
            }
            x->set = x->node->rrsets;
            if (!x->set) {
                x->rr = NULL;
                continue;
            }
        }
        x->rr = x->set->type == DNS_T_SOA ? x->set->data + x->set->size : x->set->data;
    }
}

/* The owner in lower case, as NSD transfers names (they are kept as first written, for
 * answers that echo the spelling of the zone file). Length bytes are below 64, so only the
 * label characters change. */
static const uint8_t *lower(const uint8_t *name, uint8_t *buf)
{
    size_t len = dns_name_len(name);
    for (size_t i = 0; i < len; i++)
        buf[i] = name[i] >= 'A' && name[i] <= 'Z' ? (uint8_t)(name[i] + 32) : name[i];
    return buf;
}

static int put_soa(struct dns_writer *w, const struct dns_zone *z)
{
    const uint8_t *rr = z->soa->data;
    uint8_t owner[DNS_NAME_MAX];
    return dns_write_rr(w, lower(z->origin, owner), DNS_T_SOA, dns_rr_ttl(rr), dns_rr_rdata(rr), dns_rr_rdlen(rr));
}

size_t dns_axfr_next(struct dns_axfr *x, uint8_t *out, size_t outsize)
{
    if (x->phase == 3 || outsize < 512)
        return 0;
    struct dns_writer w;
    dns_writer_init(&w, out, outsize < 65535 ? outsize : 65535);
    memset(out, 0, DNS_HEADER);
    w.len = DNS_HEADER;
    int question = x->messages == 0;
    if (question) {
        /* The name as the client wrote it; the records' owners then compress against it. */
        dns_write_name(&w, x->q.qname, 0);
        dns_write_u16(&w, x->q.qtype);
        dns_write_u16(&w, x->q.qclass);
    }
    uint16_t count = 0;
    uint16_t rcode = DNS_RCODE_NOERROR;
    if (x->phase == 0) {
        if (put_soa(&w, x->zone) < 0)
            return 0; /* cannot happen: the SOA fits in 512 bytes with the question */
        count++;
        x->phase = 1;
    }
    const uint8_t *rr;
    uint8_t owner[DNS_NAME_MAX];
    while (x->phase == 1 && (rr = current(x)) != NULL) {
        struct dns_mark m = dns_writer_mark(&w);
        if (dns_write_rr(&w, lower(x->node->name, owner), x->set->type, dns_rr_ttl(rr), dns_rr_rdata(rr),
                         dns_rr_rdlen(rr)) < 0) {
            dns_writer_undo(&w, m);
            if (count == 0) {
                /* A record too big for any message: end the transfer with an error. */
                rcode = DNS_RCODE_SERVFAIL;
                x->phase = 3;
            }
            break;
        }
        count++;
        x->rr = dns_rr_next(rr);
    }
    if (x->phase == 1 && !current(x))
        x->phase = 2;
    if (x->phase == 2) {
        struct dns_mark m = dns_writer_mark(&w);
        if (put_soa(&w, x->zone) < 0) {
            dns_writer_undo(&w, m); /* the next message then holds just the SOA */
        } else {
            count++;
            x->phase = 3;
        }
    }
    x->messages++;
    dns_put16(out, 0, x->q.id);
    dns_put16(out, 2, (uint16_t)(DNS_FLAG_QR | DNS_FLAG_AA | (x->q.flags & DNS_FLAG_RD) | rcode));
    dns_put16(out, 4, question ? 1 : 0);
    dns_put16(out, 6, rcode == DNS_RCODE_NOERROR ? count : 0);
    return w.len;
}
