/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One load point of `unf bench http`: runs wrk against a URL for a few seconds at a given number
 * of connections and reads its report (requests/s, latency average and percentiles, errors), and
 * measures the CPU time the server's processes spent meanwhile, so throughput can be given per
 * core as well as absolute.
 */
#ifndef BENCH_HTTP_WRK_H
#define BENCH_HTTP_WRK_H

#include <stddef.h>
#include <sys/types.h>

struct bench_wrk {
    int ok;              /* wrk ran and reported a rate */
    double rps;          /* requests per second */
    double lat_avg_ms, lat_p50_ms, lat_p99_ms;
    long requests;
    long errors;         /* socket errors: connect + read + write + timeout */
    long non2xx;         /* responses that were not 2xx/3xx */
    double cpu_s;        /* CPU seconds the server's processes used during the run; < 0 when unknown */
    double host_cpu_s;   /* CPU seconds the whole host used meanwhile, less wrk's own: the server
                          * plus kernel network work charged to no process (noisy on a shared host) */
    char err[160];       /* why !ok */
};

/* Runs wrk (threads = min(conns, 2)) for `seconds` against url, charging the CPU time of the
 * process tree under server_pid (0: not measured). client_cpu >= 0 runs wrk on that CPU only
 * (taskset), so that it does not share the server's core. */
int bench_wrk_run(const char *url, int conns, int seconds, pid_t server_pid, int client_cpu, struct bench_wrk *out);

/* Binds every thread of root's process tree to `cpu`; 0, or -1 when a thread could not be bound. */
int bench_pin_tree(pid_t root, int cpu);

/* Parses wrk's text report into out (rate, latencies, counts); 0 when a rate was found. */
int bench_wrk_parse(const char *text, struct bench_wrk *out);

/* utime + stime of root and its descendants in seconds, or -1 when root cannot be read. */
double bench_cpu_seconds(pid_t root);

#endif
