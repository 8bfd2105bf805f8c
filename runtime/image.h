/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Images: the .unf format (a ustar archive holding manifest.json, kernels/<arch>-<platform> and
 * files/...) and the Oakestra unikernel tar layout (`kernel` plus optional files/). Building an
 * image from an app directory, reading and validating one, and unpacking what an instance needs
 * (one kernel, verified against its sha256, and the files/ tree re-packed as the guest's archive).
 * Every function that can fail fills err with one line saying what is wrong.
 */
#ifndef RUNTIME_IMAGE_H
#define RUNTIME_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IMAGE_MAX_KERNELS 8
#define IMAGE_MAX_ARGS 64
#define IMAGE_MAX_BYTES (1ULL << 30)       /* images larger than this are refused */
#define IMAGE_OAKESTRA_MEM (32ULL << 20)   /* default memory of an Oakestra-layout image */
#define IMAGE_DEFAULT_MEM (32ULL << 20)    /* app.json without "mem" */

struct image_archive;

struct image_kernel {
    char arch[16];      /* "x86_64", "aarch64" */
    char platform[16];  /* "proc", "virtio" */
    char path[128];     /* member path inside the image, e.g. "kernels/x86_64-proc" */
    char sha256[65];    /* lowercase hex */
};

struct image {
    char path[4096];    /* the image file */
    char name[64];
    char version[32];
    char *args[IMAGE_MAX_ARGS]; /* default guest args (owned) */
    int nargs;
    uint64_t mem_bytes; /* default guest memory */
    int nics;
    struct image_kernel kernels[IMAGE_MAX_KERNELS];
    int nkernels;
    int oakestra;       /* 1: legacy layout (one virtio kernel for the host arch, no manifest) */
    int has_files;      /* the image carries a files/ tree */
    uint64_t size;      /* of the image file, bytes */
    struct image_archive *archive; /* private: the image's bytes and member index */
};

/* Parses a size like "8M", "512K", "1G", "4096" (bytes); 0 on success. */
int image_parse_size(const char *text, uint64_t *bytes);

/* Reads and validates an image (either layout): the tar structure, the manifest and that every
 * kernel it lists is present. Does not hash the kernels (image_extract_kernel does). */
int image_open(const char *path, struct image *img, char *err, size_t errlen);
/* The same on an image already in memory (copied; label names it in errors and gives an
 * Oakestra image its name). For tests and fuzzing. */
int image_open_mem(const void *data, size_t len, const char *label, struct image *img, char *err,
                   size_t errlen);
/* Safe on a zeroed or already freed image. */
void image_free(struct image *img);

/* The kernel for arch + platform, or NULL. */
const struct image_kernel *image_find_kernel(const struct image *img, const char *arch,
                                             const char *platform);

/* The first kernel for arch whose platform is in platforms (NULL-terminated, best first), or
 * NULL with one line in err: "<image>: no kernel for x86_64 (image has aarch64-virtio)" or
 * "<image>: no x86_64 kernel for platform proc (image has x86_64-virtio)". */
const struct image_kernel *image_select_kernel(const struct image *img, const char *arch,
                                               const char *const *platforms, char *err,
                                               size_t errlen);

/* Writes kernel k to dst (mode 0755) and checks its sha256 against the manifest. */
int image_extract_kernel(const struct image *img, const struct image_kernel *k, const char *dst,
                         char *err, size_t errlen);

/* Writes the files/ tree as a ustar archive with paths relative to files/ (what the guest
 * sees). Writes nothing and returns 0 when the image has no files. */
int image_extract_files(const struct image *img, const char *dst, char *err, size_t errlen);

/* `unf build`: reads <app_dir>/app.json (name, version, args, mem, nics), takes every kernel
 * found as <kernels_dir>/<arch>-<platform>, and <app_dir>/files/ when present. Writes out
 * (via out.tmp and rename), or <name>.unf in the current directory when out is NULL. The same
 * inputs always give the same bytes. */
int image_build(const char *app_dir, const char *kernels_dir, const char *out, char *err,
                size_t errlen);

/* Prints the manifest as pretty JSON (for `unf inspect IMAGE`), with the image's size. */
int image_print_manifest(const struct image *img, FILE *out, char *err, size_t errlen);

#endif
