/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * du-style sizes for the report. Like du, directories and symlinks count with their own size,
 * symlinks are not followed, and a hard-linked inode is counted once.
 */
#include "size.h"

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>

/* nftw has no user argument, so the walk accumulates in file-scope state (single-threaded). */
static long long walk_apparent, walk_disk;
static struct seen {
    dev_t dev;
    ino_t ino;
} *walk_seen;
static size_t walk_nseen, walk_capseen;

static int seen_before(const struct stat *st)
{
    if (st->st_nlink < 2 || S_ISDIR(st->st_mode))
        return 0;
    for (size_t i = 0; i < walk_nseen; i++) {
        if (walk_seen[i].dev == st->st_dev && walk_seen[i].ino == st->st_ino)
            return 1;
    }
    if (walk_nseen == walk_capseen) {
        size_t cap = walk_capseen ? walk_capseen * 2 : 64;
        struct seen *grown = realloc(walk_seen, cap * sizeof(*grown));
        if (!grown)
            return 0; /* worst case a hard link counts twice; the sizes stay plausible */
        walk_seen = grown;
        walk_capseen = cap;
    }
    walk_seen[walk_nseen].dev = st->st_dev;
    walk_seen[walk_nseen].ino = st->st_ino;
    walk_nseen++;
    return 0;
}

static int add_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    if (flag == FTW_NS || flag == FTW_DNR)
        return -1;
    if (seen_before(st))
        return 0;
    walk_apparent += (long long)st->st_size;
    walk_disk += (long long)st->st_blocks * 512;
    return 0;
}

int bench_du(const char *path, long long *apparent, long long *disk)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return -1;
    walk_apparent = walk_disk = 0;
    walk_nseen = 0;
    int rc = nftw(path, add_one, 16, FTW_PHYS);
    free(walk_seen);
    walk_seen = NULL;
    walk_nseen = walk_capseen = 0;
    if (rc != 0)
        return -1;
    *apparent = walk_apparent;
    *disk = walk_disk;
    return 0;
}
