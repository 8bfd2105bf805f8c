/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * An AF_XDP NIC driven from the host side (`--net xdp:IFACE[,MAC]` of unf-hvt; the router bench's
 * xdp-floor forwarder). The socket, its frame area and rings come from xsk.c (xsk_open); unlike
 * unf-proc, whose guest drives the rings itself, the caller here copies frames in and out: a
 * received frame is copied into the caller's buffer and its frame goes straight back on the fill
 * ring; a frame to send is copied into a free send frame and put on the tx ring, one kick
 * (sendto) per batch. For hvt the guest sees the same hypercalls as for a tap or a packet socket;
 * what it saves is the host's socket buffer per frame and a system call per received frame.
 */
#ifndef UNF_TENDER_NET_XSK_H
#define UNF_TENDER_NET_XSK_H

#include <stddef.h>
#include <stdint.h>

#include "xsk.h"

#define NET_XSK_FREE_MAX 1024u /* send frames: xsk.c gives a quarter of at most 4096 ring entries */

struct iovec;

struct net_xsk {
    struct xsk_nic x;
    uint32_t mask;                            /* ring_size - 1 */
    uint32_t nfree;                           /* send frames not on the tx or completion ring */
    uint64_t free_frames[NET_XSK_FREE_MAX];
};

/* Opens "IFACE[,MAC]" (the part after "xdp:") as xsk_open does and sets up the send frames;
 * -1 (reported) on failure. */
int net_xsk_open(const char *spec, size_t guest_mem, struct net_xsk *s);

/* Copies up to count received frames into bufs[i] (frames longer than their buffer, or shorter
 * than an Ethernet header, are dropped), lens[i] their lengths; every frame taken goes back to
 * the fill ring, and the indexes are published once. Returns the number of frames delivered. */
unsigned net_xsk_recv(struct net_xsk *s, const struct iovec *bufs, unsigned count, uint64_t *lens);

/* Copies frames[0..count) into free send frames and hands them to the kernel with one kick;
 * returns how many went on the tx ring (fewer when every send frame is in flight: the rest are
 * dropped, as on a wire). Frames must be 14..frame_size bytes long (the caller checks). */
unsigned net_xsk_send(struct net_xsk *s, const struct iovec *frames, unsigned count);

/* Before the tender sleeps: kicks frames an earlier kick left on the tx ring and reclaims sent
 * ones, so nothing waits for a guest that is idle. */
void net_xsk_flush(struct net_xsk *s);

#endif
