/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Record data of the supported types (A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV) converted from
 * zone-file text to wire form, plus the names of types and the zone-file TTL syntax. Pure: used
 * by the zone parser, the unit tests and the fuzz target alike.
 */
#ifndef DNS_RDATA_H
#define DNS_RDATA_H

#include <stddef.h>
#include <stdint.h>

#define DNS_RDATA_MAX 65535

/* A token of a zone-file entry: raw text (escapes kept), quoted without its quotes. */
struct dns_token {
    const char *text;
    size_t len;
    int quoted;
    unsigned line;
};

/* The type code of a mnemonic ("MX", case-insensitive), or 0 when unknown/unsupported. */
uint16_t dns_type_from_text(const char *text, size_t len);

/* TTL with optional units (3600, 1h30m, 2d, 1w); 0 on success, -1 on bad syntax or > 2^31-1. */
int dns_ttl_from_text(const char *text, size_t len, uint32_t *out);

/*
 * Converts the rdata tokens of a record of `type` into wire form (out holds DNS_RDATA_MAX
 * bytes); relative names get origin appended. 0 on success, -1 with *why (static text).
 */
int dns_rdata_from_text(uint16_t type, const struct dns_token *tok, size_t ntok,
                        const uint8_t *origin, uint8_t *out, size_t *outlen, const char **why);

#endif
