/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The JSON side of images: parsing and validating an image's manifest.json and an app's app.json
 * into struct image, and turning struct image back into manifest JSON (for building and for
 * `unf inspect`). Errors are one line without a file name; callers prefix the file.
 */
#ifndef RUNTIME_MANIFEST_H
#define RUNTIME_MANIFEST_H

#include <jansson.h>
#include <stddef.h>

#include "image.h"

#define MANIFEST_MAX_BYTES (1 << 20) /* manifest.json and app.json are small */
#define MANIFEST_MAX_ARG 1024        /* bytes in one default argument */

/* manifest.json: name, version, args, mem, nics and 1..IMAGE_MAX_KERNELS kernels, each with
 * arch, platform ("proc" | "virtio"), path (under kernels/) and a sha256. Unknown keys are
 * ignored so that newer images still open. Fills img's fields (args are strdup'ed). */
int manifest_parse(const char *text, size_t len, struct image *img, char *err, size_t errlen);

/* app.json: name (required), version (required), args (default []), mem (default
 * IMAGE_DEFAULT_MEM), nics (default 1). Unknown keys are an error (they are likely typos). */
int manifest_parse_app(const char *text, size_t len, struct image *img, char *err,
                       size_t errlen);

/* The manifest of img as a new JSON object (NULL when out of memory). */
json_t *manifest_to_json(const struct image *img);

/* "8M", "512K", "1G" or plain bytes: the largest unit that divides bytes exactly. */
void manifest_format_size(uint64_t bytes, char *buf, size_t len);

/* 0 if s is a valid app name ([a-z0-9_-]{1,63}) or arch ([a-z0-9_]{1,15}). */
int manifest_name_ok(const char *s);
int manifest_arch_ok(const char *s);
/* 0 if s is a platform kernels can be built for ("proc", "virtio"). */
int manifest_platform_ok(const char *s);

#endif
