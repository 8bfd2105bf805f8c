/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Median, p95 (nearest rank), min, max, mean of benchmark samples. Nearest rank means p95 is
 * always a sample that was really measured (with 30 runs, the 29th fastest); no interpolation.
 */
#include "stats.h"

#include <stdlib.h>

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
