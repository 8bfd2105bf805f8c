/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench router` (see router.h). Two chains of three namespaces, built once and torn down
 * at the end (and first, after a killed run), all named "urt*":
 *   proc:  urtS eth0 10.79.1.1 -- veth va, in urtR -- unf-proc router on packet sockets bound to
 *          va and vb (`--net packet:va`) -- veth vb -- urtK eth0 10.79.2.1
 *   proc-tap: urtPS -- urtP: veth va + tap ta on bridge bra -- unf-proc router on taps --
 *          tap tb + veth vb on bridge brb -- urtPK
 *   linux: urtLS eth0 10.79.1.1 -- va 10.79.1.2 in urtL (ip_forward=1) vb 10.79.2.2 -- urtLK eth0
 * The router is started with the proc driver's command line (runtime/driver.c), exactly what
 * `unf run --platform proc` starts. With two or more cores the generator runs on core 0 and the
 * router on core 1: the tender by affinity, and the ingress veth's receive work (Linux's
 * forwarding, the bridge and tap for proc-tap, the ring copy for proc) by RPS, so none of the
 * router's work hides in the generator's softirq. Forwarded packets are the sink's eth0 rx
 * counter; the router's CPU is the softirq time of its core plus, for proc, the tender's
 * utime+stime.
 */
#include "router.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runtime/driver.h"
#include "harness.h"
#include "netns.h"
#include "router_floor.h"
#include "router_gen.h"
#include "router_report.h"
#include "sys.h"

#define KERNEL "build/kernels/router/x86_64-proc"
#define SRC_IP "10.79.1.1"
#define SINK_IP "10.79.2.1"
#define SINK_PORT 9 /* discard, held by rgen_sink_start's socket in the sink */
#define GEN_CPU 0
#define ROUTER_CPU 1

static const char *const ns_src[RB_VARIANTS] = {"urtS", "urtXS", "urtPS", "urtFS", "urtLS"};
static const char *const ns_mid[RB_VARIANTS] = {"urtR", "urtX", "urtP", "urtF", "urtL"};
static const char *const ns_sink[RB_VARIANTS] = {"urtK", "urtXK", "urtPK", "urtFK", "urtLK"};
/* Names of a killed run of an older version, removed too. */
static const char *const ns_old[] = {"urtTS", "urtT", "urtTK"};
static char tmpdir[64];
static pid_t sinks[RB_VARIANTS] = {-1, -1, -1, -1, -1};

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench router [--seconds N] [--rates R1,R2,...|max] [--rounds N] [--variants V,...]\n"
               "                        [--out DIR]\n"
               "  variants: proc (packet rings), proc-xdp (AF_XDP sockets), proc-tap (bridged taps),\n"
               "  xdp-floor (a minimal forwarder on the same AF_XDP sockets: the path's bound), linux (IPv4\n"
               "  forwarding); default all\n"
               "  offered rates in packets/s of 64-byte UDP payloads, 'max' = as fast as one core sends\n"
               "  (default 20000,50000,100000,max), --seconds per step (default 5), --rounds interleaved\n"
               "  rounds (default 3, medians reported); run from the source tree after `make`; needs root\n");
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench router: %s '%s' (try 'unf bench router --help')\n", what, arg ? arg : "");
    return 2;
}

static void net_down(void)
{
    for (int v = 0; v < RB_VARIANTS; v++) {
        bench_stop(sinks[v], 2000);
        sinks[v] = -1;
        bench_ns_del(ns_src[v]);
        bench_ns_del(ns_mid[v]);
        bench_ns_del(ns_sink[v]);
    }
    for (size_t i = 0; i < sizeof(ns_old) / sizeof(ns_old[0]); i++)
        bench_ns_del(ns_old[i]);
}

/* Source and sink ends of variant v, both eth0, addressed and routed through 10.79.x.2. */
static int ends_up(int v, char *err, size_t errlen)
{
    return bench_veth_pair(ns_src[v], "eth0", ns_mid[v], "va", err, errlen) ||
           bench_veth_pair(ns_sink[v], "eth0", ns_mid[v], "vb", err, errlen) ||
           bench_ip_batch(ns_src[v], err, errlen,
                          "addr add " SRC_IP "/24 dev eth0\nlink set eth0 up\nroute add default via 10.79.1.2\n") ||
           bench_ip_batch(ns_sink[v], err, errlen,
                          "addr add " SINK_IP "/24 dev eth0\nlink set eth0 up\nroute add default via 10.79.2.2\n");
}

/* RPS: the router's ingress packets are handled on the router's core. */
static int ingress_rps(int v, int pin)
{
    char cmd[160];
    bench_fmt(cmd, sizeof(cmd), "echo %x > /sys/class/net/va/queues/rx-0/rps_cpus", pin ? 1 << ROUTER_CPU : 0);
    const char *argv[] = {"ip", "netns", "exec", ns_mid[v], "sh", "-c", cmd, NULL};
    return bench_cmd(argv, NULL, 0, 5000) == 0 ? 0 : -1;
}

static int net_up(int pin, char *err, size_t errlen)
{
    static const char *const no_ipv6[] = {"net.ipv6.conf.all.disable_ipv6=1",
                                          "net.ipv6.conf.default.disable_ipv6=1", NULL};
    static const char *const fwd[] = {"net.ipv4.ip_forward=1", NULL};
    /* With br_netfilter loaded (another experiment's doing), bridged frames would pass the IP
     * hooks; nothing filters here and Linux's path has no bridge: off, when it exists. */
    static const char *const no_brnf[] = {"net.bridge.bridge-nf-call-iptables=0",
                                          "net.bridge.bridge-nf-call-arptables=0", NULL};
    net_down();
    for (int v = 0; v < RB_VARIANTS; v++) {
        const char *all[] = {ns_src[v], ns_mid[v], ns_sink[v]};
        for (int i = 0; i < 3; i++)
            if (bench_ns_add(all[i], err, errlen) < 0 || bench_ns_sysctl(all[i], no_ipv6, err, errlen) < 0)
                return -1;
        if (ends_up(v, err, errlen))
            return -1;
        if ((sinks[v] = rgen_sink_start(ns_sink[v], SINK_PORT)) < 0) {
            bench_fmt(err, errlen, "cannot start the sink's socket in %s", ns_sink[v]);
            return -1;
        }
    }
    /* proc: the veths only, up; the sender's checksums may stay partial (the ring completes
     * them), and 64-byte datagrams are never offloaded segments. */
    const char *csum_off[] = {"ip", "netns", "exec", ns_src[RB_PROC_XDP], "ethtool", "-K", "eth0", "tx", "off", NULL};
    const char *floor_csum_off[] = {"ip", "netns", "exec", ns_src[RB_XDP_FLOOR], "ethtool", "-K", "eth0", "tx", "off",
                                    NULL};
    if (bench_ip_batch(ns_mid[RB_PROC], err, errlen, "link set va up\nlink set vb up\n") ||
        bench_ip_batch(ns_mid[RB_PROC_XDP], err, errlen, "link set va up\nlink set vb up\n") ||
        bench_ip_batch(ns_mid[RB_XDP_FLOOR], err, errlen, "link set va up\nlink set vb up\n") ||
        bench_cmd(csum_off, NULL, 0, 5000) != 0 || bench_cmd(floor_csum_off, NULL, 0, 5000) != 0 ||
        bench_ip_batch(ns_mid[RB_PROC_TAP], err, errlen,
                       "tuntap add dev ta mode tap\ntuntap add dev tb mode tap\n"
                       "link add bra type bridge\nlink add brb type bridge\n"
                       "link set ta master bra\nlink set va master bra\nlink set tb master brb\n"
                       "link set vb master brb\nlink set ta up\nlink set tb up\nlink set va up\n"
                       "link set vb up\nlink set bra up\nlink set brb up\n") ||
        bench_ip_batch(ns_mid[RB_LINUX], err, errlen,
                       "addr add 10.79.1.2/24 dev va\naddr add 10.79.2.2/24 dev vb\nlink set va up\n"
                       "link set vb up\n") ||
        bench_ns_sysctl(ns_mid[RB_LINUX], fwd, err, errlen) < 0)
        return -1;
    bench_ns_sysctl(ns_mid[RB_PROC_TAP], no_brnf, NULL, 0);
    for (int v = 0; v < RB_VARIANTS; v++)
        if (ingress_rps(v, pin) < 0) {
            bench_fmt(err, errlen, "cannot set RPS on the %s router's ingress veth", rb_variant_names[v]);
            return -1;
        }
    return 0;
}

/* With XDP attached a veth receives in NAPI, on the sending core, where RPS does not reach: threaded
 * NAPI, its threads pinned to the router core, puts that work where Linux's forwarding runs. They
 * run real-time, as a softirq would preempt the tender: at normal priority the tender's time
 * slice kept them waiting until the veth's 256-frame ring overflowed (1-4% lost at 100k pps). The
 * threads exist only once the XDP program is attached (the tender is up). */
static int napi_pin(const char *ns)
{
    const char *thread[] = {"ip", "netns", "exec", ns, "sh", "-c",
                            "echo 1 > /sys/class/net/va/threaded && echo 1 > /sys/class/net/vb/threaded", NULL};
    if (bench_cmd(thread, NULL, 0, 5000) != 0)
        return -1;
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    int pinned = 0;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(ROUTER_CPU, &set);
    for (struct dirent *e; (e = readdir(d));) {
        char path[64], comm[32];
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        bench_fmt(path, sizeof(path), "/proc/%s/comm", e->d_name);
        if (bench_read_file(path, comm, sizeof(comm)) <= 0 ||
            (strncmp(comm, "napi/va-", 8) != 0 && strncmp(comm, "napi/vb-", 8) != 0))
            continue;
        struct sched_param prio = {.sched_priority = 50};
        pid_t pid = (pid_t)atoi(e->d_name);
        if (sched_setaffinity(pid, sizeof(set), &set) == 0 && sched_setscheduler(pid, SCHED_FIFO, &prio) == 0)
            pinned++;
    }
    closedir(d);
    return pinned >= 2 ? 0 : -1;
}

/* Starts the router unikernel on proc with the driver's command line; waits for its ready line. */
static int router_up(int v, struct rb_variant *t, int pin)
{
    char log[128], buf[4096];
    const struct driver *d = driver_find("proc");
    struct driver_launch l = {
        .kernel = KERNEL,
        .cmdline = "-- -e \"nic 0 10.79.1.2/24; nic 1 10.79.2.2/24\"",
        .mem = 8u << 20,
        .cpus = 1,
        .nics = {{.tap = v == RB_PROC ? "packet:va" : v == RB_PROC_XDP ? "xdp:va" : "ta", .mac = NULL},
                 {.tap = v == RB_PROC ? "packet:vb" : v == RB_PROC_XDP ? "xdp:vb" : "tb", .mac = NULL}},
        .nnics = 2,
    };
    static struct driver_argv a;
    bench_fmt(log, sizeof(log), "%s/router-%s.log", tmpdir, rb_variant_names[v]);
    if (!d || d->build(&l, &a) < 0) {
        bench_fmt(t->note, sizeof(t->note), "the proc driver could not build a command line");
        return -1;
    }
    t->pid = bench_spawn((const char *const *)a.argv, ns_mid[v], log, NULL);
    if (t->pid < 0) {
        bench_fmt(t->note, sizeof(t->note), "cannot start the tender");
        return -1;
    }
    double t0 = bench_now_ms();
    for (;;) {
        long got = bench_read_file(log, buf, sizeof(buf));
        if (got > 0 && strstr(buf, "router: forwarding"))
            break;
        if (waitpid(t->pid, NULL, WNOHANG) == t->pid || bench_now_ms() - t0 > 20000 || bench_interrupted) {
            bench_fmt(t->note, sizeof(t->note), "the router did not come up (log %s)", log);
            bench_stop(t->pid, 2000);
            t->pid = -1;
            return -1;
        }
        bench_sleep_ms(20);
    }
    if (pin) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(ROUTER_CPU, &set);
        if (sched_setaffinity(t->pid, sizeof(set), &set) < 0)
            fprintf(stderr, "bench router: cannot pin the tender: %s\n", strerror(errno));
        struct sched_param prio = {.sched_priority = 50};
        /* proc-xdp: the tender real-time too, at the NAPI threads' priority, so neither preempts the
         * other and each drains its ring in turn (with the tender at normal priority the receive
         * threads starved it at max load: 0.46 vs 0.69 per core in the same hour) */
        if (v == RB_PROC_XDP && sched_setscheduler(t->pid, SCHED_FIFO, &prio) < 0)
            fprintf(stderr, "bench router: cannot make the tender real-time: %s\n", strerror(errno));
        if (v == RB_PROC_XDP && napi_pin(ns_mid[v]) < 0)
            fprintf(stderr, "bench router: cannot move the veths' receive work to the router core\n");
    }
    return 0;
}

/* A link's Ethernet address, read inside its namespace. */
static int link_mac(const char *ns, const char *dev, uint8_t mac[6], char *text, size_t textlen)
{
    char path[64], out[64] = "";
    bench_fmt(path, sizeof(path), "/sys/class/net/%s/address", dev);
    const char *argv[] = {"ip", "netns", "exec", ns, "cat", path, NULL};
    if (bench_cmd(argv, out, sizeof(out), 5000) != 0)
        return -1;
    bench_fmt(text, textlen, "%s", bench_chomp(out));
    return sscanf(text, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) == 6
               ? 0
               : -1;
}

/* The floor forwarder between va and vb, scheduled as proc-xdp's tender is. It answers no ARP:
 * the two ends get the router's address as a static neighbour (va's and vb's own MACs). */
static int floor_up(int v, struct rb_variant *t, int pin)
{
    static struct rfloor_side a = {.link = "va"}, b = {.link = "vb"};
    char va[24], vb[24], end[24], neigh[160], err[200];
    if (link_mac(ns_src[v], "eth0", a.dst_mac, end, sizeof(end)) < 0 ||
        link_mac(ns_sink[v], "eth0", b.dst_mac, end, sizeof(end)) < 0 ||
        link_mac(ns_mid[v], "va", a.src_mac, va, sizeof(va)) < 0 ||
        link_mac(ns_mid[v], "vb", b.src_mac, vb, sizeof(vb)) < 0) {
        bench_fmt(t->note, sizeof(t->note), "cannot read the links' addresses");
        return -1;
    }
    bench_fmt(neigh, sizeof(neigh), "neigh replace 10.79.1.2 lladdr %s dev eth0\n", va);
    if (bench_ip_batch(ns_src[v], err, sizeof(err), neigh) < 0)
        goto bad_neigh;
    bench_fmt(neigh, sizeof(neigh), "neigh replace 10.79.2.2 lladdr %s dev eth0\n", vb);
    if (bench_ip_batch(ns_sink[v], err, sizeof(err), neigh) < 0)
        goto bad_neigh;
    t->pid = rfloor_start(ns_mid[v], &a, &b, pin ? ROUTER_CPU : -1, pin ? 50 : 0, err, sizeof(err));
    if (t->pid < 0) {
        bench_fmt(t->note, sizeof(t->note), "%s", err);
        return -1;
    }
    if (pin && napi_pin(ns_mid[v]) < 0)
        fprintf(stderr, "bench router: cannot move the floor's receive work to the router core\n");
    return 0;
bad_neigh:
    bench_fmt(t->note, sizeof(t->note), "cannot set the router's neighbour entry: %s", err);
    return -1;
}

/* ARP both ways and a first answer through the router: the path works before it is timed. */
static int path_check(int v, struct rb_variant *t)
{
    char out[2048] = "";
    const char *ping[] = {"ip", "netns", "exec", ns_src[v], "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "2",
                          SINK_IP, NULL};
    if (bench_cmd(ping, out, sizeof(out), 15000) != 0) {
        bench_fmt(t->note, sizeof(t->note), "no ping through the router: %s", bench_chomp(out));
        return -1;
    }
    return 0;
}

static void measure(int v, struct rb_variant *t, const struct rb_opts *o, long rate, struct rb_sample *s)
{
    struct rgen_link before, after, in0 = {0}, in1 = {0}, tap0 = {0}, tap1 = {0};
    struct rgen_result g;
    char err[256];
    memset(s, 0, sizeof(*s));
    double cpu0 = RB_IS_PROC(v) ? rgen_proc_cpu(t->pid) : 0, sirq0 = rgen_core_softirq(ROUTER_CPU);
    double busy0 = rgen_core_busy(ROUTER_CPU);
    /* Where packets are lost: the router's ingress veth (backlog full), the tap's queue (the
     * tender did not read in time), or neither (the router dropped or sent late). */
    int where = rgen_link_stats(ns_mid[v], "va", &in0) == 0 &&
                (v != RB_PROC_TAP || rgen_link_stats(ns_mid[v], "ta", &tap0) == 0);
    if (rgen_link_stats(ns_sink[v], "eth0", &before) < 0) {
        bench_fmt(s->note, sizeof(s->note), "cannot read the sink's counters");
        return;
    }
    if (rgen_run(ns_src[v], SINK_IP, SINK_PORT, rate, o->seconds * 1000L, o->pin ? GEN_CPU : -1, &g, err,
                 sizeof(err)) < 0) {
        bench_fmt(s->note, sizeof(s->note), "%s", err);
        return;
    }
    bench_sleep_ms(300); /* what is in flight arrives */
    double cpu1 = RB_IS_PROC(v) ? rgen_proc_cpu(t->pid) : 0, sirq1 = rgen_core_softirq(ROUTER_CPU);
    double busy1 = rgen_core_busy(ROUTER_CPU);
    if (cpu0 < 0 || cpu1 < 0) {
        bench_fmt(s->note, sizeof(s->note), "the tender is gone");
        return;
    }
    if (rgen_link_stats(ns_sink[v], "eth0", &after) < 0) {
        bench_fmt(s->note, sizeof(s->note), "cannot read the sink's counters after the run");
        return;
    }
    where = where && rgen_link_stats(ns_mid[v], "va", &in1) == 0 &&
            (v != RB_PROC_TAP || rgen_link_stats(ns_mid[v], "ta", &tap1) == 0);
    if (where)
        bench_fmt(s->note, sizeof(s->note), "dropped at the ingress veth %ld", in1.rx_dropped - in0.rx_dropped);
    if (where && v == RB_PROC_TAP)
        bench_fmt(s->note, sizeof(s->note), "dropped at the ingress veth %ld, in the tap's queue %ld",
                  in1.rx_dropped - in0.rx_dropped, tap1.tx_dropped - tap0.tx_dropped);
    s->sent = g.sent;
    s->failed = g.failed;
    s->seconds = g.seconds;
    s->forwarded = after.rx_packets - before.rx_packets;
    if (s->forwarded > s->sent) /* ARP and the sink's own ICMP may add a few: never above the load */
        s->forwarded = s->sent;
    s->router_cpu_s = cpu1 - cpu0;
    s->softirq_s = sirq0 >= 0 && sirq1 >= 0 ? sirq1 - sirq0 : 0;
    s->core_busy_s = o->pin && busy0 >= 0 && busy1 >= 0 ? busy1 - busy0 : 0;
    s->ok = g.seconds > 0 && g.sent > 0;
    if (!s->ok)
        bench_fmt(s->note, sizeof(s->note), "nothing sent");
}

static int parse_rates(const char *list, struct rb_opts *o)
{
    char buf[256];
    if (strlen(list) >= sizeof(buf))
        return -1;
    bench_fmt(buf, sizeof(buf), "%s", list);
    o->nrates = 0;
    char *save = NULL;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        if (o->nrates == RB_MAX_RATES)
            return -1;
        if (strcmp(w, "max") == 0)
            o->rates[o->nrates] = 0;
        else if (bench_parse_long(w, 100, 10000000, &o->rates[o->nrates]) < 0)
            return -1;
        o->nrates++;
    }
    return o->nrates ? 0 : -1;
}

static int parse_variants(const char *list, struct rb_opts *o)
{
    char buf[64];
    if (strlen(list) >= sizeof(buf))
        return -1;
    bench_fmt(buf, sizeof(buf), "%s", list);
    o->skip = (1u << RB_VARIANTS) - 1;
    char *save = NULL;
    for (char *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
        int v = 0;
        while (v < RB_VARIANTS && strcmp(w, rb_variant_names[v]) != 0)
            v++;
        if (v == RB_VARIANTS)
            return -1;
        o->skip &= ~(1u << v);
    }
    return o->skip == (1u << RB_VARIANTS) - 1 ? -1 : 0;
}

static int parse_opts(int argc, char **argv, struct rb_opts *o)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},        {"seconds", required_argument, NULL, 's'},
        {"rates", required_argument, NULL, 'r'}, {"rounds", required_argument, NULL, 'n'},
        {"out", required_argument, NULL, 'd'},   {"variants", required_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    long v;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", options, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case 's':
            if (bench_parse_long(optarg, 1, 120, &v) < 0)
                return bad_usage("--seconds wants 1..120, got", optarg);
            o->seconds = (int)v;
            break;
        case 'r':
            if (parse_rates(optarg, o) < 0)
                return bad_usage("--rates wants up to 8 comma-separated rates of 100..10000000 pps or max, got",
                                 optarg);
            break;
        case 'n':
            if (bench_parse_long(optarg, 1, RB_MAX_ROUNDS, &v) < 0)
                return bad_usage("--rounds wants 1..9, got", optarg);
            o->rounds = (int)v;
            break;
        case 'v':
            if (parse_variants(optarg, o) < 0)
                return bad_usage("--variants wants a comma-separated list of proc, proc-xdp, proc-tap, xdp-floor, linux, got",
                                 optarg);
            break;
        case 'd':
            if (!*optarg)
                return bad_usage("--out wants a directory, got", optarg);
            o->out = optarg;
            break;
        default: return bench_opt_fail(c, argv, bad_usage);
        }
    }
    if (optind < argc)
        return bench_opt_fail(0, argv, bad_usage);
    return -1; /* go on */
}

int bench_router_main(int argc, char **argv)
{
    static struct rb_opts o = {.seconds = 5, .rounds = 3, .nrates = 4, .rates = {20000, 50000, 100000, 0},
                               .out = BENCH_OUT_DEFAULT};
    static struct rb_variant t[RB_VARIANTS];
    static struct bench_run run;
    char err[512] = "";
    int st = parse_opts(argc, argv, &o);
    if (st >= 0)
        return st;
    if (geteuid() != 0) {
        fprintf(stderr, "unf bench router: needs root (namespaces, taps)\n");
        return 1;
    }
    if (access(KERNEL, R_OK) != 0) {
        fprintf(stderr, "unf bench router: %s missing (run from the source tree after make)\n", KERNEL);
        return 1;
    }
    o.pin = sysconf(_SC_NPROCESSORS_ONLN) > ROUTER_CPU;
    if (bench_sys_signals() < 0 || bench_run_begin(&run, "router", o.out) < 0)
        return 1;
    bench_fmt(tmpdir, sizeof(tmpdir), "/tmp/unf-bench-router-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "unf bench router: mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    int rc = 1;
    memset(t, 0, sizeof(t));
    for (int v = 0; v < RB_VARIANTS; v++)
        t[v].pid = -1;
    if (net_up(o.pin, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench router: cannot build the namespaces: %s\n", err);
        goto cleanup;
    }
    for (int v = 0; v < RB_VARIANTS; v++)
        if (o.skip & (1u << v))
            bench_fmt(t[v].note, sizeof(t[v].note), "not run (--variants)");
    for (int v = 0; v < RB_VARIANTS; v++)
        t[v].up = !(o.skip & (1u << v)) &&
                  (v == RB_LINUX || (v == RB_XDP_FLOOR ? floor_up(v, &t[v], o.pin) : router_up(v, &t[v], o.pin)) == 0) &&
                  path_check(v, &t[v]) == 0;
    for (int r = 0; r < o.rounds && !bench_interrupted; r++)
        for (int k = 0; k < o.nrates && !bench_interrupted; k++)
            for (int i = 0; i < RB_VARIANTS && !bench_interrupted; i++) {
                int v = (i + r + k) % RB_VARIANTS; /* who goes first rotates */
                if (!t[v].up)
                    continue;
                struct rb_sample *s = &t[v].s[k][r];
                measure(v, &t[v], &o, o.rates[k], s);
                fprintf(stderr, "bench: router %-5s offered %7s round %d: sent %ld, forwarded %ld (%.0f pps), "
                                "tender CPU %.2f s, softirq %.2f s %s\n",
                        rb_variant_names[v], rb_rate_text(o.rates[k]), r + 1, s->sent, s->forwarded,
                        s->seconds > 0 ? (double)s->forwarded / s->seconds : 0, s->router_cpu_s, s->softirq_s,
                        s->note);
            }
    rc = bench_interrupted ? 1 : rb_report(&run, t, &o);
cleanup:
    for (int v = 0; v < RB_VARIANTS; v++)
        bench_stop(t[v].pid, 3000);
    net_down();
    bench_rm_rf(tmpdir);
    if (bench_interrupted)
        fprintf(stderr, "unf bench router: interrupted; cleaned up\n");
    return rc;
}
