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
#include <unistd.h>

#include "sys.h"

#define RUN_TIMEOUT_MS 120000
#define MAX_TARGETS 250
#define TARGET_LEN 16

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

/* Writes targets.txt into a ustar archive for the unikernels. */
static int make_archive(struct rate_ctx *x)
{
    char dir[PATH_MAX], file[PATH_MAX + 16];
    bench_fmt(dir, sizeof(dir), "%s/targets", PENV_WORK);
    bench_fmt(file, sizeof(file), "%s/targets.txt", dir);
    bench_fmt(x->archive, sizeof(x->archive), "%s/targets.tar", PENV_WORK);
    if (bench_mkdir_p(dir, 0755) < 0)
        return -1;
    FILE *f = fopen(file, "w");
    if (!f)
        return -1;
    for (int i = 0; i < x->ntargets; i++)
        fprintf(f, "%s\n", x->targets[i]);
    if (fclose(f) != 0)
        return -1;
    const char *tar[] = {"tar", "--format=ustar", "-cf", x->archive, "-C", dir, "targets.txt", NULL};
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

int prate_run(struct penv *e, int quick, const int active[PV_COUNT], struct prate_result *r)
{
    static const int full_rates[] = {500, 2000, 10000};
    struct rate_ctx *x = calloc(1, sizeof(*x));
    if (!x)
        return -1;
    x->e = e;
    x->ntargets = quick ? 20 : MAX_TARGETS;
    for (int i = 0; i < x->ntargets; i++)
        bench_fmt(x->targets[i], TARGET_LEN, "%s%d", PENV_FAR_PREFIX, (i + 1) % 256);
    r->ntargets = x->ntargets;
    r->nrates = quick ? 1 : 3;
    for (int i = 0; i < r->nrates; i++)
        r->rates[i] = quick ? 1000 : full_rates[i];
    int archive_ok = make_archive(x) == 0 && penv_taps(e, 1) >= 1;
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
    free(x);
    return 0;
}
