/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The proc bindings: platform/platform.h for a guest that runs as a sandboxed Linux process
 * under the proc tender. Everything is a raw system call (no libc, no vDSO: the guest does not
 * know where the tender's vDSO is) and only the calls the tender's seccomp filter lets through:
 * read/write on the tap fds, sendmmsg on packet sockets (ring.c), sendto on AF_XDP sockets
 * (xsk.c), write on fd 1, ppoll,
 * clock_gettime, exit_group. bindings_entry() is called by _start (platform/common/start.S) with the tender's boot info.
 */
#include <platform.h>

#include "common/bindings.h"
#include "proc_abi.h"
#include "ring.h"
#include "xsk.h"

_Static_assert(PROC_ABI_NET_MAX == PLAT_NET_MAX, "proc ABI and platform disagree on NIC count");

#define CONSOLE_FD 1
#define EAGAIN_    11
#define EINTR_     4
#define POLLIN_    0x001
#define POLLERR_   0x008
#define POLLHUP_   0x010

struct ktimespec {
    long tv_sec;
    long tv_nsec;
};

struct kpollfd {
    int fd;
    short events;
    short revents;
};

static const struct proc_boot_info *boot;

static long sys1(long nr, long a1)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1) : "rcx", "r11", "memory");
    return ret;
}

static long sys2(long nr, long a1, long a2)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a1), "S"(a2) : "rcx", "r11", "memory");
    return ret;
}

static long sys3(long nr, long a1, long a2, long a3)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return ret;
}

static long sys5(long nr, long a1, long a2, long a3, long a4, long a5)
{
    long ret;
    register long r10 __asm__("r10") = a4;
    register long r8 __asm__("r8") = a5;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8)
                     : "rcx", "r11", "memory");
    return ret;
}

long proc_syscall4(long nr, long a1, long a2, long a3, long a4) { return sys5(nr, a1, a2, a3, a4, 0); }

_Noreturn static void exit_group(int status)
{
    for (;;)
        sys1(PROC_SYS_EXIT_GROUP, status & 0xff);
}

void plat_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = sys3(PROC_SYS_WRITE, CONSOLE_FD, (long)buf, (long)len);
        if (n == -EINTR_)
            continue;
        if (n <= 0)
            return; /* best effort: a closed or full console loses output, never the guest */
        buf += n;
        len -= (size_t)n;
    }
}

/* The vDSO's clock_gettime when the tender found one: ~10x cheaper than the system call on a
 * virtualised host, and asked several times per packet. */
typedef int (*vdso_clock_fn)(long clock, struct ktimespec *ts);
static vdso_clock_fn vdso_clock;

static plat_time_t clock_read(int clock)
{
    struct ktimespec ts;
    long rc = vdso_clock ? vdso_clock(clock, &ts) : sys2(PROC_SYS_CLOCK_GETTIME, clock, (long)&ts);
    if (rc != 0)
        plat_abort("clock_gettime failed");
    return (plat_time_t)ts.tv_sec * 1000000000u + (plat_time_t)ts.tv_nsec;
}

plat_time_t plat_clock_monotonic(void) { return clock_read(1); }
plat_time_t plat_clock_wall(void) { return clock_read(0); }

void plat_yield(plat_time_t deadline, uint64_t *ready_set)
{
    struct kpollfd fds[PROC_ABI_NET_MAX];
    unsigned count = boot->net_count;
    int taps = 0;
    for (unsigned i = 0; i < count; i++) {
        fds[i].fd = boot->net[i].fd;
        fds[i].events = POLLIN_;
        fds[i].revents = 0;
        taps += !ring_attached(i) && !xsk_attached(i);
    }
    ring_flush_all();
    xsk_flush_all();
    /* Frames waiting in a ring: no need to sleep, nor (without taps to ask) to ask the kernel. */
    *ready_set = ring_ready_set() | xsk_ready_set();
    if (*ready_set && !taps)
        return;
    plat_time_t now = plat_clock_monotonic();
    struct ktimespec ts = {0, 0};
    struct ktimespec *timeout = &ts;
    if (*ready_set) {
        /* poll the taps without waiting */
    } else if (deadline == UINT64_MAX) {
        timeout = 0; /* no timer pending: sleep until a frame comes */
    } else if (deadline > now) {
        plat_time_t wait = deadline - now;
        ts.tv_sec = (long)(wait / 1000000000u);
        ts.tv_nsec = (long)(wait % 1000000000u);
    }
    long n = sys5(PROC_SYS_PPOLL, (long)fds, count, (long)timeout, 0, 8);
    if (n <= 0)
        return; /* timeout or interrupted (ring bits stay): the caller re-checks its timers */
    for (unsigned i = 0; i < count; i++)
        if (fds[i].revents & (POLLIN_ | POLLERR_ | POLLHUP_))
            *ready_set |= 1ULL << i;
}

enum plat_result plat_net_acquire(unsigned nic, struct plat_net_info *info)
{
    if (nic >= boot->net_count)
        return PLAT_EINVAL;
    bindings_net_info(boot->net[nic].mac, boot->net[nic].mtu, info);
    return PLAT_OK;
}

enum plat_result plat_net_write(unsigned nic, const uint8_t *frame, size_t len)
{
    if (nic >= boot->net_count || len > (size_t)boot->net[nic].mtu + 14)
        return PLAT_EINVAL;
    if (ring_attached(nic))
        return ring_write(nic, frame, len);
    if (xsk_attached(nic))
        return xsk_write(nic, frame, len);
    long n;
    do
        n = sys3(PROC_SYS_WRITE, boot->net[nic].fd, (long)frame, (long)len);
    while (n == -EINTR_);
    if (n == -EAGAIN_)
        return PLAT_AGAIN; /* the tap queue is full: the frame is dropped, as on a wire */
    return n == (long)len ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result plat_net_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    if (nic >= boot->net_count)
        return PLAT_EINVAL;
    if (ring_attached(nic))
        return ring_read(nic, buf, size, len);
    if (xsk_attached(nic))
        return xsk_read(nic, buf, size, len);
    long n;
    do
        n = sys3(PROC_SYS_READ, boot->net[nic].fd, (long)buf, (long)size);
    while (n == -EINTR_);
    if (n == -EAGAIN_)
        return PLAT_AGAIN;
    if (n <= 0)
        return PLAT_EUNSPEC;
    *len = (size_t)n;
    return PLAT_OK;
}

_Noreturn void plat_exit(int status)
{
    ring_flush_all(); /* the last frames the guest sent leave before it does */
    xsk_flush_all();
    exit_group(status);
}

/* Called by _start (platform/common/start.S); validates what the tender handed over and runs
 * the guest library. */
_Noreturn void bindings_entry(const void *boot_info)
{
    const struct proc_boot_info *bi = boot_info;
    const uint32_t v1_size = __builtin_offsetof(struct proc_boot_info, clock_gettime);
    if (!bi || bi->magic != PROC_ABI_MAGIC || bi->version != PROC_ABI_VERSION ||
        bi->size < v1_size || bi->net_count > PROC_ABI_NET_MAX || !bi->cmdline)
        plat_abort("bad proc boot info (tender and kernel differ?)");
    const uint32_t clock_end = __builtin_offsetof(struct proc_boot_info, clock_gettime) + sizeof(bi->clock_gettime);
    if (bi->size >= clock_end && bi->clock_gettime)
        vdso_clock = (vdso_clock_fn)(uintptr_t)bi->clock_gettime;
    const uint32_t ring_end = __builtin_offsetof(struct proc_boot_info, ring) + sizeof(bi->ring);
    for (unsigned i = 0; i < bi->net_count && bi->size >= ring_end; i++)
        ring_attach(i, bi->net[i].fd, &bi->ring[i]);
    const uint32_t xsk_end = __builtin_offsetof(struct proc_boot_info, xsk) + sizeof(bi->xsk);
    for (unsigned i = 0; i < bi->net_count && bi->size >= xsk_end; i++)
        if (!ring_attached(i))
            xsk_attach(i, bi->net[i].fd, &bi->xsk[i]);
    boot = bi;
    bindings_run(bi->cmdline, bi->heap_start, bi->heap_size, bi->archive, bi->archive_size);
}
