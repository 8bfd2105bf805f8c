/*
 * The guest ELF loader (see elf.h). Validation and mapping are separate passes so that a bad
 * file is refused before it can change the address space. File-backed segments are mapped
 * MAP_PRIVATE from the kernel file, so the text of many instances of one kernel shares the page
 * cache; only pages a guest writes become its own.
 */
#include "elf.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc_abi.h"
#include "tender.h"

#define PAGE      4096ULL
#define MAX_PHDRS 16

#define page_down(x) ((x) & ~(PAGE - 1))
#define page_up(x)   (((x) + PAGE - 1) & ~(PAGE - 1))

struct image {
    const char *path;
    int fd;
    uint64_t file_size;
    Elf64_Ehdr eh;
    Elf64_Phdr ph[MAX_PHDRS];
};

static int bad(const struct image *im, const char *why)
{
    return tender_error("%s: %s", im->path, why);
}

static int read_at(const struct image *im, void *buf, size_t len, uint64_t off)
{
    ssize_t n = pread(im->fd, buf, len, (off_t)off);
    if (n < 0)
        return tender_error("%s: read: %s", im->path, strerror(errno));
    if ((size_t)n != len)
        return bad(im, "file truncated");
    return 0;
}

static int check_header(struct image *im)
{
    const Elf64_Ehdr *eh = &im->eh;
    if (im->file_size == 0)
        return bad(im, "empty file");
    if (im->file_size < sizeof(*eh))
        return bad(im, "file truncated (shorter than an ELF header)");
    if (read_at(im, &im->eh, sizeof(im->eh), 0) < 0)
        return -1;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0)
        return bad(im, "not an ELF file (bad magic)");
    if (eh->e_ident[EI_CLASS] != ELFCLASS64)
        return bad(im, "not a 64-bit ELF file");
    if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
        return bad(im, "not a little-endian ELF file");
    if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return bad(im, "unknown ELF version");
    if (eh->e_machine != EM_X86_64)
        return bad(im, "not an x86_64 ELF file (wrong e_machine)");
    if (eh->e_type != ET_EXEC)
        return bad(im, "not a static executable (ELF type is not ET_EXEC)");
    if (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > MAX_PHDRS)
        return bad(im, "bad program header table (size or count)");
    uint64_t table = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (eh->e_phoff > im->file_size || table > im->file_size - eh->e_phoff)
        return bad(im, "file truncated (program headers past the end)");
    return read_at(im, im->ph, (size_t)table, eh->e_phoff);
}

/* Checks one PT_LOAD segment in isolation; overlaps are checked by the caller. */
static int check_load(const struct image *im, const Elf64_Phdr *ph)
{
    if (ph->p_filesz > ph->p_memsz)
        return bad(im, "segment's file size exceeds its memory size");
    if (ph->p_offset > im->file_size || ph->p_filesz > im->file_size - ph->p_offset)
        return bad(im, "file truncated (segment data past the end)");
    if (ph->p_vaddr < PROC_ABI_LOAD_BASE || ph->p_vaddr >= PROC_ABI_LOAD_LIMIT ||
        ph->p_memsz > PROC_ABI_LOAD_LIMIT - ph->p_vaddr)
        return bad(im, "segment out of range (proc kernels live in 0x40000000-0x7fffffff)");
    if (ph->p_vaddr % PAGE != ph->p_offset % PAGE)
        return bad(im, "segment address and file offset differ modulo the page size");
    if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
        return bad(im, "segment is both writable and executable");
    return 0;
}

static int share_page(const Elf64_Phdr *a, const Elf64_Phdr *b)
{
    return page_down(a->p_vaddr) < page_up(b->p_vaddr + b->p_memsz) &&
           page_down(b->p_vaddr) < page_up(a->p_vaddr + a->p_memsz);
}

static int check_segments(const struct image *im)
{
    int loads = 0, entry_ok = 0;
    for (unsigned i = 0; i < im->eh.e_phnum; i++) {
        const Elf64_Phdr *ph = &im->ph[i];
        if (ph->p_type == PT_INTERP || ph->p_type == PT_DYNAMIC)
            return bad(im, "dynamically linked (proc kernels are static)");
        if (ph->p_type == PT_TLS)
            return bad(im, "has thread-local storage (not supported)");
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) /* linkers may emit empty ones */
            continue;
        if (check_load(im, ph) < 0)
            return -1;
        loads++;
        for (unsigned j = 0; j < i; j++)
            if (im->ph[j].p_type == PT_LOAD && im->ph[j].p_memsz && share_page(ph, &im->ph[j]))
                return bad(im, "PT_LOAD segments share a page");
        if ((ph->p_flags & PF_X) && im->eh.e_entry >= ph->p_vaddr &&
            im->eh.e_entry < ph->p_vaddr + ph->p_filesz)
            entry_ok = 1;
    }
    if (loads == 0)
        return bad(im, "no PT_LOAD segment");
    if (!entry_ok)
        return bad(im, "entry point is not in an executable segment");
    return 0;
}

static int prot_of(uint32_t flags)
{
    return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) |
           (flags & PF_X ? PROT_EXEC : 0);
}

/* mmap at exactly addr, never over an existing mapping. */
static int map_fixed(const struct image *im, uint64_t addr, uint64_t len, int prot, int fd,
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

static int map_segment(const struct image *im, const Elf64_Phdr *ph)
{
    uint64_t start = page_down(ph->p_vaddr);
    uint64_t file_end = ph->p_vaddr + ph->p_filesz, mem_end = ph->p_vaddr + ph->p_memsz;
    uint64_t file_pages_end = ph->p_filesz ? page_up(file_end) : start;
    int prot = prot_of(ph->p_flags);
    int has_bss = ph->p_memsz > ph->p_filesz;

    if (ph->p_filesz) {
        /* The last file page also holds what follows the segment in the file: zero it from
         * file_end on, which needs write access for a moment. */
        int zero_tail = has_bss && file_end < file_pages_end;
        if (map_fixed(im, start, file_pages_end - start, prot | (zero_tail ? PROT_WRITE : 0),
                      im->fd, page_down(ph->p_offset)) < 0)
            return -1;
        if (zero_tail) {
            uint64_t stop = mem_end < file_pages_end ? mem_end : file_pages_end;
            memset((void *)(uintptr_t)file_end, 0, (size_t)(stop - file_end));
            if (!(prot & PROT_WRITE) &&
                mprotect((void *)(uintptr_t)start, file_pages_end - start, prot) < 0)
                return tender_error("%s: mprotect: %s", im->path, strerror(errno));
        }
    }
    if (page_up(mem_end) > file_pages_end)
        return map_fixed(im, file_pages_end, page_up(mem_end) - file_pages_end, prot, -1, 0);
    return 0;
}

int elf_load(const char *path, uint64_t *entry)
{
    struct image im;
    struct stat st;
    int rc = -1;

    memset(&im, 0, sizeof(im));
    im.path = path;
    im.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (im.fd < 0)
        return tender_error("%s: %s", path, strerror(errno));
    if (fstat(im.fd, &st) < 0) {
        tender_error("%s: stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        bad(&im, "not a regular file");
        goto out;
    }
    im.file_size = (uint64_t)st.st_size;
    if (check_header(&im) < 0 || check_segments(&im) < 0)
        goto out;
    for (unsigned i = 0; i < im.eh.e_phnum; i++)
        if (im.ph[i].p_type == PT_LOAD && im.ph[i].p_memsz && map_segment(&im, &im.ph[i]) < 0)
            goto out; /* the process exits on this error: partial mappings die with it */
    *entry = im.eh.e_entry;
    rc = 0;
out:
    close(im.fd);
    return rc;
}
