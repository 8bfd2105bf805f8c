/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Loading an hvt kernel into guest RAM: after the checks of elf_check.h (segments linked at
 * HVT_LOAD_BASE or above, inside guest memory), each PT_LOAD segment is copied to its link
 * address (guest-physical = guest-virtual) and declared as a user region with the segment's own
 * rights, so the page tables give text R+X, rodata R and data R+W (never W+X).
 */
#ifndef UNF_TENDER_HVT_LOAD_H
#define UNF_TENDER_HVT_LOAD_H

#include <stdint.h>

#include "guest_mem.h"

/* Loads the kernel at path below `limit`; *entry gets its entry point, *end the page-aligned end
 * of its highest segment. -1 (reported as "unf-hvt: PATH: why") on any fault. */
int hvt_load_kernel(const char *path, struct gmem *m, uint64_t limit, uint64_t *entry,
                    uint64_t *end);

#endif
