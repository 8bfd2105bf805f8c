/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The deploy + execute experiment (see probe_deploy.h). Each variant fetches what it would ship:
 * the static native binary, a tarball of the runc bundle (config + busybox rootfs + the binary),
 * or the .unf image (from which the kernel of the platform is unpacked, as the runtime does).
 * Runs are interleaved across variants so drift on the machine spreads over all rows alike.
 */
#include "probe_deploy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sys.h"

#define RUN_TIMEOUT_MS 60000
#define MAX_CONSECUTIVE_FAILS 3
#define DEPLOY_DIR PENV_WORK "/deploy"

static const char *const trace_args[] = {"trace", "-w", "1", PENV_TARGET, NULL};

const char *pdeploy_what(int v)
{
    switch (v) {
    case PV_NATIVE:
        return "curl the static binary, chmod, run it in the container namespace, rm";
    case PV_RUNC:
        return "curl the bundle tarball, tar -x, runc run (foreground, removes itself), rm";
    case PV_PROC:
        return "curl probe.unf, tar -x the proc kernel, unf-proc --mem 8M on a pre-made tap, rm";
    default:
        return "curl probe.unf, tar -x the virtio kernel, QEMU microvm -m 8M on a pre-made tap, rm";
    }
}

int pdeploy_prepare(struct penv *e, char *err, size_t errlen)
{
    char img[PATH_MAX], tarball[PATH_MAX + 16];
    const char *args[8];
    int n = 0;
    args[n++] = "/probe";
    for (int i = 0; trace_args[i]; i++)
        args[n++] = trace_args[i];
    args[n] = NULL;
    bench_fmt(img, sizeof(img), "%s/image", PENV_WORK);
    bench_fmt(tarball, sizeof(tarball), "%s/bundle.tar", e->www);
    if (penv_runc_config(e, img, "rootfs", args, NULL) < 0) {
        bench_fmt(err, errlen, "cannot write the container image's config");
        return -1;
    }
    const char *tar[] = {"tar", "-cf", tarball, "-C", img, "config.json", "-C", e->bundle, "rootfs", NULL};
    if (bench_cmd(tar, NULL, 0, 30000) != 0) {
        bench_fmt(err, errlen, "cannot write %s", tarball);
        return -1;
    }
    return 0;
}

static int fetch(struct penv *e, const char *name, const char *dst)
{
    char url[128];
    bench_fmt(url, sizeof(url), "http://127.0.0.1:%u/%s", e->port, name);
    const char *curl[] = {e->curl, "-sf", "-o", dst, url, NULL};
    return bench_cmd(curl, NULL, 0, 30000) == 0 ? 0 : -1;
}

/* One deploy of v; returns 0 when the trace reached the destination; why says what failed. */
static int deploy_once(struct penv *e, int v, char *why, size_t whylen)
{
    char file[PATH_MAX + 32], log[PATH_MAX + 32], kernel[PATH_MAX + 48], buf[2048], id[32];
    const char *argv[64];
    int st = -1;

    bench_fmt(log, sizeof(log), "%s/deploy-%s.log", e->logs, penv_name(e, v));
    if (bench_rm_rf(DEPLOY_DIR) < 0 || bench_mkdir_p(DEPLOY_DIR, 0755) < 0) {
        bench_fmt(why, whylen, "mkdir %s: %s", DEPLOY_DIR, strerror(errno));
        return -1;
    }
    if (v == PV_NATIVE) {
        bench_fmt(file, sizeof(file), "%s/probe", DEPLOY_DIR);
        if (fetch(e, "probe", file) < 0 || chmod(file, 0755) < 0) {
            bench_fmt(why, whylen, "fetch of the binary failed");
            return -1;
        }
        int n = 0;
        argv[n++] = file;
        for (int i = 0; trace_args[i]; i++)
            argv[n++] = trace_args[i];
        argv[n] = NULL;
        st = penv_run(argv, PENV_NS_CT, 0, log, RUN_TIMEOUT_MS);
    } else if (v == PV_RUNC) {
        bench_fmt(file, sizeof(file), "%s/bundle.tar", DEPLOY_DIR);
        const char *untar[] = {"tar", "-xf", file, "-C", DEPLOY_DIR, NULL};
        if (fetch(e, "bundle.tar", file) < 0 || bench_cmd(untar, NULL, 0, 30000) != 0) {
            bench_fmt(why, whylen, "fetch or unpack of the bundle failed");
            return -1;
        }
        bench_fmt(id, sizeof(id), "unfbp-%d-d%u", (int)getpid(), e->seq++); /* unique per run */
        const char *run[] = {e->runc, "--root", e->runc_root, "run", "--bundle", DEPLOY_DIR, id, NULL};
        st = penv_run(run, NULL, 0, log, RUN_TIMEOUT_MS);
    } else {
        const char *kname = v == PV_PROC ? "kernels/x86_64-proc" : "kernels/x86_64-virtio";
        bench_fmt(file, sizeof(file), "%s/probe.unf", DEPLOY_DIR);
        bench_fmt(kernel, sizeof(kernel), "%s/%s", DEPLOY_DIR, kname);
        const char *untar[] = {"tar", "-xf", file, "-C", DEPLOY_DIR, kname, NULL};
        if (fetch(e, "probe.unf", file) < 0 || bench_cmd(untar, NULL, 0, 30000) != 0) {
            bench_fmt(why, whylen, "fetch or unpack of probe.unf failed");
            return -1;
        }
        if (penv_uk_argv(e, v, 0, kernel, NULL, trace_args, argv, 64, buf, sizeof(buf)) < 0) {
            bench_fmt(why, whylen, "internal: command line too long");
            return -1;
        }
        st = penv_run(argv, PENV_NS_SRC, 0, log, RUN_TIMEOUT_MS);
    }
    if (bench_rm_rf(DEPLOY_DIR) < 0) {
        bench_fmt(why, whylen, "rm %s: %s", DEPLOY_DIR, strerror(errno));
        return -1;
    }
    if (!penv_ok_status(v, st)) {
        bench_fmt(why, whylen, st < 0 ? "timed out after %d ms" : "exit status %d", st < 0 ? RUN_TIMEOUT_MS : st);
        return -1;
    }
    if (!penv_log_has(log, "\"dst\":\"" PENV_TARGET "\"") || !penv_log_has(log, "\"stop_reason\":\"COMPLETED\"")) {
        bench_fmt(why, whylen, "the trace did not reach %s", PENV_TARGET);
        return -1;
    }
    return 0;
}

int pdeploy_once(struct penv *e, int v, char *why, size_t whylen)
{
    return deploy_once(e, v, why, whylen);
}

/* One deploy + execute of variant v, timed, for the harness's interleaved loop. */
static int deploy_trial(void *ctx, int v, double *ms, char *why, size_t whylen)
{
    double t0 = bench_now_ms();
    int rc = deploy_once(ctx, v, why, whylen);
    *ms = bench_now_ms() - t0;
    return rc;
}

int pdeploy_run(struct penv *e, int runs, const int active[PV_COUNT], struct bench_series rows[PV_COUNT])
{
    int have_tap = penv_taps(e, 1) >= 1;
    for (int v = 0; v < PV_COUNT; v++) {
        rows[v].name = penv_name(e, v);
        rows[v].active = active[v] && (v < PV_PROC || have_tap);
        if (v >= PV_PROC && !have_tap)
            bench_fmt(rows[v].note, sizeof(rows[v].note), "no tap");
    }
    /* One untimed warm-up round (page cache, first exec of each binary). */
    return bench_interleave(rows, PV_COUNT, 1, runs, MAX_CONSECUTIVE_FAILS, deploy_trial, e, "deploy");
}

void pdeploy_free(struct bench_series rows[PV_COUNT])
{
    for (int v = 0; v < PV_COUNT; v++) {
        free(rows[v].samples);
        rows[v].samples = NULL;
    }
}
