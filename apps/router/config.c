/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parser of the router's configuration file. One statement per line; '#' starts a comment;
 * words are separated by spaces or tabs. Statements:
 *
 *   nic N A.B.C.D/P [mac XX:XX:XX:XX:XX:XX]   address of NIC N (0..3); the MAC the router uses
 *                                            on that link (default 02:00:A:B:C:D)
 *   route A.B.C.D/P via A.B.C.D [push L]     static route; "push L": ingress LER, packets to
 *                                            this prefix enter an LSP with label L
 *   label L swap L2 via A.B.C.D              LSR: incoming label L leaves as L2 towards via
 *   label L pop via A.B.C.D                  penultimate LSR (PHP): pop, IP to via
 *   label L pop                              egress LER (UHP): pop, route the IP packet
 *   mpls ttl-propagate on|off                push: LSE TTL = IP TTL (on) or 255 (off); also
 *                                            sets pop-ttl (min when on, keep when off)
 *   mpls pop-ttl min|keep                    pop: IP TTL = min(IP TTL, LSE TTL) or unchanged
 *   mpls rfc4950 on|off                      label stack object in time-exceeded (RFC 4950)
 *   mpls icmp-tunnel on|off                  an LSR sends its time-exceeded on along the LSP
 *                                            to the egress, which routes it back (default on)
 *   mpls uhp-decrement on|off                a UHP egress in pipe mode (pop-ttl keep) takes one
 *                                            more hop off the IP TTL when it pops, so it shows
 *                                            twice in a trace (default off)
 *   ttl time-exceeded N                      initial TTL of time-exceeded (1..255, default 64)
 *   ttl unreachable N                        initial TTL of destination-unreachable (default 64)
 *   ttl echo-reply N                         initial TTL of echo replies (default 64)
 *   quoted-ttl received|one                  TTL of the IP header quoted in time-exceeded: as
 *                                            received, or rewritten to 1
 *
 * Every static route's and label's via must lie in the network of a configured NIC; that NIC
 * is the way out. Errors read "NAME:LINE: problem".
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 8
#define MAX_LINE 256

struct parser {
    struct config *cfg;
    const char *name;
    unsigned line;
    char *err;
    size_t err_size;
};

static int fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
    int n = snprintf(p->err, p->err_size, "%s:%u: ", p->name, p->line);
    if (n >= 0 && (size_t)n < p->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void config_defaults(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->ttl_propagate = 1;
    cfg->pop_min = 1;
    cfg->rfc4950 = 1;
    cfg->icmp_tunnel = 1;
    cfg->ttl_time_exceeded = 64;
    cfg->ttl_unreachable = 64;
    cfg->ttl_echo_reply = 64;
    cfg->quoted_ttl = CONFIG_QTTL_RECEIVED;
}

static int parse_uint(const char *text, unsigned long max, unsigned long *out)
{
    if (*text < '0' || *text > '9' || strlen(text) > 10)
        return -1;
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_prefix(const char *text, unf_ip4 *addr, unsigned *prefix)
{
    char buf[20];
    const char *slash = strchr(text, '/');
    unsigned long len;
    if (!slash || (size_t)(slash - text) >= sizeof(buf) || parse_uint(slash + 1, 32, &len) < 0)
        return -1;
    memcpy(buf, text, (size_t)(slash - text));
    buf[slash - text] = '\0';
    if (unf_ip4_parse(buf, addr) < 0)
        return -1;
    *prefix = (unsigned)len;
    return 0;
}

static int parse_mac(const char *text, uint8_t mac[6])
{
    if (strlen(text) != 17)
        return -1;
    for (int i = 0; i < 6; i++) {
        const char *h = text + 3 * i;
        if (i < 5 && h[2] != ':')
            return -1;
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = h[k];
            unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                       : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                       : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
            if (d > 15)
                return -1;
            v = v * 16 + d;
        }
        mac[i] = (uint8_t)v;
    }
    return (mac[0] & 1) ? -1 : 0; /* a router's own MAC is unicast */
}

static int parse_onoff(struct parser *p, const char *what, const char *text, int *out)
{
    if (strcmp(text, "on") == 0)
        *out = 1;
    else if (strcmp(text, "off") == 0)
        *out = 0;
    else
        return fail(p, "%s wants on or off, not '%s'", what, text);
    return 0;
}

static int parse_label_value(struct parser *p, const char *text, uint32_t *out)
{
    unsigned long v;
    if (parse_uint(text, CONFIG_LABEL_MAX, &v) < 0)
        return fail(p, "bad label '%s' (0..%u)", text, CONFIG_LABEL_MAX);
    *out = (uint32_t)v;
    return 0;
}

static int stmt_nic(struct parser *p, char **w, int n)
{
    unsigned long index;
    if (n != 3 && !(n == 5 && strcmp(w[3], "mac") == 0))
        return fail(p, "usage: nic N A.B.C.D/P [mac XX:XX:XX:XX:XX:XX]");
    if (parse_uint(w[1], CONFIG_NICS - 1, &index) < 0)
        return fail(p, "bad NIC number '%s' (0..%d)", w[1], CONFIG_NICS - 1);
    struct config_nic *nic = &p->cfg->nics[index];
    if (nic->present)
        return fail(p, "NIC %lu is configured twice", index);
    if (parse_prefix(w[2], &nic->addr, &nic->prefix) < 0 || nic->prefix == 0 || nic->prefix > 30)
        return fail(p, "bad interface address '%s' (want A.B.C.D/P, P 1..30)", w[2]);
    uint8_t *a = (uint8_t *)&nic->addr;
    memcpy(nic->mac, (const uint8_t[]){0x02, 0x00, a[0], a[1], a[2], a[3]}, 6);
    if (n == 5 && parse_mac(w[4], nic->mac) < 0)
        return fail(p, "bad MAC '%s' (want unicast XX:XX:XX:XX:XX:XX)", w[4]);
    nic->present = 1;
    return 0;
}

static unf_ip4 prefix_mask(unsigned prefix)
{
    uint32_t host = prefix ? 0xffffffffu << (32 - prefix) : 0;
    return __builtin_bswap32(host);
}

static int stmt_route(struct parser *p, char **w, int n)
{
    struct config *cfg = p->cfg;
    if ((n != 4 && n != 6) || strcmp(w[2], "via") != 0 || (n == 6 && strcmp(w[4], "push") != 0))
        return fail(p, "usage: route A.B.C.D/P via A.B.C.D [push LABEL]");
    if (cfg->nroutes == CONFIG_MAX_ROUTES)
        return fail(p, "too many routes (at most %d)", CONFIG_MAX_ROUTES);
    struct config_route *r = &cfg->routes[cfg->nroutes];
    memset(r, 0, sizeof(*r));
    if (parse_prefix(w[1], &r->dst, &r->prefix) < 0)
        return fail(p, "bad destination '%s' (want A.B.C.D/P)", w[1]);
    if ((r->dst & ~prefix_mask(r->prefix)) != 0)
        return fail(p, "destination '%s' has host bits set", w[1]);
    if (unf_ip4_parse(w[3], &r->via) < 0 || r->via == 0)
        return fail(p, "bad next hop '%s'", w[3]);
    if (n == 6) {
        if (parse_label_value(p, w[5], &r->label) < 0)
            return -1;
        r->push = 1;
    }
    r->line = p->line;
    cfg->nroutes++;
    return 0;
}

static int stmt_label(struct parser *p, char **w, int n)
{
    struct config *cfg = p->cfg;
    int swap = n == 6 && strcmp(w[2], "swap") == 0 && strcmp(w[4], "via") == 0;
    int pop = n >= 3 && strcmp(w[2], "pop") == 0 && (n == 3 || (n == 5 && strcmp(w[3], "via") == 0));
    if (!swap && !pop)
        return fail(p, "usage: label L swap L2 via A.B.C.D | label L pop [via A.B.C.D]");
    if (cfg->nlabels == CONFIG_MAX_LABELS)
        return fail(p, "too many labels (at most %d)", CONFIG_MAX_LABELS);
    struct config_label *l = &cfg->labels[cfg->nlabels];
    memset(l, 0, sizeof(*l));
    if (parse_label_value(p, w[1], &l->in) < 0)
        return -1;
    if (l->in < 16)
        return fail(p, "label %u is reserved (use 16 or more)", l->in);
    for (unsigned i = 0; i < cfg->nlabels; i++)
        if (cfg->labels[i].in == l->in)
            return fail(p, "label %u is configured twice", l->in);
    l->op = swap ? CONFIG_SWAP : CONFIG_POP;
    if (swap && parse_label_value(p, w[3], &l->out) < 0)
        return -1;
    if (n >= 5) {
        if (unf_ip4_parse(w[n - 1], &l->via) < 0 || l->via == 0)
            return fail(p, "bad next hop '%s'", w[n - 1]);
        l->has_via = 1;
    }
    l->line = p->line;
    cfg->nlabels++;
    return 0;
}

static int stmt_mpls(struct parser *p, char **w, int n)
{
    struct config *cfg = p->cfg;
    if (n != 3)
        return fail(p, "usage: mpls ttl-propagate|pop-ttl|rfc4950|icmp-tunnel|uhp-decrement VALUE");
    if (strcmp(w[1], "ttl-propagate") == 0) {
        if (parse_onoff(p, w[1], w[2], &cfg->ttl_propagate) < 0)
            return -1;
        cfg->pop_min = cfg->ttl_propagate;
        return 0;
    }
    if (strcmp(w[1], "pop-ttl") == 0) {
        if (strcmp(w[2], "min") != 0 && strcmp(w[2], "keep") != 0)
            return fail(p, "pop-ttl wants min or keep, not '%s'", w[2]);
        cfg->pop_min = strcmp(w[2], "min") == 0;
        return 0;
    }
    if (strcmp(w[1], "rfc4950") == 0)
        return parse_onoff(p, w[1], w[2], &cfg->rfc4950);
    if (strcmp(w[1], "icmp-tunnel") == 0)
        return parse_onoff(p, w[1], w[2], &cfg->icmp_tunnel);
    if (strcmp(w[1], "uhp-decrement") == 0)
        return parse_onoff(p, w[1], w[2], &cfg->uhp_decrement);
    return fail(p, "unknown mpls setting '%s'", w[1]);
}

static int stmt_ttl(struct parser *p, char **w, int n)
{
    struct config *cfg = p->cfg;
    unsigned long v;
    if (n != 3)
        return fail(p, "usage: ttl time-exceeded|unreachable|echo-reply N");
    if (parse_uint(w[2], 255, &v) < 0 || v == 0)
        return fail(p, "bad TTL '%s' (1..255)", w[2]);
    if (strcmp(w[1], "time-exceeded") == 0)
        cfg->ttl_time_exceeded = (uint8_t)v;
    else if (strcmp(w[1], "unreachable") == 0)
        cfg->ttl_unreachable = (uint8_t)v;
    else if (strcmp(w[1], "echo-reply") == 0)
        cfg->ttl_echo_reply = (uint8_t)v;
    else
        return fail(p, "unknown ttl kind '%s' (time-exceeded, unreachable, echo-reply)", w[1]);
    return 0;
}

static int stmt_quoted_ttl(struct parser *p, char **w, int n)
{
    if (n == 2 && strcmp(w[1], "received") == 0)
        p->cfg->quoted_ttl = CONFIG_QTTL_RECEIVED;
    else if (n == 2 && strcmp(w[1], "one") == 0)
        p->cfg->quoted_ttl = CONFIG_QTTL_ONE;
    else
        return fail(p, "usage: quoted-ttl received|one");
    return 0;
}

static int parse_line(struct parser *p, char *line)
{
    char *w[MAX_WORDS + 1];
    int n = 0;
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    for (char *s = line; *s;) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            *s++ = '\0';
        if (!*s)
            break;
        if (n == MAX_WORDS)
            return fail(p, "too many words");
        w[n++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r')
            s++;
    }
    if (n == 0)
        return 0;
    w[n] = NULL;
    if (strcmp(w[0], "nic") == 0)
        return stmt_nic(p, w, n);
    if (strcmp(w[0], "route") == 0)
        return stmt_route(p, w, n);
    if (strcmp(w[0], "label") == 0)
        return stmt_label(p, w, n);
    if (strcmp(w[0], "mpls") == 0)
        return stmt_mpls(p, w, n);
    if (strcmp(w[0], "ttl") == 0)
        return stmt_ttl(p, w, n);
    if (strcmp(w[0], "quoted-ttl") == 0)
        return stmt_quoted_ttl(p, w, n);
    return fail(p, "unknown statement '%s'", w[0]);
}

/* The NIC whose network holds addr, or -1. */
static int nic_for(const struct config *cfg, unf_ip4 addr)
{
    for (int i = 0; i < CONFIG_NICS; i++) {
        const struct config_nic *nic = &cfg->nics[i];
        unf_ip4 mask = prefix_mask(nic->prefix);
        if (nic->present && (nic->addr & mask) == (addr & mask) && addr != nic->addr)
            return i;
    }
    return -1;
}

/* Semantic checks once every line is read: each via must be a neighbour on a NIC. */
static int check(struct parser *p)
{
    struct config *cfg = p->cfg;
    char text[16];
    for (unsigned i = 0; i < cfg->nroutes; i++) {
        struct config_route *r = &cfg->routes[i];
        int nic = nic_for(cfg, r->via);
        p->line = r->line;
        if (nic < 0)
            return fail(p, "next hop %s is not a neighbour on any NIC", unf_ip4_format(r->via, text));
        r->nic = (unsigned)nic;
    }
    for (unsigned i = 0; i < cfg->nlabels; i++) {
        struct config_label *l = &cfg->labels[i];
        p->line = l->line;
        if (!l->has_via)
            continue;
        int nic = nic_for(cfg, l->via);
        if (nic < 0)
            return fail(p, "next hop %s is not a neighbour on any NIC", unf_ip4_format(l->via, text));
        l->nic = (unsigned)nic;
    }
    return 0;
}

int config_parse(struct config *cfg, const char *text, size_t len, const char *name,
                 char *err, size_t err_size)
{
    struct parser p = {.cfg = cfg, .name = name, .line = 0, .err = err, .err_size = err_size};
    char line[MAX_LINE];
    size_t pos = 0;
    while (pos < len) {
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        p.line++;
        if (end - pos >= sizeof(line))
            return fail(&p, "line too long (at most %d characters)", MAX_LINE - 1);
        if (memchr(text + pos, '\0', end - pos))
            return fail(&p, "NUL byte in the text");
        memcpy(line, text + pos, end - pos);
        line[end - pos] = '\0';
        if (parse_line(&p, line) < 0)
            return -1;
        pos = end + 1;
    }
    return check(&p);
}
