/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the response decisions of apps/http (http_response) over a small archive this
 * test writes itself and hands over through $UNF_FILES, as the native build gets its files:
 * 200 with type, length and Last-Modified, 304, HEAD, 301 with the query kept, 403, 404, 405
 * with Allow, 400 for traversal, index.html for directories with and without directory entries. */
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

static const struct http_site site = {.last_modified = 1700000000, .date = ""};

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

static void test_errors(void)
{
    char head[2048];
    struct http_reply rep;
    CHECK(answer("GET / HTTP/3.0\r\nHost: h\r\n\r\n", head, sizeof(head), &rep) == 505 && !rep.keep_alive &&
              has(head, "Connection: close\r\n"), "response.505-closes");
    CHECK(answer("GET / HTTP/1.1\r\nHost: h\r\n\r\n", head, 40, &rep) == -1, "response.small-buffer-refused");
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
    test_errors();
    unlink(path);
    return CHECK_DONE();
}
