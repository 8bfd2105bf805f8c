/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Wire-form domain names: parsing with compression, text conversion, case-insensitive equality
 * and hashing (see dns_name.h). No allocation; every function is bounded by DNS_NAME_MAX.
 */
#include "dns_name.h"

#include <stdio.h>
#include <string.h>

static uint8_t lower(uint8_t c)
{
    return (uint8_t)(c - 'A') < 26 ? (uint8_t)(c + ('a' - 'A')) : c;
}

static uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    __builtin_memcpy(&v, p, 8);
    return v;
}

static uint32_t load32(const uint8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, 4);
    return v;
}

/* 1 when the n bytes are identical: a word at a time, the last word overlapping the one before
 * (no byte outside the n is read). */
static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8)
            if (load64(a + i) != load64(b + i))
                return 0;
        return load64(a + n - 8) == load64(b + n - 8);
    }
    if (n >= 4)
        return load32(a) == load32(b) && load32(a + n - 4) == load32(b + n - 4);
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

size_t dns_name_len(const uint8_t *name)
{
    size_t n = 0;
    while (name[n] != 0)
        n += (size_t)name[n] + 1;
    return n + 1;
}

int dns_name_parse(const uint8_t *msg, size_t len, size_t *pos, uint8_t *out)
{
    size_t p = *pos, outlen = 0;
    size_t end = 0;   /* where the name ends in place: after its first pointer or root */
    int jumps = 0;
    for (;;) {
        if (p >= len)
            return -1;
        uint8_t c = msg[p];
        if ((c & 0xc0) == 0xc0) {
            if (p + 1 >= len)
                return -1;
            size_t target = ((size_t)(c & 0x3f) << 8) | msg[p + 1];
            if (!jumps)
                end = p + 2;
            /* Pointers must go backwards: with that, loops cannot happen, but bound them too. */
            if (target >= p || ++jumps > 64)
                return -1;
            p = target;
            continue;
        }
        if (c & 0xc0)
            return -1; /* extended and reserved label types */
        if (outlen + 1 + c > DNS_NAME_MAX || p + 1 + c > len)
            return -1;
        memcpy(out + outlen, msg + p, (size_t)c + 1);
        outlen += (size_t)c + 1;
        p += (size_t)c + 1;
        if (c == 0)
            break;
    }
    *pos = jumps ? end : p;
    return 0;
}

/* Reads one possibly escaped character of a label; returns the bytes of text used, 0 on error. */
static size_t text_char(const char *t, size_t left, uint8_t *c)
{
    if (t[0] != '\\') {
        *c = (uint8_t)t[0];
        return 1;
    }
    if (left < 2)
        return 0;
    if (t[1] >= '0' && t[1] <= '9') {
        if (left < 4 || t[2] < '0' || t[2] > '9' || t[3] < '0' || t[3] > '9')
            return 0;
        unsigned v = (unsigned)(t[1] - '0') * 100 + (unsigned)(t[2] - '0') * 10 + (unsigned)(t[3] - '0');
        if (v > 255)
            return 0;
        *c = (uint8_t)v;
        return 4;
    }
    *c = (uint8_t)t[1];
    return 2;
}

int dns_name_from_text(const char *text, size_t len, const uint8_t *origin, uint8_t *out)
{
    if (len == 0)
        return -1;
    if (len == 1 && text[0] == '@') {
        if (!origin)
            return -1;
        memcpy(out, origin, dns_name_len(origin));
        return 0;
    }
    if (len == 1 && text[0] == '.') {
        out[0] = 0;
        return 0;
    }
    size_t outlen = 0, i = 0;
    int absolute = 0;
    while (i < len) {
        size_t label = outlen++;
        uint8_t n = 0;
        while (i < len && text[i] != '.') {
            uint8_t c;
            size_t used = text_char(text + i, len - i, &c);
            if (used == 0 || n == DNS_LABEL_MAX || outlen + 1 >= DNS_NAME_MAX)
                return -1;
            out[outlen++] = c;
            n++;
            i += used;
        }
        if (n == 0)
            return -1; /* empty label: ".." or a leading dot */
        out[label] = n;
        if (i < len) {
            i++; /* the dot */
            if (i == len)
                absolute = 1;
        }
    }
    if (absolute) {
        out[outlen] = 0;
        return 0;
    }
    if (!origin)
        return -1;
    size_t olen = dns_name_len(origin);
    if (outlen + olen > DNS_NAME_MAX)
        return -1;
    memcpy(out + outlen, origin, olen);
    return 0;
}

char *dns_name_to_text(const uint8_t *name, char *buf, size_t size)
{
    size_t o = 0;
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (name[0] == 0) {
        snprintf(buf, size, ".");
        return buf;
    }
    for (size_t p = 0; name[p] != 0; p += (size_t)name[p] + 1) {
        for (size_t k = 1; k <= name[p]; k++) {
            uint8_t c = name[p + k];
            int n;
            if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')')
                n = snprintf(buf + o, size - o, "\\%c", c);
            else if (c <= ' ' || c >= 0x7f)
                n = snprintf(buf + o, size - o, "\\%03u", c);
            else
                n = snprintf(buf + o, size - o, "%c", c);
            if (n < 0 || (size_t)n >= size - o)
                return buf;
            o += (size_t)n;
        }
        if (o + 1 >= size)
            return buf;
        buf[o++] = '.';
        buf[o] = '\0';
    }
    return buf;
}

int dns_label_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    /* Names compared are mostly spelled alike (zone data, or a query in the zone's case): the
     * byte-wise case folding is only needed when the plain comparison fails. */
    if (same_bytes(a, b, n))
        return 1;
    for (size_t k = 0; k < n; k++)
        if (a[k] != b[k] && lower(a[k]) != lower(b[k]))
            return 0;
    return 1;
}

int dns_name_equal(const uint8_t *a, const uint8_t *b)
{
    for (;;) {
        if (*a != *b)
            return 0;
        if (*a == 0)
            return 1;
        size_t n = *a;
        if (!dns_label_equal(a + 1, b + 1, n))
            return 0;
        a += n + 1;
        b += n + 1;
    }
}

uint32_t dns_name_hash(const uint8_t *name)
{
    /* FNV-1a over the lowercased wire bytes (length bytes and the root's zero included), in one
     * pass over the labels. */
    uint32_t h = 2166136261u;
    for (;;) {
        size_t n = *name;
        h = (h ^ n) * 16777619u;
        if (n == 0)
            return h;
        for (size_t k = 1; k <= n; k++)
            h = (h ^ lower(name[k])) * 16777619u;
        name += n + 1;
    }
}

unsigned dns_name_labels(const uint8_t *name)
{
    unsigned n = 0;
    for (; *name; name += *name + 1)
        n++;
    return n;
}

const uint8_t *dns_name_parent(const uint8_t *name)
{
    return name[0] ? name + name[0] + 1 : NULL;
}

int dns_name_is_below(const uint8_t *name, const uint8_t *parent)
{
    unsigned n = dns_name_labels(name), p = dns_name_labels(parent);
    if (n < p)
        return 0;
    for (; n > p; n--)
        name = dns_name_parent(name);
    return dns_name_equal(name, parent);
}
