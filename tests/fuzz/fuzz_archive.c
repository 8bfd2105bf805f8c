/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the guest's ustar index (guest/archive.c) on arbitrary bytes. Images come
 * from users, so a hostile archive must never crash a guest or read outside the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../guest/archive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy sized exactly, so ASan catches any read past the end. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    struct archive_index idx;
    archive_index_build(&idx, copy, size);
    for (size_t i = 0; i < idx.count; i++) {
        const struct unf_file *f = archive_index_find(&idx, idx.entries[i].path);
        if (!f || strcmp(f->path, idx.entries[i].path) != 0)
            abort(); /* every indexed entry must be found again */
        const uint8_t *d = f->data;
        if (f->size && (d < copy || d + f->size > copy + size))
            abort(); /* data must lie inside the archive */
    }
    archive_index_find(&idx, "index.html");
    archive_index_find(&idx, "/a/b/");
    archive_index_free(&idx);
    free(copy);
    return 0;
}
