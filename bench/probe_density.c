/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The density experiment (see probe_density.h). One shared cgroup holds every process an
 * instance is made of: the child joins it between fork and exec, so the tender, QEMU, the native
 * process and `runc run -d` with its container (in child cgroups runc creates under ours) are all
 * charged to the budget. A poll loop launches on schedule and watches each instance's exit
 * status, its log (the trace's JSON line marks it done), the cgroup's OOM-kill counter and, for
 * containers (not our children), whether their cgroup still holds processes.
 */
#include "probe_density.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runtime/cgroup.h"
#include "sys.h"

#define POLL_MS 20
#define SLOW_MIN_MS 2000.0
#define SLOW_FACTOR 5.0
#define FIRST_BOUND_MS 30000.0
#define MEM_BUDGET (1ull << 30)
#define NO_MEM_BUDGET (64ull << 30)

struct dinst {
    pid_t pid;
    int reaped, ended;
    double t0, t_trace;
    char id[24];
    char log[PATH_MAX + 48];
};

struct drun {
    struct penv *e;
    const struct pdens_cfg *cfg;
    int v, b;
    struct dinst *in;
    int launched;
    char silent_wait[8];
    double slow_ms;          /* threshold once the first instance traced */
    long oom_base;
    double fail_at;          /* when the failing instance should have been fine */
    double *hist_t;          /* (time, instances alive) at every poll */
    int *hist_n, nhist, caphist;
    struct pdens_cell *cell;
};

const char *pdens_budget_name(int b)
{
    static char cpu[48];
    if (b == PD_MEM)
        return "1 GiB memory";
    snprintf(cpu, sizeof(cpu), "CPU quota %.2f cores", 0.25 * (double)sysconf(_SC_NPROCESSORS_ONLN));
    return cpu;
}

/* ---- cgroup files ------------------------------------------------------------------------ */

static void cg_path(char *out, size_t len, const char *sub, const char *file)
{
    int v2 = cgroup_mode() && strcmp(cgroup_mode(), "v2") == 0;
    bench_fmt(out, len, "/sys/fs/cgroup/%sunf-%s%s%s/%s", v2 ? "" : "memory/", PENV_CGROUP, sub ? "/" : "",
              sub ? sub : "", file);
}

/* The value after "key " in a cgroup file of "key value" lines; -1 when absent. */
static long cg_key(const char *file, const char *key)
{
    char path[256], buf[2048];
    cg_path(path, sizeof(path), NULL, file);
    if (bench_read_file(path, buf, sizeof(buf)) <= 0)
        return -1;
    size_t klen = strlen(key);
    for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, key, klen) == 0 && line[klen] == ' ')
            return strtol(line + klen + 1, NULL, 10);
    }
    return -1;
}

static long oom_kills(void)
{
    long n = cg_key("memory.oom_control", "oom_kill");
    return n >= 0 ? n : cg_key("memory.events", "oom_kill");
}

static long mem_peak_kib(void)
{
    char path[256], buf[64];
    cg_path(path, sizeof(path), NULL, "memory.max_usage_in_bytes");
    if (bench_read_file(path, buf, sizeof(buf)) <= 0) {
        cg_path(path, sizeof(path), NULL, "memory.peak");
        if (bench_read_file(path, buf, sizeof(buf)) <= 0)
            return -1;
    }
    return (long)(strtoll(buf, NULL, 10) / 1024);
}

/* A container whose cgroup has no process left has ended. */
static int container_ended(const char *id)
{
    char path[256], buf[64];
    cg_path(path, sizeof(path), id, "cgroup.procs");
    long n = bench_read_file(path, buf, sizeof(buf));
    return n <= 0 || buf[0] == '\0';
}

/* ---- one instance ------------------------------------------------------------------------ */

static pid_t launch(struct drun *d, int i)
{
    struct penv *e = d->e;
    struct dinst *in = &d->in[i];
    const char *args[] = {"-C", "1", "trace", "-m", "1", "-q", "1", "-w", d->silent_wait, PENV_GW, PENV_SILENT, NULL};
    const char *argv[64];
    char buf[2048], dir[PATH_MAX + 32], rootfs[PATH_MAX + 16];
    int n = 0;

    bench_fmt(in->log, sizeof(in->log), "%s/dens-%d-%d-%d.log", e->logs, d->b, d->v, i);
    unlink(in->log); /* the child truncates it, but only after we may have looked */
    switch (d->v) {
    case PV_NATIVE:
        argv[n++] = e->native;
        for (int k = 0; args[k]; k++)
            argv[n++] = args[k];
        argv[n] = NULL;
        return penv_spawn(argv, PENV_NS_CT, 1, in->log);
    case PV_RUNC: {
        const char *cargs[16];
        cargs[n++] = "/probe";
        for (int k = 0; args[k]; k++)
            cargs[n++] = args[k];
        cargs[n] = NULL;
        bench_fmt(in->id, sizeof(in->id), "unfbp-%d-%u", (int)getpid(), e->seq++); /* unique per run */
        bench_fmt(dir, sizeof(dir), "%s/dens/%s", PENV_WORK, in->id);
        bench_fmt(rootfs, sizeof(rootfs), "%s/rootfs", e->bundle);
        char cgpath[64];
        bench_fmt(cgpath, sizeof(cgpath), "/unf-%s/%s", PENV_CGROUP, in->id);
        if (penv_runc_config(e, dir, rootfs, cargs, cgpath) < 0)
            return -1;
        const char *run[] = {e->runc, "--root", e->runc_root, "run", "-d", "--bundle", dir, in->id, NULL};
        return penv_spawn(run, NULL, 1, in->log);
    }
    default:
        if (penv_uk_argv(e, d->v, i, NULL, NULL, args, argv, 64, buf, sizeof(buf)) < 0)
            return -1;
        return penv_spawn(argv, PENV_NS_SRC, 1, in->log);
    }
}

static void fail(struct drun *d, double at, const char *fmt, int i, const char *what)
{
    if (d->cell->failed)
        return;
    d->cell->failed = 1;
    d->fail_at = at;
    char msg[160];
    bench_fmt(msg, sizeof(msg), fmt, what);
    bench_fmt(d->cell->why, sizeof(d->cell->why), "instance %d: %s", i + 1, msg);
}

static void status_text(int v, int status, char *out, size_t len)
{
    if (WIFSIGNALED(status))
        bench_fmt(out, len, "killed by signal %d", WTERMSIG(status));
    else if (v == PV_QEMU && WIFEXITED(status) && (WEXITSTATUS(status) & 1))
        bench_fmt(out, len, "guest exit status %d", WEXITSTATUS(status) >> 1);
    else
        bench_fmt(out, len, "exit status %d", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* The first line of an instance's output, made safe for a table cell. */
static void log_head(const char *log, char *out, size_t len)
{
    char buf[256];
    out[0] = '\0';
    if (bench_read_file(log, buf, sizeof(buf)) <= 0)
        return;
    buf[strcspn(buf, "\r\n")] = '\0';
    bench_fmt(out, len, "%s", buf[0] ? buf : "(none)");
    for (char *p = out; *p; p++) {
        if (*p == '|' || *p == ',')
            *p = ' ';
    }
}

static void record(struct drun *d, double t, int alive)
{
    if (d->nhist == d->caphist) {
        int cap = d->caphist ? d->caphist * 2 : 1024;
        double *ts = realloc(d->hist_t, (size_t)cap * sizeof(*ts));
        if (ts)
            d->hist_t = ts;
        int *ns = ts ? realloc(d->hist_n, (size_t)cap * sizeof(*ns)) : NULL;
        if (!ns)
            return; /* the history only refines the peak; a poll not recorded is harmless */
        d->hist_n = ns;
        d->caphist = cap;
    }
    d->hist_t[d->nhist] = t;
    d->hist_n[d->nhist++] = alive;
}

/* Most instances alive at once up to time t (the failing instance was still fine then). */
static int peak_before(const struct drun *d, double t)
{
    int peak = 0;
    for (int i = 0; i < d->nhist && d->hist_t[i] <= t; i++) {
        if (d->hist_n[i] > peak)
            peak = d->hist_n[i];
    }
    return peak;
}

/* Looks at instance i once: exit, trace done, slowness. */
static void watch(struct drun *d, int i, double now)
{
    struct dinst *in = &d->in[i];
    char text[100];
    int status;

    if (!in->reaped && in->pid > 0 && waitpid(in->pid, &status, WNOHANG) == in->pid) {
        in->reaped = 1;
        if (d->v == PV_RUNC) {
            if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
                status_text(d->v, status, text, sizeof(text));
                fail(d, now, "runc run -d failed (%s)", i, text);
                in->ended = 1;
            }
        } else {
            in->ended = 1;
            if (!penv_ok_status(d->v, status)) {
                status_text(d->v, status, text, sizeof(text));
                fail(d, now, "%s", i, text);
            }
        }
    }
    if (in->t_trace == 0) {
        if (penv_log_has(in->log, "\"stop_reason\":\"COMPLETED\"")) {
            /* Not `now`: on a busy machine an instance can finish within the poll it started in. */
            in->t_trace = bench_now_ms();
            double ms = in->t_trace - in->t0;
            if (i == 0) {
                d->cell->first_ms = ms;
                d->slow_ms = SLOW_FACTOR * ms > SLOW_MIN_MS ? SLOW_FACTOR * ms : SLOW_MIN_MS;
            }
            if (!d->cell->failed && ms > d->cell->worst_ms)
                d->cell->worst_ms = ms;
        } else if (in->ended) {
            log_head(in->log, text, sizeof(text));
            fail(d, now, "ended without a trace; output: %s", i, text);
        }
        double bound = d->slow_ms > 0 ? d->slow_ms : FIRST_BOUND_MS;
        if (in->t_trace == 0 && now - in->t0 > bound) {
            bench_fmt(text, sizeof(text), "%.0f", bound);
            fail(d, in->t0 + bound, "slowdown: trace not done within %s ms", i, text);
        } else if (in->t_trace > 0 && in->t_trace - in->t0 > bound) {
            bench_fmt(text, sizeof(text), "%.0f", in->t_trace - in->t0);
            fail(d, in->t0 + bound, "slowdown: trace took %s ms", i, text);
        }
    }
    /* A container ends when its cgroup empties, about idle_s after its trace. */
    if (d->v == PV_RUNC && in->reaped && !in->ended && in->t_trace > 0 &&
        now - in->t_trace > d->cfg->idle_s * 1000.0 - 500.0 && container_ended(in->id))
        in->ended = 1;
}

/* ---- one variant under one budget -------------------------------------------------------- */

static void stop_all(struct drun *d)
{
    for (int i = 0; i < d->launched; i++) {
        struct dinst *in = &d->in[i];
        /* A `runc run -d` killed half way leaves a container runc can no longer load: let the
         * launchers finish (bounded), then remove the containers properly. */
        if (d->v == PV_RUNC && in->pid > 0 && !in->reaped && penv_wait(in->pid, 5000, &(int){0}) == 0)
            in->reaped = 1;
        if (in->pid > 0 && !in->reaped) {
            kill(-in->pid, SIGKILL);
            while (waitpid(in->pid, NULL, 0) < 0 && errno == EINTR)
                ;
            in->reaped = 1;
        }
    }
}

static void run_variant(struct penv *e, const struct pdens_cfg *cfg, int v, int b, struct pdens_cell *cell)
{
    struct drun d = {.e = e, .cfg = cfg, .v = v, .b = b, .cell = cell};
    char err[256];
    double cpus = b == PD_CPU ? 0.25 * (double)sysconf(_SC_NPROCESSORS_ONLN) : 0;

    memset(cell, 0, sizeof(*cell));
    cell->mem_peak_kib = -1;
    snprintf(d.silent_wait, sizeof(d.silent_wait), "%d", cfg->idle_s);
    d.in = calloc((size_t)cfg->max_instances, sizeof(*d.in));
    if (!d.in) {
        bench_fmt(cell->why, sizeof(cell->why), "out of memory");
        return;
    }
    if (cgroup_create(PENV_CGROUP, b == PD_MEM ? MEM_BUDGET : NO_MEM_BUDGET, cpus, err, sizeof(err)) < 0) {
        bench_fmt(cell->why, sizeof(cell->why), "cgroup: %s", err);
        free(d.in);
        return;
    }
    cell->run = 1;
    d.oom_base = oom_kills();
    fprintf(stderr, "bench: density %s, %s\n", pdens_budget_name(b), penv_name(e, v));
    double start = bench_now_ms(), next = start;
    double hard_end = start + (double)cfg->max_ms + cfg->idle_s * 1000.0 + FIRST_BOUND_MS;
    for (;;) {
        double now = bench_now_ms();
        if (bench_interrupted || now > hard_end) {
            if (!cell->failed)
                bench_fmt(cell->why, sizeof(cell->why), bench_interrupted ? "interrupted" : "hard time bound");
            break;
        }
        int launching = d.launched < cfg->max_instances && now - start < (double)cfg->max_ms && !cell->failed;
        if (launching && now >= next) {
            struct dinst *in = &d.in[d.launched];
            in->t0 = bench_now_ms();
            in->pid = launch(&d, d.launched);
            d.launched++;
            next += (double)cfg->spacing_ms;
            if (in->pid < 0) {
                in->reaped = in->ended = 1;
                fail(&d, bench_now_ms(), "could not be started%s", d.launched - 1, "");
            }
        }
        int alive = 0, traced = 0;
        for (int i = 0; i < d.launched; i++) {
            watch(&d, i, now);
            alive += !d.in[i].ended;
            traced += d.in[i].t_trace > 0;
        }
        long ooms = oom_kills();
        if (ooms > d.oom_base && !cell->failed) {
            cell->failed = 1;
            d.fail_at = now;
            bench_fmt(cell->why, sizeof(cell->why), "OOM kill in the cgroup with %d alive", alive);
        }
        record(&d, now, alive);
        if (cell->failed) {
            cell->peak = peak_before(&d, d.fail_at);
            break;
        }
        if (alive > cell->peak)
            cell->peak = alive;
        if (!launching && traced == d.launched) {
            bench_fmt(cell->why, sizeof(cell->why), "no failure: bound of %d instances / %.0f s reached",
                      cfg->max_instances, (double)cfg->max_ms / 1000.0);
            break;
        }
        bench_sleep_ms(POLL_MS);
    }
    cell->launched = d.launched;
    cell->mem_peak_kib = mem_peak_kib();
    fprintf(stderr, "bench: density %s, %s: peak %d at once (%s)\n", pdens_budget_name(b), penv_name(e, v),
            cell->peak, cell->why);
    stop_all(&d);
    penv_cgroup_down(e);
    free(d.in);
    free(d.hist_t);
    free(d.hist_n);
}

int pdens_run(struct penv *e, const struct pdens_cfg *cfg, const int active[PV_COUNT],
              struct pdens_cell cells[PD_BUDGETS][PV_COUNT], char *err, size_t errlen)
{
    if (!cgroup_mode()) {
        bench_fmt(err, errlen, "no usable memory cgroup controller");
        return -1;
    }
    if ((active[PV_PROC] || active[PV_QEMU]) && penv_taps(e, cfg->max_instances) < cfg->max_instances) {
        bench_fmt(err, errlen, "could not create %d taps", cfg->max_instances);
        return -1;
    }
    for (int b = 0; b < PD_BUDGETS && !bench_interrupted; b++) {
        for (int v = 0; v < PV_COUNT && !bench_interrupted; v++) {
            if (active[v])
                run_variant(e, cfg, v, b, &cells[b][v]);
        }
    }
    return 0;
}
