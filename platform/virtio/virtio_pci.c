/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * virtio-pci, modern interface only (virtio 1.x, section 4.1): PCI ID 0x1040 + device type.
 * The vendor capabilities (id 0x09) locate the common, notify, ISR and device-specific
 * configuration structures inside BARs, which the firmware (SeaBIOS) has assigned; BARs above
 * 4 GiB are mapped on demand. Queue interrupts use MSI-X table entry 0, aimed at the LAPIC.
 */
#include "virtio_pci.h"

#include <stdio.h>
#include <string.h>

#include "console.h"
#include "cpu.h"
#include "intr.h"
#include "paging.h"
#include "pci.h"

#define VENDOR_VIRTIO 0x1af4
#define DEVICE_MODERN_BASE 0x1040

#define CAP_VENDOR 0x09
#define CAP_MSIX 0x11
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR 3
#define CFG_DEVICE 4

/* struct virtio_pci_common_cfg */
#define C_DFSELECT 0x00
#define C_DF 0x04
#define C_GFSELECT 0x08
#define C_GF 0x0c
#define C_MSIX_CONFIG 0x10
#define C_STATUS 0x14
#define C_Q_SELECT 0x16
#define C_Q_SIZE 0x18
#define C_Q_MSIX 0x1a
#define C_Q_ENABLE 0x1c
#define C_Q_NOFF 0x1e
#define C_Q_DESC 0x20
#define C_Q_AVAIL 0x28
#define C_Q_USED 0x30
#define NO_VECTOR 0xffff

static uint64_t pci_features(struct vtdev *d)
{
    mmio_write32(d->common + C_DFSELECT, 1);
    uint64_t hi = mmio_read32(d->common + C_DF);
    mmio_write32(d->common + C_DFSELECT, 0);
    return (hi << 32) | mmio_read32(d->common + C_DF);
}

static void pci_set_features(struct vtdev *d, uint64_t f)
{
    mmio_write32(d->common + C_GFSELECT, 0);
    mmio_write32(d->common + C_GF, (uint32_t)f);
    mmio_write32(d->common + C_GFSELECT, 1);
    mmio_write32(d->common + C_GF, (uint32_t)(f >> 32));
}

static uint8_t pci_status(struct vtdev *d) { return mmio_read8(d->common + C_STATUS); }
static void pci_set_status(struct vtdev *d, uint8_t s) { mmio_write8(d->common + C_STATUS, s); }
static uint8_t pci_config8(struct vtdev *d, unsigned off) { return mmio_read8(d->devcfg + off); }

static uint16_t pci_queue_max(struct vtdev *d, uint16_t queue)
{
    mmio_write16(d->common + C_Q_SELECT, queue);
    return mmio_read16(d->common + C_Q_SIZE);
}

static void wr64(uintptr_t a, uint64_t v)
{
    mmio_write32(a, (uint32_t)v);
    mmio_write32(a + 4, (uint32_t)(v >> 32));
}

static int pci_queue_setup(struct vtdev *d, uint16_t queue, const struct virtq *q)
{
    if (queue >= VTDEV_MAX_QUEUES)
        return -1;
    mmio_write16(d->common + C_Q_SELECT, queue);
    mmio_write16(d->common + C_Q_SIZE, q->size);
    wr64(d->common + C_Q_DESC, (uintptr_t)q->desc);
    wr64(d->common + C_Q_AVAIL, (uintptr_t)q->avail);
    wr64(d->common + C_Q_USED, (uintptr_t)q->used);
    if (d->msix_table) { /* every queue on vector 0; the driver suppresses what it does not want */
        mmio_write16(d->common + C_Q_MSIX, 0);
        if (mmio_read16(d->common + C_Q_MSIX) != 0)
            console_printf("unf: %s: queue %u refused its MSI-X vector\n", d->name, queue);
    }
    d->notify_off[queue] = mmio_read16(d->common + C_Q_NOFF);
    mmio_write16(d->common + C_Q_ENABLE, 1);
    return 0;
}

static void pci_notify(struct vtdev *d, uint16_t queue)
{
    mmio_write16(d->notify + (uintptr_t)d->notify_off[queue] * d->notify_mult, queue);
}

static void pci_irq_ack(struct vtdev *d)
{
    if (!d->msix_table)
        (void)mmio_read8(d->isr); /* reading the ISR deasserts INTx */
}

/* MSI-X entry 0 -> our LAPIC; config changes get no vector. */
static int pci_irq_setup(struct vtdev *d)
{
    if (!d->msix_table)
        return -1;
    struct pci_fn f = {d->bus, d->slot, d->func};
    uint64_t address;
    uint32_t data;
    intr_msi_message(&address, &data);
    mmio_write32(d->msix_table + 0, (uint32_t)address);
    mmio_write32(d->msix_table + 4, (uint32_t)(address >> 32));
    mmio_write32(d->msix_table + 8, data);
    mmio_write32(d->msix_table + 12, 0); /* unmasked */
    uint16_t ctrl = pci_read16(f, d->msix_cap + 2);
    pci_write16(f, d->msix_cap + 2, (uint16_t)((ctrl | 0x8000) & ~0x4000)); /* enable, unmask */
    mmio_write16(d->common + C_MSIX_CONFIG, NO_VECTOR);
    return 0;
}

static const struct vtdev_ops pci_ops = {
    .features = pci_features,
    .set_features = pci_set_features,
    .status = pci_status,
    .set_status = pci_set_status,
    .config8 = pci_config8,
    .queue_max = pci_queue_max,
    .queue_setup = pci_queue_setup,
    .notify = pci_notify,
    .irq_ack = pci_irq_ack,
    .irq_setup = pci_irq_setup,
};

/* Address of `offset` in BAR `bar`, mapped; 0 when the BAR is unusable. */
static uintptr_t bar_region(struct pci_fn f, uint8_t bar, uint32_t offset, uint32_t length)
{
    uint64_t base = pci_bar_address(f, bar);
    if (!base || paging_map_device(base + offset, length) < 0)
        return 0;
    return (uintptr_t)(base + offset);
}

static int read_caps(struct vtdev *d, struct pci_fn f)
{
    if (!(pci_read16(f, 0x06) & 0x10))
        return -1; /* no capability list */
    unsigned ptr = pci_read8(f, 0x34) & 0xfc;
    for (int guard = 0; ptr && guard < 48; guard++, ptr = pci_read8(f, ptr + 1) & 0xfc) {
        uint8_t id = pci_read8(f, ptr);
        if (id == CAP_MSIX) {
            uint32_t table = pci_read32(f, ptr + 4);
            d->msix_cap = (uint8_t)ptr;
            d->msix_table = bar_region(f, table & 7, table & ~7u, 16);
            continue;
        }
        if (id != CAP_VENDOR)
            continue;
        uint8_t type = pci_read8(f, ptr + 3), bar = pci_read8(f, ptr + 4);
        uint32_t offset = pci_read32(f, ptr + 8), length = pci_read32(f, ptr + 12);
        uintptr_t *slot = type == CFG_COMMON ? &d->common : type == CFG_NOTIFY ? &d->notify
                        : type == CFG_ISR    ? &d->isr    : type == CFG_DEVICE ? &d->devcfg : NULL;
        if (!slot || *slot || bar > 5)
            continue; /* first capability of each type wins, as the spec asks */
        *slot = bar_region(f, bar, offset, length);
        if (type == CFG_NOTIFY)
            d->notify_mult = pci_read32(f, ptr + 16);
    }
    return d->common && d->notify && d->isr && d->devcfg ? 0 : -1;
}

unsigned vtpci_probe(uint32_t device_id, struct vtdev *out, unsigned max)
{
    struct pci_fn fns[8];
    unsigned n = pci_find(VENDOR_VIRTIO, (uint16_t)(DEVICE_MODERN_BASE + device_id), fns,
                          max < 8 ? max : 8);
    unsigned found = 0;
    for (unsigned i = 0; i < n; i++) {
        struct vtdev *d = &out[found];
        memset(d, 0, sizeof(*d));
        d->ops = &pci_ops;
        d->irq = -1;
        d->bus = fns[i].bus;
        d->slot = fns[i].slot;
        d->func = fns[i].func;
        snprintf(d->name, sizeof(d->name), "virtio-pci %02x:%02x.%x", d->bus, d->slot, d->func);
        /* memory space and bus mastering (DMA) on */
        pci_write16(fns[i], 0x04, (uint16_t)(pci_read16(fns[i], 0x04) | 0x6));
        if (read_caps(d, fns[i]) < 0) {
            console_printf("unf: %s: virtio capabilities missing or BARs unassigned\n", d->name);
            continue;
        }
        found++;
    }
    return found;
}
