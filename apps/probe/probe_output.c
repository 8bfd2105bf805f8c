/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_output: JSON Lines and TNT-style text. Times are kept in microseconds and printed as
 * milliseconds with integer arithmetic (exact, and no floating point in the guest).
 */
#include "probe_output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/net.h>

#include "tnt_math.h"

void probe_output_init(struct probe_output_buf *b)
{
    memset(b, 0, sizeof(*b));
}

void probe_output_free(struct probe_output_buf *b)
{
    free(b->data);
    probe_output_init(b);
}

void probe_output_reset(struct probe_output_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static int reserve(struct probe_output_buf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) {
        b->failed = 1;
        return -1;
    }
    b->data = grown;
    b->cap = cap;
    return 0;
}

void probe_output_printf(struct probe_output_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static const char *ms(uint32_t us, char *buf)
{
    snprintf(buf, 16, "%u.%03u", (unsigned)(us / 1000), (unsigned)(us % 1000));
    return buf;
}

static const char *ip(uint32_t a, char *buf)
{
    return unf_ip4_format(a, buf);
}

/* --- flags --- */
static const struct { unsigned bit; const char *name; } flag_names[] = {
    {TNT_F_QTTL, "QTTL"},   {TNT_F_UTURN, "UTURN"}, {TNT_F_MTTL, "MTTL"},
    {TNT_F_DUPIP, "DUPIP"}, {TNT_F_RTLA, "RTLA"},   {TNT_F_FRPLA, "FRPLA"},
    {TNT_F_BTFC, "BTFC"},   {TNT_F_ING_NF, "ING-NF"}, {TNT_F_DPR, "DPR"},
    {TNT_F_BRPR, "BRPR"},   {TNT_F_BUDDY, "BUDDY"}, {TNT_F_UNKN, "UNKN"},
    {TNT_F_INCOMP, "INCOMP?"},
};

static void add_word(char *out, size_t size, const char *w)
{
    size_t len = strlen(out);
    snprintf(out + len, size - len, "%s%s", len ? "," : "", w);
}

void probe_output_flags(const struct tnt_hop *h, char *out, size_t size)
{
    out[0] = '\0';
    if (h->cls == TNT_CLASS_NONE)
        return;
    add_word(out, size, "MPLS");
    add_word(out, size, tnt_class_name(h->cls));
    if (h->role != TNT_ROLE_NONE)
        add_word(out, size, tnt_role_name(h->role));
    for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++)
        if (h->flags & flag_names[i].bit)
            add_word(out, size, flag_names[i].name);
    if (h->revealed) {
        char step[16];
        snprintf(step, sizeof(step), "step=%d", h->step);
        add_word(out, size, step);
    }
}

/* --- text --- */
void probe_output_hop_text(struct probe_output_buf *b, const struct tnt_hop *h)
{
    char name[16], addr[16], rtt[16], flags[160];
    if (h->revealed)
        snprintf(name, sizeof(name), "H%d", h->revealed);
    else
        snprintf(name, sizeof(name), "%d", h->probe_ttl);
    if (!h->addr) {
        probe_output_printf(b, "%2s *\n", name);
        return;
    }
    probe_output_printf(b, "%2s %-14s %7s ms rTTLs=<%d,", name, ip(h->addr, addr),
                        ms(h->rtt_us, rtt), h->reply_ttl);
    if (h->er)
        probe_output_printf(b, "%d>", h->er);
    else
        probe_output_printf(b, "*>");
    if (h->icmp_type == 11 || h->icmp_type == 3)
        probe_output_printf(b, " qttl=%d", h->qttl);
    if (h->te && h->er)
        probe_output_printf(b, " uturn=%d", h->uturn);
    if (h->te)
        probe_output_printf(b, " frpla=%d", h->frpla);
    if (tnt_math_rtla_applies(h->te, h->er))
        probe_output_printf(b, " rtla=%d", h->rtla);
    probe_output_flags(h, flags, sizeof(flags));
    if (flags[0])
        probe_output_printf(b, " [%s]", flags);
    for (unsigned i = 0; i < h->n_labels; i++)
        probe_output_printf(b, "%s%u mTTL=%d", i ? " | " : " Labels ", (unsigned)h->labels[i].label,
                            h->labels[i].ttl);
    probe_output_printf(b, "\n");
}

void probe_output_trace_text(struct probe_output_buf *b, const struct probe_trace_result *t,
                             const struct probe_tnt_result *tnt)
{
    char src[16], dst[16];
    probe_output_printf(b, "%s to %s from %s (%s), stop %s\n", tnt ? "tnt" : "trace",
                        ip(t->p.dst, dst), ip(t->p.src, src), probe_method_name(t->p.method),
                        probe_stop_name(t->stop));
    if (tnt) {
        for (size_t i = 0; i < tnt->n_hops; i++)
            probe_output_hop_text(b, &tnt->hops[i]);
        return;
    }
    size_t n = 0;
    struct tnt_hop *hops = probe_result_hops(t, &n);
    if (!hops)
        return;
    tnt_classify_metrics(hops, n);
    for (size_t i = 0; i < n; i++)
        probe_output_hop_text(b, &hops[i]);
    free(hops);
}

void probe_output_ping_text(struct probe_output_buf *b, const struct probe_ping_result *p)
{
    char dst[16];
    int er = tnt_math_vote(p->ttls, p->n_replies < 64 ? (size_t)p->n_replies : 64);
    probe_output_printf(b, "ping %s: %d/%d replies", ip(p->dst, dst), p->n_replies, p->sent);
    if (er)
        probe_output_printf(b, ", er=%d ittl=%d", er, tnt_math_ittl(er));
    probe_output_printf(b, "\n");
}

/* --- JSON --- */
static void json_ext(struct probe_output_buf *b, const struct icmp_reply *r)
{
    probe_output_printf(b, ",\"icmpext\":[");
    for (unsigned i = 0; i < r->n_objs; i++) {
        const struct icmp_ext_obj *o = &r->objs[i];
        probe_output_printf(b, "%s{\"class\":%u,\"type\":%u,\"length\":%u", i ? "," : "",
                            o->class_num, o->c_type, o->length);
        if (o->class_num == 1 && o->c_type == 1) {
            probe_output_printf(b, ",\"mpls_labels\":[");
            for (unsigned k = 0; k < o->n_labels; k++) {
                const struct icmp_mpls_entry *e = &r->labels[o->first_label + k];
                probe_output_printf(b, "%s{\"label\":%u,\"tc\":%u,\"s\":%u,\"ttl\":%u}",
                                    k ? "," : "", (unsigned)e->label, e->tc, e->s, e->ttl);
            }
            probe_output_printf(b, "]");
        }
        probe_output_printf(b, "}");
    }
    probe_output_printf(b, "]");
}

static void json_reply(struct probe_output_buf *b, const struct probe_reply *r)
{
    char addr[16], rtt[16];
    const struct icmp_reply *ic = &r->icmp;
    probe_output_printf(b, "{\"probe_ttl\":%d,\"attempt\":%d,\"addr\":\"%s\",\"rtt_ms\":%s,"
                           "\"reply_ttl\":%u,\"reply_size\":%u",
                        r->probe_ttl, r->attempt, ip(ic->src, addr), ms(r->rtt_us, rtt), ic->ttl,
                        ic->ip_len);
    if (r->tcp_flags) {
        probe_output_printf(b, ",\"tcp_flags\":%d}", r->tcp_flags);
        return;
    }
    probe_output_printf(b, ",\"icmp_type\":%u,\"icmp_code\":%u", ic->type, ic->code);
    if (ic->has_quote)
        probe_output_printf(b, ",\"quoted_ttl\":%u,\"quoted_ipid\":%u,\"quoted_len\":%u",
                            ic->q_ttl, ic->q_ipid, ic->q_len);
    if (ic->rfc4884_len)
        probe_output_printf(b, ",\"rfc4884_len\":%u", ic->rfc4884_len);
    if (ic->has_ext)
        json_ext(b, ic);
    probe_output_printf(b, "}");
}

static void json_hop(struct probe_output_buf *b, const struct tnt_hop *h)
{
    char addr[16], rtt[16], flags[160];
    probe_output_flags(h, flags, sizeof(flags));
    if (h->revealed)
        probe_output_printf(b, "{\"hop\":\"H%d\",\"step\":%d", h->revealed, h->step);
    else
        probe_output_printf(b, "{\"hop\":\"%d\"", h->probe_ttl);
    probe_output_printf(b, ",\"probe_ttl\":%d", h->probe_ttl);
    if (!h->addr) {
        probe_output_printf(b, ",\"addr\":null}");
        return;
    }
    probe_output_printf(b, ",\"addr\":\"%s\",\"rtt_ms\":%s,\"icmp_type\":%d,\"reply_ttl\":%d,"
                           "\"te\":%d,\"er\":%d,\"qttl\":%d,\"ret_te\":%d,\"ret_er\":%d,"
                           "\"uturn\":%d,\"frpla\":%d,\"rtla\":%d,\"class\":\"%s\","
                           "\"role\":\"%s\",\"flags\":\"%s\",\"labels\":[",
                        ip(h->addr, addr), ms(h->rtt_us, rtt), h->icmp_type, h->reply_ttl, h->te,
                        h->er, h->qttl, h->ret_te, h->ret_er, h->uturn, h->frpla, h->rtla,
                        tnt_class_name(h->cls), tnt_role_name(h->role), flags);
    for (unsigned i = 0; i < h->n_labels; i++)
        probe_output_printf(b, "%s{\"label\":%u,\"ttl\":%u}", i ? "," : "",
                            (unsigned)h->labels[i].label, h->labels[i].ttl);
    probe_output_printf(b, "]}");
}

static void json_reveal(struct probe_output_buf *b, const struct probe_tnt_result *tnt)
{
    const struct tnt_reveal *r = tnt->reveal;
    char a[16], c[16], m[64] = "";
    static const struct { unsigned bit; const char *name; } methods[] = {
        {TNT_F_DPR, "DPR"}, {TNT_F_BRPR, "BRPR"}, {TNT_F_BUDDY, "BUDDY"}, {TNT_F_UNKN, "UNKN"},
        {TNT_F_INCOMP, "INCOMP?"}};
    for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
        if (r->method & methods[i].bit)
            add_word(m, sizeof(m), methods[i].name);
    probe_output_printf(b, ",\"revelation\":{\"ingress\":\"%s\",\"egress\":\"%s\","
                           "\"first_ttl\":%d,\"method\":\"%s\",\"revealed\":%u,\"attempts\":[",
                        ip(r->ingress, a), ip(r->egress, c), r->first_ttl, m,
                        (unsigned)r->n_revealed);
    for (size_t i = 0; i < r->n_attempts; i++) {
        const struct tnt_reveal_attempt *at = &r->attempts[i];
        probe_output_printf(b, "%s{\"dst\":\"%s\",\"first_ttl\":%d,\"method\":\"%s\","
                               "\"step\":%d,\"outcome\":\"%s\",\"new\":%d}",
                            i ? "," : "", ip(at->dst, a), at->first_ttl,
                            at->udp ? "udp-paris" : "icmp-paris", at->step,
                            tnt_reveal_outcome_name(at->outcome), at->new_hops);
    }
    probe_output_printf(b, "]}");
}

void probe_output_trace_json(struct probe_output_buf *b, const struct probe_trace_result *t,
                             const struct probe_tnt_result *tnt)
{
    char src[16], dst[16];
    const struct probe_params *p = &t->p;
    probe_output_printf(b, "{\"type\":\"%s\",\"method\":\"%s\",\"src\":\"%s\",\"dst\":\"%s\","
                           "\"start_us\":%llu,\"first_ttl\":%d,\"max_ttl\":%d,\"attempts\":%d,"
                           "\"wait_ms\":%d,\"gap_limit\":%d,\"sport\":%u,\"dport\":%u,"
                           "\"stop_reason\":\"%s\",\"stop_ttl\":%d,\"probes_sent\":%d,"
                           "\"replies\":[",
                        tnt ? "tnt" : "trace", probe_method_name(p->method), ip(p->src, src),
                        ip(p->dst, dst), (unsigned long long)t->start_us, p->first_ttl,
                        p->max_ttl, p->attempts, p->wait_ms, p->gap_limit, p->sport, p->dport,
                        probe_stop_name(t->stop), t->stop_ttl, t->probes_sent);
    for (size_t i = 0; i < t->n_replies; i++) {
        if (i)
            probe_output_printf(b, ",");
        json_reply(b, &t->replies[i]);
    }
    probe_output_printf(b, "]");
    if (tnt) {
        probe_output_printf(b, ",\"hops\":[");
        for (size_t i = 0; i < tnt->n_hops; i++) {
            if (i)
                probe_output_printf(b, ",");
            json_hop(b, &tnt->hops[i]);
        }
        probe_output_printf(b, "],\"candidates\":%u", (unsigned)tnt->n_candidates);
        if (tnt->reveal)
            json_reveal(b, tnt);
    }
    probe_output_printf(b, "}\n");
}

void probe_output_ping_json(struct probe_output_buf *b, const struct probe_ping_result *p)
{
    char src[16], dst[16], rtt[16];
    int n = p->n_replies < 64 ? p->n_replies : 64;
    int er = tnt_math_vote(p->ttls, (size_t)n);
    probe_output_printf(b, "{\"type\":\"ping\",\"src\":\"%s\",\"dst\":\"%s\",\"start_us\":%llu,"
                           "\"count\":%d,\"sent\":%d,\"replies\":[",
                        ip(p->src, src), ip(p->dst, dst), (unsigned long long)p->start_us,
                        p->count, p->sent);
    for (int i = 0; i < n; i++)
        probe_output_printf(b, "%s{\"seq\":%u,\"rtt_ms\":%s,\"reply_ttl\":%u}", i ? "," : "",
                            p->seqs[i], ms(p->rtt_us[i], rtt), p->ttls[i]);
    probe_output_printf(b, "],\"er\":%d,\"ittl\":%d}\n", er, tnt_math_ittl(er));
}
