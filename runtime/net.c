/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instance networking with iproute2 and nftables (see net.h). Each step is one `ip -batch` or
 * `nft -f` invocation so that an instance costs a handful of fork/execs, not dozens.
 */
#include "net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "instance.h"

void net_instance_init(struct net_instance *ni, const char *name, uint32_t offset)
{
    memset(ni, 0, sizeof(*ni));
    snprintf(ni->name, sizeof(ni->name), "%s", name);
    ni->offset = offset;
    snprintf(ni->netns, sizeof(ni->netns), "unf-%s", name);
    snprintf(ni->veth, sizeof(ni->veth), "uv%04x", offset);
    snprintf(ni->ip, sizeof(ni->ip), "10.90.%u.%u", (offset >> 8) & 0xff, offset & 0xff);
    snprintf(ni->mac, sizeof(ni->mac), "52:54:00:5a:%02x:%02x", (offset >> 8) & 0xff, offset & 0xff);
}

void net_netns_path(const struct net_instance *ni, char *path, size_t len)
{
    snprintf(path, len, "/var/run/netns/%s", ni->netns);
}

static int parse_u16(const char *s, size_t len, uint16_t *out)
{
    unsigned long v = 0;
    if (len == 0 || len > 5)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v < 1 || v > 65535)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

int net_port_parse(const char *text, struct net_port *port)
{
    const char *colon = strchr(text, ':');
    const char *slash = strchr(text, '/');
    if (!colon || (slash && slash < colon))
        return -1;
    const char *guest = colon + 1;
    size_t guest_len = slash ? (size_t)(slash - guest) : strlen(guest);
    if (parse_u16(text, (size_t)(colon - text), &port->host) < 0 ||
        parse_u16(guest, guest_len, &port->guest) < 0)
        return -1;
    port->udp = 0;
    if (slash) {
        if (strcmp(slash, "/udp") == 0)
            port->udp = 1;
        else if (strcmp(slash, "/tcp") != 0)
            return -1;
    }
    return 0;
}

static int fail(char *err, size_t errlen, const char *what, char *out)
{
    snprintf(err, errlen, "%s: %s", what, out && *out ? cmd_first_line(out) : "failed");
    return -1;
}

static int write_sysctl(const char *path, const char *value)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(value, f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Written once the host side is complete, under the state root (instance_root()); /run is a
 * tmpfs, so a reboot forgets it. Saves two tool runs (about 10 ms) on every `unf run`. The
 * bridge is looked for under /proc/sys/net, which shows the caller's network namespace, and not
 * under /sys/class/net, which shows the namespace sysfs was mounted in: a node agent entered
 * with `nsenter --net` keeps the host's /sys and would otherwise see the host's bridge. */
#define HOST_STAMP_FILE ".host-ok"
#define BRIDGE_PROC "/proc/sys/net/ipv4/conf/" NET_BRIDGE

int net_host_setup(char *err, size_t errlen)
{
    char out[1024], stamp_path[200];
    snprintf(stamp_path, sizeof(stamp_path), "%s/" HOST_STAMP_FILE, instance_root());
    if (access(stamp_path, F_OK) == 0 && access(BRIDGE_PROC, F_OK) == 0)
        return 0;
    const char *show[] = {"ip", "link", "show", NET_BRIDGE, NULL};
    if (access(BRIDGE_PROC, F_OK) != 0) {
        const char *batch[] = {"ip", "-batch", "-", NULL};
        if (cmd_runf(batch, out, sizeof(out),
                     "link add " NET_BRIDGE " address " NET_BRIDGE_MAC " type bridge\n"
                     "addr add " NET_HOST_IP "/%d dev " NET_BRIDGE "\n"
                     "link set " NET_BRIDGE " up\n", NET_PREFIX_LEN) != 0 &&
            cmd_run(show, NULL, NULL, 0, 5000) != 0) /* another unf may have won the race */
            return fail(err, errlen, "cannot create bridge " NET_BRIDGE, out);
    }
    if (write_sysctl("/proc/sys/net/ipv4/ip_forward", "1") < 0) {
        snprintf(err, errlen, "cannot enable IPv4 forwarding");
        return -1;
    }
    const char *list[] = {"nft", "list", "table", "ip", "unf", NULL};
    if (cmd_run(list, NULL, NULL, 0, 5000) != 0) {
        const char *nft[] = {"nft", "-f", "-", NULL};
        if (cmd_runf(nft, out, sizeof(out),
                     "table ip unf {\n"
                     " chain postrouting {\n"
                     "  type nat hook postrouting priority srcnat; policy accept;\n"
                     "  ip saddr 10.90.0.0/%d oifname != \"" NET_BRIDGE "\" masquerade\n"
                     " }\n"
                     "}\n", NET_PREFIX_LEN) != 0)
            return fail(err, errlen, "cannot create nft table ip unf", out);
    }
    FILE *stamp = fopen(stamp_path, "w");
    if (stamp)
        fclose(stamp);
    return 0;
}

static int ports_up(const struct net_instance *ni, char *err, size_t errlen)
{
    char rules[NET_MAX_PORTS * 128] = "", out[1024];
    size_t used = 0;
    for (int i = 0; i < ni->nports; i++) {
        const struct net_port *p = &ni->ports[i];
        int n = snprintf(rules + used, sizeof(rules) - used,
                         "  %s dport %u fib daddr type local dnat to %s:%u\n",
                         p->udp ? "udp" : "tcp", p->host, ni->ip, p->guest);
        if (n < 0 || (size_t)n >= sizeof(rules) - used)
            return fail(err, errlen, "too many published ports", NULL);
        used += (size_t)n;
    }
    const char *nft[] = {"nft", "-f", "-", NULL};
    if (cmd_runf(nft, out, sizeof(out),
                 "table ip %s {\n"
                 " chain prerouting {\n  type nat hook prerouting priority -100; policy accept;\n%s }\n"
                 " chain output {\n  type nat hook output priority -100; policy accept;\n%s }\n"
                 "}\n", ni->netns, rules, rules) != 0)
        return fail(err, errlen, "cannot publish ports", out);
    return 0;
}

int net_instance_up(const struct net_instance *ni, char *err, size_t errlen)
{
    char out[1024];
    const char *add[] = {"ip", "netns", "add", ni->netns, NULL};
    if (cmd_run(add, NULL, out, sizeof(out), 5000) != 0)
        return fail(err, errlen, "cannot create network namespace", out);
    const char *host[] = {"ip", "-batch", "-", NULL};
    if (cmd_runf(host, out, sizeof(out),
                 "link add %s type veth peer name eth0 netns %s\n"
                 "link set %s master " NET_BRIDGE " up\n",
                 ni->veth, ni->netns, ni->veth) != 0) {
        fail(err, errlen, "cannot create veth pair", out);
        goto undo;
    }
    const char *inner[] = {"ip", "-n", ni->netns, "-batch", "-", NULL};
    if (cmd_runf(inner, out, sizeof(out),
                 "link set lo up\n"
                 "link add br0 type bridge\n"
                 "tuntap add dev " NET_TAP " mode tap\n"
                 "link set eth0 master br0\n"
                 "link set " NET_TAP " master br0\n"
                 "link set eth0 up\n"
                 "link set " NET_TAP " up\n"
                 "link set br0 up\n") != 0) {
        fail(err, errlen, "cannot set up the instance's links", out);
        goto undo;
    }
    if (ni->nports > 0 && ports_up(ni, err, errlen) < 0)
        goto undo;
    return 0;
undo:
    net_instance_down(ni);
    return -1;
}

void net_instance_down(const struct net_instance *ni)
{
    const char *nft[] = {"nft", "delete", "table", "ip", ni->netns, NULL};
    const char *del_ns[] = {"ip", "netns", "del", ni->netns, NULL};
    const char *del_veth[] = {"ip", "link", "del", ni->veth, NULL};
    char path[128];
    net_netns_path(ni, path, sizeof(path));
    cmd_run(nft, NULL, NULL, 0, 5000);
    if (access(path, F_OK) == 0)
        cmd_run(del_ns, NULL, NULL, 0, 5000);
    /* Deleting the namespace destroys the veth peer and with it the pair; this catches a
     * half-created pair whose peer never reached the namespace. */
    char sys[96];
    snprintf(sys, sizeof(sys), "/proc/sys/net/ipv4/conf/%s", ni->veth); /* this netns (see above) */
    if (access(sys, F_OK) == 0)
        cmd_run(del_veth, NULL, NULL, 0, 5000);
}
