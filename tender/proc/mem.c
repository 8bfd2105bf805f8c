/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mapping the guest's heap, stack and boot page (see mem.h). None of these are ever
 * unmapped: they live as long as the guest, which is as long as the process.
 */
#include "mem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tender.h"

#define PAGE 4096u

static void *map_anon(size_t size, int prot)
{
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

int mem_map_heap(size_t size, uint64_t *start)
{
    void *p = map_anon(size, PROT_READ | PROT_WRITE);
    if (!p)
        return tender_error("cannot map a %zu byte heap: %s", size, strerror(errno));
    *start = (uint64_t)(uintptr_t)p;
    return 0;
}

int mem_map_stack(void **top)
{
    char *p = map_anon(MEM_STACK_SIZE + PAGE, PROT_READ | PROT_WRITE);
    if (!p)
        return tender_error("cannot map the guest stack: %s", strerror(errno));
    /* The lowest page stays inaccessible: an overflow faults instead of corrupting memory. */
    if (mprotect(p, PAGE, PROT_NONE) < 0) {
        int err = errno;
        munmap(p, MEM_STACK_SIZE + PAGE);
        return tender_error("cannot protect the stack guard page: %s", strerror(err));
    }
    *top = p + PAGE + MEM_STACK_SIZE;
    return 0;
}

static size_t boot_size(size_t cmdline_len)
{
    return (sizeof(struct proc_boot_info) + cmdline_len + 1 + PAGE - 1) & ~(size_t)(PAGE - 1);
}

int mem_map_boot(const char *cmdline, struct proc_boot_info **bi)
{
    size_t len = strlen(cmdline) + 1;
    size_t size = boot_size(len - 1);
    char *p = map_anon(size, PROT_READ | PROT_WRITE);
    if (!p)
        return tender_error("cannot map the boot info: %s", strerror(errno));
    memcpy(p + sizeof(**bi), cmdline, len);
    *bi = (struct proc_boot_info *)p;
    (*bi)->cmdline = (uint64_t)(uintptr_t)(p + sizeof(**bi));
    return 0;
}

int mem_seal_boot(struct proc_boot_info *bi)
{
    size_t size = boot_size(strlen((const char *)(uintptr_t)bi->cmdline));
    if (mprotect(bi, size, PROT_READ) < 0)
        return tender_error("cannot protect the boot info: %s", strerror(errno));
    return 0;
}
