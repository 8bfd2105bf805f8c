/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RFC 1035 master-file parser: $ORIGIN, $TTL, comments, parentheses, quoted strings, "@",
 * relative names, omitted owner/TTL/class. The zone's origin is the owner of its SOA record,
 * which must come first. Errors are reported as "FILE:LINE: problem".
 */
#ifndef DNS_ZPARSE_H
#define DNS_ZPARSE_H

#include <stddef.h>
#include <stdint.h>

#include "dns_zone.h"

/*
 * Parses len bytes of text (not NUL-terminated) named fname. origin is the initial $ORIGIN
 * (NULL: none, relative names before a $ORIGIN are errors). Returns a finished zone, or NULL
 * with the message in err.
 */
struct dns_zone *dns_zparse(const char *fname, const char *text, size_t len,
                            const uint8_t *origin, char *err, size_t errsize);

#endif
