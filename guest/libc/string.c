/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libc subset (unikernels): memory and string functions. The bulk copies use x86 "rep movsb" /
 * "rep stosb", which are fast on every CPU since Ivy Bridge (ERMS) and keep the code tiny (other
 * architectures get loops); copies and fills of up to 16 bytes are done with a few plain moves,
 * because a string instruction's start-up cost is many times that of the copy there; the rest
 * are plain loops. GCC must not turn these loops back into
 * calls to themselves, hence the no-tree-loop-distribute-patterns attribute.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NO_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

#if defined(__x86_64__)
/* Up to 16 bytes: two possibly overlapping loads and stores of the widest size that fits (the
 * loads first, so the stores cannot clobber them). Measured on the Xeon and EPYC hosts, "rep
 * movsb" costs about 6 ns per call for 1 to 100 bytes and about 60 ns for 0 bytes, and callers
 * such as the DNS writer and lwIP copy 0 to 16 bytes many times per packet; these moves take
 * a nanosecond or two. x86 loads and stores need no alignment. */
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (n <= 16) {
        if (n >= 8) {
            uint64_t a, b;
            __builtin_memcpy(&a, s, 8);
            __builtin_memcpy(&b, s + n - 8, 8);
            __builtin_memcpy(d, &a, 8);
            __builtin_memcpy(d + n - 8, &b, 8);
        } else if (n >= 4) {
            uint32_t a, b;
            __builtin_memcpy(&a, s, 4);
            __builtin_memcpy(&b, s + n - 4, 4);
            __builtin_memcpy(d, &a, 4);
            __builtin_memcpy(d + n - 4, &b, 4);
        } else if (n > 0) {
            unsigned char a = s[0], b = s[n >> 1], c = s[n - 1];
            d[0] = a;
            d[n >> 1] = b;
            d[n - 1] = c;
        }
        return dst;
    }
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    /* Overlap with dst above src: copy backwards, 8 bytes at a time (x86 loads and stores need
     * no alignment). Not `std; rep movsb`: a backwards string copy gets no fast-string microcode
     * and moves one byte per step, which made shifting a 100k-entry array take milliseconds. Each
     * word is read before the store that may overlap it; stores only touch bytes at or above
     * the next source word's end, which were already read. */
    while (n >= 8) {
        uint64_t word;
        n -= 8;
        __builtin_memcpy(&word, s + n, 8);
        __builtin_memcpy(d + n, &word, 8);
    }
    while (n--)
        d[n] = s[n];
    return dst;
}

/* Up to 16 bytes with plain stores, as in memcpy ("rep stosb" costs about 13 ns at any size up
 * to 64 bytes). */
void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (n <= 16) {
        uint64_t v = 0x0101010101010101ull * (unsigned char)c;
        if (n >= 8) {
            __builtin_memcpy(d, &v, 8);
            __builtin_memcpy(d + n - 8, &v, 8);
        } else if (n >= 4) {
            __builtin_memcpy(d, &v, 4);
            __builtin_memcpy(d + n - 4, &v, 4);
        } else if (n > 0) {
            d[0] = (unsigned char)c;
            d[n >> 1] = (unsigned char)c;
            d[n - 1] = (unsigned char)c;
        }
        return dst;
    }
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}
#else
/* Other architectures (aarch64): plain loops, 8 bytes at a time when both pointers are
 * 8-byte aligned (kernels there may run with strict alignment). */
NO_LIBCALLS void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0)
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(uint64_t *)(void *)d = *(const uint64_t *)(const void *)s;
    while (n--)
        *d++ = *s++;
    return dst;
}

NO_LIBCALLS void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--) /* overlap with dst above src: copy backwards */
        d[n] = s[n];
    return dst;
}

NO_LIBCALLS void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    if (((uintptr_t)d & 7) == 0) {
        uint64_t v = 0x0101010101010101ull * (unsigned char)c;
        for (; n >= 8; n -= 8, d += 8)
            *(uint64_t *)(void *)d = v;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}
#endif

NO_LIBCALLS int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] - y[i];
    return 0;
}

NO_LIBCALLS void *memchr(const void *s, int c, size_t n)
{
    const unsigned char *p = s;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (unsigned char)c)
            return (void *)(p + i);
    return NULL;
}

NO_LIBCALLS size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

NO_LIBCALLS size_t strnlen(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

int strcmp(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

int strcasecmp(const char *a, const char *b)
{
    while (*a && lower((unsigned char)*a) == lower((unsigned char)*b))
        a++, b++;
    return lower((unsigned char)*a) - lower((unsigned char)*b);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
    for (; n > 0; n--, a++, b++) {
        int x = lower((unsigned char)*a), y = lower((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strrchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (!*s)
            return (char *)last;
    }
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++)
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    return n == 0 ? (char *)haystack : NULL;
}

NO_LIBCALLS char *strcpy(char *restrict dst, const char *restrict src)
{
    char *d = dst;
    while ((*d++ = *src++))
        ;
    return dst;
}

NO_LIBCALLS char *strncpy(char *restrict dst, const char *restrict src, size_t n)
{
    size_t i = 0;
    for (; i < n && src[i]; i++)
        dst[i] = src[i];
    for (; i < n; i++)
        dst[i] = '\0';
    return dst;
}

char *strcat(char *restrict dst, const char *restrict src)
{
    strcpy(dst + strlen(dst), src);
    return dst;
}

size_t strspn(const char *s, const char *accept)
{
    size_t n = 0;
    while (s[n] && strchr(accept, s[n]))
        n++;
    return n;
}

size_t strcspn(const char *s, const char *reject)
{
    size_t n = 0;
    while (s[n] && !strchr(reject, s[n]))
        n++;
    return n;
}

char *strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *strdup(const char *s) { return strndup(s, SIZE_MAX); }

char *strtok_r(char *restrict s, const char *restrict delim, char **restrict save)
{
    if (!s)
        s = *save;
    s += strspn(s, delim);
    if (!*s) {
        *save = s;
        return NULL;
    }
    char *end = s + strcspn(s, delim);
    if (*end)
        *end++ = '\0';
    *save = end;
    return s;
}

char *strerror(int err)
{
    (void)err;
    return "error";
}
