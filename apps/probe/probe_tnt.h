/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_tnt: the TNT pipeline for one destination on top of probe_engine: the first trace,
 * pings of every hop (echo-reply TTLs, cached across destinations), classification passes 1
 * and 2, revelation of the first candidate (tnt_reveal driven by real traces and pings), pings
 * of the revealed routers, then the u-turn pass.
 */
#ifndef PROBE_TNT_H
#define PROBE_TNT_H

#include "probe_engine.h"
#include "probe_result.h"
#include "tnt_classify.h"

struct probe_tnt_cfg {
    struct probe_params trace; /* dst filled per run */
    struct tnt_opts opts;
    int ping_count;
    int ping_wait_ms;
};

/* The result is the callee's to free with probe_tnt_result_free after the callback. */
typedef void (*probe_tnt_done_fn)(void *arg, struct probe_tnt_result *res);

int probe_tnt_start(struct probe_engine *e, const struct probe_tnt_cfg *cfg, uint32_t dst,
                    probe_tnt_done_fn done, void *arg);
void probe_tnt_result_free(struct probe_tnt_result *r);
/* Frees the echo-reply TTL cache shared by all runs. */
void probe_tnt_cache_clear(void);

#endif
