/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unf-proc, the proc tender: runs a proc unikernel as an ordinary Linux process. It opens the
 * guest's taps, maps its archive, loads its ELF image, maps its heap and stack, writes the boot
 * info (platform/proc/proc_abi.h), seals itself (fds, no_new_privs, seccomp) and jumps to the
 * guest's entry point; from then on the process is the guest and its exit status the guest's.
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
#include "load.h"
#include "mem.h"
#include "opts.h"
#include "proc_abi.h"
#include "seal.h"
#include "tap.h"
#include "tender.h"
#include "vdso.h"

const char *const tender_name = "unf-proc";

_Static_assert(PROC_ABI_NET_MAX == TENDER_NET_MAX, "proc ABI and tender disagree on NIC count");

/* The proc sandbox: what the proc bindings use (proc_abi.h) and nothing else. */
static int seal(const int *tap_fds, unsigned tap_count)
{
    uint32_t taps[PROC_ABI_NET_MAX], writable[PROC_ABI_NET_MAX + 2];
    static const uint32_t clocks[] = {0 /* CLOCK_REALTIME */, 1 /* CLOCK_MONOTONIC */};
    struct seal_filter f;
    unsigned nw = 0;

    writable[nw++] = 1;
    writable[nw++] = 2;
    for (unsigned i = 0; i < tap_count; i++) {
        taps[i] = (uint32_t)tap_fds[i];
        writable[nw++] = (uint32_t)tap_fds[i];
    }
    seal_begin(&f);
    seal_allow_if_arg(&f, PROC_SYS_READ, 0, taps, tap_count);
    seal_allow_if_arg(&f, PROC_SYS_WRITE, 0, writable, nw);
    seal_allow(&f, PROC_SYS_PPOLL);
    seal_allow_if_arg(&f, PROC_SYS_CLOCK_GETTIME, 0, clocks, 2);
    seal_allow(&f, PROC_SYS_EXIT_GROUP);
    seal_allow(&f, PROC_SYS_EXIT);
    return seal_apply(&f, tap_fds, tap_count);
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
    int tap_fds[PROC_ABI_NET_MAX];
    uint64_t archive = 0, archive_size = 0, heap = 0;
    struct proc_boot_info *bi;

    if (tender_ensure_std_fds() < 0)
        return -1;
    /* A console whose reader went away loses output (EPIPE) instead of killing the guest. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        return tender_error("cannot ignore SIGPIPE: %s", strerror(errno));
    for (unsigned i = 0; i < o->net_count; i++) {
        struct tap_info tap;
        if (tap_open(o->nets[i], &tap) < 0)
            return -1; /* the process exits: taps opened so far close with it */
        memset(&nets[i], 0, sizeof(nets[i]));
        nets[i].fd = tap.fd;
        nets[i].mtu = tap.mtu;
        memcpy(nets[i].mac, tap.mac, sizeof(tap.mac));
        tap_fds[i] = tap.fd;
    }
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
    if (mem_seal_boot(bi) < 0)
        return -1;
    fflush(NULL); /* nothing of the tender's stdio may be left to flush after the jump */
    if (seal(tap_fds, o->net_count) < 0)
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
        "process.";
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
