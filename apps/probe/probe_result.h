/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_result: what one trace or ping measured, independent of how it was printed: the
 * parameters, every reply (with its parsed ICMP fields and extensions), and for TNT the hop
 * array with classification and the revelation attempts. Filled by the engine, read by
 * probe_output and the TNT passes.
 */
#ifndef PROBE_RESULT_H
#define PROBE_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "icmp_reply.h"
#include "tnt_classify.h"
#include "tnt_reveal.h"

enum probe_method { PROBE_ICMP_PARIS, PROBE_UDP_PARIS, PROBE_ICMP, PROBE_UDP, PROBE_TCP };

enum probe_stop {
    PROBE_STOP_NONE, PROBE_STOP_COMPLETED, PROBE_STOP_UNREACH, PROBE_STOP_GAPLIMIT,
    PROBE_STOP_HOPLIMIT, PROBE_STOP_ERROR
};

struct probe_reply {
    int probe_ttl;
    int attempt;           /* 1-based */
    uint32_t rtt_us;
    int tcp_flags;         /* a TCP reply from the destination (tcp method); icmp fields unused */
    struct icmp_reply icmp;
};

struct probe_params {
    enum probe_method method;
    uint32_t src, dst;
    int first_ttl, max_ttl, attempts, wait_ms, gap_limit;
    uint16_t sport, dport;  /* udp/tcp flow; icmp: id in sport */
};

struct probe_trace_result {
    struct probe_params p;
    uint64_t start_us;     /* wall clock */
    enum probe_stop stop;
    int stop_ttl;          /* last probe TTL used */
    int probes_sent;
    size_t n_replies, cap_replies;
    struct probe_reply *replies;
};

struct probe_ping_result {
    uint32_t src, dst;
    uint64_t start_us;
    int count, sent;
    int n_replies;
    uint8_t ttls[64];      /* reply TTL per reply (first 64) */
    uint32_t rtt_us[64];
    uint16_t seqs[64];
};

/* A TNT run for one destination: the first trace, its hops, and the revelation. */
struct probe_tnt_result {
    struct probe_trace_result trace;
    size_t n_hops;
    struct tnt_hop *hops;          /* classified, revealed hops inserted */
    size_t n_candidates;
    int revealed_candidate;        /* index into the candidates tried, -1 none */
    struct tnt_reveal *reveal;     /* NULL when no revelation ran */
    size_t reveal_ingress;         /* hop index of the ingress in the final array */
};

const char *probe_method_name(enum probe_method m);
/* Parses "icmp-paris" etc.; 0 on success. */
int probe_method_parse(const char *s, enum probe_method *m);
const char *probe_stop_name(enum probe_stop s);

/* Appends a reply (copies it); -1 when out of memory. */
int probe_result_add_reply(struct probe_trace_result *t, const struct probe_reply *r);
void probe_result_free(struct probe_trace_result *t);

/* Hop array of a trace: one entry per probe TTL from first_ttl to stop_ttl, filled from the
 * first reply at that TTL (addr 0 when none). Returns a malloc'd array, *n its length. */
struct tnt_hop *probe_result_hops(const struct probe_trace_result *t, size_t *n);

#endif
