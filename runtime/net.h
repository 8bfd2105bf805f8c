/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instance networking, routed: per instance a network namespace unf-<name> joined to the host by
 * a veth pair whose host end (uv<offset hex>) is a plain routed link, not a bridge port. The host
 * end holds NET_HOST_IP/32 (the same on every instance's link: the guest's gateway) and answers
 * ARP for the rest of the /16 (proxy_arp), and the host routes the guest's /32 to it; so every
 * frame leaves the host's bridge and netfilter-on-bridge hooks behind (with Docker installed,
 * br_netfilter runs iptables on every bridged frame). The host bridge unf0 (NET_HOST_IP/16, and
 * fd75:6e66::1/64 when the host has IPv6) stays as the anchor of the host's addresses and of the
 * /16 route, and for instances started before the routed layout, which stay its ports until they
 * stop. Outbound NAT is nft tables "ip unf" and "ip6 unf", by address (traffic leaving the
 * subnet). Inside the namespace, the "tap" layout has a bridge br0 joining the veth's peer eth0
 * and the guest's tap. Published ports are DNAT rules in an nft table "ip unf-<name>". Teardown is idempotent and works from the name, the
 * address and the published ports alone (all in the instance's state), so a crashed instance is
 * cleaned up as thoroughly as a stopped one; deleting the veth takes its address and routes.
 *
 * The "packet" layout (packet_link set, for the proc tender's AF_PACKET rings): the namespace
 * holds only lo and eth0, up, with IPv6 off so that the namespace sends nothing of its own, and
 * the host end has checksum and segmentation offloads off so that eth0 receives whole frames
 * with complete checksums. No br0, no tap.
 */
#ifndef RUNTIME_NET_H
#define RUNTIME_NET_H

#include <stddef.h>
#include <stdint.h>

#define NET_BRIDGE "unf0"
#define NET_HOST_IP "10.90.0.1"
/* Fixed: a bridge without its own address takes the lowest MAC of its ports, so it would
 * change under the ARP caches of instances still on it as they come and go. */
#define NET_BRIDGE_MAC "02:75:6e:66:00:01"
#define NET_PREFIX_LEN 16
#define NET_SUBNET "10.90.0.0/16"
/* IPv6: a ULA /64 on unf0, NET_HOST_IP6/128 on each veth; an instance is NET_PREFIX6 + its offset in hex (fd75:6e66::2 ...). */
#define NET_PREFIX6 "fd75:6e66::"
#define NET_HOST_IP6 NET_PREFIX6 "1"
#define NET_PREFIX6_LEN 64
#define NET_SUBNET6 NET_PREFIX6 "/64"
#define NET_TAP "tap0"          /* the guest's tap, inside the instance namespace */
#define NET_MAX_PORTS 16

struct net_port {
    uint16_t host, guest;
    int udp;                    /* 0: tcp */
};

struct net_instance {
    char name[64];
    uint32_t offset;            /* 10.90.0.0 + offset is the guest's address (2..65534) */
    char netns[80];             /* unf-<name> */
    char veth[16];              /* host end, routed */
    char ip[16];
    char mac[18];
    struct net_port ports[NET_MAX_PORTS];
    int nports;
    int packet_link;            /* 1: the packet layout (see above); 0: eth0 + tap0 on br0 */
    int xdp_link;               /* with packet_link: eth0 through an AF_XDP socket (unf run --nic xdp) */
};

/* Fills names, address and MAC from name + offset (no host changes). */
void net_instance_init(struct net_instance *ni, const char *name, uint32_t offset);

/* Parses "HOST:GUEST[/udp|/tcp]"; 0 on success. */
int net_port_parse(const char *text, struct net_port *port);

/* Creates unf0, forwarding and the NAT tables when missing (idempotent). */
int net_host_setup(char *err, size_t errlen);

/* Creates the namespace, links, tap and port rules of one instance. On failure removes what it
 * created (and nothing of the same name that was there before: a name collision is an error).
 * The calling threads stay in their network namespace. */
int net_instance_up(const struct net_instance *ni, char *err, size_t errlen);

/* Removes everything net_instance_up may have created; missing parts are not an error. */
void net_instance_down(const struct net_instance *ni);

/* 1 when instances get IPv6 (the host has it on unf0, or for new links before unf0 exists). */
int net_host_ipv6(void);

/* The instance's IPv6 address without prefix (NET_PREFIX6 + offset), for the guest's
 * unf.ip6_0=ADDR/64 (NET_PREFIX6_LEN); returns buf. Reachable when the host has IPv6. */
const char *net_instance_ip6(const struct net_instance *ni, char *buf, size_t len);

/* /var/run/netns/<netns>, for setns(). */
void net_netns_path(const struct net_instance *ni, char *path, size_t len);

#endif
