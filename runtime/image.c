/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading images (see image.h): the whole file is read into memory, indexed by the strict ustar
 * reader, and its manifest validated; then the runtime asks for one kernel (checked against its
 * sha256 as it is written out) and for the files/ tree re-packed for the guest. Images lacking a
 * manifest but holding a `kernel` member are the Oakestra layout: one virtio kernel whose
 * architecture comes from its ELF header, IMAGE_OAKESTRA_MEM of memory, one NIC.
 */
#include "image.h"
#include "errmsg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "image_io.h"
#include "manifest.h"
#include "tar.h"

struct image_archive {
    uint8_t *data;
    size_t len;
    struct tar_index idx;
};

int image_parse_size(const char *text, uint64_t *bytes)
{
    uint64_t v = 0;
    const char *p = text;
    if (!p || *p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    int shift = 0;
    switch (*p) {
    case '\0': break;
    case 'k': case 'K': shift = 10; p++; break;
    case 'm': case 'M': shift = 20; p++; break;
    case 'g': case 'G': shift = 30; p++; break;
    default: return -1;
    }
    if (*p != '\0' || (shift && v > (UINT64_MAX >> shift)))
        return -1;
    *bytes = v << shift;
    return 0;
}

static const uint8_t *member_data(const struct image *img, const struct tar_member *m)
{
    return img->archive->data + m->offset;
}

/* A .unf holds only manifest.json, kernels/... and files/...; anything else is a mistake. */
static int check_unf_members(const struct image *img, char *err, size_t errlen)
{
    const struct tar_index *idx = &img->archive->idx;
    for (size_t i = 0; i < idx->count; i++) {
        const struct tar_member *m = &idx->members[i];
        if (strcmp(m->name, "manifest.json") == 0 && m->type == TAR_FILE)
            continue;
        if ((strcmp(m->name, "kernels") == 0 || strcmp(m->name, "files") == 0) &&
            m->type == TAR_DIR)
            continue;
        if (strncmp(m->name, "kernels/", 8) == 0 || strncmp(m->name, "files/", 6) == 0)
            continue;
        return errmsg(err, errlen, "%s: unexpected member '%s' (a .unf holds manifest.json, "
                    "kernels/ and files/)", img->path, m->name);
    }
    return 0;
}

static int load_unf(struct image *img, const struct tar_member *manifest, char *err,
                    size_t errlen)
{
    char why[256];
    if (manifest->type != TAR_FILE || manifest->size > MANIFEST_MAX_BYTES)
        return errmsg(err, errlen, "%s: bad manifest.json (not a regular file of at most %d "
                    "bytes)", img->path, MANIFEST_MAX_BYTES);
    if (manifest_parse((const char *)member_data(img, manifest), (size_t)manifest->size, img,
                       why, sizeof why) != 0)
        return errmsg(err, errlen, "%s: bad manifest.json (%s)", img->path, why);
    if (check_unf_members(img, err, errlen) != 0)
        return -1;
    for (int i = 0; i < img->nkernels; i++) {
        const struct image_kernel *k = &img->kernels[i];
        const struct tar_member *m = tar_index_find(&img->archive->idx, k->path);
        if (!m || m->type != TAR_FILE)
            return errmsg(err, errlen, "%s: manifest lists kernel %s but the image does not "
                        "contain it", img->path, k->path);
        const char *arch = image_io_elf_arch(member_data(img, m), (size_t)m->size);
        if (!arch || strcmp(arch, k->arch) != 0)
            return errmsg(err, errlen, "%s: kernel %s is not an ELF64 %s executable", img->path,
                        k->path, k->arch);
    }
    return 0;
}

/* The Oakestra layout has no name: use the file's base name without its extension, made to fit
 * the app name rules. */
static void oakestra_name(const char *label, char *name, size_t len)
{
    const char *base = strrchr(label, '/');
    base = base ? base + 1 : label;
    const char *dot = strchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < len && o < 63; i++) {
        char c = base[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        name[o++] = ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') ? c : '-';
    }
    name[o] = '\0';
    if (o == 0)
        snprintf(name, len, "oakestra");
}

static int load_oakestra(struct image *img, const struct tar_member *kernel, char *err,
                         size_t errlen)
{
    struct image_kernel *k = &img->kernels[0];
    const char *arch = kernel->type == TAR_FILE
                           ? image_io_elf_arch(member_data(img, kernel), (size_t)kernel->size)
                           : NULL;
    if (!arch)
        return errmsg(err, errlen, "%s: member 'kernel' is not an ELF64 kernel for a known "
                    "architecture", img->path);
    oakestra_name(img->path, img->name, sizeof img->name);
    snprintf(img->version, sizeof img->version, "unknown");
    img->mem_bytes = IMAGE_OAKESTRA_MEM;
    img->nics = 1;
    img->oakestra = 1;
    snprintf(k->arch, sizeof k->arch, "%s", arch);
    snprintf(k->platform, sizeof k->platform, "virtio");
    snprintf(k->path, sizeof k->path, "kernel");
    if (image_io_sha256(member_data(img, kernel), (size_t)kernel->size, k->sha256) != 0)
        return errmsg(err, errlen, "%s: cannot hash the kernel (libcrypto failed)", img->path);
    img->nkernels = 1;
    return 0;
}

/* Takes ownership of data (malloc'ed). */
static int load(struct image *img, uint8_t *data, size_t len, char *err, size_t errlen)
{
    char why[256];
    img->size = len;
    img->archive = calloc(1, sizeof *img->archive);
    if (!img->archive) {
        free(data);
        return errmsg(err, errlen, "%s: out of memory", img->path);
    }
    img->archive->data = data;
    img->archive->len = len;
    if (tar_index_build(&img->archive->idx, data, len, why, sizeof why) != 0)
        return errmsg(err, errlen, "%s: %s", img->path, why);
    const struct tar_index *idx = &img->archive->idx;
    for (size_t i = 0; i < idx->count; i++) {
        const char *name = idx->members[i].name;
        if (strncmp(name, "files/", 6) != 0)
            continue;
        /* files/ is re-packed as plain ustar for the guest: the names must fit it. */
        if (tar_name_ok(name + 6) != 0)
            return errmsg(err, errlen, "%s: member '%s' has a name too long for the guest's "
                        "archive", img->path, name);
        img->has_files = 1;
    }
    const struct tar_member *manifest = tar_index_find(idx, "manifest.json");
    if (manifest)
        return load_unf(img, manifest, err, errlen);
    const struct tar_member *kernel = tar_index_find(idx, "kernel");
    if (kernel)
        return load_oakestra(img, kernel, err, errlen);
    return errmsg(err, errlen, "%s: not an image (no manifest.json, and no 'kernel' as in the "
                "Oakestra layout)", img->path);
}

static int start(struct image *img, const char *label, char *err, size_t errlen)
{
    memset(img, 0, sizeof *img);
    if (snprintf(img->path, sizeof img->path, "%s", label) >= (int)sizeof img->path)
        return errmsg(err, errlen, "image path too long");
    return 0;
}

int image_open(const char *path, struct image *img, char *err, size_t errlen)
{
    uint8_t *data;
    size_t len;
    if (start(img, path, err, errlen) != 0)
        return -1;
    if (image_io_read(path, IMAGE_MAX_BYTES, &data, &len, err, errlen) != 0)
        return -1;
    if (load(img, data, len, err, errlen) != 0) {
        image_free(img);
        return -1;
    }
    return 0;
}

int image_open_mem(const void *data, size_t len, const char *label, struct image *img, char *err,
                   size_t errlen)
{
    if (start(img, label ? label : "image", err, errlen) != 0)
        return -1;
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        return errmsg(err, errlen, "%s: out of memory", img->path);
    if (len)
        memcpy(copy, data, len);
    if (load(img, copy, len, err, errlen) != 0) {
        image_free(img);
        return -1;
    }
    return 0;
}

void image_free(struct image *img)
{
    for (int i = 0; i < img->nargs; i++)
        free(img->args[i]);
    img->nargs = 0;
    if (img->archive) {
        tar_index_free(&img->archive->idx);
        free(img->archive->data);
        free(img->archive);
        img->archive = NULL;
    }
}

const struct image_kernel *image_find_kernel(const struct image *img, const char *arch,
                                             const char *platform)
{
    for (int i = 0; i < img->nkernels; i++)
        if (strcmp(img->kernels[i].arch, arch) == 0 &&
            strcmp(img->kernels[i].platform, platform) == 0)
            return &img->kernels[i];
    return NULL;
}

const struct image_kernel *image_select_kernel(const struct image *img, const char *arch,
                                               const char *const *platforms, char *err,
                                               size_t errlen)
{
    char have[IMAGE_MAX_KERNELS * 34] = "";
    int same_arch = 0;
    for (int p = 0; platforms && platforms[p]; p++) {
        const struct image_kernel *k = image_find_kernel(img, arch, platforms[p]);
        if (k)
            return k;
    }
    for (int i = 0; i < img->nkernels; i++) {
        size_t n = strlen(have);
        snprintf(have + n, sizeof have - n, "%s%s-%s", n ? ", " : "", img->kernels[i].arch,
                 img->kernels[i].platform);
        same_arch |= strcmp(img->kernels[i].arch, arch) == 0;
    }
    if (same_arch)
        errmsg(err, errlen, "%s: no %s kernel for platform %s (image has %s)", img->path, arch,
             platforms && platforms[0] ? platforms[0] : "(none)", have);
    else
        errmsg(err, errlen, "%s: no kernel for %s (image has %s)", img->path, arch, have);
    return NULL;
}

/* The member behind a kernel entry of img (k must point into img->kernels). */
static const struct tar_member *kernel_member(const struct image *img,
                                              const struct image_kernel *k, char *err,
                                              size_t errlen)
{
    const struct tar_member *m = img->archive ? tar_index_find(&img->archive->idx, k->path) : NULL;
    if (!m || m->type != TAR_FILE)
        errmsg(err, errlen, "%s: no kernel member %s", img->path, k->path);
    return m && m->type == TAR_FILE ? m : NULL;
}

int image_extract_kernel(const struct image *img, const struct image_kernel *k, const char *dst,
                         char *err, size_t errlen)
{
    char sha[65], tmp[4200];
    const struct tar_member *m = kernel_member(img, k, err, errlen);
    if (!m)
        return -1;
    const uint8_t *data = member_data(img, m);
    if (image_io_sha256(data, (size_t)m->size, sha) != 0)
        return errmsg(err, errlen, "%s: cannot hash kernel %s (libcrypto failed)", img->path,
                    k->path);
    if (strcmp(sha, k->sha256) != 0)
        return errmsg(err, errlen, "%s: kernel %s is corrupt (sha256 mismatch)", img->path,
                    k->path);
    int fd = image_io_create(dst, tmp, sizeof tmp, 0755, err, errlen);
    if (fd < 0)
        return -1;
    int ok = image_io_write_all(fd, data, (size_t)m->size) == 0;
    if (!ok)
        errmsg(err, errlen, "%s: %s", tmp, strerror(errno));
    return image_io_commit(fd, tmp, dst, ok, err, errlen);
}

int image_extract_files(const struct image *img, const char *dst, char *err, size_t errlen)
{
    char tmp[4200];
    struct tar_writer w;
    if (!img->has_files || !img->archive)
        return 0;
    int fd = image_io_create(dst, tmp, sizeof tmp, 0644, err, errlen);
    if (fd < 0)
        return -1;
    tar_writer_init(&w, fd);
    const struct tar_index *idx = &img->archive->idx;
    for (size_t i = 0; i < idx->count; i++) {
        const struct tar_member *m = &idx->members[i];
        if (strncmp(m->name, "files/", 6) != 0)
            continue;
        if (m->type == TAR_DIR)
            tar_writer_add_dir(&w, m->name + 6);
        else
            tar_writer_add_file(&w, m->name + 6, 0644, member_data(img, m), m->size);
    }
    int ok = tar_writer_finish(&w) == 0;
    if (!ok)
        errmsg(err, errlen, "%s: %s", tmp, strerror(errno));
    return image_io_commit(fd, tmp, dst, ok, err, errlen);
}

int image_print_manifest(const struct image *img, FILE *out, char *err, size_t errlen)
{
    json_t *root = manifest_to_json(img);
    int bad = !root;
    if (root) {
        bad |= json_object_set_new(root, "size", json_integer((json_int_t)img->size)) != 0;
        bad |= json_object_set_new(root, "layout",
                                   json_string(img->oakestra ? "oakestra" : "unf")) != 0;
    }
    if (bad) {
        json_decref(root);
        return errmsg(err, errlen, "%s: out of memory", img->path);
    }
    int rc = json_dumpf(root, out, JSON_INDENT(2));
    json_decref(root);
    if (rc != 0 || fputc('\n', out) == EOF || fflush(out) != 0)
        return errmsg(err, errlen, "%s: cannot write the manifest: %s", img->path,
                    strerror(errno));
    return 0;
}
