/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupts of the virtio platform: the IDT (fatal exceptions, wake-up vectors), the local
 * APIC (its one-shot timer bounds every halt) and I/O APIC routing for device interrupts.
 * Interrupts are enabled only while halted, so handlers never run inside guest code.
 */
#ifndef VIRTIO_INTR_H
#define VIRTIO_INTR_H

#include <stdint.h>

/* The vector devices signal (MSI-X or I/O APIC); any vector >= 0x20 just wakes the CPU. */
#define INTR_VECTOR_DEVICE 0x30

/* IDT, legacy PIC masked, LAPIC on; starts the LAPIC counter for intr_calibrate(). */
void intr_init(void);
/* After clock_init(): measures the LAPIC timer rate against the TSC. */
void intr_calibrate(void);
/* Whether an I/O APIC has an input for `gsi`. */
int intr_has_gsi(unsigned gsi);
/* Routes I/O APIC input `gsi` (edge, active high) to INTR_VECTOR_DEVICE; -1 if there is none. */
int intr_route_gsi(unsigned gsi);
/* MSI address and data that deliver INTR_VECTOR_DEVICE to this CPU. */
void intr_msi_message(uint64_t *address, uint32_t *data);
/* Halts until any interrupt or until `timeout_ns` passed (maybe earlier). */
void intr_halt(uint64_t timeout_ns);

#endif
