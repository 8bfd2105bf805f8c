/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest unit tests of the libc subset, the allocator and the command-line handling, run as a
 * real unikernel on the proc platform (tests/system/guest_libc.sh). Prints "PASS name" /
 * "FAIL name: ..." lines like every other test. Expects the command line
 *   unf.name=guest_libc -- one "two words" three
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond, name)                                                         \
    do {                                                                          \
        if (cond)                                                                 \
            printf("PASS %s\n", name);                                            \
        else {                                                                    \
            printf("FAIL %s: %s (line %d)\n", name, #cond, __LINE__);             \
            failures++;                                                           \
        }                                                                         \
    } while (0)

static int fmt_is(const char *expect, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fmt_is(const char *expect, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (strcmp(buf, expect) != 0 || n != (int)strlen(expect)) {
        printf("  got \"%s\" (%d), want \"%s\"\n", buf, n, expect);
        return 0;
    }
    return 1;
}

static void test_printf(void)
{
    CHECK(fmt_is("42 -7 +5  3", "%d %i %+d % d", 42, -7, 5, 3), "printf.signed");
    CHECK(fmt_is("00042|42   |   42", "%05d|%-5d|%5d", 42, 42, 42), "printf.width-and-flags");
    CHECK(fmt_is("ff FF 0xff 777 0", "%x %X %#x %o %u", 255, 255, 255, 511, 0), "printf.bases");
    CHECK(fmt_is("18446744073709551615 -9223372036854775808", "%lu %lld", ULONG_MAX, LLONG_MIN),
          "printf.64-bit-extremes");
    CHECK(fmt_is("abc|  abc|ab", "%s|%5s|%.2s", "abc", "abc", "abc"), "printf.strings");
    CHECK(fmt_is("0x1000 c %", "%p %c %%", (void *)0x1000, 'c'), "printf.pointer-char-percent");
#ifdef UNF_GUEST_FLOAT
    CHECK(fmt_is("3.142 -0.50 10", "%.3f %.2f %.0f", 3.14159, -0.5, 9.6), "printf.fixed-point");
#endif
    CHECK(fmt_is("007", "%.3d", 7), "printf.precision-on-integers");
    CHECK(fmt_is("  x", "%*s", 3, "x"), "printf.star-width");
    char small[5];
    int n = snprintf(small, sizeof(small), "%s", "truncated");
    CHECK(n == 9 && strcmp(small, "trun") == 0, "printf.truncation-returns-full-length");
}

/* memcpy and memset at every size from 0 to 80 and every start offset mod 8: the short sizes
 * take overlapping word moves, the longer ones a string instruction; bytes around the target
 * must stay as they were. */
static void test_copy_sizes(void)
{
    static unsigned char src[128], dst[128];
    int copy_ok = 1, fill_ok = 1;
    for (size_t n = 0; n <= 80; n++) {
        for (size_t at = 0; at < 8; at++) {
            for (size_t i = 0; i < sizeof(src); i++) {
                src[i] = (unsigned char)(i * 13 + n + 1);
                dst[i] = 0xee;
            }
            if (memcpy(dst + at + 8, src + (7 - at), n) != dst + at + 8)
                copy_ok = 0;
            for (size_t i = 0; i < sizeof(dst); i++) {
                int inside = i >= at + 8 && i < at + 8 + n;
                copy_ok &= dst[i] == (inside ? src[i - at - 8 + (7 - at)] : 0xee);
            }
            if (memset(dst + at + 8, (int)(0x100 + n), n) != dst + at + 8) /* only the low byte counts */
                fill_ok = 0;
            for (size_t i = 0; i < sizeof(dst); i++) {
                int inside = i >= at + 8 && i < at + 8 + n;
                fill_ok &= dst[i] == (inside ? (unsigned char)n : 0xee);
            }
        }
    }
    CHECK(copy_ok, "string.memcpy-every-size-and-offset");
    CHECK(fill_ok, "string.memset-every-size-and-offset");
}

static void test_strings(void)
{
    char buf[32] = "0123456789";
    memmove(buf + 2, buf, 8);
    CHECK(memcmp(buf, "0101234567", 10) == 0, "string.memmove-overlap-forward");
    memmove(buf, buf + 2, 8);
    CHECK(memcmp(buf, "0123456767", 10) == 0, "string.memmove-overlap-backward");
    /* Longer overlapping moves, by odd distances, cover memmove's word loop and its byte tail. */
    static unsigned char big[1100];
    int ok = 1;
    for (unsigned shift = 1; shift <= 9; shift += 4) {
        for (unsigned i = 0; i < sizeof(big); i++)
            big[i] = (unsigned char)(i * 7 + 1);
        memmove(big + shift, big, 1000 + shift); /* dst above src: copied backwards */
        for (unsigned i = 0; i < 1000 + shift; i++)
            ok &= big[i + shift] == (unsigned char)(i * 7 + 1);
        memmove(big, big + shift, 1000); /* dst below src: forwards, back where it was */
        for (unsigned i = 0; i < 1000; i++)
            ok &= big[i] == (unsigned char)(i * 7 + 1);
    }
    CHECK(ok, "string.memmove-long-overlaps");
    CHECK(strcasecmp("Content-Type", "content-type") == 0 && strncasecmp("ABx", "aby", 2) == 0,
          "string.case-insensitive");
    CHECK(strcmp("a", "b") < 0 && strcmp("b", "a") > 0 && strcmp("", "") == 0, "string.strcmp-sign");
    char text[] = " a,b,,c ";
    char *save, *t1 = strtok_r(text, " ,", &save), *t2 = strtok_r(NULL, " ,", &save),
                *t3 = strtok_r(NULL, " ,", &save), *t4 = strtok_r(NULL, " ,", &save);
    CHECK(t1 && t2 && t3 && !t4 && strcmp(t1, "a") == 0 && strcmp(t3, "c") == 0, "string.strtok_r");
    CHECK(strstr("hello world", "o w") != NULL && strstr("abc", "abd") == NULL, "string.strstr");
    CHECK(strrchr("a/b/c", '/')[1] == 'c' && strchr("abc", '\0') != NULL, "string.strchr-strrchr");
    CHECK(isdigit('7') && !isdigit('a') && isspace('\t') && tolower('Q') == 'q', "ctype.classes");
}

static void test_numbers(void)
{
    char *end;
    CHECK(strtol("  -123xyz", &end, 10) == -123 && *end == 'x', "strtol.decimal-with-tail");
    CHECK(strtol("0x1f", NULL, 0) == 31 && strtol("017", NULL, 0) == 15, "strtol.base-detection");
    errno = 0;
    CHECK(strtol("99999999999999999999", NULL, 10) == LONG_MAX && errno == ERANGE, "strtol.overflow");
    CHECK(strtoul("4294967296", NULL, 10) == 4294967296UL, "strtoul.large");
    CHECK(strtol("abc", &end, 10) == 0 && strcmp(end, "abc") == 0, "strtol.no-digits");
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void test_sort(void)
{
    int v[200];
    for (int i = 0; i < 200; i++)
        v[i] = (i * 7919) % 211 - 100;
    qsort(v, 200, sizeof(int), cmp_int);
    int sorted = 1;
    for (int i = 1; i < 200; i++)
        if (v[i - 1] > v[i])
            sorted = 0;
    CHECK(sorted, "qsort.sorts");
    int key = v[123];
    int *hit = bsearch(&key, v, 200, sizeof(int), cmp_int);
    CHECK(hit && *hit == key, "bsearch.finds");
}

static void test_alloc(void)
{
    enum { SLOTS = 512 };
    static unsigned char *slot[SLOTS];
    static size_t size[SLOTS];
    int intact = 1, aligned = 1;
    srand(1);
    /* Random allocate/free/realloc churn; every block carries a pattern checked before free. */
    for (int round = 0; round < 20000; round++) {
        int i = rand() % SLOTS;
        if (slot[i]) {
            for (size_t k = 0; k < size[i]; k++)
                if (slot[i][k] != (unsigned char)(i + k))
                    intact = 0;
            if (rand() % 3 == 0) {
                size_t grown = size[i] + (size_t)(rand() % 3000);
                unsigned char *p = realloc(slot[i], grown);
                if (p) {
                    for (size_t k = size[i]; k < grown; k++)
                        p[k] = (unsigned char)(i + k);
                    slot[i] = p;
                    size[i] = grown;
                }
                continue;
            }
            free(slot[i]);
            slot[i] = NULL;
        } else {
            size[i] = (size_t)(rand() % 4096) + 1;
            slot[i] = malloc(size[i]);
            if (!slot[i])
                continue;
            if ((unsigned long)slot[i] % 16)
                aligned = 0;
            for (size_t k = 0; k < size[i]; k++)
                slot[i][k] = (unsigned char)(i + k);
        }
    }
    for (int i = 0; i < SLOTS; i++)
        free(slot[i]);
    CHECK(intact, "alloc.blocks-never-overlap");
    CHECK(aligned, "alloc.16-byte-aligned");
    /* After freeing everything, the heap coalesced back: one big block fits again. */
    void *big = malloc(3 * 1024 * 1024);
    CHECK(big != NULL, "alloc.coalesces-after-free");
    free(big);
    CHECK(malloc((size_t)1 << 40) == NULL, "alloc.refuses-oversized");
    int *zeros = calloc(1000, sizeof(int));
    int all_zero = zeros != NULL;
    for (int i = 0; zeros && i < 1000; i++)
        all_zero &= zeros[i] == 0;
    free(zeros);
    CHECK(all_zero, "alloc.calloc-zeroes");
    CHECK(calloc((size_t)1 << 62, 16) == NULL, "alloc.calloc-overflow");
}

int main(int argc, char **argv)
{
    CHECK(argc == 4 && strcmp(argv[0], "guest_libc") == 0 && strcmp(argv[1], "one") == 0 &&
              strcmp(argv[2], "two words") == 0 && strcmp(argv[3], "three") == 0,
          "start.argv-from-cmdline");
    test_printf();
    test_strings();
    test_copy_sizes();
    test_numbers();
    test_sort();
    test_alloc();
    return failures ? 1 : 0;
}
