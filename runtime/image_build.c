/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf build` (image_build in image.h): app.json, the kernels found as <arch>-<platform> in the
 * kernels directory, and the app's files/ tree become one .unf. The output is deterministic: fixed
 * modes, mtime 0, uid/gid 0, kernels and files in byte-wise sorted order. Only regular files and
 * directories are taken; symlinks are followed only while they stay inside files/.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "image.h"
#include "errmsg.h"
#include "image_io.h"
#include "manifest.h"
#include "tar.h"

#define BUILD_MAX_FILE ((size_t)256 << 20)
#define BUILD_MAX_DEPTH 16

struct build {
    char root[PATH_MAX]; /* real path of <app_dir>/files */
    size_t root_len;
    struct tar_writer w;
    size_t members;
    char *err;
    size_t errlen;
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The entry names of dir (without . and ..), sorted byte-wise so builds do not depend on the
 * locale or the file system. */
static int list_dir(const char *dir, char ***names, size_t *count, char *err, size_t errlen)
{
    size_t cap = 0;
    *names = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errmsg(err, errlen, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (*count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **n = realloc(*names, ncap * sizeof *n);
            if (!n) {
                rc = errmsg(err, errlen, "%s: out of memory", dir);
                break;
            }
            *names = n;
            cap = ncap;
        }
        if (!((*names)[*count] = strdup(e->d_name))) {
            rc = errmsg(err, errlen, "%s: out of memory", dir);
            break;
        }
        (*count)++;
    }
    closedir(d);
    if (*count)
        qsort(*names, *count, sizeof **names, cmp_str);
    return rc;
}

static void free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

static int read_app(const char *app_dir, struct image *app, char *err, size_t errlen)
{
    char path[PATH_MAX], why[256];
    uint8_t *text;
    size_t len;
    if (snprintf(path, sizeof path, "%s/app.json", app_dir) >= (int)sizeof path)
        return errmsg(err, errlen, "%s: path too long", app_dir);
    if (image_io_read(path, MANIFEST_MAX_BYTES, &text, &len, err, errlen) != 0)
        return -1;
    int rc = manifest_parse_app((const char *)text, len, app, why, sizeof why);
    free(text);
    if (rc != 0)
        return errmsg(err, errlen, "%s: %s", path, why);
    return 0;
}

/* <arch>-<platform> with a known platform, e.g. "x86_64-proc". */
static int kernel_file_name(const char *name, char *arch, size_t archlen, const char **platform)
{
    const char *dash = strrchr(name, '-');
    if (!dash || (size_t)(dash - name) >= archlen)
        return -1;
    memcpy(arch, name, (size_t)(dash - name));
    arch[dash - name] = '\0';
    *platform = dash + 1;
    return manifest_arch_ok(arch) == 0 && manifest_platform_ok(*platform) == 0 ? 0 : -1;
}

/* Loads every kernel of kernels_dir into app->kernels and data[]/len[]. */
static int load_kernels(const char *kernels_dir, struct image *app, uint8_t **data, size_t *len,
                        char *err, size_t errlen)
{
    char **names, path[PATH_MAX], arch[16];
    const char *platform;
    size_t count;
    int rc = -1;
    if (list_dir(kernels_dir, &names, &count, err, errlen) != 0)
        goto cleanup;
    for (size_t i = 0; i < count; i++) {
        if (kernel_file_name(names[i], arch, sizeof arch, &platform) != 0)
            continue;
        if (app->nkernels == IMAGE_MAX_KERNELS) {
            errmsg(err, errlen, "%s: more than %d kernels", kernels_dir, IMAGE_MAX_KERNELS);
            goto cleanup;
        }
        struct image_kernel *k = &app->kernels[app->nkernels];
        if (snprintf(path, sizeof path, "%s/%s", kernels_dir, names[i]) >= (int)sizeof path) {
            errmsg(err, errlen, "%s: path too long", kernels_dir);
            goto cleanup;
        }
        int n = app->nkernels;
        if (image_io_read(path, BUILD_MAX_FILE, &data[n], &len[n], err, errlen) != 0)
            goto cleanup;
        app->nkernels++; /* data[n] is owned from here on */
        const char *elf = image_io_elf_arch(data[n], len[n]);
        if (!elf || strcmp(elf, arch) != 0) {
            errmsg(err, errlen, "%s: not an ELF64 %s executable", path, arch);
            goto cleanup;
        }
        snprintf(k->arch, sizeof k->arch, "%s", arch);
        snprintf(k->platform, sizeof k->platform, "%s", platform);
        snprintf(k->path, sizeof k->path, "kernels/%s", names[i]);
        if (image_io_sha256(data[n], len[n], k->sha256) != 0) {
            errmsg(err, errlen, "%s: cannot hash (libcrypto failed)", path);
            goto cleanup;
        }
    }
    if (app->nkernels == 0) {
        errmsg(err, errlen, "%s: no kernels (expected files named <arch>-<platform>, e.g. "
             "x86_64-proc)", kernels_dir);
        goto cleanup;
    }
    rc = 0;
cleanup:
    free_names(names, count);
    return rc;
}

static int walk(struct build *b, const char *abs, const char *rel, int depth);

/* One entry of files/: a directory (recursed into) or a regular file, following a symlink only
 * when its target stays inside files/. */
static int add_entry(struct build *b, const char *abs, const char *rel, int depth)
{
    struct stat st;
    char real[PATH_MAX];
    if (lstat(abs, &st) != 0)
        return errmsg(b->err, b->errlen, "%s: %s", abs, strerror(errno));
    if (tar_name_ok(rel) != 0)
        return errmsg(b->err, b->errlen, "%s: name cannot be stored in an image (too long or "
                    "has control characters)", abs);
    if (++b->members > TAR_MAX_MEMBERS)
        return errmsg(b->err, b->errlen, "%s: more than %d files", abs, TAR_MAX_MEMBERS);
    if (S_ISLNK(st.st_mode)) {
        if (!realpath(abs, real))
            return errmsg(b->err, b->errlen, "%s: dangling symlink", abs);
        if (strncmp(real, b->root, b->root_len) != 0 || real[b->root_len] != '/')
            return errmsg(b->err, b->errlen, "%s: symlink points outside files/", abs);
        if (stat(abs, &st) != 0)
            return errmsg(b->err, b->errlen, "%s: %s", abs, strerror(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        if (tar_writer_add_dir(&b->w, rel) != 0)
            return errmsg(b->err, b->errlen, "write failed: %s", strerror(b->w.failed));
        return walk(b, abs, rel, depth + 1);
    }
    if (!S_ISREG(st.st_mode))
        return errmsg(b->err, b->errlen, "%s: special file (only regular files and directories "
                    "can be in files/)", abs);
    uint8_t *data;
    size_t len;
    if (image_io_read(abs, BUILD_MAX_FILE, &data, &len, b->err, b->errlen) != 0)
        return -1;
    int rc = tar_writer_add_file(&b->w, rel, 0644, data, len);
    free(data);
    if (rc != 0)
        return errmsg(b->err, b->errlen, "write failed: %s", strerror(b->w.failed));
    return 0;
}

static int walk(struct build *b, const char *abs, const char *rel, int depth)
{
    char **names, cabs[PATH_MAX], crel[PATH_MAX];
    size_t count;
    if (depth > BUILD_MAX_DEPTH)
        return errmsg(b->err, b->errlen, "%s: nested too deeply (a symlink loop?)", abs);
    if (list_dir(abs, &names, &count, b->err, b->errlen) != 0) {
        free_names(names, count);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        if (snprintf(cabs, sizeof cabs, "%s/%s", abs, names[i]) >= (int)sizeof cabs ||
            snprintf(crel, sizeof crel, "%s/%s", rel, names[i]) >= (int)sizeof crel)
            rc = errmsg(b->err, b->errlen, "%s/%s: path too long", abs, names[i]);
        else
            rc = add_entry(b, cabs, crel, depth);
    }
    free_names(names, count);
    return rc;
}

/* Adds <app_dir>/files/ when it exists. */
static int add_files(struct build *b, const char *app_dir)
{
    char dir[PATH_MAX];
    struct stat st;
    if (snprintf(dir, sizeof dir, "%s/files", app_dir) >= (int)sizeof dir)
        return errmsg(b->err, b->errlen, "%s: path too long", app_dir);
    if (stat(dir, &st) != 0)
        return errno == ENOENT ? 0 : errmsg(b->err, b->errlen, "%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return errmsg(b->err, b->errlen, "%s: not a directory", dir);
    if (!realpath(dir, b->root))
        return errmsg(b->err, b->errlen, "%s: %s", dir, strerror(errno));
    b->root_len = strlen(b->root);
    return walk(b, dir, "files", 0);
}

static int add_manifest(struct build *b, const struct image *app)
{
    json_t *root = manifest_to_json(app);
    char *text = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
    json_decref(root);
    if (!text)
        return errmsg(b->err, b->errlen, "out of memory writing the manifest");
    size_t len = strlen(text);
    char *line = realloc(text, len + 2);
    if (!line) {
        free(text);
        return errmsg(b->err, b->errlen, "out of memory writing the manifest");
    }
    line[len] = '\n';
    int rc = tar_writer_add_file(&b->w, "manifest.json", 0644, line, len + 1);
    free(line);
    return rc != 0 ? errmsg(b->err, b->errlen, "write failed: %s", strerror(b->w.failed)) : 0;
}

/* build/kernels/<last component of app_dir>, where the Makefile links an app's kernels. */
static void default_kernels_dir(const char *app_dir, char *out, size_t len)
{
    size_t end = strlen(app_dir);
    while (end > 1 && app_dir[end - 1] == '/')
        end--;
    size_t start = end;
    while (start > 0 && app_dir[start - 1] != '/')
        start--;
    snprintf(out, len, "build/kernels/%.*s", (int)(end - start), app_dir + start);
}

int image_build(const char *app_dir, const char *kernels_dir, const char *out, char *err,
                size_t errlen)
{
    struct image app;
    struct build b = {.err = err, .errlen = errlen};
    uint8_t *data[IMAGE_MAX_KERNELS] = {0};
    size_t len[IMAGE_MAX_KERNELS] = {0};
    char kdir[PATH_MAX], outbuf[PATH_MAX], tmp[PATH_MAX + 8];
    int fd = -1, rc = -1;
    memset(&app, 0, sizeof app);
    if (read_app(app_dir, &app, err, errlen) != 0)
        goto cleanup;
    if (!kernels_dir) {
        default_kernels_dir(app_dir, kdir, sizeof kdir);
        kernels_dir = kdir;
    }
    if (load_kernels(kernels_dir, &app, data, len, err, errlen) != 0)
        goto cleanup;
    if (!out) {
        snprintf(outbuf, sizeof outbuf, "%s.unf", app.name);
        out = outbuf;
    }
    if ((fd = image_io_create(out, tmp, sizeof tmp, 0644, err, errlen)) < 0)
        goto cleanup;
    tar_writer_init(&b.w, fd);
    int ok = add_manifest(&b, &app) == 0;
    for (int i = 0; ok && i < app.nkernels; i++) {
        if (tar_writer_add_file(&b.w, app.kernels[i].path, 0755, data[i], len[i]) != 0) {
            errmsg(err, errlen, "%s: %s", tmp, strerror(b.w.failed));
            ok = 0;
        }
    }
    ok = ok && add_files(&b, app_dir) == 0;
    if (ok && tar_writer_finish(&b.w) != 0) {
        errmsg(err, errlen, "%s: %s", tmp, strerror(errno));
        ok = 0;
    }
    rc = image_io_commit(fd, tmp, out, ok, err, errlen);
cleanup:
    for (int i = 0; i < IMAGE_MAX_KERNELS; i++)
        free(data[i]);
    image_free(&app);
    return rc;
}
