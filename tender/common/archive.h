/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's file archive (a ustar the runtime packed): mapped read-only and private from the
 * file, so many instances of one image share its pages in the page cache. The proc guest reads
 * it at the mapping's address; the hvt tender hands the mapping to KVM as a read-only slot.
 */
#ifndef UNF_TENDER_ARCHIVE_H
#define UNF_TENDER_ARCHIVE_H

#include <stdint.h>

/* Maps the file at path read-only; an empty file gives *base = 0, *size = 0 (no archive).
 * -1 (reported as "archive PATH: why") on failure. The mapping is never unmapped. */
int archive_map(const char *path, uint64_t *base, uint64_t *size);

#endif
