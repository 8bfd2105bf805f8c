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

static int make_rootfs(const char *bundle, const char *dns_bin, const char *zones_tar, char *err, size_t errlen)
{
    static const char *const dirs[] = {"dev", "proc", "sys", "tmp"};
    char path[4096];
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/rootfs/%s", bundle, dirs[i]);
        if (bench_mkdir_p(path, 0755) < 0) {
            snprintf(err, errlen, "mkdir %s: %s", path, strerror(errno));
            return -1;
        }
    }
    snprintf(path, sizeof(path), "%s/rootfs/dns", bundle);
    if (bench_copy_file(dns_bin, path, 0755) < 0) {
        snprintf(err, errlen, "copy %s: %s", dns_bin, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/rootfs/zones.tar", bundle);
    if (bench_copy_file(zones_tar, path, 0644) < 0) {
        snprintf(err, errlen, "copy %s: %s", zones_tar, strerror(errno));
        return -1;
    }
    return 0;
}

int bench_dns_runc_bundle(const char *bundle, const char *dns_bin, const char *zones_tar,
                          const char *netns_path, char *err, size_t errlen)
{
    if (bench_mkdir_p(bundle, 0755) < 0) {
        snprintf(err, errlen, "mkdir %s: %s", bundle, strerror(errno));
        return -1;
    }
    if (make_rootfs(bundle, dns_bin, zones_tar, err, errlen) < 0)
        return -1;
    return bench_runc_config(bundle, json_pack("[s]", "/dns"), "UNF_FILES=/zones.tar", netns_path,
                             err, errlen);
}
