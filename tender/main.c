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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf.h"
#include "mem.h"
#include "opts.h"
#include "proc_abi.h"
#include "seal.h"
#include "tap.h"
#include "tender.h"

int tender_error(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "unf-proc: %s\n", line);
    return -1;
}

/* Fds 0-2 are opened on /dev/null when missing, so no tap can land on them. */
static int ensure_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int got = open("/dev/null", O_RDWR);
        if (got != fd) {
            if (got >= 0)
                close(got);
            return -1;
        }
    }
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
    int tap_fds[PROC_ABI_NET_MAX];
    uint64_t archive = 0, archive_size = 0, heap = 0;
    struct proc_boot_info *bi;

    if (ensure_std_fds() < 0)
        return tender_error("cannot open /dev/null for a missing standard fd");
    /* A console whose reader went away loses output (EPIPE) instead of killing the guest. */
    if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
        return tender_error("cannot ignore SIGPIPE: %s", strerror(errno));
    for (unsigned i = 0; i < o->net_count; i++) {
        if (tap_open(o->nets[i], &nets[i]) < 0)
            return -1; /* the process exits: taps opened so far close with it */
        tap_fds[i] = nets[i].fd;
    }
    if (o->archive && mem_map_archive(o->archive, &archive, &archive_size) < 0)
        return -1;
    if (elf_load(o->kernel, entry) < 0)
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
    if (mem_seal_boot(bi) < 0)
        return -1;
    fflush(NULL); /* nothing of the tender's stdio may be left to flush after the jump */
    if (seal_process(tap_fds, o->net_count) < 0)
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

    if (opts_parse(argc, argv, &o) < 0) {
        opts_free(&o);
        return TENDER_EXIT_ERROR;
    }
    if (o.help) {
        opts_usage();
        opts_free(&o);
        return 0;
    }
    if (prepare(&o, &entry, &stack_top, &bi) < 0) {
        opts_free(&o);
        return TENDER_EXIT_ERROR;
    }
    /* o.cmdline stays allocated: it was copied into the boot page, and free() after the seal
     * could make a system call (munmap, madvise) the sandbox kills. */
    enter_guest(entry, stack_top, bi);
}
