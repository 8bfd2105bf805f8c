/*
 * Loading the guest kernel: a static x86_64 ELF executable (ET_EXEC) whose PT_LOAD segments lie
 * in the proc link range [PROC_ABI_LOAD_BASE, PROC_ABI_LOAD_LIMIT). The file is checked
 * completely before anything is mapped; then each segment is mapped at its link address
 * (MAP_FIXED_NOREPLACE) with exactly its own protections, and .bss is zero-filled.
 */
#ifndef UNF_TENDER_ELF_H
#define UNF_TENDER_ELF_H

#include <stdint.h>

/* Loads the kernel at path; *entry receives its entry point. -1 (error reported as
 * "unf-proc: PATH: why") on a bad file or a failed mapping. */
int elf_load(const char *path, uint64_t *entry);

#endif
