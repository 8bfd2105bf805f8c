/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_tnt: TNT as a chain of callbacks. Each stage starts engine jobs and continues when the
 * last of them is done; a failure at any stage still ends the run with what was measured, so
 * one bad destination never stalls the others.
 */
#include "probe_tnt.h"

#include <stdlib.h>
#include <string.h>

#include "tnt_math.h"
#include "tnt_reveal.h"

#define MAX_CANDIDATES 16

struct cache_entry {
    uint32_t addr;
    int er;
};

static struct cache_entry *cache;
static size_t cache_len, cache_cap;

struct run {
    struct probe_engine *e;
    struct probe_tnt_cfg cfg;
    uint32_t dst;
    struct probe_tnt_result res;
    struct tnt_candidate cands[MAX_CANDIDATES];
    struct tnt_hop *ping_hops; /* the array whose er the pending pings fill */
    size_t ping_n;
    int pending;
    void (*after_pings)(struct run *);
    struct tnt_reveal_req req;
    probe_tnt_done_fn done;
    void *arg;
};

struct ping_ctx {
    struct run *run;
    uint32_t addr;
};

static int cache_get(uint32_t addr, int *er)
{
    for (size_t i = 0; i < cache_len; i++) {
        if (cache[i].addr == addr) {
            *er = cache[i].er;
            return 1;
        }
    }
    return 0;
}

static void cache_put(uint32_t addr, int er)
{
    int old;
    if (cache_get(addr, &old))
        return;
    if (cache_len == cache_cap) {
        size_t cap = cache_cap ? cache_cap * 2 : 64;
        struct cache_entry *grown = realloc(cache, cap * sizeof(*grown));
        if (!grown)
            return; /* a cache miss later only costs pings */
        cache = grown;
        cache_cap = cap;
    }
    cache[cache_len].addr = addr;
    cache[cache_len].er = er;
    cache_len++;
}

void probe_tnt_cache_clear(void)
{
    free(cache);
    cache = NULL;
    cache_len = cache_cap = 0;
}

void probe_tnt_result_free(struct probe_tnt_result *r)
{
    probe_result_free(&r->trace);
    free(r->hops);
    free(r->reveal);
    memset(r, 0, sizeof(*r));
}

static void finish(struct run *run)
{
    tnt_classify_metrics(run->res.hops, run->res.n_hops);
    tnt_classify_uturns(run->res.hops, run->res.n_hops, run->dst, &run->cfg.opts);
    run->done(run->arg, &run->res);
    free(run);
}

/* --- pings of a hop array, filling er --- */
static void set_er(struct tnt_hop *hops, size_t n, uint32_t addr, int er)
{
    for (size_t i = 0; i < n; i++)
        if (hops[i].addr == addr)
            hops[i].er = er;
}

static void ping_done(void *arg, struct probe_ping_result *p)
{
    struct ping_ctx *ctx = arg;
    struct run *run = ctx->run;
    int n = p->n_replies < 64 ? p->n_replies : 64;
    int er = tnt_math_vote(p->ttls, (size_t)n);
    cache_put(ctx->addr, er);
    set_er(run->ping_hops, run->ping_n, ctx->addr, er);
    free(ctx);
    if (--run->pending == 0)
        run->after_pings(run);
}

static void ping_all(struct run *run, struct tnt_hop *hops, size_t n, void (*next)(struct run *))
{
    run->ping_hops = hops;
    run->ping_n = n;
    run->after_pings = next;
    run->pending = 1; /* held until every ping is started, so none can finish the stage early */
    for (size_t i = 0; i < n; i++) {
        uint32_t a = hops[i].addr;
        int er, seen = 0;
        if (!a)
            continue;
        for (size_t k = 0; k < i; k++)
            seen |= hops[k].addr == a;
        if (seen)
            continue;
        if (cache_get(a, &er)) {
            set_er(hops, n, a, er);
            continue;
        }
        struct ping_ctx *ctx = malloc(sizeof(*ctx));
        if (!ctx)
            continue;
        ctx->run = run;
        ctx->addr = a;
        run->pending++;
        if (probe_engine_ping(run->e, a, run->cfg.ping_count, run->cfg.ping_wait_ms, ping_done,
                              ctx) < 0) {
            run->pending--;
            free(ctx);
        }
    }
    if (--run->pending == 0)
        next(run);
}

/* --- revelation --- */
static void reveal_step(struct run *run);

static void merge_revealed(struct run *run)
{
    struct tnt_reveal *rv = run->res.reveal;
    const struct tnt_candidate *c = &run->cands[run->res.revealed_candidate];
    size_t n = run->res.n_hops, k = rv->n_revealed;
    struct tnt_hop *merged = calloc(n + k, sizeof(*merged));
    if (!merged)
        return;
    size_t ing = c->ingress;
    memcpy(merged, run->res.hops, (ing + 1) * sizeof(*merged));
    for (size_t i = 0; i < k; i++) {
        struct tnt_hop *h = &merged[ing + 1 + i];
        *h = rv->revealed[i];
        h->revealed = (int)i + 1;
        h->cls = c->trigger == TNT_F_MTTL ? TNT_CLASS_OPA : TNT_CLASS_INV;
        h->role = TNT_ROLE_LSR;
        h->flags = c->trigger | rv->method;
    }
    memcpy(merged + ing + 1 + k, run->res.hops + ing + 1, (n - ing - 1) * sizeof(*merged));
    free(run->res.hops);
    run->res.hops = merged;
    run->res.n_hops = n + k;
    run->res.reveal_ingress = ing;
}

static void revealed_pinged(struct run *run)
{
    merge_revealed(run);
    finish(run);
}

static void reveal_trace_done(void *arg, struct probe_trace_result *t)
{
    struct run *run = arg;
    size_t n = 0;
    struct tnt_hop *hops = probe_result_hops(t, &n);
    tnt_reveal_on_trace(run->res.reveal, hops ? hops : (struct tnt_hop *)NULL, n, &run->req);
    free(hops);
    reveal_step(run);
}

static void reveal_ping_done(void *arg, struct probe_ping_result *p)
{
    struct run *run = arg;
    tnt_reveal_on_ping(run->res.reveal, p->n_replies > 0, &run->req);
    reveal_step(run);
}

/* Runs what the revelation state machine asks for next. */
static void reveal_step(struct run *run)
{
    struct tnt_reveal *rv = run->res.reveal;
    int rc = -1;
    if (run->req.op == TNT_REVEAL_TRACE) {
        struct probe_params p = run->cfg.trace;
        p.method = run->req.udp ? PROBE_UDP_PARIS : PROBE_ICMP_PARIS;
        p.dst = run->req.dst;
        p.first_ttl = run->req.first_ttl;
        p.attempts = 3;
        p.wait_ms = 1000;
        p.gap_limit = 5;
        rc = probe_engine_trace(run->e, &p, reveal_trace_done, run);
    } else if (run->req.op == TNT_REVEAL_PING) {
        rc = probe_engine_ping(run->e, run->req.dst, run->cfg.ping_count, run->cfg.ping_wait_ms,
                               reveal_ping_done, run);
    }
    if (rc == 0)
        return;
    if (run->req.op != TNT_REVEAL_DONE)
        rv->method |= TNT_F_INCOMP; /* could not start the job: keep what we have */
    ping_all(run, rv->revealed, rv->n_revealed, revealed_pinged);
}

/* --- first trace, pings, classification --- */
static void classify(struct run *run)
{
    struct probe_tnt_result *res = &run->res;
    tnt_classify_metrics(res->hops, res->n_hops);
    tnt_classify_labels(res->hops, res->n_hops, run->dst);
    res->n_candidates = tnt_classify_candidates(res->hops, res->n_hops, &run->cfg.opts,
                                                run->cands, MAX_CANDIDATES);
    res->revealed_candidate = -1;
    if (res->n_candidates == 0) {
        finish(run);
        return;
    }
    res->reveal = calloc(1, sizeof(*res->reveal));
    if (!res->reveal) {
        finish(run);
        return;
    }
    res->revealed_candidate = 0; /* only the first invisible tunnel of a path */
    tnt_reveal_start(res->reveal, res->hops, res->n_hops, &run->cands[0], &run->cfg.opts,
                     &run->req);
    reveal_step(run);
}

static void first_trace_done(void *arg, struct probe_trace_result *t)
{
    struct run *run = arg;
    run->res.trace = *t;
    t->replies = NULL; /* kept by the run */
    t->n_replies = t->cap_replies = 0;
    run->res.hops = probe_result_hops(&run->res.trace, &run->res.n_hops);
    if (!run->res.hops) {
        finish(run);
        return;
    }
    ping_all(run, run->res.hops, run->res.n_hops, classify);
}

int probe_tnt_start(struct probe_engine *e, const struct probe_tnt_cfg *cfg, uint32_t dst,
                    probe_tnt_done_fn done, void *arg)
{
    struct run *run = calloc(1, sizeof(*run));
    if (!run)
        return -1;
    run->e = e;
    run->cfg = *cfg;
    run->dst = dst;
    run->done = done;
    run->arg = arg;
    run->res.revealed_candidate = -1;
    struct probe_params p = cfg->trace;
    p.dst = dst;
    if (probe_engine_trace(e, &p, first_trace_done, run) < 0) {
        free(run);
        return -1;
    }
    return 0;
}
