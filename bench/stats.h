/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Summary statistics of a set of samples (milliseconds): median, 95th percentile, min, max and
 * mean, kept in one place so the definitions used in the published tables are the same for every
 * experiment; and the sampling loop that produces the samples (warm-up, interleaved series).
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>

struct bench_stats {
    int n;
    double median; /* middle sample; mean of the two middle ones for an even count */
    double p95;    /* nearest rank: the ceil(0.95 * n)-th smallest sample */
    double min, max, mean;
};

/* Sorts v in place and fills st; returns -1 when n < 1. */
int bench_stats_compute(double *v, int n, struct bench_stats *st);

/* The same on a sorted copy, leaving v (samples in run order) alone; 0 without samples (st
 * untouched), -1 out of memory. */
int bench_stats_of(const double *v, int n, struct bench_stats *st);

/*
 * The harness's sampling loop: `warmups` untimed rounds, then `runs` timed rounds, each round
 * one trial of every active series in turn (interleaved, so drift on the machine spreads over
 * all series alike). A series stops after max_fails consecutive failures; the first failure's
 * reason is kept in its note. Stops early when the benchmark is interrupted. Then the stats.
 */
struct bench_series {
    const char *name;
    int active;
    double *samples;      /* ok runs, ms, in run order (allocated here; the caller frees) */
    int ok, failed;
    struct bench_stats st; /* valid when ok > 0 */
    char note[256];
};
/* One trial of series i: 0 and its time in *ms, or -1 with why. */
typedef int (*bench_trial_fn)(void *ctx, int i, double *ms, char *why, size_t whylen);
int bench_interleave(struct bench_series *s, int n, int warmups, int runs, int max_fails, bench_trial_fn trial,
                     void *ctx, const char *what);

#endif
