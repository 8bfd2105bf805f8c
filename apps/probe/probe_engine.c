/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_engine: probe scheduling. A job sends one probe at a time and waits for its reply or
 * its timeout before the next (per-hop attempts, then the next TTL, gap limit), so one trace
 * never floods a router; concurrency comes from many jobs. Jobs ready to send queue up behind
 * a token bucket, which makes --pps a hard cap across all traces and pings.
 */
#include "probe_engine.h"

#include <stdlib.h>
#include <string.h>
#include <unf/loop.h>
#include <unf/net.h>

#include "probe_packet.h"

#define NS_PER_S 1000000000ull
#define PAYLOAD_LEN 16

enum job_kind { JOB_TRACE, JOB_PING };

struct job {
    struct probe_engine *e;
    enum job_kind kind;
    unsigned slot;
    uint16_t flow_id, paris_cksum;
    struct probe_params p;
    int ttl, attempt, gap;
    uint16_t probe_id, next_id;
    uint64_t sent_ns;
    int waiting, queued;
    unf_timer *timer;
    struct job *next_ready;
    struct probe_trace_result tr;
    struct probe_ping_result pr;
    int ping_count;
    probe_trace_done_fn trace_done;
    probe_ping_done_fn ping_done;
    void *arg;
};

struct probe_engine {
    uint32_t src;
    unsigned pps;
    unf_raw *icmp, *tcp;
    uint16_t flow_base;
    struct job *jobs[PROBE_ENGINE_MAX_JOBS];
    unsigned next_slot;
    struct job *ready_head, *ready_tail;
    uint64_t tokens;   /* packets x NS_PER_S */
    uint64_t refill_ns;
    unf_timer *pump_timer;
    int pumping;
    struct probe_engine_stats stats;
};

static void on_icmp(void *arg, unf_raw *sock, const void *packet, size_t len);
static void on_tcp(void *arg, unf_raw *sock, const void *packet, size_t len);
static void pump(struct probe_engine *e);

struct probe_engine *probe_engine_new(uint32_t src, unsigned pps)
{
    struct probe_engine *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    e->src = src;
    e->pps = pps;
    e->flow_base = (uint16_t)(33000 + (unf_now_ns() / 1000) % 20000);
    e->icmp = unf_raw_open(1, on_icmp, e);
    if (!e->icmp) {
        free(e);
        return NULL;
    }
    e->refill_ns = unf_now_ns();
    e->tokens = NS_PER_S;
    return e;
}

void probe_engine_free(struct probe_engine *e)
{
    if (!e)
        return;
    if (e->pump_timer)
        unf_timer_cancel(e->pump_timer);
    for (unsigned i = 0; i < PROBE_ENGINE_MAX_JOBS; i++) {
        struct job *j = e->jobs[i];
        if (!j)
            continue;
        if (j->timer)
            unf_timer_cancel(j->timer);
        probe_result_free(&j->tr);
        free(j);
    }
    unf_raw_close(e->icmp);
    unf_raw_close(e->tcp);
    free(e);
}

const struct probe_engine_stats *probe_engine_stats(const struct probe_engine *e)
{
    return &e->stats;
}

uint32_t probe_engine_src(const struct probe_engine *e)
{
    return e->src;
}

static struct job *job_new(struct probe_engine *e, enum job_kind kind)
{
    for (unsigned k = 0; k < PROBE_ENGINE_MAX_JOBS; k++) {
        unsigned slot = (e->next_slot + k) % PROBE_ENGINE_MAX_JOBS;
        if (e->jobs[slot])
            continue;
        struct job *j = calloc(1, sizeof(*j));
        if (!j)
            return NULL;
        j->e = e;
        j->kind = kind;
        j->slot = slot;
        j->flow_id = (uint16_t)(e->flow_base + slot);
        j->paris_cksum = (uint16_t)(0x1000 + slot * 13);
        j->next_id = (uint16_t)(1 + (unf_now_ns() / 1000) % 30000);
        e->jobs[slot] = j;
        e->next_slot = (slot + 1) % PROBE_ENGINE_MAX_JOBS;
        return j;
    }
    return NULL;
}

static void job_finish(struct job *j)
{
    struct probe_engine *e = j->e;
    if (j->timer)
        unf_timer_cancel(j->timer);
    j->timer = NULL;
    e->jobs[j->slot] = NULL;
    if (j->kind == JOB_TRACE) {
        if (j->trace_done)
            j->trace_done(j->arg, &j->tr);
        probe_result_free(&j->tr);
    } else if (j->ping_done) {
        j->ping_done(j->arg, &j->pr);
    }
    free(j);
}

static void enqueue(struct job *j)
{
    struct probe_engine *e = j->e;
    j->queued = 1;
    j->next_ready = NULL;
    if (e->ready_tail)
        e->ready_tail->next_ready = j;
    else
        e->ready_head = j;
    e->ready_tail = j;
    pump(e);
}

/* --- advancing a job after its probe resolved (reply or timeout) --- */
static void trace_stop(struct job *j, enum probe_stop why)
{
    j->tr.stop = why;
    j->tr.stop_ttl = j->ttl;
    job_finish(j);
}

static void trace_next(struct job *j, int replied)
{
    if (replied) {
        j->gap = 0;
    } else if (j->attempt < j->p.attempts) {
        j->attempt++;
        enqueue(j);
        return;
    } else if (++j->gap >= j->p.gap_limit) {
        trace_stop(j, PROBE_STOP_GAPLIMIT);
        return;
    }
    if (j->ttl >= j->p.max_ttl) {
        trace_stop(j, PROBE_STOP_HOPLIMIT);
        return;
    }
    j->ttl++;
    j->attempt = 1;
    enqueue(j);
}

static void ping_next(struct job *j)
{
    if (j->pr.sent >= j->ping_count) {
        job_finish(j);
        return;
    }
    enqueue(j);
}

static void on_timeout(void *arg)
{
    struct job *j = arg;
    j->timer = NULL;
    j->waiting = 0;
    if (j->kind == JOB_TRACE)
        trace_next(j, 0);
    else
        ping_next(j);
}

/* --- sending --- */
static int send_probe(struct job *j)
{
    struct probe_engine *e = j->e;
    uint8_t pkt[PROBE_PACKET_MAX];
    if (++j->next_id == 0)
        j->next_id = 1;
    j->probe_id = j->next_id;
    struct probe_packet_spec s = {
        .method = j->kind == JOB_PING ? PROBE_ICMP : j->p.method,
        .src = e->src,
        .dst = j->p.dst,
        .ttl = (uint8_t)(j->kind == JOB_PING ? 64 : j->ttl),
        .probe_id = j->probe_id,
        .flow_id = j->flow_id,
        .dport = j->p.dport,
        .paris_cksum = j->paris_cksum,
        .payload_len = PAYLOAD_LEN,
    };
    size_t len = probe_packet_build(&s, pkt, sizeof(pkt));
    j->sent_ns = unf_now_ns();
    int rc = len ? unf_raw_send(e->icmp, pkt, len) : -1;
    if (rc < 0)
        e->stats.send_errors++;
    else
        e->stats.sent++;
    if (j->kind == JOB_TRACE)
        j->tr.probes_sent++;
    else
        j->pr.sent++;
    j->waiting = 1;
    j->timer = unf_timer_start((uint64_t)j->p.wait_ms * 1000000ull, 0, on_timeout, j);
    return j->timer ? 0 : -1;
}

static void refill(struct probe_engine *e)
{
    uint64_t now = unf_now_ns();
    uint64_t burst = (uint64_t)(e->pps / 100 + 1) * NS_PER_S; /* at most 10 ms of credit */
    e->tokens += (now - e->refill_ns) * e->pps;
    if (e->tokens > burst)
        e->tokens = burst;
    e->refill_ns = now;
}

static void pump_later(void *arg)
{
    struct probe_engine *e = arg;
    e->pump_timer = NULL;
    pump(e);
}

static void pump(struct probe_engine *e)
{
    if (e->pumping)
        return; /* a send below re-entered us; the loop picks the new job up */
    e->pumping = 1;
    while (e->ready_head) {
        if (e->pps) {
            refill(e);
            if (e->tokens < NS_PER_S) {
                if (!e->pump_timer) {
                    uint64_t wait = (NS_PER_S - e->tokens) / e->pps + 1;
                    e->pump_timer = unf_timer_start(wait, 0, pump_later, e);
                }
                break;
            }
            e->tokens -= NS_PER_S;
        }
        struct job *j = e->ready_head;
        e->ready_head = j->next_ready;
        if (!e->ready_head)
            e->ready_tail = NULL;
        j->queued = 0;
        if (send_probe(j) < 0) { /* no timer: end the job rather than hang */
            if (j->kind == JOB_TRACE)
                trace_stop(j, PROBE_STOP_ERROR);
            else
                job_finish(j);
        }
    }
    e->pumping = 0;
}

/* --- receiving --- */
static uint32_t elapsed_us(const struct job *j)
{
    return (uint32_t)((unf_now_ns() - j->sent_ns) / 1000);
}

static void trace_reply(struct job *j, const struct icmp_reply *r, int tcp_flags)
{
    struct probe_reply pr;
    memset(&pr, 0, sizeof(pr));
    pr.probe_ttl = j->ttl;
    pr.attempt = j->attempt;
    pr.rtt_us = elapsed_us(j);
    pr.tcp_flags = tcp_flags;
    pr.icmp = *r;
    if (j->timer)
        unf_timer_cancel(j->timer);
    j->timer = NULL;
    j->waiting = 0;
    if (probe_result_add_reply(&j->tr, &pr) < 0) {
        trace_stop(j, PROBE_STOP_ERROR);
        return;
    }
    if (r->src == j->p.dst) {
        trace_stop(j, PROBE_STOP_COMPLETED);
        return;
    }
    if (!tcp_flags && r->type == 3) {
        trace_stop(j, PROBE_STOP_UNREACH);
        return;
    }
    trace_next(j, 1);
}

static void ping_reply(struct job *j, const struct icmp_reply *r)
{
    if (j->timer)
        unf_timer_cancel(j->timer);
    j->timer = NULL;
    j->waiting = 0;
    int k = j->pr.n_replies;
    if (k < 64) {
        j->pr.ttls[k] = r->ttl;
        j->pr.rtt_us[k] = elapsed_us(j);
        j->pr.seqs[k] = r->echo_seq;
    }
    j->pr.n_replies++;
    ping_next(j);
}

static struct job *job_for_flow(struct probe_engine *e, uint16_t flow)
{
    uint16_t slot = (uint16_t)(flow - e->flow_base);
    return slot < PROBE_ENGINE_MAX_JOBS ? e->jobs[slot] : NULL;
}

static void on_icmp(void *arg, unf_raw *sock, const void *packet, size_t len)
{
    struct probe_engine *e = arg;
    struct icmp_reply r;
    (void)sock;
    enum icmp_reply_err err = icmp_reply_parse(packet, len, &r);
    if (err != ICMP_REPLY_OK) {
        if (!(err == ICMP_REPLY_E_TYPE && r.type == 8)) /* echo requests to us are normal */
            e->stats.malformed[err]++;
        return;
    }
    e->stats.replies++;
    struct job *j = NULL;
    uint16_t id = 0;
    if (r.type == 0) {
        j = job_for_flow(e, r.echo_id);
        id = r.echo_seq;
        if (j && (r.src != j->p.dst || (j->kind == JOB_TRACE && j->p.method != PROBE_ICMP &&
                                        j->p.method != PROBE_ICMP_PARIS)))
            j = NULL;
    } else if (r.has_quote) {
        if (r.q_proto == 1) {
            j = job_for_flow(e, r.q_icmp_id);
            id = r.q_icmp_seq;
        } else if (r.q_proto == 17 || r.q_proto == 6) {
            j = job_for_flow(e, r.q_sport);
            id = r.q_ipid;
        }
        if (j && (r.q_dst != j->p.dst || j->kind != JOB_TRACE))
            j = NULL;
    }
    if (!j) {
        e->stats.unmatched++;
        return;
    }
    if (!j->waiting || id != j->probe_id) {
        e->stats.late++;
        return;
    }
    e->stats.matched++;
    if (j->kind == JOB_TRACE)
        trace_reply(j, &r, 0);
    else
        ping_reply(j, &r);
}

/* TCP answers (SYN-ACK or RST) from the destination of a tcp trace. */
static void on_tcp(void *arg, unf_raw *sock, const void *packet, size_t len)
{
    struct probe_engine *e = arg;
    const uint8_t *p = packet;
    (void)sock;
    if (len < 20 || (p[0] >> 4) != 4)
        return;
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    if (ihl < 20 || len < ihl + 20)
        return;
    const uint8_t *t = p + ihl;
    uint16_t sport = (uint16_t)(t[0] << 8 | t[1]), dport = (uint16_t)(t[2] << 8 | t[3]);
    uint32_t ack = (uint32_t)t[8] << 24 | (uint32_t)t[9] << 16 | (uint32_t)t[10] << 8 | t[11];
    struct job *j = job_for_flow(e, dport);
    struct icmp_reply r;
    memset(&r, 0, sizeof(r));
    memcpy(&r.src, p + 12, 4);
    r.ttl = p[8];
    r.ip_len = (uint16_t)len;
    if (!j || j->kind != JOB_TRACE || j->p.method != PROBE_TCP || sport != j->p.dport ||
        r.src != j->p.dst)
        return;
    if (!j->waiting || probe_packet_tcp_probe_id(ack) != j->probe_id) {
        e->stats.late++;
        return;
    }
    e->stats.replies++;
    e->stats.matched++;
    trace_reply(j, &r, t[13] ? t[13] : 1);
}

/* --- starting jobs --- */
int probe_engine_trace(struct probe_engine *e, const struct probe_params *p,
                       probe_trace_done_fn done, void *arg)
{
    if (p->method == PROBE_TCP && !e->tcp) {
        e->tcp = unf_raw_open(6, on_tcp, e);
        if (!e->tcp)
            return -1;
    }
    struct job *j = job_new(e, JOB_TRACE);
    if (!j)
        return -1;
    j->p = *p;
    j->p.src = e->src;
    j->p.sport = j->flow_id;
    j->tr.p = j->p;
    j->tr.start_us = unf_wall_ns() / 1000;
    j->ttl = p->first_ttl;
    j->attempt = 1;
    j->trace_done = done;
    j->arg = arg;
    enqueue(j);
    return 0;
}

int probe_engine_ping(struct probe_engine *e, uint32_t dst, int count, int wait_ms,
                      probe_ping_done_fn done, void *arg)
{
    struct job *j = job_new(e, JOB_PING);
    if (!j)
        return -1;
    j->p.method = PROBE_ICMP;
    j->p.dst = dst;
    j->p.wait_ms = wait_ms;
    j->ping_count = count > 0 ? count : 1;
    j->pr.src = e->src;
    j->pr.dst = dst;
    j->pr.count = j->ping_count;
    j->pr.start_us = unf_wall_ns() / 1000;
    j->ping_done = done;
    j->arg = arg;
    enqueue(j);
    return 0;
}
