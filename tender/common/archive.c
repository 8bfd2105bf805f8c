/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mapping the guest's file archive, for every tender (see archive.h).
 */
#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tender.h"

int archive_map(const char *path, uint64_t *base, uint64_t *size)
{
    struct stat st;
    int rc = -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tender_error("archive %s: %s", path, strerror(errno));
    if (fstat(fd, &st) < 0) {
        tender_error("archive %s: stat: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        tender_error("archive %s: not a regular file", path);
        goto out;
    }
    *base = 0;
    *size = 0;
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            tender_error("archive %s: mmap: %s", path, strerror(errno));
            goto out;
        }
        *base = (uint64_t)(uintptr_t)p;
        *size = (uint64_t)st.st_size;
    }
    rc = 0;
out:
    close(fd);
    return rc;
}
