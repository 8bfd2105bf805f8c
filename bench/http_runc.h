/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The container row of `unf bench http`: the same static native http server in a runc container
 * (bundle from bench/runc.c, then given the server's command, the files archive, UNF_FILES and
 * an open-files limit for 1000 connections), joined to the benchmark's network namespace.
 */
#ifndef BENCH_HTTP_RUNC_H
#define BENCH_HTTP_RUNC_H

#include <stddef.h>
#include <sys/types.h>

/* Starts container `id` serving files_tar on port with bin; *pid gets its init's pid. State
 * lives under dir (bundle and runc root). 0, or -1 with err set. */
int bench_http_runc_start(const char *dir, const char *id, const char *bin, const char *files_tar,
                          const char *port, pid_t *pid, char *err, size_t errlen);

/* Removes the container (best effort). */
void bench_http_runc_stop(const char *dir, const char *id);

#endif
