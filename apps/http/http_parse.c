/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * HTTP/1.x request parser (see http_parse.h). Works line by line over the caller's buffer:
 * request line, then header fields until the blank line. Limits are checked on incomplete input
 * too, so a peer that never ends its line is answered (414/431) instead of being buffered forever.
 * Lines end in CRLF or a bare LF (as most servers accept); a bare CR elsewhere is an error.
 */
#include "http_parse.h"

#include <string.h>
#include <strings.h>

/* tchar of RFC 9110 section 5.6.2. */
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Finds the end of the line starting at `from`: returns the offset of its '\n', or -1. The line
 * content is [from, *content_end) with a trailing CR removed. */
static long find_line(const char *buf, size_t len, size_t from, size_t *content_end)
{
    const char *nl = memchr(buf + from, '\n', len - from);
    if (!nl)
        return -1;
    size_t end = (size_t)(nl - buf);
    *content_end = end > from && buf[end - 1] == '\r' ? end - 1 : end;
    return (long)end;
}

static int parse_version(const char *v, size_t n, int *minor)
{
    if (n != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
        v[7] < '0' || v[7] > '9')
        return 400;
    if (v[5] != '1')
        return 505;
    *minor = v[7] == '0' ? 0 : 1;
    return 0;
}

/* method SP request-target SP HTTP-version */
static int parse_request_line(const char *line, size_t n, struct http_request *req)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i >= n || line[i] != ' ')
        return 400;
    if (i == 3 && memcmp(line, "GET", 3) == 0)
        req->method = HTTP_GET;
    else if (i == 4 && memcmp(line, "HEAD", 4) == 0)
        req->method = HTTP_HEAD;
    else
        req->method = HTTP_OTHER;
    size_t t = ++i;
    while (i < n && (unsigned char)line[i] > ' ' && line[i] != 0x7f)
        i++;
    if (i == t || i >= n || line[i] != ' ')
        return 400;
    req->target = line + t;
    req->target_len = i - t;
    i++;
    return parse_version(line + i, n - i, &req->minor);
}

/* Applies the tokens of a Connection field value: "close" wins over "keep-alive". */
static void parse_connection(const char *v, size_t n, int *saw_close, int *saw_keep_alive)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (is_ows(v[i]) || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',')
            i++;
        size_t end = i;
        while (end > start && is_ows(v[end - 1]))
            end--;
        if (end - start == 5 && strncasecmp(v + start, "close", 5) == 0)
            *saw_close = 1;
        else if (end - start == 10 && strncasecmp(v + start, "keep-alive", 10) == 0)
            *saw_keep_alive = 1;
    }
}

/* 1*DIGIT; returns -1 when malformed, else 0 with *out saturated at HTTP_MAX_BODY + 1. */
static int parse_length(const char *v, size_t n, size_t *out)
{
    size_t value = 0;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        value = value * 10 + (size_t)(v[i] - '0');
        if (value > HTTP_MAX_BODY)
            value = HTTP_MAX_BODY + 1;
    }
    *out = value;
    return 0;
}

struct fields {
    int hosts, lengths, saw_close, saw_keep_alive, chunked;
    size_t length;
};

static int name_is(const char *name, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

/* One header field line [line, line + n): name ":" OWS value OWS. */
static int parse_field(const char *line, size_t n, struct fields *f, struct http_request *req)
{
    size_t i = 0;
    while (i < n && is_tchar((unsigned char)line[i]))
        i++;
    if (i == 0 || i >= n || line[i] != ':')
        return 400; /* empty name, bad character, or whitespace before the colon */
    const char *name = line;
    size_t name_len = i++;
    while (i < n && is_ows(line[i]))
        i++;
    size_t end = n;
    while (end > i && is_ows(line[end - 1]))
        end--;
    for (size_t k = i; k < end; k++) {
        unsigned char c = (unsigned char)line[k];
        if ((c < ' ' && c != '\t') || c == 0x7f)
            return 400;
    }
    const char *v = line + i;
    size_t vn = end - i;
    if (name_is(name, name_len, "host")) {
        f->hosts++;
    } else if (name_is(name, name_len, "connection")) {
        parse_connection(v, vn, &f->saw_close, &f->saw_keep_alive);
    } else if (name_is(name, name_len, "if-modified-since")) {
        req->ims = v;
        req->ims_len = vn;
    } else if (name_is(name, name_len, "if-none-match")) {
        req->inm = v;
        req->inm_len = vn;
    } else if (name_is(name, name_len, "range")) {
        req->range = v;
        req->range_len = vn;
    } else if (name_is(name, name_len, "if-range")) {
        req->if_range = v;
        req->if_range_len = vn;
    } else if (name_is(name, name_len, "content-length")) {
        size_t value;
        if (parse_length(v, vn, &value) < 0 || (f->lengths && value != f->length))
            return 400;
        f->lengths++;
        f->length = value;
    } else if (name_is(name, name_len, "transfer-encoding")) {
        f->chunked = 1;
    }
    return 0;
}

int http_parse_request(const char *buf, size_t len, struct http_request *req)
{
    struct fields f;
    size_t pos = 0, end;
    long nl;

    memset(req, 0, sizeof(*req));
    memset(&f, 0, sizeof(f));
    /* Empty lines before a request are ignored (RFC 9112 section 2.2), within the line limit. */
    while (pos < len && (buf[pos] == '\n' || (buf[pos] == '\r' && pos + 1 < len && buf[pos + 1] == '\n')))
        pos += buf[pos] == '\r' ? 2 : 1;
    if (pos > HTTP_MAX_LINE)
        return 400;
    if (pos < len && buf[pos] == '\r' && pos + 1 == len)
        return HTTP_PARSE_INCOMPLETE;
    req->skip = pos;
    nl = find_line(buf, len, pos, &end);
    if (nl < 0)
        return len - pos > HTTP_MAX_LINE ? 414 : HTTP_PARSE_INCOMPLETE;
    if (end - pos > HTTP_MAX_LINE)
        return 414;
    if (memchr(buf + pos, '\r', end - pos))
        return 400;
    int status = parse_request_line(buf + pos, end - pos, req);
    if (status)
        return status;
    size_t head_start = pos;
    pos = (size_t)nl + 1;
    for (int count = 0;; count++) {
        nl = find_line(buf, len, pos, &end);
        if (nl < 0)
            return len - head_start > HTTP_MAX_HEAD ? 431 : HTTP_PARSE_INCOMPLETE;
        if ((size_t)nl + 1 - head_start > HTTP_MAX_HEAD || count > HTTP_MAX_FIELDS)
            return 431;
        if (memchr(buf + pos, '\r', end - pos))
            return 400;
        if (end == pos)
            break; /* the blank line ending the head */
        if (is_ows(buf[pos]))
            return 400; /* obsolete line folding */
        status = parse_field(buf + pos, end - pos, &f, req);
        if (status)
            return status;
        pos = (size_t)nl + 1;
    }
    req->head_len = (size_t)nl + 1;
    if (f.hosts > 1 || (req->minor == 1 && f.hosts == 0))
        return 400;
    if (f.chunked)
        return 501;
    if (f.length > HTTP_MAX_BODY)
        return 413;
    req->body_len = f.length;
    req->keep_alive = f.saw_close ? 0 : req->minor == 1 ? 1 : f.saw_keep_alive;
    return HTTP_PARSE_OK;
}
