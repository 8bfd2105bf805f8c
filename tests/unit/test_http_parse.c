/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the HTTP request parser of apps/http (http_parse): well-formed requests and
 * their fields, incomplete input at every cut, pipelined requests, and each error status. */
#include <stdlib.h>
#include <string.h>

#include "../../apps/http/http_parse.h"
#include "check.h"

static int parse(const char *text, struct http_request *req)
{
    return http_parse_request(text, strlen(text), req);
}

static int status_of(const char *text)
{
    struct http_request req;
    return parse(text, &req);
}

static void test_simple(void)
{
    struct http_request r;
    const char *t = "GET /a/b.html?x=1 HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\n\r\n";
    CHECK(parse(t, &r) == HTTP_PARSE_OK, "parse.get-ok");
    CHECK(r.method == HTTP_GET, "parse.get-method");
    CHECK(r.target_len == 13 && memcmp(r.target, "/a/b.html?x=1", 13) == 0, "parse.get-target");
    CHECK(r.minor == 1 && r.keep_alive == 1, "parse.http11-keeps-alive");
    CHECK(r.head_len == strlen(t) && r.body_len == 0 && r.ims == NULL, "parse.get-head-len");

    CHECK(parse("HEAD / HTTP/1.0\r\n\r\n", &r) == HTTP_PARSE_OK && r.method == HTTP_HEAD, "parse.head-method");
    CHECK(r.minor == 0 && r.keep_alive == 0, "parse.http10-closes-by-default");
    CHECK(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", &r) == HTTP_PARSE_OK && r.keep_alive,
          "parse.http10-keep-alive-asked");
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: TE, close\r\n\r\n", &r) == HTTP_PARSE_OK && !r.keep_alive,
          "parse.connection-close-in-list");
    CHECK(parse("POST / HTTP/1.1\r\nHost: h\r\n\r\n", &r) == HTTP_PARSE_OK && r.method == HTTP_OTHER,
          "parse.other-method");
    CHECK(parse("GET / HTTP/1.1\nHost: h\n\n", &r) == HTTP_PARSE_OK && r.head_len == 24, "parse.bare-lf-lines");
    CHECK(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n", &r) == HTTP_PARSE_OK && r.skip == 4 && r.target[0] == '/',
          "parse.leading-empty-lines");
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nIf-Modified-Since:  Sun, 06 Nov 1994 08:49:37 GMT \r\n\r\n", &r) ==
                  HTTP_PARSE_OK && r.ims_len == 29 && memcmp(r.ims, "Sun, 06 Nov 1994 08:49:37 GMT", 29) == 0,
          "parse.ims-trimmed");
    CHECK(parse("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello", &r) == HTTP_PARSE_OK && r.body_len == 5,
          "parse.content-length");
    CHECK(parse("GET http://example/x HTTP/1.1\r\nHost: h\r\n\r\n", &r) == HTTP_PARSE_OK && r.target_len == 16,
          "parse.absolute-form");
}

/* Every proper prefix of a valid request is incomplete, never an error. */
static void test_incomplete(void)
{
    const char *t = "GET /index.html HTTP/1.1\r\nHost: example\r\nAccept: */*\r\n\r\n";
    struct http_request r;
    int ok = 1;
    for (size_t n = 0; n < strlen(t); n++) {
        if (http_parse_request(t, n, &r) != HTTP_PARSE_INCOMPLETE)
            ok = 0;
    }
    CHECK(ok, "parse.every-prefix-incomplete");
    CHECK(status_of("\r") == HTTP_PARSE_INCOMPLETE, "parse.lone-cr-incomplete");
}

static void test_pipelined(void)
{
    const char *t = "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: h\r\n\r\nGET /3 HTTP/1.1\r\n";
    struct http_request r;
    size_t off = 0, len = strlen(t);
    CHECK(http_parse_request(t, len, &r) == HTTP_PARSE_OK && r.target[1] == '1', "parse.pipeline-first");
    off += r.head_len;
    CHECK(http_parse_request(t + off, len - off, &r) == HTTP_PARSE_OK && r.method == HTTP_HEAD && r.target[1] == '2',
          "parse.pipeline-second");
    off += r.head_len;
    CHECK(http_parse_request(t + off, len - off, &r) == HTTP_PARSE_INCOMPLETE, "parse.pipeline-third-incomplete");
}

static char *repeat(const char *prefix, char c, size_t n, const char *suffix)
{
    size_t p = strlen(prefix), s = strlen(suffix);
    char *buf = malloc(p + n + s + 1);
    if (!buf)
        abort();
    memcpy(buf, prefix, p);
    memset(buf + p, c, n);
    memcpy(buf + p + n, suffix, s + 1);
    return buf;
}

static void test_errors(void)
{
    CHECK(status_of("GET / HTTP/1.1\r\n\r\n") == 400, "parse.http11-needs-host");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == 400, "parse.two-hosts");
    CHECK(status_of("GET /\r\n\r\n") == 400, "parse.http09-refused");
    CHECK(status_of("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == 505, "parse.http2-505");
    CHECK(status_of("GET / HTTP/1.1 \r\nHost: h\r\n\r\n") == 400, "parse.trailing-space");
    CHECK(status_of("GET  / HTTP/1.1\r\nHost: h\r\n\r\n") == 400, "parse.double-space");
    CHECK(status_of("G(T / HTTP/1.1\r\nHost: h\r\n\r\n") == 400, "parse.bad-method-char");
    CHECK(status_of("GET / HTTP/1.1\r\nHost : h\r\n\r\n") == 400, "parse.space-before-colon");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n") == 400, "parse.obs-fold");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\rx\r\n\r\n") == 400, "parse.bare-cr");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n") == 400, "parse.field-without-colon");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nX: a\001b\r\n\r\n") == 400, "parse.control-in-value");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n") == 400, "parse.bad-length");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n") == 400,
          "parse.conflicting-lengths");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 413,
          "parse.huge-length-413");
    CHECK(status_of("GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n") == 501, "parse.chunked-501");

    char *t = repeat("GET /", 'a', HTTP_MAX_LINE, "");
    CHECK(status_of(t) == 414, "parse.long-line-414-before-end");
    free(t);
    t = repeat("GET /", 'a', HTTP_MAX_LINE, " HTTP/1.1\r\nHost: h\r\n\r\n");
    CHECK(status_of(t) == 414, "parse.long-line-414");
    free(t);
    t = repeat("GET / HTTP/1.1\r\nHost: h\r\nX: ", 'b', HTTP_MAX_HEAD, "");
    CHECK(status_of(t) == 431, "parse.long-head-431");
    free(t);

    size_t n = 0;
    char *many = malloc(16 + (HTTP_MAX_FIELDS + 2) * 8 + 8);
    if (!many)
        abort();
    n += (size_t)sprintf(many, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < HTTP_MAX_FIELDS + 2; i++)
        n += (size_t)sprintf(many + n, "X: y\r\n");
    sprintf(many + n, "\r\n");
    CHECK(status_of(many) == 431, "parse.too-many-fields-431");
    free(many);
}

int main(void)
{
    test_simple();
    test_incomplete();
    test_pipelined();
    test_errors();
    return CHECK_DONE();
}
