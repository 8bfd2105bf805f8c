/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's memory besides its ELF image: the heap (real anonymous memory, so a memory cgroup
 * accounts for it as the guest touches it), the stack (with a guard page below it) and the page
 * holding the boot info and the command line (the archive: tender/common/archive.h).
 */
#ifndef UNF_TENDER_MEM_H
#define UNF_TENDER_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "proc_abi.h"

#define MEM_STACK_SIZE ((size_t)256 << 10)

/* Maps `size` bytes of zeroed read-write memory; -1 (error reported) on failure. */
int mem_map_heap(size_t size, uint64_t *start);
/* Maps the guest stack; *top is its 16-byte aligned top. */
int mem_map_stack(void **top);
/* Maps a zeroed boot info followed by a copy of cmdline; *bi points into it. */
int mem_map_boot(const char *cmdline, struct proc_boot_info **bi);
/* Makes the filled-in boot page read-only. */
int mem_seal_boot(struct proc_boot_info *bi);

#endif
