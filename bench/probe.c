/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench probe`: the vTNT experiments for the probe app, each variant side by side in one
 * run (native process, runc container, proc unikernel, QEMU microvm): image sizes, deploy +
 * execute time, density under a memory and a CPU budget, and the probing rate against scamper.
 * This file parses the options, drives the experiments (bench/probe_*.c) and writes the Markdown
 * report to stdout and, with CSVs, to the output directory (default build/bench/).
 */
#include "probe.h"

#include "../runtime/driver.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/cgroup.h"
#include "../runtime/cmd.h"
#include "boot.h"
#include "probe_density.h"
#include "probe_deploy.h"
#include "probe_env.h"
#include "probe_rate.h"
#include "harness.h"
#include "size.h"
#include "sys.h"

#define LOCK_FILE "/run/unf-bench-probe.lock"

struct popts {
    struct bench_opts b; /* --runs, --quick, --only, --out */
    int max_instances;
};

struct psize {
    const char *what;
    char path[PATH_MAX + 32];
    long long bytes; /* apparent; -1 missing */
};

struct presult {
    struct psize sizes[8];
    int nsizes;
    int active[PV_COUNT];
    struct bench_series deploy[PV_COUNT];
    struct pdens_cell dens[PD_BUDGETS][PV_COUNT];
    struct pdens_cfg dcfg;
    struct prate_result rate;
    double seconds;
    int interrupted;
};

static int usage(FILE *f)
{
    fprintf(f, "usage: unf bench probe [--runs N] [--quick] [--only VARIANT[,VARIANT...]] [--max-instances N] [--out DIR]\n"
               "  variants: native, runc, proc, qemu\n");
    return 0;
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench: %s, got '%s' (try 'unf bench probe --help')\n", what, arg ? arg : "");
    return 2;
}

/* ---- machine and sizes ------------------------------------------------------------------- */

/* The harness's machine line, then what only this experiment depends on. */
static void print_machine(FILE *f, const struct bench_run *run, const struct penv *e)
{
    char scamper[128] = "scamper not available", buf[1024];
    const char *s[] = {"scamper", "-v", NULL};
    if (bench_cmd(s, buf, sizeof(buf), 10000) >= 0 && buf[0])
        bench_fmt(scamper, sizeof(scamper), "%s", cmd_first_line(buf));
    bench_machine_md(f, run);
    fprintf(f, "- %s; cgroup %s; KVM: %s.\n", scamper, cgroup_mode() ? cgroup_mode() : "none",
            e->kvm ? "hardware KVM (vmx/svm), QEMU uses -accel kvm"
            : driver_kvm_usable() ? "software KVM only (no vmx/svm), so QEMU uses TCG, as `unf run --platform qemu` does here"
            : "no (/dev/kvm not usable), QEMU uses TCG");
}

/* The accelerator `unf run --platform qemu-microvm` would use here (driver_select: KVM only
 * when it runs in hardware), so the QEMU rows measure what the runtime launches. */
static int qemu_uses_kvm(void)
{
    char accel[8] = "", err[256];
    const struct driver *d = driver_select("qemu-microvm", "auto", DRIVER_HAVE_VIRTIO, accel, sizeof(accel), err,
                                           sizeof(err));
    return d && strcmp(accel, "kvm") == 0;
}

static void measure_sizes(const struct penv *e, struct presult *r)
{
    const struct {
        const char *what, *fmt, *base;
    } items[] = {
        {"probe image (.unf, both kernels)", "%s", e->image},
        {"probe kernel, proc", "%s", e->kproc},
        {"probe kernel, virtio", "%s", e->kvirtio},
        {"native probe (static glibc)", "%s", e->native},
        {"runc bundle rootfs (busybox + probe)", "%s/rootfs", e->bundle},
        {"runc image tarball (what deploy fetches)", "%s/bundle.tar", e->www},
    };
    r->nsizes = 0;
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        struct psize *s = &r->sizes[r->nsizes++];
        long long disk;
        s->what = items[i].what;
        bench_fmt(s->path, sizeof(s->path), items[i].fmt, items[i].base);
        if (bench_du(s->path, &s->bytes, &disk) < 0)
            s->bytes = -1;
    }
}

/* ---- report ------------------------------------------------------------------------------ */

static void cell_ms(char *out, size_t len, int ok, double v)
{
    if (ok)
        snprintf(out, len, "%.1f", v);
    else
        snprintf(out, len, "-");
}

static void print_sizes(FILE *f, const struct presult *r)
{
    long long unf = r->sizes[0].bytes;
    fprintf(f, "\n## Image size\n\n| artefact | bytes | x the .unf |\n|---|---:|---:|\n");
    for (int i = 0; i < r->nsizes; i++) {
        const struct psize *s = &r->sizes[i];
        if (s->bytes < 0)
            fprintf(f, "| %s | - | - |\n", s->what);
        else if (unf > 0)
            fprintf(f, "| %s | %lld | %.2f |\n", s->what, s->bytes, (double)s->bytes / (double)unf);
        else
            fprintf(f, "| %s | %lld | - |\n", s->what, s->bytes);
    }
}

static void print_deploy(FILE *f, const struct penv *e, const struct presult *r, const struct popts *o)
{
    char med[16], p95[16], mn[16], mx[16];
    const struct bench_series *proc = &r->deploy[PV_PROC];
    fprintf(f, "\n## Deploy + execute (%d runs after one warm-up, interleaved)\n\n", o->b.runs);
    fprintf(f, "Fetch from a loopback busybox httpd with curl, unpack, start, trace %s (4 hops: gateway, two "
               "Linux routers, destination), wait for the end, remove.\n\n", PENV_TARGET);
    fprintf(f, "| variant | ok | failed | median ms | p95 ms | min ms | max ms | x proc (median) | notes |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int v = 0; v < PV_COUNT; v++) {
        const struct bench_series *d = &r->deploy[v];
        char ratio[16] = "-";
        if (!r->active[v]) {
            fprintf(f, "| %s | - | - | - | - | - | - | - | skipped: %s |\n", penv_name(e, v),
                    e->skip[v][0] ? e->skip[v] : "not selected");
            continue;
        }
        cell_ms(med, sizeof(med), d->ok, d->st.median);
        cell_ms(p95, sizeof(p95), d->ok, d->st.p95);
        cell_ms(mn, sizeof(mn), d->ok, d->st.min);
        cell_ms(mx, sizeof(mx), d->ok, d->st.max);
        if (d->ok && proc->ok)
            snprintf(ratio, sizeof(ratio), "%.2f", d->st.median / proc->st.median);
        fprintf(f, "| %s | %d | %d | %s | %s | %s | %s | %s | %s |\n", penv_name(e, v), d->ok, d->failed, med, p95,
                mn, mx, ratio, d->note);
    }
}

/* How many instances 1 GiB would hold at the measured memory per instance (cgroup peak / peak
 * count): the bound on instances may stop a run long before the memory does. */
static double per_instance_fit(const struct pdens_cell *c)
{
    if (!c->run || c->peak <= 0 || c->mem_peak_kib <= 0)
        return 0;
    return 1024.0 * 1024.0 / ((double)c->mem_peak_kib / c->peak);
}

static void print_density(FILE *f, const struct penv *e, const struct presult *r)
{
    fprintf(f, "\n## Density\n\nInstances started %ld ms apart (at most %d, or %.0f s), each tracing the gateway %s "
               "(the host's own address on its segment) and then waiting %d s. Every process of every instance "
               "(tender, QEMU, runc and the container's processes, the native process) runs in one shared cgroup "
               "created by the benchmark (runtime/cgroup.c, `unf-%s`; containers in child cgroups of it); the "
               "unikernels are started with the tender / QEMU directly, not `unf run`. Peak = most instances alive "
               "at once, all healthy, before the first failure (exit, OOM kill) or slowdown (trace not done within "
               "max(2 s, 5x the first instance's)). With %d s of life at %ld ms spacing at most about %ld can be alive at once, "
               "so the memory per instance (the cgroup's peak usage / peak count) and what 1 GiB holds at that rate "
               "are given too (an extrapolation, not a run).\n\n",
            r->dcfg.spacing_ms, r->dcfg.max_instances, (double)r->dcfg.max_ms / 1000.0, PENV_GW, r->dcfg.idle_s,
            PENV_CGROUP, r->dcfg.idle_s, r->dcfg.spacing_ms, r->dcfg.idle_s * 1000L / r->dcfg.spacing_ms);
    fprintf(f, "| budget | variant | launched | peak at once | x runc | first trace ms | slowest ms | cgroup peak MiB "
               "| MiB per instance | 1 GiB / that | x runc | ended by |\n");
    fprintf(f, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int b = 0; b < PD_BUDGETS; b++) {
        const struct pdens_cell *runc = &r->dens[b][PV_RUNC];
        for (int v = 0; v < PV_COUNT; v++) {
            const struct pdens_cell *c = &r->dens[b][v];
            char ratio[16] = "-", mem[24] = "-", per[24] = "-", fits[24] = "-", fratio[16] = "-";
            if (!c->run) {
                fprintf(f, "| %s | %s | - | - | - | - | - | - | - | - | - | not run: %s |\n", pdens_budget_name(b),
                        penv_name(e, v), c->why[0] ? c->why : "not selected");
                continue;
            }
            if (runc->run && runc->peak > 0)
                snprintf(ratio, sizeof(ratio), "%.2f", (double)c->peak / runc->peak);
            if (c->mem_peak_kib >= 0)
                snprintf(mem, sizeof(mem), "%.1f", (double)c->mem_peak_kib / 1024.0);
            double cap = per_instance_fit(c), runc_cap = per_instance_fit(runc);
            if (cap > 0) {
                snprintf(per, sizeof(per), "%.2f", (double)c->mem_peak_kib / 1024.0 / c->peak);
                snprintf(fits, sizeof(fits), "%.0f", cap);
            }
            if (cap > 0 && runc->run && runc_cap > 0)
                snprintf(fratio, sizeof(fratio), "%.2f", cap / runc_cap);
            fprintf(f, "| %s | %s | %d | %d | %s | %.1f | %.1f | %s | %s | %s | %s | %s |\n", pdens_budget_name(b),
                    penv_name(e, v), c->launched, c->peak, ratio, c->first_ms, c->worst_ms, mem, per, fits, fratio,
                    c->why);
        }
    }
}

static void print_rate(FILE *f, const struct penv *e, const struct presult *r)
{
    fprintf(f, "\n## Probing rate\n\n%d destinations behind the path, ICMP-Paris, one attempt per hop, max TTL 8, "
               "32 traces at once, rate limit as given (probe --pps, scamper -p). Own pps = probes / the prober's "
               "own elapsed time (probe's summary line); wall pps = probes / process start to exit (for QEMU this "
               "includes the boot).\n\n", r->rate.ntargets);
    fprintf(f, "| limit pps | prober | probes | own ms | own pps | wall ms | wall pps | notes |\n");
    fprintf(f, "|---:|---|---:|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < r->rate.nrates; i++) {
        for (int v = 0; v < PRATE_ROWS; v++) {
            const struct prate_cell *c = &r->rate.cells[i][v];
            const char *name = v == PRATE_SCAMPER ? "scamper (native)" : penv_name(e, v);
            if (!c->run)
                continue;
            if (!c->ok) {
                fprintf(f, "| %d | %s | - | - | - | - | - | %s |\n", r->rate.rates[i], name, c->why);
                continue;
            }
            char own[16] = "-", ownpps[16] = "-";
            if (c->own_ms > 0) {
                snprintf(own, sizeof(own), "%.0f", c->own_ms);
                snprintf(ownpps, sizeof(ownpps), "%.0f", (double)c->sent * 1000.0 / c->own_ms);
            }
            fprintf(f, "| %d | %s | %ld | %s | %s | %.0f | %.0f | %s |\n", r->rate.rates[i], name, c->sent, own,
                    ownpps, c->wall_ms, c->wall_ms > 0 ? (double)c->sent * 1000.0 / c->wall_ms : 0.0, c->why);
        }
    }
    prate_print_sustained(f, &r->rate);
}

/* The published vTNT ratios next to ours (container baseline: Docker there, runc here). */
static void print_vs_paper(FILE *f, const struct presult *r)
{
    char m[160];
    const struct bench_series *proc = &r->deploy[PV_PROC], *runc = &r->deploy[PV_RUNC];
    const struct pdens_cell *dm_p = &r->dens[PD_MEM][PV_PROC], *dm_r = &r->dens[PD_MEM][PV_RUNC];
    const struct pdens_cell *dc_p = &r->dens[PD_CPU][PV_PROC], *dc_r = &r->dens[PD_CPU][PV_RUNC];
    fprintf(f, "\n## Against the published vTNT ratios (Docker there, runc here; proc unikernel)\n\n");
    fprintf(f, "| measure | vTNT | here |\n|---|---:|---|\n");
    if (r->sizes[0].bytes > 0 && r->sizes[5].bytes > 0)
        snprintf(m, sizeof(m), "%.1fx (runc image tarball / .unf)", (double)r->sizes[5].bytes / (double)r->sizes[0].bytes);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| container image / unikernel image | 430x | %s |\n", m);
    if (proc->ok && runc->ok)
        snprintf(m, sizeof(m), "%.2fx (medians %.1f vs %.1f ms)", runc->st.median / proc->st.median, runc->st.median,
                 proc->st.median);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| deploy + execute, container / unikernel | 2.4x | %s |\n", m);
    for (int b = 0; b < PD_BUDGETS; b++) {
        const struct pdens_cell *p = b == PD_MEM ? dm_p : dc_p, *c = b == PD_MEM ? dm_r : dc_r;
        double fp = per_instance_fit(p), fc = per_instance_fit(c);
        if (p->run && c->run && c->peak > 0)
            snprintf(m, sizeof(m), "%.2fx at once (%d vs %d)", (double)p->peak / c->peak, p->peak, c->peak);
        else
            snprintf(m, sizeof(m), "-");
        if (b == PD_MEM && fp > 0 && fc > 0) {
            size_t used = strlen(m);
            snprintf(m + used, sizeof(m) - used, "; %.2fx by memory per instance", fp / fc);
        }
        fprintf(f, "| instances, unikernel / container, %s | %s | %s |\n", pdens_budget_name(b),
                b == PD_MEM ? "~5x" : "~3x", m);
    }
}

static void print_report(FILE *f, const struct penv *e, const struct presult *r, const struct popts *o,
                         const struct bench_run *run, int detailed)
{
    fprintf(f, "# unf bench probe: the vTNT experiments\n\n- Date: %s; %s; wall time %.0f s.%s\n", run->date,
            o->b.quick ? "--quick (small, for tests)" : "full run", r->seconds,
            r->interrupted ? " **Interrupted: partial results.**" : "");
    print_machine(f, run, e);
    fprintf(f, "- Path: instance -> %s (gateway, namespace with bridge) -> 10.93.1.2 -> 10.93.2.2 -> %s, Linux "
               "forwarding namespaces with ICMP rate limits off. Native and runc sit in one namespace (10.92.0.2) "
               "on the bridge; each unikernel has its own tap on the bridge and address 10.92.x.y.\n", PENV_GW,
               PENV_TARGET);
    print_sizes(f, r);
    print_deploy(f, e, r, o);
    print_density(f, e, r);
    print_rate(f, e, r);
    print_vs_paper(f, r);
    if (detailed) {
        fprintf(f, "\nWhat one deploy of each variant does:\n\n");
        for (int v = 0; v < PV_COUNT; v++)
            fprintf(f, "- %s: %s\n", penv_name(e, v), pdeploy_what(v));
    }
}

static int write_csv(struct bench_run *run, const struct penv *e, const struct presult *r)
{
    char path[PATH_MAX];
    FILE *f = bench_run_open(run, ".csv", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "experiment,variant,param,value,unit\n");
    for (int i = 0; i < r->nsizes; i++)
        fprintf(f, "size,\"%s\",,%lld,bytes\n", r->sizes[i].what, r->sizes[i].bytes);
    for (int v = 0; v < PV_COUNT; v++) {
        const struct bench_series *d = &r->deploy[v];
        for (int i = 0; i < d->ok; i++)
            fprintf(f, "deploy,%s,run %d,%.3f,ms\n", penv_name(e, v), i + 1, d->samples[i]);
        if (d->ok)
            fprintf(f, "deploy,%s,median,%.3f,ms\ndeploy,%s,p95,%.3f,ms\n", penv_name(e, v), d->st.median,
                    penv_name(e, v), d->st.p95);
    }
    for (int b = 0; b < PD_BUDGETS; b++) {
        for (int v = 0; v < PV_COUNT; v++) {
            const struct pdens_cell *c = &r->dens[b][v];
            if (c->run)
                fprintf(f, "density,%s,\"%s\",%d,instances\n", penv_name(e, v), pdens_budget_name(b), c->peak);
        }
    }
    for (int i = 0; i < r->rate.nrates; i++) {
        for (int v = 0; v < PRATE_ROWS; v++) {
            const struct prate_cell *c = &r->rate.cells[i][v];
            if (c->run && c->ok && c->wall_ms > 0)
                fprintf(f, "rate,%s,limit %d,%.1f,wall pps\n", v == PRATE_SCAMPER ? "scamper" : penv_name(e, v),
                        r->rate.rates[i], (double)c->sent * 1000.0 / c->wall_ms);
            if (c->run && c->ok && c->own_ms > 0)
                fprintf(f, "rate,%s,limit %d,%.1f,own pps\n", penv_name(e, v), r->rate.rates[i],
                        (double)c->sent * 1000.0 / c->own_ms);
        }
    }
    prate_csv_sustained(f, &r->rate);
    return bench_run_close(run, f, path);
}

/* Density vs memory: per variant and budget, the instances alive at once and the cgroup's peak
 * memory, so the figure shows how many instances each MiB buys. */
static int write_density_csv(struct bench_run *run, const struct penv *e, const struct presult *r, char *path,
                             size_t len)
{
    FILE *f = bench_run_open(run, "-density.csv", path, len);
    if (!f)
        return -1;
    fprintf(f, "variant,budget,instances,mem_peak_mib,mib_per_instance\n");
    for (int b = 0; b < PD_BUDGETS; b++) {
        for (int v = 0; v < PV_COUNT; v++) {
            const struct pdens_cell *c = &r->dens[b][v];
            if (!c->run || c->peak <= 0 || c->mem_peak_kib < 0)
                continue;
            fprintf(f, "%s,\"%s\",%d,%.2f,%.3f\n", penv_name(e, v), pdens_budget_name(b), c->peak,
                    c->mem_peak_kib / 1024.0, c->mem_peak_kib / 1024.0 / c->peak);
        }
    }
    return bench_run_close(run, f, path);
}

static int write_files(struct bench_run *run, const struct popts *o, const struct penv *e, const struct presult *r)
{
    char path[PATH_MAX], density[PATH_MAX];
    FILE *f = bench_run_open(run, ".md", path, sizeof(path));
    if (!f)
        return -1;
    print_report(f, e, r, o, run, 1);
    if (bench_run_close(run, f, path) < 0 || write_csv(run, e, r) < 0 ||
        write_density_csv(run, e, r, density, sizeof(density)) < 0)
        return -1;
    bench_plot(run, "density", density, "unf bench probe: density vs memory (instances alive at once)",
               "set xlabel 'memory per instance, MiB (cgroup peak / instances; log scale)'\n"
               "set ylabel 'instances alive at once'\nset yrange [0:*]\nset logscale x\nset key bottom right\nset offsets graph 0.1, graph 0.1, graph 0.1, graph 0.1\n"
               "plot csv using 5:(strcol(2) eq '1 GiB memory' ? $3 : NaN) with points pt 7 ps 2 title '1 GiB memory cgroup', "
               "'' using 5:(strcol(2) ne '1 GiB memory' ? $3 : NaN) with points pt 5 ps 2 title 'CPU quota cgroup', "
               "'' using 5:(strcol(2) eq '1 GiB memory' ? $3 : NaN):1 with labels offset 0,1 notitle\n",
               NULL, 0);
    bench_run_end(run);
    return 0;
}

/* ---- the run ----------------------------------------------------------------------------- */

static int run_all(const struct popts *o, struct penv *e, struct presult *r)
{
    char err[512];
    int any = 0;
    r->dcfg = (struct pdens_cfg){.max_instances = o->max_instances, .max_ms = o->b.quick ? 10000 : 60000,
                                 .idle_s = o->b.quick ? 2 : 10, .spacing_ms = 100};
    if (penv_up(e, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench: %s\n", err);
        return -1;
    }
    if (!e->skip[PV_RUNC][0] && pdeploy_prepare(e, err, sizeof(err)) < 0)
        bench_fmt(e->skip[PV_RUNC], sizeof(e->skip[0]), "%s", err);
    for (int v = 0; v < PV_COUNT; v++) {
        r->active[v] = (o->b.only == 0 || (o->b.only & (1u << v))) && !e->skip[v][0];
        any |= r->active[v];
        if (e->skip[v][0])
            fprintf(stderr, "bench: %s skipped: %s\n", penv_name(e, v), e->skip[v]);
    }
    measure_sizes(e, r);
    if (!any) {
        fprintf(stderr, "unf bench: no variant can run here\n");
        return -1;
    }
    if (pdeploy_run(e, o->b.runs, r->active, r->deploy) < 0) {
        fprintf(stderr, "unf bench: out of memory\n");
        return -1;
    }
    if (!bench_interrupted && pdens_run(e, &r->dcfg, r->active, r->dens, err, sizeof(err)) < 0)
        fprintf(stderr, "bench: density not measured: %s\n", err);
    if (!bench_interrupted)
        prate_run(e, o->b.quick, r->active, &r->rate);
    return 0;
}

int bench_probe_main(int argc, char **argv)
{
    static const char *const only_names[PV_COUNT] = {"native", "runc", "proc", "qemu"};
    struct popts o = {.b = {.out = BENCH_OUT_DEFAULT, .names = only_names, .nnames = PV_COUNT,
                            .only_what = "--only wants variants from: native, runc, proc, qemu", .bad_usage = bad_usage}};
    long v;
    int c, st;
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"max-instances", required_argument, NULL, 'm'},
        BENCH_OPTION_RUNS,
        BENCH_OPTION_QUICK,
        BENCH_OPTION_ONLY,
        BENCH_OPTION_OUT,
        {NULL, 0, NULL, 0},
    };
    while ((c = bench_next_opt(argc, argv, options, &o.b, &st)) != -1) {
        switch (c) {
        case 'h': return usage(stdout);
        case 'm':
            if (bench_parse_long(optarg, 1, PENV_MAX_TAPS, &v) < 0)
                return bad_usage("--max-instances wants a count from 1 to 256", optarg);
            o.max_instances = (int)v;
            break;
        }
    }
    if (st)
        return st;
    if (!o.b.runs)
        o.b.runs = o.b.quick ? 2 : 30;
    if (!o.max_instances)
        o.max_instances = o.b.quick ? 6 : 200;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench: probe needs root (namespaces, taps, cgroups, containers)\n");
        return 1;
    }
    if (bench_sys_signals() < 0) {
        fprintf(stderr, "unf bench: sigaction: %s\n", strerror(errno));
        return 1;
    }
    int lock = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "unf bench: %s: %s\n", LOCK_FILE, errno == EWOULDBLOCK ? "another unf bench probe is running" : strerror(errno));
        if (lock >= 0)
            close(lock);
        return 1;
    }
    struct bench_run *run = calloc(1, sizeof(*run));
    struct penv *e = calloc(1, sizeof(*e));
    struct presult *r = calloc(1, sizeof(*r));
    int rc = 1;
    if (!e || !r || !run) {
        fprintf(stderr, "unf bench: out of memory\n");
        goto cleanup;
    }
    if (bench_run_begin(run, "probe", o.b.out) < 0)
        goto cleanup;
    e->kvm = qemu_uses_kvm();
    double t0 = bench_now_ms();
    int ran = run_all(&o, e, r);
    penv_down(e);
    r->seconds = (bench_now_ms() - t0) / 1000.0;
    r->interrupted = bench_interrupted != 0;
    if (ran == 0) {
        print_report(stdout, e, r, &o, run, 0);
        fflush(stdout);
        rc = write_files(run, &o, e, r) < 0 ? 1 : 0;
        for (int i = 0; i < PV_COUNT; i++) {
            if (r->active[i] && r->deploy[i].ok == 0)
                rc = 1; /* a variant that never deployed is a failure of the run */
        }
    }
    if (r->interrupted) {
        fprintf(stderr, "unf bench: interrupted; everything the benchmark created was removed\n");
        rc = 1;
    }
    pdeploy_free(r->deploy);
cleanup:
    free(run);
    free(e);
    free(r);
    close(lock);
    return rc;
}
