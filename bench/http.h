/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench http`: wrk requests/s and latency against the http app as a proc unikernel, its
 * native build (bare, and in a runc container) and nginx (Debian) serving the same files, at 1,
 * 10, 100 and 1000 connections by default, a few seconds per point, the servers interleaved at
 * each point. nginx and the native builds run in the benchmark's network namespace behind a veth;
 * the unikernel runs under `unf run` behind its tap and bridge. Reports in Markdown on stdout and
 * in build/bench/, with the CPU time each server used, for throughput per core.
 */
#ifndef BENCH_HTTP_H
#define BENCH_HTTP_H

/* argv[0] is "http"; returns the exit status (0 report written, 1 failure, 2 bad usage). */
int bench_http_main(int argc, char **argv);

#endif
