/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvt bindings: platform/platform.h for a guest that runs at CPL3 in a KVM virtual machine
 * under the hvt tender. Every call that leaves the guest is a hypercall: a 32-bit `out` of the
 * argument struct's address to the call's port (hvt_abi.h), which the tender handles before the
 * guest resumes. The clocks never leave the guest: the monotonic clock is the TSC scaled by the
 * frequency the tender reported, the wall clock is the tender's wall time at boot plus that.
 * With a tender that offers HVT_FEATURE_NET_VEC, frames move in batches (one exit per batch, not
 * per frame): sends wait in a per-NIC batch until it is full, the guest yields or exits, and a
 * read that finds the batch of received frames empty asks for up to NET_BATCH at once.
 * bindings_entry() is called by _start (platform/common/start.S) with the tender's boot info.
 */
#include <platform.h>

#include "common/bindings.h"
#include "hvt_abi.h"

_Static_assert(HVT_NET_MAX == PLAT_NET_MAX, "hvt ABI and platform disagree on NIC count");

static const struct hvt_boot_info *boot;
static uint64_t tsc_base; /* the TSC at entry: monotonic time 0 */
static int net_vec;       /* the tender takes NET_WRITEV / NET_READV */

#define NET_BATCH 16
#define FRAME_MAX (HVT_MTU + 14u)

struct net_batch {
    struct hvt_net_frame f[NET_BATCH];
    uint8_t buf[NET_BATCH][FRAME_MAX];
    unsigned count, next; /* tx: frames queued; rx: frames held, next to hand out */
};

static struct net_batch tx_batch[PLAT_NET_MAX], rx_batch[PLAT_NET_MAX];

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

static void tx_flush(unsigned nic)
{
    struct net_batch *b = &tx_batch[nic];
    if (b->count == 0)
        return;
    /* what the tap refused (its queue full) is dropped, as a wire would */
    struct hvt_net_vec a = {nic, (uint64_t)(uintptr_t)b->f, b->count, 0, HVT_EUNSPEC};
    hypercall(HVT_PORT_NET_WRITEV, &a);
    b->count = 0;
}

static void tx_flush_all(void)
{
    for (unsigned i = 0; net_vec && i < boot->net_count; i++)
        tx_flush(i);
}

void plat_yield(plat_time_t deadline, uint64_t *ready_set)
{
    struct hvt_poll a = {UINT64_MAX, 0};
    uint64_t held = 0;
    tx_flush_all();
    for (unsigned i = 0; net_vec && i < boot->net_count; i++)
        if (rx_batch[i].next < rx_batch[i].count)
            held |= 1ULL << i;
    if (held) {
        a.timeout_ns = 0; /* frames already in hand: only ask about the other NICs */
    } else if (deadline != UINT64_MAX) {
        plat_time_t now = plat_clock_monotonic();
        a.timeout_ns = deadline > now ? deadline - now : 0;
    }
    hypercall(HVT_PORT_POLL, &a);
    *ready_set = a.ready_set | held;
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

static enum plat_result batch_write(unsigned nic, const uint8_t *frame, size_t len)
{
    if (nic >= boot->net_count || len > FRAME_MAX)
        return PLAT_EINVAL;
    struct net_batch *b = &tx_batch[nic];
    unsigned i = b->count++;
    __builtin_memcpy(b->buf[i], frame, len);
    b->f[i].data = (uint64_t)(uintptr_t)b->buf[i];
    b->f[i].len = len;
    if (b->count == NET_BATCH)
        tx_flush(nic);
    return PLAT_OK;
}

static enum plat_result batch_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    if (nic >= boot->net_count)
        return PLAT_EINVAL;
    struct net_batch *b = &rx_batch[nic];
    if (b->next == b->count) {
        for (unsigned i = 0; i < NET_BATCH; i++)
            b->f[i] = (struct hvt_net_frame){(uint64_t)(uintptr_t)b->buf[i], FRAME_MAX};
        struct hvt_net_vec a = {nic, (uint64_t)(uintptr_t)b->f, NET_BATCH, 0, HVT_EUNSPEC};
        hypercall(HVT_PORT_NET_READV, &a);
        b->count = (unsigned)(a.done <= NET_BATCH ? a.done : 0);
        b->next = 0;
        if (b->count == 0)
            return a.ret == HVT_AGAIN || a.ret == HVT_OK ? PLAT_AGAIN : result_of(a.ret);
    }
    unsigned i = b->next++;
    if (b->f[i].len > size)
        return PLAT_EINVAL; /* too big for the caller: dropped */
    __builtin_memcpy(buf, b->buf[i], b->f[i].len);
    *len = b->f[i].len;
    return PLAT_OK;
}

enum plat_result plat_net_write(unsigned nic, const uint8_t *frame, size_t len)
{
    if (net_vec)
        return batch_write(nic, frame, len);
    struct hvt_net_io a = {nic, (uint64_t)(uintptr_t)frame, len, HVT_EUNSPEC};
    hypercall(HVT_PORT_NET_WRITE, &a);
    return result_of(a.ret);
}

enum plat_result plat_net_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    if (net_vec)
        return batch_read(nic, buf, size, len);
    struct hvt_net_io a = {nic, (uint64_t)(uintptr_t)buf, size, HVT_EUNSPEC};
    hypercall(HVT_PORT_NET_READ, &a);
    if (a.ret == HVT_OK)
        *len = (size_t)a.len;
    return result_of(a.ret);
}

_Noreturn void plat_exit(int status)
{
    tx_flush_all(); /* the last frames the guest sent leave before it does */
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
        bi->size < __builtin_offsetof(struct hvt_boot_info, features) || bi->net_count > HVT_NET_MAX ||
        !bi->cmdline || !bi->tsc_khz)
        plat_abort("bad hvt boot info (tender and kernel differ?)");
    net_vec = bi->size >= sizeof(*bi) && (bi->features & HVT_FEATURE_NET_VEC);
    boot = bi;
    bindings_run(bi->cmdline, bi->heap_start, bi->heap_size, bi->archive, bi->archive_size);
}
