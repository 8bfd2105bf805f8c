/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firewall's control commands (protocol and index scheme in fw_control.h). A command is
 * tokenized and fully checked (rule parsed into a scratch rule set, positions in range, memory
 * for the bookkeeping reserved) before the first change; the changes themselves are classifier
 * inserts and deletes, each undone when a later step runs out of memory. Only if undoing fails
 * too (no memory to re-insert a rule where it was) is the classifier rebuilt from the rule
 * array, which stays the truth throughout.
 */
#include "fw_control.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CMD 1024      /* longest command accepted */
#define MAX_SEQ 20        /* digits of a sequence number */
#define DENSITY 2         /* the widest re-spread window ends at most 1/DENSITY full */
#define INDEX_LIMIT (UINT32_MAX - 1)

/* ---- replies ------------------------------------------------------------------------------- */

struct out {
    char *buf;
    size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len = o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap - 1;
}

/* ---- the rule array ------------------------------------------------------------------------ */

static void make_hole(struct fw_rule *r)
{
    memset(r, 0, sizeof(*r));
    r->id = FW_ID_NONE;
    r->sport_lo = 1; /* an empty range: matches nothing */
}

static uint32_t end_of(const struct fw_ctl_rule *w)
{
    return w->base + w->n;
}

/* The array holds indices below upto (new ones holes); the classifier follows a move. */
static int extend(struct fw_control *ctl, uint64_t upto)
{
    struct fw_ruleset *rs = ctl->rs;
    if (upto > INDEX_LIMIT)
        return -1;
    if (upto > rs->cap) {
        size_t cap = rs->cap ? rs->cap : 64;
        while (cap < upto)
            cap = cap > INDEX_LIMIT / 2 ? (size_t)upto : cap * 2;
        struct fw_rule *grown = realloc(rs->rules, cap * sizeof(*grown));
        if (!grown)
            return -1;
        rs->rules = grown;
        rs->cap = cap;
        fw_classifier_set_rules(ctl->f->cls, grown);
    }
    for (size_t i = rs->count; i < upto; i++)
        make_hole(&rs->rules[i]);
    if (upto > rs->count)
        rs->count = (size_t)upto;
    return 0;
}

/* The extent of the array shrinks to the last written rule. */
static void trim(struct fw_control *ctl)
{
    ctl->rs->count = ctl->norder ? end_of(&ctl->order[ctl->norder - 1]) : 0;
}

/* Last resort after an undo failed: a fresh classifier over the array (holes never match). */
static int rebuild(struct fw_control *ctl)
{
    struct fw_classifier *c = fw_classifier_build(ctl->rs->rules, ctl->rs->count, FW_CLASSES_DEFAULT);
    if (!c) {
        fprintf(stderr, "firewall: control: no memory to rebuild the classifier; rules may be missing\n");
        return -1;
    }
    fw_classifier_free(ctl->f->cls);
    ctl->f->cls = c;
    return 0;
}

/* Moves entry from to the hole at to; on failure the entry is back at from. */
static int move_entry(struct fw_control *ctl, uint32_t from, uint32_t to)
{
    struct fw_rule *rules = ctl->rs->rules;
    struct fw_classifier *c = ctl->f->cls;
    fw_classifier_delete(c, rules, from);
    rules[to] = rules[from];
    make_hole(&rules[from]);
    if (fw_classifier_insert(c, rules, to) == 0)
        return 0;
    fw_classifier_delete(c, rules, to); /* it may be in some protocol groups */
    rules[from] = rules[to];
    make_hole(&rules[to]);
    if (fw_classifier_insert(c, rules, from) < 0) {
        fw_classifier_delete(c, rules, from);
        rebuild(ctl);
    }
    return -1;
}

/* Moves written rule w to base to, entry by entry in the order that never overwrites one not
 * yet moved; all or nothing. */
static int move_block(struct fw_control *ctl, struct fw_ctl_rule *w, uint32_t to)
{
    uint32_t from = w->base, n = w->n, done;
    int right = to > from;
    if (to == from)
        return 0;
    for (done = 0; done < n; done++) {
        uint32_t j = right ? n - 1 - done : done;
        if (move_entry(ctl, from + j, to + j) < 0)
            break;
    }
    if (done == n) {
        w->base = to;
        ctl->moves += n;
        return 0;
    }
    while (done-- > 0) {
        uint32_t j = right ? n - 1 - done : done;
        if (move_entry(ctl, to + j, from + j) < 0) {
            /* the classifier has it where it was, or was rebuilt: keep the array in step */
            ctl->rs->rules[from + j] = ctl->rs->rules[to + j];
            make_hole(&ctl->rs->rules[to + j]);
            rebuild(ctl);
        }
    }
    return -1;
}

/* A free range of m entries before written rule p (p == norder: at the end), re-spreading the
 * smallest window of neighbours that leaves room when the gap there is too small. The window
 * doubles; the fill it may reach falls with its size, from nearly full for the nearest
 * neighbours to 1/DENSITY for the widest (order maintenance's thresholds): a re-spread window
 * ends less full than its sub-windows may be, so the next inserts there find room nearby
 * instead of re-spreading the same wide window again. */
static int make_room(struct fw_control *ctl, size_t p, uint32_t m, uint32_t *base)
{
    struct fw_ctl_rule *ord = ctl->order;
    size_t n = ctl->norder;
    uint64_t lo = p ? end_of(&ord[p - 1]) : 0;
    if (p == n) {
        if (extend(ctl, lo + m) < 0)
            return -1;
        *base = (uint32_t)lo;
        return 0;
    }
    if (ord[p].base - lo >= m) {
        *base = (uint32_t)(lo + (ord[p].base - lo - m) / 2); /* the middle: room on both sides */
        return 0;
    }
    size_t a = p, b = p;
    uint64_t total = m, hi = 0, levels = 1;
    while (((size_t)1 << levels) < n)
        levels++;
    for (size_t w = 1, level = 1;; w *= 2, level++) {
        a = p > w ? p - w : 0;
        b = n - p > w ? p + w : n;
        total = m;
        for (size_t i = a; i < b; i++)
            total += ord[i].n;
        lo = a ? end_of(&ord[a - 1]) : 0;
        hi = b < n ? ord[b].base : lo + DENSITY * total;
        /* total / (hi - lo) <= 1 - (1 - 1/DENSITY) * level / levels, in integers */
        uint64_t lv = level < levels ? level : levels;
        if (b == n || total * DENSITY * levels <= (hi - lo) * (DENSITY * levels - (DENSITY - 1) * lv))
            break;
    }
    if (hi > INDEX_LIMIT || extend(ctl, hi) < 0)
        return -1;
    /* targets: the units (window rules and the new one at p) evenly spread over [lo, hi) */
    size_t units = b - a + 1;
    uint64_t spare = hi - lo - total, at = lo;
    uint32_t *target = malloc(units * sizeof(*target));
    if (!target)
        return -1;
    for (size_t u = 0; u < units; u++) {
        at += spare * (u + 1) / (units + 1) - spare * u / (units + 1);
        target[u] = (uint32_t)at;
        if (u == p - a)
            *base = (uint32_t)at;
        at += u == p - a ? m : ord[a + u - (u > p - a)].n;
    }
    int rc = 0;
    /* right movers from the last, then left movers from the first: no entry lands on one
     * that has not moved yet */
    for (size_t u = units; u-- > 0 && rc == 0;) {
        if (u == p - a)
            continue;
        struct fw_ctl_rule *w = &ord[a + u - (u > p - a)];
        if (target[u] > w->base)
            rc = move_block(ctl, w, target[u]);
    }
    for (size_t u = 0; u < units && rc == 0; u++) {
        if (u == p - a)
            continue;
        struct fw_ctl_rule *w = &ord[a + u - (u > p - a)];
        if (target[u] < w->base)
            rc = move_block(ctl, w, target[u]);
    }
    free(target);
    return rc;
}

/* ---- the position list ----------------------------------------------------------------------- */

/* Shifts order[from..norder) by one slot up (up = 1: an insert at from) or down (a delete at
 * from - 1). Copied through a buffer in non-overlapping pieces: the unikernel libc's memmove of
 * overlapping ranges moves one byte at a time (backwards, or forwards at a distance of 8 bytes
 * where string copies lose their fast path), ten times slower than plain copies at 100k rules. */
static void shift_order(struct fw_control *ctl, size_t from, int up)
{
    enum { PIECE = 512 };
    struct fw_ctl_rule buf[PIECE];
    size_t n = ctl->norder - from;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < PIECE ? n - done : PIECE;
        /* up: from the end backwards; down: from the start forwards */
        size_t at = up ? ctl->norder - done - k : from + done;
        memcpy(buf, &ctl->order[at], k * sizeof(*buf));
        memcpy(&ctl->order[up ? at + 1 : at - 1], buf, k * sizeof(*buf));
        done += k;
    }
}

/* ---- reserving memory before a change ------------------------------------------------------ */

static int reserve(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *grown = realloc(*arr, c * size);
    if (!grown)
        return -1;
    *arr = grown;
    *cap = c;
    return 0;
}

int fw_control_init(struct fw_control *ctl, struct fw_ruleset *rs, struct fw_filter *f)
{
    memset(ctl, 0, sizeof(*ctl));
    ctl->rs = rs;
    ctl->f = f;
    for (size_t i = 0; i < rs->count; i++) {
        if (rs->rules[i].id == FW_ID_NONE)
            continue;
        if (i && ctl->norder && rs->rules[i].id == rs->rules[i - 1].id) {
            ctl->order[ctl->norder - 1].n++;
            continue;
        }
        if (reserve((void **)&ctl->order, &ctl->order_cap, ctl->norder + 1, sizeof(*ctl->order)) < 0)
            goto fail;
        ctl->order[ctl->norder++] = (struct fw_ctl_rule){.base = (uint32_t)i, .n = 1};
    }
    if (reserve((void **)&ctl->free_ids, &ctl->free_cap, rs->nsources + 1, sizeof(*ctl->free_ids)) < 0)
        goto fail;
    return 0;
fail:
    fw_control_free(ctl);
    return -1;
}

void fw_control_free(struct fw_control *ctl)
{
    free(ctl->order);
    free(ctl->free_ids);
    ctl->order = NULL;
    ctl->free_ids = NULL;
    ctl->norder = ctl->order_cap = ctl->nfree = ctl->free_cap = 0;
}

size_t fw_control_rules(const struct fw_control *ctl)
{
    return ctl->norder;
}

/* ---- rule text ----------------------------------------------------------------------------- */

static void put_addr(struct out *o, const char *kw, uint32_t a, uint8_t len)
{
    if (len == 0)
        return;
    put(o, " %s %u.%u.%u.%u", kw, a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
    if (len < 32)
        put(o, "/%u", len);
}

static int full(uint16_t lo, uint16_t hi)
{
    return lo == 0 && hi == 65535;
}

/* e[0..n) as a product of source x destination port lists: d = destination items. */
static uint32_t product_width(const struct fw_rule *e, uint32_t n)
{
    for (uint32_t d = 1; d < n; d++) {
        if (n % d)
            continue;
        uint32_t i;
        for (i = 0; i < n; i++) {
            const struct fw_rule *x = &e[i], *dp = &e[i % d], *sp = &e[i - i % d];
            if (x->dport_lo != dp->dport_lo || x->dport_hi != dp->dport_hi || x->sport_lo != sp->sport_lo ||
                x->sport_hi != sp->sport_hi)
                break;
        }
        if (i == n)
            return d;
    }
    return n;
}

/* " KW a,b-c,..." over every step-th entry's range from first to n; nothing for one full range. */
static void put_ports(struct out *o, const char *kw, const struct fw_rule *e, uint32_t n, uint32_t step, int src)
{
    if (n == step && full(src ? e->sport_lo : e->dport_lo, src ? e->sport_hi : e->dport_hi))
        return;
    put(o, " %s ", kw);
    for (uint32_t i = 0; i < n; i += step) {
        uint16_t lo = src ? e[i].sport_lo : e[i].dport_lo, hi = src ? e[i].sport_hi : e[i].dport_hi;
        put(o, i ? ",%u" : "%u", lo);
        if (hi != lo)
            put(o, "-%u", hi);
    }
}

static const char *icmp_name(unsigned type)
{
    switch (type) {
    case 0: return "echo-reply";
    case 3: return "unreachable";
    case 8: return "echo-request";
    case 11: return "time-exceeded";
    default: return NULL;
    }
}

static void format_block(const struct fw_rule *e, uint32_t n, struct out *o)
{
    const char *act = e->action == FW_ALLOW ? "allow" : "deny";
    int ports_full = n == 1 && full(e->sport_lo, e->sport_hi) && full(e->dport_lo, e->dport_hi);
    int tcpudp = e->proto_mask == 0xff && (e->proto == 6 || e->proto == 17);
    int icmp_ok = n == 1 && e->proto_mask == 0xff && e->proto == 1 &&
                  (ports_full || (e->sport_lo == e->sport_hi && e->sport_lo <= 255 &&
                                  (full(e->dport_lo, e->dport_hi) || (e->dport_lo == e->dport_hi && e->dport_lo <= 255))));
    if (!tcpudp && !icmp_ok && !((e->proto_mask == 0 || e->proto_mask == 0xff) && ports_full)) {
        /* no readable form (masked protocol, ports without tcp/udp, icmp type ranges) */
        put(o, "@%u.%u.%u.%u/%u %u.%u.%u.%u/%u %u : %u %u : %u 0x%02x/0x%02x %s", e->src >> 24,
            (e->src >> 16) & 255, (e->src >> 8) & 255, e->src & 255, e->src_len, e->dst >> 24, (e->dst >> 16) & 255,
            (e->dst >> 8) & 255, e->dst & 255, e->dst_len, e->sport_lo, e->sport_hi, e->dport_lo, e->dport_hi,
            e->proto, e->proto_mask, act);
        return;
    }
    put(o, "%s", act);
    if (tcpudp)
        put(o, " %s", e->proto == 6 ? "tcp" : "udp");
    else if (icmp_ok) {
        const char *name = icmp_name(e->sport_lo);
        put(o, " icmp");
        if (!full(e->sport_lo, e->sport_hi) && full(e->dport_lo, e->dport_hi) && name)
            put(o, " %s", name);
        else if (!full(e->sport_lo, e->sport_hi))
            put(o, " type %u", e->sport_lo);
        if (!full(e->sport_lo, e->sport_hi) && !full(e->dport_lo, e->dport_hi))
            put(o, " code %u", e->dport_lo);
    } else if (e->proto_mask == 0xff)
        put(o, " %u", e->proto);
    put_addr(o, "from", e->src, e->src_len);
    if (tcpudp) {
        uint32_t d = product_width(e, n);
        put_ports(o, "sport", e, n, d, 1);
        put_addr(o, "to", e->dst, e->dst_len);
        put_ports(o, "port", e, d, 1, 0);
    } else {
        put_addr(o, "to", e->dst, e->dst_len);
    }
}

size_t fw_control_format(const struct fw_control *ctl, size_t pos, char *buf, size_t cap)
{
    struct out o = {.buf = buf, .cap = cap};
    if (cap)
        buf[0] = '\0';
    if (pos < ctl->norder)
        format_block(&ctl->rs->rules[ctl->order[pos].base], ctl->order[pos].n, &o);
    return o.len;
}

/* ---- commands ------------------------------------------------------------------------------ */

struct cmd {
    struct fw_control *ctl;
    char *text;       /* the command, NUL-terminated, cursor advancing */
    struct out *o;
};

static int error(struct cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int error(struct cmd *c, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    put(c->o, "error: %s", msg);
    return -1;
}

/* The next space-separated word (NUL-terminated in place), or NULL at the end. */
static char *word(struct cmd *c)
{
    char *s = c->text;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0')
        return c->text = s, NULL;
    char *w = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    if (*s)
        *s++ = '\0';
    c->text = s;
    return w;
}

/* The rest of the command, leading blanks skipped. */
static char *rest(struct cmd *c)
{
    while (*c->text == ' ' || *c->text == '\t')
        c->text++;
    return c->text;
}

/* A position 1..max. */
static int position(const char *w, size_t max, size_t *out)
{
    size_t v = 0;
    if (!w || !*w)
        return -1;
    for (; *w; w++) {
        if (*w < '0' || *w > '9' || v > (SIZE_MAX - 9) / 10)
            return -1;
        v = v * 10 + (size_t)(*w - '0');
    }
    if (v < 1 || v > max)
        return -1;
    *out = v;
    return 0;
}

static int all_digits(const char *w)
{
    if (!*w)
        return 0;
    for (; *w; w++)
        if (*w < '0' || *w > '9')
            return 0;
    return 1;
}

/* RULE text into a scratch rule set holding exactly one written rule. */
static int parse_rule(struct cmd *c, const char *text, struct fw_ruleset *tmp)
{
    char err[256];
    fw_ruleset_init(tmp);
    if (fw_parse(tmp, text, strlen(text), "rule", err, sizeof(err)) < 0) {
        const char *msg = strncmp(err, "rule:1: ", 8) == 0 ? err + 8 : err;
        return error(c, "%s", msg);
    }
    if (tmp->nsources != 1 || tmp->default_action != FW_DENY)
        return error(c, "want one rule (allow|deny ... or @ClassBench; for the policy: default allow|deny)");
    return 0;
}

static int same_entry(const struct fw_rule *a, const struct fw_rule *b)
{
    return a->src == b->src && a->dst == b->dst && a->src_len == b->src_len && a->dst_len == b->dst_len &&
           a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi && a->dport_lo == b->dport_lo &&
           a->dport_hi == b->dport_hi && a->proto == b->proto && a->proto_mask == b->proto_mask &&
           a->action == b->action;
}

/* The first written rule with exactly tmp's entries, or norder. */
static size_t find_rule(const struct fw_control *ctl, const struct fw_ruleset *tmp)
{
    for (size_t p = 0; p < ctl->norder; p++) {
        const struct fw_ctl_rule *w = &ctl->order[p];
        if (w->n != tmp->count)
            continue;
        uint32_t i = 0;
        while (i < w->n && same_entry(&ctl->rs->rules[w->base + i], &tmp->rules[i]))
            i++;
        if (i == w->n)
            return p;
    }
    return ctl->norder;
}

static int cmd_add(struct cmd *c)
{
    struct fw_control *ctl = c->ctl;
    struct fw_ruleset *rs = ctl->rs, tmp;
    size_t p = ctl->norder;
    const char *text = rest(c);
    if (strncmp(text, "at", 2) == 0 && (text[2] == ' ' || text[2] == '\t' || text[2] == '\0')) {
        word(c);
        if (position(word(c), ctl->norder + 1, &p) < 0)
            return error(c, "'at' wants a position 1..%zu", ctl->norder + 1);
        p--;
        text = rest(c);
    }
    if (!*text)
        return error(c, "add wants a rule");
    if (parse_rule(c, text, &tmp) < 0)
        goto fail;
    uint32_t m = (uint32_t)tmp.count, id;
    int fresh = ctl->nfree == 0;
    id = fresh ? rs->nsources : ctl->free_ids[ctl->nfree - 1];
    if (fresh && id >= FW_ID_NONE - 1) {
        error(c, "too many rules");
        goto fail;
    }
    if (reserve((void **)&ctl->order, &ctl->order_cap, ctl->norder + 1, sizeof(*ctl->order)) < 0 ||
        reserve((void **)&ctl->free_ids, &ctl->free_cap, (size_t)rs->nsources + 1, sizeof(*ctl->free_ids)) < 0 ||
        fw_filter_grow_ids(ctl->f, id + 1) < 0) {
        error(c, "out of memory");
        goto fail;
    }
    uint32_t base = 0;
    if (make_room(ctl, p, m, &base) < 0) {
        trim(ctl);
        error(c, "out of memory (the rule set is unchanged)");
        goto fail;
    }
    uint32_t i;
    for (i = 0; i < m; i++) {
        rs->rules[base + i] = tmp.rules[i];
        rs->rules[base + i].id = id;
        rs->rules[base + i].line = 0;
        if (fw_classifier_insert(ctl->f->cls, rs->rules, base + i) < 0)
            break;
    }
    if (i < m) {
        for (uint32_t j = 0; j <= i; j++) {
            fw_classifier_delete(ctl->f->cls, rs->rules, base + j);
            make_hole(&rs->rules[base + j]);
        }
        for (uint32_t j = i + 1; j < m; j++)
            make_hole(&rs->rules[base + j]);
        trim(ctl);
        error(c, "out of memory (the rule set is unchanged)");
        goto fail;
    }
    if (fresh)
        rs->nsources++;
    else
        ctl->nfree--;
    memset(&ctl->f->rule[id], 0, sizeof(ctl->f->rule[id]));
    shift_order(ctl, p, 1);
    ctl->order[p] = (struct fw_ctl_rule){.base = base, .n = m};
    ctl->norder++;
    trim(ctl);
    fw_filter_flush_flows(ctl->f);
    fw_ruleset_free(&tmp);
    put(c->o, "ok at %zu", p + 1);
    return 0;
fail:
    fw_ruleset_free(&tmp);
    return -1;
}

static int cmd_del(struct cmd *c)
{
    struct fw_control *ctl = c->ctl;
    const char *text = rest(c);
    size_t p;
    if (!*text)
        return error(c, "del wants a position or a rule");
    if (all_digits(text)) {
        if (position(text, ctl->norder, &p) < 0)
            return ctl->norder ? error(c, "no rule at %s (positions 1..%zu)", text, ctl->norder)
                               : error(c, "no rule at %s (the rule set is empty)", text);
        p--;
    } else {
        struct fw_ruleset tmp;
        if (parse_rule(c, text, &tmp) < 0) {
            fw_ruleset_free(&tmp);
            return -1;
        }
        p = find_rule(ctl, &tmp);
        fw_ruleset_free(&tmp);
        if (p == ctl->norder)
            return error(c, "no such rule");
    }
    struct fw_ctl_rule w = ctl->order[p];
    uint32_t id = ctl->rs->rules[w.base].id;
    for (uint32_t i = 0; i < w.n; i++) {
        fw_classifier_delete(ctl->f->cls, ctl->rs->rules, w.base + i);
        make_hole(&ctl->rs->rules[w.base + i]);
    }
    ctl->free_ids[ctl->nfree++] = id; /* room reserved when the id was handed out */
    shift_order(ctl, p + 1, 0);
    ctl->norder--;
    trim(ctl);
    fw_filter_flush_flows(ctl->f);
    put(c->o, "ok deleted %zu", p + 1);
    return 0;
}

static int cmd_list(struct cmd *c)
{
    struct fw_control *ctl = c->ctl;
    size_t from = 1, count = SIZE_MAX;
    char *a = word(c), *b = word(c);
    if (a && position(a, ctl->norder ? ctl->norder : 1, &from) < 0)
        return error(c, "list wants FROM 1..%zu", ctl->norder ? ctl->norder : 1);
    if (b && position(b, SIZE_MAX, &count) < 0)
        return error(c, "list wants COUNT >= 1");
    if (word(c))
        return error(c, "list wants at most FROM and COUNT");
    /* the lines go after a header whose last number is known only at the end */
    char line[2048];
    size_t shown = 0, head = c->o->len;
    char *body = malloc(c->o->cap);
    if (!body)
        return error(c, "out of memory");
    body[0] = '\0';
    struct out bo = {.buf = body, .cap = c->o->cap};
    size_t room = c->o->cap > head + 96 ? c->o->cap - head - 96 : 0;
    for (size_t p = from - 1; p < ctl->norder && shown < count; p++) {
        struct out lo = {.buf = line, .cap = sizeof(line)};
        const struct fw_ctl_rule *w = &ctl->order[p];
        const struct fw_counter *k = &ctl->f->rule[ctl->rs->rules[w->base].id];
        put(&lo, "\n%zu: ", p + 1);
        format_block(&ctl->rs->rules[w->base], w->n, &lo);
        put(&lo, "  # %" PRIu64 " packets %" PRIu64 " bytes", k->packets, k->bytes);
        if (bo.len + lo.len > room)
            break;
        put(&bo, "%s", line);
        shown++;
    }
    put(c->o, "ok %zu rules, default %s, showing %zu-%zu", ctl->norder,
        ctl->rs->default_action == FW_ALLOW ? "allow" : "deny", shown ? from : 0, shown ? from + shown - 1 : 0);
    put(c->o, "%s", body);
    free(body);
    return 0;
}

static int cmd_stats(struct cmd *c)
{
    const struct fw_control *ctl = c->ctl;
    const struct fw_filter *f = ctl->f;
    size_t entries = 0;
    for (size_t p = 0; p < ctl->norder; p++)
        entries += ctl->order[p].n;
    put(c->o,
        "ok rules=%zu entries=%zu slots=%zu tables=%u classifier_kib=%zu default=%s default_packets=%" PRIu64
        " tracked_packets=%" PRIu64 " arp=%" PRIu64 " non_ipv4=%" PRIu64 " malformed=%" PRIu64
         " flow_hits=%" PRIu64 " flow_misses=%" PRIu64 " commands=%" PRIu64 " errors=%" PRIu64 " moves=%" PRIu64
        " refused=%" PRIu64,
        ctl->norder, entries, ctl->rs->count, fw_classifier_tables(f->cls), fw_classifier_bytes(f->cls) / 1024,
        ctl->rs->default_action == FW_ALLOW ? "allow" : "deny", f->dflt.packets, f->tracked.packets,
        f->arp.packets, f->other.packets, f->bad.packets, f->flow_hits, f->flow_misses, ctl->commands,
        ctl->errors, ctl->moves, ctl->refused);
    return 0;
}

static int cmd_default(struct cmd *c)
{
    char *w = word(c);
    int action;
    if (w && strcmp(w, "allow") == 0)
        action = FW_ALLOW;
    else if (w && strcmp(w, "deny") == 0)
        action = FW_DENY;
    else
        return error(c, "default wants allow or deny");
    if (word(c))
        return error(c, "default wants one word: allow or deny");
    c->ctl->rs->default_action = action;
    put(c->o, "ok default %s", w);
    return 0;
}

/* Checks the bytes: printable text, at most one trailing newline (with its CR). */
static const char *check_text(const char *cmd, size_t *len)
{
    size_t n = *len;
    if (n && cmd[n - 1] == '\n')
        n--;
    if (n && cmd[n - 1] == '\r')
        n--;
    if (n > MAX_CMD)
        return "command longer than 1024 bytes";
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)cmd[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            return "control character in the command (one command per datagram)";
    }
    *len = n;
    return NULL;
}

size_t fw_control_exec(struct fw_control *ctl, const char *cmd, size_t len, char *reply, size_t cap)
{
    struct out o = {.buf = reply, .cap = cap};
    char text[MAX_CMD + 1];
    struct cmd c = {.ctl = ctl, .text = text, .o = &o};
    int rc = -1;
    if (cap)
        reply[0] = '\0';
    ctl->commands++;
    const char *bad = check_text(cmd, &len);
    if (bad) {
        error(&c, "%s", bad);
        goto done;
    }
    memcpy(text, cmd, len);
    text[len] = '\0';
    char *w = word(&c);
    if (w && all_digits(w)) {
        if (strlen(w) > MAX_SEQ) {
            error(&c, "sequence number longer than %d digits", MAX_SEQ);
            goto done;
        }
        put(&o, "%s ", w);
        w = word(&c);
    }
    if (!w)
        error(&c, "no command (add, del, list, stats, default, ping)");
    else if (strcmp(w, "add") == 0)
        rc = cmd_add(&c);
    else if (strcmp(w, "del") == 0)
        rc = cmd_del(&c);
    else if (strcmp(w, "list") == 0)
        rc = cmd_list(&c);
    else if (strcmp(w, "stats") == 0)
        rc = *rest(&c) ? error(&c, "stats takes no arguments") : cmd_stats(&c);
    else if (strcmp(w, "default") == 0)
        rc = cmd_default(&c);
    else if (strcmp(w, "ping") == 0)
        rc = *rest(&c) ? error(&c, "ping takes no arguments") : (put(&o, "ok pong"), 0);
    else
        error(&c, "unknown command '%.40s' (add, del, list, stats, default, ping)", w);
done:
    if (rc < 0)
        ctl->errors++;
    return o.len;
}
