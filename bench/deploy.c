/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench deploy` (see deploy.h). The agent is a real unfd started in the testbed's source
 * namespace with its own state and cache under the benchmark's work directory; its image server
 * is busybox httpd on that namespace's loopback, as the container variant's is on the host's.
 * The API is spoken with libcurl over the agent's unix socket, one connection kept across
 * requests, the way a controller would.
 */
#include "deploy.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "../runtime/cmd.h"
#include "harness.h"
#include "probe_deploy.h"
#include "probe_env.h"
#include "stats.h"
#include "sys.h"

#define LOCK_FILE "/run/unf-bench-probe.lock" /* the testbed is the probe benchmark's */
#define AGENT_DIR PENV_WORK "/agent"
#define AGENT_NAME "bdep"
#define AGENT_SOCK AGENT_DIR "/unfd.sock"
#define AGENT_STATE AGENT_DIR "/state"
#define AGENT_CACHE AGENT_DIR "/cache"
#define WAIT_MS 60000
#define MAX_CONSECUTIVE_FAILS 3

enum { DV_RUNC, DV_PROC, DV_QEMU, DV_COUNT };
static const char *const dv_names[DV_COUNT] = {"runc", "unfd-proc", "unfd-qemu-microvm"};
static const char *const dv_platform[DV_COUNT] = {NULL, "proc", "qemu-microvm"};

/* The agent's own account of each timed run (agent variants only). */
struct atimes {
    double *post, *fetch, *run; /* POST -> 201 (RUNNING), as seen by the client; unfd's fetch_ms, run_ms */
    double *wait, *down;        /* 201 -> wait answered (the trace ran); logs read + DELETE answered */
    int n, calls;
};

struct dctx {
    struct penv *e;
    char unfd[PATH_MAX], sha[65], url[128];
    pid_t agent, httpd;
    CURL *h;
    struct atimes t[DV_COUNT];
    int cap;
};

struct buf {
    char *d;
    size_t n;
};

static size_t sink(char *p, size_t size, size_t nmemb, void *arg)
{
    struct buf *b = arg;
    size_t n = size * nmemb;
    char *grown = realloc(b->d, b->n + n + 1);
    if (!grown)
        return 0;
    b->d = grown;
    memcpy(b->d + b->n, p, n);
    b->n += n;
    b->d[b->n] = '\0';
    return n;
}

/* One API request; the HTTP status, or -1 (out->d NULL or the body; caller frees). */
static long req(struct dctx *c, const char *method, const char *path, const char *body, struct buf *out)
{
    char url[256];
    struct curl_slist *hdr = NULL;
    out->d = NULL;
    out->n = 0;
    bench_fmt(url, sizeof(url), "http://unfd%s", path);
    curl_easy_reset(c->h); /* keeps the connection */
    curl_easy_setopt(c->h, CURLOPT_UNIX_SOCKET_PATH, AGENT_SOCK);
    curl_easy_setopt(c->h, CURLOPT_URL, url);
    curl_easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->h, CURLOPT_TIMEOUT_MS, (long)WAIT_MS + 30000);
    curl_easy_setopt(c->h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c->h, CURLOPT_WRITEDATA, out);
    if (body) {
        hdr = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_setopt(c->h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(c->h, CURLOPT_POSTFIELDS, body);
    }
    if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
        curl_easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, method);
    long status = -1;
    if (curl_easy_perform(c->h) == CURLE_OK)
        curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    return status;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static char *sla_text(struct dctx *c, int v)
{
    json_t *ms = json_pack("{s:s, s:s, s:[s,s,s,s], s:i, s:i, s:s, s:b, s:[s], s:s, s:s, s:s}", "microservice_name",
                           "tnt", "virtualization", "unikernel", "cmd", "trace", "-w", "1", PENV_TARGET, "memory", 16,
                           "vcpus", 1, "port", "", "one_shot", 1, "arch", "amd64", "code", c->url, "code_sha256",
                           c->sha, "unf_platform", dv_platform[v]);
    json_t *doc = ms ? json_pack("{s:s, s:[{s:s, s:[o]}]}", "sla_version", "v2.0", "applications", "application_name",
                                 "vtnt", "microservices", ms)
                     : NULL;
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    return text;
}

/* One deploy + execute through the agent: 0, or -1 with why. */
static int agent_once(struct dctx *c, int v, double *ms, double part[5], char *why, size_t whylen)
{
    char path[PATH_MAX], id[64] = "";
    struct buf b = {0};
    json_t *o = NULL;
    int rc = -1;
    bench_fmt(path, sizeof(path), "%s/%s.unf", AGENT_CACHE, c->sha);
    unlink(path); /* an empty cache: every run fetches */
    char *sla = sla_text(c, v);
    if (!sla) {
        bench_fmt(why, whylen, "out of memory");
        return -1;
    }
    double t0 = bench_now_ms();
    long st = req(c, "POST", "/v1/instances", sla, &b);
    double t1 = bench_now_ms();
    part[0] = t1 - t0;
    free(sla);
    o = b.d ? json_loads(b.d, 0, NULL) : NULL;
    bench_fmt(id, sizeof(id), "%s", jstr(o, "id"));
    if (st != 201 || strcmp(jstr(o, "state"), "RUNNING") != 0) {
        bench_fmt(why, whylen, "POST: %ld %s", st, o ? jstr(o, "error") : "no answer");
        goto cleanup;
    }
    part[1] = (double)json_integer_value(json_object_get(o, "fetch_ms"));
    part[2] = (double)json_integer_value(json_object_get(o, "run_ms"));
    if (json_integer_value(json_object_get(o, "fetched_bytes")) <= 0) {
        bench_fmt(why, whylen, "the image came from the cache, not over HTTP");
        goto cleanup;
    }
    json_decref(o);
    free(b.d);
    bench_fmt(path, sizeof(path), "/v1/instances/%s/wait?timeout_ms=%d", id, WAIT_MS);
    st = req(c, "GET", path, NULL, &b);
    o = b.d ? json_loads(b.d, 0, NULL) : NULL;
    if (st != 200 || strcmp(jstr(o, "state"), "COMPLETED") != 0) {
        bench_fmt(why, whylen, "wait: %ld, state %s, reason %s", st, jstr(o, "state"), jstr(o, "reason"));
        goto cleanup;
    }
    double t2 = bench_now_ms();
    part[3] = t2 - t1;
    free(b.d);
    bench_fmt(path, sizeof(path), "/v1/instances/%s/logs", id);
    st = req(c, "GET", path, NULL, &b);
    if (st != 200 || !b.d || !strstr(b.d, "\"dst\":\"" PENV_TARGET "\"") || !strstr(b.d, "\"stop_reason\":\"COMPLETED\"")) {
        bench_fmt(why, whylen, "the trace did not reach %s (logs: %ld)", PENV_TARGET, st);
        goto cleanup;
    }
    free(b.d);
    bench_fmt(path, sizeof(path), "/v1/instances/%s", id);
    st = req(c, "DELETE", path, NULL, &b);
    id[0] = '\0';
    if (st != 204) {
        bench_fmt(why, whylen, "DELETE: %ld", st);
        goto cleanup;
    }
    *ms = bench_now_ms() - t0;
    part[4] = t0 + *ms - t2;
    rc = 0;
cleanup:
    json_decref(o);
    free(b.d);
    if (id[0]) { /* a failed run leaves nothing either */
        bench_fmt(path, sizeof(path), "/v1/instances/%s", id);
        req(c, "DELETE", path, NULL, &b);
        free(b.d);
    }
    return rc;
}

static int trial(void *ctx, int v, double *ms, char *why, size_t whylen)
{
    struct dctx *c = ctx;
    if (v == DV_RUNC) {
        double t0 = bench_now_ms();
        int rc = pdeploy_once(c->e, PV_RUNC, why, whylen);
        *ms = bench_now_ms() - t0;
        return rc;
    }
    double part[5] = {0};
    struct atimes *t = &c->t[v];
    int rc = agent_once(c, v, ms, part, why, whylen);
    if (rc == 0 && t->calls++ > 0 && t->n < c->cap) { /* the first call is the untimed warm-up */
        t->post[t->n] = part[0];
        t->fetch[t->n] = part[1];
        t->run[t->n] = part[2];
        t->wait[t->n] = part[3];
        t->down[t->n] = part[4];
        t->n++;
    }
    return rc;
}

/* ---- the agent and its image server ------------------------------------------------------ */

static int run_in_src(const char *const argv[], long timeout_ms)
{
    return penv_run(argv, PENV_NS_SRC, 0, NULL, timeout_ms);
}

/* What a killed earlier run left: its agent's instances (namespaces, cgroups) and state. */
static void agent_stale_cleanup(const char *unfd)
{
    char pid[32];
    if (bench_read_file(AGENT_DIR "/unfd.pid", pid, sizeof(pid)) > 0) {
        char cmdline[256], proc[64];
        bench_fmt(proc, sizeof(proc), "/proc/%d/cmdline", atoi(pid));
        long n = bench_read_file(proc, cmdline, sizeof(cmdline));
        if (atoi(pid) > 0 && n > 0 && strstr(cmdline, "unfd"))
            kill(atoi(pid), SIGKILL);
    }
    if (access(AGENT_STATE, F_OK) == 0) {
        const char *argv[] = {unfd, "--name", AGENT_NAME, "--state", AGENT_STATE, "--cache", AGENT_CACHE, "--cleanup", NULL};
        bench_cmd(argv, NULL, 0, 60000);
    }
    bench_rm_rf(AGENT_DIR);
}

static int agent_up(struct dctx *c, char *err, size_t errlen)
{
    char listen[32], log[PATH_MAX + 32], path[PATH_MAX + 32];
    struct penv *e = c->e;
    if (bench_mkdir_p(AGENT_CACHE, 0755) < 0) {
        bench_fmt(err, errlen, "cannot create %s", AGENT_CACHE);
        return -1;
    }
    bench_fmt(listen, sizeof(listen), "127.0.0.1:%u", e->port);
    bench_fmt(log, sizeof(log), "%s/deploy-httpd.log", e->logs);
    const char *httpd[] = {e->busybox, "httpd", "-f", "-p", listen, "-h", e->www, NULL};
    c->httpd = bench_spawn(httpd, PENV_NS_SRC, log, NULL);
    bench_fmt(c->url, sizeof(c->url), "http://%s/probe.unf", listen);
    char image[PATH_MAX + 16], sum[256] = "";
    bench_fmt(image, sizeof(image), "%s/probe.unf", e->www);
    const char *sha[] = {"sha256sum", image, NULL};
    if (bench_cmd(sha, sum, sizeof(sum), 10000) != 0 || strlen(sum) < 64) {
        bench_fmt(err, errlen, "sha256sum %s failed", image);
        return -1;
    }
    bench_fmt(c->sha, sizeof(c->sha), "%.64s", sum);
    const char *probe[] = {"ip", "netns", "exec", PENV_NS_SRC, e->curl, "-sf", "-o", "/dev/null", c->url, NULL};
    int up = 0;
    for (int i = 0; i < 100 && !up && c->httpd > 0; i++)
        up = bench_cmd(probe, NULL, 0, 2000) == 0 || (bench_sleep_ms(20), 0);
    if (!up) {
        bench_fmt(err, errlen, "busybox httpd in %s does not answer", PENV_NS_SRC);
        return -1;
    }
    bench_fmt(log, sizeof(log), "%s/unfd.log", e->logs);
    const char *unfd[] = {c->unfd, "--name", AGENT_NAME, "--memory", "4096", "--vcpus", "4", "--socket", AGENT_SOCK,
                          "--state", AGENT_STATE, "--cache", AGENT_CACHE, NULL};
    c->agent = bench_spawn(unfd, PENV_NS_SRC, log, NULL);
    if (c->agent > 0) {
        FILE *f = fopen(AGENT_DIR "/unfd.pid", "w");
        if (f) {
            fprintf(f, "%d\n", (int)c->agent);
            fclose(f);
        }
    }
    for (int i = 0; i < 250 && c->agent > 0; i++) {
        struct buf b;
        long st = req(c, "GET", "/v1/node", NULL, &b);
        free(b.d);
        if (st == 200)
            return 0;
        bench_sleep_ms(20);
    }
    bench_fmt(path, sizeof(path), "%s/unfd.log", e->logs);
    bench_fmt(err, errlen, "unfd did not answer on %s (see %s)", AGENT_SOCK, path);
    return -1;
}

static void agent_down(struct dctx *c)
{
    bench_stop(c->agent, 5000);
    c->agent = 0;
    if (access(AGENT_STATE, F_OK) == 0) {
        const char *argv[] = {c->unfd, "--name", AGENT_NAME, "--state", AGENT_STATE, "--cache", AGENT_CACHE, "--cleanup",
                              NULL};
        if (run_in_src(argv, 60000) != 0)
            fprintf(stderr, "bench: unfd --cleanup failed (see the agent's state in %s)\n", AGENT_STATE);
    }
    bench_stop(c->httpd, 1000);
    c->httpd = 0;
    bench_rm_rf(AGENT_DIR);
}

/* ---- report ------------------------------------------------------------------------------ */

static void row(FILE *f, const char *what, const double *v, int n)
{
    struct bench_stats st;
    if (n > 0 && bench_stats_of(v, n, &st) == 0)
        fprintf(f, "| %s | %d | %.1f | %.1f | %.1f | %.1f |\n", what, n, st.median, st.p95, st.min, st.max);
    else
        fprintf(f, "| %s | 0 | - | - | - | - |\n", what);
}

static void print_report(FILE *f, const struct bench_run *run, const struct bench_opts *o, struct dctx *c,
                         const struct bench_series *s, double seconds)
{
    fprintf(f, "# unf bench deploy: vTNT's deploy + execute through the node agent\n\n");
    fprintf(f, "- Date: %s; %s; %d runs per variant, interleaved, after one untimed warm-up round; wall time %.0f s.%s\n",
            run->date, o->quick ? "--quick" : "full run", o->runs, seconds,
            bench_interrupted ? " **Interrupted: partial results.**" : "");
    bench_machine_md(f, run);
    fprintf(f, "- One run: unfd-*: POST an Oakestra SLA v2 (one-shot, `trace -w 1 %s`) to unfd on its unix socket "
               "with an empty cache (unfd fetches probe.unf over HTTP from busybox httpd, checks its sha256, runs "
               "`unf run -d`), long-poll wait until COMPLETED, GET the logs (the trace must reach %s), DELETE. "
               "runc: curl the bundle tarball, tar -x, runc run, rm (bench/probe_deploy.c). Same four-hop "
               "testbed for both.\n\n", PENV_TARGET, PENV_TARGET);
    fprintf(f, "| variant | runs ok | median ms | p95 ms | min ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
    for (int v = 0; v < DV_COUNT; v++) {
        if (!s[v].active && !s[v].note[0])
            continue;
        row(f, s[v].name, s[v].samples, s[v].ok);
        if (s[v].note[0])
            fprintf(f, "|   (%s: %s) | | | | | |\n", s[v].name, s[v].note);
    }
    fprintf(f, "\n| runc / unikernel (medians) | vTNT (Docker / Unikraft on Firecracker) | here |\n|---|---:|---|\n");
    for (int v = DV_PROC; v < DV_COUNT; v++)
        if (s[DV_RUNC].ok && s[v].ok)
            fprintf(f, "| runc / %s | 2.4x | %.2fx (%.1f vs %.1f ms) |\n", s[v].name,
                    s[DV_RUNC].st.median / s[v].st.median, s[DV_RUNC].st.median, s[v].st.median);
    fprintf(f, "\nWhere an agent deploy goes (POST -> 201 RUNNING, per timed run; fetch and `unf run -d` as unfd "
               "timed them inside that request):\n\n");
    fprintf(f, "| variant: part | runs | median ms | p95 ms | min ms | max ms |\n|---|---:|---:|---:|---:|---:|\n");
    for (int v = DV_PROC; v < DV_COUNT; v++) {
        struct atimes *t = &c->t[v];
        if (!t->n)
            continue;
        double *raw = calloc((size_t)t->n, sizeof(double)), *own = calloc((size_t)t->n, sizeof(double));
        for (int i = 0; raw && own && i < t->n; i++) {
            raw[i] = t->post[i] - t->run[i];
            own[i] = t->post[i] - t->run[i] - t->fetch[i];
        }
        char what[96];
        bench_fmt(what, sizeof(what), "%s: POST -> RUNNING", dv_names[v]);
        row(f, what, t->post, t->n);
        bench_fmt(what, sizeof(what), "%s: fetch (HTTP + sha256 + cache)", dv_names[v]);
        row(f, what, t->fetch, t->n);
        bench_fmt(what, sizeof(what), "%s: unf run -d", dv_names[v]);
        row(f, what, t->run, t->n);
        bench_fmt(what, sizeof(what), "%s: POST -> RUNNING minus unf run -d", dv_names[v]);
        row(f, what, raw, raw && own ? t->n : 0);
        bench_fmt(what, sizeof(what), "%s: agent's own (also minus the fetch)", dv_names[v]);
        row(f, what, own, raw && own ? t->n : 0);
        bench_fmt(what, sizeof(what), "%s: RUNNING -> wait answered (trace runs, exit noticed)", dv_names[v]);
        row(f, what, t->wait, t->n);
        bench_fmt(what, sizeof(what), "%s: GET logs + DELETE (unf rm -f)", dv_names[v]);
        row(f, what, t->down, t->n);
        free(raw);
        free(own);
    }
}

static int write_files(struct bench_run *run, const struct bench_opts *o, struct dctx *c, const struct bench_series *s,
                       double seconds)
{
    char path[PATH_MAX];
    FILE *f = bench_run_open(run, ".md", path, sizeof(path));
    if (!f)
        return -1;
    print_report(f, run, o, c, s, seconds);
    if (bench_run_close(run, f, path) < 0)
        return -1;
    if (!(f = bench_run_open(run, "-samples.csv", path, sizeof(path))))
        return -1;
    fprintf(f, "variant,run,total_ms,post_ms,fetch_ms,unf_run_ms,wait_ms,logs_delete_ms\n");
    for (int v = 0; v < DV_COUNT; v++)
        for (int i = 0; i < s[v].ok; i++) {
            const struct atimes *t = &c->t[v];
            if (v != DV_RUNC && i < t->n)
                fprintf(f, "%s,%d,%.3f,%.3f,%.0f,%.0f,%.3f,%.3f\n", s[v].name, i + 1, s[v].samples[i], t->post[i],
                        t->fetch[i], t->run[i], t->wait[i], t->down[i]);
            else
                fprintf(f, "%s,%d,%.3f,,,,,\n", s[v].name, i + 1, s[v].samples[i]);
        }
    return bench_run_close(run, f, path);
}

/* ---- the run ----------------------------------------------------------------------------- */

static int usage(FILE *f)
{
    fprintf(f, "usage: unf bench deploy [--runs N] [--quick] [--only runc,proc,qemu] [--out DIR]\n"
               "  vTNT's deploy + execute (fetch with an empty cache, boot, trace, collect, tear down) through unfd,\n"
               "  interleaved with runc. Default 30 runs of runc, unfd-proc and unfd-qemu-microvm; --quick: 3 runs,\n"
               "  runc and unfd-proc.\n");
    return f == stdout ? 0 : 2;
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench deploy: %s: '%s'\n", what, arg);
    return 2;
}

static int measure(const struct bench_opts *o, struct dctx *c, struct bench_series *s)
{
    char err[512];
    struct penv *e = c->e;
    if (penv_up(e, err, sizeof(err)) < 0 || agent_up(c, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench: %s\n", err);
        return -1;
    }
    if (!e->skip[PV_RUNC][0] && pdeploy_prepare(e, err, sizeof(err)) < 0)
        bench_fmt(e->skip[PV_RUNC], sizeof(e->skip[0]), "%s", err);
    c->cap = o->runs + 1;
    for (int v = 0; v < DV_COUNT; v++) {
        s[v].name = dv_names[v];
        s[v].active = (o->only & (1u << v)) != 0;
        if (v == DV_RUNC && e->skip[PV_RUNC][0] && s[v].active) {
            s[v].active = 0;
            bench_fmt(s[v].note, sizeof(s[v].note), "skipped: %s", e->skip[PV_RUNC]);
        }
        if (v != DV_RUNC) {
            c->t[v].post = calloc((size_t)c->cap, sizeof(double));
            c->t[v].fetch = calloc((size_t)c->cap, sizeof(double));
            c->t[v].run = calloc((size_t)c->cap, sizeof(double));
            c->t[v].wait = calloc((size_t)c->cap, sizeof(double));
            c->t[v].down = calloc((size_t)c->cap, sizeof(double));
            if (!c->t[v].post || !c->t[v].fetch || !c->t[v].run || !c->t[v].wait || !c->t[v].down)
                return -1;
        }
    }
    return bench_interleave(s, DV_COUNT, 1, o->runs, MAX_CONSECUTIVE_FAILS, trial, c, "deploy");
}

int bench_deploy_main(int argc, char **argv)
{
    static const char *const only_names[DV_COUNT] = {"runc", "proc", "qemu"};
    struct bench_opts o = {.out = BENCH_OUT_DEFAULT, .names = only_names, .nnames = DV_COUNT,
                           .only_what = "--only wants variants from: runc, proc, qemu", .bad_usage = bad_usage};
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'}, BENCH_OPTION_RUNS, BENCH_OPTION_QUICK,
        BENCH_OPTION_ONLY,                BENCH_OPTION_OUT,  {NULL, 0, NULL, 0},
    };
    int st;
    if (bench_next_opt(argc, argv, options, &o, &st) == 'h')
        return usage(stdout);
    if (st)
        return st;
    if (!o.runs)
        o.runs = o.quick ? 3 : 30;
    if (!o.only)
        o.only = o.quick ? (1u << DV_RUNC) | (1u << DV_PROC) : (1u << DV_COUNT) - 1;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench: deploy needs root (namespaces, cgroups, containers)\n");
        return 1;
    }
    struct dctx *ctx = calloc(1, sizeof(*ctx));
    struct bench_run *run = calloc(1, sizeof(*run));
    struct bench_series s[DV_COUNT];
    memset(s, 0, sizeof(s));
    int rc = 1, lock = -1;
    if (!ctx || !run || !(ctx->e = calloc(1, sizeof(*ctx->e)))) {
        fprintf(stderr, "unf bench: out of memory\n");
        goto cleanup;
    }
    if (cmd_sibling_path("unfd", ctx->unfd, sizeof(ctx->unfd)) < 0 || !bench_is_exec(ctx->unfd)) {
        fprintf(stderr, "unf bench: build/bin/unfd missing (make build/bin/unfd)\n");
        goto cleanup;
    }
    if (bench_sys_signals() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(ctx->h = curl_easy_init())) {
        fprintf(stderr, "unf bench: cannot set up signals or libcurl\n");
        goto cleanup;
    }
    lock = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "unf bench: %s: %s\n", LOCK_FILE,
                errno == EWOULDBLOCK ? "another unf bench probe or deploy is running" : strerror(errno));
        goto cleanup;
    }
    if (bench_run_begin(run, "deploy", o.out) < 0)
        goto cleanup;
    agent_stale_cleanup(ctx->unfd);
    double t0 = bench_now_ms();
    int measured = measure(&o, ctx, s);
    agent_down(ctx);
    penv_down(ctx->e);
    double seconds = (bench_now_ms() - t0) / 1000.0;
    if (measured == 0) {
        print_report(stdout, run, &o, ctx, s, seconds);
        fflush(stdout);
        rc = write_files(run, &o, ctx, s, seconds) < 0 ? 1 : 0;
        for (int i = 0; i < DV_COUNT; i++)
            if (s[i].active && s[i].ok == 0)
                rc = 1; /* a variant that never deployed fails the run */
        bench_run_end(run);
    }
    if (bench_interrupted) {
        fprintf(stderr, "unf bench: interrupted; everything the benchmark created was removed\n");
        rc = 1;
    }
cleanup:
    for (int i = 0; i < DV_COUNT; i++) {
        free(s[i].samples);
        if (ctx) {
            free(ctx->t[i].post);
            free(ctx->t[i].fetch);
            free(ctx->t[i].run);
            free(ctx->t[i].wait);
            free(ctx->t[i].down);
        }
    }
    if (ctx) {
        if (ctx->h)
            curl_easy_cleanup(ctx->h);
        free(ctx->e);
    }
    free(ctx);
    free(run);
    if (lock >= 0)
        close(lock);
    return rc;
}
