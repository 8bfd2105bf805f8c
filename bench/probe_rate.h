/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Probing rate: one prober traces a list of addresses behind the four-hop path (one attempt per
 * hop, 32 traces at once) with a packets-per-second limit; the rate reached is compared with
 * scamper's at the same settings (-p PPS -w 32, trace -P icmp-paris -q 1 -w 1 -m 8).
 * Sustained: the proc probe pings 64 destinations at 10k pps for a bounded time (issue 10's
 * target: no loss, 100% matched); its own accounting is checked against the ICMP counters of
 * the destination namespace (InEchos, OutEchoReps in its /proc/net/snmp).
 */
#ifndef BENCH_PROBE_RATE_H
#define BENCH_PROBE_RATE_H

#include <stdio.h>

#include "probe_env.h"

#define PRATE_SCAMPER PV_COUNT
#define PRATE_ROWS (PV_COUNT + 1)
#define PRATE_MAX_RATES 4

struct prate_cell {
    int run, ok;
    long sent;           /* probes sent */
    double own_ms;       /* the prober's own elapsed time (probe's summary); 0 when none */
    double wall_ms;      /* process start to exit */
    char why[160];
};

struct prate_sustained {
    int run, ok, pps, seconds, ntargets, count; /* count: pings per destination */
    long sent, replies, matched, late, unmatched; /* the probe's summary line */
    long dst_in_echos, dst_out_reps;              /* the destination's counters over the run */
    double own_ms, wall_ms, cpu_s;                /* cpu_s: the tender's utime + stime */
    char why[160];
};

struct prate_result {
    int nrates, ntargets;
    int rates[PRATE_MAX_RATES];
    struct prate_cell cells[PRATE_MAX_RATES][PRATE_ROWS];
    struct prate_sustained sustained;
};

int prate_run(struct penv *e, int quick, const int active[PV_COUNT], struct prate_result *r);

/* The sustained-rate section (Markdown: table and verdicts) and its CSV rows. */
void prate_print_sustained(FILE *f, const struct prate_result *r);
void prate_csv_sustained(FILE *f, const struct prate_result *r);

#endif
