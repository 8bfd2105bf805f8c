/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvt bindings: platform/platform.h for a guest that runs at CPL3 in a KVM virtual machine
 * under the hvt tender. Every call that leaves the guest is a hypercall: a 32-bit `out` of the
 * argument struct's address to the call's port (hvt_abi.h), which the tender handles before the
 * guest resumes. The clocks never leave the guest: the monotonic clock is the TSC scaled by the
 * frequency the tender reported, the wall clock is the tender's wall time at boot plus that.
 * bindings_entry() is called by _start (platform/common/start.S) with the tender's boot info.
 */
#include <platform.h>

#include "common/bindings.h"
#include "hvt_abi.h"

_Static_assert(HVT_NET_MAX == PLAT_NET_MAX, "hvt ABI and platform disagree on NIC count");

static const struct hvt_boot_info *boot;
static uint64_t tsc_base; /* the TSC at entry: monotonic time 0 */

/* The argument lives on our stack (below 1 MiB, so its address fits the 32-bit port value);
 * the "memory" clobber makes the compiler write it before and re-read it after. */
static void hypercall(uint16_t port, void *arg)
{
    __asm__ volatile("outl %0, %1" : : "a"((uint32_t)(uintptr_t)arg), "Nd"(port) : "memory");
}

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

void plat_console_write(const char *buf, size_t len)
{
    struct hvt_console a = {(uint64_t)(uintptr_t)buf, len};
    hypercall(HVT_PORT_CONSOLE, &a);
}

/* ticks * 1e6 / khz without overflow and without 128-bit division: split ticks by khz first
 * (the remainder is below khz, a few million, so remainder * 1e6 fits easily). */
plat_time_t plat_clock_monotonic(void)
{
    uint64_t ticks = rdtsc() - tsc_base, khz = boot->tsc_khz;
    return (ticks / khz) * 1000000u + (ticks % khz) * 1000000u / khz;
}

plat_time_t plat_clock_wall(void) { return boot->wall_ns + plat_clock_monotonic(); }

void plat_yield(plat_time_t deadline, uint64_t *ready_set)
{
    struct hvt_poll a = {UINT64_MAX, 0};
    if (deadline != UINT64_MAX) {
        plat_time_t now = plat_clock_monotonic();
        a.timeout_ns = deadline > now ? deadline - now : 0;
    }
    hypercall(HVT_PORT_POLL, &a);
    *ready_set = a.ready_set;
}

enum plat_result plat_net_acquire(unsigned nic, struct plat_net_info *info)
{
    if (nic >= boot->net_count)
        return PLAT_EINVAL;
    bindings_net_info(boot->net[nic].mac, boot->net[nic].mtu, info);
    return PLAT_OK;
}

static enum plat_result result_of(uint64_t ret)
{
    switch (ret) {
    case HVT_OK: return PLAT_OK;
    case HVT_AGAIN: return PLAT_AGAIN;
    case HVT_EINVAL: return PLAT_EINVAL;
    default: return PLAT_EUNSPEC;
    }
}

enum plat_result plat_net_write(unsigned nic, const uint8_t *frame, size_t len)
{
    struct hvt_net_io a = {nic, (uint64_t)(uintptr_t)frame, len, HVT_EUNSPEC};
    hypercall(HVT_PORT_NET_WRITE, &a);
    return result_of(a.ret);
}

enum plat_result plat_net_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    struct hvt_net_io a = {nic, (uint64_t)(uintptr_t)buf, size, HVT_EUNSPEC};
    hypercall(HVT_PORT_NET_READ, &a);
    if (a.ret == HVT_OK)
        *len = (size_t)a.len;
    return result_of(a.ret);
}

_Noreturn void plat_exit(int status)
{
    struct hvt_exit a = {(uint64_t)(status & 0xff)};
    for (;;)
        hypercall(HVT_PORT_EXIT, &a);
}

/* Called by _start (platform/common/start.S); validates what the tender handed over and runs
 * the guest library. */
_Noreturn void bindings_entry(const void *boot_info)
{
    const struct hvt_boot_info *bi = boot_info;
    tsc_base = rdtsc();
    if (!bi || bi->magic != HVT_ABI_MAGIC || bi->version != HVT_ABI_VERSION ||
        bi->size < sizeof(*bi) || bi->net_count > HVT_NET_MAX || !bi->cmdline || !bi->tsc_khz)
        plat_abort("bad hvt boot info (tender and kernel differ?)");
    boot = bi;
    bindings_run(bi->cmdline, bi->heap_start, bi->heap_size, bi->archive, bi->archive_size);
}
