/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The authoritative answer to one query: zone selection (REFUSED when none), exact matches,
 * wildcards, CNAME chasing within the served zones, referrals at zone cuts (NS plus glue, AA
 * off), NXDOMAIN and NODATA with the SOA, EDNS0, and truncation (TC) when the UDP size does not
 * allow the answer.
 */
#ifndef DNS_ANSWER_H
#define DNS_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "dns_zone.h"

#define DNS_EDNS_SIZE 1232 /* our advertised UDP payload size (the DNS flag day 2020 value) */

/*
 * Builds the response to the query msg (len bytes) into out (outsize bytes; 65535 holds any
 * answer). tcp: the query came over TCP (no size limit but 65535). Returns the response length,
 * or 0 when the query must be dropped unanswered.
 */
size_t dns_answer(const struct dns_zoneset *zones, const uint8_t *msg, size_t len, int tcp,
                  uint8_t *out, size_t outsize);

#endif
