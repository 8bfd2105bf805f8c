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

/* Idles in WFI with the GIC (version 2 or 3, its distributor and its CPU interface or first
 * redistributor) from the device tree (clock.c, gic.c); without this call intr_halt() polls. */
void virt_idle_init(int gic_version, uint64_t dist, uint64_t cpu_or_redist);

/* C entry, called by boot.S with the x0 QEMU passed. */
void virt_start(uint64_t x0);

#endif
