/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The zone-file parser (see dns_zparse.h). A scanner cuts the text into entries (one logical
 * line: parentheses join physical lines, ';' starts a comment), each a list of tokens; the entry
 * is then a directive or a record: [owner] [TTL] [class] type rdata, TTL and class in any order.
 */
#include "dns_zparse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns_rdata.h"

#define MAX_TOKENS 1024

struct zparser {
    const char *fname;
    const char *text;
    size_t len, pos;
    unsigned line;               /* current physical line */
    struct dns_token tok[MAX_TOKENS];
    size_t ntok;
    size_t line_start;           /* offset where the current physical line starts */
    int owner_omitted;           /* the entry began with blank space */
    uint8_t origin[DNS_NAME_MAX];
    int have_origin;
    uint8_t owner[DNS_NAME_MAX]; /* the previous record's owner */
    int have_owner;
    uint32_t default_ttl, last_ttl;
    int have_default_ttl, have_last_ttl;
    struct dns_zone *zone;
    uint8_t rdata[DNS_RDATA_MAX];
    char *err;
    size_t errsize;
};

static int fail(struct zparser *p, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct zparser *p, unsigned line, const char *fmt, ...)
{
    int n = snprintf(p->err, p->errsize, "%s:%u: ", p->fname, line);
    if (n >= 0 && (size_t)n < p->errsize) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errsize - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Scans one token starting at p->pos (not blank, not a special character). */
static int scan_token(struct zparser *p)
{
    if (p->ntok == MAX_TOKENS)
        return fail(p, p->line, "too many fields in one entry");
    struct dns_token *t = &p->tok[p->ntok];
    t->line = p->line;
    t->quoted = p->text[p->pos] == '"';
    if (t->quoted) {
        size_t start = ++p->pos;
        while (p->pos < p->len && p->text[p->pos] != '"') {
            if (p->text[p->pos] == '\n')
                return fail(p, t->line, "unterminated quoted string");
            p->pos += p->text[p->pos] == '\\' && p->pos + 1 < p->len ? 2 : 1;
        }
        if (p->pos >= p->len)
            return fail(p, t->line, "unterminated quoted string");
        t->text = p->text + start;
        t->len = p->pos - start;
        p->pos++; /* closing quote */
    } else {
        size_t start = p->pos;
        while (p->pos < p->len) {
            char c = p->text[p->pos];
            if (is_blank(c) || c == '\n' || c == ';' || c == '(' || c == ')' || c == '"')
                break;
            /* An escaped character never ends a token (e.g. "\;" or "\ "). */
            p->pos += c == '\\' && p->pos + 1 < p->len && p->text[p->pos + 1] != '\n' ? 2 : 1;
        }
        t->text = p->text + start;
        t->len = p->pos - start;
    }
    p->ntok++;
    return 0;
}

/* Reads the next entry into p->tok; returns 1 when one was read, 0 at the end, -1 on error. */
static int next_entry(struct zparser *p)
{
    int depth = 0;
    unsigned open_line = 0;
    p->ntok = 0;
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c == '\n') {
            p->pos++;
            p->line++;
            p->line_start = p->pos;
            if (depth == 0 && p->ntok > 0)
                return 1;
        } else if (is_blank(c)) {
            p->pos++;
        } else if (c == ';') {
            while (p->pos < p->len && p->text[p->pos] != '\n')
                p->pos++;
        } else if (c == '(') {
            if (depth++ == 0)
                open_line = p->line;
            p->pos++;
        } else if (c == ')') {
            if (depth-- == 0)
                return fail(p, p->line, "')' without '('");
            p->pos++;
        } else {
            /* An entry whose first field does not start its line has no owner name. */
            if (p->ntok == 0)
                p->owner_omitted = p->pos != p->line_start;
            if (scan_token(p) < 0)
                return -1;
        }
    }
    if (depth > 0)
        return fail(p, open_line, "'(' not closed before the end of the file");
    return p->ntok > 0;
}

static int directive(struct zparser *p)
{
    const struct dns_token *t = p->tok;
    if (t->len == 7 && strncasecmp(t->text, "$ORIGIN", 7) == 0) {
        uint8_t origin[DNS_NAME_MAX];
        if (p->ntok != 2 || dns_name_from_text(t[1].text, t[1].len, p->have_origin ? p->origin : NULL, origin) < 0)
            return fail(p, t->line, "$ORIGIN wants one domain name (absolute, or relative to a previous $ORIGIN)");
        memcpy(p->origin, origin, dns_name_len(origin));
        p->have_origin = 1;
        return 0;
    }
    if (t->len == 4 && strncasecmp(t->text, "$TTL", 4) == 0) {
        if (p->ntok != 2 || dns_ttl_from_text(t[1].text, t[1].len, &p->default_ttl) < 0)
            return fail(p, t->line, "$TTL wants one TTL (seconds, or units like 1h30m)");
        p->have_default_ttl = 1;
        return 0;
    }
    if (t->len == 8 && strncasecmp(t->text, "$INCLUDE", 8) == 0)
        return fail(p, t->line, "$INCLUDE is not supported (give each file with --zone)");
    return fail(p, t->line, "unknown directive '%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text);
}

static int record(struct zparser *p)
{
    size_t i = 0;
    unsigned line = p->tok[0].line;
    if (!p->owner_omitted) {
        const struct dns_token *t = &p->tok[i++];
        if (t->quoted || dns_name_from_text(t->text, t->len, p->have_origin ? p->origin : NULL, p->owner) < 0)
            return fail(p, line, "bad owner name '%.*s'%s", (int)(t->len > 60 ? 60 : t->len), t->text,
                        p->have_origin ? "" : " (relative names need a $ORIGIN)");
        p->have_owner = 1;
    } else if (!p->have_owner) {
        return fail(p, line, "no owner name, and no previous record to take it from");
    }
    int have_ttl = 0, have_class = 0;
    uint32_t ttl = 0;
    uint16_t type = 0;
    for (; i < p->ntok && !type; i++) {
        const struct dns_token *t = &p->tok[i];
        if (!have_ttl && !t->quoted && t->len > 0 && t->text[0] >= '0' && t->text[0] <= '9') {
            if (dns_ttl_from_text(t->text, t->len, &ttl) < 0)
                return fail(p, t->line, "bad TTL '%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text);
            have_ttl = 1;
        } else if (!have_class && t->len == 2 && strncasecmp(t->text, "IN", 2) == 0) {
            have_class = 1;
        } else if (!have_class && (t->len == 2 && (strncasecmp(t->text, "CH", 2) == 0 || strncasecmp(t->text, "HS", 2) == 0))) {
            return fail(p, t->line, "only class IN is served");
        } else if ((type = dns_type_from_text(t->text, t->len)) == 0) {
            return fail(p, t->line, "unknown or unsupported record type '%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text);
        }
    }
    if (!type)
        return fail(p, line, "missing record type");
    if (!p->zone && type != DNS_T_SOA)
        return fail(p, line, "the first record must be the zone's SOA");
    if (!have_ttl) {
        if (p->have_default_ttl)
            ttl = p->default_ttl;
        else if (p->have_last_ttl)
            ttl = p->last_ttl;
        else
            return fail(p, line, "no TTL given and no $TTL before this record");
    }
    p->last_ttl = ttl;
    p->have_last_ttl = 1;
    const char *why = "";
    size_t rdlen = 0;
    if (dns_rdata_from_text(type, p->tok + i, p->ntok - i, p->have_origin ? p->origin : NULL,
                            p->rdata, &rdlen, &why) < 0)
        return fail(p, line, "%s", why);
    if (!p->zone) {
        p->zone = dns_zone_new(p->owner);
        if (!p->zone)
            return fail(p, line, "out of memory");
    }
    if (dns_zone_add(p->zone, p->owner, type, ttl, p->rdata, rdlen, &why) < 0)
        return fail(p, line, "%s", why);
    return 0;
}

struct dns_zone *dns_zparse(const char *fname, const char *text, size_t len,
                            const uint8_t *origin, char *err, size_t errsize)
{
    struct zparser *p = calloc(1, sizeof(*p));
    struct dns_zone *zone = NULL;
    if (!p) {
        snprintf(err, errsize, "%s: out of memory", fname);
        return NULL;
    }
    p->fname = fname;
    p->text = text;
    p->len = len;
    p->line = 1;
    p->err = err;
    p->errsize = errsize;
    if (origin) {
        memcpy(p->origin, origin, dns_name_len(origin));
        p->have_origin = 1;
    }
    int rc;
    while ((rc = next_entry(p)) > 0) {
        rc = p->tok[0].len > 0 && !p->tok[0].quoted && p->tok[0].text[0] == '$' && !p->owner_omitted ? directive(p) : record(p);
        if (rc < 0)
            break;
    }
    if (rc == 0) {
        const char *why = "";
        if (!p->zone)
            fail(p, p->line, "no records (a zone needs at least its SOA)");
        else if (dns_zone_finish(p->zone, &why) < 0)
            fail(p, p->line, "%s", why);
        else
            zone = p->zone;
    }
    if (!zone)
        dns_zone_free(p->zone);
    free(p);
    return zone;
}
