/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File and byte helpers of the image module (see image_io.h). Reads go through pread into a
 * private buffer rather than mmap, so a file truncated under us gives an error, not SIGBUS.
 */
#include "image_io.h"
#include "errmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int image_io_read(const char *path, size_t max, uint8_t **data, size_t *len, char *err,
                  size_t errlen)
{
    struct stat st;
    uint8_t *buf = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block us */
    if (fd < 0)
        return errmsg(err, errlen, "%s: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0) {
        errmsg(err, errlen, "%s: %s", path, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        errmsg(err, errlen, "%s: not a regular file", path);
        goto fail;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > max) {
        errmsg(err, errlen, "%s: too large (%lld bytes, limit %zu)", path, (long long)st.st_size,
             max);
        goto fail;
    }
    size_t size = (size_t)st.st_size, got = 0;
    buf = malloc(size ? size : 1);
    if (!buf) {
        errmsg(err, errlen, "%s: out of memory (%zu bytes)", path, size);
        goto fail;
    }
    while (got < size) {
        ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            errmsg(err, errlen, "%s: %s", path, strerror(errno));
            goto fail;
        }
        if (n == 0) {
            errmsg(err, errlen, "%s: file shrank while being read", path);
            goto fail;
        }
        got += (size_t)n;
    }
    close(fd);
    *data = buf;
    *len = size;
    return 0;
fail:
    free(buf);
    close(fd);
    return -1;
}

int image_io_create(const char *dst, char *tmp, size_t tmplen, mode_t mode, char *err,
                    size_t errlen)
{
    if (snprintf(tmp, tmplen, "%s.tmp", dst) >= (int)tmplen)
        return errmsg(err, errlen, "%s: path too long", dst);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return errmsg(err, errlen, "%s: %s", tmp, strerror(errno));
    if (fchmod(fd, mode) != 0) {
        errmsg(err, errlen, "%s: %s", tmp, strerror(errno));
        close(fd);
        unlink(tmp);
        return -1;
    }
    return fd;
}

int image_io_commit(int fd, const char *tmp, const char *dst, int ok, char *err, size_t errlen)
{
    if (close(fd) != 0 && ok) {
        errmsg(err, errlen, "%s: %s", tmp, strerror(errno));
        ok = 0;
    }
    if (ok && rename(tmp, dst) != 0) {
        errmsg(err, errlen, "%s: %s", dst, strerror(errno));
        ok = 0;
    }
    if (!ok) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

int image_io_write_all(int fd, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int image_io_sha256(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
        return -1;
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

const char *image_io_elf_arch(const uint8_t *data, size_t len)
{
    /* e_ident: magic, class 2 = ELF64, data 1 = little-endian; e_machine at offset 18. */
    if (len < 64 || memcmp(data, "\177ELF", 4) != 0 || data[4] != 2 || data[5] != 1)
        return NULL;
    switch (data[18] | (data[19] << 8)) {
    case 62: return "x86_64";
    case 183: return "aarch64";
    case 243: return "riscv64";
    default: return NULL;
    }
}
