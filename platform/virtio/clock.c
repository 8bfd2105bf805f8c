/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Monotonic and wall clocks. The TSC runs at a constant rate under QEMU (TCG derives it from the
 * host's TSC, KVM from the host's invariant TSC), so monotonic time is the TSC since boot scaled
 * by a 32.32 fixed-point factor. Its rate comes from the hypervisor's timing leaf when offered
 * (KVM), else from counting the 1.193182 MHz PIT against it for ~3 ms (channel 0 read back
 * through the latch command: it needs no gate, so it works on q35 and on microvm alike), else
 * from CPUID leaf 0x16. The wall clock is the CMOS RTC (whole seconds) read once, plus
 * monotonic time since.
 */
#include "clock.h"

#include <platform.h>

#include "console.h"
#include "cpu.h"

#define PIT_HZ 1193182u
#define PIT_CALIBRATE_TICKS 3580u         /* 3 ms */
#define PIT_STUCK_TSC (1ull << 26)        /* no PIT progress for this many TSC ticks: no PIT */
#define NS_PER_SEC 1000000000ull
#define FALLBACK_HZ 1000000000ull

static uint64_t tsc_boot;
static uint64_t tsc_hz;
static uint64_t ns_mult; /* ns per tick, 32.32 fixed point */
static uint64_t wall_at_boot_ns;

static uint16_t pit_read(void)
{
    outb(0x43, 0x00); /* latch channel 0 */
    uint8_t lo = inb(0x40);
    uint8_t hi = inb(0x40);
    return (uint16_t)(lo | (hi << 8));
}

/* TSC ticks per second measured against the PIT; 0 when there is no working PIT. */
static uint64_t calibrate_pit(void)
{
    outb(0x43, 0x30); /* channel 0, lo/hi byte, mode 0, binary */
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    uint16_t start = pit_read();
    uint64_t t0 = rdtsc(), t1 = t0, last_move = t0;
    uint16_t prev = start, now = start;
    for (;;) {
        now = pit_read();
        t1 = rdtsc();
        if (now != prev) {
            prev = now;
            last_move = t1;
        } else if (t1 - last_move > PIT_STUCK_TSC) {
            return 0;
        }
        if ((uint16_t)(start - now) >= PIT_CALIBRATE_TICKS)
            break;
    }
    uint64_t pit_ticks = (uint16_t)(start - now);
    return (t1 - t0) * PIT_HZ / pit_ticks;
}

static uint64_t hypervisor_tsc_hz(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & (1u << 31))) /* no hypervisor */
        return 0;
    cpuid(0x40000000, 0, r);
    if (r[0] < 0x40000010 || r[0] > 0x400000ff)
        return 0;
    cpuid(0x40000010, 0, r);
    return (uint64_t)r[0] * 1000; /* kHz */
}

static uint64_t cpuid_base_hz(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    if (r[0] < 0x16)
        return 0;
    cpuid(0x16, 0, r);
    return (uint64_t)(r[0] & 0xffff) * 1000000; /* MHz */
}

static unsigned cmos_read(unsigned reg)
{
    outb(0x70, (uint8_t)(0x80 | reg)); /* bit 7 keeps NMIs disabled */
    return inb(0x71);
}

static unsigned bcd(unsigned v, int binary) { return binary ? v : (v & 0x0f) + (v >> 4) * 10; }

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* Seconds since the epoch from the RTC; 0 when it reads as garbage (no RTC). */
static uint64_t rtc_read_unix(void)
{
    unsigned v[7], w[7];
    for (int attempt = 0; attempt < 5; attempt++) {
        for (int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++) /* update in progress */
            cpu_relax();
        static const unsigned regs[7] = {0x00, 0x02, 0x04, 0x07, 0x08, 0x09, 0x32};
        for (int i = 0; i < 7; i++)
            v[i] = cmos_read(regs[i]);
        for (int i = 0; i < 7; i++)
            w[i] = cmos_read(regs[i]);
        int same = 1;
        for (int i = 0; i < 7; i++)
            same &= v[i] == w[i];
        if (same)
            break;
    }
    unsigned b = cmos_read(0x0b);
    int binary = (b & 0x04) != 0;
    unsigned hour = bcd(v[2] & 0x7f, binary);
    if (!(b & 0x02) && (v[2] & 0x80)) /* 12-hour clock, PM */
        hour = (hour % 12) + 12;
    unsigned sec = bcd(v[0], binary), min = bcd(v[1], binary), day = bcd(v[3], binary);
    unsigned mon = bcd(v[4], binary), year = bcd(v[5], binary), century = bcd(v[6], binary);
    if (century < 19 || century > 30)
        century = 20;
    if (sec > 59 || min > 59 || hour > 23 || day < 1 || day > 31 || mon < 1 || mon > 12 || year > 99)
        return 0;
    int64_t days = days_from_civil((int64_t)(century * 100 + year), mon, day);
    return (uint64_t)(days * 86400 + hour * 3600 + min * 60 + sec);
}

void clock_init(void)
{
    tsc_boot = rdtsc();
    const char *source = "hypervisor";
    tsc_hz = hypervisor_tsc_hz();
    if (!tsc_hz) {
        source = "PIT";
        tsc_hz = calibrate_pit();
    }
    if (!tsc_hz) {
        source = "CPUID 0x16";
        tsc_hz = cpuid_base_hz();
    }
    if (!tsc_hz) {
        source = "a guess";
        tsc_hz = FALLBACK_HZ;
    }
    ns_mult = (NS_PER_SEC << 32) / tsc_hz; /* 1e9 << 32 still fits in 64 bits */
    uint64_t unix_sec = rtc_read_unix();
    wall_at_boot_ns = unix_sec * NS_PER_SEC - plat_clock_monotonic();
    if (source[0] != 'h' && source[0] != 'P')
        console_printf("unf: TSC rate from %s: %llu Hz\n", source, (unsigned long long)tsc_hz);
}

uint64_t clock_tsc_hz(void) { return tsc_hz; }

uint64_t clock_tsc_to_ns(uint64_t ticks) { return (uint64_t)(((unsigned __int128)ticks * ns_mult) >> 32); }

plat_time_t plat_clock_monotonic(void) { return clock_tsc_to_ns(rdtsc() - tsc_boot); }

plat_time_t plat_clock_wall(void) { return wall_at_boot_ns + plat_clock_monotonic(); }
