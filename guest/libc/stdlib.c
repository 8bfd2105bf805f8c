/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libc subset (unikernels): number parsing, sorting, a small PRNG and process end. Allocation
 * lives in guest/alloc.c.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <platform.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int errno;

/* Parses the magnitude of an integer; shared by the signed and unsigned front ends. */
static unsigned long long parse_magnitude(const char *s, char **end, int base, int *negative,
                                          int *overflow)
{
    const char *p = s;
    unsigned long long value = 0;
    int any = 0;

    *negative = 0;
    *overflow = 0;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '-' || *p == '+')
        *negative = (*p++ == '-');
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        isxdigit((unsigned char)p[2])) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = (p[0] == '0') ? 8 : 10;
    }
    for (;; p++) {
        int c = (unsigned char)*p, digit;
        if (isdigit(c))
            digit = c - '0';
        else if (isalpha(c))
            digit = tolower(c) - 'a' + 10;
        else
            break;
        if (digit >= base)
            break;
        any = 1;
        if (value > (ULLONG_MAX - (unsigned)digit) / (unsigned)base)
            *overflow = 1;
        else
            value = value * (unsigned)base + (unsigned)digit;
    }
    if (end)
        *end = (char *)(any ? p : s);
    return value;
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
    int negative, overflow;
    unsigned long long m = parse_magnitude(s, end, base, &negative, &overflow);
    if (overflow || m > (unsigned long long)LLONG_MAX + negative) {
        errno = ERANGE;
        return negative ? LLONG_MIN : LLONG_MAX;
    }
    return negative ? (long long)(0 - m) : (long long)m;
}

unsigned long long strtoull(const char *restrict s, char **restrict end, int base)
{
    int negative, overflow;
    unsigned long long m = parse_magnitude(s, end, base, &negative, &overflow);
    if (overflow) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return negative ? 0 - m : m;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
    return (long)strtoll(s, end, base);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
    return (unsigned long)strtoull(s, end, base);
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
    while (size--) {
        unsigned char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Heapsort: O(n log n) worst case, no recursion, no extra memory. */
static void sift_down(unsigned char *base, size_t root, size_t count, size_t size,
                      int (*cmp)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= count)
            return;
        if (child + 1 < count && cmp(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (cmp(base + root * size, base + child * size) >= 0)
            return;
        swap_bytes(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *))
{
    unsigned char *b = base;
    if (count < 2)
        return;
    for (size_t i = count / 2; i-- > 0;)
        sift_down(b, i, count, size, cmp);
    for (size_t end = count - 1; end > 0; end--) {
        swap_bytes(b, b + end * size, size);
        sift_down(b, 0, end, size, cmp);
    }
}

void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*cmp)(const void *, const void *))
{
    const unsigned char *b = base;
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp(key, b + mid * size);
        if (c == 0)
            return (void *)(b + mid * size);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* xorshift64*: good enough for ports, IDs and jitter; seeded from the clock at start. */
static uint64_t rand_state = 0x9e3779b97f4a7c15ULL;

void srand(unsigned seed) { rand_state = seed ? (uint64_t)seed * 0x2545f4914f6cdd1dULL : 1; }

int rand(void)
{
    rand_state ^= rand_state >> 12;
    rand_state ^= rand_state << 25;
    rand_state ^= rand_state >> 27;
    return (int)((rand_state * 0x2545f4914f6cdd1dULL) >> 33);
}

_Noreturn void exit(int status)
{
    fflush(stdout);
    plat_exit(status);
}

_Noreturn void abort(void)
{
    fflush(stdout);
    plat_abort("abort() called");
}

_Noreturn void unf_libc_assert_fail(const char *expr, const char *file, int line)
{
    fflush(stdout);
    fprintf(stderr, "assertion failed: %s (%s:%d)\n", expr, file, line);
    plat_abort("assertion failed");
}
