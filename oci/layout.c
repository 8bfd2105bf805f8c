/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The OCI image layout writer (see layout.h). Blobs are content-addressed and written via
 * runtime/image_io.h (tmp file + rename); JSON is compact with sorted keys, so the same .unf
 * always gives the same digests. index.json names (by tag) an image index with one manifest per
 * kernel the .unf carries; the manifests share one layer, the .unf itself.
 */
#include "layout.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image.h"
#include "image_io.h"

#define MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define MT_CONFIG "application/vnd.oci.image.config.v1+json"
#define MT_LAYER "application/vnd.oci.image.layer.v1.tar"
#define MT_INDEX "application/vnd.oci.image.index.v1+json"

static int write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
    char tmp[PATH_MAX + 8];
    int fd = image_io_create(path, tmp, sizeof(tmp), 0644, err, errlen);
    if (fd < 0)
        return -1;
    int ok = image_io_write_all(fd, data, len) == 0;
    if (!ok)
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return image_io_commit(fd, tmp, path, ok, err, errlen) == 0 && ok ? 0 : -1;
}

/* Writes a blob; digest gets "sha256:HEX". */
static int write_blob(const char *dir, const void *data, size_t len, char *digest, size_t dlen, char *err, size_t errlen)
{
    char hex[65], path[PATH_MAX];
    if (image_io_sha256(data, len, hex) < 0) {
        snprintf(err, errlen, "cannot hash a blob (libcrypto failed)");
        return -1;
    }
    snprintf(digest, dlen, "sha256:%s", hex);
    snprintf(path, sizeof(path), "%s/blobs/sha256/%s", dir, hex);
    return write_file(path, data, len, err, errlen);
}

/* Serializes j (stolen) as a blob. */
static int write_json_blob(const char *dir, json_t *j, char *digest, size_t dlen, size_t *size, char *err, size_t errlen)
{
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(j);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    *size = strlen(text);
    int rc = write_blob(dir, text, *size, digest, dlen, err, errlen);
    free(text);
    return rc;
}

static int make_dirs(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    const char *parts[] = {"", "/blobs", "/blobs/sha256"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s%s", dir, parts[i]);
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

/* org.unf.name, org.unf.version and org.unf.kernels (e.g. "x86_64-hvt,x86_64-proc"); with k
 * also org.unf.kernel, the kernel a platform's manifest is for, so manifests differ. */
static json_t *unf_annotations(const struct image *img, const struct image_kernel *k)
{
    char kernels[256] = "", one[40];
    size_t used = 0;
    for (int i = 0; i < img->nkernels && used < sizeof(kernels); i++)
        used += (size_t)snprintf(kernels + used, sizeof(kernels) - used, "%s%s-%s", i ? "," : "",
                                 img->kernels[i].arch, img->kernels[i].platform);
    json_t *a = json_pack("{s:s, s:s, s:s}", "org.unf.name", img->name, "org.unf.version", img->version,
                          "org.unf.kernels", kernels);
    if (a && k) {
        snprintf(one, sizeof(one), "%s-%s", k->arch, k->platform);
        json_object_set_new(a, "org.unf.kernel", json_string(one));
    }
    return a;
}

/* The OCI (GOARCH) name of a kernel architecture, or NULL. */
static const char *oci_arch(const char *arch)
{
    if (strcmp(arch, "x86_64") == 0)
        return "amd64";
    if (strcmp(arch, "aarch64") == 0)
        return "arm64";
    return NULL;
}

/* Writes the config and the manifest of one kernel's platform (the layer, the whole .unf, is
 * shared); *entry gets the index descriptor: platform {architecture, os linux, os.features
 * ["unf.PLATFORM"]} and annotations org.unf.platform, org.unf.arch. */
static int write_platform(const char *dir, const struct image *img, const struct image_kernel *k,
                          const char *layer, size_t layer_size, json_t **entry, char *err, size_t errlen)
{
    const char *arch = oci_arch(k->arch);
    char config[80], manifest[80], feature[32];
    size_t config_size, manifest_size;
    if (!arch) {
        snprintf(err, errlen, "kernel %s: no OCI architecture for %s", k->path, k->arch);
        return -1;
    }
    json_t *cmd = json_array();
    for (int i = 0; cmd && i < img->nargs; i++)
        json_array_append_new(cmd, json_string(img->args[i]));
    json_t *cfg = json_pack("{s:s, s:s, s:{s:[s], s:o, s:o, s:s}, s:{s:s, s:[s]}, s:[{s:s, s:s}]}",
                            "architecture", arch, "os", "linux",
                            "config", "Entrypoint", img->name, "Cmd", cmd, "Labels", unf_annotations(img, NULL),
                            "WorkingDir", "/",
                            "rootfs", "type", "layers", "diff_ids", layer,
                            "history", "created_by", "unf-oci oci-image", "comment", "the unf image, unpacked");
    if (write_json_blob(dir, cfg, config, sizeof(config), &config_size, err, errlen) < 0)
        return -1;
    json_t *man = json_pack("{s:i, s:s, s:{s:s, s:s, s:I}, s:[{s:s, s:s, s:I}], s:o}",
                            "schemaVersion", 2, "mediaType", MT_MANIFEST,
                            "config", "mediaType", MT_CONFIG, "digest", config, "size", (json_int_t)config_size,
                            "layers", "mediaType", MT_LAYER, "digest", layer, "size", (json_int_t)layer_size,
                            "annotations", unf_annotations(img, k));
    if (write_json_blob(dir, man, manifest, sizeof(manifest), &manifest_size, err, errlen) < 0)
        return -1;
    snprintf(feature, sizeof(feature), "unf.%s", k->platform);
    *entry = json_pack("{s:s, s:s, s:I, s:{s:s, s:s, s:[s]}, s:{s:s, s:s}}", "mediaType", MT_MANIFEST,
                       "digest", manifest, "size", (json_int_t)manifest_size,
                       "platform", "architecture", arch, "os", "linux", "os.features", feature,
                       "annotations", "org.unf.platform", k->platform, "org.unf.arch", k->arch);
    if (!*entry) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int oci_layout_write(const char *image_path, const char *dir, const char *tag, char *err, size_t errlen)
{
    struct image img;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc = -1;
    json_t *entries = NULL;
    memset(&img, 0, sizeof(img));
    if (image_open(image_path, &img, err, errlen) < 0)
        return -1;
    if (img.oakestra) {
        snprintf(err, errlen, "%s: an Oakestra-layout image has no manifest; build a .unf first", image_path);
        goto out;
    }
    if (img.nkernels == 0) {
        snprintf(err, errlen, "%s: the image lists no kernel", image_path);
        goto out;
    }
    if (image_io_read(image_path, IMAGE_MAX_BYTES, &data, &len, err, errlen) < 0 || make_dirs(dir, err, errlen) < 0)
        goto out;
    char layer[80], index_digest[80];
    size_t index_size;
    if (write_blob(dir, data, len, layer, sizeof(layer), err, errlen) < 0)
        goto out;
    entries = json_array();
    if (!entries) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (int i = 0; i < img.nkernels; i++) {
        json_t *entry = NULL;
        if (write_platform(dir, &img, &img.kernels[i], layer, len, &entry, err, errlen) < 0)
            goto out;
        json_array_append_new(entries, entry);
    }
    /* The tag names an image index (nested, as the layout spec allows) listing the manifests. */
    json_t *list = json_pack("{s:i, s:s, s:O, s:o}", "schemaVersion", 2, "mediaType", MT_INDEX,
                             "manifests", entries, "annotations", unf_annotations(&img, NULL));
    if (write_json_blob(dir, list, index_digest, sizeof(index_digest), &index_size, err, errlen) < 0)
        goto out;
    json_t *index = json_pack("{s:i, s:s, s:[{s:s, s:s, s:I, s:{s:s}}]}", "schemaVersion", 2, "mediaType", MT_INDEX,
                              "manifests", "mediaType", MT_INDEX, "digest", index_digest, "size", (json_int_t)index_size,
                              "annotations", "org.opencontainers.image.ref.name", tag ? tag : "latest");
    char *text = index ? json_dumps(index, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(index);
    char path[PATH_MAX];
    const char *layout = "{\"imageLayoutVersion\":\"1.0.0\"}";
    snprintf(path, sizeof(path), "%s/oci-layout", dir);
    if (!text || write_file(path, layout, strlen(layout), err, errlen) < 0) {
        if (!text)
            snprintf(err, errlen, "out of memory");
        free(text);
        goto out;
    }
    snprintf(path, sizeof(path), "%s/index.json", dir);
    rc = write_file(path, text, strlen(text), err, errlen);
    free(text);
out:
    json_decref(entries);
    free(data);
    image_free(&img);
    return rc;
}
