/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The floor of the AF_XDP path for `unf bench router`: a forwarder in the bench itself, on the
 * very sockets the proc tender opens for `--net xdp:` (tender/common/xsk.c), that does only what
 * any IPv4 router must do to a frame (new Ethernet addresses, TTL down by one, the header checksum
 * patched) and nothing else: no guest, no route lookup, no ARP. Its CPU per packet is the kernel's
 * share of the path (XDP program, copies, one socket buffer per sent frame) plus the least a
 * forwarder can add, so it bounds what a router unikernel on this path could reach. It is a
 * reference row of the report, not a competitor.
 */
#ifndef BENCH_ROUTER_FLOOR_H
#define BENCH_ROUTER_FLOOR_H

#include <stdint.h>
#include <sys/types.h>

/* One side of the forwarder: the link it owns, and the Ethernet addresses that frames leaving
 * through it carry (its peer's as destination, its own as source). */
struct rfloor_side {
    const char *link;
    uint8_t dst_mac[6];
    uint8_t src_mac[6];
};

/*
 * Starts the forwarder in a child inside namespace ns, pinned to core cpu (-1: not pinned) and
 * real-time (SCHED_FIFO prio, 0: normal), forwarding a <-> b until SIGTERM. Returns the child's
 * pid once both sockets are open (the child wrote its ready byte), or -1 with err set.
 */
pid_t rfloor_start(const char *ns, const struct rfloor_side *a, const struct rfloor_side *b, int cpu, int prio,
                   char *err, size_t errlen);

#endif
