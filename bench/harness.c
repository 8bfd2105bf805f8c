/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The reporting harness of unf-bench (see harness.h). The machine is described in every report
 * because benchmark numbers only mean something next to the CPU, kernel and hypervisor they were
 * measured on; figures are drawn by gnuplot from the CSV the run wrote, so a figure never shows
 * a number the tables do not have.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/cmd.h"
#include "sys.h"

#define PLOT_TIMEOUT_MS 30000

static void first_line_of(const char *const argv[], char *out, size_t outlen)
{
    char buf[1024];
    if (bench_cmd(argv, buf, sizeof(buf), 10000) != 0) {
        snprintf(out, outlen, "%s not available", argv[0]);
        return;
    }
    bench_fmt(out, outlen, "%s", cmd_first_line(buf));
}

static void describe_cpu(struct bench_machine *m)
{
    static char buf[1 << 16]; /* /proc/cpuinfo of a few cores; static: off the stack */
    snprintf(m->cpu, sizeof(m->cpu), "unknown");
    if (bench_read_file("/proc/cpuinfo", buf, sizeof(buf)) <= 0)
        return;
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

static void describe_machine(struct bench_machine *m)
{
    char buf[4096];
    memset(m, 0, sizeof(*m));
    describe_cpu(m);
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
}

/* One run of an experiment at a time: a second one would delete or reuse the first's namespaces
 * (each experiment names its own) and share its cores. The lock is held until the process and
 * every child it forked exit; -1 with a one-line message when another run holds it. */
static int run_lock(const char *experiment)
{
    char path[128];
    bench_fmt(path, sizeof(path), "%s/unf-bench-%s.lock", access("/run/lock", W_OK) == 0 ? "/run/lock" : "/tmp",
              experiment);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "unf-bench: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EWOULDBLOCK)
            fprintf(stderr, "unf-bench: another '%s' run holds %s (two would share namespaces); wait for it\n",
                    experiment, path);
        else
            fprintf(stderr, "unf-bench: cannot lock %s: %s\n", path, strerror(errno));
        close(fd);
        return -1;
    }
    return 0; /* fd stays open: the lock lives as long as the run */
}

int bench_run_begin(struct bench_run *r, const char *experiment, const char *dir)
{
    memset(r, 0, sizeof(*r));
    r->experiment = experiment;
    if (snprintf(r->dir, sizeof(r->dir), "%s", dir) >= (int)sizeof(r->dir)) {
        fprintf(stderr, "unf-bench: output directory name too long\n");
        return -1;
    }
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm)) {
        strftime(r->date, sizeof(r->date), "%Y-%m-%d %H:%M:%S %Z", &tm);
        strftime(r->stamp, sizeof(r->stamp), "%Y%m%d-%H%M%S", &tm);
    }
    if (run_lock(experiment) < 0)
        return -1;
    describe_machine(&r->m);
    if (bench_mkdir_p(dir, 0755) < 0) {
        fprintf(stderr, "unf-bench: cannot create %s: %s\n", dir, strerror(errno));
        return -1;
    }
    return 0;
}

FILE *bench_run_open(struct bench_run *r, const char *suffix, char *path, size_t pathlen)
{
    bench_fmt(path, pathlen, "%s/%s-%s%s", r->dir, r->experiment, r->stamp, suffix);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "unf-bench: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

static void remember(struct bench_run *r, const char *path)
{
    size_t used = strlen(r->written);
    bench_fmt(r->written + used, sizeof(r->written) - used, "%s%s", used ? " " : "", path);
}

int bench_run_close(struct bench_run *r, FILE *f, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "unf-bench: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    remember(r, path);
    return 0;
}

void bench_run_end(const struct bench_run *r)
{
    if (r->written[0])
        fprintf(stderr, "bench: wrote %s\n", r->written);
}

void bench_machine_md(FILE *f, const struct bench_run *r)
{
    const struct bench_machine *m = &r->m;
    fprintf(f, "- Machine: %s, %ld cores online, %ld MiB RAM, %s%s; %s; %s.\n", m->cpu, m->cores, m->mem_mib, m->kernel,
            m->in_vm ? " (itself a virtual machine: the CPU reports the hypervisor flag)" : "", m->qemu, m->runc);
}

const char *bench_verdict(int measured, int met, const char *why)
{
    static char buf[256];
    if (measured)
        return met ? "met" : "NOT met";
    bench_fmt(buf, sizeof(buf), "not measurable here (%s)", why && *why ? why : "not measured in this run");
    return buf;
}

/* s between two q characters, a q inside doubled: a CSV cell (") or a gnuplot string ('). */
static void put_quoted(FILE *f, const char *s, char q)
{
    fputc(q, f);
    for (; *s; s++) {
        if (*s == q)
            fputc(q, f);
        fputc(*s, f);
    }
    fputc(q, f);
}

void bench_csv_text(FILE *f, const char *s)
{
    put_quoted(f, s, '"');
}

int bench_plot(struct bench_run *r, const char *name, const char *csv, const char *title, const char *script,
               char *note, size_t notelen)
{
    char gp[PATH_MAX], png[PATH_MAX], out[512], why[600] = "";
    int drawn = 0;
    bench_fmt(gp, sizeof(gp), "%s/%s-%s-%s.gp", r->dir, r->experiment, r->stamp, name);
    bench_fmt(png, sizeof(png), "%s/%s-%s-%s.png", r->dir, r->experiment, r->stamp, name);
    FILE *f = fopen(gp, "w");
    if (!f) {
        bench_fmt(why, sizeof(why), "cannot write %s: %s", gp, strerror(errno));
        goto done;
    }
    fprintf(f, "set terminal pngcairo size 900,560 noenhanced\nset output ");
    put_quoted(f, png, '\'');
    fprintf(f, "\ncsv = ");
    put_quoted(f, csv, '\'');
    fprintf(f, "\ntitle = ");
    put_quoted(f, title, '\'');
    fprintf(f, "\nset datafile separator ','\nset key autotitle columnhead\nset grid\nset title title\n%s\n", script);
    if (fclose(f) != 0) {
        bench_fmt(why, sizeof(why), "cannot write %s", gp);
        goto done;
    }
    const char *argv[] = {"gnuplot", gp, NULL};
    int rc = bench_cmd(argv, out, sizeof(out), PLOT_TIMEOUT_MS);
    struct stat st;
    if (rc == 127 || rc < 0)
        bench_fmt(why, sizeof(why), "gnuplot is not installed (scripts/setup installs gnuplot-nox)");
    else if (rc != 0 || stat(png, &st) != 0 || st.st_size == 0)
        bench_fmt(why, sizeof(why), "gnuplot failed (status %d): %s", rc, cmd_first_line(out + strspn(out, " \n")));
    else
        drawn = 1;
done:
    if (drawn) {
        remember(r, png);
        if (note && notelen)
            bench_fmt(note, notelen, "%s", png);
    } else {
        fprintf(stderr, "bench: figure %s skipped: %s\n", name, why);
        if (note && notelen)
            bench_fmt(note, notelen, "skipped: %s", why);
    }
    return drawn;
}

int bench_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int bench_opt_fail(int c, char **argv, int (*bad_usage)(const char *what, const char *arg))
{
    if (c == 0)
        return bad_usage("unexpected argument", argv[optind]);
    return bad_usage(c == ':' ? "this option wants a value" : "unknown option", argv[optind - 1]);
}

/* A comma-separated list of --only names into bits; -1 for an unknown name, an empty or an
 * overlong list. */
static int parse_only(const struct bench_opts *o, const char *list, unsigned *mask)
{
    char buf[256];
    unsigned bits = 0;
    if (snprintf(buf, sizeof(buf), "%s", list) >= (int)sizeof(buf))
        return -1;
    char *save = NULL;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        unsigned b = 0;
        if (o->names) {
            for (int i = 0; i < o->nnames; i++)
                if (strcmp(w, o->names[i]) == 0)
                    b = 1u << i;
        } else if (o->name_bits) {
            b = o->name_bits(w);
        }
        if (!b)
            return -1;
        bits |= b;
    }
    if (!bits)
        return -1;
    *mask |= bits;
    return 0;
}

/* One of the shared options, or getopt's ':' (no value) or '?' (unknown): 0 when taken, else
 * the complaint's status (2). */
static int common_opt(int c, char **argv, struct bench_opts *o)
{
    long v;
    switch (c) {
    case BENCH_OPT_OUT:
        if (!*optarg)
            return o->bad_usage(o->out_what ? o->out_what : "--out wants a directory", optarg);
        o->out = optarg;
        return 0;
    case BENCH_OPT_ONLY: return parse_only(o, optarg, &o->only) < 0 ? o->bad_usage(o->only_what, optarg) : 0;
    case BENCH_OPT_QUICK: o->quick = 1; return 0;
    case BENCH_OPT_RUNS:
        if (bench_parse_long(optarg, 1, BENCH_RUNS_MAX, &v) < 0)
            return o->bad_usage("--runs wants a count from 1 to 10000", optarg);
        o->runs = (int)v;
        return 0;
    default: return bench_opt_fail(c, argv, o->bad_usage);
    }
}

int bench_next_opt(int argc, char **argv, const struct option *options, struct bench_opts *o, int *status)
{
    int c;
    *status = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
        if (c < BENCH_OPT_OUT && c != ':' && c != '?')
            return c;
        if ((*status = common_opt(c, argv, o)) != 0)
            return -1;
    }
    if (optind < argc)
        *status = bench_opt_fail(0, argv, o->bad_usage);
    return -1;
}

int bench_root(char *root, size_t len)
{
    char exe[PATH_MAX], mk[PATH_MAX + 16];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (slash)
                *slash = '\0';
        }
        bench_fmt(mk, sizeof(mk), "%s/Makefile", exe);
        if (access(mk, F_OK) == 0 && strlen(exe) < len) {
            bench_fmt(root, len, "%s", exe);
            return 0;
        }
    }
    return getcwd(root, len) ? 0 : -1;
}

int bench_unf_path(char *path, size_t len)
{
    return cmd_sibling_path("unf", path, len);
}
