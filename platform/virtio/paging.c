/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * On-demand identity mappings above 4 GiB (see paging.h). Tables come from a small static pool:
 * a 64-bit BAR window needs at most a PDPT and a PD, and a NIC has few BARs.
 */
#include "paging.h"

#include <string.h>

#define MAPPED_END (4ull << 30)
#define POOL_PAGES 8
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PWT 0x8ull
#define PTE_PCD 0x10ull
#define PTE_PS 0x80ull
#define ADDR_MASK 0x000ffffffffff000ull
#define PHYS_LIMIT (1ull << 46)

extern uint64_t boot_pml4[512];

static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned pool_used;

/* The table entry `e` points to, created when absent; NULL when the pool is empty. */
static uint64_t *next_table(uint64_t *e)
{
    if (!(*e & PTE_P)) {
        if (pool_used == POOL_PAGES)
            return NULL;
        uint64_t *t = pool[pool_used++];
        memset(t, 0, 4096);
        *e = (uintptr_t)t | PTE_P | PTE_RW;
    }
    return (uint64_t *)(uintptr_t)(*e & ADDR_MASK);
}

int paging_map_device(uint64_t paddr, uint64_t len)
{
    if (paddr + len <= MAPPED_END)
        return 0;
    if (paddr + len > PHYS_LIMIT || paddr + len < paddr)
        return -1;
    for (uint64_t page = paddr & ~((2ull << 20) - 1); page < paddr + len; page += 2ull << 20) {
        if (page < MAPPED_END)
            continue;
        uint64_t *pdpt = next_table(&boot_pml4[(page >> 39) & 511]);
        uint64_t *pd = pdpt ? next_table(&pdpt[(page >> 30) & 511]) : NULL;
        if (!pd)
            return -1;
        pd[(page >> 21) & 511] = page | PTE_P | PTE_RW | PTE_PWT | PTE_PCD | PTE_PS;
        __asm__ volatile("invlpg (%0)" : : "r"((uintptr_t)page) : "memory");
    }
    return 0;
}
