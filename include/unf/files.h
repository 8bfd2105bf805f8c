/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The read-only file archive of the image (its files/ tree), seen in memory without copies.
 * Unikernels get it from the platform; the native build maps the ustar file named by the
 * UNF_FILES environment variable.
 */
#ifndef UNF_FILES_H
#define UNF_FILES_H

#include <stddef.h>
#include <stdint.h>

struct unf_file {
    const char *path;  /* relative, no leading "/" or "./"; directories without trailing "/" */
    const void *data;
    size_t size;
    uint64_t mtime;    /* seconds since the Unix epoch */
    int is_dir;
};

/* Looks up `path` (a leading "/" is ignored); 0 when found, -1 otherwise. */
int unf_file_find(const char *path, struct unf_file *out);

/* Calls fn for every entry in path order; stops early when fn returns non-zero. */
typedef int (*unf_file_visit_fn)(void *arg, const struct unf_file *file);
int unf_file_foreach(unf_file_visit_fn fn, void *arg);

#endif
