/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reading bundles (see bundle.h). The rootfs re-pack walks manifest.json, kernels/ and files/
 * only (engines add /dev, /proc, /etc/hosts and such to every rootfs) and writes them in a
 * fixed order, so that runtime/image.c checks the manifest and the kernels' sha256 exactly as
 * it does for a .unf file.
 */
#include "bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "image_io.h"
#include "tar.h"

#define CONFIG_MAX (4 << 20)

static int fail(char *err, size_t errlen, const char *fmt, const char *a, const char *b)
{
    snprintf(err, errlen, fmt, a, b);
    return -1;
}

static void annotation(json_t *ann, const char *key, char *dst, size_t len, const char *dflt)
{
    const char *v = json_string_value(json_object_get(ann, key));
    snprintf(dst, len, "%s", v && *v ? v : dflt);
}

static int parse_linux(json_t *linux_, struct oci_bundle *b, char *err, size_t errlen)
{
    json_t *ns;
    size_t i;
    b->netns_kind = OCI_NETNS_HOST;
    json_array_foreach(json_object_get(linux_, "namespaces"), i, ns) {
        const char *type = json_string_value(json_object_get(ns, "type"));
        const char *path = json_string_value(json_object_get(ns, "path"));
        if (!type)
            return fail(err, errlen, "config.json: linux.namespaces[] without a type%s%s", "", "");
        if (strcmp(type, "network") != 0)
            continue;
        b->netns_kind = path && *path ? OCI_NETNS_PATH : OCI_NETNS_NEW;
        snprintf(b->netns, sizeof(b->netns), "%s", path ? path : "");
    }
    const char *cg = json_string_value(json_object_get(linux_, "cgroupsPath"));
    snprintf(b->cgroups_path, sizeof(b->cgroups_path), "%s", cg ? cg : "");
    json_t *res = json_object_get(linux_, "resources");
    json_t *limit = json_object_get(json_object_get(res, "memory"), "limit");
    if (json_is_integer(limit) && json_integer_value(limit) > 0)
        b->limits.memory = (uint64_t)json_integer_value(limit);
    json_t *cpu = json_object_get(res, "cpu");
    json_t *quota = json_object_get(cpu, "quota"), *period = json_object_get(cpu, "period");
    if (json_is_integer(quota))
        b->limits.cpu_quota = json_integer_value(quota);
    if (json_is_integer(period) && json_integer_value(period) > 0)
        b->limits.cpu_period = (uint64_t)json_integer_value(period);
    return 0;
}

int oci_bundle_load(const char *dir, struct oci_bundle *b, char *err, size_t errlen)
{
    memset(b, 0, sizeof(*b));
    if (!realpath(dir, b->dir))
        return fail(err, errlen, "bundle %s: %s", dir, strerror(errno));
    char path[PATH_MAX + 16];
    snprintf(path, sizeof(path), "%s/config.json", b->dir);
    uint8_t *data = NULL;
    size_t len = 0;
    char why[256];
    if (image_io_read(path, CONFIG_MAX, &data, &len, why, sizeof(why)) < 0)
        return fail(err, errlen, "bundle %s: no readable config.json (%s)", b->dir, why);
    json_error_t jerr;
    json_t *cfg = json_loadb((const char *)data, len, 0, &jerr);
    free(data);
    if (!json_is_object(cfg)) {
        snprintf(err, errlen, "%s: bad JSON at line %d: %s", path, jerr.line, jerr.text);
        json_decref(cfg);
        return -1;
    }
    int rc = -1;
    const char *root = json_string_value(json_object_get(json_object_get(cfg, "root"), "path"));
    if (!root || !*root) {
        snprintf(err, errlen, "%s: root.path is missing", path);
        goto out;
    }
    char rootfs[PATH_MAX * 2];
    snprintf(rootfs, sizeof(rootfs), root[0] == '/' ? "%s" : "%s/%s", root[0] == '/' ? root : b->dir, root);
    if (!realpath(rootfs, b->rootfs)) {
        snprintf(err, errlen, "rootfs %s: %s", rootfs, strerror(errno));
        goto out;
    }
    json_t *process = json_object_get(cfg, "process");
    json_t *args = json_object_get(process, "args");
    if (process && !json_is_array(args)) {
        snprintf(err, errlen, "%s: process.args is not an array of strings", path);
        goto out;
    }
    size_t i;
    json_t *a;
    json_array_foreach(args, i, a) {
        if (!json_is_string(a) || b->nargs >= OCI_MAX_ARGS) {
            snprintf(err, errlen, "%s: process.args must be at most %d strings", path, OCI_MAX_ARGS);
            goto out;
        }
        if (strchr(json_string_value(a), '"') || strchr(json_string_value(a), '\n')) {
            snprintf(err, errlen, "%s: process.args[%zu] holds a quote or newline, which the guest command line cannot carry", path, i);
            goto out;
        }
        if (!(b->args[b->nargs++] = strdup(json_string_value(a)))) {
            snprintf(err, errlen, "out of memory");
            goto out;
        }
    }
    b->terminal = json_is_true(json_object_get(process, "terminal"));
    if (parse_linux(json_object_get(cfg, "linux"), b, err, errlen) < 0)
        goto out;
    json_t *hooks = json_object_get(cfg, "hooks");
    b->hooks = json_is_object(hooks) ? json_incref(hooks) : NULL;
    json_t *ann = json_object_get(cfg, "annotations");
    b->annotations = json_is_object(ann) ? json_incref(ann) : json_object();
    annotation(b->annotations, "org.unf.platform", b->platform, sizeof(b->platform), "auto");
    annotation(b->annotations, "org.unf.accel", b->accel, sizeof(b->accel), "auto");
    const char *img = json_string_value(json_object_get(b->annotations, "org.unf.image"));
    if (img && *img) {
        if (strstr(img, "..")) {
            snprintf(err, errlen, "annotation org.unf.image must name a file inside the rootfs");
            goto out;
        }
        int n = snprintf(b->image_file, sizeof(b->image_file), "%s/%s", b->rootfs, img[0] == '/' ? img + 1 : img);
        if (n < 0 || (size_t)n >= sizeof(b->image_file)) {
            snprintf(err, errlen, "annotation org.unf.image: path too long");
            goto out;
        }
    }
    rc = 0;
out:
    json_decref(cfg);
    if (rc < 0)
        oci_bundle_free(b);
    return rc;
}

void oci_bundle_free(struct oci_bundle *b)
{
    for (int i = 0; i < b->nargs; i++)
        free(b->args[i]);
    b->nargs = 0;
    json_decref(b->annotations);
    b->annotations = NULL;
    json_decref(b->hooks);
    b->hooks = NULL;
}

/* Adds rootfs/rel (a file or a directory tree) to the archive. */
static int add_tree(struct tar_writer *w, const char *rootfs, const char *rel, int depth, char *err, size_t errlen)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", rootfs, rel);
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return errno == ENOENT && depth == 0 && strcmp(rel, "manifest.json") != 0 ? 0
             : fail(err, errlen, "rootfs: %s: %s", rel, strerror(errno));
    if (depth > 16)
        return fail(err, errlen, "rootfs: %s: too deep%s", rel, "");
    if (S_ISREG(sb.st_mode)) {
        uint8_t *data = NULL;
        size_t len = 0;
        char why[256];
        if (image_io_read(path, IMAGE_MAX_BYTES, &data, &len, why, sizeof(why)) < 0)
            return fail(err, errlen, "rootfs: %s", why, "");
        tar_writer_add_file(w, rel, sb.st_mode & 0111 ? 0755 : 0644, data, len);
        free(data);
        return 0;
    }
    if (!S_ISDIR(sb.st_mode))
        return fail(err, errlen, "rootfs: %s is neither a file nor a directory%s", rel, "");
    if (depth > 0)
        tar_writer_add_dir(w, rel);
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0)
        return fail(err, errlen, "rootfs: %s: %s", rel, strerror(errno));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0 && strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
            char child[PATH_MAX];
            snprintf(child, sizeof(child), "%s/%s", rel, names[i]->d_name);
            rc = add_tree(w, rootfs, child, depth + 1, err, errlen);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int oci_bundle_image_path(const struct oci_bundle *b, const char *out_tar, char *path, size_t len,
                          char *err, size_t errlen)
{
    if (b->image_file[0]) {
        snprintf(path, len, "%s", b->image_file);
        return 0;
    }
    char probe[PATH_MAX + 16];
    snprintf(probe, sizeof(probe), "%s/manifest.json", b->rootfs);
    if (access(probe, R_OK) != 0)
        return fail(err, errlen, "rootfs %s holds no unf image (no manifest.json, and no annotation org.unf.image)%s",
                    b->rootfs, "");
    int fd = open(out_tar, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(err, errlen, "%s: %s", out_tar, strerror(errno));
    struct tar_writer w;
    tar_writer_init(&w, fd);
    int rc = add_tree(&w, b->rootfs, "manifest.json", 0, err, errlen);
    if (rc == 0)
        rc = add_tree(&w, b->rootfs, "kernels", 0, err, errlen);
    if (rc == 0)
        rc = add_tree(&w, b->rootfs, "files", 0, err, errlen);
    if (tar_writer_finish(&w) < 0 && rc == 0)
        rc = fail(err, errlen, "%s: %s", out_tar, strerror(errno));
    close(fd);
    if (rc == 0)
        snprintf(path, len, "%s", out_tar);
    return rc;
}
