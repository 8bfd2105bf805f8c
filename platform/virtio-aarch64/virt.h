/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the files of the aarch64 virtio bindings share among themselves (the shared virtio code
 * sees them only through platform/virtio's console.h, clock.h and intr.h).
 */
#ifndef VIRT_VIRT_H
#define VIRT_VIRT_H

#include <stdint.h>

/* PSCI conduit from the device tree: 1 smc, 0 hvc (virt's default without EL2/EL3). */
extern int virt_psci_smc;

/* Idles in WFI with the GICv2 whose distributor and CPU interface are at these addresses
 * (clock.c); without this call intr_halt() polls. */
void virt_idle_init(uint64_t gicd, uint64_t gicc);

/* C entry, called by boot.S with the x0 QEMU passed. */
void virt_start(uint64_t x0);

#endif
