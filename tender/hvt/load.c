/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Copying a checked hvt kernel into guest RAM (see load.h). Copies rather than mappings: guest
 * RAM is one anonymous mapping KVM knows as one slot, and a kernel is tens of kilobytes.
 */
#include "load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "elf_check.h"
#include "hvt_abi.h"
#include "tender.h"

static int copy_segment(const struct elf_image *im, struct gmem *m, const Elf64_Phdr *ph)
{
    uint8_t *dst = gmem_ram_ptr(m, ph->p_vaddr, ph->p_memsz);
    if (!dst)
        return elf_bad(im, "segment outside guest memory");
    for (uint64_t done = 0; done < ph->p_filesz;) {
        ssize_t n = pread(im->fd, dst + done, ph->p_filesz - done, (off_t)(ph->p_offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return tender_error("%s: read: %s", im->path, strerror(errno));
        if (n == 0)
            return elf_bad(im, "file truncated");
        done += (uint64_t)n;
    }
    /* .bss is already zero: guest RAM is fresh anonymous memory. */
    unsigned flags = GMEM_USER | (ph->p_flags & PF_W ? GMEM_WRITE : 0) |
                     (ph->p_flags & PF_X ? GMEM_EXEC : 0);
    return gmem_add(m, ph->p_vaddr, ph->p_vaddr + ph->p_memsz, flags);
}

int hvt_load_kernel(const char *path, struct gmem *m, uint64_t limit, uint64_t *entry,
                    uint64_t *end)
{
    char text[96];
    snprintf(text, sizeof(text), "hvt kernels live in 0x%llx-0x%llx with this --mem",
             (unsigned long long)HVT_LOAD_BASE, (unsigned long long)limit - 1);
    struct elf_range range = {HVT_LOAD_BASE, limit, text};
    struct elf_image im;
    int rc = -1;

    if (elf_open(path, &range, &im) < 0)
        return -1;
    uint64_t top = 0;
    for (unsigned i = 0; i < im.eh.e_phnum; i++) {
        const Elf64_Phdr *ph = &im.ph[i];
        if (!elf_is_load(ph))
            continue;
        if (copy_segment(&im, m, ph) < 0)
            goto out;
        if (ph->p_vaddr + ph->p_memsz > top)
            top = ph->p_vaddr + ph->p_memsz;
    }
    *entry = im.eh.e_entry;
    *end = elf_page_up(top);
    rc = 0;
out:
    elf_close(&im);
    return rc;
}
