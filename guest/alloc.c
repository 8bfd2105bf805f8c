/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest allocator. Boundary tags (each block records its own size and its predecessor's,
 * so neighbours coalesce in O(1)) and segregated free lists by power of two (allocation scans
 * one list for a first fit, then takes the head of any larger list), all 16-byte aligned.
 * Single-threaded by design: the guest has one event loop and no preemption.
 */
#include "alloc.h"

#include <platform.h>
#include <stdlib.h>
#include <string.h>

#define ALIGN 16
#define HDR sizeof(struct block)
#define MIN_BLOCK (HDR + 2 * sizeof(void *))
#define USED ((size_t)1)
#define BINS 48

struct block {
    size_t prev_size; /* size of the block just below; 0 for the first block */
    size_t size;      /* this block's size including the header; low bit: in use */
};

struct free_links {
    struct block *next, *prev;
};

static struct block *bins[BINS];
static struct block *heap_first, *heap_end;
static size_t bytes_in_use;

static size_t block_size(const struct block *b) { return b->size & ~USED; }
static int block_used(const struct block *b) { return (b->size & USED) != 0; }
static struct block *block_next(struct block *b) { return (struct block *)((char *)b + block_size(b)); }
static struct block *block_prev(struct block *b) { return (struct block *)((char *)b - b->prev_size); }
static struct free_links *links(struct block *b) { return (struct free_links *)(b + 1); }

static unsigned bin_of(size_t size)
{
    unsigned bin = 63u - (unsigned)__builtin_clzl(size);
    return bin < BINS ? bin : BINS - 1;
}

static void bin_insert(struct block *b)
{
    unsigned i = bin_of(block_size(b));
    links(b)->prev = NULL;
    links(b)->next = bins[i];
    if (bins[i])
        links(bins[i])->prev = b;
    bins[i] = b;
}

static void bin_remove(struct block *b)
{
    struct free_links *l = links(b);
    if (l->prev)
        links(l->prev)->next = l->next;
    else
        bins[bin_of(block_size(b))] = l->next;
    if (l->next)
        links(l->next)->prev = l->prev;
}

static void set_size(struct block *b, size_t size, size_t used)
{
    b->size = size | used;
    struct block *next = block_next(b);
    if (next <= heap_end)
        next->prev_size = size;
}

void alloc_init(uintptr_t start, size_t size)
{
    uintptr_t begin = (start + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
    uintptr_t end = (start + size) & ~(uintptr_t)(ALIGN - 1);
    if (end <= begin || end - begin < 2 * MIN_BLOCK + HDR)
        plat_abort("alloc: heap too small");
    heap_first = (struct block *)begin;
    /* A permanently used header at the end stops coalescing and scans. */
    heap_end = (struct block *)(end - HDR);
    heap_end->size = USED;
    heap_first->prev_size = 0;
    set_size(heap_first, (size_t)((char *)heap_end - (char *)heap_first), 0);
    bin_insert(heap_first);
}

void alloc_stats(size_t *in_use, size_t *free_bytes)
{
    if (in_use)
        *in_use = bytes_in_use;
    if (free_bytes)
        *free_bytes = heap_end ? (size_t)((char *)heap_end - (char *)heap_first) - bytes_in_use : 0;
}

static struct block *find_fit(size_t need)
{
    unsigned i = bin_of(need);
    for (struct block *b = bins[i]; b; b = links(b)->next)
        if (block_size(b) >= need)
            return b;
    for (i++; i < BINS; i++)
        if (bins[i])
            return bins[i];
    return NULL;
}

/* Marks b (in no bin) used with exactly `need` bytes when the rest is worth a free block of
 * its own. b's payload is not touched: realloc relies on that. */
static void carve(struct block *b, size_t need)
{
    size_t size = block_size(b);
    if (size - need >= MIN_BLOCK) {
        set_size(b, need, USED);
        struct block *rest = block_next(b);
        set_size(rest, size - need, 0);
        bin_insert(rest);
    } else {
        set_size(b, size, USED);
    }
    bytes_in_use += block_size(b);
}

static void take(struct block *b, size_t need)
{
    bin_remove(b);
    carve(b, need);
}

static size_t need_for(size_t n)
{
    if (n > SIZE_MAX / 2)
        return 0;
    size_t need = (n + HDR + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

void *malloc(size_t n)
{
    size_t need = need_for(n);
    if (!need || !heap_first)
        return NULL;
    struct block *b = find_fit(need);
    if (!b)
        return NULL;
    take(b, need);
    return b + 1;
}

void free(void *ptr)
{
    if (!ptr)
        return;
    struct block *b = (struct block *)ptr - 1;
    if (!block_used(b))
        plat_abort("free: block is not in use (double free?)");
    size_t size = block_size(b);
    bytes_in_use -= size;
    struct block *next = block_next(b);
    if (!block_used(next)) {
        bin_remove(next);
        size += block_size(next);
    }
    if (b != heap_first) {
        struct block *prev = block_prev(b);
        if (!block_used(prev)) {
            bin_remove(prev);
            size += block_size(prev);
            b = prev;
        }
    }
    set_size(b, size, 0);
    bin_insert(b);
}

void *calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    void *p = malloc(count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void *realloc(void *ptr, size_t n)
{
    if (!ptr)
        return malloc(n);
    if (n == 0) {
        free(ptr);
        return NULL;
    }
    struct block *b = (struct block *)ptr - 1;
    size_t need = need_for(n), have = block_size(b);
    if (!need)
        return NULL;
    if (need <= have)
        return ptr;
    /* Grow in place into a free successor when it is big enough. */
    struct block *next = block_next(b);
    if (!block_used(next) && have + block_size(next) >= need) {
        bin_remove(next);
        bytes_in_use -= have;
        set_size(b, have + block_size(next), 0);
        carve(b, need); /* never through a bin: its links would overwrite the caller's data */
        return ptr;
    }
    void *fresh = malloc(n);
    if (!fresh)
        return NULL;
    memcpy(fresh, ptr, have - HDR);
    free(ptr);
    return fresh;
}
