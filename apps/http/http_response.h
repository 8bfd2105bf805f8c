/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the server answers: from a parsed request (or a parse error) to a response head in a
 * caller's buffer plus the body to send after it, which points into the image's file archive
 * (never copied here). Decides the status: 200, 206 and 416 for a Range, 304 (If-None-Match
 * against a strong ETag, or If-Modified-Since), 301 for a directory named without its
 * trailing slash, 403 for a directory without index.html, 404, 405 with Allow, and the errors the
 * parser reports.
 */
#ifndef HTTP_RESPONSE_H
#define HTTP_RESPONSE_H

#include <stddef.h>
#include <stdint.h>

#include "http_date.h"
#include "http_parse.h"

/* A file's content hash, computed once (http_site_hash_files) rather than per request. */
struct http_file_hash {
    const void *data;
    uint64_t hash;
};

struct http_site {
    /* Last-Modified of archive entries whose mtime is 0: `unf build` writes mtime 0 for every
     * file (reproducible images), so one fixed time per image stands in (--last-modified). 0:
     * such files get no Last-Modified at all (a made-up date would answer If-Modified-Since
     * wrongly after the content changes); their ETag still validates them. */
    uint64_t last_modified;
    const struct http_file_hash *hashes; /* sorted by data; NULL: hash at each request */
    size_t nhashes;
    char date[HTTP_DATE_LEN + 1]; /* the Date field's value, kept current by the caller; "" omits it */
};

struct http_reply {
    int status;
    int keep_alive;      /* the connection stays open after this response */
    const void *body;    /* bytes to send after the head; NULL when none (HEAD, 304) */
    size_t body_len;
};

/* Computes the content hash of every file in the archive, for ETags; allocates the table
 * (freed with http_site_free_hashes). -1 when out of memory (hashes are then computed per
 * request). */
int http_site_hash_files(struct http_site *site);
void http_site_free_hashes(struct http_site *site);

/* Answers a request the parser accepted. Writes the head into buf; returns its length, or -1
 * when cap is too small (then nothing is decided). */
long http_reply_request(const struct http_site *site, const struct http_request *req, char *buf,
                        size_t cap, struct http_reply *out);

/* Answers with an error status (a parser result such as 400 or 414); the connection closes. */
long http_reply_error(const struct http_site *site, int status, int head_only, char *buf, size_t cap,
                      struct http_reply *out);

#endif
