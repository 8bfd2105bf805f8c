/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot benchmark's tap, namespace and veth pair (see net.h), built on the shared plumbing
 * of netns.c. Created once per benchmark, outside the timed region.
 */
#include "net.h"

#include <stdio.h>
#include <sys/stat.h>

#include "netns.h"

static int link_exists(const char *name)
{
    char path[128];
    struct stat st;
    snprintf(path, sizeof(path), "/sys/class/net/%s", name);
    return stat(path, &st) == 0;
}

int bench_net_tap_up(char *err, size_t errlen)
{
    return bench_ip_batch(NULL, err, errlen,
                          "tuntap add dev " BENCH_TAP " mode tap\n"
                          "addr add " BENCH_TAP_HOST_IP "/24 dev " BENCH_TAP "\n"
                          "link set " BENCH_TAP " up\n");
}

int bench_net_ns_up(char *err, size_t errlen)
{
    if (bench_ns_add(BENCH_NETNS, err, errlen) < 0)
        return -1;
    return bench_veth_host(BENCH_VETH, BENCH_VETH_HOST_IP "/24", BENCH_NETNS, BENCH_NS_IP "/24", err, errlen);
}

int bench_net_ns_flush_neigh(void)
{
    return bench_ip_batch(BENCH_NETNS, NULL, 0, "neigh flush dev eth0\n");
}

int bench_net_down(void)
{
    int rc = 0;
    if (link_exists(BENCH_TAP) && bench_ip_batch(NULL, NULL, 0, "link del " BENCH_TAP "\n") < 0)
        rc = -1;
    /* Deleting the namespace also destroys its veth end, which takes the host end along. */
    if (bench_ns_del(BENCH_NETNS) < 0)
        rc = -1;
    if (bench_link_del(BENCH_VETH) < 0)
        rc = -1;
    return rc;
}
