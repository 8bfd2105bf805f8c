/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instance networking (see net.h) done in-process: namespaces are made the way `ip netns add`
 * makes them (a bind mount of a new network namespace under /var/run/netns, which is a shared
 * mount), links over rtnetlink (netlink.h), the tap through /dev/net/tun. Only nftables stays a
 * subprocess, and only when ports are published or on the host's one-time setup: the fork/execs
 * of `ip` were most of what `unf run -d` and its teardown cost.
 */
#include "net.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/ip.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "instance.h"
#include "netlink.h"

#define NETNS_DIR "/var/run/netns"

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

const char *net_instance_ip6(const struct net_instance *ni, char *buf, size_t len)
{
    snprintf(buf, len, NET_PREFIX6 "%x", ni->offset);
    return buf;
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

static int write_file(const char *path, const char *value)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = (ssize_t)strlen(value);
    ssize_t n = write(fd, value, (size_t)len);
    return close(fd) == 0 && n == len ? 0 : -1;
}

/* Written once the host side is complete, under the state root (instance_root()); /run is a
 * tmpfs, so a reboot forgets it. Saves the nft checks on every `unf run`. The bridge is looked
 * for under /proc/sys/net, which shows the caller's network namespace, and not under
 * /sys/class/net, which shows the namespace sysfs was mounted in: a node agent entered with
 * `nsenter --net` keeps the host's /sys and would otherwise see the host's bridge. The name
 * changes when the setup changes (2: IPv6; 3: routed instance links, NAT by address), so that
 * hosts set up before redo it once. */
#define HOST_STAMP_FILE ".host-ok3"
#define BRIDGE_PROC "/proc/sys/net/ipv4/conf/" NET_BRIDGE
#define BRIDGE_PROC6 "/proc/sys/net/ipv6/conf/" NET_BRIDGE

/* IPv6 on unf0 unless the host has it off (no IPv6 in the kernel, or disabled on the bridge);
 * before unf0 exists, what it will get: the default for new links. */
int net_host_ipv6(void)
{
    char v[4] = "";
    int fd = open(BRIDGE_PROC6 "/disable_ipv6", O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT)
        fd = open("/proc/sys/net/ipv6/conf/default/disable_ipv6", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, v, sizeof(v) - 1);
    close(fd);
    return n > 0 && v[0] == '0';
}

/* unf0 with its addresses, up; whatever is already there is kept (another unf may be setting
 * it up at the same time). unf0 keeps 10.90.0.1/16 and with it the /16 route: the host's anchor
 * address, and the way to instances started before the routed layout, still its ports. A bridge
 * rather than a dummy for those: they stay on it until they stop. proxy_arp lets them reach the
 * routed instances, whose /32 routes point away from unf0. */
static int host_bridge(int *ipv6, char *err, size_t errlen)
{
    struct nl_sock nl;
    uint8_t mac[6];
    unsigned m[6];
    int rc = nl_open(&nl);
    if (rc < 0)
        goto out;
    if (sscanf(NET_BRIDGE_MAC, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6) {
        snprintf(nl.err, sizeof(nl.err), "bad bridge MAC " NET_BRIDGE_MAC);
        rc = -EINVAL;
        goto out;
    }
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)m[i];
    if (access(BRIDGE_PROC, F_OK) != 0) {
        rc = nl_bridge_add(&nl, NET_BRIDGE, mac, 1);
        if (rc < 0 && rc != -EEXIST)
            goto out;
    }
    rc = nl_addr_add(&nl, NET_BRIDGE, NET_HOST_IP, NET_PREFIX_LEN);
    if (rc < 0 && rc != -EEXIST)
        goto out;
    *ipv6 = net_host_ipv6();
    if (*ipv6) {
        rc = nl_addr_add(&nl, NET_BRIDGE, NET_HOST_IP6, NET_PREFIX6_LEN);
        if (rc < 0 && rc != -EEXIST)
            goto out;
    }
    rc = nl_link_inet_conf(&nl, NET_BRIDGE, IPV4_DEVCONF_PROXY_ARP, 1);
    if (rc == 0)
        rc = nl_link_set(&nl, NET_BRIDGE, NULL, 1);
out:
    if (rc < 0)
        snprintf(err, errlen, "%s", nl.err);
    nl_close(&nl);
    return rc < 0 ? -1 : 0;
}

/*
 * IPv6 forwarding, for the instances' traffic to leave through the ip6 masquerade. Forwarding
 * makes the kernel ignore router advertisements on interfaces with accept_ra=1, so those are
 * moved to 2 first (accept them anyway): a host that takes its address or route from RAs keeps
 * doing so. Left alone when forwarding is already on: whoever turned it on chose the rest.
 */
static int host_ipv6_forwarding(void)
{
    char v[4] = "";
    int fd = open("/proc/sys/net/ipv6/conf/all/forwarding", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, v, sizeof(v) - 1);
    close(fd);
    if (n > 0 && v[0] == '1')
        return 0;
    DIR *dir = opendir("/proc/sys/net/ipv6/conf");
    if (!dir)
        return -1;
    struct dirent *e;
    while ((e = readdir(dir))) {
        char path[300];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_ra", e->d_name);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        n = read(fd, v, sizeof(v) - 1);
        close(fd);
        if (n > 0 && v[0] == '1' && write_file(path, "2") < 0) {
            closedir(dir);
            return -1;
        }
    }
    closedir(dir);
    return write_file("/proc/sys/net/ipv6/conf/all/forwarding", "1");
}

/* Makes the nft table `family unf` hold exactly text's chains, in one transaction (declare,
 * delete, recreate): a table from an older setup is replaced, not kept. */
static int host_nft_table(const char *family, const char *text, char *err, size_t errlen)
{
    char out[1024], what[64];
    const char *nft[] = {"nft", "-f", "-", NULL};
    if (cmd_runf(nft, out, sizeof(out), "table %s unf\ndelete table %s unf\n%s", family, family, text) == 0)
        return 0;
    snprintf(what, sizeof(what), "cannot create nft table %s unf", family);
    return fail(err, errlen, what, out);
}

int net_host_setup(char *err, size_t errlen)
{
    char stamp_path[200];
    int ipv6 = 0;
    snprintf(stamp_path, sizeof(stamp_path), "%s/" HOST_STAMP_FILE, instance_root());
    if (access(stamp_path, F_OK) == 0 && access(BRIDGE_PROC, F_OK) == 0)
        return 0;
    if (host_bridge(&ipv6, err, errlen) < 0)
        return -1;
    if (write_file("/proc/sys/net/ipv4/ip_forward", "1") < 0) {
        snprintf(err, errlen, "cannot enable IPv4 forwarding");
        return -1;
    }
    if (host_nft_table("ip", "table ip unf {\n"
                       " chain postrouting {\n"
                       "  type nat hook postrouting priority srcnat; policy accept;\n"
                       "  ip saddr " NET_SUBNET " ip daddr != " NET_SUBNET " masquerade\n"
                       " }\n"
                       "}\n", err, errlen) < 0)
        return -1;
    if (ipv6) {
        if (host_ipv6_forwarding() < 0) {
            snprintf(err, errlen, "cannot enable IPv6 forwarding");
            return -1;
        }
        /* Masquerade out, and nothing from outside reaches an instance unless it asked. By
         * address, not by link: instances sit behind their own links (and old ones on unf0). */
        if (host_nft_table("ip6", "table ip6 unf {\n"
                           " chain postrouting {\n"
                           "  type nat hook postrouting priority srcnat; policy accept;\n"
                           "  ip6 saddr " NET_SUBNET6 " ip6 daddr != " NET_SUBNET6 " masquerade\n"
                           " }\n"
                           " chain forward {\n"
                           "  type filter hook forward priority filter; policy accept;\n"
                           "  ip6 daddr " NET_SUBNET6 " ip6 saddr != " NET_SUBNET6 " ct state != { established, related } drop\n"
                           " }\n"
                           "}\n", err, errlen) < 0)
            return -1;
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

/* /var/run/netns exists and is a shared mount, as `ip netns add` leaves it: a namespace
 * unmounted in one mount namespace is then unmounted in all, and can be freed. */
static int netns_dir_ready(char *err, size_t errlen)
{
    int made_mount = 0;
    if (mkdir(NETNS_DIR, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create " NETNS_DIR ": %s", strerror(errno));
        return -1;
    }
    while (mount("", NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
        /* EINVAL: not a mount point yet; make it one (a bind mount onto itself) and retry. */
        if (errno != EINVAL || made_mount ||
            mount(NETNS_DIR, NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
            snprintf(err, errlen, "cannot make " NETNS_DIR " a shared mount: %s", strerror(errno));
            return -1;
        }
        made_mount = 1;
    }
    return 0;
}

/* What the namespace thread was asked to do and what it got done, for the undo. */
struct up_job {
    const struct net_instance *ni;
    int ipv6;                   /* the host has IPv6: route the instance's address too */
    int made_ns, made_veth;
    char err[256];
};

/* The tap the guest attaches to; persistent, so it outlives this fd. Opened in the instance's
 * namespace, which is where the kernel creates it. Flags as `ip tuntap add mode tap`. */
static int tap_create(char *err, size_t errlen)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open /dev/net/tun: %s", strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", NET_TAP);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    int rc = ioctl(fd, TUNSETIFF, &ifr);
    if (rc == 0)
        rc = ioctl(fd, TUNSETPERSIST, 1L);
    if (rc < 0)
        snprintf(err, errlen, "cannot create tap " NET_TAP ": %s", strerror(errno));
    close(fd);
    return rc < 0 ? -1 : 0;
}

/* An ethtool "set" with a 0/1 value on dev, through a socket of the namespace dev is in. */
static int ethtool_set(int sock, const char *dev, uint32_t cmd, uint32_t value)
{
    struct ethtool_value ev = {.cmd = cmd, .data = value};
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
    ifr.ifr_data = (char *)&ev;
    return ioctl(sock, SIOCETHTOOL, &ifr);
}

/*
 * The packet layout's host side: the proc tender reads eth0's frames raw, so they must arrive
 * as the wire would carry them. Without tx checksum offload the host finishes every checksum
 * before the veth; without TSO/GSO it segments before it. TSO and GSO are best effort (TSO
 * already follows the checksum setting).
 */
static int veth_offload_off(int sock, const char *veth, char *err, size_t errlen)
{
    if (ethtool_set(sock, veth, ETHTOOL_STXCSUM, 0) < 0) {
        snprintf(err, errlen, "cannot turn off checksum offload on %s: %s", veth, strerror(errno));
        return -1;
    }
    (void)ethtool_set(sock, veth, ETHTOOL_STSO, 0);
    (void)ethtool_set(sock, veth, ETHTOOL_SGSO, 0);
    return 0;
}

/*
 * The host end made a router port: the gateway address, proxy ARP for the rest of the /16 (a
 * guest ARPs for its neighbours on-link; the host answers and routes), and the guest's /32 (and
 * /128) routed to it. Last, once the link is up at both ends. The addresses and routes go with
 * the link when it is deleted.
 */
static int host_end_route(struct nl_sock *nl, const struct net_instance *ni, int ipv6)
{
    char ip6[48];
    if (nl_link_inet_conf(nl, ni->veth, IPV4_DEVCONF_PROXY_ARP, 1) < 0 ||
        nl_addr_add(nl, ni->veth, NET_HOST_IP, 32) < 0 || nl_route_add(nl, ni->veth, ni->ip, 32) < 0)
        return -1;
    if (ipv6 && (nl_addr_add(nl, ni->veth, NET_HOST_IP6, 128) < 0 ||
                 nl_route_add(nl, ni->veth, net_instance_ip6(ni, ip6, sizeof(ip6)), 128) < 0))
        return -1;
    return 0;
}

/*
 * Runs on its own thread, which enters the new namespace with unshare() and exits there: the
 * caller's threads never leave theirs. Sockets keep the namespace they were opened in, so the
 * host's netlink and ioctl sockets are opened before the unshare and the instance's after.
 */
static void *up_thread(void *arg)
{
    struct up_job *job = arg;
    const struct net_instance *ni = job->ni;
    struct nl_sock host = {.fd = -1}, inner = {.fd = -1};
    int ioctl_sock = -1, ns_fd = -1, fd;
    char path[128];
    net_netns_path(ni, path, sizeof(path));
    if (nl_open(&host) < 0) {
        snprintf(job->err, sizeof(job->err), "%s", host.err);
        goto out;
    }
    if (ni->packet_link && (ioctl_sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
        snprintf(job->err, sizeof(job->err), "socket: %s", strerror(errno));
        goto out;
    }
    fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(job->err, sizeof(job->err), errno == EEXIST ? "network namespace %s already exists"
                 : "cannot create network namespace %s: %s", ni->netns, strerror(errno));
        goto out;
    }
    close(fd);
    job->made_ns = 1;
    if (unshare(CLONE_NEWNET) < 0 ||
        mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) {
        snprintf(job->err, sizeof(job->err), "cannot create network namespace %s: %s", ni->netns,
                 strerror(errno));
        goto out;
    }
    /* Before eth0 exists, so that it never sends a packet of its own (no DAD, RS or MLD). */
    if (ni->packet_link && write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1") < 0) {
        snprintf(job->err, sizeof(job->err), "cannot disable IPv6 in %s: %s", ni->netns, strerror(errno));
        goto out;
    }
    ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
    if (ns_fd < 0 || nl_open(&inner) < 0) {
        snprintf(job->err, sizeof(job->err), "cannot enter %.80s: %.160s", ni->netns,
                 ns_fd < 0 ? strerror(errno) : inner.err);
        goto out;
    }
    int rc = nl_veth_add(&host, ni->veth, NULL, "eth0", ns_fd, 1);
    if (rc == 0)
        job->made_veth = 1;
    if (rc < 0 || nl_link_set(&inner, "lo", NULL, 1) < 0) {
        snprintf(job->err, sizeof(job->err), "%s", rc < 0 ? host.err : inner.err);
        goto out;
    }
    if (ni->packet_link) {
        if (nl_link_set(&inner, "eth0", NULL, 1) < 0) {
            snprintf(job->err, sizeof(job->err), "%s", inner.err);
            goto out;
        }
        if (veth_offload_off(ioctl_sock, ni->veth, job->err, sizeof(job->err)) < 0)
            goto out;
        if (write_file("/proc/sys/net/ipv6/conf/eth0/disable_ipv6", "1") < 0) {
            snprintf(job->err, sizeof(job->err), "cannot disable IPv6 on eth0: %s", strerror(errno));
            goto out;
        }
    } else {
        if (nl_bridge_add(&inner, "br0", NULL, 1) < 0 ||
            tap_create(inner.err, sizeof(inner.err)) < 0 ||
            nl_link_set(&inner, NET_TAP, "br0", 1) < 0 || nl_link_set(&inner, "eth0", "br0", 1) < 0) {
            snprintf(job->err, sizeof(job->err), "%s", inner.err);
            goto out;
        }
    }
    if (host_end_route(&host, ni, job->ipv6) < 0) {
        snprintf(job->err, sizeof(job->err), "%s", host.err);
        goto out;
    }
    job->err[0] = '\0';
out:
    if (ns_fd >= 0)
        close(ns_fd);
    if (ioctl_sock >= 0)
        close(ioctl_sock);
    nl_close(&inner);
    nl_close(&host);
    return NULL;
}

/* The parts of teardown, each idempotent; made_ns guards against removing a namespace of the
 * same name that someone else made. */
static void down_parts(const struct net_instance *ni, int veth, int ns, int nft)
{
    char path[128];
    if (nft && ni->nports > 0) {
        const char *cmd[] = {"nft", "delete", "table", "ip", ni->netns, NULL};
        cmd_run(cmd, NULL, NULL, 0, 5000);
    }
    /* Deleting the host end takes eth0 with it, at once; the namespace's own cleanup, and with
     * it that of anything still inside, runs later in the kernel. */
    if (veth) {
        struct nl_sock nl;
        if (nl_open(&nl) == 0) {
            (void)nl_link_del(&nl, ni->veth);
            nl_close(&nl);
        }
    }
    if (ns) {
        net_netns_path(ni, path, sizeof(path));
        (void)umount2(path, MNT_DETACH);
        (void)unlink(path);
    }
}

int net_instance_up(const struct net_instance *ni, char *err, size_t errlen)
{
    struct up_job job = {.ni = ni, .err = "namespace thread did not run"};
    pthread_t thread;
    if (netns_dir_ready(err, errlen) < 0)
        return -1;
    job.ipv6 = net_host_ipv6();
    int rc = pthread_create(&thread, NULL, up_thread, &job);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start a thread: %s", strerror(rc));
        return -1;
    }
    rc = pthread_join(thread, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "cannot join a thread: %s", strerror(rc));
        return -1;
    }
    if (job.err[0]) {
        snprintf(err, errlen, "%s", job.err);
        goto undo;
    }
    if (ni->nports > 0 && ports_up(ni, err, errlen) < 0)
        goto undo;
    return 0;
undo:
    down_parts(ni, job.made_veth, job.made_ns, 1);
    return -1;
}

void net_instance_down(const struct net_instance *ni)
{
    down_parts(ni, 1, 1, 1);
}
