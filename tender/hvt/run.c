/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The run loop and the hypercall handlers (see run.h). Every guest-supplied address goes through
 * gmem_guest_ptr(), so a guest can only make the tender read memory it could read itself and
 * write memory it could write itself; a malformed hypercall ends the guest like a fault would.
 */
#include "run.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "hvt_abi.h"
#include "net_xsk.h"
#include "packet.h"

_Noreturn static void fail(const struct run_guest *g, const char *what)
{
    tender_error("%s at rip 0x%llx", what, (unsigned long long)cpu_rip(g->vm->vcpu));
    _exit(RUN_EXIT_GUEST_FAILED);
}

/* The hypercall's argument struct, which the guest must be able to write. */
static void *arg_of(const struct run_guest *g, uint32_t gpa, size_t size)
{
    void *p = gmem_guest_ptr(g->mem, gpa, size, GMEM_WRITE);
    if (!p)
        fail(g, "guest passed a hypercall argument outside its writable memory");
    return p;
}

static void console(const struct run_guest *g, struct hvt_console *a)
{
    const char *p = gmem_guest_ptr(g->mem, a->data, a->len, 0);
    if (!p)
        fail(g, "guest passed a console buffer outside its memory");
    for (uint64_t left = a->len; left > 0;) {
        ssize_t n = write(1, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* best effort: a closed or full console loses output, never the guest */
        p += n;
        left -= (uint64_t)n;
    }
}

/* One frame to or from a tap: the result the guest sees. */
static uint64_t tap_io(int fd, void *buf, uint64_t len, int writing, uint64_t *done)
{
    ssize_t n;
    do
        n = writing ? write(fd, buf, len) : read(fd, buf, len);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return HVT_AGAIN; /* nothing to read, or the tap's queue is full (the frame is dropped) */
    if (n <= 0)
        return HVT_EUNSPEC;
    *done = (uint64_t)n;
    return HVT_OK;
}

/* NET_WRITE (writing) or NET_READ: the NIC and the buffer are checked, reads need write access. */
static uint64_t net_io(const struct run_guest *g, struct hvt_net_io *a, int writing)
{
    if (a->nic >= g->net_count || (writing && a->len > g->mtu + 14u))
        return HVT_EINVAL;
    void *p = gmem_guest_ptr(g->mem, a->data, a->len, writing ? 0 : GMEM_WRITE);
    if (!p)
        return HVT_EINVAL;
    uint64_t done = 0, ret;
    struct packet_nic *pk = g->packet[a->nic];
    struct net_xsk *xs = g->xsk[a->nic];
    struct iovec v = {p, a->len};
    if (xs && writing) {
        if (a->len < 14)
            return HVT_EINVAL; /* an AF_XDP socket takes Ethernet frames only */
        ret = net_xsk_send(xs, &v, 1) == 1 ? HVT_OK : HVT_AGAIN;
        done = a->len;
    } else if (xs) {
        ret = net_xsk_recv(xs, &v, 1, &done) == 1 ? HVT_OK : HVT_AGAIN;
    } else if (pk && writing) {
        ret = packet_send(pk, &v, 1) == 1 ? HVT_OK : HVT_AGAIN;
        done = a->len;
    } else if (pk) {
        size_t got = 0;
        ret = packet_recv(pk, p, a->len, &got) == 0 ? HVT_OK : HVT_AGAIN;
        done = got;
    } else {
        ret = tap_io(g->tap_fd[a->nic], p, a->len, writing, &done);
    }
    if (ret == HVT_OK && writing && done != a->len)
        return HVT_EUNSPEC;
    if (ret == HVT_OK)
        a->len = done;
    return ret;
}

/* NET_WRITEV on a packet socket: the frames leave with one sendmmsg straight from guest memory. */
static void packet_writev(const struct run_guest *g, struct hvt_net_vec *a, const struct hvt_net_frame *f)
{
    struct iovec v[HVT_NET_VEC_MAX];
    uint64_t n = 0;
    a->ret = HVT_OK;
    for (; n < a->count; n++) {
        void *p = f[n].len <= g->mtu + 14u ? gmem_guest_ptr(g->mem, f[n].data, f[n].len, 0) : NULL;
        if (!p) {
            a->ret = HVT_EINVAL;
            break;
        }
        v[n] = (struct iovec){p, f[n].len};
    }
    int sent = n ? packet_send(g->packet[a->nic], v, (unsigned)n) : 0;
    a->done = sent > 0 ? (uint64_t)sent : 0;
    if (a->ret == HVT_OK && a->done < a->count)
        a->ret = HVT_AGAIN; /* the link's queue was full: the rest is dropped */
}

/* NET_WRITEV / NET_READV on an AF_XDP socket: the frames checked first, then moved as one batch
 * (one kick for the sends, one index update for the receives). */
static void xsk_vec(const struct run_guest *g, struct hvt_net_vec *a, struct hvt_net_frame *f, int writing)
{
    struct iovec v[HVT_NET_VEC_MAX];
    uint64_t lens[HVT_NET_VEC_MAX];
    uint64_t n = 0;
    a->ret = HVT_OK;
    for (; n < a->count; n++) {
        uint64_t len = f[n].len;
        void *p = !writing || (len >= 14 && len <= g->mtu + 14u)
                      ? gmem_guest_ptr(g->mem, f[n].data, len, writing ? 0 : GMEM_WRITE) : NULL;
        if (!p) {
            a->ret = HVT_EINVAL;
            break;
        }
        v[n] = (struct iovec){p, len};
    }
    if (writing) {
        a->done = n ? net_xsk_send(g->xsk[a->nic], v, (unsigned)n) : 0;
    } else {
        a->done = n ? net_xsk_recv(g->xsk[a->nic], v, (unsigned)n, lens) : 0;
        for (uint64_t i = 0; i < a->done; i++)
            f[i].len = lens[i];
    }
    if (a->ret == HVT_OK && a->done < a->count)
        a->ret = HVT_AGAIN; /* nothing more to read, or every send frame in flight (the rest dropped) */
}

/* NET_WRITEV / NET_READV: each frame checked as NET_WRITE / NET_READ check theirs. */
static void net_vec(const struct run_guest *g, struct hvt_net_vec *a, int writing)
{
    a->done = 0;
    a->ret = HVT_EINVAL;
    if (a->nic >= g->net_count || a->count == 0 || a->count > HVT_NET_VEC_MAX)
        return;
    struct hvt_net_frame *f = gmem_guest_ptr(g->mem, a->frames, a->count * sizeof(*f), GMEM_WRITE);
    if (!f)
        return;
    if (g->xsk[a->nic]) {
        xsk_vec(g, a, f, writing);
        return;
    }
    if (writing && g->packet[a->nic]) {
        packet_writev(g, a, f);
        return;
    }
    a->ret = HVT_OK;
    for (uint64_t i = 0; i < a->count; i++) {
        struct hvt_net_io one = {a->nic, f[i].data, f[i].len, HVT_EUNSPEC};
        uint64_t ret = net_io(g, &one, writing);
        if (ret != HVT_OK) {
            a->ret = ret;
            return;
        }
        f[i].len = one.len;
        a->done = i + 1;
    }
}

static void poll_nets(const struct run_guest *g, struct hvt_poll *a)
{
    struct pollfd fds[TENDER_NET_MAX];
    struct timespec ts, *timeout = NULL;
    for (unsigned i = 0; i < g->net_count; i++) {
        if (g->xsk[i])
            net_xsk_flush(g->xsk[i]); /* sends an earlier kick left behind must not wait on the sleep */
        fds[i] = (struct pollfd){.fd = g->tap_fd[i], .events = POLLIN};
    }
    if (a->timeout_ns != UINT64_MAX) {
        ts.tv_sec = (time_t)(a->timeout_ns / 1000000000u);
        ts.tv_nsec = (long)(a->timeout_ns % 1000000000u);
        timeout = &ts;
    }
    a->ready_set = 0;
    if (ppoll(fds, g->net_count, timeout, NULL) <= 0)
        return; /* timeout or interrupted: the guest re-checks its timers */
    for (unsigned i = 0; i < g->net_count; i++)
        if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
            a->ready_set |= 1ULL << i;
}

static void hypercall(const struct run_guest *g, uint16_t port, uint32_t gpa)
{
    switch (port) {
    case HVT_PORT_CONSOLE:
        console(g, arg_of(g, gpa, sizeof(struct hvt_console)));
        return;
    case HVT_PORT_NET_WRITE:
    case HVT_PORT_NET_READ: {
        struct hvt_net_io *a = arg_of(g, gpa, sizeof(*a));
        a->ret = net_io(g, a, port == HVT_PORT_NET_WRITE);
        return;
    }
    case HVT_PORT_NET_WRITEV:
    case HVT_PORT_NET_READV:
        net_vec(g, arg_of(g, gpa, sizeof(struct hvt_net_vec)), port == HVT_PORT_NET_WRITEV);
        return;
    case HVT_PORT_POLL:
        poll_nets(g, arg_of(g, gpa, sizeof(struct hvt_poll)));
        return;
    case HVT_PORT_EXIT:
        _exit((int)(((struct hvt_exit *)arg_of(g, gpa, sizeof(struct hvt_exit)))->status & 0xff));
    default:
        break;
    }
    char what[64];
    snprintf(what, sizeof(what), "guest wrote to unknown I/O port 0x%x", port);
    fail(g, what);
}

static void io_exit(const struct run_guest *g)
{
    const struct kvm_run *run = g->vm->run;
    const uint8_t *data = (const uint8_t *)run + run->io.data_offset;
    if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == HVT_PORT_FAULT &&
        run->io.size == 1) {
        cpu_report_fault(g->vm->vcpu, g->mem, data[0]);
        _exit(RUN_EXIT_GUEST_FAILED);
    }
    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 || run->io.count != 1) {
        char what[80];
        snprintf(what, sizeof(what), "guest did unexpected port I/O (%s port 0x%x, size %u)",
                 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in", run->io.port,
                 run->io.size);
        fail(g, what);
    }
    uint32_t gpa;
    memcpy(&gpa, data, sizeof(gpa));
    hypercall(g, run->io.port, gpa);
}

/* Ends the guest on an exit it did not ask for, saying which. */
_Noreturn static void unexpected_exit(const struct kvm_run *run, const struct run_guest *g)
{
    static const char *const known[] = {
        [KVM_EXIT_HLT] = "guest halted",
        [KVM_EXIT_MMIO] = "guest accessed unmapped guest-physical address 0x%llx",
        [KVM_EXIT_SHUTDOWN] = "guest triple fault (KVM_EXIT_SHUTDOWN)",
        [KVM_EXIT_FAIL_ENTRY] = "KVM_EXIT_FAIL_ENTRY (hardware reason 0x%llx)",
        [KVM_EXIT_INTERNAL_ERROR] = "KVM_EXIT_INTERNAL_ERROR (suberror %llu)",
    };
    uint32_t reason = run->exit_reason;
    const char *fmt = reason < sizeof(known) / sizeof(known[0]) && known[reason]
                          ? known[reason] : "unexpected KVM exit reason %llu";
    uint64_t detail = reason == KVM_EXIT_MMIO ? run->mmio.phys_addr
                      : reason == KVM_EXIT_FAIL_ENTRY ? run->fail_entry.hardware_entry_failure_reason
                      : reason == KVM_EXIT_INTERNAL_ERROR ? run->internal.suberror
                      : reason;
    char what[96];
    snprintf(what, sizeof(what), fmt, (unsigned long long)detail);
    fail(g, what);
}

_Noreturn void run_guest(const struct run_guest *g)
{
    for (;;) {
        if (ioctl(g->vm->vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            char what[96];
            snprintf(what, sizeof(what), "KVM_RUN failed: %s", strerror(errno));
            fail(g, what);
        }
        if (g->vm->run->exit_reason != KVM_EXIT_IO)
            unexpected_exit(g->vm->run, g);
        io_exit(g);
    }
}
