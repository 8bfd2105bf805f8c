/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Summary statistics of a set of samples (milliseconds): median, 95th percentile, min, max and
 * mean. Kept separate and pure so the definitions used in the published tables are in one place.
 */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

struct bench_stats {
    int n;
    double median; /* middle sample; mean of the two middle ones for an even count */
    double p95;    /* nearest rank: the ceil(0.95 * n)-th smallest sample */
    double min, max, mean;
};

/* Sorts v in place and fills st; returns -1 when n < 1. */
int bench_stats_compute(double *v, int n, struct bench_stats *st);

#endif
