/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtio-mmio transport (QEMU microvm). Devices come from the "virtio_mmio.device=" words
 * QEMU adds to the command line (they give the interrupt line) and from probing the 512-byte
 * slots at 0xfeb00000.
 */
#ifndef VIRTIO_VIRTIO_MMIO_H
#define VIRTIO_VIRTIO_MMIO_H

#include <stddef.h>

#include "vtdev.h"

/* Records one "SIZE@BASE:IRQ" description (the value of a virtio_mmio.device= word). */
void vtmmio_note_cmdline(const char *spec, size_t len);
/* Fills `out` with up to `max` modern devices of type `device_id`; returns how many. */
unsigned vtmmio_probe(uint32_t device_id, struct vtdev *out, unsigned max);

#endif
