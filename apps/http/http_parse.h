/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The HTTP/1.x request parser: a pure function over the bytes received so far, no I/O and no
 * allocation, so the server, the unit tests and the fuzzer drive the very same code. It finds one
 * request head (request line and header fields) at the start of a buffer, checks its syntax
 * strictly (RFC 9112: tokens, no whitespace before a colon, no obsolete line folding) and
 * extracts only what a static file server acts on. Fields point into the caller's buffer.
 */
#ifndef HTTP_PARSE_H
#define HTTP_PARSE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_LINE 8192        /* request line; longer: 414 */
#define HTTP_MAX_HEAD 16384       /* request line plus header fields; longer: 431 */
#define HTTP_MAX_FIELDS 100       /* header fields; more: 431 */
#define HTTP_MAX_BODY 8192        /* a request body is read and discarded; larger: 413 */

/* Return values of http_parse_request besides HTTP status codes of errors. */
#define HTTP_PARSE_INCOMPLETE 0
#define HTTP_PARSE_OK 1

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_request {
    enum http_method method;
    const char *target;       /* request-target as sent, not NUL-terminated */
    size_t target_len;
    int minor;                /* HTTP/1.minor: 0 or 1 (other 1.x count as 1) */
    int keep_alive;           /* version default, then the Connection field */
    const char *ims;          /* If-Modified-Since value, or NULL */
    size_t ims_len;
    const char *inm;          /* If-None-Match value, or NULL */
    size_t inm_len;
    const char *range;        /* Range value, or NULL */
    size_t range_len;
    const char *if_range;     /* If-Range value, or NULL */
    size_t if_range_len;
    size_t body_len;          /* Content-Length (<= HTTP_MAX_BODY) */
    size_t skip;              /* leading empty lines before the request line */
    size_t head_len;          /* bytes from the buffer start through the blank line, skip included */
};

/*
 * Parses the request at the start of buf[0..len). Returns HTTP_PARSE_OK with *req filled (the
 * whole request, body included, is head_len + body_len bytes, which may not all be there yet),
 * HTTP_PARSE_INCOMPLETE when more bytes are needed, or the status of the error to answer with
 * before closing: 400 (syntax), 413 (body too large), 414 (request line too long), 431 (header
 * section too large), 501 (Transfer-Encoding), 505 (not HTTP/1.x).
 */
int http_parse_request(const char *buf, size_t len, struct http_request *req);

#endif
