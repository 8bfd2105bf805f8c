/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small rtnetlink client (NETLINK_ROUTE) for the few link operations instance networking
 * needs: veth pairs whose peer is created directly in another network namespace, bridges,
 * masters, up, per-link IPv4 settings, addresses, routes to a link, deletion. Every request waits for the kernel's ACK; on failure
 * the call returns -errno and leaves one line in the socket's error buffer, with the kernel's
 * extended ACK message when it sent one. A socket acts on the network namespace it was opened
 * in, so a caller can hold one per namespace without ever switching its own.
 */
#ifndef RUNTIME_NETLINK_H
#define RUNTIME_NETLINK_H

#include <stddef.h>
#include <stdint.h>

struct nl_sock {
    int fd;
    uint32_t seq;
    char err[256];              /* the last failure, one line */
};

/* Opens a socket in the calling thread's network namespace; 0 or -errno. */
int nl_open(struct nl_sock *nl);
void nl_close(struct nl_sock *nl);

/* The interface index of name, or -errno (-ENODEV when there is none). */
int nl_link_index(struct nl_sock *nl, const char *name);

/*
 * Creates the veth pair name <-> peer. peer_netns_fd >= 0 creates the peer in that namespace
 * (an open /proc/.../ns/net or /var/run/netns file). master (NULL: none) is enslaved at
 * creation; up brings name up (the peer is brought up by its own nl_link_set).
 */
int nl_veth_add(struct nl_sock *nl, const char *name, const char *master, const char *peer,
                int peer_netns_fd, int up);

/* Creates a bridge; mac (NULL: kernel's choice) is fixed at creation. */
int nl_bridge_add(struct nl_sock *nl, const char *name, const uint8_t mac[6], int up);

/* Changes an existing link: master (NULL: unchanged), and up when up is set. */
int nl_link_set(struct nl_sock *nl, const char *name, const char *master, int up);

/* Adds ip/prefix (IPv4 or IPv6, without DAD) to dev; -EEXIST when it is already there. */
int nl_addr_add(struct nl_sock *nl, const char *dev, const char *ip, int prefix);

/* Sets one IPv4 setting of dev (IPV4_DEVCONF_* of linux/ip.h, e.g. PROXY_ARP), as the file
 * /proc/sys/net/ipv4/conf/DEV/... would, but in the socket's namespace rather than the caller's. */
int nl_link_inet_conf(struct nl_sock *nl, const char *dev, int conf, uint32_t value);

/* Adds the route dst/prefix (IPv4 or IPv6) straight to dev, without a gateway, in the main
 * table; -EEXIST when it is already there. Deleting dev deletes the route. */
int nl_route_add(struct nl_sock *nl, const char *dev, const char *dst, int prefix);

/* Deletes a link (a veth pair goes as a whole); -ENODEV when there is none. */
int nl_link_del(struct nl_sock *nl, const char *name);

#endif
