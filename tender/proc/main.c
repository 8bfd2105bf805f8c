/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unf-proc, the proc tender: runs a proc unikernel as an ordinary Linux process. It opens the
 * guest's NICs (taps, or packet or AF_XDP sockets on a link), maps its archive, loads its ELF image, maps
 * its heap and stack, writes the boot info (platform/proc/proc_abi.h), seals itself (fds,
 * no_new_privs, seccomp) and jumps to the guest's entry point; from then on the process is the
 * guest and its exit status the guest's.
 * Any error before the jump: one line on stderr and exit status 125.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"
#include "cgroup_join.h"
#include "load.h"
#include "mem.h"
#include "opts.h"
#include "packet.h"
#include "proc_abi.h"
#include "seal.h"
#include "tap.h"
#include "tender.h"
#include "vdso.h"
#include "xsk.h"

const char *const tender_name = "unf-proc";

_Static_assert(PROC_ABI_NET_MAX == TENDER_NET_MAX, "proc ABI and tender disagree on NIC count");

/* The proc sandbox: what the proc bindings use (proc_abi.h) and nothing else. */
enum nic_kind { NIC_TAP, NIC_PACKET, NIC_XDP };

static int seal(const int *nic_fds, const enum nic_kind *kind, unsigned nic_count, const int *keep, unsigned keep_count)
{
    uint32_t readable[PROC_ABI_NET_MAX], sockets[PROC_ABI_NET_MAX], writable[PROC_ABI_NET_MAX + 2];
    uint32_t xsks[PROC_ABI_NET_MAX];
    static const uint32_t clocks[] = {0 /* CLOCK_REALTIME */, 1 /* CLOCK_MONOTONIC */};
    struct seal_filter f;
    unsigned nw = 0, nr = 0, nsockets = 0, nxsks = 0;

    writable[nw++] = 1;
    writable[nw++] = 2;
    for (unsigned i = 0; i < nic_count; i++) {
        if (kind[i] == NIC_XDP) {
            xsks[nxsks++] = (uint32_t)nic_fds[i];
            continue;
        }
        readable[nr++] = (uint32_t)nic_fds[i]; /* packet sockets: frames too big for a ring slot */
        if (kind[i] == NIC_PACKET)
            sockets[nsockets++] = (uint32_t)nic_fds[i];
        else
            writable[nw++] = (uint32_t)nic_fds[i];
    }
    seal_begin(&f);
    if (nr > 0)
        seal_allow_if_arg(&f, PROC_SYS_READ, 0, readable, nr);
    seal_allow_if_arg(&f, PROC_SYS_WRITE, 0, writable, nw);
    if (nsockets > 0)
        seal_allow_if_arg(&f, PROC_SYS_SENDMMSG, 0, sockets, nsockets);
    if (nxsks > 0)
        seal_allow_if_arg(&f, PROC_SYS_SENDTO, 0, xsks, nxsks);
    seal_allow(&f, PROC_SYS_PPOLL);
    seal_allow_if_arg(&f, PROC_SYS_CLOCK_GETTIME, 0, clocks, 2);
    seal_allow(&f, PROC_SYS_EXIT_GROUP);
    seal_allow(&f, PROC_SYS_EXIT);
    return seal_apply(&f, keep, keep_count);
}

static void xsk_ring_boot(const struct xsk_ring_map *m, struct proc_boot_xsk_ring *b)
{
    b->producer = (uint64_t)(uintptr_t)m->producer;
    b->consumer = (uint64_t)(uintptr_t)m->consumer;
    b->flags = (uint64_t)(uintptr_t)m->flags;
    b->desc = (uint64_t)(uintptr_t)m->desc;
}

/* An AF_XDP NIC: the socket for the guest, its BPF link kept by the process (*link_fd). */
static int xsk_nic_open(const char *spec, size_t guest_mem, struct proc_boot_net *net, struct proc_boot_xsk *xsk,
                        int *link_fd)
{
    struct xsk_nic x;
    if (xsk_open(spec, guest_mem, &x) < 0)
        return -1;
    net->fd = x.fd;
    net->mtu = x.mtu;
    memcpy(net->mac, x.mac, sizeof(x.mac));
    xsk->umem = (uint64_t)(uintptr_t)x.umem;
    xsk->frame_size = x.frame_size;
    xsk->frame_count = x.frame_count;
    xsk->ring_size = x.ring_size;
    xsk_ring_boot(&x.fill, &xsk->fill);
    xsk_ring_boot(&x.comp, &xsk->comp);
    xsk_ring_boot(&x.rx, &xsk->rx);
    xsk_ring_boot(&x.tx, &xsk->tx);
    *link_fd = x.link_fd;
    return 0;
}

/* Opens one --net NIC: a tap ("NAME[,MAC]"), a packet socket ("packet:IFACE[,MAC]") or an AF_XDP
 * socket ("xdp:IFACE[,MAC]"). */
static int nic_open(const char *spec, size_t guest_mem, struct proc_boot_net *net, struct proc_boot_ring *ring,
                    struct proc_boot_xsk *xsk, int *link_fd)
{
    *link_fd = -1;
    if (strncmp(spec, XSK_SPEC_PREFIX, strlen(XSK_SPEC_PREFIX)) == 0)
        return xsk_nic_open(spec + strlen(XSK_SPEC_PREFIX), guest_mem, net, xsk, link_fd);
    if (strncmp(spec, PACKET_SPEC_PREFIX, strlen(PACKET_SPEC_PREFIX)) == 0) {
        struct packet_nic p;
        if (packet_open(spec + strlen(PACKET_SPEC_PREFIX), guest_mem, &p) < 0)
            return -1;
        net->fd = p.fd;
        net->mtu = p.mtu;
        memcpy(net->mac, p.mac, sizeof(p.mac));
        ring->rx_ring = (uint64_t)(uintptr_t)p.rx_ring;
        ring->frame_size = p.frame_size;
        ring->frame_count = p.frame_count;
        return 0;
    }
    struct tap_info tap;
    if (tap_open(spec, &tap) < 0)
        return -1;
    net->fd = tap.fd;
    net->mtu = tap.mtu;
    memcpy(net->mac, tap.mac, sizeof(tap.mac));
    return 0;
}

/* Switches to the guest's stack and enters it; the tender's own stack is never used again. */
_Noreturn static void enter_guest(uint64_t entry, void *stack_top, struct proc_boot_info *bi)
{
    __asm__ volatile("mov %0, %%rsp\n\t"
                     "xor %%ebp, %%ebp\n\t"
                     "jmp *%1"
                     :
                     : "r"(stack_top), "r"(entry), "D"(bi)
                     : "memory");
    __builtin_unreachable();
}

/* Everything up to the jump; -1 (error reported) on failure. */
static int prepare(const struct opts *o, uint64_t *entry, void **stack_top,
                   struct proc_boot_info **boot)
{
    struct proc_boot_net nets[PROC_ABI_NET_MAX];
    struct proc_boot_ring rings[PROC_ABI_NET_MAX];
    struct proc_boot_xsk xsks[PROC_ABI_NET_MAX];
    int nic_fds[PROC_ABI_NET_MAX], link_fds[PROC_ABI_NET_MAX], keep[2 * PROC_ABI_NET_MAX];
    enum nic_kind kind[PROC_ABI_NET_MAX];
    unsigned keep_count = 0;
    uint64_t archive = 0, archive_size = 0, heap = 0;
    struct proc_boot_info *bi;

    if (tender_ensure_std_fds() < 0)
        return -1;
    /* A console whose reader went away loses output (EPIPE) instead of killing the guest. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        return tender_error("cannot ignore SIGPIPE: %s", strerror(errno));
    struct cgroup_join cg;
    if (cgroup_join_start(&cg) < 0)
        return -1;
    memset(nets, 0, sizeof(nets));
    memset(rings, 0, sizeof(rings));
    memset(xsks, 0, sizeof(xsks));
    for (unsigned i = 0; i < o->net_count; i++)
        if (nic_open(o->nets[i], o->mem, &nets[i], &rings[i], &xsks[i], &link_fds[i]) < 0)
            return -1; /* the process exits: NICs opened so far close with it (and XDP detaches) */
    for (unsigned i = 0; i < o->net_count; i++) {
        nic_fds[i] = nets[i].fd;
        kind[i] = xsks[i].umem ? NIC_XDP : rings[i].rx_ring ? NIC_PACKET : NIC_TAP;
        keep[keep_count++] = nets[i].fd;
        if (link_fds[i] >= 0)
            keep[keep_count++] = link_fds[i]; /* the XDP program stays while the guest runs */
    }
    if (cgroup_join_finish(&cg) < 0) /* before any guest memory is mapped */
        return -1;
    if (o->archive && archive_map(o->archive, &archive, &archive_size) < 0)
        return -1;
    if (proc_load_kernel(o->kernel, entry) < 0)
        return -1;
    if (mem_map_heap(o->mem, &heap) < 0 || mem_map_stack(stack_top) < 0)
        return -1;
    if (mem_map_boot(o->cmdline, &bi) < 0)
        return -1;
    bi->magic = PROC_ABI_MAGIC;
    bi->version = PROC_ABI_VERSION;
    bi->size = sizeof(*bi);
    bi->heap_start = heap;
    bi->heap_size = o->mem;
    bi->archive = archive;
    bi->archive_size = archive_size;
    bi->net_count = o->net_count;
    memcpy(bi->net, nets, o->net_count * sizeof(nets[0]));
    bi->clock_gettime = proc_vdso_clock_gettime();
    memcpy(bi->ring, rings, sizeof(rings));
    memcpy(bi->xsk, xsks, sizeof(xsks));
    if (mem_seal_boot(bi) < 0)
        return -1;
    fflush(NULL); /* nothing of the tender's stdio may be left to flush after the jump */
    if (seal(nic_fds, kind, o->net_count, keep, keep_count) < 0)
        return -1;
    *boot = bi;
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o;
    uint64_t entry = 0;
    void *stack_top = NULL;
    struct proc_boot_info *bi = NULL;

    int status;
    static const char what[] =
        "Runs a proc unikernel (static ELF linked at 0x40000000) as a seccomp-sandboxed\n"
        "process. --net packet:IFACE[,MAC] gives the guest a link of this namespace\n"
        "(e.g. a veth) through an AF_PACKET socket with a mapped receive ring instead of a tap;\n"
        "--net xdp:IFACE[,MAC] through an AF_XDP socket (XDP program on the link, shared rings).";
    if (opts_setup(argc, argv, &o, what, &status) < 0)
        return status;
    if (prepare(&o, &entry, &stack_top, &bi) < 0) {
        opts_free(&o);
        return TENDER_EXIT_ERROR;
    }
    /* o.cmdline stays allocated: it was copied into the boot page, and free() after the seal
     * could make a system call (munmap, madvise) the sandbox kills. */
    enter_guest(entry, stack_top, bi);
}
