/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The container baseline: an OCI bundle for runc holding the same static native echo the process
 * baseline runs, on a minimal rootfs (Debian's busybox-static as /bin/busybox and /bin/sh), with a
 * config from `runc spec` edited to join the benchmark's pre-created network namespace.
 */
#ifndef BENCH_RUNC_H
#define BENCH_RUNC_H

#include <jansson.h>
#include <stddef.h>

#define BENCH_BUSYBOX "/bin/busybox"

struct bench_rootfs_file {
    const char *src, *dst; /* host path, path inside the rootfs ("/echo") */
    unsigned mode;
};

/* bundle/rootfs/ with the usual directories (bin dev proc sys tmp etc) and the n files copied in
 * (busybox-static's copy failing names its package in err). */
int bench_runc_rootfs(const char *bundle, const struct bench_rootfs_file *files, int n, char *err, size_t errlen);

/*
 * Writes bundle/ (config.json + rootfs/) for a container running
 * "/echo --hello HOST:PORT" in the namespace at netns_path. err gets the reason on failure.
 */
int bench_runc_bundle(const char *bundle, const char *echo_bin, const char *netns_path,
                      const char *hello, char *err, size_t errlen);

/*
 * Writes bundle/config.json from `runc spec`: process args (a JSON array of strings; always
 * released), one extra environment entry when env is given, the read-only rootfs/ of the bundle
 * and the network namespace at netns_path. For baselines that bring their own rootfs.
 */
int bench_runc_config(const char *bundle, json_t *args, const char *env, const char *netns_path,
                      char *err, size_t errlen);

#endif
