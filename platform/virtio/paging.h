/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Page tables beyond the boot mapping: boot.S maps the first 4 GiB 1:1; device memory above
 * that (64-bit PCI BARs) is mapped 1:1 on demand, uncached, in 2 MiB pages.
 */
#ifndef VIRTIO_PAGING_H
#define VIRTIO_PAGING_H

#include <stdint.h>

/* Makes [paddr, paddr + len) accessible at the same address; -1 when out of page tables. */
int paging_map_device(uint64_t paddr, uint64_t len);

#endif
