/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's vDSO clock_gettime for the proc guest. A system call costs microseconds on a
 * virtualised host (about 2 us here against 0.2 us for the vDSO), and a network function asks
 * the time several times per packet, so the tender looks the function up in its own vDSO and
 * hands its address over in the boot info; the guest falls back to the (allowed) system call
 * when there is none. The vDSO is mapped in every process anyway: this grants the guest nothing.
 */
#ifndef UNF_TENDER_PROC_VDSO_H
#define UNF_TENDER_PROC_VDSO_H

#include <stdint.h>

/* Address of __vdso_clock_gettime in this process, or 0 when the vDSO or the symbol is missing. */
uint64_t proc_vdso_clock_gettime(void);

#endif
