/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loading a proc kernel: after the checks of elf_check.h against the proc link range
 * [PROC_ABI_LOAD_BASE, PROC_ABI_LOAD_LIMIT), each PT_LOAD segment is mapped at its link address
 * (MAP_FIXED_NOREPLACE) with exactly its own protections, and .bss is zero-filled.
 */
#ifndef UNF_TENDER_PROC_LOAD_H
#define UNF_TENDER_PROC_LOAD_H

#include <stdint.h>

/* Loads the kernel at path; *entry receives its entry point. -1 (error reported as
 * "unf-proc: PATH: why") on a bad file or a failed mapping. */
int proc_load_kernel(const char *path, uint64_t *entry);

#endif
