/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Networking inside the engine's network namespace, the urunc way: the interface the engine
 * configured (the one holding the default route, else the first with an IPv4 address) keeps its
 * MAC but gives its IPv4 address to the guest: the address is removed from it (so the host
 * kernel does not answer in the guest's place) and restored on teardown, a tap tap0 is created,
 * and two tc ingress qdiscs with u32 match-all filters and `mirred egress redirect` actions pass
 * every frame eth0 -> tap0 and tap0 -> eth0. The guest's NIC gets the interface's MAC and
 * `unf.ip0=ADDR/PREFIX unf.gw0=GW`. All functions act on the calling process's namespace and
 * run ip and tc through runtime/cmd.h.
 */
#ifndef OCI_NET_H
#define OCI_NET_H

#include <stddef.h>

#define OCI_TAP "tap0"

struct oci_net {
    int tap;                    /* tap0 created (the guest has a NIC) */
    int mirred;                 /* qdiscs + filters between ifname and tap0 in place */
    int addr_removed;           /* addr/prefix was taken from ifname (restore on teardown) */
    int gw_removed;             /* the default route via gw went with it */
    char ifname[16];            /* the engine's interface, "" when none */
    char mac[18];               /* its MAC: the guest's */
    char addr[16];              /* IPv4, "" when none */
    int prefix;
    char gw[16];                /* "" when no default route */
    int mtu;
};

/* Sets up the guest's network in the current namespace. With no IPv4 interface: only tap0
 * (the guest's NIC has no address). Undoes its own changes on failure. */
int oci_net_wire(struct oci_net *n, char *err, size_t errlen);

/* Undoes oci_net_wire from what n records; missing parts are not an error. */
void oci_net_unwire(const struct oci_net *n);

/* Enters the network namespace at path (setns); -1 with err. */
int oci_net_enter(const char *path, char *err, size_t errlen);

#endif
