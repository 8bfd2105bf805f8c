/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP dates (RFC 9110 section 5.6.7): formatting seconds since the Unix epoch as IMF-fixdate
 * for Date and Last-Modified, and parsing the three forms a client may send in
 * If-Modified-Since (IMF-fixdate, RFC 850, asctime). Pure arithmetic, no time zone database.
 */
#ifndef HTTP_DATE_H
#define HTTP_DATE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_DATE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */

/* Writes the date and a NUL into out (at least HTTP_DATE_LEN + 1 bytes). Years 1970..9999. */
void http_date_format(uint64_t seconds, char *out);

/* Parses [s, s + n); 0 with *seconds set, or -1 when it is not a valid HTTP date. */
int http_date_parse(const char *s, size_t n, uint64_t *seconds);

#endif
