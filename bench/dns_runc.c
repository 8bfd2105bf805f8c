/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * OCI bundle for the dns container baseline (see bench/dns_runc.h): `runc spec` gives the
 * default config, which is edited to run /dns --port PORT with UNF_FILES=/zones.tar on a read-only rootfs
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
                          const char *netns_path, int port, char *err, size_t errlen)
{
    if (bench_mkdir_p(bundle, 0755) < 0) {
        snprintf(err, errlen, "mkdir %s: %s", bundle, strerror(errno));
        return -1;
    }
    const struct bench_rootfs_file files[] = {{dns_bin, "/dns", 0755}, {zones_tar, "/zones.tar", 0644}};
    if (bench_runc_rootfs(bundle, files, 2, err, errlen) < 0)
        return -1;
    char port_text[16];
    snprintf(port_text, sizeof(port_text), "%d", port);
    json_t *args = json_pack("[sss]", "/dns", "--port", port_text);
    if (!args) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return bench_runc_config(bundle, args, "UNF_FILES=/zones.tar", netns_path, err, errlen);
}
