/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The identity-mapped MMU of the aarch64 virtio bindings (see mmu.c).
 */
#ifndef VIRT_MMU_H
#define VIRT_MMU_H

#include <stdint.h>

/* Maps virt's devices and RAM [1 GiB, ram_end) 1:1, W^X, and turns on the MMU and the caches. */
void mmu_enable(uint64_t ram_end);

#endif
