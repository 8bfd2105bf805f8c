/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the pure helpers of apps/http: request-target resolution and traversal refusal
 * (http_path), HTTP dates in all three forms (http_date) and Content-Type by extension
 * (http_mime). */
#include <string.h>

#include "../../apps/http/http_date.h"
#include "../../apps/http/http_mime.h"
#include "../../apps/http/http_path.h"
#include "check.h"

static int resolve(const char *target, struct http_path *p)
{
    return http_path_resolve(target, strlen(target), p);
}

/* The target resolves to `want` with the given directory form. */
static int resolves_to(const char *target, const char *want, int dir_form)
{
    struct http_path p;
    return resolve(target, &p) == 0 && strcmp(p.path, want) == 0 && p.dir_form == dir_form;
}

static void test_resolve(void)
{
    CHECK(resolves_to("/", "", 1), "path.root");
    CHECK(resolves_to("/index.html", "index.html", 0), "path.file");
    CHECK(resolves_to("/docs/", "docs", 1), "path.dir-form");
    CHECK(resolves_to("/docs", "docs", 0), "path.dir-without-slash");
    CHECK(resolves_to("//docs///notes.txt", "docs/notes.txt", 0), "path.merged-slashes");
    CHECK(resolves_to("/./docs/./notes.txt", "docs/notes.txt", 0), "path.dot-segments");
    CHECK(resolves_to("/docs/../index.html", "index.html", 0), "path.dotdot-inside");
    CHECK(resolves_to("/docs/..", "", 1), "path.dotdot-to-root");
    CHECK(resolves_to("/docs/.", "docs", 1), "path.trailing-dot-is-dir");
    CHECK(resolves_to("/a%20b%7e", "a b~", 0), "path.percent-decoded");
    CHECK(resolves_to("/docs/%2e%2e/index.html", "index.html", 0), "path.encoded-dotdot-inside");
    CHECK(resolves_to("http://example.com/docs/", "docs", 1), "path.absolute-form");
    CHECK(resolves_to("http://example.com", "", 1), "path.absolute-form-no-path");
    struct http_path p;
    CHECK(resolve("/docs/?a=1&b=%2F", &p) == 0 && p.query_len == 9 && memcmp(p.query, "a=1&b=%2F", 9) == 0,
          "path.query-kept-raw");
}

static void test_refused(void)
{
    struct http_path p;
    CHECK(resolve("/../etc/passwd", &p) == 400, "path.dotdot-above-root");
    CHECK(resolve("/docs/../../etc/passwd", &p) == 400, "path.dotdot-climbs-out");
    CHECK(resolve("/%2e%2e/etc/passwd", &p) == 400, "path.encoded-dotdot-above-root");
    CHECK(resolve("/%2E%2e/x", &p) == 400, "path.encoded-dotdot-mixed-case");
    CHECK(resolve("/..%2fetc%2fpasswd", &p) == 400, "path.encoded-slash");
    CHECK(resolve("/docs%2Fnotes.txt", &p) == 400, "path.encoded-slash-inside");
    CHECK(resolve("/a%00b", &p) == 400, "path.nul");
    CHECK(resolve("/a%4", &p) == 400, "path.short-escape");
    CHECK(resolve("/a%zz", &p) == 400, "path.bad-escape");
    CHECK(resolve("*", &p) == 400, "path.asterisk");
    CHECK(resolve("index.html", &p) == 400, "path.relative");
    char longpath[HTTP_PATH_MAX + 8];
    longpath[0] = '/';
    memset(longpath + 1, 'a', HTTP_PATH_MAX + 2);
    longpath[HTTP_PATH_MAX + 3] = '\0';
    CHECK(resolve(longpath, &p) == 414, "path.too-long-414");
}

static void test_encode(void)
{
    char out[64];
    CHECK(http_path_encode("docs", out, sizeof(out)) == 5 && strcmp(out, "/docs") == 0, "encode.plain");
    CHECK(http_path_encode("a b/%c", out, sizeof(out)) > 0 && strcmp(out, "/a%20b/%25c") == 0, "encode.escapes");
    CHECK(http_path_encode("abcdef", out, 4) == -1, "encode.too-small");
    struct http_path p;
    CHECK(http_path_encode("x y/\xc3\xa9", out, sizeof(out)) > 0 && resolve(out, &p) == 0 &&
              strcmp(p.path, "x y/\xc3\xa9") == 0, "encode.round-trip");
}

static int date_is(const char *text, uint64_t want)
{
    uint64_t got;
    return http_date_parse(text, strlen(text), &got) == 0 && got == want;
}

static void test_dates(void)
{
    char buf[HTTP_DATE_LEN + 1];
    http_date_format(0, buf);
    CHECK(strcmp(buf, "Thu, 01 Jan 1970 00:00:00 GMT") == 0, "date.epoch");
    http_date_format(784111777, buf);
    CHECK(strcmp(buf, "Sun, 06 Nov 1994 08:49:37 GMT") == 0, "date.rfc-example");
    http_date_format(951782400, buf);
    CHECK(strcmp(buf, "Tue, 29 Feb 2000 00:00:00 GMT") == 0, "date.leap-day-2000");
    http_date_format(4102444799ull, buf);
    CHECK(strcmp(buf, "Thu, 31 Dec 2099 23:59:59 GMT") == 0, "date.2099");
    CHECK(date_is("Sun, 06 Nov 1994 08:49:37 GMT", 784111777), "date.parse-imf");
    CHECK(date_is("Sunday, 06-Nov-94 08:49:37 GMT", 784111777), "date.parse-rfc850");
    CHECK(date_is("Sun Nov  6 08:49:37 1994", 784111777), "date.parse-asctime");
    CHECK(date_is("Thu, 01 Jan 1970 00:00:00 GMT", 0), "date.parse-epoch");
    uint64_t t;
    CHECK(http_date_parse("Sun, 06 Nov 1994 08:49:37 UTC", 29, &t) < 0, "date.reject-utc");
    CHECK(http_date_parse("Sun, 31 Feb 1994 08:49:37 GMT", 29, &t) < 0, "date.reject-feb-31");
    CHECK(http_date_parse("Sun, 06 Nov 1994 24:00:00 GMT", 29, &t) < 0, "date.reject-hour-24");
    CHECK(http_date_parse("garbage", 7, &t) < 0, "date.reject-garbage");
    int round = 1;
    for (uint64_t s = 0; s < 4102444800ull; s += 86399ull * 37) {
        http_date_format(s, buf);
        if (!date_is(buf, s))
            round = 0;
    }
    CHECK(round, "date.format-parse-round-trip");
}

static void test_mime(void)
{
    CHECK(strcmp(http_mime_type("index.html"), "text/html") == 0, "mime.html");
    CHECK(strcmp(http_mime_type("a/STYLE.CSS"), "text/css") == 0, "mime.css-any-case");
    CHECK(strcmp(http_mime_type("img/logo.png"), "image/png") == 0, "mime.png");
    CHECK(strcmp(http_mime_type("app.js"), "application/javascript") == 0, "mime.js");
    CHECK(strcmp(http_mime_type("README"), "application/octet-stream") == 0, "mime.no-extension");
    CHECK(strcmp(http_mime_type("v1.2/README"), "application/octet-stream") == 0, "mime.dot-in-directory");
}

int main(void)
{
    test_resolve();
    test_refused();
    test_encode();
    test_dates();
    test_mime();
    return CHECK_DONE();
}
