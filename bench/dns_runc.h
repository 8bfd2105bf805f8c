/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The container baseline of `unf bench dns`: an OCI bundle for runc whose rootfs holds only the
 * static native dns server and the zones as a ustar archive, joined to the benchmark's network
 * namespace, so the container runs exactly the process the native row measures.
 */
#ifndef BENCH_DNS_RUNC_H
#define BENCH_DNS_RUNC_H

#include <stddef.h>

/* Writes bundle/ (config.json + rootfs/{dns,zones.tar}); the server listens on `port` (the
 * native row uses another port of the same namespace). err gets the reason on failure. */
int bench_dns_runc_bundle(const char *bundle, const char *dns_bin, const char *zones_tar,
                          const char *netns_path, int port, char *err, size_t errlen);

#endif
