/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Arm generic interrupt controller, set up for one purpose: waking WFI (see gic.c).
 */
#ifndef VIRT_GIC_H
#define VIRT_GIC_H

#include <stdint.h>

/* Takes over the GIC the device tree names: version 2 (distributor + CPU interface) or 3
 * (distributor + the first redistributor); 0 when the version is neither. */
int gic_init(int version, uint64_t dist, uint64_t cpu_or_redist);
/* Whether gic_init() succeeded. */
int gic_present(void);
/* Forwards interrupt `intid` (a PPI or SPI) to this CPU, level-sensitive. */
void gic_enable(unsigned intid);

#endif
