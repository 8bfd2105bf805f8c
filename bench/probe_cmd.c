/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Command lines of the probe benchmark's variants: the runc config of a container running the
 * probe, and the argv of the probe unikernel in a tap slot, which is the runtime driver's own
 * (proc tender or QEMU microvm), so the benchmark starts what `unf run` starts. Kept apart from
 * the environment so the experiments share one definition of "the same probe on every platform".
 */
#include "probe_env.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../runtime/driver.h"
#include "sys.h"

#define UK_MEM (8ull * 1024 * 1024)

/* Appends CAP_NET_RAW to every capability set the spec lists (raw ICMP sockets need it). */
static int add_net_raw(json_t *process)
{
    json_t *caps = json_object_get(process, "capabilities");
    const char *key;
    json_t *set;
    if (!json_is_object(caps))
        return -1;
    json_object_foreach(caps, key, set) {
        if (json_is_array(set) && json_array_append_new(set, json_string("CAP_NET_RAW")) < 0)
            return -1;
    }
    return 0;
}

int penv_runc_config(struct penv *e, const char *dir, const char *rootfs, const char *const args[],
                     const char *cgpath)
{
    char base[PATH_MAX + 16], out[PATH_MAX + 16];
    json_error_t jerr;
    int rc = -1;
    bench_fmt(base, sizeof(base), "%s/config.json", e->bundle);
    bench_fmt(out, sizeof(out), "%s/config.json", dir);
    json_t *config = json_load_file(base, 0, &jerr);
    json_t *argv = json_array();
    if (!config || !argv) {
        fprintf(stderr, "bench: %s: %s\n", base, config ? "out of memory" : jerr.text);
        goto cleanup;
    }
    for (int i = 0; args[i]; i++) {
        if (json_array_append_new(argv, json_string(args[i])) < 0)
            goto cleanup;
    }
    json_t *process = json_object_get(config, "process");
    json_t *root = json_object_get(config, "root");
    json_t *linux_ = json_object_get(config, "linux");
    if (!json_is_object(process) || !json_is_object(root) || !json_is_object(linux_) ||
        json_object_set(process, "args", argv) < 0 || add_net_raw(process) < 0 ||
        json_object_set_new(root, "path", json_string(rootfs)) < 0 ||
        (cgpath && json_object_set_new(linux_, "cgroupsPath", json_string(cgpath)) < 0)) {
        fprintf(stderr, "bench: %s: unexpected layout\n", base);
        goto cleanup;
    }
    if (bench_mkdir_p(dir, 0755) < 0 || json_dump_file(config, out, JSON_COMPACT) < 0) {
        fprintf(stderr, "bench: cannot write %s\n", out);
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(argv);
    json_decref(config);
    return rc;
}

int penv_ok_status(int v, int status)
{
    return v == PV_QEMU ? status == 1 : status == 0;
}

/* Carves a copy of s out of buf; NULL when full. */
static const char *keep(char **buf, size_t *left, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *left)
        return NULL;
    memcpy(*buf, s, n);
    const char *kept = *buf;
    *buf += n;
    *left -= n;
    return kept;
}

int penv_uk_argv(struct penv *e, int v, int slot, const char *kernel, const char *archive,
                 const char *const args[], const char **argv, int max, char *buf, size_t buflen)
{
    char ip[20], mac[20], tap[16], cmdline[4096];
    struct driver_argv a;
    size_t left = buflen;
    penv_slot(slot, ip, mac, tap);
    size_t used = (size_t)snprintf(cmdline, sizeof(cmdline), "unf.ip0=%s/16 unf.gw0=%s --", ip, PENV_GW);
    for (int i = 0; args[i] && used < sizeof(cmdline); i++)
        used += (size_t)snprintf(cmdline + used, sizeof(cmdline) - used, " %s", args[i]);
    if (used >= sizeof(cmdline))
        return -1;
    const struct driver *d = driver_find(v == PV_PROC ? "proc" : "qemu-microvm");
    struct driver_launch l = {
        .kernel = kernel ? kernel : v == PV_PROC ? e->kproc : e->kvirtio,
        .archive = archive,
        .cmdline = cmdline,
        .mem = UK_MEM,
        .cpus = 1,
        .nics = {{.tap = tap, .mac = mac}},
        .nnics = 1,
        .kvm = v == PV_QEMU && e->kvm,
    };
    if (!d || d->build(&l, &a) < 0 || a.argc >= max)
        return -1;
    /* The strings move to the caller's buffer: a is gone when we return. */
    for (int i = 0; i < a.argc; i++) {
        argv[i] = keep(&buf, &left, a.argv[i]);
        if (!argv[i])
            return -1;
    }
    argv[a.argc] = NULL;
    return a.argc;
}
