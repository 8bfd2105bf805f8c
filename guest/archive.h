/* SPDX-License-Identifier: BSD-2-Clause */
/* The ustar index behind files.h, as pure functions so tests and fuzzers can drive it. */
#ifndef UNF_GUEST_ARCHIVE_H
#define UNF_GUEST_ARCHIVE_H
#include <stddef.h>
#include <unf/files.h>

struct archive_index {
    struct unf_file *entries; /* sorted by path */
    size_t count;
};

/* Indexes the archive at [base, base + size). Returns 0, or -1 when the archive is damaged or
 * memory ran out; the index then holds the entries before the damage. */
int archive_index_build(struct archive_index *idx, const void *base, size_t size);
const struct unf_file *archive_index_find(const struct archive_index *idx, const char *path);
void archive_index_free(struct archive_index *idx);
#endif
