/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * runc container for the http benchmark (see http_runc.h). The bundle helper of the boot
 * benchmark writes a rootfs with the binary as /echo and a config from `runc spec`; this file
 * then rewrites the process entry (command, environment, RLIMIT_NOFILE) with jansson and adds
 * the files archive to the rootfs.
 */
#include "http_runc.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "net.h"
#include "runc.h"
#include "sys.h"

static int edit_process(const char *config_path, const char *port)
{
    json_error_t jerr;
    json_t *config = json_load_file(config_path, 0, &jerr);
    json_t *process = config ? json_object_get(config, "process") : NULL;
    int rc = -1;
    if (!json_is_object(process))
        goto cleanup;
    json_t *args = json_pack("[s, s, s]", "/echo", "--port", port);
    json_t *env = json_pack("[s, s]", "PATH=/bin", "UNF_FILES=/files.tar");
    struct rlimit lim = {4096, 4096}; /* never above what runc itself may set */
    getrlimit(RLIMIT_NOFILE, &lim);
    json_int_t n = lim.rlim_cur > 65536 ? 65536 : (json_int_t)lim.rlim_cur;
    json_t *limits = json_pack("[{s:s, s:I, s:I}]", "type", "RLIMIT_NOFILE", "hard", n, "soft", n);
    if (!args || !env || !limits) {
        json_decref(args);
        json_decref(env);
        json_decref(limits);
        goto cleanup;
    }
    if (json_object_set_new(process, "args", args) < 0 || json_object_set_new(process, "env", env) < 0 ||
        json_object_set_new(process, "rlimits", limits) < 0)
        goto cleanup;
    rc = json_dump_file(config, config_path, JSON_INDENT(2)) < 0 ? -1 : 0;
cleanup:
    json_decref(config);
    return rc;
}

int bench_http_runc_start(const char *dir, const char *id, const char *bin, const char *files_tar,
                          const char *port, pid_t *pid, char *err, size_t errlen)
{
    char bundle[PATH_MAX], root[PATH_MAX], path[PATH_MAX + 32], out[4096];
    bench_fmt(bundle, sizeof(bundle), "%s/bundle", dir);
    bench_fmt(root, sizeof(root), "%s/runc-root", dir);
    if (bench_mkdir_p(root, 0700) < 0) {
        bench_fmt(err, errlen, "cannot create %s", root);
        return -1;
    }
    if (bench_runc_bundle(bundle, bin, BENCH_NETNS_PATH, "127.0.0.1:9", err, errlen) < 0)
        return -1;
    bench_fmt(path, sizeof(path), "%s/rootfs/files.tar", bundle);
    if (bench_copy_file(files_tar, path, 0644) < 0) {
        bench_fmt(err, errlen, "cannot copy %s into the bundle", files_tar);
        return -1;
    }
    bench_fmt(path, sizeof(path), "%s/config.json", bundle);
    if (edit_process(path, port) < 0) {
        bench_fmt(err, errlen, "cannot edit %s", path);
        return -1;
    }
    const char *run[] = {"runc", "--root", root, "run", "-d", "--bundle", bundle, id, NULL};
    int st = bench_cmd(run, out, sizeof(out), 30000);
    if (st != 0) {
        bench_fmt(err, errlen, "runc run failed (status %d): %s", st, bench_chomp(out));
        return -1;
    }
    const char *state[] = {"runc", "--root", root, "state", id, NULL};
    const char *p = bench_cmd(state, out, sizeof(out), 10000) == 0 ? strstr(out, "\"pid\": ") : NULL;
    *pid = p ? (pid_t)atoi(p + 7) : 0;
    if (*pid <= 0) {
        bench_fmt(err, errlen, "runc state %s: no pid", id);
        return -1;
    }
    return 0;
}

void bench_http_runc_stop(const char *dir, const char *id)
{
    char root[PATH_MAX], out[512];
    bench_fmt(root, sizeof(root), "%s/runc-root", dir);
    const char *del[] = {"runc", "--root", root, "delete", "--force", id, NULL};
    if (bench_cmd(del, out, sizeof(out), 30000) != 0)
        fprintf(stderr, "bench: runc delete %s: %s\n", id, bench_chomp(out));
}
