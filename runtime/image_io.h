/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small file and byte helpers shared by the image module (image.c, image_build.c): bounded whole
 * file reads that never trust st_size, writes that land atomically via <dst>.tmp and rename,
 * SHA-256 in hex, and recognizing the architecture of an ELF64 kernel.
 */
#ifndef RUNTIME_IMAGE_IO_H
#define RUNTIME_IMAGE_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Reads all of the regular file at path (at most max bytes) into a new buffer (*data, freed by
 * the caller; never NULL on success, even for an empty file). -1 with one line in err. */
int image_io_read(const char *path, size_t max, uint8_t **data, size_t *len, char *err,
                  size_t errlen);

/* Opens <dst>.tmp for writing (mode applied exactly, regardless of umask); the name is kept in
 * tmp. -1 with err on failure. */
int image_io_create(const char *dst, char *tmp, size_t tmplen, mode_t mode, char *err,
                    size_t errlen);
/* Closes fd and renames tmp over dst when ok; otherwise (or if that fails) removes tmp. */
int image_io_commit(int fd, const char *tmp, const char *dst, int ok, char *err, size_t errlen);

/* Writes len bytes to fd; 0 or -1 with errno. */
int image_io_write_all(int fd, const void *data, size_t len);

/* Lowercase hex SHA-256 of data into out (65 bytes). */
int image_io_sha256(const void *data, size_t len, char out[65]);

/* "x86_64", "aarch64" or "riscv64" for a little-endian ELF64 of that machine, else NULL. */
const char *image_io_elf_arch(const uint8_t *data, size_t len);

#endif
