/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The rule-set parsers (syntax in fw_parse.h). Each line is copied into a bounded buffer and
 * split into words (':' is a word of its own, for ClassBench's "lo : hi"); a readable rule
 * expands into one classifier rule per (source port item x destination port item), all
 * carrying the same id so counters stay per written rule.
 */
#include "fw_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINE 512
#define MAX_WORDS 32
#define MAX_ITEMS 64   /* port items per list */

struct range {
    uint16_t lo, hi;
};

struct parser {
    struct fw_ruleset *rs;
    const char *name;
    unsigned line;
    char *err;
    size_t errlen;
    char *words[MAX_WORDS];
    int nwords;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
    if (!p->err || p->errlen == 0)
        return -1;
    int n = snprintf(p->err, p->errlen, "%s:%u: ", p->name, p->line);
    if (n >= 0 && (size_t)n < p->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void fw_ruleset_init(struct fw_ruleset *rs)
{
    memset(rs, 0, sizeof(*rs));
    rs->default_action = FW_DENY;
}

void fw_ruleset_free(struct fw_ruleset *rs)
{
    free(rs->rules);
    fw_ruleset_init(rs);
}

int fw_ruleset_add(struct fw_ruleset *rs, const struct fw_rule *r)
{
    if (rs->count == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 64;
        if (cap > SIZE_MAX / sizeof(*rs->rules) || cap > UINT32_MAX)
            return -1;
        struct fw_rule *grown = realloc(rs->rules, cap * sizeof(*grown));
        if (!grown)
            return -1;
        rs->rules = grown;
        rs->cap = cap;
    }
    rs->rules[rs->count++] = *r;
    return 0;
}

/* Unsigned decimal of at most `max`; the whole word must be digits. */
static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return -1;
    }
    *out = v;
    return 0;
}

/* "0x" followed by 1..max_digits hex digits. */
static int parse_hex(const char *s, size_t len, unsigned max_digits, unsigned long *out)
{
    if (len < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || len - 2 > max_digits)
        return -1;
    unsigned long v = 0;
    for (size_t i = 2; i < len; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + (unsigned long)d;
    }
    *out = v;
    return 0;
}

static int parse_quad(const char *s, size_t len, uint32_t *out)
{
    uint32_t addr = 0;
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9' && digits < 4) {
            v = v * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return -1;
        addr = addr << 8 | v;
        if (part < 3 && (i >= len || s[i++] != '.'))
            return -1;
    }
    if (i != len)
        return -1;
    *out = addr;
    return 0;
}

/* any | A.B.C.D | A.B.C.D/LEN; host bits are cleared. */
static int parse_addr(struct parser *p, const char *w, uint32_t *addr, uint8_t *len)
{
    if (strcmp(w, "any") == 0) {
        *addr = 0;
        *len = 0;
        return 0;
    }
    const char *slash = strchr(w, '/');
    size_t alen = slash ? (size_t)(slash - w) : strlen(w);
    unsigned long plen = 32;
    if (parse_quad(w, alen, addr) < 0)
        return fail(p, "bad address '%s' (want A.B.C.D or A.B.C.D/LEN)", w);
    if (slash && parse_uint(slash + 1, 32, &plen) < 0)
        return fail(p, "bad prefix length in '%s' (want 0..32)", w);
    *len = (uint8_t)plen;
    *addr &= fw_prefix_mask(*len);
    return 0;
}

static int parse_port_word(struct parser *p, const char *w, unsigned long *v)
{
    if (parse_uint(w, 65535, v) < 0)
        return fail(p, "bad port '%s' (want 0..65535)", w);
    return 0;
}

static int check_range(struct parser *p, unsigned long lo, unsigned long hi, const char *what)
{
    if (lo > hi)
        return fail(p, "port range %s is reversed (%lu > %lu)", what, lo, hi);
    return 0;
}

/* N | N-M | comma list of those. */
static int parse_ports(struct parser *p, char *w, struct range *items, int *n)
{
    char *save = NULL, *copy = w;
    *n = 0;
    if (*w == '\0' || w[strlen(w) - 1] == ',' || *w == ',')
        return fail(p, "bad port list '%s'", w);
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        unsigned long lo, hi;
        char *dash = strchr(item, '-');
        if (*n == MAX_ITEMS)
            return fail(p, "more than %d items in a port list", MAX_ITEMS);
        if (dash) {
            *dash = '\0';
            if (parse_port_word(p, item, &lo) < 0 || parse_port_word(p, dash + 1, &hi) < 0)
                return -1;
            *dash = '-';
            if (check_range(p, lo, hi, item) < 0)
                return -1;
        } else {
            if (parse_port_word(p, item, &lo) < 0)
                return -1;
            hi = lo;
        }
        items[*n].lo = (uint16_t)lo;
        items[*n].hi = (uint16_t)hi;
        (*n)++;
    }
    return 0;
}

static int parse_action(struct parser *p, const char *w, uint8_t *action)
{
    if (strcmp(w, "allow") == 0 || strcmp(w, "accept") == 0 || strcmp(w, "pass") == 0)
        *action = FW_ALLOW;
    else if (strcmp(w, "deny") == 0 || strcmp(w, "drop") == 0 || strcmp(w, "block") == 0)
        *action = FW_DENY;
    else
        return fail(p, "unknown action '%s' (want allow or deny)", w);
    return 0;
}

/* Expands the port lists into rules sharing one id. */
static int emit(struct parser *p, struct fw_rule *r, const struct range *sp, int nsp,
                const struct range *dp, int ndp)
{
    r->id = p->rs->nsources;
    r->line = p->line;
    for (int i = 0; i < nsp; i++) {
        for (int j = 0; j < ndp; j++) {
            r->sport_lo = sp[i].lo;
            r->sport_hi = sp[i].hi;
            r->dport_lo = dp[j].lo;
            r->dport_hi = dp[j].hi;
            if (fw_ruleset_add(p->rs, r) < 0)
                return fail(p, "out of memory");
        }
    }
    p->rs->nsources++;
    return 0;
}

static int icmp_type_name(const char *w, unsigned long *type)
{
    static const struct {
        const char *name;
        unsigned type;
    } names[] = {{"echo-request", 8}, {"echo-reply", 0}, {"unreachable", 3},
                 {"destination-unreachable", 3}, {"time-exceeded", 11}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(w, names[i].name) == 0) {
            *type = names[i].type;
            return 0;
        }
    }
    return -1;
}

/* PROTO at words[*i]; for icmp also the optional type and code. */
static int parse_proto(struct parser *p, int *i, struct fw_rule *r, struct range *sp,
                       struct range *dp, int *is_icmp)
{
    const char *w = p->words[*i];
    unsigned long v;
    if (strcmp(w, "any") == 0 || strcmp(w, "ip") == 0 || strcmp(w, "all") == 0) {
        (*i)++;
        return 0;
    }
    if (strcmp(w, "tcp") == 0)
        v = 6;
    else if (strcmp(w, "udp") == 0)
        v = 17;
    else if (strcmp(w, "icmp") == 0)
        v = 1;
    else if (parse_uint(w, 255, &v) < 0)
        return 1; /* not a protocol: the caller goes on with the clauses */
    r->proto = (uint8_t)v;
    r->proto_mask = 0xff;
    (*i)++;
    if (v != 1)
        return 0;
    *is_icmp = 1;
    if (*i < p->nwords && icmp_type_name(p->words[*i], &v) == 0) {
        sp->lo = sp->hi = (uint16_t)v;
        (*i)++;
    } else if (*i < p->nwords && strcmp(p->words[*i], "type") == 0) {
        if (*i + 1 >= p->nwords || parse_uint(p->words[*i + 1], 255, &v) < 0)
            return fail(p, "'type' wants an ICMP type 0..255");
        sp->lo = sp->hi = (uint16_t)v;
        *i += 2;
        if (*i < p->nwords && strcmp(p->words[*i], "code") == 0) {
            if (*i + 1 >= p->nwords || parse_uint(p->words[*i + 1], 255, &v) < 0)
                return fail(p, "'code' wants an ICMP code 0..255");
            dp->lo = dp->hi = (uint16_t)v;
            *i += 2;
        }
    }
    return 0;
}

static int parse_readable(struct parser *p)
{
    struct fw_rule r = {.sport_hi = 65535, .dport_hi = 65535};
    struct range sp[MAX_ITEMS] = {{0, 65535}}, dp[MAX_ITEMS] = {{0, 65535}};
    int nsp = 1, ndp = 1, is_icmp = 0, seen_from = 0, seen_to = 0, seen_sp = 0, seen_dp = 0;
    int i = 1;

    if (strcmp(p->words[0], "default") == 0) {
        uint8_t a;
        if (p->nwords != 2)
            return fail(p, "'default' wants exactly one word: allow or deny");
        if (parse_action(p, p->words[1], &a) < 0)
            return -1;
        p->rs->default_action = a;
        return 0;
    }
    if (parse_action(p, p->words[0], &r.action) < 0)
        return -1;
    if (i < p->nwords) {
        int rc = parse_proto(p, &i, &r, &sp[0], &dp[0], &is_icmp);
        if (rc < 0)
            return -1;
    }
    while (i < p->nwords) {
        const char *kw = p->words[i];
        if (i + 1 >= p->nwords)
            return fail(p, "'%s' wants a value", kw);
        char *val = p->words[i + 1];
        if (strcmp(kw, "from") == 0 && !seen_from) {
            seen_from = 1;
            if (parse_addr(p, val, &r.src, &r.src_len) < 0)
                return -1;
        } else if (strcmp(kw, "to") == 0 && !seen_to) {
            seen_to = 1;
            if (parse_addr(p, val, &r.dst, &r.dst_len) < 0)
                return -1;
        } else if (strcmp(kw, "sport") == 0 && !seen_sp) {
            seen_sp = 1;
            if (parse_ports(p, val, sp, &nsp) < 0)
                return -1;
        } else if ((strcmp(kw, "port") == 0 || strcmp(kw, "dport") == 0) && !seen_dp) {
            seen_dp = 1;
            if (parse_ports(p, val, dp, &ndp) < 0)
                return -1;
        } else if (strcmp(kw, "from") == 0 || strcmp(kw, "to") == 0 || strcmp(kw, "sport") == 0 ||
                   strcmp(kw, "port") == 0 || strcmp(kw, "dport") == 0) {
            return fail(p, "'%s' given twice", kw);
        } else {
            return fail(p, "unexpected '%s' (want from, to, sport or port)", kw);
        }
        i += 2;
    }
    if ((seen_sp || seen_dp) && (r.proto_mask != 0xff || (r.proto != 6 && r.proto != 17)))
        return fail(p, "ports need tcp or udp%s", is_icmp ? " (for icmp write a type)" : "");
    return emit(p, &r, sp, nsp, dp, ndp);
}

/* "lo" ":" "hi" at words[i..i+2]. */
static int classbench_range(struct parser *p, int i, struct range *out)
{
    unsigned long lo, hi;
    if (i + 2 >= p->nwords || strcmp(p->words[i + 1], ":") != 0)
        return fail(p, "ClassBench rule: want 'LO : HI' port ranges");
    if (parse_port_word(p, p->words[i], &lo) < 0 || parse_port_word(p, p->words[i + 2], &hi) < 0)
        return -1;
    char what[32];
    snprintf(what, sizeof(what), "%lu : %lu", lo, hi);
    if (check_range(p, lo, hi, what) < 0)
        return -1;
    out->lo = (uint16_t)lo;
    out->hi = (uint16_t)hi;
    return 0;
}

/* "0xVV/0xMM" with at most digits hex digits on each side. */
static int classbench_masked(struct parser *p, const char *w, unsigned digits, unsigned long *v,
                             unsigned long *m)
{
    const char *slash = strchr(w, '/');
    if (!slash || parse_hex(w, (size_t)(slash - w), digits, v) < 0 ||
        parse_hex(slash + 1, strlen(slash + 1), digits, m) < 0)
        return fail(p, "ClassBench rule: bad value/mask '%s'", w);
    return 0;
}

static int parse_classbench(struct parser *p)
{
    struct fw_rule r = {.action = FW_DENY};
    struct range sp, dp;
    unsigned long proto, mask, flags, fmask;

    if (p->nwords < 9)
        return fail(p, "ClassBench rule: want '@SRC/LEN DST/LEN LO : HI LO : HI 0xPROTO/0xMASK'");
    const char *src = p->words[0] + 1;
    if (*src == '\0')
        return fail(p, "ClassBench rule: no source prefix after '@'");
    if (!strchr(src, '/') || !strchr(p->words[1], '/'))
        return fail(p, "ClassBench rule: prefixes want a /LEN");
    if (parse_addr(p, src, &r.src, &r.src_len) < 0 || parse_addr(p, p->words[1], &r.dst, &r.dst_len) < 0)
        return -1;
    if (classbench_range(p, 2, &sp) < 0 || classbench_range(p, 5, &dp) < 0)
        return -1;
    if (classbench_masked(p, p->words[8], 2, &proto, &mask) < 0)
        return -1;
    r.proto = (uint8_t)(proto & mask);
    r.proto_mask = (uint8_t)mask;
    int i = 9;
    if (i < p->nwords && p->words[i][0] == '0') {
        if (classbench_masked(p, p->words[i], 4, &flags, &fmask) < 0)
            return -1;
        i++; /* TCP flags: not matched (documented) */
    }
    if (i < p->nwords) {
        if (parse_action(p, p->words[i], &r.action) < 0)
            return -1;
        i++;
    }
    if (i < p->nwords)
        return fail(p, "ClassBench rule: unexpected '%s' at the end", p->words[i]);
    return emit(p, &r, &sp, 1, &dp, 1);
}

/* Splits buf into words; ':' is a word by itself. */
static int split(struct parser *p, char *buf)
{
    static char colon[] = ":";
    p->nwords = 0;
    char *s = buf;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            *s++ = '\0';
        if (*s == '\0' || *s == '#')
            break;
        if (p->nwords == MAX_WORDS)
            return fail(p, "too many words (at most %d)", MAX_WORDS);
        if (*s == ':') {
            *s++ = '\0';
            p->words[p->nwords++] = colon;
            continue;
        }
        p->words[p->nwords++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != ':' && *s != '#')
            s++;
        if (*s == '#')
            *s = '\0';
    }
    return 0;
}

static int parse_line(struct parser *p, char *buf)
{
    if (split(p, buf) < 0)
        return -1;
    if (p->nwords == 0)
        return 0;
    if (p->words[0][0] == '@')
        return parse_classbench(p);
    return parse_readable(p);
}

int fw_parse(struct fw_ruleset *rs, const char *text, size_t len, const char *name, char *err,
             size_t errlen)
{
    struct parser p = {.rs = rs, .name = name, .err = err, .errlen = errlen};
    char buf[MAX_LINE];
    size_t pos = 0;

    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        p.line++;
        if (n >= sizeof(buf))
            return fail(&p, "line longer than %d characters", MAX_LINE - 1);
        memcpy(buf, text + pos, n);
        buf[n] = '\0';
        if (memchr(buf, '\0', n))
            return fail(&p, "NUL byte in the line");
        if (parse_line(&p, buf) < 0)
            return -1;
        pos += n + 1;
    }
    return 0;
}
