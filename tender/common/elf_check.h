/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checking a guest kernel before anything of it is loaded, for every tender: a static x86_64
 * ELF64 executable (ET_EXEC, no PT_INTERP/PT_DYNAMIC/PT_TLS) whose PT_LOAD segments lie in the
 * platform's load range, do not share pages, are not both writable and executable, have file
 * offsets congruent to their addresses modulo 4 KiB, and contain the entry point in an executable
 * segment. How the segments are then placed (mmap for proc, copies into guest memory for hvt) is
 * the tender's business.
 */
#ifndef UNF_TENDER_ELF_CHECK_H
#define UNF_TENDER_ELF_CHECK_H

#include <elf.h>
#include <stdint.h>

#define ELF_MAX_PHDRS 16
#define ELF_PAGE      4096ULL

#define elf_page_down(x) ((x) & ~(ELF_PAGE - 1))
#define elf_page_up(x)   (((x) + ELF_PAGE - 1) & ~(ELF_PAGE - 1))

/* Where a platform's kernels must be linked: [base, limit), and how to say so in an error. */
struct elf_range {
    uint64_t base, limit;
    const char *text; /* e.g. "proc kernels live in 0x40000000-0x7fffffff" */
};

struct elf_image {
    const char *path;
    int fd;             /* open while the image is: segments are read or mapped from it */
    uint64_t file_size;
    Elf64_Ehdr eh;
    Elf64_Phdr ph[ELF_MAX_PHDRS];
};

/* Opens and checks the kernel at path; -1 (error reported as "PATH: why") on any fault, and
 * nothing is left open then. */
int elf_open(const char *path, const struct elf_range *range, struct elf_image *im);
void elf_close(struct elf_image *im);
/* A PT_LOAD segment that occupies memory (linkers may emit empty ones). */
int elf_is_load(const Elf64_Phdr *ph);
/* Reports "PATH: why"; returns -1. */
int elf_bad(const struct elf_image *im, const char *why);

#endif
