/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Deploy + execute (the vTNT method): per run, fetch the variant's image from the benchmark's
 * loopback HTTP server with curl, unpack it, start it, let it trace the destination four hops
 * away, wait for it to end, and remove everything the run made. The whole sequence is timed.
 */
#ifndef BENCH_PROBE_DEPLOY_H
#define BENCH_PROBE_DEPLOY_H

#include "probe_env.h"
#include "stats.h"

/* Builds the runc image tarball the container rows fetch (www/bundle.tar). */
int pdeploy_prepare(struct penv *e, char *err, size_t errlen);

/* runs interleaved rounds over the active variants; rows must be zeroed. Returns -1 on memory
 * exhaustion only. */
int pdeploy_run(struct penv *e, int runs, const int active[PV_COUNT], struct bench_series rows[PV_COUNT]);
void pdeploy_free(struct bench_series rows[PV_COUNT]);

/* One untimed deploy + execute of variant v (what pdeploy_run times), for other experiments that
 * set a variant beside their own (unf-bench deploy's runc row): 0, or -1 with why. */
int pdeploy_once(struct penv *e, int v, char *why, size_t whylen);
/* What one run of a variant does, for the report. */
const char *pdeploy_what(int v);

#endif
