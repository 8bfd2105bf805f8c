/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Physical memory of the virtio platform: picks the largest free RAM range (RAM minus the
 * kernel, the boot structures and the modules), lets the drivers carve DMA memory off its top,
 * and hands the rest to the guest as its heap. Physical = virtual (identity mapping).
 */
#ifndef VIRTIO_PHYSMEM_H
#define VIRTIO_PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

struct physmem_range {
    uint64_t start, end; /* [start, end) */
};

/* Picks the free range; -1 when there is none. */
int physmem_init(const struct physmem_range *ram, unsigned ram_count, const struct physmem_range *used,
             unsigned used_count);
/* Zeroed, `align`-aligned (a power of two) memory that lives forever; NULL when out. */
void *physmem_alloc(size_t size, size_t align);
/* What is left: the guest's heap. */
void physmem_remaining(uintptr_t *start, size_t *size);

#endif
