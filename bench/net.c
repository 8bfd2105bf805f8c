/*
 * Creates and removes the benchmark's tap, namespace and veth pair with iproute2. These commands
 * run outside the timed region (once per benchmark, or once per run for the neighbour flush), so
 * spawning `ip` is simpler and no slower where it matters than speaking netlink ourselves.
 */
#include "net.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

#define CMD_TIMEOUT_MS 15000

/* Runs one ip command; on failure puts "ip ARGS: OUTPUT" into err. */
static int ip_cmd(const char *const argv[], char *err, size_t errlen)
{
    char out[512];
    int rc = bench_cmd(argv, out, sizeof(out), CMD_TIMEOUT_MS);
    if (rc == 0)
        return 0;
    if (err && errlen) {
        char args[256] = "";
        for (int i = 1; argv[i]; i++) {
            size_t used = strlen(args);
            snprintf(args + used, sizeof(args) - used, "%s%s", i > 1 ? " " : "", argv[i]);
        }
        snprintf(err, errlen, "'ip %s' failed (status %d): %s", args, rc, bench_chomp(out));
    }
    return -1;
}

static int link_exists(const char *name)
{
    char path[128];
    struct stat st;
    snprintf(path, sizeof(path), "/sys/class/net/%s", name);
    return stat(path, &st) == 0;
}

int bench_net_tap_up(char *err, size_t errlen)
{
    const char *add[] = {"ip", "tuntap", "add", "dev", BENCH_TAP, "mode", "tap", NULL};
    const char *addr[] = {"ip", "addr", "add", BENCH_TAP_HOST_IP "/24", "dev", BENCH_TAP, NULL};
    const char *up[] = {"ip", "link", "set", BENCH_TAP, "up", NULL};
    if (ip_cmd(add, err, errlen) < 0 || ip_cmd(addr, err, errlen) < 0 || ip_cmd(up, err, errlen) < 0)
        return -1;
    return 0;
}

int bench_net_ns_up(char *err, size_t errlen)
{
    const char *cmds[][16] = {
        {"ip", "netns", "add", BENCH_NETNS, NULL},
        {"ip", "link", "add", BENCH_VETH, "type", "veth", "peer", "name", "eth0", "netns", BENCH_NETNS, NULL},
        {"ip", "addr", "add", BENCH_VETH_HOST_IP "/24", "dev", BENCH_VETH, NULL},
        {"ip", "link", "set", BENCH_VETH, "up", NULL},
        {"ip", "-n", BENCH_NETNS, "addr", "add", BENCH_NS_IP "/24", "dev", "eth0", NULL},
        {"ip", "-n", BENCH_NETNS, "link", "set", "eth0", "up", NULL},
        {"ip", "-n", BENCH_NETNS, "link", "set", "lo", "up", NULL},
    };
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        if (ip_cmd(cmds[i], err, errlen) < 0)
            return -1;
    }
    return 0;
}

int bench_net_ns_flush_neigh(void)
{
    const char *flush[] = {"ip", "-n", BENCH_NETNS, "neigh", "flush", "dev", "eth0", NULL};
    return ip_cmd(flush, NULL, 0);
}

int bench_net_down(void)
{
    int rc = 0;
    struct stat st;
    if (link_exists(BENCH_TAP)) {
        const char *del[] = {"ip", "link", "del", BENCH_TAP, NULL};
        if (ip_cmd(del, NULL, 0) < 0)
            rc = -1;
    }
    if (stat(BENCH_NETNS_PATH, &st) == 0) {
        /* Deleting the namespace also destroys its veth end, which takes the host end along. */
        const char *del[] = {"ip", "netns", "del", BENCH_NETNS, NULL};
        if (ip_cmd(del, NULL, 0) < 0)
            rc = -1;
    }
    /* The kernel dismantles a deleted namespace asynchronously: give the veth a moment to go. */
    for (int i = 0; i < 100 && link_exists(BENCH_VETH); i++)
        bench_sleep_ms(10);
    if (link_exists(BENCH_VETH)) {
        const char *del[] = {"ip", "link", "del", BENCH_VETH, NULL};
        if (ip_cmd(del, NULL, 0) < 0)
            rc = -1;
    }
    return rc;
}
