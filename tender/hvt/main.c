/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unf-hvt, the hvt tender: runs an hvt unikernel in a KVM virtual machine of its own, in the
 * spirit of Solo5's hvt. It opens the guest's NICs (taps, packet or AF_XDP sockets), lays out
 * guest memory (its private CPU tables, boot info, stack, the kernel's segments, heap, page
 * tables; the archive as a read-only slot), creates the VM and its vCPU, seals itself (fds,
 * no_new_privs, seccomp) and runs the guest; the guest's exit status is the tender's. Any error
 * before the guest runs: one line on stderr and exit status 125. Contract: docs/ARCHITECTURE.md,
 * "hvt platform".
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "archive.h"
#include "cgroup_join.h"
#include "cpu.h"
#include "guest_mem.h"
#include "hvt_abi.h"
#include "load.h"
#include "net_xsk.h"
#include "opts.h"
#include "packet.h"
#include "run.h"
#include "seal.h"
#include "tap.h"
#include "tender.h"
#include "vm.h"

const char *const tender_name = "unf-hvt";

_Static_assert(HVT_NET_MAX == TENDER_NET_MAX, "hvt ABI and tender disagree on NIC count");

#define PAGE  4096ULL
#define LARGE (2ULL << 20)

/* Maps the archive and declares it as a user read-only range just above guest RAM (KVM gets it
 * as a read-only slot: the guest reads the page cache's pages, no copy). */
static int map_archive(const char *path, struct gmem *m)
{
    uint64_t base, size;
    if (archive_map(path, &base, &size) < 0)
        return -1;
    if (size == 0)
        return 0;
    m->rom = (const uint8_t *)(uintptr_t)base;
    m->rom_size = size;
    m->rom_gpa = (m->size + LARGE - 1) & ~(LARGE - 1);
    return gmem_add(m, m->rom_gpa, m->rom_gpa + size, GMEM_USER);
}

/* Lays out guest memory; fills in the boot info's memory fields, *entry and *cr3. */
static int layout(const struct opts *o, struct gmem *m, struct hvt_boot_info *bi,
                  uint64_t *entry, uint64_t *cr3)
{
    uint64_t kernel_end;
    if (o->mem <= HVT_LOAD_BASE + PAGE)
        return tender_error("--mem %zu: hvt guests need more than 1M (kernels load at 1 MiB)",
                            o->mem);
    if (sizeof(*bi) + strlen(o->cmdline) + 1 > HVT_BOOT_SIZE)
        return tender_error("command line too long (at most %llu bytes)",
                            (unsigned long long)(HVT_BOOT_SIZE - sizeof(*bi) - 1));
    if (gmem_init(m, o->mem) < 0 || cpu_write_tables(m) < 0)
        return -1;
    if (gmem_add(m, HVT_BOOT_INFO_ADDR, HVT_BOOT_INFO_ADDR + HVT_BOOT_SIZE, GMEM_USER) < 0 ||
        gmem_add(m, HVT_STACK_BOTTOM, HVT_STACK_TOP, GMEM_USER | GMEM_WRITE) < 0)
        return -1;
    uint64_t limit = o->mem < HVT_LOAD_LIMIT ? o->mem : HVT_LOAD_LIMIT;
    if (hvt_load_kernel(o->kernel, m, limit, entry, &kernel_end) < 0)
        return -1;
    if (o->archive && map_archive(o->archive, m) < 0)
        return -1;
    /* Page tables at the top of RAM; the heap is everything between the kernel and them. */
    uint64_t top = m->rom ? m->rom_gpa + m->rom_size : m->size;
    uint64_t tables = m->size - gmem_table_pages(top, m->count + 2) * PAGE;
    if (tables > m->size || tables < kernel_end + PAGE)
        return tender_error("%s: kernel and page tables do not fit in --mem %zu", o->kernel,
                            o->mem);
    if (gmem_add(m, kernel_end, tables, GMEM_USER | GMEM_WRITE) < 0 ||
        gmem_add(m, tables, m->size, GMEM_WRITE) < 0 ||
        gmem_build_tables(m, tables, m->size, cr3) < 0)
        return -1;
    bi->heap_start = kernel_end;
    bi->heap_size = tables - kernel_end;
    bi->archive = m->rom ? m->rom_gpa : 0;
    bi->archive_size = m->rom_size;
    return 0;
}

/* The hvt sandbox: KVM_RUN (and the register reads of a fault report) on the vCPU, the taps,
 * the console, ppoll and exit; sendmmsg on packet sockets, sendto (the kick) on AF_XDP sockets,
 * whose BPF links stay open so their XDP programs stay attached. */
static int seal(const struct run_guest *g)
{
    static const uint32_t vcpu_ioctls[] = {KVM_RUN, KVM_GET_REGS, KVM_GET_SREGS};
    uint32_t readable[TENDER_NET_MAX], sockets[TENDER_NET_MAX], xsks[TENDER_NET_MAX];
    uint32_t writable[TENDER_NET_MAX + 2];
    int keep[2 * TENDER_NET_MAX + 1];
    struct seal_filter f;
    unsigned nw = 0, nk = 0, ns = 0, nr = 0, nx = 0;

    writable[nw++] = 1;
    writable[nw++] = 2;
    for (unsigned i = 0; i < g->net_count; i++) {
        keep[nk++] = g->tap_fd[i];
        if (g->xsk[i]) { /* the tender only touches the rings; the kernel reads and writes frames */
            xsks[nx++] = (uint32_t)g->tap_fd[i];
            keep[nk++] = g->xsk[i]->x.link_fd;
            continue;
        }
        readable[nr++] = (uint32_t)g->tap_fd[i]; /* packet sockets: frames too big for a ring slot */
        if (g->packet[i])
            sockets[ns++] = (uint32_t)g->tap_fd[i];
        else
            writable[nw++] = (uint32_t)g->tap_fd[i];
    }
    keep[nk++] = g->vm->vcpu;
    seal_begin(&f);
    seal_allow_ioctl(&f, (uint32_t)g->vm->vcpu, vcpu_ioctls, 3);
    if (nr > 0)
        seal_allow_if_arg(&f, SYS_read, 0, readable, nr);
    seal_allow_if_arg(&f, SYS_write, 0, writable, nw);
    if (ns > 0)
        seal_allow_if_arg(&f, SYS_sendmmsg, 0, sockets, ns);
    if (nx > 0)
        seal_allow_if_arg(&f, SYS_sendto, 0, xsks, nx);
    seal_allow(&f, SYS_ppoll);
    seal_allow(&f, SYS_exit_group);
    seal_allow(&f, SYS_exit);
    return seal_apply(&f, keep, nk);
}

static int prepare(const struct opts *o, struct gmem *m, struct vm *vm, struct run_guest *g)
{
    struct tap_info taps[TENDER_NET_MAX];
    struct hvt_boot_info bi;
    uint64_t entry = 0, cr3 = 0;

    if (tender_ensure_std_fds() < 0)
        return -1;
    /* A console whose reader went away loses output (EPIPE) instead of killing the guest. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        return tender_error("cannot ignore SIGPIPE: %s", strerror(errno));
    static struct packet_nic packets[TENDER_NET_MAX];
    static struct net_xsk xsks[TENDER_NET_MAX];
    struct cgroup_join cg;
    if (cgroup_join_start(&cg) < 0)
        return -1;
    memset(&bi, 0, sizeof(bi));
    for (unsigned i = 0; i < o->net_count; i++) {
        /* the process exits on failure: NICs opened so far close with it */
        if (strncmp(o->nets[i], PACKET_SPEC_PREFIX, strlen(PACKET_SPEC_PREFIX)) == 0) {
            if (packet_open(o->nets[i] + strlen(PACKET_SPEC_PREFIX), o->mem, &packets[i]) < 0)
                return -1;
            bi.net[i].mtu = packets[i].mtu;
            memcpy(bi.net[i].mac, packets[i].mac, sizeof(packets[i].mac));
            g->tap_fd[i] = packets[i].fd;
            g->packet[i] = &packets[i];
            continue;
        }
        if (strncmp(o->nets[i], XSK_SPEC_PREFIX, strlen(XSK_SPEC_PREFIX)) == 0) {
            if (net_xsk_open(o->nets[i] + strlen(XSK_SPEC_PREFIX), o->mem, &xsks[i]) < 0)
                return -1;
            bi.net[i].mtu = xsks[i].x.mtu;
            memcpy(bi.net[i].mac, xsks[i].x.mac, sizeof(xsks[i].x.mac));
            g->tap_fd[i] = xsks[i].x.fd;
            g->xsk[i] = &xsks[i];
            continue;
        }
        if (tap_open(o->nets[i], &taps[i]) < 0)
            return -1;
        bi.net[i].mtu = taps[i].mtu;
        memcpy(bi.net[i].mac, taps[i].mac, sizeof(taps[i].mac));
        g->tap_fd[i] = taps[i].fd;
        g->packet[i] = NULL;
    }
    if (cgroup_join_finish(&cg) < 0) /* before any guest memory is mapped */
        return -1;
    g->net_count = bi.net_count = o->net_count;
    g->mtu = TENDER_MTU;
    if (layout(o, m, &bi, &entry, &cr3) < 0 || vm_open(vm, m) < 0)
        return -1;
    g->vm = vm;
    g->mem = m;
    if (cpu_enter(vm->vcpu, cr3, entry, HVT_STACK_TOP, HVT_BOOT_INFO_ADDR) < 0)
        return -1;

    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    bi.magic = HVT_ABI_MAGIC;
    bi.version = HVT_ABI_VERSION;
    bi.size = sizeof(bi);
    bi.cmdline = HVT_BOOT_INFO_ADDR + sizeof(bi);
    bi.tsc_khz = vm->tsc_khz;
    bi.features = HVT_FEATURE_NET_VEC;
    bi.wall_ns = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
    uint8_t *boot = gmem_ram_ptr(m, HVT_BOOT_INFO_ADDR, HVT_BOOT_SIZE);
    memcpy(boot, &bi, sizeof(bi));
    memcpy(boot + sizeof(bi), o->cmdline, strlen(o->cmdline) + 1);
    fflush(NULL); /* nothing of the tender's stdio may be left to flush after the seal */
    return seal(g);
}

int main(int argc, char **argv)
{
    static const char what[] =
        "Runs an hvt unikernel (static ELF linked at 1 MiB) in a KVM virtual machine,\n"
        "from a seccomp-sandboxed process. BYTES is all of the guest's memory.\n"
        "--net packet:IFACE[,MAC] gives the guest a link of this namespace (e.g. a veth)\n"
        "through an AF_PACKET socket with a mapped receive ring instead of a tap.\n"
        "--net xdp:IFACE[,MAC] gives it such a link through an AF_XDP socket (an XDP\n"
        "program on the link, rings the tender drives); the peer must send full checksums.";
    static struct run_guest g; /* static: zeroed, and alive for as long as the guest runs */
    static struct gmem mem;
    static struct vm vm;
    struct opts o;
    int status;

    if (opts_setup(argc, argv, &o, what, &status) < 0)
        return status;
    /* o.cmdline stays allocated while the guest runs: free() after the seal could make a system
     * call the sandbox kills. */
    if (prepare(&o, &mem, &vm, &g) == 0)
        run_guest(&g);
    opts_free(&o);
    return TENDER_EXIT_ERROR;
}
