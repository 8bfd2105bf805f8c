/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The modern virtio-pci transport (QEMU q35, -device virtio-*-pci,disable-legacy=on): the
 * device's registers live in BAR regions its vendor capabilities point at; interrupts are
 * MSI-X messages straight to the local APIC.
 */
#ifndef VIRTIO_VIRTIO_PCI_H
#define VIRTIO_VIRTIO_PCI_H

#include "vtdev.h"

/* Fills `out` with up to `max` modern devices of virtio type `device_id`; returns how many. */
unsigned vtpci_probe(uint32_t device_id, struct vtdev *out, unsigned max);

#endif
