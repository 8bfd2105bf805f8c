/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Validators and ranges (RFC 9110 sections 8.8, 13 and 14), pure functions over header values:
 * the strong ETag of a file, If-None-Match lists, and a Range header's one byte range. No I/O,
 * no allocation; unit-tested and fuzzed with the request parser.
 */
#ifndef HTTP_COND_H
#define HTTP_COND_H

#include <stddef.h>
#include <stdint.h>

/* "size-mtime-hash" in hex with the quotes: at most 2 + 16 + 1 + 16 + 1 + 16 characters. */
#define HTTP_ETAG_MAX 52

/* FNV-1a (64 bits) of a file's bytes: the part of the ETag that follows its content, since
 * images give every file the same mtime. */
uint64_t http_content_hash(const void *data, size_t size);

/* Writes the strong ETag of a file (size, Last-Modified time, content hash) and a NUL into out
 * (HTTP_ETAG_MAX + 1 bytes). */
void http_etag_format(uint64_t size, uint64_t mtime, uint64_t hash, char *out);

/* Whether the If-None-Match value [v, v + n) matches etag: "*", or a list member equal to it
 * by the weak comparison (W/ ignored), which RFC 9110 13.1.2 prescribes for this field. An
 * unparsable value matches nothing. */
int http_etag_match_any(const char *v, size_t n, const char *etag);

#define HTTP_RANGE_IGNORE 0         /* no usable range: answer 200 with the whole body */
#define HTTP_RANGE_OK 1             /* 206 with bytes [*first, *last] */
#define HTTP_RANGE_UNSATISFIABLE 2  /* 416 */

/*
 * Evaluates the Range value [v, v + n) for a representation of size bytes. One range of the
 * forms bytes=a-b, bytes=a- and bytes=-n is served; a syntax error, another unit and several
 * ranges are ignored (RFC 9110 14.2 allows it: the whole body is a valid answer).
 */
int http_range_parse(const char *v, size_t n, uint64_t size, uint64_t *first, uint64_t *last);

#endif
