/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvt guest's physical memory as the tender sees it: one anonymous mapping of --mem bytes
 * at GPA 0 (MAP_NORESERVE: only pages the guest or the tender touch cost anything), plus a list
 * of regions that say what the guest may do where (user or supervisor, writable, executable).
 * The regions are the single source of truth for both the guest's page tables (built from them
 * with 4 KiB pages where permissions change inside a 2 MiB range, 2 MiB pages elsewhere) and the
 * hypercall buffer checks (a guest can only name memory it could itself access).
 */
#ifndef UNF_TENDER_HVT_GUEST_MEM_H
#define UNF_TENDER_HVT_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

#define GMEM_USER  1u /* CPL3 may access (else supervisor only: the tender's structures) */
#define GMEM_WRITE 2u
#define GMEM_EXEC  4u

#define GMEM_MAX_REGIONS 32

struct gmem_region {
    uint64_t start, end; /* page aligned GPAs, [start, end) */
    unsigned flags;
};

struct gmem {
    uint8_t *base;       /* host address of GPA 0 */
    uint64_t size;       /* bytes of RAM at GPA 0 */
    const uint8_t *rom;  /* host address of the read-only range (the archive), or NULL */
    uint64_t rom_gpa, rom_size;
    struct gmem_region region[GMEM_MAX_REGIONS];
    unsigned count;
};

/* Maps size bytes of zeroed guest RAM; -1 (reported) on failure. */
int gmem_init(struct gmem *m, uint64_t size);
/* Declares [start, end) (rounded out to pages) with flags; -1 (reported) on overlap or overflow. */
int gmem_add(struct gmem *m, uint64_t start, uint64_t end, unsigned flags);
/* How many 4 KiB pages the page tables for up to `regions` regions may need, for the memory
 * below `top` (the highest GPA mapped). */
uint64_t gmem_table_pages(uint64_t top, unsigned regions);
/* Writes the page tables for all declared regions into the RAM pages [tables, tables_end);
 * returns the PML4's GPA in *cr3. -1 (reported) when they do not fit. */
int gmem_build_tables(struct gmem *m, uint64_t tables, uint64_t tables_end, uint64_t *cr3);
/* Host pointer to [gpa, gpa + len) when the guest itself may access it from CPL3 (and write
 * it, with GMEM_WRITE in need), else NULL. The hypercall handlers use it for every buffer. */
void *gmem_guest_ptr(const struct gmem *m, uint64_t gpa, uint64_t len, unsigned need);
/* Host pointer to RAM [gpa, gpa + len) whatever the guest's rights (the tender's own reads). */
void *gmem_ram_ptr(const struct gmem *m, uint64_t gpa, uint64_t len);

#endif
