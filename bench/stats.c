/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Median, p95 (nearest rank), min, max, mean of benchmark samples, and the interleaved sampling
 * loop. Nearest rank means p95 is always a sample that was really measured (with 30 runs, the
 * 29th fastest); no interpolation.
 */
#include "stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int bench_stats_compute(double *v, int n, struct bench_stats *st)
{
    if (n < 1)
        return -1;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    st->n = n;
    st->min = v[0];
    st->max = v[n - 1];
    st->mean = sum / n;
    st->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    int rank = (95 * n + 99) / 100; /* ceil(0.95 n), in integers to avoid rounding surprises */
    if (rank < 1)
        rank = 1;
    st->p95 = v[rank - 1];
    return 0;
}

int bench_stats_of(const double *v, int n, struct bench_stats *st)
{
    if (n < 1)
        return 0;
    double *copy = malloc((size_t)n * sizeof(double));
    if (!copy)
        return -1;
    memcpy(copy, v, (size_t)n * sizeof(double));
    bench_stats_compute(copy, n, st);
    free(copy);
    return 0;
}

int bench_interleave(struct bench_series *s, int n, int warmups, int runs, int max_fails, bench_trial_fn trial,
                     void *ctx, const char *what)
{
    char why[256];
    int *consecutive = calloc((size_t)n, sizeof(int));
    if (!consecutive)
        return -1;
    for (int i = 0; i < n; i++) {
        if (s[i].active && !(s[i].samples = calloc((size_t)runs, sizeof(double)))) {
            free(consecutive);
            return -1;
        }
    }
    for (int round = 0; round < warmups + runs && !bench_interrupted; round++) {
        int timed = round >= warmups;
        for (int i = 0; i < n && !bench_interrupted; i++) {
            if (!s[i].active || consecutive[i] >= max_fails)
                continue;
            double ms = 0;
            why[0] = '\0';
            int rc = trial(ctx, i, &ms, why, sizeof(why));
            if (bench_interrupted)
                break;
            if (rc == 0) {
                consecutive[i] = 0;
                if (timed)
                    s[i].samples[s[i].ok++] = ms;
                fprintf(stderr, "bench: %s %d/%d %-18s %9.2f ms%s\n", what, timed ? round - warmups + 1 : 0, runs,
                        s[i].name, ms, timed ? "" : " (warm-up)");
                continue;
            }
            consecutive[i]++;
            s[i].failed++;
            if (!s[i].note[0])
                bench_fmt(s[i].note, sizeof(s[i].note), "first failure: %s", why);
            fprintf(stderr, "bench: %s %d/%d %-18s FAILED: %s\n", what, timed ? round - warmups + 1 : 0, runs,
                    s[i].name, why);
        }
    }
    free(consecutive);
    for (int i = 0; i < n; i++) {
        if (bench_stats_of(s[i].samples, s[i].ok, &s[i].st) < 0)
            return -1;
    }
    return 0;
}
