/* SPDX-License-Identifier: BSD-2-Clause */
/* Validators and ranges (see http_cond.h). */
#include "http_cond.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

uint64_t http_content_hash(const void *data, size_t size)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < size; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void http_etag_format(uint64_t size, uint64_t mtime, uint64_t hash, char *out)
{
    snprintf(out, HTTP_ETAG_MAX + 1, "\"%llx-%llx-%016llx\"", (unsigned long long)size,
             (unsigned long long)mtime, (unsigned long long)hash);
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

int http_etag_match_any(const char *v, size_t n, const char *etag)
{
    size_t i = 0;
    while (i < n && is_ows(v[i]))
        i++;
    if (i < n && v[i] == '*') {
        for (i++; i < n && is_ows(v[i]); i++)
            ;
        return i == n;
    }
    /* The opaque part of our tag, quotes included, compared with each member's. */
    size_t elen = strlen(etag);
    while (i < n) {
        if (v[i] == ',' || is_ows(v[i])) {
            i++;
            continue;
        }
        if (n - i >= 2 && v[i] == 'W' && v[i + 1] == '/')
            i += 2;
        if (i >= n || v[i] != '"')
            return 0;
        size_t start = i++;
        while (i < n && v[i] != '"')
            i++;
        if (i >= n)
            return 0; /* an unterminated tag: the whole field is invalid */
        i++;
        if (i - start == elen && memcmp(v + start, etag, elen) == 0)
            return 1;
        while (i < n && is_ows(v[i]))
            i++;
        if (i < n && v[i] != ',')
            return 0;
    }
    return 0;
}

/* Digits at v[*i..]: 1 with the value (saturated at UINT64_MAX), 0 when there is none. */
static int number(const char *v, size_t n, size_t *i, uint64_t *out)
{
    uint64_t x = 0;
    size_t start = *i;
    for (; *i < n && v[*i] >= '0' && v[*i] <= '9'; (*i)++) {
        unsigned d = (unsigned)(v[*i] - '0');
        x = x > (UINT64_MAX - d) / 10 ? UINT64_MAX : x * 10 + d;
    }
    *out = x;
    return *i > start;
}

int http_range_parse(const char *v, size_t n, uint64_t size, uint64_t *first, uint64_t *last)
{
    size_t i = 0;
    if (n < 6 || strncasecmp(v, "bytes", 5) != 0)
        return HTTP_RANGE_IGNORE;
    i = 5;
    while (i < n && is_ows(v[i]))
        i++;
    if (i >= n || v[i++] != '=')
        return HTTP_RANGE_IGNORE;
    while (i < n && is_ows(v[i]))
        i++;
    uint64_t a = 0, b = 0;
    int has_a = number(v, n, &i, &a);
    if (i >= n || v[i++] != '-')
        return HTTP_RANGE_IGNORE;
    int has_b = number(v, n, &i, &b);
    while (i < n && is_ows(v[i]))
        i++;
    if (i != n || (!has_a && !has_b))
        return HTTP_RANGE_IGNORE; /* trailing text, another range, or a bare "-" */
    if (!has_a) {
        /* The last b bytes; none asked for, or an empty file: nothing to send. */
        if (b == 0 || size == 0)
            return HTTP_RANGE_UNSATISFIABLE;
        *first = b >= size ? 0 : size - b;
        *last = size - 1;
        return HTTP_RANGE_OK;
    }
    if (has_b && b < a)
        return HTTP_RANGE_IGNORE; /* an invalid range-spec (RFC 9110 14.1.1) */
    if (a >= size)
        return HTTP_RANGE_UNSATISFIABLE;
    *first = a;
    *last = has_b && b < size - 1 ? b : size - 1;
    return HTTP_RANGE_OK;
}
