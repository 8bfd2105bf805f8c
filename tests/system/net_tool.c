/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Driver for tests/system/netlink.sh: runs the runtime's instance networking (runtime/net.c)
 * on its own, without a guest, so the test can look at what it builds, including the packet
 * layout that no unf command selects yet. Also checks the rule that the caller never leaves its
 * network namespace, and exercises one rtnetlink error so its one-line message can be checked.
 *   net_tool up NAME OFFSET [--packet] [HOST:GUEST[/udp]...]
 *   net_tool down NAME OFFSET [HOST:GUEST[/udp]...]
 *   net_tool del-link NAME        (prints the error line; exit 1 when the delete failed)
 *   net_tool txcsum DEV           (prints 0 or 1: tx checksum offload of a host link)
 */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../runtime/net.h"
#include "../../runtime/netlink.h"

static int usage(void)
{
    fprintf(stderr, "usage: net_tool up|down NAME OFFSET [--packet] [PORT...] | del-link NAME | txcsum DEV\n");
    return 2;
}

/* The namespace the calling thread is in, as the inode of its nsfs file. */
static ino_t netns_ino(void)
{
    struct stat st;
    return stat("/proc/thread-self/ns/net", &st) == 0 ? st.st_ino : 0;
}

static int instance_args(int argc, char **argv, struct net_instance *ni)
{
    char *end;
    unsigned long offset = strtoul(argv[3], &end, 0);
    if (*end || offset < 2 || offset > 65534)
        return -1;
    net_instance_init(ni, argv[2], (uint32_t)offset);
    for (int i = 4; i < argc; i++) {
        if (strcmp(argv[i], "--packet") == 0)
            ni->packet_link = 1;
        else if (ni->nports == NET_MAX_PORTS || net_port_parse(argv[i], &ni->ports[ni->nports++]) < 0)
            return -1;
    }
    return 0;
}

static int txcsum(const char *dev)
{
    struct ethtool_value ev = {.cmd = ETHTOOL_GTXCSUM};
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
    ifr.ifr_data = (char *)&ev;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0 || ioctl(fd, SIOCETHTOOL, &ifr) < 0) {
        fprintf(stderr, "net_tool: ethtool %s: %s\n", dev, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    close(fd);
    printf("%u\n", ev.data);
    return 0;
}

int main(int argc, char **argv)
{
    struct net_instance ni;
    char err[256];
    if (argc == 3 && strcmp(argv[1], "del-link") == 0) {
        struct nl_sock nl;
        if (nl_open(&nl) < 0) {
            fprintf(stderr, "net_tool: %s\n", nl.err);
            return 1;
        }
        int rc = nl_link_del(&nl, argv[2]);
        if (rc < 0)
            fprintf(stderr, "net_tool: %s\n", nl.err);
        nl_close(&nl);
        return rc < 0 ? 1 : 0;
    }
    if (argc == 3 && strcmp(argv[1], "txcsum") == 0)
        return txcsum(argv[2]);
    if (argc < 4 || instance_args(argc, argv, &ni) < 0)
        return usage();
    if (strcmp(argv[1], "down") == 0) {
        net_instance_down(&ni);
        return 0;
    }
    if (strcmp(argv[1], "up") != 0)
        return usage();
    ino_t before = netns_ino();
    int rc = net_host_setup(err, sizeof(err));
    if (rc == 0)
        rc = net_instance_up(&ni, err, sizeof(err));
    if (rc < 0)
        fprintf(stderr, "net_tool: %s\n", err);
    if (netns_ino() != before) {
        fprintf(stderr, "net_tool: the caller's network namespace changed\n");
        return 3;
    }
    return rc < 0 ? 1 : 0;
}
