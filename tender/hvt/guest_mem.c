/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Guest memory, its regions and its page tables (see guest_mem.h). Page-table layout: one PML4,
 * one PDPT (all GPAs we use are below 512 GiB), one PD per GiB touched, and one PT per 2 MiB
 * range in which some region starts or ends; everything else is mapped with 2 MiB pages. The
 * accessed and dirty bits are preset so the CPU never has to write the tables (they are
 * supervisor-only and the guest never runs at CPL0 except in the fault stubs).
 */
#include "guest_mem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "tender.h"

#define PAGE  4096ULL
#define LARGE (2ULL << 20)
#define GIB   (1ULL << 30)

#define PTE_P   0x001ULL
#define PTE_W   0x002ULL
#define PTE_U   0x004ULL
#define PTE_A   0x020ULL
#define PTE_D   0x040ULL
#define PTE_PS  0x080ULL
#define PTE_NX  (1ULL << 63)
#define PTE_DIR (PTE_P | PTE_W | PTE_U | PTE_A) /* directories allow all; leaves decide */

int gmem_init(struct gmem *m, uint64_t size)
{
    memset(m, 0, sizeof(*m));
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED)
        return tender_error("cannot map %llu bytes of guest memory: %s", (unsigned long long)size,
                            strerror(errno));
    m->base = p;
    m->size = size;
    return 0;
}

int gmem_add(struct gmem *m, uint64_t start, uint64_t end, unsigned flags)
{
    start &= ~(PAGE - 1);
    end = (end + PAGE - 1) & ~(PAGE - 1);
    if (start >= end)
        return 0;
    if (m->count == GMEM_MAX_REGIONS)
        return tender_error("too many guest memory regions");
    for (unsigned i = 0; i < m->count; i++)
        if (start < m->region[i].end && m->region[i].start < end)
            return tender_error("guest memory regions overlap at 0x%llx", (unsigned long long)start);
    m->region[m->count++] = (struct gmem_region){start, end, flags};
    return 0;
}

uint64_t gmem_table_pages(uint64_t top, unsigned regions)
{
    /* PML4 + PDPT + a PD per GiB below top + a PT per region boundary. */
    return 2 + (top + GIB - 1) / GIB + 2ULL * regions;
}

struct builder {
    struct gmem *m;
    uint64_t next, end; /* free table pages */
    uint64_t pml4;
};

static uint64_t *table_at(const struct builder *b, uint64_t gpa)
{
    return (uint64_t *)(void *)(b->m->base + gpa);
}

/* The table an entry points to, allocating a zeroed one when the entry is empty. 0: no room. */
static uint64_t next_level(struct builder *b, uint64_t *entry)
{
    if (*entry & PTE_P)
        return *entry & 0x000ffffffffff000ULL;
    if (b->next >= b->end)
        return 0;
    uint64_t t = b->next;
    b->next += PAGE;
    memset(table_at(b, t), 0, PAGE);
    *entry = t | PTE_DIR;
    return t;
}

static uint64_t leaf_bits(unsigned flags)
{
    uint64_t bits = PTE_P | PTE_A | PTE_D;
    if (flags & GMEM_USER)
        bits |= PTE_U;
    if (flags & GMEM_WRITE)
        bits |= PTE_W;
    if (!(flags & GMEM_EXEC))
        bits |= PTE_NX;
    return bits;
}

/* Maps [gpa, gpa + len) (one 4 KiB page, or one 2 MiB page when large) with flags. */
static int map_one(struct builder *b, uint64_t gpa, int large, unsigned flags)
{
    uint64_t pdpt = next_level(b, &table_at(b, b->pml4)[(gpa >> 39) & 511]);
    uint64_t pd = pdpt ? next_level(b, &table_at(b, pdpt)[(gpa >> 30) & 511]) : 0;
    if (!pd)
        return -1;
    uint64_t *pde = &table_at(b, pd)[(gpa >> 21) & 511];
    if (large) {
        *pde = gpa | leaf_bits(flags) | PTE_PS;
        return 0;
    }
    uint64_t pt = next_level(b, pde);
    if (!pt)
        return -1;
    table_at(b, pt)[(gpa >> 12) & 511] = gpa | leaf_bits(flags);
    return 0;
}

int gmem_build_tables(struct gmem *m, uint64_t tables, uint64_t tables_end, uint64_t *cr3)
{
    struct builder b = {m, tables + PAGE, tables_end, tables};
    if (tables_end > m->size || tables >= tables_end)
        return tender_error("no room for the guest's page tables");
    memset(table_at(&b, tables), 0, PAGE);
    for (unsigned i = 0; i < m->count; i++) {
        const struct gmem_region *r = &m->region[i];
        for (uint64_t a = r->start; a < r->end;) {
            int large = a % LARGE == 0 && r->end - a >= LARGE;
            if (map_one(&b, a, large, r->flags) < 0)
                return tender_error("the guest's page tables do not fit in their %llu pages",
                                    (unsigned long long)((tables_end - tables) / PAGE));
            a += large ? LARGE : PAGE;
        }
    }
    *cr3 = tables;
    return 0;
}

static const struct gmem_region *region_of(const struct gmem *m, uint64_t gpa)
{
    for (unsigned i = 0; i < m->count; i++)
        if (gpa >= m->region[i].start && gpa < m->region[i].end)
            return &m->region[i];
    return NULL;
}

void *gmem_ram_ptr(const struct gmem *m, uint64_t gpa, uint64_t len)
{
    if (gpa > m->size || len > m->size - gpa)
        return NULL;
    return m->base + gpa;
}

void *gmem_guest_ptr(const struct gmem *m, uint64_t gpa, uint64_t len, unsigned need)
{
    uint64_t end = gpa + len;
    if (end < gpa)
        return NULL;
    need |= GMEM_USER;
    for (uint64_t at = gpa; at < end || at == gpa;) { /* a zero-length buffer still needs a home */
        const struct gmem_region *r = region_of(m, at);
        if (!r || (r->flags & need) != need)
            return NULL;
        at = r->end;
        if (at >= end)
            break;
    }
    if (m->rom && gpa >= m->rom_gpa && end <= m->rom_gpa + m->rom_size)
        return (void *)(uintptr_t)(m->rom + (gpa - m->rom_gpa));
    return gmem_ram_ptr(m, gpa, len);
}
