/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Request-target resolution (see http_path.h). Decoding happens segment by segment, before dot
 * segments are interpreted, so "%2e%2e" is "..", as a client that normalises URLs would also
 * read it; a decoded "/" is refused instead of being taken as a separator, which keeps the
 * segment structure the client sent.
 */
#include "http_path.h"

#include <string.h>
#include <strings.h>

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Skips "scheme://authority" of an absolute-form target; returns the offset of its path, or
 * -1 when the target is neither absolute- nor origin-form. */
static long path_start(const char *t, size_t len)
{
    if (len > 0 && t[0] == '/')
        return 0;
    size_t skip = 0;
    if (len >= 7 && strncasecmp(t, "http://", 7) == 0)
        skip = 7;
    else if (len >= 8 && strncasecmp(t, "https://", 8) == 0)
        skip = 8;
    else
        return -1;
    while (skip < len && t[skip] != '/' && t[skip] != '?')
        skip++;
    return (long)skip;
}

/* Decodes one segment [s, s + n) into out[*o...]; 0, 400 or 414. */
static int decode_segment(const char *s, size_t n, struct http_path *p, size_t *o)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f)
            return 400; /* the parser never lets these through; callers other than it might */
        if (c == '%') {
            if (i + 2 >= n)
                return 400; /* fewer than two characters left */
            int h = hex_value(s[i + 1]), l = hex_value(s[i + 2]);
            if (h < 0 || l < 0)
                return 400;
            c = (unsigned char)(h * 16 + l);
            if (c == 0 || c == '/')
                return 400;
            i += 2;
        }
        if (*o + 1 >= HTTP_PATH_MAX)
            return 414;
        p->path[(*o)++] = (char)c;
    }
    return 0;
}

int http_path_resolve(const char *target, size_t len, struct http_path *out)
{
    long start = path_start(target, len);
    if (start < 0)
        return 400;
    out->query = NULL;
    out->query_len = 0;
    out->dir_form = 1; /* "/" and an empty absolute-form path name the root */
    const char *t = target + start;
    size_t n = len - (size_t)start;
    const char *q = memchr(t, '?', n);
    if (q) {
        out->query = q + 1;
        out->query_len = (size_t)(t + n - q - 1);
        n = (size_t)(q - t);
    }
    const char *hash = memchr(t, '#', n);
    if (hash)
        n = (size_t)(hash - t);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        while (i < n && t[i] == '/')
            i++;
        size_t seg = i;
        while (i < n && t[i] != '/')
            i++;
        if (i == seg)
            break; /* trailing slashes */
        size_t before = o;
        if (o > 0)
            out->path[o++] = '/';
        int status = decode_segment(t + seg, i - seg, out, &o);
        if (status)
            return status;
        const char *dec = out->path + before + (before > 0);
        size_t dn = o - before - (before > 0);
        out->dir_form = i == n ? 0 : 1;
        if (dn == 1 && dec[0] == '.') {
            o = before;
            out->dir_form = 1;
        } else if (dn == 2 && dec[0] == '.' && dec[1] == '.') {
            if (before == 0)
                return 400; /* above the root */
            size_t k = before; /* drop the previous segment and the "/" before it */
            while (k > 0 && out->path[k - 1] != '/')
                k--;
            o = k > 0 ? k - 1 : 0;
            out->dir_form = 1;
        }
    }
    out->path[o] = '\0';
    return 0;
}

/* Characters a path segment may hold unescaped (RFC 3986 pchar, minus '%'). */
static int is_plain(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("-._~!$&'()*+,;=:@/", c) != NULL;
}

long http_path_encode(const char *path, char *out, size_t outlen)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    if (outlen < 2)
        return -1;
    out[o++] = '/';
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (o + 4 > outlen)
            return -1;
        if (is_plain(*p)) {
            out[o++] = (char)*p;
        } else {
            out[o++] = '%';
            out[o++] = hex[*p >> 4];
            out[o++] = hex[*p & 15];
        }
    }
    out[o] = '\0';
    return (long)o;
}
