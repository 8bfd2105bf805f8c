/*
 * OCI bundle for the dns container baseline (see bench/dns_runc.h): `runc spec` gives the
 * default config, which is edited to run /dns with UNF_FILES=/zones.tar on a read-only rootfs
 * in the benchmark's network namespace.
 */
#include "dns_runc.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"

static int make_rootfs(const char *bundle, const char *dns_bin, const char *zones_tar, char *err, size_t errlen)
{
    static const char *const dirs[] = {"dev", "proc", "sys", "tmp"};
    char path[4096];
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/rootfs/%s", bundle, dirs[i]);
        if (bench_mkdir_p(path, 0755) < 0) {
            snprintf(err, errlen, "mkdir %s: %s", path, strerror(errno));
            return -1;
        }
    }
    snprintf(path, sizeof(path), "%s/rootfs/dns", bundle);
    if (bench_copy_file(dns_bin, path, 0755) < 0) {
        snprintf(err, errlen, "copy %s: %s", dns_bin, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/rootfs/zones.tar", bundle);
    if (bench_copy_file(zones_tar, path, 0644) < 0) {
        snprintf(err, errlen, "copy %s: %s", zones_tar, strerror(errno));
        return -1;
    }
    return 0;
}

/* Points linux.namespaces' "network" entry at netns_path (adds it when missing). */
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

int bench_dns_runc_bundle(const char *bundle, const char *dns_bin, const char *zones_tar,
                          const char *netns_path, char *err, size_t errlen)
{
    char path[4096], out[512];
    json_t *config = NULL;
    json_error_t jerr;
    int rc = -1;

    if (bench_mkdir_p(bundle, 0755) < 0) {
        snprintf(err, errlen, "mkdir %s: %s", bundle, strerror(errno));
        goto cleanup;
    }
    if (make_rootfs(bundle, dns_bin, zones_tar, err, errlen) < 0)
        goto cleanup;
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
    json_t *env = process ? json_object_get(process, "env") : NULL;
    if (!json_is_object(process) || !json_is_object(root) || !json_is_array(env) ||
        json_object_set_new(process, "args", json_pack("[s]", "/dns")) < 0 ||
        json_array_append_new(env, json_string("UNF_FILES=/zones.tar")) < 0 ||
        json_object_set_new(process, "terminal", json_false()) < 0 ||
        json_object_set_new(root, "path", json_string("rootfs")) < 0 ||
        json_object_set_new(root, "readonly", json_true()) < 0 ||
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
    json_decref(config);
    return rc;
}
