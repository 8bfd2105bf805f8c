/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Zone-file record data to wire form for the supported types (see dns_rdata.h). Each type is a
 * fixed sequence of fields (16/32-bit numbers, names, addresses, character-strings); parsing
 * checks the token count exactly so trailing junk is an error, as it is for NSD.
 */
#include "dns_rdata.h"

#include <string.h>

#include "dns_name.h"
#include "dns_zone.h"

static const struct {
    const char *name;
    uint16_t type;
} types[] = {
    {"A", DNS_T_A},     {"NS", DNS_T_NS},   {"CNAME", DNS_T_CNAME}, {"SOA", DNS_T_SOA},
    {"PTR", DNS_T_PTR}, {"MX", DNS_T_MX},   {"TXT", DNS_T_TXT},     {"AAAA", DNS_T_AAAA},
    {"SRV", DNS_T_SRV},
};

static int ieq(const char *a, size_t len, const char *b)
{
    if (strlen(b) != len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = a[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != b[i])
            return 0;
    }
    return 1;
}

uint16_t dns_type_from_text(const char *text, size_t len)
{
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (ieq(text, len, types[i].name))
            return types[i].type;
    return 0;
}

int dns_ttl_from_text(const char *text, size_t len, uint32_t *out)
{
    uint64_t total = 0, value = 0;
    int digits = 0, units = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            value = value * 10 + (uint64_t)(c - '0');
            if (value > 0x7fffffff)
                return -1;
            digits++;
            continue;
        }
        uint64_t mult;
        switch (c | 0x20) {
        case 's': mult = 1; break;
        case 'm': mult = 60; break;
        case 'h': mult = 3600; break;
        case 'd': mult = 86400; break;
        case 'w': mult = 604800; break;
        default: return -1;
        }
        if (!digits)
            return -1;
        total += value * mult;
        value = 0;
        digits = 0;
        units = 1;
        if (total > 0x7fffffff)
            return -1;
    }
    if (digits == 0 && !units)
        return -1;
    if (digits && units)
        return -1; /* "1h30" is ambiguous: BIND refuses it too */
    total += value;
    if (total > 0x7fffffff)
        return -1;
    *out = (uint32_t)total;
    return 0;
}

struct out {
    uint8_t *buf;
    size_t len;
};

static int put(struct out *o, const void *data, size_t n)
{
    if (o->len + n > DNS_RDATA_MAX)
        return -1;
    memcpy(o->buf + o->len, data, n);
    o->len += n;
    return 0;
}

static int number(const struct dns_token *t, uint32_t max, uint32_t *v)
{
    uint64_t n = 0;
    if (t->quoted || t->len == 0 || t->len > 10)
        return -1;
    for (size_t i = 0; i < t->len; i++) {
        if (t->text[i] < '0' || t->text[i] > '9')
            return -1;
        n = n * 10 + (uint64_t)(t->text[i] - '0');
    }
    if (n > max)
        return -1;
    *v = (uint32_t)n;
    return 0;
}

static int put16(struct out *o, const struct dns_token *t)
{
    uint32_t v;
    if (number(t, 65535, &v) < 0)
        return -1;
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    return put(o, b, 2);
}

static int put32(struct out *o, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    return put(o, b, 4);
}

static int put_name(struct out *o, const struct dns_token *t, const uint8_t *origin)
{
    uint8_t name[DNS_NAME_MAX];
    if (t->quoted || dns_name_from_text(t->text, t->len, origin, name) < 0)
        return -1;
    return put(o, name, dns_name_len(name));
}

static int ip4(const char *s, size_t len, uint8_t out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        unsigned v = 0;
        int digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return -1;
        out[part] = (uint8_t)v;
        if (part < 3 && (i >= len || s[i++] != '.'))
            return -1;
    }
    return i == len ? 0 : -1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 4291 text: groups of up to 4 hex digits, one "::", optionally a dotted quad at the end. */
static int ip6(const char *s, size_t len, uint8_t out[16])
{
    uint8_t words[16];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (len >= 1 && s[0] == ':') {
        return -1;
    }
    while (i < len) {
        size_t start = i;
        unsigned v = 0;
        int digits = 0;
        while (i < len && hexval(s[i]) >= 0 && digits < 5) {
            v = v * 16 + (unsigned)hexval(s[i++]);
            digits++;
        }
        if (i < len && s[i] == '.') { /* embedded IPv4 ends the address */
            if (n > 12 || ip4(s + start, len - start, words + n) < 0)
                return -1;
            n += 4;
            i = len;
            break;
        }
        if (digits == 0 || digits > 4 || n > 14)
            return -1;
        words[n++] = (uint8_t)(v >> 8);
        words[n++] = (uint8_t)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return -1;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return -1;
            gap = n;
            i++;
        } else if (i == len) {
            return -1;
        }
    }
    if (gap < 0 && n != 16)
        return -1;
    if (gap >= 0 && n > 14)
        return -1;
    memset(out, 0, 16);
    if (gap < 0) {
        memcpy(out, words, 16);
    } else {
        memcpy(out, words, (size_t)gap);
        memcpy(out + 16 - (n - gap), words + gap, (size_t)(n - gap));
    }
    return 0;
}

/* One character-string: at most 255 bytes, escapes \X and \DDD resolved. */
static int put_string(struct out *o, const struct dns_token *t)
{
    uint8_t s[256];
    size_t n = 0;
    for (size_t i = 0; i < t->len; i++) {
        uint8_t c = (uint8_t)t->text[i];
        if (c == '\\' && i + 1 < t->len) {
            const char *e = t->text + i + 1;
            if (i + 3 < t->len && e[0] >= '0' && e[0] <= '9' && e[1] >= '0' && e[1] <= '9' &&
                e[2] >= '0' && e[2] <= '9') {
                unsigned v = (unsigned)(e[0] - '0') * 100 + (unsigned)(e[1] - '0') * 10 + (unsigned)(e[2] - '0');
                if (v > 255)
                    return -1;
                c = (uint8_t)v;
                i += 3;
            } else {
                c = (uint8_t)e[0];
                i++;
            }
        }
        if (n == 255)
            return -1;
        s[1 + n++] = c;
    }
    s[0] = (uint8_t)n;
    return put(o, s, n + 1);
}

int dns_rdata_from_text(uint16_t type, const struct dns_token *tok, size_t ntok,
                        const uint8_t *origin, uint8_t *buf, size_t *outlen, const char **why)
{
    struct out o = {buf, 0};
    static const size_t want[] = {[DNS_T_A] = 1, [DNS_T_NS] = 1, [DNS_T_CNAME] = 1, [DNS_T_SOA] = 7,
                                  [DNS_T_PTR] = 1, [DNS_T_MX] = 2, [DNS_T_AAAA] = 1, [DNS_T_SRV] = 4};
    if (type == DNS_T_TXT ? ntok == 0 : (type >= sizeof(want) / sizeof(want[0]) || ntok != want[type])) {
        *why = ntok == 0 ? "missing record data" : "wrong number of fields in the record data";
        return -1;
    }
    int rc = 0;
    switch (type) {
    case DNS_T_A:
        *why = "bad IPv4 address";
        rc = ip4(tok[0].text, tok[0].len, buf);
        o.len = 4;
        break;
    case DNS_T_AAAA:
        *why = "bad IPv6 address";
        rc = ip6(tok[0].text, tok[0].len, buf);
        o.len = 16;
        break;
    case DNS_T_NS:
    case DNS_T_CNAME:
    case DNS_T_PTR:
        *why = "bad domain name";
        rc = put_name(&o, &tok[0], origin);
        break;
    case DNS_T_MX:
        *why = "bad MX preference or exchange name";
        rc = put16(&o, &tok[0]) < 0 ? -1 : put_name(&o, &tok[1], origin);
        break;
    case DNS_T_SRV:
        *why = "bad SRV priority, weight, port or target";
        for (int i = 0; i < 3 && rc == 0; i++)
            rc = put16(&o, &tok[i]);
        if (rc == 0)
            rc = put_name(&o, &tok[3], origin);
        break;
    case DNS_T_SOA:
        *why = "bad SOA name";
        if (put_name(&o, &tok[0], origin) < 0 || put_name(&o, &tok[1], origin) < 0)
            return -1;
        *why = "bad SOA serial";
        uint32_t v;
        if (number(&tok[2], 0xffffffffu, &v) < 0 || put32(&o, v) < 0)
            return -1;
        *why = "bad SOA timer (refresh, retry, expire or minimum)";
        for (int i = 3; i < 7; i++)
            if (dns_ttl_from_text(tok[i].text, tok[i].len, &v) < 0 || put32(&o, v) < 0)
                return -1;
        break;
    case DNS_T_TXT:
        *why = "bad TXT string (more than 255 bytes?)";
        for (size_t i = 0; i < ntok && rc == 0; i++)
            rc = put_string(&o, &tok[i]);
        break;
    }
    if (rc < 0)
        return -1;
    *outlen = o.len;
    return 0;
}
