/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mapping a checked proc kernel (see load.h). File-backed segments are mapped MAP_PRIVATE from
 * the kernel file, so the text of many instances of one kernel shares the page cache; only pages
 * a guest writes become its own.
 */
#include "load.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "elf_check.h"
#include "proc_abi.h"
#include "tender.h"

static int prot_of(uint32_t flags)
{
    return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
           (flags & PF_X ? PROT_EXEC : 0);
}

/* mmap at exactly addr, never over an existing mapping. */
static int map_fixed(const struct elf_image *im, uint64_t addr, uint64_t len, int prot, int fd,
                     uint64_t off)
{
    int flags = MAP_PRIVATE | MAP_FIXED_NOREPLACE | (fd < 0 ? MAP_ANONYMOUS : 0);
    void *p = mmap((void *)addr, len, prot, flags, fd, (off_t)off);
    if (p == MAP_FAILED)
        return tender_error("%s: cannot map segment at 0x%llx: %s", im->path,
                            (unsigned long long)addr, strerror(errno));
    if ((uint64_t)(uintptr_t)p != addr) { /* a kernel without MAP_FIXED_NOREPLACE */
        munmap(p, len);
        return tender_error("%s: cannot map segment at 0x%llx: address in use", im->path,
                            (unsigned long long)addr);
    }
    return 0;
}

static int map_segment(const struct elf_image *im, const Elf64_Phdr *ph)
{
    uint64_t start = elf_page_down(ph->p_vaddr);
    uint64_t file_end = ph->p_vaddr + ph->p_filesz, mem_end = ph->p_vaddr + ph->p_memsz;
    uint64_t file_pages_end = ph->p_filesz ? elf_page_up(file_end) : start;
    int prot = prot_of(ph->p_flags);
    int has_bss = ph->p_memsz > ph->p_filesz;

    if (ph->p_filesz) {
        /* The last file page also holds what follows the segment in the file: zero it from
         * file_end on, which needs write access for a moment. */
        int zero_tail = has_bss && file_end < file_pages_end;
        if (map_fixed(im, start, file_pages_end - start, prot | (zero_tail ? PROT_WRITE : 0),
                      im->fd, elf_page_down(ph->p_offset)) < 0)
            return -1;
        if (zero_tail) {
            uint64_t stop = mem_end < file_pages_end ? mem_end : file_pages_end;
            memset((void *)(uintptr_t)file_end, 0, (size_t)(stop - file_end));
            if (!(prot & PROT_WRITE) &&
                mprotect((void *)(uintptr_t)start, file_pages_end - start, prot) < 0)
                return tender_error("%s: mprotect: %s", im->path, strerror(errno));
        }
    }
    if (elf_page_up(mem_end) > file_pages_end)
        return map_fixed(im, file_pages_end, elf_page_up(mem_end) - file_pages_end, prot, -1, 0);
    return 0;
}

int proc_load_kernel(const char *path, uint64_t *entry)
{
    static const struct elf_range range = {
        PROC_ABI_LOAD_BASE, PROC_ABI_LOAD_LIMIT, "proc kernels live in 0x40000000-0x7fffffff"};
    struct elf_image im;
    int rc = -1;

    if (elf_open(path, &range, &im) < 0)
        return -1;
    for (unsigned i = 0; i < im.eh.e_phnum; i++)
        if (elf_is_load(&im.ph[i]) && map_segment(&im, &im.ph[i]) < 0)
            goto out; /* the process exits on this error: partial mappings die with it */
    *entry = im.eh.e_entry;
    rc = 0;
out:
    elf_close(&im);
    return rc;
}
