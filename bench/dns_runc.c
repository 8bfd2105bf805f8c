/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OCI bundle for the dns container baseline (see bench/dns_runc.h): `runc spec` gives the
 * default config, which is edited to run /dns with UNF_FILES=/zones.tar on a read-only rootfs
 * in the benchmark's network namespace.
 */
#include "dns_runc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runc.h"
#include "sys.h"

int bench_dns_runc_bundle(const char *bundle, const char *dns_bin, const char *zones_tar,
                          const char *netns_path, char *err, size_t errlen)
{
    if (bench_mkdir_p(bundle, 0755) < 0) {
        snprintf(err, errlen, "mkdir %s: %s", bundle, strerror(errno));
        return -1;
    }
    const struct bench_rootfs_file files[] = {{dns_bin, "/dns", 0755}, {zones_tar, "/zones.tar", 0644}};
    if (bench_runc_rootfs(bundle, files, 2, err, errlen) < 0)
        return -1;
    return bench_runc_config(bundle, json_pack("[s]", "/dns"), "UNF_FILES=/zones.tar", netns_path,
                             err, errlen);
}
