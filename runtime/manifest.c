/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * manifest.json and app.json (see manifest.h). Both share the application fields (name, version,
 * args, mem, nics); the manifest adds the kernel list. Every field is type- and range-checked so
 * that the rest of the runtime can trust struct image; the input is hostile when it comes from
 * an image file.
 */
#include "manifest.h"
#include "errmsg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tar.h"

#define MEM_MIN (1ULL << 20)
#define MEM_MAX (64ULL << 30)

/* A printable, bounded copy of untrusted text for error messages. */
static const char *shown(const char *s, char *buf, size_t len)
{
    size_t i = 0;
    for (; s[i] && i + 4 < len; i++)
        buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i]) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
    return buf;
}

static int charset_ok(const char *s, size_t max, const char *extra)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr(extra, c)))
            return -1;
    }
    return 0;
}

int manifest_name_ok(const char *s) { return charset_ok(s, 63, "_-"); }
int manifest_arch_ok(const char *s) { return charset_ok(s, 15, "_"); }

int manifest_platform_ok(const char *s)
{
    return strcmp(s, "proc") == 0 || strcmp(s, "virtio") == 0 || strcmp(s, "hvt") == 0 ? 0 : -1;
}

static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

static int parse_name(json_t *v, struct image *img, char *err, size_t errlen)
{
    if (!json_is_string(v) || manifest_name_ok(json_string_value(v)) != 0)
        return errmsg(err, errlen, "\"name\" must be a string of 1-63 [a-z0-9_-]");
    snprintf(img->name, sizeof img->name, "%s", json_string_value(v));
    return 0;
}

static int parse_version(json_t *v, struct image *img, char *err, size_t errlen)
{
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;
    if (!s || !*s || strlen(s) >= sizeof img->version || strchr(s, ' ') || !printable(s))
        return errmsg(err, errlen, "\"version\" must be a string of 1-%zu printable characters",
                    sizeof img->version - 1);
    snprintf(img->version, sizeof img->version, "%s", s);
    return 0;
}

static int parse_args(json_t *v, struct image *img, char *err, size_t errlen)
{
    if (!json_is_array(v))
        return errmsg(err, errlen, "\"args\" must be an array of strings");
    if (json_array_size(v) > IMAGE_MAX_ARGS)
        return errmsg(err, errlen, "\"args\" has more than %d entries", IMAGE_MAX_ARGS);
    size_t i;
    json_t *a;
    json_array_foreach(v, i, a) {
        if (!json_is_string(a) || json_string_length(a) > MANIFEST_MAX_ARG ||
            !printable(json_string_value(a)))
            return errmsg(err, errlen, "\"args\"[%zu] must be a string of at most %d printable "
                        "characters", i, MANIFEST_MAX_ARG);
        img->args[img->nargs] = strdup(json_string_value(a));
        if (!img->args[img->nargs])
            return errmsg(err, errlen, "out of memory");
        img->nargs++;
    }
    return 0;
}

static int parse_mem(json_t *v, struct image *img, char *err, size_t errlen)
{
    uint64_t bytes;
    if (!json_is_string(v) || image_parse_size(json_string_value(v), &bytes) != 0)
        return errmsg(err, errlen, "\"mem\" must be a size string like \"8M\"");
    if (bytes < MEM_MIN || bytes > MEM_MAX)
        return errmsg(err, errlen, "\"mem\" must be between 1M and 64G");
    img->mem_bytes = bytes;
    return 0;
}

static int parse_nics(json_t *v, struct image *img, char *err, size_t errlen)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 4)
        return errmsg(err, errlen, "\"nics\" must be an integer from 0 to 4");
    img->nics = (int)json_integer_value(v);
    return 0;
}

static int parse_sha256(const char *s, char *out)
{
    if (strlen(s) != 64)
        return -1;
    for (int i = 0; i < 64; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'F')
            c = (char)(c - 'A' + 'a');
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return -1;
        out[i] = c;
    }
    out[64] = '\0';
    return 0;
}

static const char *kernel_string(json_t *k, const char *key, size_t max)
{
    json_t *v = json_object_get(k, key);
    if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) >= max)
        return NULL;
    return json_string_value(v);
}

static int parse_kernel(json_t *k, size_t i, struct image *img, char *err, size_t errlen)
{
    struct image_kernel *out = &img->kernels[i];
    char buf[48];
    if (!json_is_object(k))
        return errmsg(err, errlen, "\"kernels\"[%zu] must be an object", i);
    const char *arch = kernel_string(k, "arch", sizeof out->arch);
    const char *platform = kernel_string(k, "platform", sizeof out->platform + 16);
    const char *path = kernel_string(k, "path", sizeof out->path);
    const char *sha = kernel_string(k, "sha256", 80);
    if (!arch || manifest_arch_ok(arch) != 0)
        return errmsg(err, errlen, "\"kernels\"[%zu].arch must be a string like \"x86_64\"", i);
    if (!platform)
        return errmsg(err, errlen, "\"kernels\"[%zu].platform must be \"proc\", \"hvt\" or \"virtio\"", i);
    if (manifest_platform_ok(platform) != 0)
        return errmsg(err, errlen, "\"kernels\"[%zu] has unknown platform '%s'", i,
                    shown(platform, buf, sizeof buf));
    if (!path || tar_name_ok(path) != 0 || strncmp(path, "kernels/", 8) != 0)
        return errmsg(err, errlen, "\"kernels\"[%zu].path must be a path under kernels/", i);
    if (!sha || parse_sha256(sha, out->sha256) != 0)
        return errmsg(err, errlen, "\"kernels\"[%zu].sha256 must be 64 hex digits", i);
    snprintf(out->arch, sizeof out->arch, "%s", arch);
    snprintf(out->platform, sizeof out->platform, "%s", platform);
    snprintf(out->path, sizeof out->path, "%s", path);
    for (size_t j = 0; j < i; j++) {
        const struct image_kernel *o = &img->kernels[j];
        if (strcmp(o->arch, out->arch) == 0 && strcmp(o->platform, out->platform) == 0)
            return errmsg(err, errlen, "\"kernels\" lists %s-%s twice", arch, platform);
        if (strcmp(o->path, out->path) == 0)
            return errmsg(err, errlen, "\"kernels\" lists path %s twice", path);
    }
    return 0;
}

static int parse_kernels(json_t *v, struct image *img, char *err, size_t errlen)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return errmsg(err, errlen, "\"kernels\" must be a non-empty array");
    if (json_array_size(v) > IMAGE_MAX_KERNELS)
        return errmsg(err, errlen, "\"kernels\" has more than %d entries", IMAGE_MAX_KERNELS);
    for (size_t i = 0; i < json_array_size(v); i++) {
        if (parse_kernel(json_array_get(v, i), i, img, err, errlen) != 0)
            return -1;
        img->nkernels++;
    }
    return 0;
}

static json_t *load(const char *text, size_t len, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char buf[64];
        errmsg(err, errlen, "not valid JSON (line %d: %s)", jerr.line,
             shown(jerr.text, buf, sizeof buf));
        return NULL;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        errmsg(err, errlen, "must be a JSON object");
        return NULL;
    }
    return root;
}

/* The fields shared by app.json and manifest.json; absent optional ones keep their defaults. */
static int parse_app_fields(json_t *root, struct image *img, int require_all, char *err,
                            size_t errlen)
{
    static const char *const required[] = {"name", "version", "args", "mem", "nics"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if ((require_all || i < 2) && !json_object_get(root, required[i]))
            return errmsg(err, errlen, "missing \"%s\"", required[i]);
    json_t *v;
    if (parse_name(json_object_get(root, "name"), img, err, errlen) != 0 ||
        parse_version(json_object_get(root, "version"), img, err, errlen) != 0)
        return -1;
    if ((v = json_object_get(root, "args")) && parse_args(v, img, err, errlen) != 0)
        return -1;
    if ((v = json_object_get(root, "mem")) && parse_mem(v, img, err, errlen) != 0)
        return -1;
    if ((v = json_object_get(root, "nics")) && parse_nics(v, img, err, errlen) != 0)
        return -1;
    return 0;
}

int manifest_parse(const char *text, size_t len, struct image *img, char *err, size_t errlen)
{
    json_t *root = load(text, len, err, errlen);
    if (!root)
        return -1;
    int rc = -1;
    if (parse_app_fields(root, img, 1, err, errlen) != 0)
        goto cleanup;
    json_t *kernels = json_object_get(root, "kernels");
    if (!kernels) {
        errmsg(err, errlen, "missing \"kernels\"");
        goto cleanup;
    }
    rc = parse_kernels(kernels, img, err, errlen);
cleanup:
    json_decref(root);
    return rc;
}

int manifest_parse_app(const char *text, size_t len, struct image *img, char *err,
                       size_t errlen)
{
    json_t *root = load(text, len, err, errlen);
    if (!root)
        return -1;
    int rc = -1;
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "name") && strcmp(key, "version") && strcmp(key, "args") &&
            strcmp(key, "mem") && strcmp(key, "nics")) {
            char buf[48];
            errmsg(err, errlen, "unknown key \"%s\" (allowed: name, version, args, mem, nics)",
                 shown(key, buf, sizeof buf));
            goto cleanup;
        }
    }
    img->mem_bytes = IMAGE_DEFAULT_MEM;
    img->nics = 1;
    rc = parse_app_fields(root, img, 0, err, errlen);
cleanup:
    json_decref(root);
    return rc;
}

void manifest_format_size(uint64_t bytes, char *buf, size_t len)
{
    static const char units[] = "GMK";
    for (int i = 0; i < 3; i++) {
        uint64_t unit = 1ULL << (10 * (3 - i));
        if (bytes && bytes % unit == 0) {
            snprintf(buf, len, "%llu%c", (unsigned long long)(bytes / unit), units[i]);
            return;
        }
    }
    snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

/* json_object_set_new and friends take ownership even on failure; count failures instead of
 * unwinding each one. */
static void put(json_t *obj, const char *key, json_t *v, int *bad)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        (*bad)++;
}

json_t *manifest_to_json(const struct image *img)
{
    int bad = 0;
    char mem[32];
    json_t *root = json_object();
    json_t *args = json_array();
    json_t *kernels = json_array();
    if (!root || !args || !kernels) {
        json_decref(root);
        json_decref(args);
        json_decref(kernels);
        return NULL;
    }
    for (int i = 0; i < img->nargs; i++)
        if (json_array_append_new(args, json_string(img->args[i])) != 0)
            bad++;
    for (int i = 0; i < img->nkernels; i++) {
        const struct image_kernel *k = &img->kernels[i];
        json_t *o = json_object();
        if (!o) {
            bad++;
            continue;
        }
        put(o, "arch", json_string(k->arch), &bad);
        put(o, "platform", json_string(k->platform), &bad);
        put(o, "path", json_string(k->path), &bad);
        put(o, "sha256", json_string(k->sha256), &bad);
        if (json_array_append_new(kernels, o) != 0)
            bad++;
    }
    manifest_format_size(img->mem_bytes, mem, sizeof mem);
    put(root, "name", json_string(img->name), &bad);
    put(root, "version", json_string(img->version), &bad);
    put(root, "args", args, &bad);
    put(root, "mem", json_string(mem), &bad);
    put(root, "nics", json_integer(img->nics), &bad);
    put(root, "kernels", kernels, &bad);
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}
