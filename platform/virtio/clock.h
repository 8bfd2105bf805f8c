/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Clocks of the virtio platform: the TSC, calibrated once at boot, gives monotonic nanoseconds;
 * the CMOS RTC, read once at boot, anchors the wall clock.
 */
#ifndef VIRTIO_CLOCK_H
#define VIRTIO_CLOCK_H

#include <stdint.h>

/* Calibrates the TSC (a few ms at most) and reads the RTC. */
void clock_init(void);
/* TSC ticks per second, as calibrated. */
uint64_t clock_tsc_hz(void);
/* Nanoseconds the TSC ticks `ticks` represent. */
uint64_t clock_tsc_to_ns(uint64_t ticks);

#endif
