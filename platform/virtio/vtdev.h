/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A virtio device as the net driver sees it, whatever the transport (virtio-mmio on microvm,
 * virtio-pci on q35): status, features, device config, queue setup, notification and interrupt
 * acknowledgement, behind a small table of operations.
 */
#ifndef VIRTIO_VTDEV_H
#define VIRTIO_VTDEV_H

#include <stdint.h>

#include "virtq.h"

#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED 128
#define VIRTIO_F_VERSION_1 (1ull << 32)

struct vtdev;

struct vtdev_ops {
    uint64_t (*features)(struct vtdev *d);
    void (*set_features)(struct vtdev *d, uint64_t features);
    uint8_t (*status)(struct vtdev *d);
    void (*set_status)(struct vtdev *d, uint8_t status);
    uint8_t (*config8)(struct vtdev *d, unsigned offset);
    uint16_t (*queue_max)(struct vtdev *d, uint16_t queue);
    int (*queue_setup)(struct vtdev *d, uint16_t queue, const struct virtq *q);
    void (*notify)(struct vtdev *d, uint16_t queue);
    /* Lets the device's interrupt line fall (a new edge follows new work). */
    void (*irq_ack)(struct vtdev *d);
    /* Routes the device's interrupts to INTR_VECTOR_DEVICE; -1 when it cannot (we then poll). */
    int (*irq_setup)(struct vtdev *d);
};

#define VTDEV_MAX_QUEUES 2

struct vtdev {
    const struct vtdev_ops *ops;
    char name[40];
    int legacy; /* virtio 0.9.5 interface (virtio-mmio version 1): no VERSION_1, 10-byte net header */
    /* virtio-mmio */
    uintptr_t base;
    int irq; /* GSI, -1 when unknown */
    /* virtio-pci (modern) */
    uint8_t bus, slot, func;
    uintptr_t common, isr, devcfg, notify;
    uint32_t notify_mult;
    uint16_t notify_off[VTDEV_MAX_QUEUES];
    uint8_t msix_cap;
    uintptr_t msix_table;
};

#endif
