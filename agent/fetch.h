/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Images into the agent's cache: fetched with libcurl (http, https, file; an absolute path is
 * read as file://) into a temporary file in the cache directory, hashed with SHA-256 while it
 * streams in, checked against the expected digest when one is given, then renamed to
 * <cache>/<sha256>.unf, so a cached file is always complete and correct. A digest already in the
 * cache is not fetched again.
 */
#ifndef AGENT_FETCH_H
#define AGENT_FETCH_H

#include <stddef.h>

#define FETCH_MAX_BYTES (512ll * 1024 * 1024)

enum fetch_result {
    FETCH_OK = 0,
    FETCH_FAILED = -1,          /* transfer or I/O error */
    FETCH_MISMATCH = -2,        /* digest differs; nothing kept */
};

/* Once per process, before threads start. 0 or -1. */
int fetch_global_init(void);

/* url: as validated by sla.c. sha256: 64 lowercase hex digits or "" (then the file's digest
 * names it). On FETCH_OK, path is the cached file, sha256_out its digest and *fetched_bytes the
 * bytes transferred (0 on a cache hit). Otherwise one line in err. */
enum fetch_result fetch_image(const char *cache_dir, const char *url, const char *sha256, char *path, size_t pathlen,
                              char sha256_out[65], long long *fetched_bytes, char *err, size_t errlen);

#endif
