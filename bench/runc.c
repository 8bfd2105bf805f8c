/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Builds the runc bundle for the container row. The config starts from `runc spec` (so it is
 * exactly what this runc version considers the default container: its capabilities, masked
 * paths, mounts and cgroup defaults) and is edited with jansson: no terminal, our command, and the
 * network namespace entry pointed at the pre-created namespace instead of a new one.
 */
#include "runc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

int bench_runc_rootfs(const char *bundle, const struct bench_rootfs_file *files, int n, char *err, size_t errlen)
{
    static const char *const dirs[] = {"bin", "dev", "proc", "sys", "tmp", "etc"};
    char path[4096];

    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/rootfs/%s", bundle, dirs[i]);
        if (bench_mkdir_p(path, 0755) < 0) {
            snprintf(err, errlen, "mkdir %s: %s", path, strerror(errno));
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/rootfs%s", bundle, files[i].dst);
        if (bench_copy_file(files[i].src, path, files[i].mode) < 0) {
            snprintf(err, errlen, "copy %s%s: %s", files[i].src,
                     strcmp(files[i].src, BENCH_BUSYBOX) == 0 ? " (package busybox-static)" : "", strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int make_rootfs(const char *bundle, const char *echo_bin, char *err, size_t errlen)
{
    const struct bench_rootfs_file files[] = {{BENCH_BUSYBOX, BENCH_BUSYBOX, 0755}, {echo_bin, "/echo", 0755}};
    char path[4096];
    if (bench_runc_rootfs(bundle, files, 2, err, errlen) < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/rootfs/bin/sh", bundle);
    if (symlink("busybox", path) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "symlink %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Replaces linux.namespaces' "network" entry by one with a path (adds it when missing). */
static int join_netns(json_t *config, const char *netns_path)
{
    json_t *linux_ = json_object_get(config, "linux");
    json_t *nss = linux_ ? json_object_get(linux_, "namespaces") : NULL;
    if (!json_is_array(nss))
        return -1;
    size_t i;
    json_t *ns;
    json_array_foreach(nss, i, ns) {
        json_t *type = json_object_get(ns, "type");
        if (json_is_string(type) && strcmp(json_string_value(type), "network") == 0)
            return json_object_set_new(ns, "path", json_string(netns_path));
    }
    return json_array_append_new(nss, json_pack("{s:s, s:s}", "type", "network", "path", netns_path));
}

int bench_runc_config(const char *bundle, json_t *args, const char *env, const char *netns_path,
                      char *err, size_t errlen)
{
    char path[4096], out[512];
    json_t *config = NULL;
    json_error_t jerr;
    int rc = -1;

    snprintf(path, sizeof(path), "%s/config.json", bundle);
    if (unlink(path) < 0 && errno != ENOENT) {
        snprintf(err, errlen, "unlink %s: %s", path, strerror(errno));
        goto cleanup;
    }
    const char *spec[] = {"runc", "spec", "--bundle", bundle, NULL};
    int st = bench_cmd(spec, out, sizeof(out), 15000);
    if (st != 0) {
        snprintf(err, errlen, "'runc spec' failed (status %d): %s", st, bench_chomp(out));
        goto cleanup;
    }
    config = json_load_file(path, 0, &jerr);
    if (!config) {
        snprintf(err, errlen, "%s: %s", path, jerr.text);
        goto cleanup;
    }
    json_t *process = json_object_get(config, "process");
    json_t *root = json_object_get(config, "root");
    json_t *envs = process ? json_object_get(process, "env") : NULL;
    if (!json_is_object(process) || !json_is_object(root) || !args ||
        json_object_set(process, "args", args) < 0 ||
        (env && (!json_is_array(envs) || json_array_append_new(envs, json_string(env)) < 0)) ||
        json_object_set_new(process, "terminal", json_false()) < 0 ||
        json_object_set_new(root, "path", json_string("rootfs")) < 0 ||
        json_object_set_new(root, "readonly", json_true()) < 0 ||
        json_object_set_new(config, "hostname", json_string("unfbench")) < 0 ||
        join_netns(config, netns_path) < 0) {
        snprintf(err, errlen, "%s: unexpected layout from 'runc spec'", path);
        goto cleanup;
    }
    if (json_dump_file(config, path, JSON_INDENT(2)) < 0) {
        snprintf(err, errlen, "write %s: %s", path, strerror(errno));
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(args);
    json_decref(config);
    return rc;
}

int bench_runc_bundle(const char *bundle, const char *echo_bin, const char *netns_path,
                      const char *hello, char *err, size_t errlen)
{
    if (bench_mkdir_p(bundle, 0755) < 0) {
        snprintf(err, errlen, "mkdir %s: %s", bundle, strerror(errno));
        return -1;
    }
    if (make_rootfs(bundle, echo_bin, err, errlen) < 0)
        return -1;
    return bench_runc_config(bundle, json_pack("[s, s, s]", "/echo", "--hello", hello), NULL,
                             netns_path, err, errlen);
}
