/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_engine: runs traces and pings concurrently over one raw ICMP socket (plus a raw TCP
 * socket for tcp traces) on the event loop, under one packets-per-second token bucket shared
 * by every job. Each job owns a flow id (ICMP echo id / UDP or TCP source port) so replies are
 * dispatched to their job in O(1); the probe id (IP ID, echo sequence, TCP sequence) matches a
 * reply to the probe in flight.
 */
#ifndef PROBE_ENGINE_H
#define PROBE_ENGINE_H

#include <stdint.h>

#include "icmp_reply.h"
#include "probe_result.h"

#define PROBE_ENGINE_MAX_JOBS 1024

struct probe_engine;

/* The result belongs to the engine and is freed after the callback returns; a callback that
 * keeps it copies the struct and sets res->replies = NULL. */
typedef void (*probe_trace_done_fn)(void *arg, struct probe_trace_result *res);
typedef void (*probe_ping_done_fn)(void *arg, struct probe_ping_result *res);

struct probe_engine_stats {
    uint64_t sent, replies, matched, late, unmatched, send_errors;
    uint64_t malformed[ICMP_REPLY_E_COUNT];
};

/* src: our address (0: let the backend choose; tcp probes need it). pps: 0 = no cap. */
struct probe_engine *probe_engine_new(uint32_t src, unsigned pps);
void probe_engine_free(struct probe_engine *e);
/* Starts a trace; -1 when no job slot/memory or the raw socket failed. */
int probe_engine_trace(struct probe_engine *e, const struct probe_params *p,
                       probe_trace_done_fn done, void *arg);
int probe_engine_ping(struct probe_engine *e, uint32_t dst, int count, int wait_ms,
                      probe_ping_done_fn done, void *arg);
const struct probe_engine_stats *probe_engine_stats(const struct probe_engine *e);
uint32_t probe_engine_src(const struct probe_engine *e);

#endif
