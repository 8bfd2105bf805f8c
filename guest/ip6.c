/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address text of either family for apps and the start code (unf_addr_parse, unf_addr_format,
 * unf_addr_from_ip4), every target. Written without the C library's inet_pton so unikernels,
 * whose libc subset has none, parse exactly as the native build does.
 */
#include <string.h>
#include <unf/net.h>

unf_addr unf_addr_from_ip4(unf_ip4 addr)
{
    unf_addr a;
    memset(&a, 0, sizeof(a));
    a.family = UNF_AF_IP4;
    memcpy(a.bytes, &addr, 4);
    return a;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Parses IPv6 text into 16 bytes; -1 on anything RFC 4291 2.2 does not allow. */
static int parse6(const char *p, uint8_t out[16])
{
    uint8_t head[16], tail[16];
    size_t nhead = 0, ntail = 0;
    int gap = 0; /* "::" seen: further groups go to tail */
    if (p[0] == ':') {
        if (p[1] != ':')
            return -1;
        gap = 1;
        p += 2;
    }
    while (*p) {
        uint8_t *dst = gap ? tail : head;
        size_t *n = gap ? &ntail : &nhead;
        if (nhead + ntail >= 16)
            return -1;
        /* A dotted quad may end the address (e.g. ::ffff:192.0.2.1). */
        const char *colon = strchr(p, ':');
        const char *dot = strchr(p, '.');
        if (dot && !colon) {
            unf_ip4 v4;
            if (nhead + ntail + 4 > 16 || unf_ip4_parse(p, &v4) < 0)
                return -1;
            memcpy(dst + *n, &v4, 4);
            *n += 4;
            break;
        }
        unsigned value = 0;
        int digits = 0, h;
        while ((h = hex_value(*p)) >= 0) {
            if (++digits > 4)
                return -1;
            value = value << 4 | (unsigned)h;
            p++;
        }
        if (digits == 0)
            return -1;
        dst[(*n)++] = (uint8_t)(value >> 8);
        dst[(*n)++] = (uint8_t)value;
        if (*p == '\0')
            break;
        if (*p != ':')
            return -1;
        p++;
        if (*p == ':') {
            if (gap)
                return -1; /* a second "::" */
            gap = 1;
            p++;
            if (*p == '\0')
                break;
        } else if (*p == '\0') {
            return -1; /* a trailing single ':' */
        }
    }
    if (nhead + ntail > 16 || (!gap && nhead != 16) || (gap && nhead + ntail > 14))
        return -1;
    memset(out, 0, 16);
    memcpy(out, head, nhead);
    memcpy(out + 16 - ntail, tail, ntail);
    return 0;
}

int unf_addr_parse(const char *text, unf_addr *out)
{
    if (!text || !*text)
        return -1;
    unf_addr a;
    memset(&a, 0, sizeof(a));
    if (strchr(text, ':')) {
        if (parse6(text, a.bytes) < 0)
            return -1;
        a.family = UNF_AF_IP6;
    } else {
        unf_ip4 v4;
        if (unf_ip4_parse(text, &v4) < 0)
            return -1;
        a = unf_addr_from_ip4(v4);
    }
    *out = a;
    return 0;
}

char *unf_addr_format(const unf_addr *addr, char *buf)
{
    if (addr->family == UNF_AF_IP4) {
        unf_ip4 v4;
        memcpy(&v4, addr->bytes, 4);
        return unf_ip4_format(v4, buf);
    }
    if (addr->family != UNF_AF_IP6) {
        strcpy(buf, "?");
        return buf;
    }
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)addr->bytes[2 * i] << 8 | addr->bytes[2 * i + 1];
    /* RFC 5952 4.2: the longest run of two or more zero groups becomes "::", the first on a tie. */
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    static const char digits[] = "0123456789abcdef";
    char *o = buf;
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            *o++ = ':';
            if (i == 0)
                *o++ = ':';
            i += best_len - 1;
            continue;
        }
        int started = 0;
        for (int shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (g[i] >> shift) & 0xf;
            if (d || started || shift == 0) {
                *o++ = digits[d];
                started = 1;
            }
        }
        if (i < 7)
            *o++ = ':';
    }
    *o = '\0';
    return buf;
}
