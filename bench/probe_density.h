/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Density (the vTNT method): instances started 0.1 s apart inside one shared budget, each
 * tracing the host's own address (its gateway) and then waiting; how many run at once before the
 * first failure (exit, OOM kill) or slowdown (a trace not done within max(2 s, 5x the first
 * instance's)). Budgets: a 1 GiB memory cgroup, and a CPU quota of 25% of the cores.
 */
#ifndef BENCH_PROBE_DENSITY_H
#define BENCH_PROBE_DENSITY_H

#include "probe_env.h"

enum { PD_MEM, PD_CPU, PD_BUDGETS };

struct pdens_cfg {
    int max_instances;   /* stop launching after this many */
    long max_ms;         /* or after this long */
    int idle_s;          /* each instance waits this long after its trace */
    long spacing_ms;
};

struct pdens_cell {
    int run;             /* measured */
    int launched;        /* instances started */
    int peak;            /* most healthy instances alive at once before the first failure */
    int failed;          /* a failure or slowdown ended the run (else a bound did) */
    double first_ms;     /* launch to trace done, first instance */
    double worst_ms;     /* slowest trace among healthy instances */
    long mem_peak_kib;   /* the cgroup's peak usage; -1 unknown */
    char why[200];       /* what ended the run */
};

/* Runs both budgets for every active variant. Returns -1 when the cgroup cannot be made. */
int pdens_run(struct penv *e, const struct pdens_cfg *cfg, const int active[PV_COUNT],
              struct pdens_cell cells[PD_BUDGETS][PV_COUNT], char *err, size_t errlen);

/* "1 GiB memory" / "CPU quota 0.50 cores", for the report. */
const char *pdens_budget_name(int b);

#endif
