/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the response decisions of apps/http (http_response) over a small archive this
 * test writes itself and hands over through $UNF_FILES, as the native build gets its files:
 * 200 with type, length and Last-Modified, 304, HEAD, 301 with the query kept, 403, 404, 405
 * with Allow, 400 for traversal, index.html for directories with and without directory entries,
 * ETag and If-None-Match, Range (206, 416, ignored forms, If-Range), and files without any
 * mtime when no --last-modified is given; the remembered head of a plain 200 answers as a fresh one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../apps/http/http_response.h"
#include "check.h"

static FILE *tar;

/* A NUL-terminated octal field of `width` bytes. */
static void octal(unsigned char *field, size_t width, unsigned long v)
{
    field[width - 1] = '\0';
    for (size_t i = width - 1; i-- > 0; v >>= 3)
        field[i] = (unsigned char)('0' + (v & 7));
}

/* One ustar member (type '0' file or '5' directory) with the given mtime. */
static void member(const char *name, char type, const char *data, unsigned long mtime)
{
    unsigned char h[512];
    size_t len = data ? strlen(data) : 0;
    unsigned sum = 0;
    memset(h, 0, sizeof(h));
    snprintf((char *)h, 100, "%s", name);
    octal(h + 100, 8, type == '5' ? 0755 : 0644);
    octal(h + 108, 8, 0);
    octal(h + 116, 8, 0);
    octal(h + 124, 12, (unsigned long)len);
    octal(h + 136, 12, mtime);
    h[156] = (unsigned char)type;
    memcpy(h + 257, "ustar", 6);
    memcpy(h + 263, "00", 2);
    memset(h + 148, ' ', 8);
    for (int i = 0; i < 512; i++)
        sum += h[i];
    octal(h + 148, 7, sum);
    h[155] = ' ';
    fwrite(h, 1, sizeof(h), tar);
    if (len) {
        static const char zero[512];
        fwrite(data, 1, len, tar);
        fwrite(zero, 1, (512 - len % 512) % 512, tar);
    }
}

static struct http_site site = {.last_modified = 1700000000, .date = ""};

/* Parses text as a request and answers it; returns the status, head in head[]. */
static int answer(const char *text, char *head, size_t cap, struct http_reply *rep)
{
    struct http_request req;
    int r = http_parse_request(text, strlen(text), &req);
    long n = r == HTTP_PARSE_OK ? http_reply_request(&site, &req, head, cap, rep)
                                : http_reply_error(&site, r, 0, head, cap, rep);
    if (n < 0)
        return -1;
    head[n] = '\0';
    return rep->status;
}

static int has(const char *head, const char *field)
{
    return strstr(head, field) != NULL;
}

static void test_files(void)
{
    char head[2048];
    struct http_reply rep;
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 && rep.body_len == 13 &&
              memcmp(rep.body, "<h1>home</h1>", 13) == 0, "response.root-index");
    CHECK(has(head, "Content-Type: text/html\r\n") && has(head, "Content-Length: 13\r\n") &&
              has(head, "Last-Modified: Tue, 14 Nov 2023 22:13:20 GMT\r\n") && has(head, "Connection: keep-alive\r\n") &&
              !has(head, "Date:"), "response.root-fields");
    CHECK(answer("GET /a.css HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              has(head, "Content-Type: text/css\r\n") && has(head, "Last-Modified: Thu, 01 Jan 1970 00:16:40 GMT"),
          "response.own-mtime-wins");
    CHECK(answer("HEAD /a.css HTTP/1.0\r\n\r\n", head, sizeof(head), &rep) == 200 && rep.body == NULL &&
              has(head, "Content-Length: 2\r\n") && has(head, "Connection: close\r\n") && !rep.keep_alive,
          "response.head-http10");
    CHECK(answer("GET /d/ HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 && rep.body_len == 5,
          "response.dir-index");
    CHECK(answer("GET /nodir/ HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 && rep.body_len == 6,
          "response.dir-without-entry-index");
    CHECK(answer("GET /d?x=1 HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 301 &&
              has(head, "Location: /d/?x=1\r\n"), "response.dir-redirect-keeps-query");
    CHECK(answer("GET /nodir HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 301 &&
              has(head, "Location: /nodir/\r\n"), "response.dir-without-entry-redirect");
    CHECK(answer("GET /empty/ HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 403, "response.dir-no-index-403");
    CHECK(answer("GET /a.css/ HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 404, "response.file-as-dir-404");
    CHECK(answer("GET /nope HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 404 && rep.keep_alive &&
              rep.body_len > 0, "response.404-keeps-alive");
    CHECK(answer("DELETE /a.css HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 405 &&
              has(head, "Allow: GET, HEAD\r\n"), "response.405-allow");
    CHECK(answer("GET /../a.css HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 400 && !rep.keep_alive,
          "response.traversal-400-closes");
    CHECK(answer("GET /empty/%2e%2e/a.css HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200,
          "response.dotdot-inside-served");
}

static void test_conditional(void)
{
    char head[2048];
    struct http_reply rep;
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n", head,
                 sizeof(head), &rep) == 304 && rep.body == NULL && !has(head, "Content-Length") &&
              has(head, "Last-Modified:"), "response.ims-equal-304");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Tue, 14 Nov 2023 22:13:19 GMT\r\n\r\n", head,
                 sizeof(head), &rep) == 200, "response.ims-earlier-200");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: not a date\r\n\r\n", head, sizeof(head), &rep) == 200,
          "response.ims-invalid-ignored");
    CHECK(answer("GET /nope HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n", head,
                 sizeof(head), &rep) == 404, "response.ims-missing-404");
}

/* The value of field in head (up to the CRLF), copied to out. */
static int field(const char *head, const char *name, char *out, size_t cap)
{
    const char *p = strstr(head, name);
    if (!p)
        return -1;
    p += strlen(name);
    size_t n = strcspn(p, "\r");
    if (n >= cap)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

static void test_validators(void)
{
    char head[2048], req[512], etag[64], other[64];
    struct http_reply rep;
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              field(head, "ETag: ", etag, sizeof(etag)) == 0 && etag[0] == '"' && strlen(etag) > 20 &&
              has(head, "Accept-Ranges: bytes\r\n"), "etag.sent");
    CHECK(answer("GET /a.css HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              field(head, "ETag: ", other, sizeof(other)) == 0 && strcmp(other, etag) != 0, "etag.differs-per-file");
    snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: %s\r\n\r\n", etag);
    CHECK(answer(req, head, sizeof(head), &rep) == 304 && rep.body == NULL && has(head, etag), "etag.inm-match-304");
    snprintf(req, sizeof(req), "HEAD / HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"x\", W/%s\r\n\r\n", etag);
    CHECK(answer(req, head, sizeof(head), &rep) == 304, "etag.inm-list-weak-304");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: *\r\n\r\n", head, sizeof(head), &rep) == 304,
          "etag.inm-star-304");
    CHECK(answer("GET /nope HTTP/1.1\r\nHost: h\r\nIf-None-Match: *\r\n\r\n", head, sizeof(head), &rep) == 404,
          "etag.inm-star-missing-404");
    /* If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
    snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: h\r\nIf-None-Match: %s\r\n"
                               "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n", other);
    CHECK(answer(req, head, sizeof(head), &rep) == 200 && rep.body_len == 13, "etag.inm-other-200-ims-ignored");
    /* The precomputed table gives the same tags as hashing per request. */
    CHECK(http_site_hash_files(&site) == 0 && site.nhashes == 4, "etag.table-built");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              field(head, "ETag: ", other, sizeof(other)) == 0 && strcmp(other, etag) == 0, "etag.table-same-tag");
    http_site_free_hashes(&site);
    /* Without --last-modified, an mtime-0 file has no Last-Modified and If-Modified-Since never
     * answers 304 for it; the ETag still does. */
    site.last_modified = 0;
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n", head,
                 sizeof(head), &rep) == 200 && !has(head, "Last-Modified") && has(head, "ETag: "),
          "lastmod.unknown-omitted-ims-200");
    CHECK(answer("GET /a.css HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              has(head, "Last-Modified: Thu, 01 Jan 1970 00:16:40 GMT"), "lastmod.own-mtime-kept");
    site.last_modified = 1700000000;
}

static void test_ranges(void)
{
    char head[2048], req[512], etag[64];
    struct http_reply rep;
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\n\r\n", head, sizeof(head), &rep) == 206 &&
              rep.body_len == 4 && memcmp(rep.body, "<h1>", 4) == 0 && has(head, "Content-Range: bytes 0-3/13\r\n") &&
              has(head, "Content-Length: 4\r\n"), "range.first-bytes-206");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=9-\r\n\r\n", head, sizeof(head), &rep) == 206 &&
              rep.body_len == 4 && memcmp(rep.body, "/h1>", 4) == 0 && has(head, "Content-Range: bytes 9-12/13\r\n"),
          "range.open-end");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=-5\r\n\r\n", head, sizeof(head), &rep) == 206 &&
              rep.body_len == 5 && memcmp(rep.body, "</h1>", 5) == 0, "range.suffix");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=5-100\r\n\r\n", head, sizeof(head), &rep) == 206 &&
              has(head, "Content-Range: bytes 5-12/13\r\n"), "range.end-clipped");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=13-\r\n\r\n", head, sizeof(head), &rep) == 416 &&
              has(head, "Content-Range: bytes */13\r\n"), "range.past-end-416");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1,4-5\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              rep.body_len == 13 && !has(head, "Content-Range"), "range.several-whole-200");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: lines=0-1\r\n\r\n", head, sizeof(head), &rep) == 200,
          "range.other-unit-ignored");
    CHECK(answer("HEAD / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              has(head, "Content-Length: 13\r\n"), "range.head-ignored");
    answer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep);
    field(head, "ETag: ", etag, sizeof(etag));
    snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\nIf-Range: %s\r\n\r\n", etag);
    CHECK(answer(req, head, sizeof(head), &rep) == 206, "range.if-range-etag-206");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\nIf-Range: \"old\"\r\n\r\n", head,
                 sizeof(head), &rep) == 200 && rep.body_len == 13, "range.if-range-stale-200");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\nIf-Range: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n",
                 head, sizeof(head), &rep) == 206, "range.if-range-date-206");
    snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\nIf-None-Match: %s\r\n\r\n", etag);
    CHECK(answer(req, head, sizeof(head), &rep) == 304, "range.inm-match-304-first");
}

static void test_errors(void)
{
    char head[2048];
    struct http_reply rep;
    CHECK(answer("GET / HTTP/3.0\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 505 && !rep.keep_alive &&
              has(head, "Connection: close\r\n"), "response.505-closes");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, 40, &rep) == -1, "response.small-buffer-refused");
}

/* The remembered head of a plain 200 (http_response's memo) must answer exactly as a fresh
 * one, and never once the Date, Last-Modified, keep-alive or the request's validators differ. */
static void test_head_memo(void)
{
    char first[2048], again[2048], head[2048];
    struct http_reply rep;
    const char *get = "GET /index.html HTTP/1.1\r\nHost: h\r\n\r\n";
    CHECK(answer(get, first, sizeof(first), &rep) == 200 && answer(get, again, sizeof(again), &rep) == 200 &&
              strcmp(first, again) == 0 && rep.body_len == 13 && memcmp(rep.body, "<h1>home</h1>", 13) == 0,
          "memo.repeat-identical");
    CHECK(answer("HEAD /index.html HTTP/1.1\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              strcmp(head, first) == 0 && rep.body == NULL && rep.body_len == 0, "memo.head-no-body");
    snprintf(site.date, sizeof(site.date), "%s", "Wed, 15 Nov 2023 08:00:00 GMT");
    CHECK(answer(get, head, sizeof(head), &rep) == 200 && has(head, "Date: Wed, 15 Nov 2023 08:00:00 GMT\r\n"),
          "memo.date-change-seen");
    site.date[0] = '\0';
    site.last_modified = 1600000000;
    CHECK(answer(get, head, sizeof(head), &rep) == 200 && !has(head, "Tue, 14 Nov 2023 22:13:20 GMT") &&
              has(head, "Last-Modified: Sun, 13 Sep 2020 12:26:40 GMT\r\n"), "memo.last-modified-change-seen");
    site.last_modified = 1700000000;
    CHECK(answer("GET /index.html HTTP/1.0\r\n\r\n", head, sizeof(head), &rep) == 200 &&
              has(head, "Connection: close\r\n") && !rep.keep_alive, "memo.keep-alive-apart");
    CHECK(answer("GET /index.html HTTP/1.1\r\nHost: h\r\nIf-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT\r\n\r\n",
                 head, sizeof(head), &rep) == 304 && rep.body == NULL, "memo.validators-bypass");
    CHECK(answer("GET /index.html HTTP/1.1\r\nHost: h\r\nRange: bytes=0-3\r\n\r\n", head, sizeof(head), &rep) == 206 &&
              rep.body_len == 4, "memo.range-bypass");
    CHECK(answer(get, head, 64, &rep) == -1, "memo.small-buffer-refused");
}

int main(void)
{
    char path[] = "/tmp/test_http_response.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || !(tar = fdopen(fd, "wb")))
        return 1;
    member("./", '5', NULL, 0);
    member("./a.css", '0', "b{", 1000);
    member("./d/", '5', NULL, 0);
    member("./d/index.html", '0', "<p/>\n", 0);
    member("./empty/", '5', NULL, 0);
    member("./index.html", '0', "<h1>home</h1>", 0);
    member("./nodir/index.html", '0', "nodir\n", 0);
    static const char end[1024];
    fwrite(end, 1, sizeof(end), tar);
    if (fclose(tar) != 0 || setenv("UNF_FILES", path, 1) != 0)
        return 1;
    test_files();
    test_conditional();
    test_validators();
    test_ranges();
    test_errors();
    test_head_memo();
    unlink(path);
    return CHECK_DONE();
}
