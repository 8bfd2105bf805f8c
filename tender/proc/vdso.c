/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Finds __vdso_clock_gettime in the vDSO the kernel maps into this process (see vdso.h): the
 * image's dynamic symbol table, read through its section headers, which the kernel maps along
 * with the code. Anything unexpected in the image means "no vDSO", never an error: the guest
 * then uses the system call it always could.
 */
#include "vdso.h"

#include <elf.h>
#include <string.h>
#include <sys/auxv.h>

uint64_t proc_vdso_clock_gettime(void)
{
    const unsigned char *image = (const unsigned char *)getauxval(AT_SYSINFO_EHDR);
    if (!image)
        return 0;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shentsize != sizeof(Elf64_Shdr) || eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_shoff == 0)
        return 0;
    /* The symbols' values are link addresses; the bias maps them to where the image lies. */
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(image + eh->e_phoff);
    uintptr_t bias = 0;
    int have_load = 0;
    for (unsigned i = 0; i < eh->e_phnum && !have_load; i++) {
        if (ph[i].p_type == PT_LOAD) {
            bias = (uintptr_t)image + ph[i].p_offset - ph[i].p_vaddr;
            have_load = 1;
        }
    }
    if (!have_load)
        return 0;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(image + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_entsize != sizeof(Elf64_Sym) || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Sym *sym = (const Elf64_Sym *)(image + sh[i].sh_offset);
        const char *names = (const char *)(image + sh[sh[i].sh_link].sh_offset);
        size_t names_size = sh[sh[i].sh_link].sh_size;
        for (size_t k = 0; k < sh[i].sh_size / sizeof(Elf64_Sym); k++) {
            if (sym[k].st_name >= names_size || ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_shndx == SHN_UNDEF)
                continue;
            const char *name = names + sym[k].st_name;
            if (strnlen(name, names_size - sym[k].st_name) < names_size - sym[k].st_name &&
                strcmp(name, "__vdso_clock_gettime") == 0)
                return (uint64_t)(bias + sym[k].st_value);
        }
    }
    return 0;
}
