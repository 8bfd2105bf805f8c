/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench dns` (see bench/dns.h). Every target serves apps/dns/files at the same time: the
 * proc unikernel on its tap (unf run, behind the runtime's bridge), the same kernel under the
 * proc tender on a bare tap of the host (proc-tap: the platform's packet path without the
 * bridge), and, in a namespace joined to the host by a veth, the native build, the same binary
 * in a runc container, and NSD (one server process), each on a port of its own. dnsperf sends
 * a mix of positive, negative, CNAME, referral and reverse queries (or, with --names N, N distinct
 * names of a generated zone every target serves, so the dns app's response cache misses) at a
 * fixed set of offered rates below saturation, --seconds per step, in rounds that interleave the
 * targets (drift on a shared machine spreads over all of them). Server and load generator are
 * pinned to different cores when there are two. The figure of merit is the server's CPU time
 * (user + system of its processes, from /proc/PID/stat) per answered query: it holds even when
 * the client is the bottleneck. The report is Markdown on stdout plus CSV files and figures in
 * --out (default build/bench/).
 */
#include "dns.h"
#include "dns_names.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dns_runc.h"
#include "harness.h"
#include "netns.h"
#include "stats.h"
#include "sys.h"

#define NS "unfdnsb"
#define VETH "unfdb0"
#define HOST_IP "10.98.0.1"
#define NS_IP "10.98.0.2"
#define ZONES "apps/dns/files"
#define IMAGE "build/images/dns.unf"
#define NATIVE "build/native/dns"
#define KERNEL_DIR "build/kernels/dns"
#define KERNEL KERNEL_DIR "/x86_64-proc"
#define TENDER "build/bin/unf-proc"
/* proc-tap: the same kernel under the proc tender on a tap of the host with no bridge, so the
 * runtime's bridge (and br_netfilter, when loaded) is out of its packet path. */
#define TAP "unfdbt0"
#define TAP_HOST_IP "10.98.1.1"
#define TAP_GUEST_IP "10.98.1.2"
/* --ipv6: the same links with unique local addresses (the runtime gives instances none yet). */
#define HOST_IP6 "fd00:756e:68::1"
#define NS_IP6 "fd00:756e:68::2"
#define TAP_HOST_IP6 "fd00:756e:69::1"
#define TAP_GUEST_IP6 "fd00:756e:69::2"
/* --names: the generated zone, and the guest memory it needs. Loaded, the zone costs ~150 bytes
 * a name (the native build with 1M names: 174 MB RSS, the 25 MB archive included), so the guests
 * get 256 bytes a name on top of the 64 MiB proc-tap has always had. */
#define NAMES_MAX 1000000
#define NAMES_BYTES_EACH 256
#define MAX_RATES 12
#define MAX_ROUNDS 20
#define SERVER_CPU "1" /* with two or more cores: servers here, dnsperf on core 0 */
#define CLIENT_CPU "0"

enum { T_PROC, T_PROCTAP, T_NATIVE, T_RUNC, T_NSD, T_COUNT };
static const char *const target_names[T_COUNT] = {"proc", "proc-tap", "native", "runc", "nsd"};
static const int target_ports[T_COUNT] = {53, 53, 5300, 5301, 53};

struct sample {
    int ok;
    double sent, completed, lost; /* queries, from dnsperf */
    double qps, latency_ms;
    double cpu_s;                 /* server CPU time over the step */
    double secs;                  /* wall time of the step */
};

struct summary {                  /* medians over the rounds of one (target, rate) */
    int n;
    double qps, lost_pct, latency_ms, cpu_pct, us_per_q;
    double lost_total;            /* queries lost over all rounds */
    double lost_median;           /* queries lost in the median round: one disturbed round on a
                                   * shared machine does not make a rate "lossy" */
};

struct target {
    int selected, up;
    pid_t pid;                    /* what to stop (native, nsd, runc) */
    pid_t cpu_pid;                /* whose CPU time counts */
    int group;                    /* count every process of cpu_pid's process group */
    char ip[40];
    char inst[40];                /* proc: instance name; runc: container id */
    char note[160];
    struct sample s[MAX_RATES][MAX_ROUNDS];
    struct summary sum[MAX_RATES];
};

struct opts {
    int seconds, rounds, nrates, pin;
    long rates[MAX_RATES];
    unsigned only;
    long names;                   /* --names N: N distinct names; 0: the 15-query mix */
    const char *out;
};

static char tmpdir[64];
static char zonedir[128];         /* what NSD and the unikernels' archive serve */
static char image[128] = IMAGE;   /* what the proc target runs (--names: rebuilt with the zone) */
static char guest_mem[16] = "64M"; /* proc-tap's guest memory (and proc's with --names) */
static int use_ip6; /* --ipv6: every target is asked over IPv6 */

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench dns [--seconds N] [--rates Q1,Q2,...] [--rounds N] [--ipv6]\n"
               "                     [--names N] [--only proc,proc-tap,native,runc,nsd] [--out DIR]\n"
               "  offered rates in queries/s (default 2000,5000,10000,20000), --seconds per step (default 5),\n"
               "  --rounds interleaved rounds (default 5); run from the source tree after `make`; needs root,\n"
               "  dnsperf and nsd; --ipv6 asks every target over IPv6 (proc-tap, native, runc, nsd);\n"
               "  --names N (1..1000000) asks N distinct names of a zone " NAMES_ZONE " added to every target, in a\n"
               "  shuffled order, instead of cycling 15 queries (the dns app's response cache then misses)\n");
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
    /* nodad: the address is usable at once, not after duplicate address detection. */
    const char *host6[] = {"ip", "addr", "add", HOST_IP6 "/64", "dev", VETH, "nodad", NULL};
    const char *ns6[] = {"ip", "-n", NS, "addr", "add", NS_IP6 "/64", "dev", "eth0", "nodad", NULL};
    if (use_ip6 && (run(host6, 5000) != 0 || run(ns6, 5000) != 0)) {
        fprintf(stderr, "unf bench dns: could not give the veth IPv6 addresses\n");
        return -1;
    }
    return 0;
}

static void net_down(void)
{
    bench_ns_del(NS);
    bench_link_del(VETH);
    bench_link_del(TAP);
}

/* Waits until ip:port answers a SOA query (dig), up to 20 s. */
static int wait_ready(const char *ip, int port)
{
    char at[48], p[24];
    bench_fmt(at, sizeof(at), "@%s", ip);
    bench_fmt(p, sizeof(p), "-p%d", port);
    const char *dig[] = {"dig", at, p, "example.com", "SOA", "+time=1", "+tries=1", NULL};
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

/* One dnsperf step against t at `rate` q/s; fills s (s->ok = 0 when dnsperf failed). */
static void dnsperf_step(int which, struct target *t, long rate, const struct opts *o, struct sample *s)
{
    char secs[16], qps[24], qfile[96], port[16];
    static char out[65536];
    bench_fmt(secs, sizeof(secs), "%d", o->seconds);
    bench_fmt(qps, sizeof(qps), "%ld", rate);
    bench_fmt(port, sizeof(port), "%d", target_ports[which]);
    bench_fmt(qfile, sizeof(qfile), "%s/queries.txt", tmpdir);
    const char *argv[] = {"taskset", "-c", CLIENT_CPU, "dnsperf", "-s", t->ip, "-p", port, "-d", qfile, "-l", secs,
                          "-t", "2", "-q", "500", "-O", "suppress=timeout,congestion", "-Q", qps, NULL};
    memset(s, 0, sizeof(*s));
    double cpu0 = cpu_seconds(t->cpu_pid, t->group), t0 = bench_now_ms();
    int rc = bench_cmd(o->pin ? argv : argv + 3, out, sizeof(out), (o->seconds + 20) * 1000L);
    s->secs = (bench_now_ms() - t0) / 1000;
    s->cpu_s = cpu_seconds(t->cpu_pid, t->group) - cpu0;
    if (rc != 0)
        return;
    s->sent = field(out, "Queries sent:");
    s->completed = field(out, "Queries completed:");
    s->lost = field(out, "Queries lost:");
    s->qps = field(out, "Queries per second:");
    s->latency_ms = field(out, "Average Latency (s):") * 1000;
    s->ok = s->sent > 0 && s->completed >= 0 && s->lost >= 0 && s->qps >= 0;
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

/* --names: the proc target's image is build/images/dns.unf's app with the zones of zonedir
 * (`unf build` of a copy of the app's directory, the same kernels), and the guests get memory
 * for the zone. */
static int build_names_image(long n)
{
    char unf[PATH_MAX], app[128], json[160];
    if (bench_unf_path(unf, sizeof(unf)) < 0)
        bench_fmt(unf, sizeof(unf), "build/bin/unf");
    bench_fmt(app, sizeof(app), "%s/dns", tmpdir);
    bench_fmt(json, sizeof(json), "%s/app.json", app);
    bench_fmt(image, sizeof(image), "%s/dns.unf", tmpdir);
    bench_fmt(guest_mem, sizeof(guest_mem), "%ldM", 64 + (n * NAMES_BYTES_EACH + (1L << 20) - 1) / (1L << 20));
    const char *build[] = {unf, "build", app, "--kernels", KERNEL_DIR, "-o", image, NULL};
    if (bench_copy_file("apps/dns/app.json", json, 0644) < 0 || run(build, 120000) != 0) {
        fprintf(stderr, "unf bench dns: could not build %s with the generated zone\n", image);
        return -1;
    }
    return 0;
}

/* The query file, NSD's configuration, and the zones in zonedir (copies of apps/dns/files, plus
 * NAMES_ZONE with --names) that NSD serves from there and the unikernels and native build from
 * a ustar archive of it (the proc target from an image holding them). */
static int prepare(const struct opts *o)
{
    static const char queries[] =
        "example.com A\nwww.example.com A\nexample.com MX\nnothere.example.com A\n"
        "mail.example.com AAAA\n_sip._tcp.example.com SRV\n1.2.0.192.in-addr.arpa PTR\n"
        "x.sub.example.com A\nmail.example.com TXT\nchain1.example.com A\nexample.com NS\n"
        "ns1.example.com A\nweb.example.com A\nWWW.EXAMPLE.COM A\n25.2.0.192.in-addr.arpa PTR\n";
    bench_fmt(zonedir, sizeof(zonedir), "%s/dns/files", tmpdir);
    if (bench_mkdir_p(zonedir, 0755) < 0)
        return -1;
    char conf[4096];
    bench_fmt(conf, sizeof(conf),
              "server:\n  ip-address: " NS_IP "\n%s  server-count: 1\n  username: \"\"\n  chroot: \"\"\n"
              "  zonesdir: \"%s\"\n  pidfile: \"%s/nsd.pid\"\n  database: \"\"\n"
              "  zonelistfile: \"%s/zone.list\"\n  xfrdfile: \"%s/xfrd.state\"\n  xfrdir: \"%s\"\n"
              "  logfile: \"%s/nsd.log\"\n  ipv4-edns-size: 1232\n"
              /* Response rate limiting would drop a benchmark's single source at 200 q/s. */
              "  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n"
              "remote-control:\n  control-enable: no\n"
              "zone:\n  name: example.com\n  zonefile: example.com.zone\n"
              "zone:\n  name: 2.0.192.in-addr.arpa\n  zonefile: 2.0.192.in-addr.arpa.zone\n%s",
              use_ip6 ? "  ip-address: " NS_IP6 "\n" : "", zonedir, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir,
              o->names ? "zone:\n  name: " NAMES_ZONE "\n  zonefile: " NAMES_ZONE ".zone\n" : "");
    if (write_text("nsd.conf", conf) < 0)
        return -1;
    static const char *const zones[] = {"example.com.zone", "2.0.192.in-addr.arpa.zone"};
    for (int i = 0; i < 2; i++) {
        char src[128], dst[192];
        bench_fmt(src, sizeof(src), ZONES "/%s", zones[i]);
        bench_fmt(dst, sizeof(dst), "%s/%s", zonedir, zones[i]);
        if (bench_copy_file(src, dst, 0644) < 0)
            return -1;
    }
    if (o->names ? dns_names_write(o->names, zonedir, tmpdir) < 0 || build_names_image(o->names) < 0
                 : write_text("queries.txt", queries) < 0)
        return -1;
    char tar[128];
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    const char *mktar[] = {"tar", "--format=ustar", "-cf", tar, "-C", zonedir, ".", NULL};
    return run(mktar, 60000) == 0 ? 0 : -1;
}

/* ---- targets: start, pin, stop -------------------------------------------------------------- */

/* Moves every thread of pid to the servers' core. */
static void pin_server(pid_t pid, const struct opts *o)
{
    char p[24];
    bench_fmt(p, sizeof(p), "%d", (int)pid);
    const char *argv[] = {"taskset", "-a", "-p", "-c", SERVER_CPU, p, NULL};
    if (o->pin && pid > 0 && run(argv, 5000) != 0)
        fprintf(stderr, "bench dns: could not pin pid %d to core " SERVER_CPU "\n", (int)pid);
}

static void start_in_ns(int which, const struct opts *o, struct target *t)
{
    char log[128], conf[128], tar[128];
    bench_fmt(log, sizeof(log), "%s/%s.log", tmpdir, target_names[which]);
    bench_fmt(conf, sizeof(conf), "%s/nsd.conf", tmpdir);
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    /* Started pinned, so NSD's server and xfrd children inherit the core. */
    const char *native[] = {"ip", "netns", "exec", NS, "taskset", "-c", SERVER_CPU, NATIVE, "--port", "5300", NULL};
    const char *nsd[] = {"ip", "netns", "exec", NS, "taskset", "-c", SERVER_CPU, "nsd", "-d", "-c", conf, NULL};
    const char *const *argv = which == T_NSD ? nsd : native;
    if (!o->pin) { /* drop "taskset -c N": shift the command over it */
        static const char *plain[16];
        int n = 0;
        for (int i = 0; argv[i]; i++)
            if (i < 4 || i > 6)
                plain[n++] = argv[i];
        plain[n] = NULL;
        argv = plain;
    }
    bench_fmt(t->ip, sizeof(t->ip), "%s", use_ip6 ? NS_IP6 : NS_IP);
    t->pid = bench_spawn(argv, NULL, log, which == T_NATIVE ? tar : NULL);
    t->cpu_pid = t->pid;
    t->group = 1; /* NSD forks its server and xfrd processes */
    if (t->pid < 0 || wait_ready(t->ip, target_ports[which]) < 0) {
        bench_fmt(t->note, sizeof(t->note), "did not come up (log: %s)", log);
        return;
    }
    t->up = 1;
}

static void start_runc(const struct opts *o, struct target *t)
{
    char bundle[128], tar[128], log[128], err[256];
    bench_fmt(bundle, sizeof(bundle), "%s/bundle", tmpdir);
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    bench_fmt(log, sizeof(log), "%s/runc.log", tmpdir);
    bench_fmt(t->inst, sizeof(t->inst), "unfdnsbench%d", (int)getpid());
    bench_fmt(t->ip, sizeof(t->ip), "%s", use_ip6 ? NS_IP6 : NS_IP);
    if (bench_dns_runc_bundle(bundle, NATIVE, tar, "/var/run/netns/" NS, target_ports[T_RUNC], err, sizeof(err)) < 0) {
        bench_fmt(t->note, sizeof(t->note), "bundle: %s", err);
        return;
    }
    const char *start[] = {"runc", "run", "--bundle", bundle, t->inst, NULL};
    const char *state[] = {"runc", "state", t->inst, NULL};
    t->pid = bench_spawn(start, NULL, log, NULL);
    char out[4096] = "";
    if (t->pid < 0 || wait_ready(t->ip, target_ports[T_RUNC]) < 0 || bench_cmd(state, out, sizeof(out), 10000) != 0) {
        bench_fmt(t->note, sizeof(t->note), "did not come up (log: %s)", log);
        return;
    }
    const char *p = strstr(out, "\"pid\":");
    t->cpu_pid = p ? (pid_t)strtol(p + 6, NULL, 10) : 0;
    t->group = 0;
    pin_server(t->cpu_pid, o);
    t->up = t->cpu_pid > 0;
}

static void start_proc(const struct opts *o, struct target *t)
{
    char out[8192] = "", unf[PATH_MAX];
    if (use_ip6) {
        bench_fmt(t->note, sizeof(t->note), "not over IPv6: the runtime gives instances no IPv6 address yet");
        return;
    }
    bench_fmt(t->inst, sizeof(t->inst), "unfdnsbench%d", (int)getpid());
    if (bench_unf_path(unf, sizeof(unf)) < 0)
        bench_fmt(unf, sizeof(unf), "build/bin/unf");
    /* --names: memory for the generated zone; else the image's own default, as always. */
    const char *with_mem[] = {unf, "run", "-d", "--name", t->inst, "--platform", "proc", "--mem", guest_mem,
                              image, NULL};
    const char *plain[] = {unf, "run", "-d", "--name", t->inst, "--platform", "proc", image, NULL};
    const char *inspect[] = {unf, "inspect", t->inst, NULL};
    if (bench_cmd(o->names ? with_mem : plain, out, sizeof(out), 60000) == 0 &&
        bench_cmd(inspect, out, sizeof(out), 15000) == 0) {
        const char *p = strstr(out, "\"ip\"");
        if (p && (p = strchr(p + 4, '"')) != NULL)
            sscanf(p + 1, "%39[0-9.]", t->ip);
        /* The tender process runs the guest: its CPU time is the unikernel's. */
        if ((p = strstr(out, "\"guest_pid\":")) != NULL)
            t->cpu_pid = (pid_t)strtol(p + 12, NULL, 10);
    }
    if (!t->ip[0] || t->cpu_pid <= 0 || wait_ready(t->ip, target_ports[T_PROC]) < 0) {
        bench_fmt(t->note, sizeof(t->note), "did not come up: %.120s", bench_chomp(out));
        return;
    }
    pin_server(t->cpu_pid, o);
    t->up = 1;
}

static void start_proctap(const struct opts *o, struct target *t)
{
    char log[128], tar[128];
    bench_fmt(log, sizeof(log), "%s/proc-tap.log", tmpdir);
    bench_fmt(tar, sizeof(tar), "%s/zones.tar", tmpdir);
    bench_fmt(t->ip, sizeof(t->ip), "%s", use_ip6 ? TAP_GUEST_IP6 : TAP_GUEST_IP);
    const char *add[] = {"ip", "tuntap", "add", "dev", TAP, "mode", "tap", NULL};
    const char *addr[] = {"ip", "addr", "add", TAP_HOST_IP "/24", "dev", TAP, NULL};
    const char *addr6[] = {"ip", "addr", "add", TAP_HOST_IP6 "/64", "dev", TAP, "nodad", NULL};
    const char *up[] = {"ip", "link", "set", TAP, "up", NULL};
    if (run(add, 5000) != 0 || run(addr, 5000) != 0 || (use_ip6 && run(addr6, 5000) != 0) || run(up, 5000) != 0) {
        bench_fmt(t->note, sizeof(t->note), "could not create tap " TAP);
        return;
    }
    const char *argv[] = {"taskset", "-c", SERVER_CPU, TENDER, "--mem", guest_mem, "--net", TAP, "--archive", tar,
                          KERNEL, "unf.ip0=" TAP_GUEST_IP "/24", "unf.gw0=" TAP_HOST_IP,
                          use_ip6 ? "unf.ip6_0=" TAP_GUEST_IP6 "/64" : NULL, NULL};
    t->pid = bench_spawn(o->pin ? argv : argv + 3, NULL, log, NULL);
    t->cpu_pid = t->pid;
    t->group = 1;
    if (t->pid < 0 || wait_ready(t->ip, target_ports[T_PROCTAP]) < 0) {
        bench_fmt(t->note, sizeof(t->note), "did not come up (log: %s)", log);
        return;
    }
    t->up = 1;
}

static void stop_target(int which, struct target *t)
{
    char unf[PATH_MAX];
    if (which == T_PROC && t->inst[0]) {
        if (bench_unf_path(unf, sizeof(unf)) < 0)
            bench_fmt(unf, sizeof(unf), "build/bin/unf");
        const char *rm[] = {unf, "rm", "-f", t->inst, NULL};
        run(rm, 30000);
        return;
    }
    if (which == T_RUNC && t->inst[0]) {
        const char *kill_[] = {"runc", "kill", t->inst, "KILL", NULL};
        const char *del[] = {"runc", "delete", "-f", t->inst, NULL};
        run(kill_, 10000);
        run(del, 10000);
    }
    bench_stop(t->pid, 3000);
}

/* ---- the measurement: rounds x rates x targets, the targets' order rotating ----------------- */

static void measure(struct target *t, const struct opts *o)
{
    for (int r = 0; r < o->rounds && !bench_interrupted; r++) {
        for (int k = 0; k < o->nrates && !bench_interrupted; k++) {
            for (int j = 0; j < T_COUNT && !bench_interrupted; j++) {
                int i = (j + r + k) % T_COUNT;
                if (!t[i].selected || !t[i].up)
                    continue;
                struct sample *s = &t[i].s[k][r];
                dnsperf_step(i, &t[i], o->rates[k], o, s);
                if (!s->ok) {
                    fprintf(stderr, "bench dns: %-6s round %d offered %6ld q/s: dnsperf failed\n", target_names[i],
                            r + 1, o->rates[k]);
                    continue;
                }
                fprintf(stderr, "bench dns: %-6s round %d offered %6ld q/s: answered %8.0f q/s, lost %.0f, "
                        "latency %.3f ms, server CPU %.1f%%, %.1f us/query\n", target_names[i], r + 1, o->rates[k],
                        s->qps, s->lost, s->latency_ms, 100 * s->cpu_s / s->secs,
                        s->completed > 0 ? 1e6 * s->cpu_s / s->completed : 0);
            }
        }
    }
}

static double median_of(const double *v, int n)
{
    struct bench_stats st;
    return n > 0 && bench_stats_of(v, n, &st) == 0 ? st.median : -1;
}

static void summarize(struct target *t, const struct opts *o)
{
    for (int i = 0; i < T_COUNT; i++) {
        for (int k = 0; t[i].selected && k < o->nrates; k++) {
            double qps[MAX_ROUNDS], lost[MAX_ROUNDS], lat[MAX_ROUNDS], cpu[MAX_ROUNDS], us[MAX_ROUNDS];
            double lostn[MAX_ROUNDS];
            struct summary *m = &t[i].sum[k];
            memset(m, 0, sizeof(*m));
            for (int r = 0; r < o->rounds; r++) {
                const struct sample *s = &t[i].s[k][r];
                if (!s->ok || s->completed <= 0)
                    continue;
                qps[m->n] = s->qps;
                lost[m->n] = 100 * s->lost / s->sent;
                lostn[m->n] = s->lost;
                lat[m->n] = s->latency_ms;
                cpu[m->n] = 100 * s->cpu_s / s->secs;
                us[m->n] = 1e6 * s->cpu_s / s->completed;
                m->lost_total += s->lost;
                m->n++;
            }
            m->qps = median_of(qps, m->n);
            m->lost_pct = median_of(lost, m->n);
            m->lost_median = median_of(lostn, m->n);
            m->latency_ms = median_of(lat, m->n);
            m->cpu_pct = median_of(cpu, m->n);
            m->us_per_q = median_of(us, m->n);
        }
    }
}

/* ---- report ---------------------------------------------------------------------------------- */

/* Targets for one unikernel target against NSD: server CPU per answered query <= NSD's (the
 * mean over the offered rates of the per-rate ratios of medians: one figure for the run, each
 * rate weighted alike, so one noisy point on a shared machine does not decide alone), and no
 * query lost at a rate where NSD loses none (below saturation), both on the median round. */
static void print_target_pair(FILE *f, const struct target *t, int which, const struct opts *o)
{
    const struct target *p = &t[which], *nsd = &t[T_NSD];
    const char *name = target_names[which];
    int both = p->selected && nsd->selected && p->up && nsd->up, measured = 0, loss_met = 1;
    double ratio_sum = 0;
    char cpu_m[512] = "", loss_m[512] = "", why[96];
    size_t cl = 0, ll = 0;
    for (int k = 0; both && k < o->nrates; k++) {
        const struct summary *a = &p->sum[k], *b = &nsd->sum[k];
        if (a->n == 0 || b->n == 0 || b->us_per_q <= 0)
            continue;
        double ratio = a->us_per_q / b->us_per_q;
        if (ratio <= 0)
            continue;
        measured++;
        ratio_sum += ratio;
        if (cl < sizeof(cpu_m))
            cl += (size_t)snprintf(cpu_m + cl, sizeof(cpu_m) - cl, "%s%ld: %.2f", cl ? "; " : "", o->rates[k], ratio);
        if (b->lost_median == 0) {
            loss_met &= a->lost_median == 0;
            if (ll < sizeof(loss_m))
                ll += (size_t)snprintf(loss_m + ll, sizeof(loss_m) - ll, "%s%ld: %.0f lost", ll ? "; " : "",
                                       o->rates[k], a->lost_median);
        }
    }
    double mean = measured ? ratio_sum / measured : 0;
    if (measured && cl < sizeof(cpu_m))
        snprintf(cpu_m + cl, sizeof(cpu_m) - cl, "; mean %.2f", mean);
    bench_fmt(why, sizeof(why), "%s or nsd not measured (--only, or a failure)", name);
    fprintf(f, "| %s server CPU per answered query <= NSD's (ratio %s/NSD per offered rate; verdict on their "
               "mean) | %s | %s |\n", name, name, measured ? cpu_m : "-",
            bench_verdict(measured, mean <= 1.0, why));
    fprintf(f, "| %s loses no query at the rates where NSD loses none (below saturation; median round) | %s | %s |\n",
            name,
            ll ? loss_m : "-",
            bench_verdict(measured && ll, loss_met, "no rate where both were measured and NSD lost none"));
}

static void print_targets(FILE *f, const struct target *t, const struct opts *o)
{
    fprintf(f, "\n| target | measured | verdict |\n|---|---|---|\n");
    print_target_pair(f, t, T_PROC, o);
    if (t[T_PROCTAP].selected)
        print_target_pair(f, t, T_PROCTAP, o);
}

/* The query set, in the report's header: figures from the two sets must never be confused (the
 * 15-query mix measures the dns app's response cache, --names its answer path). */
static void print_query_set(FILE *f, const struct opts *o)
{
    if (!o->names) {
        fprintf(f, "- Query set: the 15-query mix (positive, negative, CNAME chain, referral, SRV, TXT, reverse), "
                   "cycled, so after the first pass the dns app's UDP response cache (2 x 256 entries) answers "
                   "nearly every query.\n");
        return;
    }
    /* A cycled name hits only when its cache set holds at most one other of the names (the
     * least recently used way is replaced): P(at most one other) for a uniform hash over 256 sets,
     * the other N-1 names falling in a set with probability 1/256 each. */
    double none = 1;
    for (long i = 1; i < o->names; i++)
        none *= 255.0 / 256.0;
    double hit = 100 * (none + (double)(o->names - 1) / 255.0 * none);
    char est[24];
    bench_fmt(est, sizeof(est), hit < 0.01 ? "< 0.01" : "%.2f", hit);
    fprintf(f, "- Query set: %ld distinct names (h1..h%ld." NAMES_ZONE " A, one A record each, in a zone " NAMES_ZONE
               " generated for this run and served by every target next to example.com), asked in a shuffled "
               "order (fixed seed), all positive; a name recurs only after %ld queries, so the dns app's UDP "
               "response cache (2 x 256 entries) hits an estimated %s%% of queries (a name whose set holds at "
               "most one other of the names; uniform hash). Guest memory %s (proc and proc-tap).\n",
            o->names, o->names, o->names, est, guest_mem);
}

static void report_md(FILE *f, const struct target *t, const struct opts *o, const struct bench_run *run)
{
    fprintf(f, "# unf bench dns\n\n- Date: %s.\n", run->date);
    print_query_set(f, o);
    bench_machine_md(f, run);
    fprintf(f, "\nQueries over %s. All targets up at once, each on its own address or port; dnsperf at fixed "
               "offered rates, %d s per "
               "step, %d rounds interleaving the targets (order rotating). %s Server CPU: user + system time of the "
               "server's processes over the step (/proc/PID/stat: the proc tender; NSD's processes). It includes "
               "the kernel's packet work done in the server's own system calls (a tap write delivers the answer "
               "through the host stack there; so does a veth send's softirq run on return), not the work done on "
               "the client's core or in ksoftirqd. us/query = that CPU time / answered queries. Medians over the "
               "rounds; lost (all rounds) = all rounds together.\n\n"
               "| target | offered q/s | answered q/s | lost %% | lost (all rounds) | avg latency ms | server CPU %% "
               "| CPU us/query | vs NSD |\n|---|---|---|---|---|---|---|---|---|\n",
            use_ip6 ? "IPv6" : "IPv4", o->seconds, o->rounds,
            o->pin ? "dnsperf pinned to core " CLIENT_CPU ", servers to core " SERVER_CPU " (taskset)."
                   : "One core: nothing pinned.");
    for (int i = 0; i < T_COUNT; i++) {
        for (int k = 0; t[i].selected && k < o->nrates; k++) {
            const struct summary *m = &t[i].sum[k], *n = &t[T_NSD].sum[k];
            if (m->n == 0)
                continue;
            char ratio[32] = "-";
            if (t[T_NSD].selected && n->n > 0 && n->us_per_q > 0)
                bench_fmt(ratio, sizeof(ratio), "%.2f", m->us_per_q / n->us_per_q);
            fprintf(f, "| %s | %ld | %.0f | %.2f | %.0f | %.3f | %.1f | %.1f | %s |\n", target_names[i], o->rates[k],
                    m->qps, m->lost_pct, m->lost_total, m->latency_ms, m->cpu_pct, m->us_per_q, ratio);
        }
    }
    fprintf(f, "\n| target | address | note |\n|---|---|---|\n");
    for (int i = 0; i < T_COUNT; i++)
        if (t[i].selected)
            fprintf(f, "| %s | %s port %d | %s |\n", target_names[i], t[i].ip[0] ? t[i].ip : "-", target_ports[i],
                    t[i].note);
    print_targets(f, t, o);
}

static int write_csv(struct bench_run *run, const struct target *t, const struct opts *o, char *path, size_t len)
{
    FILE *f = bench_run_open(run, ".csv", path, len);
    if (!f)
        return -1;
    fprintf(f, "target,round,offered_qps,answered_qps,sent,completed,lost,avg_latency_ms,server_cpu_s,seconds,"
               "server_cpu_pct,cpu_us_per_query\n");
    for (int i = 0; i < T_COUNT; i++)
        for (int k = 0; t[i].selected && k < o->nrates; k++)
            for (int r = 0; r < o->rounds; r++) {
                const struct sample *s = &t[i].s[k][r];
                if (!s->ok || s->completed <= 0)
                    continue;
                fprintf(f, "%s,%d,%ld,%.0f,%.0f,%.0f,%.0f,%.3f,%.3f,%.3f,%.1f,%.2f\n", target_names[i], r + 1,
                        o->rates[k], s->qps, s->sent, s->completed, s->lost, s->latency_ms, s->cpu_s, s->secs,
                        100 * s->cpu_s / s->secs, 1e6 * s->cpu_s / s->completed);
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
    if (bench_run_close(run, f, md) < 0 || write_csv(run, t, o, csv, sizeof(csv)) < 0)
        return -1;
    bench_plot(run, "qps", csv, "unf bench dns: answered q/s vs offered load",
               "set logscale xy\nset xlabel 'offered q/s'\nset ylabel 'answered q/s'\nset key top left\n"
               "set datafile separator ','\nnames = 'proc proc-tap native runc nsd'\n"
               "plot for [i=1:words(names)] csv using (strcol(1) eq word(names, i) ? $3 : NaN):4 "
               "title word(names, i) with points pt 7, x title 'answered = offered' dt 2 lc rgb 'gray'\n",
               NULL, 0);
    bench_plot(run, "cpu", csv, "unf bench dns: server CPU per answered query vs offered load",
               "set logscale x\nset xlabel 'offered q/s'\nset ylabel 'server CPU us per answered query'\n"
               "set yrange [0:*]\nset key top right\nset datafile separator ','\n"
               "names = 'proc proc-tap native runc nsd'\n"
               "plot for [i=1:words(names)] csv using (strcol(1) eq word(names, i) ? $3 : NaN):12 "
               "title word(names, i) with points pt 7\n",
               NULL, 0);
    bench_run_end(run);
    return 0;
}

/* ---- options --------------------------------------------------------------------------------- */

static int parse_rates(const char *list, struct opts *o)
{
    char buf[256];
    if (strlen(list) >= sizeof(buf))
        return -1;
    bench_fmt(buf, sizeof(buf), "%s", list);
    o->nrates = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (o->nrates == MAX_RATES || bench_parse_long(w, 100, 10000000, &o->rates[o->nrates]) < 0)
            return -1;
        o->nrates++;
    }
    return o->nrates ? 0 : -1;
}

int bench_dns_main(int argc, char **argv)
{
    struct opts o = {.seconds = 5, .rounds = 5, .nrates = 4, .rates = {2000, 5000, 10000, 20000}};
    struct bench_opts co = {.out = BENCH_OUT_DEFAULT, .names = target_names, .nnames = T_COUNT,
                            .only_what = "--only wants targets from proc,proc-tap,native,runc,nsd, got",
                            .out_what = "--out wants a directory, got", .bad_usage = bad_usage};
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},           {"seconds", required_argument, NULL, 's'},
        {"rates", required_argument, NULL, 'r'},    {"rounds", required_argument, NULL, 'n'},
        BENCH_OPTION_ONLY,                          BENCH_OPTION_OUT,
        {"ipv6", no_argument, NULL, '6'},          {"names", required_argument, NULL, 'N'},
        {NULL, 0, NULL, 0},
    };
    long v;
    int c, st;
    while ((c = bench_next_opt(argc, argv, options, &co, &st)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case '6': use_ip6 = 1; break;
        case 's':
            if (bench_parse_long(optarg, 1, 600, &v) < 0)
                return bad_usage("--seconds wants 1..600, got", optarg);
            o.seconds = (int)v;
            break;
        case 'r':
            if (parse_rates(optarg, &o) < 0)
                return bad_usage("--rates wants up to 12 comma-separated rates of 100..10000000 q/s, got", optarg);
            break;
        case 'N':
            if (bench_parse_long(optarg, 1, NAMES_MAX, &v) < 0)
                return bad_usage("--names wants 1..1000000, got", optarg);
            o.names = v;
            break;
        case 'n':
            if (bench_parse_long(optarg, 1, MAX_ROUNDS, &v) < 0)
                return bad_usage("--rounds wants 1..20, got", optarg);
            o.rounds = (int)v;
            break;
        }
    }
    if (st)
        return st;
    o.only = co.only;
    o.out = co.out;
    if (!o.only)
        o.only = (1u << T_COUNT) - 1;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench dns: needs root (namespaces, unikernel taps)\n");
        return 1;
    }
    const char *need[] = {IMAGE, NATIVE, KERNEL, TENDER, ZONES "/example.com.zone"};
    for (size_t i = 0; i < 5; i++)
        if (access(need[i], R_OK) != 0) {
            fprintf(stderr, "unf bench dns: %s missing (run from the source tree after make)\n", need[i]);
            return 1;
        }
    const char *probe[] = {"dnsperf", "-h", NULL};
    if (bench_cmd(probe, NULL, 0, 5000) == -1 || access("/usr/sbin/nsd", X_OK) != 0) {
        fprintf(stderr, "unf bench dns: dnsperf and nsd are needed (scripts/setup installs them)\n");
        return 1;
    }
    const char *ts[] = {"taskset", "-c", "0", "true", NULL};
    o.pin = sysconf(_SC_NPROCESSORS_ONLN) >= 2 && bench_cmd(ts, NULL, 0, 5000) == 0;
    if (bench_sys_signals() < 0)
        return 1;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/unf-bench-dns-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "unf bench dns: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    static struct target t[T_COUNT];
    memset(t, 0, sizeof(t));
    static struct bench_run run;
    if (bench_run_begin(&run, "dns", o.out) < 0) {
        bench_rm_rf(tmpdir);
        return 1;
    }
    int rc = 0;
    net_down(); /* leftovers of a killed run */
    if (prepare(&o) < 0 || net_up() < 0) {
        fprintf(stderr, "unf bench dns: could not prepare files and the namespace in %s\n", tmpdir);
        rc = 1;
    } else {
        for (int i = 0; i < T_COUNT && !bench_interrupted; i++) {
            t[i].selected = (o.only >> i) & 1;
            if (!t[i].selected)
                continue;
            if (i == T_PROC)
                start_proc(&o, &t[i]);
            else if (i == T_PROCTAP)
                start_proctap(&o, &t[i]);
            else if (i == T_RUNC)
                start_runc(&o, &t[i]);
            else
                start_in_ns(i, &o, &t[i]);
            if (t[i].up && o.names && dns_names_served(t[i].ip, target_ports[i], o.names) < 0) {
                t[i].up = 0;
                bench_fmt(t[i].note, sizeof(t[i].note), "does not answer the generated zone " NAMES_ZONE);
            }
            if (!t[i].up)
                fprintf(stderr, "bench dns: %s: %s\n", target_names[i], t[i].note);
        }
        measure(t, &o);
        summarize(t, &o);
        report_md(stdout, t, &o, &run);
        fflush(stdout);
        if (write_files(&run, t, &o) < 0)
            rc = 1;
    }
    for (int i = 0; i < T_COUNT; i++)
        if (t[i].selected)
            stop_target(i, &t[i]);
    net_down();
    bench_rm_rf(tmpdir);
    if (bench_interrupted) {
        fprintf(stderr, "unf bench dns: interrupted; cleaned up\n");
        rc = 1;
    }
    return rc;
}
