/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * virtio-net (virtio 1.x, section 5.1) over either transport. Negotiates VERSION_1 and MAC
 * only, so every buffer starts with the 12-byte struct virtio_net_hdr (zero on transmit; 10
 * bytes on a legacy virtio-mmio device) and frames are at most 1514 bytes plus a VLAN tag. Queue 0 receives into pre-posted buffers,
 * queue 1 transmits from copies (a frame must outlive plat_net_write). Transmit completions
 * raise no interrupt and are reclaimed lazily; receive interrupts are on only while halted in
 * plat_yield(), which is the one place the CPU sleeps.
 */
#include "net.h"

#include <platform.h>
#include <string.h>

#include "clock.h"
#include "console.h"
#include "cpu.h"
#include "intr.h"
#include "pci.h"
#include "virtio_mmio.h"
#include "virtio_pci.h"
#include "vtdev.h"

#define VIRTIO_ID_NET 1
#define VIRTIO_NET_F_MAC (1ull << 5)
#define NET_HDR 12
#define NET_HDR_LEGACY 10
#define FRAME_MAX 1526 /* 1514 + VLAN tag + slack, as the device may deliver */
#define BUF_STRIDE 1544
#define RX_QUEUE 0
#define TX_QUEUE 1
#define RX_SLOTS 64
#define TX_SLOTS 64
#define MTU 1500
#define TX_WAIT_NS 20000000ull /* how long a write waits for a full ring to drain */
#define POLL_NS 1000000ull     /* wake-up period when a NIC has no interrupt */
/* Buffers handed to the device before it is told (a notify is a VM exit and, in QEMU, a wake-up
 * of the device): the rest go with the next plat_yield(), the guest's end of a loop turn, or at
 * exit. A turn that forwards a 64-frame batch costs 4 transmit notifications, not 64. */
#define KICK_BATCH 16

struct vnet {
    struct vtdev dev;
    struct virtq rx, tx;
    uint8_t mac[6];
    uint32_t hdr_len;
    int has_irq;
    uint16_t tx_free[TX_SLOTS];
    unsigned tx_free_count;
    unsigned tx_unkicked, rx_unkicked; /* published since the last notify */
};

static struct vnet nics[PLAT_NET_MAX];
static unsigned nic_count;
static int any_without_irq;

static int queue_init(struct vnet *n, uint16_t index, struct virtq *q, uint16_t want)
{
    uint16_t max = n->dev.ops->queue_max(&n->dev, index);
    uint16_t size = want;
    while (size > max)
        size >>= 1;
    if (size < 2 || virtq_alloc(q, size, BUF_STRIDE) < 0)
        return -1;
    virtq_set_interrupts(q, 0);
    return n->dev.ops->queue_setup(&n->dev, index, q);
}

/* The initialization sequence of section 3.1.1; -1 leaves the device FAILED. */
static int vnet_start(struct vnet *n)
{
    struct vtdev *d = &n->dev;
    const struct vtdev_ops *op = d->ops;
    op->set_status(d, 0);
    for (int i = 0; i < 100000 && op->status(d) != 0; i++)
        cpu_relax();
    op->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
    op->set_status(d, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
    uint64_t offered = op->features(d);
    if (!d->legacy && !(offered & VIRTIO_F_VERSION_1)) {
        console_printf("unf: %s: not a modern (VERSION_1) device\n", d->name);
        goto fail;
    }
    uint64_t wanted = (d->legacy ? 0 : VIRTIO_F_VERSION_1) | (offered & VIRTIO_NET_F_MAC);
    op->set_features(d, wanted);
    uint8_t status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
    if (!d->legacy) { /* legacy devices have no FEATURES_OK handshake */
        status |= VIRTIO_STATUS_FEATURES_OK;
        op->set_status(d, status);
        if (!(op->status(d) & VIRTIO_STATUS_FEATURES_OK)) {
            console_printf("unf: %s: features refused\n", d->name);
            goto fail;
        }
    }
    n->hdr_len = d->legacy ? NET_HDR_LEGACY : NET_HDR;
    if (queue_init(n, RX_QUEUE, &n->rx, RX_SLOTS) < 0 || queue_init(n, TX_QUEUE, &n->tx, TX_SLOTS) < 0) {
        console_printf("unf: %s: queue setup failed\n", d->name);
        goto fail;
    }
    if (wanted & VIRTIO_NET_F_MAC) {
        for (unsigned i = 0; i < 6; i++)
            n->mac[i] = op->config8(d, i);
    } else { /* locally administered, unique enough per boot */
        uint64_t r = rdtsc();
        static const uint8_t prefix[2] = {0x02, 0x00};
        memcpy(n->mac, prefix, 2);
        memcpy(n->mac + 2, &r, 4);
    }
    n->has_irq = op->irq_setup(d) == 0;
    for (uint16_t i = 0; i < n->rx.size; i++)
        virtq_post(&n->rx, i, n->hdr_len + FRAME_MAX, 1);
    virtq_publish(&n->rx);
    n->tx_free_count = 0;
    for (uint16_t i = 0; i < n->tx.size; i++)
        n->tx_free[n->tx_free_count++] = i;
    op->set_status(d, status | VIRTIO_STATUS_DRIVER_OK);
    op->notify(d, RX_QUEUE);
    return 0;
fail:
    op->set_status(d, op->status(d) | VIRTIO_STATUS_FAILED);
    return -1;
}

void vnet_probe(void)
{
    struct vtdev found[PLAT_NET_MAX];
    unsigned count = vtpci_probe(VIRTIO_ID_NET, found, PLAT_NET_MAX);
    if (count == 0 && !pci_present())
        count = vtmmio_probe(VIRTIO_ID_NET, found, PLAT_NET_MAX);
    for (unsigned i = 0; i < count; i++) {
        struct vnet *n = &nics[nic_count];
        memset(n, 0, sizeof(*n));
        n->dev = found[i];
        if (vnet_start(n) < 0)
            continue;
        if (!n->has_irq) {
            console_printf("unf: %s: no interrupt, polling every %llu us\n", n->dev.name,
                           (unsigned long long)(POLL_NS / 1000));
            any_without_irq = 1;
        }
#ifdef VIRTIO_DEBUG
        console_printf("unf: nic %u: %s irq %d mac %02x:%02x:%02x:%02x:%02x:%02x rx %u tx %u\n", nic_count,
                       n->dev.name, n->dev.irq, n->mac[0], n->mac[1], n->mac[2], n->mac[3], n->mac[4],
                       n->mac[5], n->rx.size, n->tx.size);
#endif
        nic_count++;
    }
}

enum plat_result plat_net_acquire(unsigned nic, struct plat_net_info *info)
{
    if (nic >= nic_count || !info)
        return PLAT_EINVAL;
    memcpy(info->mac, nics[nic].mac, 6);
    info->mtu = MTU;
    return PLAT_OK;
}

/* Tells the device about what was published since the last notify, when it asks to be told. */
static void kick(struct vnet *n, struct virtq *q, uint16_t queue, unsigned *unkicked)
{
    if (*unkicked == 0)
        return;
    *unkicked = 0;
    if (virtq_should_notify(q))
        n->dev.ops->notify(&n->dev, queue);
}

void vnet_flush(void)
{
    for (unsigned i = 0; i < nic_count; i++) {
        kick(&nics[i], &nics[i].tx, TX_QUEUE, &nics[i].tx_unkicked);
        kick(&nics[i], &nics[i].rx, RX_QUEUE, &nics[i].rx_unkicked);
    }
}

static void tx_reclaim(struct vnet *n)
{
    uint16_t id;
    uint32_t len;
    while (virtq_take(&n->tx, &id, &len))
        if (n->tx_free_count < TX_SLOTS)
            n->tx_free[n->tx_free_count++] = id;
}

enum plat_result plat_net_write(unsigned nic, const uint8_t *frame, size_t len)
{
    if (nic >= nic_count || !frame || len == 0 || len > FRAME_MAX)
        return PLAT_EINVAL;
    struct vnet *n = &nics[nic];
    tx_reclaim(n);
    if (n->tx_free_count == 0) { /* the device is behind: make sure it knows, give it a moment */
        kick(n, &n->tx, TX_QUEUE, &n->tx_unkicked);
        uint64_t until = plat_clock_monotonic() + TX_WAIT_NS;
        while (n->tx_free_count == 0 && plat_clock_monotonic() < until) {
            cpu_relax();
            tx_reclaim(n);
        }
        if (n->tx_free_count == 0)
            return PLAT_EUNSPEC;
    }
    uint16_t id = n->tx_free[--n->tx_free_count];
    uint8_t *buf = virtq_buf(&n->tx, id);
    memset(buf, 0, n->hdr_len);
    memcpy(buf + n->hdr_len, frame, len);
    virtq_post(&n->tx, id, (uint32_t)(n->hdr_len + len), 0);
    virtq_publish(&n->tx);
    if (++n->tx_unkicked >= KICK_BATCH)
        kick(n, &n->tx, TX_QUEUE, &n->tx_unkicked);
    return PLAT_OK;
}

enum plat_result plat_net_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    if (nic >= nic_count || !buf || !len)
        return PLAT_EINVAL;
    struct vnet *n = &nics[nic];
    uint16_t id;
    uint32_t used_len;
    if (!virtq_take(&n->rx, &id, &used_len))
        return PLAT_AGAIN;
    enum plat_result result = PLAT_OK;
    if (used_len <= n->hdr_len || used_len > n->hdr_len + FRAME_MAX || used_len - n->hdr_len > size) {
        result = PLAT_EINVAL; /* runt or too big for the caller: dropped */
    } else {
        *len = used_len - n->hdr_len;
        memcpy(buf, virtq_buf(&n->rx, id) + n->hdr_len, *len);
    }
    virtq_post(&n->rx, id, n->hdr_len + FRAME_MAX, 1);
    virtq_publish(&n->rx);
    if (++n->rx_unkicked >= KICK_BATCH)
        kick(n, &n->rx, RX_QUEUE, &n->rx_unkicked);
    return result;
}

static uint64_t ready_nics(void)
{
    uint64_t ready = 0;
    for (unsigned i = 0; i < nic_count; i++)
        if (virtq_has_used(&nics[i].rx))
            ready |= 1ull << i;
    return ready;
}

void plat_yield(plat_time_t deadline, uint64_t *ready_set)
{
    vnet_flush();
    uint64_t ready = ready_nics();
    plat_time_t now = plat_clock_monotonic();
    if (!ready && now < deadline) {
        /* Interrupts on, then look once more: a frame that arrived before the acknowledgement
         * is seen here, one after it raises a fresh interrupt that ends the halt. */
        for (unsigned i = 0; i < nic_count; i++) {
            nics[i].dev.ops->irq_ack(&nics[i].dev);
            virtq_set_interrupts(&nics[i].rx, 1);
        }
        cpu_mb();
        ready = ready_nics();
        if (!ready) {
            uint64_t sleep = deadline - now;
            if (any_without_irq && sleep > POLL_NS)
                sleep = POLL_NS;
            intr_halt(sleep);
            ready = ready_nics();
        }
        for (unsigned i = 0; i < nic_count; i++)
            virtq_set_interrupts(&nics[i].rx, 0);
    }
    if (ready_set)
        *ready_set = ready;
}
