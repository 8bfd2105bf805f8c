/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel checks shared by the tenders (see elf_check.h). Everything is read with pread into
 * our own buffers and checked before any tender maps or copies a byte, so a bad file is refused
 * before it can change the address space or the guest's memory.
 */
#include "elf_check.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender.h"

int elf_bad(const struct elf_image *im, const char *why)
{
    return tender_error("%s: %s", im->path, why);
}

int elf_is_load(const Elf64_Phdr *ph) { return ph->p_type == PT_LOAD && ph->p_memsz != 0; }

static int read_at(const struct elf_image *im, void *buf, size_t len, uint64_t off)
{
    ssize_t n = pread(im->fd, buf, len, (off_t)off);
    if (n < 0)
        return tender_error("%s: read: %s", im->path, strerror(errno));
    if ((size_t)n != len)
        return elf_bad(im, "file truncated");
    return 0;
}

static int check_header(struct elf_image *im)
{
    const Elf64_Ehdr *eh = &im->eh;
    if (im->file_size == 0)
        return elf_bad(im, "empty file");
    if (im->file_size < sizeof(*eh))
        return elf_bad(im, "file truncated (shorter than an ELF header)");
    if (read_at(im, &im->eh, sizeof(im->eh), 0) < 0)
        return -1;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return elf_bad(im, "not an ELF file (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return elf_bad(im, "not a 64-bit ELF file");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return elf_bad(im, "not a little-endian ELF file");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return elf_bad(im, "unknown ELF version");
    if (eh->e_machine != EM_X86_64)
        return elf_bad(im, "not an x86_64 ELF file (wrong e_machine)");
    if (eh->e_type != ET_EXEC)
        return elf_bad(im, "not a static executable (ELF type is not ET_EXEC)");
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHDRS)
        return elf_bad(im, "bad program header table (size or count)");
    uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > im->file_size || table > im->file_size - eh->e_phoff)
        return elf_bad(im, "file truncated (program headers past the end)");
    return read_at(im, im->ph, (size_t)table, eh->e_phoff);
}

/* Checks one PT_LOAD segment in isolation; overlaps are checked by the caller. */
static int check_load(const struct elf_image *im, const struct elf_range *range,
                      const Elf64_Phdr *ph)
{
    char why[160];
    if (ph->p_filesz > ph->p_memsz)
        return elf_bad(im, "segment's file size exceeds its memory size");
    if (ph->p_offset > im->file_size || ph->p_filesz > im->file_size - ph->p_offset)
        return elf_bad(im, "file truncated (segment data past the end)");
    if (ph->p_vaddr < range->base || ph->p_vaddr >= range->limit ||
        ph->p_memsz > range->limit - ph->p_vaddr) {
        snprintf(why, sizeof(why), "segment out of range (%s)", range->text);
        return elf_bad(im, why);
    }
    if (ph->p_vaddr % ELF_PAGE != ph->p_offset % ELF_PAGE)
        return elf_bad(im, "segment address and file offset differ modulo the page size");
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
        return elf_bad(im, "segment is both writable and executable");
    return 0;
}

static int share_page(const Elf64_Phdr *a, const Elf64_Phdr *b)
{
    return elf_page_down(a->p_vaddr) < elf_page_up(b->p_vaddr + b->p_memsz) &&
           elf_page_down(b->p_vaddr) < elf_page_up(a->p_vaddr + a->p_memsz);
}

static int check_segments(const struct elf_image *im, const struct elf_range *range)
{
    int loads = 0, entry_ok = 0;
    for (unsigned i = 0; i < im->eh.e_phnum; i++) {
        const Elf64_Phdr *ph = &im->ph[i];
        if (ph->p_type == PT_INTERP || ph->p_type == PT_DYNAMIC)
            return elf_bad(im, "dynamically linked (kernels must be static)");
        if (ph->p_type == PT_TLS)
            return elf_bad(im, "has thread-local storage (not supported)");
        if (!elf_is_load(ph))
            continue;
        if (check_load(im, range, ph) < 0)
            return -1;
        loads++;
        for (unsigned j = 0; j < i; j++)
            if (elf_is_load(&im->ph[j]) && share_page(ph, &im->ph[j]))
                return elf_bad(im, "PT_LOAD segments share a page");
        if ((ph->p_flags & PF_X) && im->eh.e_entry >= ph->p_vaddr &&
            im->eh.e_entry < ph->p_vaddr + ph->p_filesz)
            entry_ok = 1;
    }
    if (loads == 0)
        return elf_bad(im, "no PT_LOAD segment");
    if (!entry_ok)
        return elf_bad(im, "entry point is not in an executable segment");
    return 0;
}

int elf_open(const char *path, const struct elf_range *range, struct elf_image *im)
{
    struct stat st;

    memset(im, 0, sizeof(*im));
    im->path = path;
    im->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (im->fd < 0)
        return tender_error("%s: %s", path, strerror(errno));
    if (fstat(im->fd, &st) < 0) {
        tender_error("%s: stat: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        elf_bad(im, "not a regular file");
        goto fail;
    }
    im->file_size = (uint64_t)st.st_size;
    if (check_header(im) < 0 || check_segments(im, range) < 0)
        goto fail;
    return 0;
fail:
    elf_close(im);
    return -1;
}

void elf_close(struct elf_image *im)
{
    if (im->fd >= 0)
        close(im->fd);
    im->fd = -1;
}
