/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * virtio-mmio, version 2 (modern) register interface (virtio 1.x, section 4.2.2). QEMU's
 * microvm has a row of 512-byte transports from 0xfeb00000; empty ones read DeviceID 0; QEMU
 * plugs devices in from the top slot down, so the highest slot is the first -device.
 * QEMU 7.2 still defaults to the legacy (version 1) register layout unless started with
 * -global virtio-mmio.force-legacy=false, so version 1 is driven too: 32 feature bits, no
 * FEATURES_OK, and each queue given as one page frame (GuestPageSize, QueueAlign, QueuePFN)
 * in the layout virtq_alloc() produces. The interrupt line of slot i is taken from the
 * "virtio_mmio.device=" words QEMU adds when ACPI is off (then it is GSI 5 + i); with ACPI on
 * (the default) there are none and QEMU wires slot i to GSI 24 + i when microvm has its second
 * I/O APIC (TCG, split irqchip), else to GSI 16 + i (found by experiment on QEMU 7.2).
 */
#include "virtio_mmio.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "cpu.h"
#include "intr.h"

#if defined(__aarch64__)
/* QEMU's arm virt machine: the same row of 32 transports, from 0x0a000000, slot i on SPI 16 + i
 * (which is the number irq_of() computes there, intr_has_gsi() being false). */
#define MMIO_FIRST 0x0a000000u
#else
#define MMIO_FIRST 0xfeb00000u
#endif
#define MMIO_STRIDE 0x200u
#define MMIO_SLOTS 32
#define MAGIC 0x74726976u /* "virt" */

#define R_MAGIC 0x000
#define R_VERSION 0x004
#define R_DEVICE_ID 0x008
#define R_DEVICE_FEATURES 0x010
#define R_DEVICE_FEATURES_SEL 0x014
#define R_GUEST_PAGE_SIZE 0x028 /* legacy */
#define R_DRIVER_FEATURES 0x020
#define R_DRIVER_FEATURES_SEL 0x024
#define R_QUEUE_SEL 0x030
#define R_QUEUE_NUM_MAX 0x034
#define R_QUEUE_NUM 0x038
#define R_QUEUE_ALIGN 0x03c /* legacy */
#define R_QUEUE_PFN 0x040   /* legacy */
#define R_QUEUE_READY 0x044
#define R_QUEUE_NOTIFY 0x050
#define R_INTERRUPT_STATUS 0x060
#define R_INTERRUPT_ACK 0x064
#define R_STATUS 0x070
#define R_QUEUE_DESC 0x080
#define R_QUEUE_DRIVER 0x090
#define R_QUEUE_DEVICE 0x0a0
#define R_CONFIG 0x100

#define GSI_BASE_IOAPIC2 24
#define GSI_BASE_ONE_IOAPIC 16

static struct {
    uintptr_t base;
    int irq;
} noted[MMIO_SLOTS];
static unsigned noted_count;

void vtmmio_note_cmdline(const char *spec, size_t len)
{
    char buf[64];
    if (len >= sizeof(buf) || noted_count == MMIO_SLOTS)
        return;
    memcpy(buf, spec, len);
    buf[len] = '\0';
    char *at = strchr(buf, '@'), *colon = at ? strchr(at, ':') : NULL;
    if (!at || !colon)
        return;
    *colon = '\0';
    noted[noted_count].base = (uintptr_t)strtoul(at + 1, NULL, 0);
    noted[noted_count].irq = (int)strtol(colon + 1, NULL, 10);
    noted_count++;
}

static uint32_t rd(struct vtdev *d, unsigned reg) { return mmio_read32(d->base + reg); }
static void wr(struct vtdev *d, unsigned reg, uint32_t v) { mmio_write32(d->base + reg, v); }

static uint64_t mmio_features(struct vtdev *d)
{
    if (d->legacy) {
        wr(d, R_DEVICE_FEATURES_SEL, 0);
        return rd(d, R_DEVICE_FEATURES);
    }
    wr(d, R_DEVICE_FEATURES_SEL, 1);
    uint64_t hi = rd(d, R_DEVICE_FEATURES);
    wr(d, R_DEVICE_FEATURES_SEL, 0);
    return (hi << 32) | rd(d, R_DEVICE_FEATURES);
}

static void mmio_set_features(struct vtdev *d, uint64_t f)
{
    wr(d, R_DRIVER_FEATURES_SEL, 0);
    wr(d, R_DRIVER_FEATURES, (uint32_t)f);
    if (d->legacy)
        return;
    wr(d, R_DRIVER_FEATURES_SEL, 1);
    wr(d, R_DRIVER_FEATURES, (uint32_t)(f >> 32));
}

static uint8_t mmio_status(struct vtdev *d) { return (uint8_t)rd(d, R_STATUS); }
static void mmio_set_status(struct vtdev *d, uint8_t s) { wr(d, R_STATUS, s); }
static uint8_t mmio_config8(struct vtdev *d, unsigned off) { return mmio_read8(d->base + R_CONFIG + off); }

static uint16_t mmio_queue_max(struct vtdev *d, uint16_t queue)
{
    wr(d, R_QUEUE_SEL, queue);
    if (rd(d, d->legacy ? R_QUEUE_PFN : R_QUEUE_READY))
        return 0;
    uint32_t max = rd(d, R_QUEUE_NUM_MAX);
    return max > 0xffff ? 0xffff : (uint16_t)max;
}

static void wr64(struct vtdev *d, unsigned reg, uint64_t v)
{
    wr(d, reg, (uint32_t)v);
    wr(d, reg + 4, (uint32_t)(v >> 32));
}

static int mmio_queue_setup(struct vtdev *d, uint16_t queue, const struct virtq *q)
{
    wr(d, R_QUEUE_SEL, queue);
    wr(d, R_QUEUE_NUM, q->size);
    if (d->legacy) {
        wr(d, R_QUEUE_ALIGN, VIRTQ_LEGACY_ALIGN);
        wr(d, R_QUEUE_PFN, (uint32_t)((uintptr_t)q->desc / VIRTQ_LEGACY_ALIGN));
        return rd(d, R_QUEUE_PFN) ? 0 : -1;
    }
    wr64(d, R_QUEUE_DESC, (uintptr_t)q->desc);
    wr64(d, R_QUEUE_DRIVER, (uintptr_t)q->avail);
    wr64(d, R_QUEUE_DEVICE, (uintptr_t)q->used);
    wr(d, R_QUEUE_READY, 1);
    return rd(d, R_QUEUE_READY) == 1 ? 0 : -1;
}

static void mmio_notify(struct vtdev *d, uint16_t queue) { wr(d, R_QUEUE_NOTIFY, queue); }

static void mmio_irq_ack(struct vtdev *d)
{
    uint32_t pending = rd(d, R_INTERRUPT_STATUS);
    if (pending)
        wr(d, R_INTERRUPT_ACK, pending);
}

static int mmio_irq_setup(struct vtdev *d) { return d->irq < 0 ? -1 : intr_route_gsi((unsigned)d->irq); }

static const struct vtdev_ops mmio_ops = {
    .features = mmio_features,
    .set_features = mmio_set_features,
    .status = mmio_status,
    .set_status = mmio_set_status,
    .config8 = mmio_config8,
    .queue_max = mmio_queue_max,
    .queue_setup = mmio_queue_setup,
    .notify = mmio_notify,
    .irq_ack = mmio_irq_ack,
    .irq_setup = mmio_irq_setup,
};

static int irq_of(uintptr_t base, unsigned slot)
{
    for (unsigned i = 0; i < noted_count; i++)
        if (noted[i].base == base)
            return noted[i].irq;
    return (int)(intr_has_gsi(GSI_BASE_IOAPIC2 + slot) ? GSI_BASE_IOAPIC2 + slot : GSI_BASE_ONE_IOAPIC + slot);
}

unsigned vtmmio_probe(uint32_t device_id, struct vtdev *out, unsigned max)
{
    static struct vtdev all[MMIO_SLOTS];
    unsigned found = 0;
    for (unsigned slot = 0; slot < MMIO_SLOTS; slot++) {
        uintptr_t base = MMIO_FIRST + slot * MMIO_STRIDE;
        if (mmio_read32(base + R_MAGIC) != MAGIC)
            break;
        if (mmio_read32(base + R_DEVICE_ID) != device_id)
            continue;
        uint32_t version = mmio_read32(base + R_VERSION);
        if (version != 1 && version != 2)
            continue;
        if (found == MMIO_SLOTS)
            break;
        struct vtdev *d = &all[found++];
        memset(d, 0, sizeof(*d));
        d->ops = &mmio_ops;
        d->base = base;
        d->legacy = version == 1;
        d->irq = irq_of(base, slot);
        snprintf(d->name, sizeof(d->name), "virtio-mmio@0x%lx%s", (unsigned long)base,
                 d->legacy ? " (legacy)" : "");
        if (d->legacy)
            mmio_write32(base + R_GUEST_PAGE_SIZE, VIRTQ_LEGACY_ALIGN);
    }
    unsigned n = found < max ? found : max;
    for (unsigned i = 0; i < n; i++) /* first -device first */
        out[i] = all[found - 1 - i];
    return n;
}
