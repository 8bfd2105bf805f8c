/*
 * The read-only file archive (files.h) over the ustar image the backend provides. On first use
 * it indexes the archive once (paths normalised, sorted for binary search); file data is never
 * copied. A malformed header ends the index there: what came before stays readable.
 */
#include <stdlib.h>
#include <string.h>
#include <unf/files.h>
#include <unf/log.h>

#include "backend.h"

#define BLOCK 512

static struct unf_file *entries;
static size_t entry_count;
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

static int add_entry(const unsigned char *h, const unsigned char *data, uint64_t size, size_t *cap)
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
    if (entry_count == *cap) {
        size_t grown_cap = *cap ? *cap * 2 : 32;
        struct unf_file *grown = realloc(entries, grown_cap * sizeof(*grown));
        if (!grown) {
            free(path);
            return -1;
        }
        entries = grown;
        *cap = grown_cap;
    }
    int ok = 1;
    entries[entry_count++] = (struct unf_file){
        .path = path, .data = data, .size = (size_t)size, .mtime = octal(h + 136, 12, &ok),
        .is_dir = type == '5'};
    return 0;
}

static void build_index(void)
{
    const unsigned char *base;
    size_t size, cap = 0;
    indexed = 1;
    backend_archive((const void **)&base, &size);
    for (size_t off = 0; base && off + BLOCK <= size;) {
        const unsigned char *h = base + off;
        if (is_zero_block(h))
            break;
        int ok = 1;
        uint64_t len = octal(h + 124, 12, &ok);
        if (!header_valid(h) || !ok || len > size - off - BLOCK) {
            unf_log(UNF_LOG_WARN, "files: archive damaged at offset %zu; later files are missing", off);
            break;
        }
        if (add_entry(h, h + BLOCK, len, &cap) < 0) {
            unf_log(UNF_LOG_ERROR, "files: out of memory indexing the archive");
            break;
        }
        off += BLOCK + ((size_t)len + BLOCK - 1) / BLOCK * BLOCK;
    }
    qsort(entries, entry_count, sizeof(*entries), by_path);
}

int unf_file_find(const char *path, struct unf_file *out)
{
    if (!indexed)
        build_index();
    while (*path == '/')
        path++;
    struct unf_file key = {.path = path};
    size_t len = strlen(path);
    const struct unf_file *hit = NULL;
    if (len > 0 && path[len - 1] == '/') {
        /* "dir/" names the directory "dir". */
        char *trimmed = strndup(path, len - 1);
        if (!trimmed)
            return -1;
        key.path = trimmed;
        hit = bsearch(&key, entries, entry_count, sizeof(*entries), by_path);
        free(trimmed);
    } else {
        hit = bsearch(&key, entries, entry_count, sizeof(*entries), by_path);
    }
    if (!hit)
        return -1;
    *out = *hit;
    return 0;
}

int unf_file_foreach(unf_file_visit_fn fn, void *arg)
{
    if (!indexed)
        build_index();
    for (size_t i = 0; i < entry_count; i++) {
        int r = fn(arg, &entries[i]);
        if (r)
            return r;
    }
    return 0;
}
