/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The benchmark's own networking, created once per benchmark and reused by every run so the
 * timed launches compare launch cost only: a persistent host tap for the unikernels, and a
 * network namespace joined to the host by a veth pair for the native process and the runc
 * container. All of it lives in 10.91.0.0/16 on links the benchmark made, and is removed at the
 * end (also after errors and ^C). Stale objects of an earlier, killed run are removed first.
 */
#ifndef BENCH_NET_H
#define BENCH_NET_H

#include <stddef.h>

#define BENCH_TAP "unfbt0"          /* host tap; the guest NIC of proc and QEMU */
#define BENCH_TAP_HOST_IP "10.91.0.1"
#define BENCH_TAP_GUEST_CIDR "10.91.0.2/24"
#define BENCH_TAP_GUEST_IP "10.91.0.2"
#define BENCH_GUEST_MAC "52:54:00:91:00:02"
#define BENCH_NETNS "unfbench"      /* the native process and the container run in here */
#define BENCH_NETNS_PATH "/var/run/netns/" BENCH_NETNS
#define BENCH_VETH "unfbv0"         /* host side of the veth; the namespace side is eth0 */
#define BENCH_VETH_HOST_IP "10.91.1.1"
#define BENCH_NS_IP "10.91.1.2"

/* Creates the tap (err gets the reason on failure). */
int bench_net_tap_up(char *err, size_t errlen);
/* Creates the namespace and the veth pair. */
int bench_net_ns_up(char *err, size_t errlen);
/* Forgets the namespace's neighbour entries, so every native/runc run resolves the host's
 * address by ARP like a freshly booted unikernel must. */
int bench_net_ns_flush_neigh(void);
/* Removes the tap, the namespace and the veth when present; returns -1 if one would not go. */
int bench_net_down(void);

#endif
