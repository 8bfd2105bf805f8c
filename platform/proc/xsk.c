/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AF_XDP NICs of the proc bindings (see xsk.h). The rings are single-producer single-consumer:
 * for rx and completion the kernel produces and the guest consumes, for fill and tx the other way
 * round; an index is published with a release store after the entries it covers are written, and
 * read with an acquire load before the entries are. Frames circulate between two pools that
 * never mix: the receive frames (fill -> rx -> fill, ring_size of them, so the fill ring never
 * overflows) and the send frames (free stack -> tx -> completion -> free stack, at most ring_size
 * of them, so neither the tx nor the completion ring does). In copy mode the
 * kernel sends at most a few dozen frames per kick, so a flush kicks until the tx ring is drained
 * or the kernel stops taking frames (the rest go with the next flush).
 */
#include "xsk.h"

#include "ring.h" /* proc_syscall4 */

#define MSG_DONTWAIT_    0x40
#define EAGAIN_          11
#define EINTR_           4
#define NEED_WAKEUP      1u
#define TX_BATCH         32u
#define KICKS_MAX        8
#define FRAMES_MAX       4096u

/* struct xdp_desc of <linux/if_xdp.h>, repeated: the guest is built without the host's headers. */
struct xdesc {
    uint64_t addr;
    uint32_t len;
    uint32_t options;
};

struct ring {
    uint32_t *producer, *consumer, *flags;
    void *desc;
};

struct xsk_nic {
    int fd;
    uint8_t *umem;
    uint64_t umem_size;
    uint32_t frame_size, mask;
    struct ring fill, comp, rx, tx;
    uint32_t fill_prod, rx_cons, comp_cons, tx_prod; /* the guest's own indexes, published on change */
    uint32_t tx_pending;                            /* on the tx ring, not yet kicked */
    uint32_t free_count;
    uint64_t free_frames[FRAMES_MAX];
};

static struct xsk_nic nics[PLAT_NET_MAX];
static uint64_t attached; /* bit per AF_XDP NIC */

static void ring_take(struct ring *r, const struct proc_boot_xsk_ring *b)
{
    r->producer = (uint32_t *)(uintptr_t)b->producer;
    r->consumer = (uint32_t *)(uintptr_t)b->consumer;
    r->flags = (uint32_t *)(uintptr_t)b->flags;
    r->desc = (void *)(uintptr_t)b->desc;
}

bool xsk_attach(unsigned nic, int fd, const struct proc_boot_xsk *x)
{
    if (nic >= PLAT_NET_MAX || !x->umem)
        return false;
    uint32_t n = x->ring_size;
    if (n == 0 || (n & (n - 1)) || x->frame_size < 2048 || (x->frame_size & (x->frame_size - 1)) ||
        x->frame_count <= n || x->frame_count - n > n || x->frame_count - n > FRAMES_MAX || !x->fill.desc || !x->comp.desc ||
        !x->rx.desc || !x->tx.desc)
        plat_abort("bad AF_XDP socket in the boot info");
    struct xsk_nic *s = &nics[nic];
    s->fd = fd;
    s->umem = (uint8_t *)(uintptr_t)x->umem;
    s->umem_size = (uint64_t)x->frame_count * x->frame_size;
    s->frame_size = x->frame_size;
    s->mask = n - 1;
    ring_take(&s->fill, &x->fill);
    ring_take(&s->comp, &x->comp);
    ring_take(&s->rx, &x->rx);
    ring_take(&s->tx, &x->tx);
    s->fill_prod = __atomic_load_n(s->fill.producer, __ATOMIC_ACQUIRE); /* the tender filled it */
    s->rx_cons = __atomic_load_n(s->rx.consumer, __ATOMIC_ACQUIRE);
    s->comp_cons = __atomic_load_n(s->comp.consumer, __ATOMIC_ACQUIRE);
    s->tx_prod = __atomic_load_n(s->tx.producer, __ATOMIC_ACQUIRE);
    s->free_count = 0;
    for (uint32_t i = n; i < x->frame_count; i++)
        s->free_frames[s->free_count++] = (uint64_t)i * x->frame_size;
    attached |= 1ULL << nic;
    return true;
}

bool xsk_attached(unsigned nic) { return nic < PLAT_NET_MAX && (attached & (1ULL << nic)); }

enum plat_result xsk_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    struct xsk_nic *s = &nics[nic];
    uint32_t prod = __atomic_load_n(s->rx.producer, __ATOMIC_ACQUIRE);
    const struct xdesc *rx = s->rx.desc;
    uint64_t *fill = s->fill.desc;
    while (s->rx_cons != prod) {
        struct xdesc d = rx[s->rx_cons & s->mask];
        s->rx_cons++;
        int fits = d.len >= 14 && d.len <= size && d.addr < s->umem_size && d.len <= s->umem_size - d.addr;
        if (fits)
            __builtin_memcpy(buf, s->umem + d.addr, d.len);
        /* the frame goes back to the kernel at once: receive frames are never held */
        fill[s->fill_prod & s->mask] = d.addr & ~(uint64_t)(s->frame_size - 1);
        s->fill_prod++;
        __atomic_store_n(s->fill.producer, s->fill_prod, __ATOMIC_RELEASE);
        __atomic_store_n(s->rx.consumer, s->rx_cons, __ATOMIC_RELEASE);
        if (fits) {
            *len = d.len;
            return PLAT_OK;
        }
        /* dropped, as a NIC drops what exceeds its MTU */
    }
    return PLAT_AGAIN;
}

/* Frames the kernel has sent come back to the free stack. */
static void reclaim(struct xsk_nic *s)
{
    uint32_t prod = __atomic_load_n(s->comp.producer, __ATOMIC_ACQUIRE);
    const uint64_t *comp = s->comp.desc;
    if (s->comp_cons == prod)
        return;
    while (s->comp_cons != prod && s->free_count < FRAMES_MAX)
        s->free_frames[s->free_count++] = comp[s->comp_cons++ & s->mask] & ~(uint64_t)(s->frame_size - 1);
    __atomic_store_n(s->comp.consumer, s->comp_cons, __ATOMIC_RELEASE);
}

static void kick(struct xsk_nic *s)
{
    __atomic_store_n(s->tx.producer, s->tx_prod, __ATOMIC_RELEASE);
    s->tx_pending = 0;
    for (int i = 0; i < KICKS_MAX; i++) {
        if (!(__atomic_load_n(s->tx.flags, __ATOMIC_ACQUIRE) & NEED_WAKEUP))
            return; /* a zero-copy driver sends on its own */
        long rc = proc_syscall4(PROC_SYS_SENDTO, s->fd, 0, 0, MSG_DONTWAIT_);
        if (__atomic_load_n(s->tx.consumer, __ATOMIC_ACQUIRE) == s->tx_prod)
            return;
        if (rc < 0 && rc != -EAGAIN_ /* more to send */ && rc != -EINTR_)
            return; /* the link is down or its queue full: frames wait for the next kick */
    }
}

enum plat_result xsk_write(unsigned nic, const uint8_t *frame, size_t len)
{
    struct xsk_nic *s = &nics[nic];
    if (len > s->frame_size || len < 14)
        return PLAT_EINVAL;
    if (s->free_count == 0)
        reclaim(s);
    if (s->free_count == 0) {
        if (s->tx_pending)
            kick(s);
        reclaim(s);
        if (s->free_count == 0)
            return PLAT_AGAIN; /* every send frame is in flight: dropped, as on a wire */
    }
    uint64_t addr = s->free_frames[--s->free_count];
    __builtin_memcpy(s->umem + addr, frame, len);
    struct xdesc *tx = s->tx.desc;
    tx[s->tx_prod & s->mask] = (struct xdesc){.addr = addr, .len = (uint32_t)len};
    s->tx_prod++;
    if (++s->tx_pending >= TX_BATCH)
        kick(s);
    return PLAT_OK;
}

void xsk_flush_all(void)
{
    for (unsigned i = 0; i < PLAT_NET_MAX; i++)
        if (attached & (1ULL << i)) {
            struct xsk_nic *s = &nics[i];
            /* also frames an earlier kick left on the ring (the link's queue was full) */
            if (s->tx_pending || __atomic_load_n(s->tx.consumer, __ATOMIC_ACQUIRE) != s->tx_prod)
                kick(s);
            reclaim(s);
        }
}

uint64_t xsk_ready_set(void)
{
    uint64_t ready = 0;
    for (unsigned i = 0; i < PLAT_NET_MAX; i++)
        if ((attached & (1ULL << i)) && __atomic_load_n(nics[i].rx.producer, __ATOMIC_ACQUIRE) != nics[i].rx_cons)
            ready |= 1ULL << i;
    return ready;
}
