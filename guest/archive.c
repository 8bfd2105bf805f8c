/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The read-only file archive (files.h) over the ustar image the backend provides. On first use
 * it indexes the archive once (paths normalised, sorted for binary search); file data is never
 * copied. A malformed header ends the index there: what came before stays readable.
 */
#include <stdlib.h>
#include <string.h>
#include <unf/files.h>
#include <unf/log.h>

#include "archive.h"
#include "backend.h"

#define BLOCK 512

static struct archive_index files_index;
static int indexed;

static uint64_t octal(const unsigned char *field, size_t len, int *ok)
{
    uint64_t v = 0;
    size_t i = 0;
    while (i < len && field[i] == ' ')
        i++;
    for (; i < len && field[i] >= '0' && field[i] <= '7'; i++)
        v = v * 8 + (uint64_t)(field[i] - '0');
    for (; i < len; i++)
        if (field[i] != ' ' && field[i] != '\0')
            *ok = 0;
    return v;
}

static int header_valid(const unsigned char *h)
{
    int ok = 1;
    uint64_t stored = octal(h + 148, 8, &ok);
    uint64_t sum = 0;
    for (int i = 0; i < BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return ok && sum == stored && memcmp(h + 257, "ustar", 5) == 0;
}

static int is_zero_block(const unsigned char *h)
{
    for (int i = 0; i < BLOCK; i++)
        if (h[i])
            return 0;
    return 1;
}

/* prefix "/" name, without "./" or "/" in front and "/" behind; NULL on no memory. */
static char *entry_path(const unsigned char *h)
{
    size_t plen = strnlen((const char *)h + 345, 155), nlen = strnlen((const char *)h, 100);
    char *path = malloc(plen + nlen + 2);
    if (!path)
        return NULL;
    size_t n = 0;
    if (plen) {
        memcpy(path, h + 345, plen);
        n = plen;
        path[n++] = '/';
    }
    memcpy(path + n, h, nlen);
    n += nlen;
    path[n] = '\0';
    char *start = path;
    while (start[0] == '/' || (start[0] == '.' && start[1] == '/'))
        start += start[0] == '/' ? 1 : 2;
    size_t len = strlen(start);
    while (len > 0 && start[len - 1] == '/')
        start[--len] = '\0';
    memmove(path, start, len + 1);
    return path;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct unf_file *)a)->path, ((const struct unf_file *)b)->path);
}

static int add_entry(struct archive_index *idx, const unsigned char *h, const unsigned char *data,
                     uint64_t size, size_t *cap)
{
    char type = (char)h[156];
    if (type != '0' && type != '\0' && type != '5')
        return 0; /* links, devices, pax headers: not files an app reads */
    char *path = entry_path(h);
    if (!path)
        return -1;
    if (!path[0]) {
        free(path); /* the archive's root "./" */
        return 0;
    }
    if (idx->count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 32;
        struct unf_file *grown = realloc(idx->entries, grown_cap * sizeof(*grown));
        if (!grown) {
            free(path);
            return -1;
        }
        idx->entries = grown;
        *cap = grown_cap;
    }
    int ok = 1;
    idx->entries[idx->count++] = (struct unf_file){
        .path = path, .data = data, .size = (size_t)size, .mtime = octal(h + 136, 12, &ok),
        .is_dir = type == '5'};
    return 0;
}

int archive_index_build(struct archive_index *idx, const void *archive, size_t size)
{
    const unsigned char *base = archive;
    size_t cap = 0;
    int result = 0;
    idx->entries = NULL;
    idx->count = 0;
    for (size_t off = 0; base && off + BLOCK <= size;) {
        const unsigned char *h = base + off;
        if (is_zero_block(h))
            break;
        int ok = 1;
        uint64_t len = octal(h + 124, 12, &ok);
        if (!header_valid(h) || !ok || len > size - off - BLOCK) {
            unf_log(UNF_LOG_WARN, "files: archive damaged at offset %zu; later files are missing", off);
            result = -1;
            break;
        }
        if (add_entry(idx, h, h + BLOCK, len, &cap) < 0) {
            unf_log(UNF_LOG_ERROR, "files: out of memory indexing the archive");
            result = -1;
            break;
        }
        off += BLOCK + ((size_t)len + BLOCK - 1) / BLOCK * BLOCK;
    }
    if (idx->count > 1)
        qsort(idx->entries, idx->count, sizeof(*idx->entries), by_path);
    return result;
}

void archive_index_free(struct archive_index *idx)
{
    for (size_t i = 0; i < idx->count; i++)
        free((char *)idx->entries[i].path);
    free(idx->entries);
    idx->entries = NULL;
    idx->count = 0;
}

const struct unf_file *archive_index_find(const struct archive_index *idx, const char *path)
{
    while (*path == '/')
        path++;
    size_t len = strlen(path);
    while (len > 0 && path[len - 1] == '/')
        len--; /* "dir/" names the directory "dir" */
    size_t lo = 0, hi = idx->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *p = idx->entries[mid].path;
        int c = strncmp(path, p, len);
        if (c == 0 && p[len] != '\0')
            c = -1; /* path is a proper prefix of p: it sorts before */
        if (c == 0)
            return &idx->entries[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static void ensure_index(void)
{
    if (indexed)
        return;
    const void *base;
    size_t size;
    indexed = 1;
    backend_archive(&base, &size);
    archive_index_build(&files_index, base, size);
}

int unf_file_find(const char *path, struct unf_file *out)
{
    ensure_index();
    const struct unf_file *hit = archive_index_find(&files_index, path);
    if (!hit)
        return -1;
    *out = *hit;
    return 0;
}

int unf_file_foreach(unf_file_visit_fn fn, void *arg)
{
    ensure_index();
    for (size_t i = 0; i < files_index.count; i++) {
        int r = fn(arg, &files_index.entries[i]);
        if (r)
            return r;
    }
    return 0;
}
