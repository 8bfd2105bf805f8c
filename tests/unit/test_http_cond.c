/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of apps/http/http_cond.c: Range values (the three single-range forms, clipping,
 * unsatisfiable ranges, what is ignored), If-None-Match lists, and the ETag's form. */
#include <stdio.h>
#include <string.h>

#include "../../apps/http/http_cond.h"
#include "check.h"

static uint64_t first, last;

static int range(const char *v, uint64_t size)
{
    first = last = 12345;
    return http_range_parse(v, strlen(v), size, &first, &last);
}

static int inm(const char *v, const char *etag)
{
    return http_etag_match_any(v, strlen(v), etag);
}

int main(void)
{
    CHECK(range("bytes=0-9", 100) == HTTP_RANGE_OK && first == 0 && last == 9, "range.a-b");
    CHECK(range("bytes=90-", 100) == HTTP_RANGE_OK && first == 90 && last == 99, "range.a-");
    CHECK(range("bytes=-10", 100) == HTTP_RANGE_OK && first == 90 && last == 99, "range.suffix");
    CHECK(range("bytes=-1000", 100) == HTTP_RANGE_OK && first == 0 && last == 99, "range.suffix-longer-than-file");
    CHECK(range("bytes=50-1000", 100) == HTTP_RANGE_OK && first == 50 && last == 99, "range.end-clipped");
    CHECK(range("Bytes = 1-2 ", 100) == HTTP_RANGE_OK && first == 1 && last == 2, "range.unit-case-and-ows");
    CHECK(range("bytes=99-99", 100) == HTTP_RANGE_OK && first == 99 && last == 99, "range.last-byte");
    CHECK(range("bytes=100-", 100) == HTTP_RANGE_UNSATISFIABLE, "range.at-end-416");
    CHECK(range("bytes=-0", 100) == HTTP_RANGE_UNSATISFIABLE, "range.empty-suffix-416");
    CHECK(range("bytes=0-", 0) == HTTP_RANGE_UNSATISFIABLE, "range.empty-file-416");
    CHECK(range("bytes=99999999999999999999999-", 100) == HTTP_RANGE_UNSATISFIABLE, "range.huge-saturates");
    CHECK(range("bytes=0-1,3-4", 100) == HTTP_RANGE_IGNORE, "range.several-ignored");
    CHECK(range("bytes=5-3", 100) == HTTP_RANGE_IGNORE, "range.reversed-ignored");
    CHECK(range("bytes=-", 100) == HTTP_RANGE_IGNORE, "range.bare-dash-ignored");
    CHECK(range("bytes=a-b", 100) == HTTP_RANGE_IGNORE, "range.letters-ignored");
    CHECK(range("items=0-1", 100) == HTTP_RANGE_IGNORE, "range.other-unit-ignored");
    CHECK(range("bytes", 100) == HTTP_RANGE_IGNORE && range("", 100) == HTTP_RANGE_IGNORE, "range.truncated-ignored");

    char tag[HTTP_ETAG_MAX + 1];
    http_etag_format(UINT64_MAX, UINT64_MAX, UINT64_MAX, tag);
    CHECK(strlen(tag) <= HTTP_ETAG_MAX && tag[0] == '"' && tag[strlen(tag) - 1] == '"', "etag.longest-fits");
    http_etag_format(13, 1700000000, http_content_hash("<h1>home</h1>", 13), tag);
    CHECK(strncmp(tag, "\"d-6553f100-", 12) == 0 && strlen(tag) == 12 + 16 + 1, "etag.form");
    CHECK(http_content_hash("a", 1) != http_content_hash("b", 1) && http_content_hash("", 0) == 0xcbf29ce484222325ull,
          "etag.hash-fnv1a");
    CHECK(inm("\"x\"", "\"x\""), "inm.single");
    CHECK(inm("\"a\", \"x\"", "\"x\"") && inm("\"a\",\"x\" ", "\"x\""), "inm.list");
    CHECK(inm("W/\"x\"", "\"x\""), "inm.weak-compares-equal");
    CHECK(inm(" * ", "\"x\""), "inm.star");
    CHECK(!inm("\"y\"", "\"x\"") && !inm("\"xx\"", "\"x\"") && !inm("", "\"x\""), "inm.no-match");
    CHECK(!inm("x", "\"x\"") && !inm("\"x", "\"x\"") && !inm("*, \"x\"", "\"x\""), "inm.invalid-matches-nothing");
    CHECK(!inm("\"a\" \"x\"", "\"x\""), "inm.missing-comma-invalid");
    return CHECK_DONE();
}
