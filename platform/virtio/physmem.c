/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Free-memory selection and the boot-time carve allocator (see mem.h). Only memory below 4 GiB
 * counts, since that is what the boot page tables map; the drivers' queues come off the top of
 * the chosen range so the heap below stays one contiguous block.
 */
#include "physmem.h"

#include <string.h>

#define PAGE 4096ull
#define MAPPED_END (4ull << 30)

static uint64_t free_start, free_end;

static int inside(uint64_t at, const struct physmem_range *r) { return at >= r->start && at < r->end; }

/* The free piece of `ram` that starts at `start`, ending at the next used range. */
static uint64_t piece_end(uint64_t start, uint64_t end, const struct physmem_range *used, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (used[i].start >= start && used[i].start < end)
            end = used[i].start;
    return end;
}

static void consider(uint64_t start, uint64_t end, const struct physmem_range *used, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (inside(start, &used[i]))
            return;
    end = piece_end(start, end, used, n);
    start = (start + PAGE - 1) & ~(PAGE - 1);
    end &= ~(PAGE - 1);
    if (end > start && end - start > free_end - free_start) {
        free_start = start;
        free_end = end;
    }
}

int physmem_init(const struct physmem_range *ram, unsigned ram_count, const struct physmem_range *used,
             unsigned used_count)
{
    free_start = free_end = 0;
    for (unsigned r = 0; r < ram_count; r++) {
        uint64_t start = ram[r].start, end = ram[r].end < MAPPED_END ? ram[r].end : MAPPED_END;
        if (start >= end)
            continue;
        /* Candidate pieces begin at the range's start or right after a used range. */
        consider(start, end, used, used_count);
        for (unsigned u = 0; u < used_count; u++)
            if (used[u].end > start && used[u].end < end)
                consider(used[u].end, end, used, used_count);
    }
    return free_end > free_start ? 0 : -1;
}

void *physmem_alloc(size_t size, size_t align)
{
    if (align < 16)
        align = 16;
    if (size > free_end - free_start)
        return NULL;
    uint64_t at = (free_end - size) & ~((uint64_t)align - 1);
    if (at < free_start)
        return NULL;
    free_end = at;
    memset((void *)(uintptr_t)at, 0, size);
    return (void *)(uintptr_t)at;
}

void physmem_remaining(uintptr_t *start, size_t *size)
{
    *start = (uintptr_t)free_start;
    *size = (size_t)(free_end - free_start);
}
