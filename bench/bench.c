/*
 * `unf bench`: command dispatch, option parsing and the report. The experiment itself is in
 * bench/boot.c; this file turns its result into a Markdown report on stdout and into files in
 * the output directory (default build/bench/): boot-STAMP.md (the same report plus what each row
 * launches), boot-STAMP.csv (one line per variant), boot-STAMP-samples.csv (every timed launch)
 * and boot-STAMP-sizes.csv. The machine is described in each report, because boot times only
 * mean something next to the CPU, kernel and hypervisor they were measured on.
 */
#include "bench.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "boot.h"
#include "dns.h"
#include "fw.h"
#include "http.h"
#include "probe.h"
#include "sys.h"

#define DEFAULT_RUNS 30
#define MAX_RUNS 10000
#define DEFAULT_TIMEOUT_S 10

struct machine {
    char cpu[128];
    long cores;
    char kernel[128];
    long mem_mib;
    int in_vm;          /* the CPU flags say "hypervisor": this host is itself a VM */
    char qemu[128];
    char runc[64];
    char date[32];      /* local time the run started */
    char stamp[32];     /* YYYYmmdd-HHMMSS for file names */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench boot|probe|fw|dns|http [OPTIONS]   (unf bench SUBCOMMAND --help)\n"
               "       unf bench boot [--runs N] [--only VARIANT[,VARIANT...]] [--out DIR] [--timeout SECONDS]\n"
               "  variants: %s\n", bench_boot_variant_list());
}

/* One clear line on stderr and exit status 2, as for any bad usage of unf. */
static int bad_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "unf bench: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (try 'unf bench boot --help')\n");
    return 2;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_only(const char *list, unsigned *mask)
{
    char buf[256];
    if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf) || !buf[0])
        return -1;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        unsigned bits = bench_boot_variant_mask(t);
        if (!bits)
            return -1;
        *mask |= bits;
    }
    return *mask ? 0 : -1;
}

/* ---- machine description ----------------------------------------------------------------- */

static void first_line_of(const char *const argv[], char *out, size_t outlen)
{
    char buf[1024];
    if (bench_cmd(argv, buf, sizeof(buf), 10000) != 0) {
        snprintf(out, outlen, "not available");
        return;
    }
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    bench_fmt(out, outlen, "%s", buf);
}

static void describe_machine(struct machine *m)
{
    char buf[65536];
    memset(m, 0, sizeof(*m));
    snprintf(m->cpu, sizeof(m->cpu), "unknown");
    if (bench_read_file("/proc/cpuinfo", buf, sizeof(buf)) > 0) {
        char *p = strstr(buf, "model name");
        char *colon = p ? strchr(p, ':') : NULL;
        if (colon) {
            char *nl = strchr(colon, '\n');
            if (nl)
                *nl = '\0';
            snprintf(m->cpu, sizeof(m->cpu), "%s", colon + 2);
            if (nl)
                *nl = '\n';
        }
        char *flags = strstr(buf, "\nflags");
        char *end = flags ? strchr(flags + 1, '\n') : NULL;
        if (end)
            *end = '\0';
        m->in_vm = flags && strstr(flags, " hypervisor") != NULL;
    }
    m->cores = sysconf(_SC_NPROCESSORS_ONLN);
    struct utsname u;
    if (uname(&u) == 0)
        bench_fmt(m->kernel, sizeof(m->kernel), "%s %s %s", u.sysname, u.release, u.machine);
    if (bench_read_file("/proc/meminfo", buf, sizeof(buf)) > 0) {
        char *p = strstr(buf, "MemTotal:");
        if (p)
            m->mem_mib = strtol(p + 9, NULL, 10) / 1024;
    }
    const char *qemu[] = {"qemu-system-x86_64", "--version", NULL};
    const char *runc[] = {"runc", "--version", NULL};
    first_line_of(qemu, m->qemu, sizeof(m->qemu));
    first_line_of(runc, m->runc, sizeof(m->runc));
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm)) {
        strftime(m->date, sizeof(m->date), "%Y-%m-%d %H:%M:%S %Z", &tm);
        strftime(m->stamp, sizeof(m->stamp), "%Y%m%d-%H%M%S", &tm);
    }
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
    return !measured ? "not measured" : met ? "met" : "MISSED";
}

/* The hvt and KVM targets are about hardware KVM: a software KVM (no vmx/svm) or none at all
 * cannot meet or miss them, whatever its rows measured. */
static const char *hw_verdict(const struct bench_boot_result *r, int measured, int met)
{
    return r->kvm_hardware ? verdict(measured, met) : "not measurable here (no hardware KVM)";
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
    fprintf(f, "| one idle hvt instance, 4 MiB guest, < 4 MiB PSS | %s | %s |\n", m,
            hw_verdict(r, hvt->pss_kib >= 0 && strcmp(hvt->mem, "4M") == 0, hvt->pss_kib < 4096));
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

static void print_report(FILE *f, const struct bench_boot_result *r, const struct machine *m,
                         const struct bench_boot_opts *o, int detailed)
{
    char med[16], p95[16], mn[16], mx[16], pss[24];

    fprintf(f, "# unf bench boot: boot to first packet\n\n");
    fprintf(f, "- Date: %s; %d timed launches per variant (after one untimed warm-up launch each), "
               "interleaved across variants; timeout %ld s per launch.\n", m->date, o->runs, o->timeout_ms / 1000);
    fprintf(f, "- Machine: %s, %ld cores online, %ld MiB RAM, %s%s.\n", m->cpu, m->cores, m->mem_mib, m->kernel,
            m->in_vm ? " (itself a virtual machine: the CPU reports the hypervisor flag)" : "");
    fprintf(f, "- %s; %s; KVM: %s.\n", m->qemu, m->runc, kvm_text(r));
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

/* CSV cells never hold a comma or quote (notes are cleaned), but quote the free text anyway. */
static void csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_csvs(const char *dir, const char *stamp, const struct bench_boot_result *r, char *paths, size_t plen)
{
    char path[PATH_MAX];
    FILE *f = NULL;
    int rc = -1;

    snprintf(path, sizeof(path), "%s/boot-%s.csv", dir, stamp);
    f = fopen(path, "w");
    if (!f)
        goto cleanup;
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
        csv_text(f, row->note);
        fprintf(f, "\n");
    }
    if (fclose(f) != 0) {
        f = NULL;
        goto cleanup;
    }
    snprintf(paths + strlen(paths), plen - strlen(paths), " %s", path);

    snprintf(path, sizeof(path), "%s/boot-%s-samples.csv", dir, stamp);
    f = fopen(path, "w");
    if (!f)
        goto cleanup;
    fprintf(f, "variant,run,ms\n");
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        for (int i = 0; i < r->rows[v].ok; i++)
            fprintf(f, "%s,%d,%.3f\n", r->rows[v].name, i + 1, r->rows[v].samples[i]);
    }
    if (fclose(f) != 0) {
        f = NULL;
        goto cleanup;
    }
    snprintf(paths + strlen(paths), plen - strlen(paths), " %s", path);

    snprintf(path, sizeof(path), "%s/boot-%s-sizes.csv", dir, stamp);
    f = fopen(path, "w");
    if (!f)
        goto cleanup;
    fprintf(f, "artefact,path,apparent_bytes,disk_bytes\n");
    for (int i = 0; i < r->nsizes; i++) {
        const struct bench_size *s = &r->sizes[i];
        csv_text(f, s->what);
        fprintf(f, ",%s,", s->path);
        if (s->present)
            fprintf(f, "%lld,%lld\n", s->apparent, s->disk);
        else
            fprintf(f, ",\n");
    }
    if (fclose(f) != 0) {
        f = NULL;
        goto cleanup;
    }
    f = NULL;
    snprintf(paths + strlen(paths), plen - strlen(paths), " %s", path);
    rc = 0;
cleanup:
    if (rc < 0)
        fprintf(stderr, "unf bench: cannot write %s: %s\n", path, strerror(errno));
    if (f)
        fclose(f);
    return rc;
}

static int write_files(const char *dir, const struct bench_boot_result *r, const struct machine *m,
                       const struct bench_boot_opts *o)
{
    char path[PATH_MAX], paths[4 * PATH_MAX] = "";
    if (bench_mkdir_p(dir, 0755) < 0) {
        fprintf(stderr, "unf bench: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/boot-%s.md", dir, m->stamp);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "unf bench: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    print_report(f, r, m, o, 1);
    if (fclose(f) != 0) {
        fprintf(stderr, "unf bench: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    snprintf(paths, sizeof(paths), "%s", path);
    if (write_csvs(dir, m->stamp, r, paths, sizeof(paths)) < 0)
        return -1;
    fprintf(stderr, "bench: wrote %s\n", paths);
    return 0;
}

/* ---- unf bench boot ---------------------------------------------------------------------- */

static int boot_main(int argc, char **argv)
{
    struct bench_boot_opts o = {.runs = DEFAULT_RUNS, .only = 0, .timeout_ms = DEFAULT_TIMEOUT_S * 1000L};
    const char *out = "build/bench";
    struct bench_boot_result r;
    struct machine m;
    char err[512];
    long v;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--runs") == 0) {
            if (!val || parse_int(val, 1, MAX_RUNS, &v) < 0)
                return bad_usage("--runs wants a count from 1 to 10000, got '%s'", val ? val : "");
            o.runs = (int)v;
            i++;
        } else if (strcmp(a, "--only") == 0) {
            if (!val || parse_only(val, &o.only) < 0)
                return bad_usage("--only wants variants from the list in 'unf bench boot --help'; got '%s'",
                                 val ? val : "");
            i++;
        } else if (strcmp(a, "--out") == 0) {
            if (!val || !*val)
                return bad_usage("--out wants a directory%s", "");
            out = val;
            i++;
        } else if (strcmp(a, "--timeout") == 0) {
            if (!val || parse_int(val, 1, 600, &v) < 0)
                return bad_usage("--timeout wants seconds from 1 to 600, got '%s'", val ? val : "");
            o.timeout_ms = v * 1000;
            i++;
        } else {
            return bad_usage("unknown option '%s'", a);
        }
    }
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench: boot needs root (it creates a tap, a network namespace and containers)\n");
        return 1;
    }
    if (bench_sys_signals() < 0) {
        fprintf(stderr, "unf bench: sigaction: %s\n", strerror(errno));
        return 1;
    }
    describe_machine(&m);
    if (bench_boot_run(&o, &r, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench: %s\n", err);
        bench_boot_free(&r);
        return 1;
    }
    print_report(stdout, &r, &m, &o, 0);
    if (fflush(stdout) != 0)
        fprintf(stderr, "unf bench: stdout: %s\n", strerror(errno));
    int rc = write_files(out, &r, &m, &o) < 0 ? 1 : 0;
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

int bench_main(int argc, char **argv)
{
    int i = 0;
    /* Accept argv from "bench" on, or the whole command line from the program name on. */
    while (i < argc) {
        const char *slash = strrchr(argv[i], '/');
        const char *base = slash ? slash + 1 : argv[i];
        if (strcmp(argv[i], "bench") != 0 && strcmp(base, "unf") != 0)
            break;
        i++;
    }
    if (i >= argc) {
        fprintf(stderr, "unf bench: missing subcommand (try 'unf bench boot --help')\n");
        return 2;
    }
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[i], "boot") == 0)
        return boot_main(argc - i, argv + i);
    if (strcmp(argv[i], "probe") == 0)
        return bench_probe_main(argc - i, argv + i);
    if (strcmp(argv[i], "fw") == 0)
        return bench_fw_main(argc - i, argv + i);
    if (strcmp(argv[i], "dns") == 0)
        return bench_dns_main(argc - i, argv + i);
    if (strcmp(argv[i], "http") == 0)
        return bench_http_main(argc - i, argv + i);
    return bad_usage("unknown subcommand '%s'", argv[i]);
}
