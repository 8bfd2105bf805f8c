/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sizes on disk, the way `du` reports them: apparent bytes (file lengths, `du -sb`) and disk
 * bytes (allocated blocks, `du -sB1`), summed over a file or a whole directory tree.
 */
#ifndef BENCH_SIZE_H
#define BENCH_SIZE_H

/* Returns 0 and both sums, or -1 when path does not exist or cannot be walked. */
int bench_du(const char *path, long long *apparent, long long *disk);

#endif
