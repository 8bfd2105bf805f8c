/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host-side AF_XDP NICs (see net_xsk.h). The rings are single-producer single-consumer:
 * the kernel produces rx and completion entries and the tender consumes them, the other way round
 * for fill and tx. Only the tender writes its own index of a ring, so it reads that back with a
 * plain load; the other side's index is read with an acquire load before the entries it covers,
 * and the tender's is published with a release store after the entries it wrote. Two pools of
 * frames never mix: receive frames (the first ring_size, fill -> rx -> fill, so the fill ring
 * cannot overflow) and send frames (the rest, free stack -> tx -> completion -> free stack, fewer
 * than ring_size, so neither the tx nor the completion ring can).
 */
#include "net_xsk.h"

#include <errno.h>
#include <linux/if_xdp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#define KICKS_MAX 8 /* copy mode sends at most 32 frames per sendto: 8 kicks cover a 64-frame batch */
#define ETH_HLEN_ 14u

int net_xsk_open(const char *spec, size_t guest_mem, struct net_xsk *s)
{
    if (xsk_open(spec, guest_mem, &s->x) < 0)
        return -1;
    s->mask = s->x.ring_size - 1;
    s->nfree = 0;
    for (uint32_t i = s->x.ring_size; i < s->x.frame_count && s->nfree < NET_XSK_FREE_MAX; i++)
        s->free_frames[s->nfree++] = (uint64_t)i * s->x.frame_size;
    return 0;
}

static uint64_t frame_base(const struct net_xsk *s, uint64_t addr)
{
    return addr & ~(uint64_t)(s->x.frame_size - 1);
}

unsigned net_xsk_recv(struct net_xsk *s, const struct iovec *bufs, unsigned count, uint64_t *lens)
{
    uint32_t cons = *s->x.rx.consumer, prod = __atomic_load_n(s->x.rx.producer, __ATOMIC_ACQUIRE);
    if (cons == prod)
        return 0;
    uint32_t fill_prod = *s->x.fill.producer;
    const struct xdp_desc *rx = s->x.rx.desc;
    uint64_t *fill = s->x.fill.desc;
    unsigned got = 0;
    for (; cons != prod && got < count; cons++) {
        struct xdp_desc d = rx[cons & s->mask];
        if (d.len >= ETH_HLEN_ && d.len <= bufs[got].iov_len && d.addr < s->x.umem_size &&
            d.len <= s->x.umem_size - d.addr) {
            memcpy(bufs[got].iov_base, s->x.umem + d.addr, d.len);
            lens[got++] = d.len;
        }
        /* else dropped, as a NIC drops what exceeds its MTU; either way the frame goes back */
        fill[fill_prod++ & s->mask] = frame_base(s, d.addr);
    }
    __atomic_store_n(s->x.fill.producer, fill_prod, __ATOMIC_RELEASE);
    __atomic_store_n(s->x.rx.consumer, cons, __ATOMIC_RELEASE);
    return got;
}

/* Frames whose completion came back return to the free stack. */
static void reclaim(struct net_xsk *s)
{
    uint32_t cons = *s->x.comp.consumer, prod = __atomic_load_n(s->x.comp.producer, __ATOMIC_ACQUIRE);
    if (cons == prod)
        return;
    const uint64_t *comp = s->x.comp.desc;
    for (; cons != prod && s->nfree < NET_XSK_FREE_MAX; cons++)
        s->free_frames[s->nfree++] = frame_base(s, comp[cons & s->mask]);
    __atomic_store_n(s->x.comp.consumer, cons, __ATOMIC_RELEASE);
}

/* Has the kernel send what waits on the tx ring. A zero-copy driver clears NEED_WAKEUP while it
 * sends on its own; copy mode needs a sendto per 32 frames, so this repeats while the ring has
 * not drained, bounded: what is left goes with the next kick (net_xsk_flush before a sleep). */
static void kick(struct net_xsk *s)
{
    uint32_t prod = *s->x.tx.producer;
    for (int i = 0; i < KICKS_MAX; i++) {
        if (__atomic_load_n(s->x.tx.consumer, __ATOMIC_ACQUIRE) == prod ||
            !(__atomic_load_n(s->x.tx.flags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP))
            return;
        if (sendto(s->x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN && errno != EBUSY &&
            errno != EINTR && errno != ENOBUFS)
            return; /* the link is down: the frames wait on the ring */
    }
}

unsigned net_xsk_send(struct net_xsk *s, const struct iovec *frames, unsigned count)
{
    if (s->nfree < count)
        reclaim(s);
    uint32_t prod = *s->x.tx.producer;
    struct xdp_desc *tx = s->x.tx.desc;
    unsigned sent = 0;
    for (; sent < count; sent++) {
        if (s->nfree == 0) { /* every send frame in flight: send what is queued, take back what went */
            __atomic_store_n(s->x.tx.producer, prod, __ATOMIC_RELEASE);
            kick(s);
            reclaim(s);
            if (s->nfree == 0)
                break;
        }
        uint64_t addr = s->free_frames[--s->nfree];
        memcpy(s->x.umem + addr, frames[sent].iov_base, frames[sent].iov_len);
        tx[prod++ & s->mask] = (struct xdp_desc){.addr = addr, .len = (uint32_t)frames[sent].iov_len};
    }
    if (sent > 0) {
        __atomic_store_n(s->x.tx.producer, prod, __ATOMIC_RELEASE);
        kick(s);
    }
    return sent;
}

void net_xsk_flush(struct net_xsk *s)
{
    kick(s);
    reclaim(s);
}
