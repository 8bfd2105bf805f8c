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
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "hvt_abi.h"

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

static uint64_t net_write(const struct run_guest *g, const struct hvt_net_io *a)
{
    if (a->nic >= g->net_count || a->len > g->mtu + 14u)
        return HVT_EINVAL;
    const void *p = gmem_guest_ptr(g->mem, a->data, a->len, 0);
    if (!p)
        return HVT_EINVAL;
    ssize_t n;
    do
        n = write(g->tap_fd[a->nic], p, a->len);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return HVT_AGAIN; /* the tap queue is full: the frame is dropped, as on a wire */
    return n == (ssize_t)a->len ? HVT_OK : HVT_EUNSPEC;
}

static uint64_t net_read(const struct run_guest *g, struct hvt_net_io *a)
{
    if (a->nic >= g->net_count)
        return HVT_EINVAL;
    void *p = gmem_guest_ptr(g->mem, a->data, a->len, GMEM_WRITE);
    if (!p)
        return HVT_EINVAL;
    ssize_t n;
    do
        n = read(g->tap_fd[a->nic], p, a->len);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return HVT_AGAIN;
    if (n <= 0)
        return HVT_EUNSPEC;
    a->len = (uint64_t)n;
    return HVT_OK;
}

static void poll_nets(const struct run_guest *g, struct hvt_poll *a)
{
    struct pollfd fds[TENDER_NET_MAX];
    struct timespec ts, *timeout = NULL;
    for (unsigned i = 0; i < g->net_count; i++)
        fds[i] = (struct pollfd){.fd = g->tap_fd[i], .events = POLLIN};
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
    case HVT_PORT_NET_WRITE: {
        struct hvt_net_io *a = arg_of(g, gpa, sizeof(*a));
        a->ret = net_write(g, a);
        return;
    }
    case HVT_PORT_NET_READ: {
        struct hvt_net_io *a = arg_of(g, gpa, sizeof(*a));
        a->ret = net_read(g, a);
        return;
    }
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

_Noreturn void run_guest(const struct run_guest *g)
{
    struct kvm_run *run = g->vm->run;
    char what[96];
    for (;;) {
        if (ioctl(g->vm->vcpu, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            snprintf(what, sizeof(what), "KVM_RUN failed: %s", strerror(errno));
            fail(g, what);
        }
        switch (run->exit_reason) {
        case KVM_EXIT_IO:
            io_exit(g);
            continue;
        case KVM_EXIT_HLT:
            fail(g, "guest halted");
        case KVM_EXIT_MMIO:
            snprintf(what, sizeof(what), "guest accessed unmapped guest-physical address 0x%llx",
                     (unsigned long long)run->mmio.phys_addr);
            fail(g, what);
        case KVM_EXIT_SHUTDOWN:
            fail(g, "guest triple fault (KVM_EXIT_SHUTDOWN)");
        case KVM_EXIT_FAIL_ENTRY:
            snprintf(what, sizeof(what), "KVM_EXIT_FAIL_ENTRY (hardware reason 0x%llx)",
                     (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
            fail(g, what);
        case KVM_EXIT_INTERNAL_ERROR:
            snprintf(what, sizeof(what), "KVM_EXIT_INTERNAL_ERROR (suberror %u)",
                     run->internal.suberror);
            fail(g, what);
        default:
            snprintf(what, sizeof(what), "unexpected KVM exit reason %u", run->exit_reason);
            fail(g, what);
        }
    }
}
