/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench boot`: options and the report of the boot-to-first-packet experiment (bench/boot.c
 * measures). Through the harness (harness.h) it writes boot-STAMP.md (the report plus what each
 * row launches), boot-STAMP.csv (one line per variant), boot-STAMP-samples.csv (every timed
 * launch, with its rank in the variant's CDF), boot-STAMP-sizes.csv and the figure
 * boot-STAMP-cdf.png (boot-to-first-packet CDF per variant).
 */
#include "boot_report.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "harness.h"
#include "sys.h"

#define DEFAULT_RUNS 30
#define DEFAULT_TIMEOUT_S 10

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench boot|probe|fw|dns|http [OPTIONS]   (unf bench SUBCOMMAND --help)\n"
               "       unf bench boot [--runs N] [--only VARIANT[,VARIANT...]] [--out DIR] [--timeout SECONDS]\n"
               "  variants: %s\n", bench_boot_variant_list());
}

/* One clear line on stderr and exit status 2, as for any bad usage of unf. */
static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench: %s, got '%s' (try 'unf bench boot --help')\n", what, arg ? arg : "");
    return 2;
}

/* ---- report ------------------------------------------------------------------------------ */

static void fmt_ms(char *out, size_t len, const struct bench_row *row, double v)
{
    if (row->ok > 0)
        snprintf(out, len, "%.2f", v);
    else
        snprintf(out, len, "-");
}

static const struct bench_size *size_of(const struct bench_boot_result *r, const char *what)
{
    for (int i = 0; i < r->nsizes; i++) {
        if (strcmp(r->sizes[i].what, what) == 0 && r->sizes[i].present)
            return &r->sizes[i];
    }
    return NULL;
}

static const char *verdict(int measured, int met)
{
    return bench_verdict(measured, met, "its row did not run");
}

/* The hvt and KVM targets are about hardware KVM: a software KVM (no vmx/svm) or none at all
 * cannot meet or miss them, whatever its rows measured. */
static const char *hw_verdict(const struct bench_boot_result *r, int measured, int met)
{
    return r->kvm_hardware ? verdict(measured, met) : bench_verdict(0, 0, "no hardware KVM");
}

static void fmt_median(char *out, size_t len, const struct bench_row *row)
{
    if (row->ok > 0)
        snprintf(out, len, "%s median %.2f ms", row->name, row->st.median);
    else
        snprintf(out, len, "%s: -", row->name);
}

/* Median of a over median of b, when both rows have samples. */
static int ratio(const struct bench_row *a, const struct bench_row *b, double *x)
{
    if (a->ok == 0 || b->ok == 0 || b->st.median <= 0)
        return 0;
    *x = a->st.median / b->st.median;
    return 1;
}

/* The hvt and KVM targets: hvt median < 5 ms, within 1.5x of proc, >= 5x faster than
 * QEMU microvm on KVM, microvm on KVM < 50 ms, one idle hvt instance (4 MiB guest) < 4 MiB PSS. */
static void print_kvm_targets(FILE *f, const struct bench_boot_result *r)
{
    const struct bench_row *hvt = &r->rows[BENCH_V_HVT], *proc = &r->rows[BENCH_V_PROC];
    const struct bench_row *mkvm = &r->rows[BENCH_V_MICROVM_KVM];
    char m[200];
    double x = 0;
    int have;

    fmt_median(m, sizeof(m), hvt);
    fprintf(f, "| hvt boot to first packet: median < 5 ms (hardware KVM) | %s | %s |\n", m,
            hw_verdict(r, hvt->ok > 0, hvt->st.median < 5.0));
    have = ratio(hvt, proc, &x);
    if (have)
        snprintf(m, sizeof(m), "hvt %.2f ms vs proc %.2f ms (%.2fx)", hvt->st.median, proc->st.median, x);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| hvt within 1.5x of proc (medians) | %s | %s |\n", m, hw_verdict(r, have, x <= 1.5));
    have = ratio(mkvm, hvt, &x);
    if (have)
        snprintf(m, sizeof(m), "%s %.2f ms vs hvt %.2f ms (%.1fx)", mkvm->name, mkvm->st.median, hvt->st.median, x);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| hvt >= 5x faster than QEMU microvm on KVM (medians) | %s | %s |\n", m, hw_verdict(r, have, x >= 5.0));
    fmt_median(m, sizeof(m), mkvm);
    fprintf(f, "| %s: median < 50 ms (hardware KVM) | %s | %s |\n", mkvm->name, m,
            hw_verdict(r, mkvm->ok > 0, mkvm->st.median < 50.0));
    if (hvt->pss_kib >= 0)
        snprintf(m, sizeof(m), "%ld KiB PSS, guest mem %s", hvt->pss_kib, hvt->mem);
    else
        snprintf(m, sizeof(m), "-");
    /* Host memory does not depend on how KVM executes the guest: measurable on any usable KVM. */
    fprintf(f, "| one idle hvt instance, 4 MiB guest, < 4 MiB PSS | %s | %s |\n", m,
            verdict(hvt->pss_kib >= 0 && strcmp(hvt->mem, "4M") == 0, hvt->pss_kib < 4096));
}

static void print_targets(FILE *f, const struct bench_boot_result *r)
{
    const struct bench_row *proc = &r->rows[BENCH_V_PROC], *runc = &r->rows[BENCH_V_RUNC];
    const struct bench_row *mtcg = &r->rows[BENCH_V_MICROVM_TCG];
    char m[200];

    fprintf(f, "| target | measured | verdict |\n|---|---|---|\n");
    snprintf(m, sizeof(m), proc->ok ? "median %.2f ms" : "-", proc->st.median);
    fprintf(f, "| proc boot to first packet: median < 5 ms | %s | %s |\n", m, verdict(proc->ok > 0, proc->st.median < 5.0));
    if (proc->ok && runc->ok)
        snprintf(m, sizeof(m), "proc %.2f ms vs runc %.2f ms (%.1fx)", proc->st.median, runc->st.median,
                 runc->st.median / proc->st.median);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| proc faster than runc (medians) | %s | %s |\n", m,
            verdict(proc->ok && runc->ok, proc->st.median < runc->st.median));
    print_kvm_targets(f, r);
    fmt_median(m, sizeof(m), mtcg);
    fprintf(f, "| %s: median < 200 ms | %s | %s |\n", mtcg->name, m, verdict(mtcg->ok > 0, mtcg->st.median < 200.0));
    for (int i = 0; i < 2; i++) {
        const char *what = i == 0 ? "echo kernel, proc" : "echo kernel, virtio";
        const struct bench_size *s = size_of(r, what);
        if (s)
            snprintf(m, sizeof(m), "%.1f KiB (%lld bytes)", (double)s->apparent / 1024.0, s->apparent);
        else
            snprintf(m, sizeof(m), "-");
        fprintf(f, "| %s < 200 KiB | %s | %s |\n", what, m, verdict(s != NULL, s && s->apparent < 200 * 1024));
    }
    if (proc->pss_kib >= 0)
        snprintf(m, sizeof(m), "%ld KiB PSS", proc->pss_kib);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| one idle proc instance < 2 MiB PSS | %s | %s |\n", m,
            verdict(proc->pss_kib >= 0, proc->pss_kib >= 0 && proc->pss_kib < 2048));
    int four = mtcg->ok > 0 && strcmp(mtcg->mem, "4M") == 0;
    if (mtcg->ok > 0)
        snprintf(m, sizeof(m), "%s booted and sent its packet with %s", mtcg->name, mtcg->mem);
    else
        snprintf(m, sizeof(m), "-");
    fprintf(f, "| virtio guest works with 4 MiB | %s | %s |\n", m, verdict(mtcg->ok > 0 || mtcg->failed > 0, four));
}

/* What the host offers the KVM rows, for the machine description. */
static const char *kvm_text(const struct bench_boot_result *r)
{
    if (!r->kvm_usable)
        return "no (/dev/kvm missing or not answering): the hvt and QEMU KVM rows are skipped";
    if (!r->kvm_hardware)
        return "software KVM: /dev/kvm answers but the CPU has no vmx/svm (e.g. kvm_pvm, which emulates guest "
               "ring 0); the hvt and QEMU KVM rows run but are not representative of hardware KVM, and the "
               "hardware KVM targets are not measurable here";
    return "hardware KVM (vmx/svm): the hvt and QEMU KVM rows use it";
}

static void print_report(FILE *f, const struct bench_boot_result *r, const struct bench_run *run,
                         const struct bench_boot_opts *o, int detailed)
{
    char med[16], p95[16], mn[16], mx[16], pss[24];

    fprintf(f, "# unf bench boot: boot to first packet\n\n");
    fprintf(f, "- Date: %s; %d timed launches per variant (after one untimed warm-up launch each), "
               "interleaved across variants; timeout %ld s per launch.\n", run->date, o->runs, o->timeout_ms / 1000);
    bench_machine_md(f, run);
    fprintf(f, "- KVM: %s.\n", kvm_text(r));
    fprintf(f, "- Every unikernel row launches the argv of the runtime's driver (runtime/driver.c), as `unf run` "
               "would; the unf-run row is `unf run -d` itself, on the platform the runtime picks.\n");
    fprintf(f, "- Time: from just before fork() of the launcher until recvfrom() returns the guest's first UDP "
               "datagram on the host (CLOCK_MONOTONIC). Memory: PSS summed over the instance's processes "
               "after 1 s idle (one instance).%s\n\n", r->interrupted ? " **Interrupted: partial results.**" : "");
    fprintf(f, "| variant | ok | failed | median ms | p95 ms | min ms | max ms | idle PSS KiB | guest mem | notes |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        const struct bench_row *row = &r->rows[v];
        if (!row->selected)
            continue;
        fmt_ms(med, sizeof(med), row, row->st.median);
        fmt_ms(p95, sizeof(p95), row, row->st.p95);
        fmt_ms(mn, sizeof(mn), row, row->st.min);
        fmt_ms(mx, sizeof(mx), row, row->st.max);
        if (row->pss_kib >= 0)
            snprintf(pss, sizeof(pss), "%ld", row->pss_kib);
        else
            snprintf(pss, sizeof(pss), "-");
        fprintf(f, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |\n", row->name, row->ok, row->failed,
                med, p95, mn, mx, pss, row->mem[0] ? row->mem : "-", row->skipped ? row->note[0] ? row->note : "skipped" : row->note);
    }
    fprintf(f, "\n| artefact | path | apparent bytes | disk bytes |\n|---|---|---:|---:|\n");
    for (int i = 0; i < r->nsizes; i++) {
        const struct bench_size *s = &r->sizes[i];
        if (s->present)
            fprintf(f, "| %s | %s | %lld | %lld |\n", s->what, s->path, s->apparent, s->disk);
        else
            fprintf(f, "| %s | %s | - | - |\n", s->what, s->path);
    }
    fprintf(f, "\n");
    print_targets(f, r);
    if (detailed) {
        fprintf(f, "\nWhat one launch of each row starts:\n\n");
        for (int v = 0; v < BENCH_V_COUNT; v++) {
            if (r->rows[v].selected)
                fprintf(f, "- %s: %s\n", r->rows[v].name, r->rows[v].what);
        }
    }
}

static int write_rows_csv(struct bench_run *run, const struct bench_boot_result *r)
{
    char path[PATH_MAX];
    FILE *f = bench_run_open(run, ".csv", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "variant,accel,guest_mem,ok,failed,median_ms,p95_ms,min_ms,max_ms,mean_ms,idle_pss_kib,pss_processes,skipped,note\n");
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        const struct bench_row *row = &r->rows[v];
        if (!row->selected)
            continue;
        fprintf(f, "%s,%s,%s,%d,%d,", row->name, row->accel, row->mem, row->ok, row->failed);
        if (row->ok > 0)
            fprintf(f, "%.3f,%.3f,%.3f,%.3f,%.3f,", row->st.median, row->st.p95, row->st.min, row->st.max, row->st.mean);
        else
            fprintf(f, ",,,,,");
        if (row->pss_kib >= 0)
            fprintf(f, "%ld,%d,", row->pss_kib, row->pss_procs);
        else
            fprintf(f, ",,");
        fprintf(f, "%d,", row->skipped);
        bench_csv_text(f, row->note);
        fprintf(f, "\n");
    }
    return bench_run_close(run, f, path);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every timed launch in run order, and its fraction in the variant's CDF (rank / ok). */
static int write_samples_csv(struct bench_run *run, const struct bench_boot_result *r, char *path, size_t len)
{
    FILE *f = bench_run_open(run, "-samples.csv", path, len);
    if (!f)
        return -1;
    fprintf(f, "variant,run,ms,cdf\n");
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        const struct bench_row *row = &r->rows[v];
        double *sorted = row->ok > 0 ? malloc((size_t)row->ok * sizeof(double)) : NULL;
        if (row->ok > 0 && !sorted) {
            fclose(f);
            fprintf(stderr, "unf-bench: out of memory\n");
            return -1;
        }
        if (sorted) {
            memcpy(sorted, row->samples, (size_t)row->ok * sizeof(double));
            qsort(sorted, (size_t)row->ok, sizeof(double), cmp_double);
        }
        for (int i = 0; i < row->ok; i++)
            fprintf(f, "%s,%d,%.3f,%.4f\n", row->name, i + 1, sorted[i], (double)(i + 1) / row->ok);
        free(sorted);
    }
    return bench_run_close(run, f, path);
}

static int write_sizes_csv(struct bench_run *run, const struct bench_boot_result *r)
{
    char path[PATH_MAX];
    FILE *f = bench_run_open(run, "-sizes.csv", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "artefact,path,apparent_bytes,disk_bytes\n");
    for (int i = 0; i < r->nsizes; i++) {
        const struct bench_size *s = &r->sizes[i];
        bench_csv_text(f, s->what);
        fprintf(f, ",%s,", s->path);
        if (s->present)
            fprintf(f, "%lld,%lld\n", s->apparent, s->disk);
        else
            fprintf(f, ",\n");
    }
    return bench_run_close(run, f, path);
}

/* Boot-to-first-packet CDF, one step line per variant that has samples; log time axis because
 * the variants span two orders of magnitude. */
static void plot_cdf(struct bench_run *run, const struct bench_boot_result *r, const char *samples)
{
    char script[2048], names[512] = "";
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        if (r->rows[v].ok > 0) {
            size_t used = strlen(names);
            bench_fmt(names + used, sizeof(names) - used, "%s%s", used ? " " : "", r->rows[v].name);
        }
    }
    if (!names[0])
        return;
    bench_fmt(script, sizeof(script),
              "set logscale x\nset xlabel 'boot to first packet, ms (log scale)'\nset ylabel 'fraction of launches'\n"
              "set yrange [0:1.02]\nset key bottom right\nvariants = '%s'\n"
              "set linetype 9 lc rgb 'gray30' dt 2\nset linetype 10 lc rgb 'brown' dt 2\n"
              "plot for [i=1:words(variants)] csv using (strcol(1) eq word(variants, i) ? $3 : NaN):4 "
              "title word(variants, i) with steps lt i lw 2\n",
              names);
    bench_plot(run, "cdf", samples, "unf bench boot: boot-to-first-packet CDF per variant", script, NULL, 0);
}

static int write_files(struct bench_run *run, const struct bench_boot_result *r, const struct bench_boot_opts *o)
{
    char path[PATH_MAX], samples[PATH_MAX];
    FILE *f = bench_run_open(run, ".md", path, sizeof(path));
    if (!f)
        return -1;
    print_report(f, r, run, o, 1);
    if (bench_run_close(run, f, path) < 0 || write_rows_csv(run, r) < 0 ||
        write_samples_csv(run, r, samples, sizeof(samples)) < 0 || write_sizes_csv(run, r) < 0)
        return -1;
    plot_cdf(run, r, samples);
    bench_run_end(run);
    return 0;
}

/* ---- unf-bench boot ---------------------------------------------------------------------- */

enum { OPT_TIMEOUT = 1 };

static const struct option boot_options[] = {
    {"help", no_argument, NULL, 'h'},
    BENCH_OPTION_RUNS,
    BENCH_OPTION_ONLY,
    BENCH_OPTION_OUT,
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {NULL, 0, NULL, 0},
};

static int parse_options(int argc, char **argv, struct bench_boot_opts *o, const char **out)
{
    struct bench_opts co = {.out = *out, .name_bits = bench_boot_variant_mask,
                            .only_what = "--only wants variants from the list in 'unf bench boot --help'",
                            .bad_usage = bad_usage};
    long v;
    int c, st;
    optind = 1;
    while ((c = bench_next_opt(argc, argv, boot_options, &co, &st)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case OPT_TIMEOUT:
            if (bench_parse_long(optarg, 1, 600, &v) < 0)
                return bad_usage("--timeout wants seconds from 1 to 600", optarg);
            o->timeout_ms = v * 1000;
            break;
        }
    }
    if (st)
        return st;
    if (co.runs)
        o->runs = co.runs;
    o->only = co.only;
    *out = co.out;
    return -1; /* go on */
}

int bench_boot_main(int argc, char **argv)
{
    struct bench_boot_opts o = {.runs = DEFAULT_RUNS, .only = 0, .timeout_ms = DEFAULT_TIMEOUT_S * 1000L};
    const char *out = BENCH_OUT_DEFAULT;
    struct bench_boot_result r;
    struct bench_run run;
    char err[512];

    int st = parse_options(argc, argv, &o, &out);
    if (st >= 0)
        return st;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench: boot needs root (it creates a tap, a network namespace and containers)\n");
        return 1;
    }
    if (bench_sys_signals() < 0) {
        fprintf(stderr, "unf bench: sigaction: %s\n", strerror(errno));
        return 1;
    }
    if (bench_run_begin(&run, "boot", out) < 0)
        return 1;
    if (bench_boot_run(&o, &r, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench: %s\n", err);
        bench_boot_free(&r);
        return 1;
    }
    print_report(stdout, &r, &run, &o, 0);
    if (fflush(stdout) != 0)
        fprintf(stderr, "unf bench: stdout: %s\n", strerror(errno));
    int rc = write_files(&run, &r, &o) < 0 ? 1 : 0;
    for (int i = 0; i < BENCH_V_COUNT; i++) {
        const struct bench_row *row = &r.rows[i];
        if (row->selected && !row->skipped && row->ok == 0)
            rc = 1; /* a variant that never came up is a failure of the run, not just a number */
    }
    if (r.interrupted) {
        fprintf(stderr, "unf bench: interrupted; everything the benchmark created was removed\n");
        rc = 1;
    }
    fprintf(stderr, "bench: done in %.1f s\n", r.seconds);
    bench_boot_free(&r);
    return rc;
}
