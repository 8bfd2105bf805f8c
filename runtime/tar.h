/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ustar archives for the runtime: a strict reader that indexes an archive held in memory (images
 * come from users, so every header field is checked and every size is bounded by the buffer) and a
 * deterministic writer (mtime 0, uid/gid 0, fixed modes) used to build images and to re-pack an
 * image's files/ tree for the guest. Only regular files and directories are supported.
 */
#ifndef RUNTIME_TAR_H
#define RUNTIME_TAR_H

#include <stddef.h>
#include <stdint.h>

#define TAR_BLOCK 512
#define TAR_NAME_MAX 255      /* prefix (155) + '/' + name (100), ustar's limit */
#define TAR_MAX_MEMBERS 65536 /* bounds the index of a hostile archive */

enum tar_type { TAR_FILE, TAR_DIR };

struct tar_member {
    char name[TAR_NAME_MAX + 1]; /* normalized: no "./", no trailing '/', no "..", not absolute */
    enum tar_type type;
    uint64_t offset; /* of the data, from the start of the archive */
    uint64_t size;   /* 0 for directories */
};

struct tar_index {
    struct tar_member *members; /* in archive order */
    size_t count;
};

/* Indexes the archive in buf[0..len). On failure returns -1 and writes one line (without a
 * file name prefix) to err, e.g. "truncated archive (member 'x' needs 100 bytes, 12 left)". */
int tar_index_build(struct tar_index *idx, const uint8_t *buf, size_t len, char *err,
                    size_t errlen);
void tar_index_free(struct tar_index *idx);

/* The member with this exact normalized name, or NULL. */
const struct tar_member *tar_index_find(const struct tar_index *idx, const char *name);

/* 0 if name can be stored: relative, no "." or ".." or empty components, no control bytes,
 * and short enough for ustar's name/prefix split. */
int tar_name_ok(const char *name);

/* Streams an archive to a file descriptor. Errors are sticky: check tar_writer_finish. */
struct tar_writer {
    int fd;
    int failed; /* errno of the first failed write, or 0 */
};

void tar_writer_init(struct tar_writer *w, int fd);
int tar_writer_add_dir(struct tar_writer *w, const char *name);
int tar_writer_add_file(struct tar_writer *w, const char *name, unsigned mode, const void *data,
                        uint64_t size);
/* Writes the end-of-archive marker; 0 if every write succeeded, else -1 with errno set. */
int tar_writer_finish(struct tar_writer *w);

#endif
