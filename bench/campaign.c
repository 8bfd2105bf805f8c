/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The controller benchmark (see campaign.h). Each agent gets a namespace of its own (the
 * runtime builds its bridge and NAT inside) and its own UNF_ROOT and state; the probe pings its
 * gateway, so no testbed is needed and what is measured is deployment, not the network. The
 * controller is the real CLI (build/bin/unf-cluster), timed from the results it records.
 */
#include "campaign.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "netns.h"
#include "stats.h"
#include "sys.h"

#define MAX_AGENTS 16
#define TARGET_OVERHEAD_MS 20.0

struct copts {
    long agents, deployments, runs;
    const char *out;
};

struct cenv {
    char work[PATH_MAX], root[PATH_MAX], unf[PATH_MAX], unfd[PATH_MAX], cluster[PATH_MAX];
    char image[PATH_MAX], db[PATH_MAX];
    char sha[65];
    pid_t pid[MAX_AGENTS];
    long n;
    char prefix[16];
};

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench campaign: %s%s%s (usage: unf bench campaign [--agents N] [--deployments N] "
            "[--runs N] [--quick] [--out DIR])\n", what, arg ? " " : "", arg ? arg : "");
    return 2;
}

static void ns_name(const struct cenv *e, long i, char *buf, size_t len)
{
    bench_fmt(buf, len, "%sa%ld", e->prefix, i);
}

static void teardown(struct cenv *e)
{
    char ns[64], root[PATH_MAX + 32];
    for (long i = 0; i < e->n; i++) {
        bench_stop(e->pid[i], 3000);
        ns_name(e, i, ns, sizeof ns);
        bench_fmt(root, sizeof root, "%s/a%ld/state/unf", e->work, i);
        /* Whatever a stopped agent left: its instances, through the runtime, in its netns. */
        setenv("UNF_ROOT", root, 1);
        char out[8192];
        const char *ps[] = {e->unf, "ps", "-a", NULL};
        if (bench_cmd(ps, out, sizeof out, 10000) == 0) {
            char *save = NULL, *line = strtok_r(out, "\n", &save);
            while ((line = strtok_r(NULL, "\n", &save))) {
                char name[64];
                if (sscanf(line, "%63s", name) == 1) {
                    const char *rm[] = {"nsenter", "--net=/run/netns/", e->unf, "rm", "-f", name, NULL};
                    char nsarg[128];
                    bench_fmt(nsarg, sizeof nsarg, "--net=/run/netns/%s", ns);
                    rm[1] = nsarg;
                    bench_cmd(rm, NULL, 0, 15000);
                }
            }
        }
        unsetenv("UNF_ROOT");
        bench_ns_del(ns);
    }
    bench_rm_rf(e->work);
}

static int setup(struct cenv *e, const struct copts *o, char *err, size_t errlen)
{
    char ns[64], sock[PATH_MAX + 64], state[PATH_MAX + 64], mem[16];
    if (bench_root(e->root, sizeof e->root) < 0 || bench_unf_path(e->unf, sizeof e->unf) < 0)
        return bench_fmt(err, errlen, "cannot find the repository"), -1;
    bench_fmt(e->unfd, sizeof e->unfd, "%s/build/bin/unfd", e->root);
    bench_fmt(e->cluster, sizeof e->cluster, "%s/build/bin/unf-cluster", e->root);
    bench_fmt(e->image, sizeof e->image, "%s/build/images/probe.unf", e->root);
    if (!bench_is_exec(e->unfd) || !bench_is_exec(e->cluster) || !bench_is_file(e->image))
        return bench_fmt(err, errlen, "needs build/bin/unfd, build/bin/unf-cluster and probe.unf (make all)"), -1;
    char out[256];
    const char *sum[] = {"sha256sum", e->image, NULL};
    if (bench_cmd(sum, out, sizeof out, 10000) != 0 || sscanf(out, "%64s", e->sha) != 1)
        return bench_fmt(err, errlen, "cannot hash %s", e->image), -1;
    bench_fmt(e->prefix, sizeof e->prefix, "ubc%d", (int)(getpid() % 10000));
    bench_fmt(e->work, sizeof e->work, "/tmp/unf-bench-campaign.%d", (int)getpid());
    if (bench_mkdir_p(e->work, 0700) < 0)
        return bench_fmt(err, errlen, "cannot create %s", e->work), -1;
    bench_fmt(e->db, sizeof e->db, "%s/state.db", e->work);
    for (long i = 0; i < o->agents; i++) {
        ns_name(e, i, ns, sizeof ns);
        if (bench_ns_add(ns, err, errlen) < 0)
            return -1;
        e->n = i + 1;
        bench_fmt(sock, sizeof sock, "%s/a%ld.sock", e->work, i);
        bench_fmt(state, sizeof state, "%s/a%ld/state", e->work, i);
        bench_fmt(mem, sizeof mem, "%d", 512);
        char name[32], log[PATH_MAX + 32];
        bench_fmt(name, sizeof name, "%sn%ld", e->prefix, i);
        bench_fmt(log, sizeof log, "%s/a%ld.log", e->work, i);
        const char *argv[] = {e->unfd, "--name", name, "--socket", sock, "--state", state, "--memory", mem,
                              "--vcpus", "16", NULL};
        e->pid[i] = bench_spawn(argv, ns, log, NULL);
        if (e->pid[i] < 0)
            return bench_fmt(err, errlen, "cannot start unfd"), -1;
        int up = 0;
        for (int t = 0; t < 100 && !up; t++) {
            up = access(sock, F_OK) == 0;
            if (!up)
                bench_sleep_ms(100);
        }
        char url[PATH_MAX + 80];
        bench_fmt(url, sizeof url, "unix:%s", sock);
        const char *add[] = {e->cluster, "--db", e->db, "node", "add", name, url, NULL};
        if (!up || bench_cmd(add, out, sizeof out, 10000) != 0)
            return bench_fmt(err, errlen, "agent %s did not come up (see %s)", name, log), -1;
    }
    return 0;
}

/* A campaign spec: `n` pings of the gateway, on vantage point `vp` (NULL: any node). */
static int write_spec(const struct cenv *e, const char *file, const char *name, long n, const char *vp)
{
    json_t *targets = json_array();
    for (long i = 0; i < n; i++)
        json_array_append_new(targets, json_string("10.90.0.1"));
    json_t *spec = json_pack("{s:s, s:{s:[s], s:s, s:s}, s:s, s:[s,s], s:o, s:i, s:o, s:s, s:i, s:i, s:i}",
                             "name", name, "image", "arch", "amd64", "code", e->image, "code_sha256", e->sha,
                             "command", "ping", "args", "-c", "1", "targets", targets, "batch", 1,
                             "vantage_points", vp ? json_pack("[s]", vp) : json_string("any"),
                             "policy", "wait", "memory", 16, "vcpus", 1, "timeout_ms", 60000);
    int rc = spec && json_dump_file(spec, file, JSON_COMPACT) == 0 ? 0 : -1;
    json_decref(spec);
    return rc;
}

static double wall_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Per-job times of a one-job campaign (ms): the deployment request (POST) to RUNNING, the
 * campaign stored to RUNNING, the CLI started to RUNNING. */
struct lat3 {
    double dep, camp, cli;
};

/* Runs a campaign; fills lat (when given) from its first done job. Returns the number of
 * results "done", or -1. */
static long run_campaign(const struct cenv *e, const char *spec, const char *results, long workers,
                         struct lat3 *lat, double *wall_ms)
{
    char w[16], out[512];
    bench_fmt(w, sizeof w, "%ld", workers);
    unlink(results);
    const char *argv[] = {e->cluster, "--db", e->db, "campaign", "run", spec, "--results", results, "--quiet",
                          "--workers", w, NULL};
    double t0 = bench_now_ms(), t_req = wall_now_ms();
    int rc = bench_cmd(argv, out, sizeof out, 1800000);
    *wall_ms = bench_now_ms() - t0;
    if (rc != 0 && rc != 1) {
        fprintf(stderr, "unf bench campaign: unf-cluster exited %d: %s\n", rc, bench_chomp(out));
        return -1;
    }
    FILE *f = fopen(results, "r");
    if (!f)
        return -1;
    long done = 0;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        const char *st = json_string_value(json_object_get(o, "state"));
        if (st && strcmp(st, "done") == 0) {
            done++;
            double running = (double)json_integer_value(json_object_get(o, "running_ms"));
            if (lat && done == 1) {
                lat->dep = running - (double)json_integer_value(json_object_get(o, "deployed_ms"));
                lat->camp = running - (double)json_integer_value(json_object_get(o, "queued_ms"));
                lat->cli = running - t_req;
            }
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return done;
}

/* `unf run -d` of the same image on node 0, wall time to its return (the guest runs). */
static int direct_boot(const struct cenv *e, long i, double *ms)
{
    char root[PATH_MAX + 32], name[48], nsarg[96], ns[64];
    ns_name(e, 0, ns, sizeof ns);
    bench_fmt(nsarg, sizeof nsarg, "--net=/run/netns/%s", ns);
    bench_fmt(root, sizeof root, "%s/a0/state/unf", e->work);
    bench_fmt(name, sizeof name, "%sd%ld", e->prefix, i);
    const char *run[] = {"nsenter", nsarg, e->unf, "run", "-d", "--name", name, "--platform", "proc", "--mem",
                         "16M", "--cpus", "1", e->image, "--", "ping", "-c", "1", "10.90.0.1", NULL};
    const char *rm[] = {"nsenter", nsarg, e->unf, "rm", "-f", name, NULL};
    setenv("UNF_ROOT", root, 1);
    double t0 = bench_now_ms();
    int rc = bench_cmd(run, NULL, 0, 60000);
    *ms = bench_now_ms() - t0;
    bench_cmd(rm, NULL, 0, 30000);
    unsetenv("UNF_ROOT");
    return rc == 0 ? 0 : -1;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, long n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return n ? (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) : 0;
}

static int measure(struct cenv *e, const struct copts *o, struct bench_run *run)
{
    char spec[PATH_MAX + 32], res[PATH_MAX + 32], vp[32];
    double dep[64], camp[64], cli[64], boot[64], wall;
    long n = o->runs > 64 ? 64 : o->runs, got = 0;
    bench_fmt(vp, sizeof vp, "%sn0", e->prefix);
    bench_fmt(spec, sizeof spec, "%s/one.json", e->work);
    bench_fmt(res, sizeof res, "%s/one.jsonl", e->work);
    if (write_spec(e, spec, "overhead", 1, vp) < 0)
        return -1;
    /* Interleaved, so drift on the shared machine touches both series alike. */
    for (long i = 0; i < n && !bench_interrupted; i++) {
        struct lat3 l;
        if (run_campaign(e, spec, res, 1, &l, &wall) == 1 && direct_boot(e, i, &boot[got]) == 0) {
            dep[got] = l.dep;
            camp[got] = l.camp;
            cli[got++] = l.cli;
        }
    }
    double mc = median(cli, got), mi = median(camp, got), mdep = median(dep, got), mb = median(boot, got);
    char csvp[PATH_MAX];
    FILE *csv = bench_run_open(run, ".csv", csvp, sizeof csvp);
    if (csv) {
        fprintf(csv, "run,cli_to_running_ms,campaign_to_running_ms,deploy_to_running_ms,unf_run_d_ms\n");
        for (long i = 0; i < got; i++)
            fprintf(csv, "%ld,%.1f,%.1f,%.1f,%.1f\n", i, cli[i], camp[i], dep[i], boot[i]);
        bench_run_close(run, csv, csvp);
    }
    double tput_wall = 0;
    long done = -1;
    bench_fmt(spec, sizeof spec, "%s/many.json", e->work);
    bench_fmt(res, sizeof res, "%s/many.jsonl", e->work);
    if (!bench_interrupted && write_spec(e, spec, "throughput", o->deployments, NULL) == 0)
        done = run_campaign(e, spec, res, 64, NULL, &tput_wall);
    char mdp[PATH_MAX];
    FILE *md = bench_run_open(run, ".md", mdp, sizeof mdp);
    FILE *outs[] = {stdout, md};
    for (int k = 0; k < 2; k++) {
        FILE *f = outs[k];
        if (!f)
            continue;
        fprintf(f, "# unf bench campaign (%s)\n\n", run->date);
        bench_machine_md(f, run);
        fprintf(f, "- %ld agents (unfd, proc platform, own netns each), controller build/bin/unf-cluster, "
                   "probe `ping -c 1` of the node's gateway\n\n", o->agents);
        fprintf(f, "| measure | value |\n|---|---|\n");
        fprintf(f, "| deployment request -> RUNNING seen by the controller, idle node (median of %ld) "
                   "| %.1f ms |\n", got, mdep);
        fprintf(f, "| `unf run -d` of the same image on the same node (median of %ld) | %.1f ms |\n", got, mb);
        fprintf(f, "| **overhead per deployment** (controller + agent API, above the boot) | %.1f ms |\n", mdep - mb);
        fprintf(f, "| once per campaign: stored -> first request (node facts refreshed, workers started) "
                   "| %.1f ms |\n", mi - mdep);
        fprintf(f, "| once per campaign: CLI started -> campaign stored (process, state file, plan) | %.1f ms |\n",
                mc - mi);
        fprintf(f, "| whole first deployment: CLI started -> RUNNING, minus the boot | %.1f ms |\n", mc - mb);
        fprintf(f, "| %ld one-shot deployments across %ld agents: done | %ld (lost %ld) |\n", o->deployments,
                o->agents, done, done >= 0 ? o->deployments - done : o->deployments);
        fprintf(f, "| ... wall time, rate | %.1f s, %.1f deployments/s |\n\n", tput_wall / 1000,
                tput_wall > 0 && done > 0 ? done * 1000.0 / tput_wall : 0);
        fprintf(f, "- Target overhead < %.0f ms: %s\n", TARGET_OVERHEAD_MS,
                bench_verdict(got > 0, got > 0 && mdep - mb < TARGET_OVERHEAD_MS, "no run completed"));
        fprintf(f, "- Target %ld deployments, none lost: %s\n", o->deployments,
                bench_verdict(done >= 0, done == o->deployments, "the campaign did not run"));
    }
    if (md)
        bench_run_close(run, md, mdp);
    return got > 0 && done == o->deployments ? 0 : 1;
}

int bench_campaign_main(int argc, char **argv)
{
    static const struct option options[] = {{"agents", required_argument, NULL, 'a'},
                                            {"deployments", required_argument, NULL, 'n'},
                                            {"runs", required_argument, NULL, 'r'},
                                            BENCH_OPTION_QUICK,
                                            BENCH_OPTION_OUT,
                                            {"help", no_argument, NULL, 'h'},
                                            {0, 0, 0, 0}};
    struct copts o = {.agents = 6, .deployments = 0, .runs = 0};
    struct bench_opts co = {.out = BENCH_OUT_DEFAULT, .out_what = "--out wants a directory, not", .bad_usage = bad_usage};
    int c, st;
    while ((c = bench_next_opt(argc, argv, options, &co, &st)) != -1) {
        switch (c) {
        case 'a':
            if (bench_parse_long(optarg, 1, MAX_AGENTS, &o.agents) < 0)
                return bad_usage("--agents wants 1..16, not", optarg);
            break;
        case 'n':
            if (bench_parse_long(optarg, 1, 100000, &o.deployments) < 0)
                return bad_usage("--deployments wants 1..100000, not", optarg);
            break;
        case 'r':
            if (bench_parse_long(optarg, 1, 64, &o.runs) < 0)
                return bad_usage("--runs wants 1..64, not", optarg);
            break;
        case 'h':
            printf("usage: unf bench campaign [--agents N] [--deployments N] [--runs N] [--quick] [--out DIR]\n");
            return 0;
        }
    }
    if (st)
        return st;
    /* what was given wins over --quick, whatever the order */
    if (!o.deployments)
        o.deployments = co.quick ? 120 : 1000;
    if (!o.runs)
        o.runs = co.quick ? 3 : 10;
    o.out = co.out;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench campaign: needs root (namespaces, agents)\n");
        return 1;
    }
    struct bench_run run;
    struct cenv e;
    char err[512];
    memset(&e, 0, sizeof e);
    if (bench_sys_signals() < 0 || bench_run_begin(&run, "campaign", o.out) < 0)
        return 1;
    int rc = 1;
    if (setup(&e, &o, err, sizeof err) < 0)
        fprintf(stderr, "unf bench campaign: %s\n", err);
    else
        rc = measure(&e, &o, &run);
    teardown(&e);
    bench_run_end(&run);
    return rc;
}
