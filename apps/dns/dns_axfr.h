/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Zone transfer out (AXFR, RFC 5936) over TCP: the SOA, every other record of the zone (glue and
 * delegations included), the SOA again, in as many messages as it takes. Pure: the caller
 * pulls one message at a time, so a large zone streams as the connection drains instead of
 * being built whole in memory. Queries it does not take (not AXFR, UDP, a name that is not a
 * zone's apex) are dns_answer's, which refuses AXFR.
 */
#ifndef DNS_AXFR_H
#define DNS_AXFR_H

#include <stddef.h>
#include <stdint.h>

#include "dns_msg.h"
#include "dns_zone.h"

struct dns_axfr {
    const struct dns_zone *zone;
    struct dns_query q;
    int phase;                      /* 0: first SOA, 1: the records, 2: last SOA, 3: done */
    size_t bucket;                  /* position: this bucket's node, RRset and record */
    const struct dns_node *node;
    const struct dns_rrset *set;
    const uint8_t *rr;
    unsigned messages;              /* sent so far (the question goes in the first only) */
};

/*
 * Takes the query msg (len bytes, received over TCP) when it is an AXFR of a zone in zones
 * (qname its apex, class IN, opcode QUERY): fills x and returns 1. Returns 0 for any other
 * query.
 */
int dns_axfr_start(const struct dns_zoneset *zones, const uint8_t *msg, size_t len, struct dns_axfr *x);

/* Writes the next message of the transfer into out (at most outsize bytes, at least 512; 65535
 * in practice). Returns its length, or 0 when the transfer is complete. */
size_t dns_axfr_next(struct dns_axfr *x, uint8_t *out, size_t outsize);

#endif
