/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * From a request-target to the archive path it names, and back to a URL path for redirects.
 * Pure functions: percent-decoding, dot-segment resolution and the traversal rules live here so
 * they are tested and fuzzed apart from the server. A path never climbs above the root, never
 * holds a NUL byte, and never takes a "/" from an escape (%2F), so every resolved path is a plain
 * archive path.
 */
#ifndef HTTP_PATH_H
#define HTTP_PATH_H

#include <stddef.h>

#define HTTP_PATH_MAX 1024

struct http_path {
    char path[HTTP_PATH_MAX]; /* archive path: no leading "/", "" is the root */
    int dir_form;             /* the target named a directory ("/a/", "/a/.") */
    const char *query;        /* after '?', not NUL-terminated (NULL when absent) */
    size_t query_len;
};

/*
 * Resolves origin-form ("/a/b?q") and absolute-form ("http://host/a/b") targets. "." segments
 * and empty segments go, ".." removes the previous segment. Returns 0, 400 for a malformed or
 * forbidden target (bad escape, %00, %2F, above the root, not a path), 414 when the path is
 * longer than HTTP_PATH_MAX - 1.
 */
int http_path_resolve(const char *target, size_t len, struct http_path *out);

/* Writes "/" + path percent-encoded where needed (NUL-terminated); returns the length, or -1
 * when outlen is too small. */
long http_path_encode(const char *path, char *out, size_t outlen);

#endif
