/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The probing-rate experiment (see probe_rate.h). Every prober traces the same destinations
 * (10.94.0.x, answered by the last namespace) through the same path with the same settings; the
 * probe reads them from its command line natively and from a file of its archive as a unikernel.
 * The probes sent and the prober's own elapsed time come from the probe's summary line on stderr
 * and from scamper's JSON (first trace start to the last reply), next to the wall time.
 */
#include "probe_rate.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "harness.h"
#include "sys.h"

#define RUN_TIMEOUT_MS 120000
#define MAX_TARGETS 250
#define TARGET_LEN 16
#define SUSTAIN_PPS 10000
#define SUSTAIN_TARGETS 64
#define SUSTAIN_CONC 64

static const char *const trace_opts[] = {"trace", "-q", "1", "-w", "1", "-m", "8", NULL};

/* The number just before marker in s ("1234 probes sent"); -1 when absent. */
static double num_before(const char *s, const char *marker)
{
    const char *m = strstr(s, marker);
    if (!m)
        return -1;
    const char *p = m;
    while (p > s && p[-1] == ' ')
        p--;
    while (p > s && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return p < m && *p >= '0' && *p <= '9' ? strtod(p, NULL) : -1;
}

static int parse_probe_summary(const char *log, struct prate_cell *c)
{
    static char buf[1 << 20];
    if (bench_read_file(log, buf, sizeof(buf)) <= 0)
        return -1;
    const char *line = strstr(buf, "probe: ");
    while (line && !strstr(line, "probes sent"))
        line = strstr(line + 1, "probe: ");
    if (!line)
        return -1;
    double sent = num_before(line, " probes sent"), ms = num_before(line, " ms,");
    if (sent < 0 || ms < 0)
        return -1;
    c->sent = (long)sent;
    c->own_ms = ms;
    return 0;
}

/* scamper's JSON: probes = sum of probe_count; own time = first trace start to the last reply. */
static int parse_scamper(const char *path, struct prate_cell *c)
{
    FILE *f = fopen(path, "r");
    char line[65536];
    double first = 0, last = 0;
    if (!f)
        return -1;
    c->sent = 0;
    while (fgets(line, sizeof(line), f)) {
        json_error_t jerr;
        json_t *j = json_loads(line, 0, &jerr);
        json_t *type = j ? json_object_get(j, "type") : NULL;
        if (json_is_string(type) && strcmp(json_string_value(type), "trace") == 0) {
            json_t *start = json_object_get(j, "start"), *hops = json_object_get(j, "hops");
            c->sent += (long)json_integer_value(json_object_get(j, "probe_count"));
            double t = json_integer_value(json_object_get(start, "sec")) * 1e3 +
                       json_integer_value(json_object_get(start, "usec")) / 1e3;
            if (first == 0 || t < first)
                first = t;
            size_t i;
            json_t *hop;
            json_array_foreach(hops, i, hop) {
                json_t *tx = json_object_get(hop, "tx");
                double end = json_integer_value(json_object_get(tx, "sec")) * 1e3 +
                             json_integer_value(json_object_get(tx, "usec")) / 1e3 +
                             json_number_value(json_object_get(hop, "rtt"));
                if (end > last)
                    last = end;
            }
        }
        json_decref(j);
    }
    fclose(f);
    c->own_ms = last > first ? last - first : 0;
    return c->sent > 0 ? 0 : -1;
}

struct rate_ctx {
    struct penv *e;
    int ntargets;
    char targets[MAX_TARGETS][TARGET_LEN];
    char archive[PATH_MAX + 32];
};

/* Writes NAME.txt (the first n targets) into the ustar archive PENV_WORK/NAME.tar for the
 * unikernels; archive gets its path. */
static int make_archive(struct rate_ctx *x, const char *name, int n, char *archive, size_t len)
{
    char dir[PATH_MAX], file[PATH_MAX + 16], txt[64];
    bench_fmt(dir, sizeof(dir), "%s/targets", PENV_WORK);
    bench_fmt(txt, sizeof(txt), "%s.txt", name);
    bench_fmt(file, sizeof(file), "%s/%s", dir, txt);
    bench_fmt(archive, len, "%s/%s.tar", PENV_WORK, name);
    if (bench_mkdir_p(dir, 0755) < 0)
        return -1;
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    for (int i = 0; i < n; i++)
        fprintf(f, "%s\n", x->targets[i]);
    if (fclose(f) != 0)
        return -1;
    const char *tar[] = {"tar", "--format=ustar", "-cf", archive, "-C", dir, txt, NULL};
    return bench_cmd(tar, NULL, 0, 15000) == 0 ? 0 : -1;
}

static void one(struct rate_ctx *x, int row, int pps, struct prate_cell *c)
{
    struct penv *e = x->e;
    const char *argv[MAX_TARGETS + 40];
    char rate[16], log[PATH_MAX + 32], out[PATH_MAX + 32], buf[4096], dir[PATH_MAX + 32], rootfs[PATH_MAX + 16];
    const char *ns = PENV_NS_CT;
    int n = 0, st;

    c->run = 1;
    snprintf(rate, sizeof(rate), "%d", pps);
    bench_fmt(log, sizeof(log), "%s/rate-%d-%d.log", e->logs, row, pps);
    bench_fmt(out, sizeof(out), "%s/rate-scamper-%d.json", e->logs, pps);
    if (row == PRATE_SCAMPER) {
        const char *a[] = {e->scamper, "-p", rate, "-w", "32", "-O", "json", "-o", out, "-c",
                           "trace -P icmp-paris -q 1 -w 1 -m 8", "-i", NULL};
        for (; a[n]; n++)
            argv[n] = a[n];
    } else if (row == PV_NATIVE || row == PV_RUNC) {
        argv[n++] = row == PV_NATIVE ? e->native : "/probe";
        argv[n++] = "--pps";
        argv[n++] = rate;
        argv[n++] = "-C";
        argv[n++] = "32";
        for (int i = 0; trace_opts[i]; i++)
            argv[n++] = trace_opts[i];
    }
    if (row == PRATE_SCAMPER || row == PV_NATIVE || row == PV_RUNC) {
        for (int i = 0; i < x->ntargets; i++)
            argv[n++] = x->targets[i];
        argv[n] = NULL;
    }
    if (row == PV_RUNC) {
        char id[32];
        bench_fmt(id, sizeof(id), "unfbp-%d-r%u", (int)getpid(), e->seq++); /* unique per run */
        bench_fmt(dir, sizeof(dir), "%s/rate/%s", PENV_WORK, id);
        bench_fmt(rootfs, sizeof(rootfs), "%s/rootfs", e->bundle);
        if (penv_runc_config(e, dir, rootfs, argv, NULL) < 0) {
            bench_fmt(c->why, sizeof(c->why), "cannot write the container config");
            return;
        }
        const char *run[] = {e->runc, "--root", e->runc_root, "run", "--bundle", dir, id, NULL};
        memcpy(argv, run, sizeof(run));
        ns = NULL;
    } else if (row == PV_PROC || row == PV_QEMU) {
        const char *args[] = {"--pps", rate, "-C", "32", "-F", "targets.txt", "trace", "-q", "1", "-w", "1", "-m", "8", NULL};
        if (penv_uk_argv(e, row, 0, NULL, x->archive, args, argv, MAX_TARGETS + 40, buf, sizeof(buf)) < 0) {
            bench_fmt(c->why, sizeof(c->why), "internal: command line too long");
            return;
        }
        ns = PENV_NS_SRC;
    }
    double t0 = bench_now_ms();
    st = penv_run(argv, ns, 0, log, RUN_TIMEOUT_MS);
    c->wall_ms = bench_now_ms() - t0;
    int ok_status = row == PRATE_SCAMPER ? st == 0 : penv_ok_status(row, st);
    if (!ok_status) {
        bench_fmt(c->why, sizeof(c->why), st < 0 ? "timed out" : "exit status %d", st);
        return;
    }
    if ((row == PRATE_SCAMPER ? parse_scamper(out, c) : parse_probe_summary(log, c)) < 0) {
        bench_fmt(c->why, sizeof(c->why), "no probe count in the output");
        return;
    }
    c->ok = 1;
    fprintf(stderr, "bench: rate %5d pps %-18s %6ld probes, own %.0f ms, wall %.0f ms\n", pps,
            row == PRATE_SCAMPER ? "scamper" : penv_name(e, row), c->sent, c->own_ms, c->wall_ms);
}

/* Copies the line starting at p (without its newline) into out. */
static void line_copy(const char *p, char *out, size_t len)
{
    size_t n = strcspn(p, "\n");
    if (n >= len)
        n = len - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

/* The destination's ICMP counters (its /proc/net/snmp: the "Icmp:" names line, then values). */
static int dst_icmp(long *in_echos, long *out_reps)
{
    char out[8192] = "", names[2048], values[2048];
    const char *argv[] = {"ip", "netns", "exec", "unfbp-dst", "cat", "/proc/net/snmp", NULL};
    if (bench_cmd(argv, out, sizeof(out), 5000) != 0)
        return -1;
    const char *n0 = strstr(out, "Icmp: "), *v0 = n0 ? strstr(n0 + 1, "Icmp: ") : NULL;
    if (!n0 || !v0)
        return -1;
    line_copy(n0, names, sizeof(names));
    line_copy(v0, values, sizeof(values));
    *in_echos = *out_reps = -1;
    char *sn = NULL, *sv = NULL;
    char *n = strtok_r(names, " ", &sn), *v = strtok_r(values, " ", &sv);
    for (; n && v; n = strtok_r(NULL, " ", &sn), v = strtok_r(NULL, " ", &sv)) {
        if (strcmp(n, "InEchos") == 0)
            *in_echos = strtol(v, NULL, 10);
        else if (strcmp(n, "OutEchoReps") == 0)
            *out_reps = strtol(v, NULL, 10);
    }
    return *in_echos >= 0 && *out_reps >= 0 ? 0 : -1;
}

/* The counts of the probe's summary line "N probes sent, N replies (N matched, N late, N
 * unmatched) ... N ms". */
static int parse_counts(const char *log, struct prate_sustained *s)
{
    static char buf[1 << 14];
    FILE *f = fopen(log, "r"); /* the summary is at the end, after the pings' JSON: read the tail */
    if (!f)
        return -1;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    size_t got = size >= 0 && fseek(f, size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1 : 0, SEEK_SET) == 0
                     ? fread(buf, 1, sizeof(buf) - 1, f)
                     : 0;
    fclose(f);
    buf[got] = '\0';
    const char *line = strstr(buf, "probes sent");
    if (!line)
        return -1;
    while (line > buf && line[-1] != '\n')
        line--;
    double v[6] = {num_before(line, " probes sent"), num_before(line, " replies"), num_before(line, " matched"),
                   num_before(line, " late"), num_before(line, " unmatched"), num_before(line, " ms,")};
    for (int i = 0; i < 6; i++)
        if (v[i] < 0)
            return -1;
    s->sent = (long)v[0], s->replies = (long)v[1], s->matched = (long)v[2];
    s->late = (long)v[3], s->unmatched = (long)v[4], s->own_ms = v[5];
    return 0;
}

static double children_cpu(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) < 0)
        return -1;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The proc probe pings SUSTAIN_TARGETS destinations, SUSTAIN_CONC at once (stop and wait per
 * destination), capped at SUSTAIN_PPS by its token bucket, for quick ? 5 : 10 seconds of load. */
static void sustained(struct rate_ctx *x, int quick, struct prate_sustained *s)
{
    struct penv *e = x->e;
    char archive[PATH_MAX + 32], log[PATH_MAX + 32], rate[16], count[16], conc[16], buf[4096];
    const char *argv[64];
    long in0, out0, in1, out1;
    s->pps = SUSTAIN_PPS;
    s->seconds = quick ? 5 : 10;
    s->ntargets = SUSTAIN_TARGETS;
    s->count = s->pps * s->seconds / s->ntargets;
    snprintf(rate, sizeof(rate), "%d", s->pps);
    snprintf(count, sizeof(count), "%d", s->count);
    snprintf(conc, sizeof(conc), "%d", SUSTAIN_CONC);
    bench_fmt(log, sizeof(log), "%s/rate-sustained.log", e->logs);
    const char *args[] = {"--pps", rate, "-C", conc, "-F", "ping.txt", "ping", "-c", count, "-w", "1", NULL};
    if (make_archive(x, "ping", s->ntargets, archive, sizeof(archive)) < 0 ||
        penv_uk_argv(e, PV_PROC, 0, NULL, archive, args, argv, 64, buf, sizeof(buf)) < 0) {
        bench_fmt(s->why, sizeof(s->why), "cannot write the targets archive or the command line");
        return;
    }
    if (dst_icmp(&in0, &out0) < 0) {
        bench_fmt(s->why, sizeof(s->why), "cannot read the destination's ICMP counters");
        return;
    }
    double cpu0 = children_cpu(), t0 = bench_now_ms();
    int st = penv_run(argv, PENV_NS_SRC, 0, log, (s->seconds + 30) * 1000L);
    s->wall_ms = bench_now_ms() - t0;
    s->cpu_s = children_cpu() - cpu0;
    if (!penv_ok_status(PV_PROC, st)) {
        bench_fmt(s->why, sizeof(s->why), st < 0 ? "timed out" : "exit status %d (log %s)", st, log);
        return;
    }
    if (parse_counts(log, s) < 0 || dst_icmp(&in1, &out1) < 0) {
        bench_fmt(s->why, sizeof(s->why), "no summary line in %s, or no destination counters", log);
        return;
    }
    s->dst_in_echos = in1 - in0;
    s->dst_out_reps = out1 - out0;
    s->ok = 1;
    fprintf(stderr, "bench: rate sustained %d pps proc: %ld sent, %ld matched, destination %ld echo requests in, "
                    "%ld replies out, own %.0f ms\n",
            s->pps, s->sent, s->matched, s->dst_in_echos, s->dst_out_reps, s->own_ms);
}

int prate_run(struct penv *e, int quick, const int active[PV_COUNT], struct prate_result *r)
{
    static const int full_rates[] = {500, 2000, 10000};
    struct rate_ctx *x = calloc(1, sizeof(*x));
    if (!x)
        return -1;
    x->e = e;
    x->ntargets = quick ? 20 : MAX_TARGETS;
    for (int i = 0; i < MAX_TARGETS; i++) /* all: the sustained run takes SUSTAIN_TARGETS of them */
        bench_fmt(x->targets[i], TARGET_LEN, "%s%d", PENV_FAR_PREFIX, (i + 1) % 256);
    r->ntargets = x->ntargets;
    r->nrates = quick ? 1 : 3;
    for (int i = 0; i < r->nrates; i++)
        r->rates[i] = quick ? 1000 : full_rates[i];
    int archive_ok = make_archive(x, "targets", x->ntargets, x->archive, sizeof(x->archive)) == 0 &&
                     penv_taps(e, 1) >= 1;
    for (int i = 0; i < r->nrates && !bench_interrupted; i++) {
        for (int row = 0; row < PRATE_ROWS && !bench_interrupted; row++) {
            struct prate_cell *c = &r->cells[i][row];
            if (row == PRATE_SCAMPER ? !e->scamper[0] : !active[row])
                continue;
            if ((row == PV_PROC || row == PV_QEMU) && !archive_ok) {
                c->run = 1;
                bench_fmt(c->why, sizeof(c->why), "no targets archive or tap");
                continue;
            }
            one(x, row, r->rates[i], c);
        }
    }
    if (active[PV_PROC] && !bench_interrupted) {
        if (archive_ok)
            sustained(x, quick, &r->sustained);
        else
            bench_fmt(r->sustained.why, sizeof(r->sustained.why), "no targets archive or tap");
        r->sustained.run = 1;
    }
    free(x);
    return 0;
}

void prate_print_sustained(FILE *f, const struct prate_result *r)
{
    const struct prate_sustained *s = &r->sustained;
    if (!s->run)
        return;
    fprintf(f, "\n### Sustained 10k pps (proc)\n\n");
    if (!s->ok) {
        fprintf(f, "Not measured: %s.\n", s->why);
        return;
    }
    double pps = s->own_ms > 0 ? (double)s->sent * 1000.0 / s->own_ms : 0;
    long lost = s->sent - s->matched;
    double matched_pct = s->dst_out_reps > 0 ? 100.0 * (double)s->matched / (double)s->dst_out_reps : 0;
    fprintf(f, "The proc probe pings %d destinations (10.94.0.1-%d, answered by the last namespace) %d times "
               "each, %d at once, with --pps %d: `probe --pps %d -C %d -F ping.txt ping -c %d -w 1`. The "
               "destination's own counters (/proc/net/snmp of its namespace) say what arrived and what it "
               "answered.\n\n",
            s->ntargets, s->ntargets, s->count, SUSTAIN_CONC, s->pps, s->pps, SUSTAIN_CONC, s->count);
    fprintf(f, "| probes sent | own ms | own pps | echo requests at the destination | replies it sent | replies "
               "received | matched | late | unmatched | tender CPU us/probe |\n|---:|---:|---:|---:|---:|---:|---:|---:|"
               "---:|---:|\n");
    fprintf(f, "| %ld | %.0f | %.0f | %ld | %ld | %ld | %ld | %ld | %ld | %.2f |\n\n", s->sent, s->own_ms, pps,
            s->dst_in_echos, s->dst_out_reps, s->replies, s->matched, s->late, s->unmatched,
            s->sent > 0 ? 1e6 * s->cpu_s / (double)s->sent : 0.0);
    fprintf(f, "| target | measured | verdict |\n|---|---|---|\n");
    fprintf(f, "| sustained %d pps from one core (own pps, start and last replies included, >= 95%% of it) | "
               "%.0f pps over %.1f s | %s |\n",
            s->pps, pps, s->own_ms / 1000.0, bench_verdict(1, pps >= 0.95 * s->pps, NULL));
    fprintf(f, "| no loss (every probe reached the destination and its reply came back) | %ld sent, %ld arrived, "
               "%ld lost | %s |\n",
            s->sent, s->dst_in_echos, lost, bench_verdict(1, lost == 0 && s->dst_in_echos == s->sent, NULL));
    fprintf(f, "| matched replies 100%% (of the replies the destination sent) | %ld / %ld = %.2f%% | %s |\n",
            s->matched, s->dst_out_reps, matched_pct,
            bench_verdict(1, s->dst_out_reps > 0 && s->matched == s->dst_out_reps, NULL));
}

void prate_csv_sustained(FILE *f, const struct prate_result *r)
{
    const struct prate_sustained *s = &r->sustained;
    if (!s->run || !s->ok)
        return;
    fprintf(f, "rate-sustained,proc,limit %d,%.1f,own pps\n", s->pps, s->own_ms > 0 ? s->sent * 1000.0 / s->own_ms : 0);
    fprintf(f, "rate-sustained,proc,limit %d,%ld,probes sent\n", s->pps, s->sent);
    fprintf(f, "rate-sustained,proc,limit %d,%ld,destination echo requests\n", s->pps, s->dst_in_echos);
    fprintf(f, "rate-sustained,proc,limit %d,%ld,destination echo replies\n", s->pps, s->dst_out_reps);
    fprintf(f, "rate-sustained,proc,limit %d,%ld,matched\n", s->pps, s->matched);
}
