/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench http` (see http.h): options, starting and stopping the three servers, the load
 * points, and the report. Servers are started once and reused for every point; everything the
 * benchmark starts or creates (nginx, the native server, the unikernel, the namespace, a temp
 * directory) is removed at the end, also after an error or ^C.
 */
#include "http.h"

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "http_runc.h"
#include "http_wrk.h"
#include "net.h"
#include "harness.h"
#include "netns.h"
#include "sys.h"

#define MAX_LEVELS 8
#define MAX_REPS 9
/* Targets of issue 10: per core at 32-64 connections at least this many times nginx's, and at
 * 1000 connections at least this share of the unikernel's own best (no collapse). */
#define PER_CORE_TARGET 1.7
#define NO_COLLAPSE_SHARE 0.8
#define NGINX_PORT "8080"
#define NATIVE_PORT "8081"
#define RUNC_PORT "8082"

enum { T_NGINX, T_NATIVE, T_RUNC, T_PROC, T_HVT, T_COUNT };
static const char *const target_names[T_COUNT] = {"nginx", "native", "runc", "unf-proc", "unf-hvt"};

struct target {
    int selected, up;
    pid_t pid;           /* the server process (nginx master, native, proc guest) */
    pid_t group;         /* process group we started and must kill; 0 for the unikernel */
    char url[160];
    char note[200];
    struct bench_wrk runs[MAX_REPS][MAX_LEVELS];
};

/* The medians over the repetitions of one target at one load level. */
struct summary {
    int samples;                /* repetitions in which wrk reported a rate */
    double rps, per_cpu_s;      /* req/s; requests per CPU-second of the server's processes */
    double cpu_us_per_req;      /* the server's CPU microseconds per request */
    double p99_ms;
    long errors, non2xx;        /* summed over the repetitions */
};

struct run {
    int seconds, nlevels, levels[MAX_LEVELS], reps;
    int pin, server_cpu, client_cpu; /* server_cpu/client_cpu -1: not pinned */
    const char *path, *out;
    char root[PATH_MAX], tmp[PATH_MAX], unf[PATH_MAX], inst[T_COUNT][32], container[32], tar[PATH_MAX + 16];
    int ns_up;
    struct target t[T_COUNT];
};

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench http [--duration SECONDS] [--conns N[,N...]] [--repeat N] [--no-pin] [--path /FILE] "
               "[--only nginx,native,runc,proc,hvt] [--out DIR]\n"
               "  defaults: 3 s per point, connections 1,32,64,100,1000, 3 repetitions (medians), path /index.html;\n"
               "  with 2 or more CPUs the servers run on CPU 1 and wrk on CPU 0 unless --no-pin\n");
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench: %s '%s' (try 'unf bench http --help')\n", what, arg ? arg : "");
    return 2;
}

static int parse_levels(const char *list, struct run *r)
{
    char buf[128];
    char *save = NULL;
    if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
        return -1;
    r->nlevels = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        char *end;
        long v = strtol(t, &end, 10);
        if (*end || v < 1 || v > 10000 || r->nlevels == MAX_LEVELS)
            return -1;
        r->levels[r->nlevels++] = (int)v;
    }
    return r->nlevels ? 0 : -1;
}

/* The repository root and the unf CLI next to unf-bench. */
static void find_root(struct run *r)
{
    if (bench_root(r->root, sizeof(r->root)) < 0)
        snprintf(r->root, sizeof(r->root), ".");
    if (bench_unf_path(r->unf, sizeof(r->unf)) < 0)
        bench_fmt(r->unf, sizeof(r->unf), "%s/build/bin/unf", r->root);
}

/* Waits until url answers 200 (curl), up to timeout_ms. */
static int wait_up(const char *url, long timeout_ms)
{
    const char *argv[] = {"curl", "-s", "-o", "/dev/null", "--max-time", "1", "-w", "%{http_code}", url, NULL};
    char out[16];
    double deadline = bench_now_ms() + (double)timeout_ms;
    while (bench_now_ms() < deadline && !bench_interrupted) {
        if (bench_cmd(argv, out, sizeof(out), 3000) == 0 && strcmp(out, "200") == 0)
            return 0;
        bench_sleep_ms(50);
    }
    return -1;
}

static int start_nginx(struct run *r, struct target *t)
{
    char conf[PATH_MAX + 16], log[PATH_MAX + 16], text[4096];
    bench_fmt(conf, sizeof(conf), "%s/nginx.conf", r->tmp);
    bench_fmt(log, sizeof(log), "%s/nginx.log", r->tmp);
    FILE *f = fopen(conf, "w");
    if (!f)
        return -1;
    bench_fmt(text, sizeof(text),
              "worker_processes 1;\ndaemon off;\nuser root;\nworker_rlimit_nofile 65536;\n"
              "pid %s/nginx.pid;\nerror_log %s/nginx-error.log;\n"
              "events { worker_connections 4096; }\n"
              "http {\n include /etc/nginx/mime.types;\n default_type application/octet-stream;\n"
              " access_log off;\n server_tokens off;\n keepalive_requests 1000000;\n"
              " client_body_temp_path %s/body;\n proxy_temp_path %s/proxy;\n fastcgi_temp_path %s/fcgi;\n"
              " uwsgi_temp_path %s/uwsgi;\n scgi_temp_path %s/scgi;\n"
              " server { listen %s:" NGINX_PORT "; root %s/apps/http/files; index index.html; }\n}\n",
              r->tmp, r->tmp, r->tmp, r->tmp, r->tmp, r->tmp, r->tmp, BENCH_NS_IP, r->root);
    int bad = fputs(text, f) < 0;
    if (fclose(f) != 0 || bad)
        return -1;
    const char *argv[] = {"nginx", "-c", conf, "-p", r->tmp, NULL};
    t->pid = t->group = bench_spawn(argv, BENCH_NETNS, log, NULL);
    bench_fmt(t->url, sizeof(t->url), "http://%s:" NGINX_PORT "%s", BENCH_NS_IP, r->path);
    bench_fmt(t->note, sizeof(t->note), "nginx, 1 worker, in a netns behind a veth");
    return t->pid > 0 ? 0 : -1;
}

/* The site as the ustar archive the native build reads through $UNF_FILES. */
static int make_tar(struct run *r)
{
    char files[PATH_MAX + 32];
    if (r->tar[0])
        return 0;
    bench_fmt(r->tar, sizeof(r->tar), "%s/files.tar", r->tmp);
    bench_fmt(files, sizeof(files), "%s/apps/http/files", r->root);
    const char *tar_argv[] = {"tar", "--format=ustar", "-C", files, "-cf", r->tar, ".", NULL};
    return bench_cmd(tar_argv, NULL, 0, 30000) == 0 ? 0 : -1;
}

static int start_native(struct run *r, struct target *t)
{
    char bin[PATH_MAX + 32], log[PATH_MAX + 16];
    bench_fmt(bin, sizeof(bin), "%s/build/native/http", r->root);
    bench_fmt(log, sizeof(log), "%s/native.log", r->tmp);
    if (make_tar(r) < 0)
        return -1;
    const char *argv[] = {bin, "--port", NATIVE_PORT, NULL};
    t->pid = t->group = bench_spawn(argv, BENCH_NETNS, log, r->tar);
    bench_fmt(t->url, sizeof(t->url), "http://%s:" NATIVE_PORT "%s", BENCH_NS_IP, r->path);
    bench_fmt(t->note, sizeof(t->note), "build/native/http (static), in a netns behind a veth");
    return t->pid > 0 ? 0 : -1;
}

static int start_runc(struct run *r, struct target *t)
{
    char bin[PATH_MAX + 32], err[256];
    bench_fmt(bin, sizeof(bin), "%s/build/native/http", r->root);
    bench_fmt(r->container, sizeof(r->container), "unfbhttp%d", (int)getpid());
    bench_fmt(t->url, sizeof(t->url), "http://%s:" RUNC_PORT "%s", BENCH_NS_IP, r->path);
    if (make_tar(r) < 0 || bench_http_runc_start(r->tmp, r->container, bin, r->tar, RUNC_PORT, &t->pid, err, sizeof(err)) < 0) {
        bench_fmt(t->note, sizeof(t->note), "runc failed: %s", err);
        return -1;
    }
    bench_fmt(t->note, sizeof(t->note), "build/native/http in a runc container (runc spec defaults), same netns and veth");
    return 0;
}

/* The value of "key": in unf inspect's JSON, copied into out. */
static int json_field(const char *json, const char *key, char *out, size_t len)
{
    char pat[64];
    bench_fmt(pat, sizeof(pat), "\"%s\": ", key);
    const char *p = strstr(json, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    if (*p == '"')
        p++;
    size_t n = strcspn(p, "\",\n");
    if (n == 0 || n >= len)
        return -1;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* The http image under `unf run -d --platform PLATFORM`, instance unfbh<pid>-<platform>. */
static int start_unf(struct run *r, struct target *t, int which, const char *platform, const char *wiring)
{
    char image[PATH_MAX + 32], json[8192], ip[32], pid[32], accel[16] = "";
    char *inst = r->inst[which];
    bench_fmt(image, sizeof(image), "%s/build/images/http.unf", r->root);
    bench_fmt(inst, sizeof(r->inst[which]), "unfbh%d-%s", (int)getpid(), platform);
    const char *run[] = {r->unf, "run", "-d", "--name", inst, "--platform", platform, image, NULL};
    const char *inspect[] = {r->unf, "inspect", inst, NULL};
    if (bench_cmd(run, json, sizeof(json), 30000) != 0) {
        bench_fmt(t->note, sizeof(t->note), "unf run failed: %s", bench_chomp(json));
        inst[0] = '\0';
        return -1;
    }
    if (bench_cmd(inspect, json, sizeof(json), 10000) != 0 || json_field(json, "ip", ip, sizeof(ip)) < 0 ||
        json_field(json, "guest_pid", pid, sizeof(pid)) < 0)
        return -1;
    json_field(json, "accel", accel, sizeof(accel));
    t->pid = (pid_t)atoi(pid);
    bench_fmt(t->url, sizeof(t->url), "http://%s%s", ip, r->path);
    bench_fmt(t->note, sizeof(t->note), "build/images/http.unf under unf run --platform %s (%s%s%s)", platform,
              wiring, accel[0] ? ", accel " : "", accel);
    return 0;
}

static int start_proc(struct run *r, struct target *t)
{
    return start_unf(r, t, T_PROC, "proc", "eth0 through a packet socket with a mapped ring");
}

/* hvt needs /dev/kvm; on a software hypervisor (no vmx/svm) every exit is emulated, so its
 * figures say little about a production host: the note says which one ran. */
static int start_hvt(struct run *r, struct target *t)
{
    char cpuinfo[1 << 16] = "";
    bench_read_file("/proc/cpuinfo", cpuinfo, sizeof(cpuinfo));
    int hw = strstr(cpuinfo, " vmx") || strstr(cpuinfo, " svm");
    return start_unf(r, t, T_HVT, "hvt", hw ? "hardware KVM, eth0 through a packet socket"
                                            : "SOFTWARE KVM (no vmx/svm here), eth0 through a packet socket");
}

static void stop_all(struct run *r)
{
    for (int i = 0; i < T_COUNT; i++) {
        struct target *t = &r->t[i];
        bench_stop(t->group, 5000);
        t->group = 0;
    }
    if (r->container[0]) {
        bench_http_runc_stop(r->tmp, r->container);
        r->container[0] = '\0';
    }
    for (int i = 0; i < T_COUNT; i++) {
        if (!r->inst[i][0])
            continue;
        const char *rm[] = {r->unf, "rm", "-f", r->inst[i], NULL};
        bench_cmd(rm, NULL, 0, 30000);
        r->inst[i][0] = '\0';
    }
    if (r->ns_up)
        bench_net_down();
    r->ns_up = 0;
    if (r->tmp[0])
        bench_rm_rf(r->tmp);
}

static void start_all(struct run *r)
{
    char err[256];
    int (*start[T_COUNT])(struct run *, struct target *) = {start_nginx, start_native, start_runc, start_proc,
                                                           start_hvt};
    if (r->t[T_NGINX].selected || r->t[T_NATIVE].selected || r->t[T_RUNC].selected) {
        if (bench_net_ns_up(err, sizeof(err)) == 0) {
            r->ns_up = 1;
        } else {
            for (int i = T_NGINX; i <= T_RUNC; i++)
                bench_fmt(r->t[i].note, sizeof(r->t[i].note), "no namespace: %s", err);
        }
    }
    for (int i = 0; i < T_COUNT; i++) {
        struct target *t = &r->t[i];
        if (!t->selected || (i < T_PROC && !r->ns_up))
            continue;
        if (start[i](r, t) < 0 || wait_up(t->url, 15000) < 0) {
            if (!strstr(t->note, "failed") && !strstr(t->note, "namespace"))
                bench_fmt(t->note, sizeof(t->note), "did not come up (%s)", t->url);
            fprintf(stderr, "bench: %s: %s\n", target_names[i], t->note);
            continue;
        }
        t->up = 1;
    }
}

static void cell(FILE *f, double v, const char *fmt)
{
    if (v >= 0)
        fprintf(f, fmt, v);
    else
        fprintf(f, " - |");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the n values in v (sorted in place); -1 when n is 0. */
static double median(double *v, int n)
{
    if (n == 0)
        return -1;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static struct summary summarize(const struct run *r, const struct target *t, int level)
{
    double rps[MAX_REPS], per[MAX_REPS], us[MAX_REPS], p99[MAX_REPS];
    int n = 0, nc = 0;
    struct summary s = {0, -1, -1, -1, -1, 0, 0};
    for (int k = 0; k < r->reps; k++) {
        const struct bench_wrk *w = &t->runs[k][level];
        if (!w->ok)
            continue;
        s.errors += w->errors;
        s.non2xx += w->non2xx;
        rps[n] = w->rps;
        p99[n++] = w->lat_p99_ms;
        if (w->cpu_s > 0.01 && w->requests > 0) {
            per[nc] = (double)w->requests / w->cpu_s;
            us[nc++] = w->cpu_s * 1e6 / (double)w->requests;
        }
    }
    s.samples = n;
    s.rps = median(rps, n);
    s.p99_ms = median(p99, n);
    s.per_cpu_s = median(per, nc);
    s.cpu_us_per_req = median(us, nc);
    return s;
}

static double ratio(double a, double b)
{
    return a > 0 && b > 0 ? a / b : -1;
}

/* The verdict lines on issue 10's HTTP targets, judged on the medians. */
static void print_verdicts(FILE *f, const struct run *r)
{
    const struct target *proc = &r->t[T_PROC], *ngx = &r->t[T_NGINX];
    double best_per = -1, best_rps = -1;
    int top = -1;
    fprintf(f, "\n| target | measured | verdict |\n|---|---|---|\n");
    for (int l = 0; l < r->nlevels; l++) {
        struct summary p = summarize(r, proc, l), x = summarize(r, ngx, l);
        if (r->levels[l] >= 32 && r->levels[l] <= 64) {
            double q = ratio(p.per_cpu_s, x.per_cpu_s);
            fprintf(f, "| %d conns: unf proc per core >= %.1fx nginx (1 worker) | %.0f vs %.0f req per CPU-s = %.2fx | %s |\n",
                    r->levels[l], PER_CORE_TARGET, p.per_cpu_s, x.per_cpu_s, q,
                    bench_verdict(q > 0, q >= PER_CORE_TARGET, "unf proc or nginx not measured"));
        }
        if (r->levels[l] < 1000 && p.per_cpu_s > best_per)
            best_per = p.per_cpu_s;
        if (r->levels[l] < 1000 && p.rps > best_rps)
            best_rps = p.rps;
        if (r->levels[l] >= 1000)
            top = l;
    }
    if (top >= 0) {
        struct summary p = summarize(r, proc, top);
        double q = ratio(p.per_cpu_s, best_per), qr = ratio(p.rps, best_rps);
        fprintf(f, "| %d conns: no collapse, unf proc per core >= %.0f%% of its best at fewer connections | %.0f vs %.0f req per CPU-s = %.2f | %s |\n",
                r->levels[top], NO_COLLAPSE_SHARE * 100, p.per_cpu_s, best_per, q,
                bench_verdict(q > 0, q >= NO_COLLAPSE_SHARE, "fewer connections not measured"));
        fprintf(f, "| %d conns: no collapse, unf proc req/s >= %.0f%% of its best at fewer connections | %.0f vs %.0f req/s = %.2f | %s |\n",
                r->levels[top], NO_COLLAPSE_SHARE * 100, p.rps, best_rps, qr,
                bench_verdict(qr > 0, qr >= NO_COLLAPSE_SHARE, "fewer connections not measured"));
    }
    const char *const kernels[] = {"x86_64-proc", "x86_64-virtio"};
    for (int k = 0; k < 2; k++) {
        char path[PATH_MAX + 64];
        struct stat st;
        bench_fmt(path, sizeof(path), "%s/build/kernels/http/%s", r->root, kernels[k]);
        if (stat(path, &st) == 0)
            fprintf(f, "| http kernel %s < 512 KiB | %.1f KiB | %s |\n", kernels[k], (double)st.st_size / 1024.0,
                    bench_verdict(1, st.st_size < 512 * 1024, NULL));
    }
}

static void print_report(FILE *f, const struct run *r, const struct bench_run *run)
{
    fprintf(f, "# unf bench http: wrk against nginx, the native build (bare and in runc) and the proc unikernel\n\n");
    fprintf(f, "- Date: %s; %d s per point, %d repetitions interleaved (every server at every load in turn, then "
               "again), medians shown; GET %s; wrk threads = min(connections, 2), --timeout 2s.\n",
            run->date, r->seconds, r->reps, r->path);
    if (r->server_cpu >= 0)
        fprintf(f, "- Pinning: every server's threads on CPU %d, wrk on CPU %d (taskset); the kernel's network "
                   "work runs wherever its softirqs land.\n", r->server_cpu, r->client_cpu);
    else
        fprintf(f, "- Pinning: none (fewer than 2 CPUs, or --no-pin): wrk and the server share the cores.\n");
    bench_machine_md(f, run);
    fprintf(f, "- CPU: 'CPU us/req' and 'req per CPU-s' use the utime+stime of the server's processes over the "
               "run (/proc/PID/stat; for the proc platform the tender, which runs the guest and its TCP/IP stack). "
               "The kernel's TCP work for a Linux server (nginx, native) partly runs in softirq context charged to "
               "whichever process is on the CPU, often wrk; the unikernel's tap writes carry the bridge and veth "
               "path and the client's receive side in its own system time. 'x nginx' divides by nginx at the same "
               "load in the same run.\n");
    for (int i = 0; i < T_COUNT; i++) {
        if (r->t[i].selected)
            fprintf(f, "- %s: %s.\n", target_names[i], r->t[i].note);
    }
    fprintf(f, "\n| conns | server | req/s | x nginx | CPU us/req | req per CPU-s | per core x nginx | p99 ms "
               "| socket errors | non-2xx | samples |\n");
    fprintf(f, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int l = 0; l < r->nlevels; l++) {
        struct summary x = summarize(r, &r->t[T_NGINX], l);
        for (int i = 0; i < T_COUNT; i++) {
            const struct target *t = &r->t[i];
            if (!t->selected)
                continue;
            struct summary s = summarize(r, t, l);
            fprintf(f, "| %d | %s |", r->levels[l], target_names[i]);
            if (!s.samples) {
                fprintf(f, " - | - | - | - | - | - | - | - | %s |\n", t->up ? t->runs[0][l].err : "not running");
                continue;
            }
            cell(f, s.rps, " %.0f |");
            cell(f, ratio(s.rps, x.rps), " %.2f |");
            cell(f, s.cpu_us_per_req, " %.1f |");
            cell(f, s.per_cpu_s, " %.0f |");
            cell(f, ratio(s.per_cpu_s, x.per_cpu_s), " %.2f |");
            cell(f, s.p99_ms, " %.2f |");
            fprintf(f, " %ld | %ld | %d |\n", s.errors, s.non2xx, s.samples);
        }
    }
    print_verdicts(f, r);
}

/* With two CPUs or more: every server on CPU 1, wrk on CPU 0, so that client and server do not
 * take turns on one core and the server's CPU time is its own work. Best effort: a server that
 * cannot be pinned is noted and measured anyway. */
static void pin_servers(struct run *r)
{
    const char *taskset[] = {"taskset", "-V", NULL};
    if (!r->pin || sysconf(_SC_NPROCESSORS_ONLN) < 2 || bench_cmd(taskset, NULL, 0, 5000) != 0)
        return;
    r->server_cpu = 1;
    r->client_cpu = 0;
    for (int i = 0; i < T_COUNT; i++) {
        struct target *t = &r->t[i];
        if (t->up && t->pid > 0 && bench_pin_tree(t->pid, r->server_cpu) < 0)
            fprintf(stderr, "bench: %s: could not pin every thread to CPU %d\n", target_names[i], r->server_cpu);
    }
}

static int write_files(const struct run *r, struct bench_run *run)
{
    char path[PATH_MAX], csv[PATH_MAX];
    FILE *f = bench_run_open(run, ".md", path, sizeof(path));
    if (!f)
        return -1;
    print_report(f, r, run);
    if (bench_run_close(run, f, path) < 0)
        return -1;
    f = bench_run_open(run, ".csv", csv, sizeof(csv));
    if (!f)
        return -1;
    /* Medians, grouped by server, so that gnuplot draws each one as a connected line. */
    fprintf(f, "conns,server,ok,rps,cpu_us_per_req,req_per_cpu_s,p99_ms,socket_errors,non2xx,samples\n");
    for (int i = 0; i < T_COUNT; i++) {
        for (int l = 0; l < r->nlevels && r->t[i].selected; l++) {
            struct summary m = summarize(r, &r->t[i], l);
            fprintf(f, "%d,%s,%d,%.1f,%.2f,%.0f,%.3f,%ld,%ld,%d\n", r->levels[l], target_names[i], m.samples > 0,
                    m.rps, m.cpu_us_per_req, m.per_cpu_s, m.p99_ms, m.errors, m.non2xx, m.samples);
        }
    }
    if (bench_run_close(run, f, csv) < 0)
        return -1;
    char samples[PATH_MAX];
    FILE *sf = bench_run_open(run, "-samples.csv", samples, sizeof(samples));
    if (!sf)
        return -1;
    fprintf(sf, "rep,conns,server,ok,rps,lat_avg_ms,lat_p50_ms,lat_p99_ms,requests,socket_errors,non2xx,server_cpu_s,host_cpu_s_less_wrk\n");
    for (int k = 0; k < r->reps; k++) {
        for (int l = 0; l < r->nlevels; l++) {
            for (int i = 0; i < T_COUNT; i++) {
                const struct bench_wrk *w = &r->t[i].runs[k][l];
                if (r->t[i].selected)
                    fprintf(sf, "%d,%d,%s,%d,%.1f,%.4f,%.4f,%.4f,%ld,%ld,%ld,%.3f,%.3f\n", k + 1, r->levels[l],
                            target_names[i], w->ok, w->rps, w->lat_avg_ms, w->lat_p50_ms, w->lat_p99_ms, w->requests,
                            w->errors, w->non2xx, w->cpu_s, w->host_cpu_s);
            }
        }
    }
    if (bench_run_close(run, sf, samples) < 0)
        return -1;
    bench_plot(run, "rps", csv, "unf bench http: req/s vs connections (wrk)",
               "set logscale x\nset xlabel 'connections (log scale)'\nset ylabel 'requests/s'\nset yrange [0:*]\n"
               "set key bottom right\nnames = 'nginx native runc unf-proc unf-hvt'\n"
               "plot for [i=1:words(names)] csv using (strcol(2) eq word(names, i) && $3 == 1 ? $1 : NaN):4 "
               "title word(names, i) with linespoints lw 2 pt 7\n",
               NULL, 0);
    bench_plot(run, "per-core", csv, "unf bench http: requests per CPU-second of the server vs connections",
               "set logscale x\nset xlabel 'connections (log scale)'\nset ylabel 'requests per server CPU-second'\n"
               "set yrange [0:*]\nset key bottom right\nnames = 'nginx native runc unf-proc unf-hvt'\n"
               "plot for [i=1:words(names)] csv using (strcol(2) eq word(names, i) && $3 == 1 ? $1 : NaN):6 "
               "title word(names, i) with linespoints lw 2 pt 7\n",
               NULL, 0);
    bench_run_end(run);
    return 0;
}

static int parse_args(int argc, char **argv, struct run *r)
{
    static const char *const only_names[T_COUNT] = {"nginx", "native", "runc", "proc", "hvt"};
    struct bench_opts co = {.out = BENCH_OUT_DEFAULT, .names = only_names, .nnames = T_COUNT,
                            .only_what = "--only wants servers from nginx, native, runc, proc, hvt; got",
                            .out_what = "--out wants a directory, got", .bad_usage = bad_usage};
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},           {"duration", required_argument, NULL, 't'},
        {"conns", required_argument, NULL, 'c'},    {"path", required_argument, NULL, 'p'},
        BENCH_OPTION_ONLY,                          BENCH_OPTION_OUT,
        {"repeat", required_argument, NULL, 'r'},   {"no-pin", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    long s;
    int c, st;
    while ((c = bench_next_opt(argc, argv, options, &co, &st)) != -1) {
        const char *v = optarg;
        switch (c) {
        case 'h': usage(stdout); return 1;
        case 't':
            if (bench_parse_long(v, 1, 60, &s) < 0)
                return bad_usage("--duration wants seconds from 1 to 60, got", v);
            r->seconds = (int)s;
            break;
        case 'c':
            if (parse_levels(v, r) < 0)
                return bad_usage("--conns wants up to 8 counts from 1 to 10000, got", v);
            break;
        case 'p':
            if (v[0] != '/' || strlen(v) > 100)
                return bad_usage("--path wants an absolute URL path, got", v);
            r->path = v;
            break;
        case 'r':
            if (bench_parse_long(v, 1, MAX_REPS, &s) < 0)
                return bad_usage("--repeat wants a count from 1 to 9, got", v);
            r->reps = (int)s;
            break;
        case 'n': r->pin = 0; break;
        }
    }
    if (st)
        return st;
    for (int i = 0; i < T_COUNT; i++)
        r->t[i].selected = !co.only || ((co.only >> i) & 1);
    r->out = co.out;
    return 0;
}

int bench_http_main(int argc, char **argv)
{
    static struct run r;
    memset(&r, 0, sizeof(r));
    r.seconds = 3;
    r.path = "/index.html";
    int defaults[] = {1, 32, 64, 100, 1000};
    r.nlevels = 5;
    r.reps = 3;
    r.pin = 1;
    r.server_cpu = r.client_cpu = -1;
    memcpy(r.levels, defaults, sizeof(defaults));
    int rc = parse_args(argc, argv, &r);
    if (rc)
        return rc == 1 ? 0 : rc;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench: http needs root (it creates a network namespace and runs a unikernel)\n");
        return 1;
    }
    const char *wrk[] = {"wrk", "--version", NULL};
    char ver[256];
    if (bench_cmd(wrk, ver, sizeof(ver), 5000) < 0 || !strstr(ver, "wrk")) {
        fprintf(stderr, "unf bench: wrk is not installed (scripts/setup installs it)\n");
        return 1;
    }
    if (bench_sys_signals() < 0) {
        fprintf(stderr, "unf bench: sigaction: %s\n", strerror(errno));
        return 1;
    }
    struct rlimit nofile;
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) { /* wrk and the servers inherit it; best effort */
        nofile.rlim_cur = nofile.rlim_max > 65536 ? 65536 : nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }
    find_root(&r);
    snprintf(r.tmp, sizeof(r.tmp), "/tmp/unf-bench-http.XXXXXX");
    if (!mkdtemp(r.tmp)) {
        fprintf(stderr, "unf bench: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    static struct bench_run run;
    if (bench_run_begin(&run, "http", r.out) < 0) {
        bench_rm_rf(r.tmp);
        return 1;
    }
    start_all(&r);
    pin_servers(&r);
    for (int k = 0; k < r.reps && !bench_interrupted; k++) {
        for (int l = 0; l < r.nlevels && !bench_interrupted; l++) {
            for (int i = 0; i < T_COUNT && !bench_interrupted; i++) {
                struct target *t = &r.t[i];
                if (!t->up)
                    continue;
                fprintf(stderr, "bench: %d/%d %s, %d connections, %d s\n", k + 1, r.reps, target_names[i],
                        r.levels[l], r.seconds);
                bench_wrk_run(t->url, r.levels[l], r.seconds, t->pid, r.client_cpu, &t->runs[k][l]);
            }
        }
    }
    stop_all(&r);
    print_report(stdout, &r, &run);
    fflush(stdout);
    rc = write_files(&r, &run) < 0 ? 1 : 0;
    if (bench_interrupted) {
        fprintf(stderr, "unf bench: interrupted; everything the benchmark started was removed\n");
        rc = 1;
    }
    for (int i = 0; i < T_COUNT; i++) {
        if (r.t[i].selected && !r.t[i].up)
            rc = 1;
    }
    return rc;
}
