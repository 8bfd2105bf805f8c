/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Clocks and idling of the aarch64 virtio bindings. Monotonic time is the generic timer's
 * virtual counter (CNTVCT_EL0) scaled by its frequency (CNTFRQ_EL0, 62.5 MHz on QEMU 7.2),
 * counted from boot; wall time is the PL031 RTC's seconds at boot (virt has one at 0x09010000)
 * plus monotonic time.
 *
 * Idling: with a GIC (gic.c) intr_halt() arms the virtual timer (CNTV_CVAL_EL0) for its deadline
 * and sleeps in WFI, which the timer's PPI 27 or a NIC's SPI (virtio-mmio slot i is SPI 16 + i,
 * the number intr_route_gsi() is given) ends; the timer is disarmed after waking. Without one
 * (an unknown GIC version) it polls: spinning on the counter and the watched devices'
 * InterruptStatus (raised when a device uses a buffer while net.c has interrupts on), which
 * keeps one host CPU busy.
 */
#include <platform.h>
#include <stdint.h>

#include "virtio/clock.h"
#include "virtio/cpu.h"
#include "virtio/intr.h"
#include "gic.h"
#include "virt.h"

#define PL031_DR 0x09010000u
#define NS_PER_S 1000000000ull
#define MMIO_FIRST 0x0a000000u
#define MMIO_STRIDE 0x200u
#define MMIO_SPI_FIRST 16
#define MMIO_SLOTS 32
#define R_INTERRUPT_STATUS 0x060

#define INTID_VTIMER 27 /* the virtual timer's PPI on virt (and in the Arm SBSA) */
#define INTID_SPI0 32
#define CNTV_CTL_ENABLE 1u

static uint64_t freq, start_ticks, wall_at_start;
static uintptr_t watched[MMIO_SLOTS];
static unsigned watched_count;

static uint64_t cntfrq(void)
{
    uint64_t v;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

void clock_init(void)
{
    freq = cntfrq();
    if (!freq)
        plat_abort("the generic timer has no frequency (CNTFRQ_EL0 is 0)");
    start_ticks = rdtsc();
    wall_at_start = (uint64_t)mmio_read32(PL031_DR) * NS_PER_S;
}

uint64_t clock_tsc_hz(void) { return freq; }

/* Split so that nothing overflows: ticks % freq < freq < 2^32 here. */
uint64_t clock_tsc_to_ns(uint64_t ticks) { return ticks / freq * NS_PER_S + ticks % freq * NS_PER_S / freq; }

plat_time_t plat_clock_monotonic(void) { return clock_tsc_to_ns(rdtsc() - start_ticks); }
plat_time_t plat_clock_wall(void) { return wall_at_start + plat_clock_monotonic(); }

/* The shared virtio_mmio.c asks this on x86 to tell its I/O APIC layouts apart; on virt slot i
 * is always SPI 16 + i, which is what it computes when the answer is no. */
int intr_has_gsi(unsigned gsi)
{
    (void)gsi;
    return 0;
}

void virt_idle_init(int gic_version, uint64_t dist, uint64_t cpu_or_redist)
{
    __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(0ull));
    if (gic_init(gic_version, dist, cpu_or_redist))
        gic_enable(INTID_VTIMER);
}

int intr_route_gsi(unsigned gsi)
{
    if (gsi < MMIO_SPI_FIRST || gsi >= MMIO_SPI_FIRST + MMIO_SLOTS || watched_count == MMIO_SLOTS)
        return -1;
    watched[watched_count++] = MMIO_FIRST + (gsi - MMIO_SPI_FIRST) * MMIO_STRIDE;
    gic_enable(INTID_SPI0 + gsi);
    return 0;
}

static int device_raised(void)
{
    for (unsigned i = 0; i < watched_count; i++)
        if (mmio_read32(watched[i] + R_INTERRUPT_STATUS))
            return 1;
    return 0;
}

void intr_halt(uint64_t timeout_ns)
{
    uint64_t now = rdtsc(), deadline = UINT64_MAX;
    if (timeout_ns / NS_PER_S < UINT64_MAX / freq) {
        uint64_t ticks = timeout_ns / NS_PER_S * freq + timeout_ns % NS_PER_S * freq / NS_PER_S;
        deadline = ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
    }
    if (gic_present()) {
        __asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
                         : : "r"(deadline), "r"((uint64_t)CNTV_CTL_ENABLE));
        while (rdtsc() < deadline && !device_raised())
            __asm__ volatile("dsb sy; wfi" : : : "memory");
        __asm__ volatile("msr cntv_ctl_el0, %0; isb" : : "r"(0ull));
        return;
    }
    while (rdtsc() < deadline && !device_raised())
        cpu_relax();
}
