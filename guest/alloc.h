/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest allocator: malloc/free over the one heap region the platform hands the guest. */
#ifndef UNF_GUEST_ALLOC_H
#define UNF_GUEST_ALLOC_H
#include <stddef.h>
#include <stdint.h>

/* Takes [start, start + size) as the heap; called once before any malloc. */
void alloc_init(uintptr_t start, size_t size);
/* Bytes in use (including block headers) and free, for diagnostics and tests. */
void alloc_stats(size_t *in_use, size_t *free_bytes);
#endif
