/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench dns` (see bench/dns.h). Each target serves apps/dns/files: the proc unikernel on
 * its tap (unf run); the native build, the same binary in a runc container, and NSD (one server
 * process) in a namespace joined to the host by a veth. dnsperf runs on the host with a mix of positive, negative, CNAME, referral and
 * reverse queries, at rates rising by steps of --seconds each; a target is saturated at the
 * first step where it answers less than 90% of the offered rate or loses more than 1% of the
 * queries. The CPU time the server's processes use during each step gives queries/s per core,
 * which compares targets fairly on a machine the load generator shares. The report is
 * Markdown on stdout and a CSV file in --out (default build/bench/).
 */
#include "dns.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dns_runc.h"
#include "harness.h"
#include "netns.h"
#include "sys.h"

#define NS "unfdnsb"
#define VETH "unfdb0"
#define HOST_IP "10.98.0.1"
#define NS_IP "10.98.0.2"
#define ZONES "apps/dns/files"
#define IMAGE "build/images/dns.unf"
#define NATIVE "build/native/dns"
#define MAX_STEPS 16

enum { T_PROC, T_NATIVE, T_RUNC, T_NSD, T_COUNT };
static const char *const target_names[T_COUNT] = {"proc", "native", "runc", "nsd"};

struct step {
    long rate;          /* offered queries/s; 0: as fast as dnsperf goes */
    double qps, latency_ms, stddev_ms, lost_pct;
    double cpu_pct;     /* CPU time of the server's processes over the step, in % of one core */
    int ok;
};

struct target {
    int selected;
    int nsteps;
    struct step steps[MAX_STEPS];
    double best_qps;    /* highest rate answered before saturation */
    char note[160];
};

struct opts {
    int seconds;
    long max_rate;
    unsigned only;
    const char *out;
};

static char tmpdir[64];

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench dns [--seconds N] [--max-rate QPS] [--only proc,native,runc,nsd] [--out DIR]\n"
               "  run from the source tree after `make`; needs root, dnsperf and nsd\n");
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench dns: %s '%s' (try 'unf bench dns --help')\n", what, arg ? arg : "");
    return 2;
}

static int run(const char *const argv[], long timeout_ms)
{
    return bench_cmd(argv, NULL, 0, timeout_ms);
}

static int net_up(void)
{
    char err[512];
    if (bench_ns_add(NS, err, sizeof(err)) < 0 ||
        bench_veth_host(VETH, HOST_IP "/24", NS, NS_IP "/24", err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench dns: %s\n", err);
        return -1;
    }
    return 0;
}

static void net_down(void)
{
    bench_ns_del(NS);
    bench_link_del(VETH);
}

/* Waits until ip answers a SOA query (dig), up to 20 s. */
static int wait_ready(const char *ip)
{
    char at[40];
    bench_fmt(at, sizeof(at), "@%s", ip);
    const char *dig[] = {"dig", at, "example.com", "SOA", "+time=1", "+tries=1", NULL};
    for (int i = 0; i < 100 && !bench_interrupted; i++) {
        char out[4096];
        if (bench_cmd(dig, out, sizeof(out), 5000) == 0 && strstr(out, "status: NOERROR"))
            return 0;
        bench_sleep_ms(200);
    }
    return -1;
}

static double field(const char *out, const char *label)
{
    const char *p = strstr(out, label);
    return p ? strtod(p + strlen(label), NULL) : -1;
}

static int dnsperf_step(const char *ip, const struct opts *o, struct step *s)
{
    char secs[16], rate[24], qfile[96];
    static char out[65536];
    bench_fmt(secs, sizeof(secs), "%d", o->seconds);
    bench_fmt(rate, sizeof(rate), "%ld", s->rate);
    bench_fmt(qfile, sizeof(qfile), "%s/queries.txt", tmpdir);
    const char *with_rate[] = {"dnsperf", "-s", ip, "-d", qfile, "-l", secs, "-t", "2", "-q", "500", "-O", "suppress=timeout,congestion", "-Q", rate, NULL};
    const char *flat_out[] = {"dnsperf", "-s", ip, "-d", qfile, "-l", secs, "-t", "2", "-q", "500", "-O", "suppress=timeout,congestion", NULL};
    if (bench_cmd(s->rate ? with_rate : flat_out, out, sizeof(out), (o->seconds + 20) * 1000L) != 0)
        return -1;
    double sent = field(out, "Queries sent:"), lost = field(out, "Queries lost:");
    s->qps = field(out, "Queries per second:");
    s->latency_ms = field(out, "Average Latency (s):") * 1000;
    s->stddev_ms = field(out, "Latency StdDev (s):") * 1000;
    s->lost_pct = sent > 0 && lost >= 0 ? 100 * lost / sent : 100;
    s->ok = s->qps >= 0;
    return s->ok ? 0 : -1;
}

/* utime + stime of pid in seconds, or of every process in its process group when group. */
static double cpu_seconds(pid_t pid, int group)
{
    double ticks = 0;
    DIR *d = group ? opendir("/proc") : NULL;
    struct dirent *e = NULL;
    do {
        char path[64], buf[1024];
        if (d) {
            e = readdir(d);
            if (!e)
                break;
            if (e->d_name[0] < '0' || e->d_name[0] > '9')
                continue;
            bench_fmt(path, sizeof(path), "/proc/%s/stat", e->d_name);
        } else {
            bench_fmt(path, sizeof(path), "/proc/%d/stat", (int)pid);
        }
        const char *p = bench_read_file(path, buf, sizeof(buf)) > 0 ? strrchr(buf, ')') : NULL;
        long pgrp = 0;
        unsigned long ut = 0, st = 0;
        /* After the command name: state ppid pgrp session tty tpgid flags minflt cminflt majflt
         * cmajflt utime stime. */
        if (p && sscanf(p + 2, "%*c %*d %ld %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &pgrp, &ut, &st) == 3 &&
            (!d || pgrp == pid))
            ticks += (double)(ut + st);
    } while (d);
    if (d)
        closedir(d);
    return ticks / (double)sysconf(_SC_CLK_TCK);
}

static void sweep(const char *name, const char *ip, pid_t cpu_pid, int group, const struct opts *o,
                  struct target *t)
{
    static const long rates[] = {1000, 2000, 5000, 10000, 20000, 40000, 80000, 160000, 320000};
    for (size_t i = 0; i <= sizeof(rates) / sizeof(rates[0]) && t->nsteps < MAX_STEPS; i++) {
        if (bench_interrupted)
            return;
        long rate = i < sizeof(rates) / sizeof(rates[0]) ? rates[i] : 0;
        if (rate > o->max_rate)
            rate = 0; /* past the cap: one last unpaced step */
        struct step *s = &t->steps[t->nsteps++];
        s->rate = rate;
        double cpu0 = cpu_seconds(cpu_pid, group), t0 = bench_now_ms();
        int rc = dnsperf_step(ip, o, s);
        s->cpu_pct = 100 * (cpu_seconds(cpu_pid, group) - cpu0) / ((bench_now_ms() - t0) / 1000);
        if (rc < 0) {
            bench_fmt(t->note, sizeof(t->note), "dnsperf failed at %ld q/s", rate);
            return;
        }
        fprintf(stderr, "bench dns: %-6s offered %7ld q/s: answered %9.0f q/s, latency %.3f ms, lost %.2f%%, "
                "server CPU %.0f%%\n", name, rate, s->qps, s->latency_ms, s->lost_pct, s->cpu_pct);
        int saturated = rate == 0 || s->qps < 0.9 * (double)rate || s->lost_pct > 1.0;
        if (s->lost_pct <= 1.0 && s->qps > t->best_qps)
            t->best_qps = s->qps;
        if (saturated)
            return;
    }
}

/* ---- setup: query mix, NSD configuration, the zones as a ustar archive --------------------- */

static int write_text(const char *name, const char *text)
{
    char path[128];
    bench_fmt(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}

static int prepare(void)
{
    static const char queries[] =
        "example.com A\nwww.example.com A\nexample.com MX\nnothere.example.com A\n"
        "mail.example.com AAAA\n_sip._tcp.example.com SRV\n1.2.0.192.in-addr.arpa PTR\n"
        "x.sub.example.com A\nmail.example.com TXT\nchain1.example.com A\nexample.com NS\n"
        "ns1.example.com A\nweb.example.com A\nWWW.EXAMPLE.COM A\n25.2.0.192.in-addr.arpa PTR\n";
    char conf[2048];
    bench_fmt(conf, sizeof(conf),
              "server:\n  ip-address: " NS_IP "\n  server-count: 1\n  username: \"\"\n  chroot: \"\"\n"
              "  zonesdir: \"%s\"\n  pidfile: \"%s/nsd.pid\"\n  database: \"\"\n"
              "  zonelistfile: \"%s/zone.list\"\n  xfrdfile: \"%s/xfrd.state\"\n  xfrdir: \"%s\"\n"
              "  logfile: \"%s/nsd.log\"\n  ipv4-edns-size: 1232\n"
              /* Response rate limiting would drop a benchmark's single source at 200 q/s. */
              "  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n"
              "remote-control:\n  control-enable: no\n"
              "zone:\n  name: example.com\n  zonefile: example.com.zone\n"
              "zone:\n  name: 2.0.192.in-addr.arpa\n  zonefile: 2.0.192.in-addr.arpa.zone\n",
              tmpdir, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
    if (write_text("queries.txt", queries) < 0 || write_text("nsd.conf", conf) < 0)
        return -1;
    static const char *const zones[] = {"example.com.zone", "2.0.192.in-addr.arpa.zone"};
    for (int i = 0; i < 2; i++) {
        char src[128], dst[128];
        bench_fmt(src, sizeof(src), ZONES "/%s", zones[i]);
        bench_fmt(dst, sizeof(dst), "%s/%s", tmpdir, zones[i]);
        if (bench_copy_file(src, dst, 0644) < 0)
            return -1;
    }
    char tar[128];
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    const char *mktar[] = {"tar", "--format=ustar", "-cf", tar, "-C", ZONES, ".", NULL};
    return run(mktar, 20000) == 0 ? 0 : -1;
}

/* ---- targets --------------------------------------------------------------------------------- */

static void bench_in_ns(int which, const struct opts *o, struct target *t)
{
    char log[128], conf[128], tar[128];
    bench_fmt(log, sizeof(log), "%s/%s.log", tmpdir, target_names[which]);
    bench_fmt(conf, sizeof(conf), "%s/nsd.conf", tmpdir);
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    const char *native[] = {"ip", "netns", "exec", NS, NATIVE, NULL};
    const char *nsd[] = {"ip", "netns", "exec", NS, "nsd", "-d", "-c", conf, NULL};
    pid_t pid = bench_spawn(which == T_NSD ? nsd : native, NULL, log, which == T_NATIVE ? tar : NULL);
    if (pid < 0 || wait_ready(NS_IP) < 0)
        bench_fmt(t->note, sizeof(t->note), "did not come up (log: %s)", log);
    else
        sweep(target_names[which], NS_IP, pid, 1, o, t);
    bench_stop(pid, 3000);
}

static void bench_runc(const struct opts *o, struct target *t)
{
    char bundle[128], tar[128], log[128], id[32], err[256];
    bench_fmt(bundle, sizeof(bundle), "%s/bundle", tmpdir);
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    bench_fmt(log, sizeof(log), "%s/runc.log", tmpdir);
    bench_fmt(id, sizeof(id), "unfdnsbench%d", (int)getpid());
    if (bench_dns_runc_bundle(bundle, NATIVE, tar, "/var/run/netns/" NS, err, sizeof(err)) < 0) {
        bench_fmt(t->note, sizeof(t->note), "bundle: %s", err);
        return;
    }
    const char *start[] = {"runc", "run", "--bundle", bundle, id, NULL};
    const char *kill_[] = {"runc", "kill", id, "KILL", NULL};
    const char *del[] = {"runc", "delete", "-f", id, NULL};
    const char *state[] = {"runc", "state", id, NULL};
    pid_t pid = bench_spawn(start, NULL, log, NULL);
    char out[4096] = "";
    if (pid < 0 || wait_ready(NS_IP) < 0 || bench_cmd(state, out, sizeof(out), 10000) != 0) {
        bench_fmt(t->note, sizeof(t->note), "did not come up (log: %s)", log);
    } else {
        const char *p = strstr(out, "\"pid\":");
        sweep("runc", NS_IP, p ? (pid_t)strtol(p + 6, NULL, 10) : 0, 0, o, t);
    }
    run(kill_, 10000);
    run(del, 10000);
    bench_stop(pid, 3000);
}

static void bench_proc(const struct opts *o, struct target *t)
{
    char name[32], out[8192];
    bench_fmt(name, sizeof(name), "unfdnsbench%d", (int)getpid());
    char unf[PATH_MAX];
    if (bench_unf_path(unf, sizeof(unf)) < 0)
        bench_fmt(unf, sizeof(unf), "build/bin/unf");
    const char *start[] = {unf, "run", "-d", "--name", name, "--platform", "proc", IMAGE, NULL};
    const char *inspect[] = {unf, "inspect", name, NULL};
    const char *rm[] = {unf, "rm", "-f", name, NULL};
    char ip[32] = "";
    pid_t guest = 0;
    if (bench_cmd(start, out, sizeof(out), 30000) == 0 && bench_cmd(inspect, out, sizeof(out), 15000) == 0) {
        const char *p = strstr(out, "\"ip\"");
        if (p && (p = strchr(p + 4, '"')) != NULL)
            sscanf(p + 1, "%31[0-9.]", ip);
        /* The tender process runs the guest: its CPU time is the unikernel's. */
        if ((p = strstr(out, "\"guest_pid\":")) != NULL)
            guest = (pid_t)strtol(p + 12, NULL, 10);
    }
    if (!ip[0] || wait_ready(ip) < 0)
        bench_fmt(t->note, sizeof(t->note), "did not come up: %.120s", bench_chomp(out));
    else
        sweep("proc", ip, guest, 0, o, t);
    run(rm, 30000);
}

/* ---- report ---------------------------------------------------------------------------------- */

static const struct step *first_step(const struct target *t)
{
    for (int k = 0; k < t->nsteps; k++)
        if (t->steps[k].ok)
            return &t->steps[k];
    return NULL;
}

/* Targets: no collapse at low load (the CETIC study saw unikernel DNS servers fall over at a few
 * hundred q/s) and the unikernel within 2x of NSD, the reference authoritative server. */
static void print_targets(FILE *f, const struct target *t)
{
    const struct target *p = &t[T_PROC], *nsd = &t[T_NSD];
    const struct step *low = p->selected ? first_step(p) : NULL;
    char m[200] = "-";
    fprintf(f, "\n| target | measured | verdict |\n|---|---|---|\n");
    if (low)
        bench_fmt(m, sizeof(m), "offered %ld q/s: answered %.0f, lost %.2f%%", low->rate, low->qps, low->lost_pct);
    fprintf(f, "| proc answers the lowest step (no collapse at low load): >= 90%% answered, <= 1%% lost | %s | %s |\n",
            m, bench_verdict(low && low->rate > 0, low && low->qps >= 0.9 * (double)low->rate && low->lost_pct <= 1.0,
                             p->selected ? "proc gave no step" : "proc not selected (--only)"));
    int both = p->selected && nsd->selected && p->best_qps > 0 && nsd->best_qps > 0;
    bench_fmt(m, sizeof(m), "-");
    if (both)
        bench_fmt(m, sizeof(m), "proc %.0f vs nsd %.0f q/s", p->best_qps, nsd->best_qps);
    fprintf(f, "| proc best q/s within 2x of NSD | %s | %s |\n", m,
            bench_verdict(both, both && p->best_qps * 2 >= nsd->best_qps, "proc or nsd not measured (--only, or a failure)"));
}

static void report_md(FILE *f, const struct target *t, const struct opts *o, const struct bench_run *run)
{
    fprintf(f, "# unf bench dns\n\n- Date: %s.\n", run->date);
    bench_machine_md(f, run);
    fprintf(f, "\ndnsperf on the host, %d s per step, rate rising until a target answers "
               "< 90%% of the offered rate or loses > 1%% (offered 0 = unpaced). Server CPU: user + system time of "
               "the server's processes over the step (kernel softirq packet work not included); q/s per core = "
               "answered / that CPU.\n\n"
               "| target | offered q/s | answered q/s | avg latency ms | stddev ms | lost %% | server CPU %% | q/s per core |\n"
               "|---|---|---|---|---|---|---|---|\n",
            o->seconds);
    for (int i = 0; i < T_COUNT; i++) {
        for (int k = 0; t[i].selected && k < t[i].nsteps; k++) {
            const struct step *s = &t[i].steps[k];
            if (!s->ok)
                continue;
            double per_core = s->cpu_pct > 1 ? s->qps * 100 / s->cpu_pct : 0;
            fprintf(f, "| %s | %ld | %.0f | %.3f | %.3f | %.2f | %.0f | %.0f |\n", target_names[i], s->rate, s->qps,
                    s->latency_ms, s->stddev_ms, s->lost_pct, s->cpu_pct, per_core);
        }
    }
    fprintf(f, "\n| target | best answered q/s (loss <= 1%%) | note |\n|---|---|---|\n");
    for (int i = 0; i < T_COUNT; i++)
        if (t[i].selected)
            fprintf(f, "| %s | %.0f | %s |\n", target_names[i], t[i].best_qps, t[i].note);
    print_targets(f, t);
}

static int write_csv(struct bench_run *run, const struct target *t, char *path, size_t len)
{
    FILE *f = bench_run_open(run, ".csv", path, len);
    if (!f)
        return -1;
    fprintf(f, "target,offered_qps,answered_qps,avg_latency_ms,stddev_ms,lost_pct,server_cpu_pct,qps_per_core\n");
    for (int i = 0; i < T_COUNT; i++) {
        for (int k = 0; t[i].selected && k < t[i].nsteps; k++) {
            const struct step *s = &t[i].steps[k];
            if (!s->ok)
                continue;
            double per_core = s->cpu_pct > 1 ? s->qps * 100 / s->cpu_pct : 0;
            fprintf(f, "%s,%ld,%.0f,%.3f,%.3f,%.2f,%.0f,%.0f\n", target_names[i], s->rate, s->qps, s->latency_ms,
                    s->stddev_ms, s->lost_pct, s->cpu_pct, per_core);
        }
    }
    return bench_run_close(run, f, path);
}

static int write_files(struct bench_run *run, const struct target *t, const struct opts *o)
{
    char md[PATH_MAX], csv[PATH_MAX];
    FILE *f = bench_run_open(run, ".md", md, sizeof(md));
    if (!f)
        return -1;
    report_md(f, t, o, run);
    if (bench_run_close(run, f, md) < 0 || write_csv(run, t, csv, sizeof(csv)) < 0)
        return -1;
    /* Offered 0 is the unpaced last step: drawn at the rate it answered. */
    bench_plot(run, "qps", csv, "unf bench dns: answered q/s vs offered load",
               "set logscale xy\nset xlabel 'offered q/s (unpaced step: at its answered rate)'\n"
               "set ylabel 'answered q/s'\nset key top left\nnames = 'proc native runc nsd'\n"
               "plot for [i=1:words(names)] csv using (strcol(1) eq word(names, i) ? ($2 > 0 ? $2 : $3) : NaN):3 "
               "title word(names, i) with linespoints lw 2 pt 7, x title 'answered = offered' dt 2 lc rgb 'gray'\n",
               NULL, 0);
    bench_run_end(run);
    return 0;
}

static int parse_only(const char *list, unsigned *mask)
{
    char buf[64];
    bench_fmt(buf, sizeof(buf), "%s", list);
    char *save = NULL;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        int found = 0;
        for (int i = 0; i < T_COUNT; i++)
            if (strcmp(w, target_names[i]) == 0) {
                *mask |= 1u << i;
                found = 1;
            }
        if (!found)
            return -1;
    }
    return *mask ? 0 : -1;
}

int bench_dns_main(int argc, char **argv)
{
    struct opts o = {.seconds = 3, .max_rate = 320000, .only = 0, .out = BENCH_OUT_DEFAULT};
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},          {"seconds", required_argument, NULL, 's'},
        {"max-rate", required_argument, NULL, 'r'}, {"only", required_argument, NULL, 'o'},
        {"out", required_argument, NULL, 'd'},      {NULL, 0, NULL, 0},
    };
    long v;
    int c;
    opterr = 0; /* our own one-line messages */
    while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case 's':
            if (bench_parse_long(optarg, 1, 600, &v) < 0)
                return bad_usage("--seconds wants 1..600, got", optarg);
            o.seconds = (int)v;
            break;
        case 'r':
            if (bench_parse_long(optarg, 100, LONG_MAX, &o.max_rate) < 0)
                return bad_usage("--max-rate wants queries/s >= 100, got", optarg);
            break;
        case 'o':
            if (parse_only(optarg, &o.only) < 0)
                return bad_usage("--only wants targets from proc,native,runc,nsd, got", optarg);
            break;
        case 'd':
            if (!*optarg)
                return bad_usage("--out wants a directory, got", optarg);
            o.out = optarg;
            break;
        default: return bench_opt_fail(c, argv, bad_usage);
        }
    }
    if (optind < argc)
        return bench_opt_fail(0, argv, bad_usage);
    if (!o.only)
        o.only = (1u << T_COUNT) - 1;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench dns: needs root (namespaces, unikernel taps)\n");
        return 1;
    }
    const char *need[] = {IMAGE, NATIVE, ZONES "/example.com.zone"};
    for (size_t i = 0; i < 3; i++)
        if (access(need[i], R_OK) != 0) {
            fprintf(stderr, "unf bench dns: %s missing (run from the source tree after make)\n", need[i]);
            return 1;
        }
    const char *probe[] = {"dnsperf", "-h", NULL};
    if (bench_cmd(probe, NULL, 0, 5000) == -1 || access("/usr/sbin/nsd", X_OK) != 0) {
        fprintf(stderr, "unf bench dns: dnsperf and nsd are needed (scripts/setup installs them)\n");
        return 1;
    }
    if (bench_sys_signals() < 0)
        return 1;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/unf-bench-dns-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "unf bench dns: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    struct target t[T_COUNT];
    memset(t, 0, sizeof(t));
    static struct bench_run run;
    if (bench_run_begin(&run, "dns", o.out) < 0) {
        bench_rm_rf(tmpdir);
        return 1;
    }
    int rc = 0;
    net_down(); /* leftovers of a killed run */
    if (prepare() < 0 || net_up() < 0) {
        fprintf(stderr, "unf bench dns: could not prepare files and the namespace in %s\n", tmpdir);
        rc = 1;
    } else {
        for (int i = 0; i < T_COUNT && !bench_interrupted; i++) {
            t[i].selected = (o.only >> i) & 1;
            if (!t[i].selected)
                continue;
            if (i == T_PROC)
                bench_proc(&o, &t[i]);
            else if (i == T_RUNC)
                bench_runc(&o, &t[i]);
            else
                bench_in_ns(i, &o, &t[i]);
        }
        report_md(stdout, t, &o, &run);
        fflush(stdout);
        if (write_files(&run, t, &o) < 0)
            rc = 1;
    }
    net_down();
    bench_rm_rf(tmpdir);
    if (bench_interrupted) {
        fprintf(stderr, "unf bench dns: interrupted; cleaned up\n");
        rc = 1;
    }
    return rc;
}
