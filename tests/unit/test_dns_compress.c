/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the response writer's name compression (apps/dns/dns_msg.c) against a plain
 * reference: for each suffix of a name, longest first, the first earlier-written offset whose
 * name (decompressed from the message) equals it case-insensitively; offsets remembered for
 * every label written in full below 0x4000, at most DNS_PTRS_MAX. The writer finds candidates by
 * hash, in buckets, and skips the byte comparison for a suffix at the very address it was
 * written from when the caller says names stay put: a wrong hash, bucket, undo or shortcut
 * shows up here as a byte that differs from the reference, not only as a longer answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_msg.h"
#include "check.h"

struct ref {
    uint8_t buf[65536];
    size_t len, limit;
    uint16_t ptrs[DNS_PTRS_MAX];
    size_t nptrs;
};

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static int ref_name_equal(const uint8_t *a, const uint8_t *b)
{
    for (;;) {
        if (*a != *b)
            return 0;
        if (*a == 0)
            return 1;
        for (size_t k = 1; k <= *a; k++)
            if (lower(a[k]) != lower(b[k]))
                return 0;
        a += *a + 1;
        b += *b + 1;
    }
}

/* The reference writer: the same contract as dns_write_name, by brute force. */
static int ref_write_name(struct ref *r, const uint8_t *name, int compress)
{
    size_t before = r->nptrs, out = r->len;
    uint8_t tmp[DNS_NAME_MAX + 2];
    size_t t = 0;
    uint16_t newptrs[DNS_NAME_MAX];
    size_t nnew = 0;
    for (const uint8_t *s = name; *s; s += *s + 1) {
        for (size_t i = 0; compress && i < before; i++) {
            uint8_t there[DNS_NAME_MAX];
            size_t pos = r->ptrs[i];
            if (dns_name_parse(r->buf, r->len, &pos, there) == 0 && ref_name_equal(there, s)) {
                tmp[t++] = (uint8_t)(0xc0 | (r->ptrs[i] >> 8));
                tmp[t++] = (uint8_t)r->ptrs[i];
                goto done;
            }
        }
        if (out + t < 0x4000)
            newptrs[nnew++] = (uint16_t)(out + t);
        memcpy(tmp + t, s, (size_t)*s + 1);
        t += (size_t)*s + 1;
    }
    tmp[t++] = 0;
done:
    if (r->len + t > r->limit)
        return -1;
    memcpy(r->buf + r->len, tmp, t);
    r->len += t;
    for (size_t i = 0; i < nnew && r->nptrs < DNS_PTRS_MAX; i++)
        r->ptrs[r->nptrs++] = newptrs[i];
    return 0;
}

static uint32_t rng_state = 12345;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* A random name from few labels (shared suffixes, repeated labels such as a.a.a) in random
 * case, of one to five labels, some long enough for the word-wise comparisons' every path. */
static void random_name(uint8_t *out)
{
    static const char *const labels[] = {"a", "A", "b", "ab", "com", "COM", "example", "Example", "net",
                                         "mail", "ns1", "abcdefgh", "abcdefgX", "0123456789abcdef",
                                         "0123456789abcdeF", "x-y", "\x01\xff",
                                         "abcdXXefgh", "abcdYYefgh"}; /* the hash does not see XX/YY */
    size_t n = 1 + rnd() % 5, len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = labels[rnd() % (sizeof(labels) / sizeof(labels[0]))];
        size_t ll = strlen(l);
        out[len] = (uint8_t)ll;
        for (size_t k = 0; k < ll; k++) {
            uint8_t c = (uint8_t)l[k];
            if (rnd() % 4 == 0 && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                c ^= 0x20;
            out[len + 1 + k] = c;
        }
        len += ll + 1;
    }
    out[len] = 0;
}

/* One message: names written to both writers (some through undo marks, some not fitting),
 * then the bytes compared. pool: stable names, reused by address (stable_names on); or
 * else one buffer rewritten before every name, as the zone transfer does. */
static int one_message(size_t limit, size_t start, size_t nnames, int stable, size_t *compressed)
{
    static struct dns_writer w;
    static struct ref r;
    static uint8_t buf[65536];
    static uint8_t pool[32][DNS_NAME_MAX];
    for (size_t i = 0; i < 32; i++)
        random_name(pool[i]);
    dns_writer_init(&w, buf, limit);
    w.stable_names = stable;
    r.len = 0;
    r.limit = limit;
    r.nptrs = 0;
    /* A header's worth of bytes first, as in a real message (or more, to start near 0x4000). */
    memset(buf, 0, start);
    memset(r.buf, 0, start);
    w.len = r.len = start;
    struct dns_mark m = dns_writer_mark(&w);
    size_t rlen = r.len, rptrs = r.nptrs;
    uint8_t scratch[DNS_NAME_MAX];
    for (size_t i = 0; i < nnames; i++) {
        const uint8_t *name;
        if (stable) {
            /* Whole names and suffixes of names from the pool, by address. */
            name = pool[rnd() % 32];
            for (uint32_t skip = rnd() % 3; skip > 0 && name[0]; skip--)
                name += name[0] + 1;
        } else {
            random_name(scratch);
            name = scratch;
        }
        int compress = rnd() % 8 != 0;
        if (rnd() % 16 == 0) {
            m = dns_writer_mark(&w);
            rlen = r.len;
            rptrs = r.nptrs;
        }
        int a = dns_write_name(&w, name, compress), b = ref_write_name(&r, name, compress);
        if (a != b)
            return 0;
        if (a < 0 || rnd() % 32 == 0) {
            /* Callers undo to a mark when something does not fit (and sometimes by choice). */
            dns_writer_undo(&w, m);
            r.len = rlen;
            r.nptrs = rptrs;
        }
        if (w.len != r.len || memcmp(buf, r.buf, r.len) != 0)
            return 0;
    }
    for (size_t i = start; i + 1 < r.len; i++)
        *compressed += (r.buf[i] & 0xc0) == 0xc0;
    return 1;
}

int main(void)
{
    size_t compressed = 0;
    int ok = 1;
    for (int round = 0; round < 300 && ok; round++)
        ok = one_message(512, 12, 40, 1, &compressed);
    CHECK(ok, "compress.same-bytes-as-reference-512-stable-names");
    for (int round = 0; round < 300 && ok; round++)
        ok = one_message(512, 12, 40, 0, &compressed);
    CHECK(ok, "compress.same-bytes-as-reference-512-rewritten-buffer");
    /* Past DNS_PTRS_MAX remembered offsets, and names that straddle offset 0x4000 (the last a
     * pointer can reach): the rules for both. */
    for (int round = 0; round < 20 && ok; round++)
        ok = one_message(65535, 12, 3000, round & 1, &compressed);
    for (int round = 0; round < 200 && ok; round++)
        ok = one_message(65535, 0x4000 - 40, 30, round & 1, &compressed);
    CHECK(ok, "compress.same-bytes-as-reference-64k");
    CHECK(compressed > 1000, "compress.reference-did-compress");

    /* A name rewritten in place between writes (as the zone transfer does) is compared by its
     * bytes, not its address, even when its hash is the old one's (the middle bytes of a long
     * label are not hashed). */
    static uint8_t buf[512];
    struct dns_writer w;
    dns_writer_init(&w, buf, sizeof(buf));
    uint8_t name[DNS_NAME_MAX];
    memcpy(name, "\12abcdXXefgh\7example\3com", 24);
    dns_write_name(&w, name, 1);
    memcpy(name, "\12abcdYYefgh\7example\3com", 24);
    size_t at = w.len;
    dns_write_name(&w, name, 1);
    CHECK(w.len == at + 13 && memcmp(buf + at, "\12abcdYYefgh\xc0\x0b", 13) == 0,
          "compress.rewritten-name-not-taken-for-old");
    return CHECK_DONE();
}
