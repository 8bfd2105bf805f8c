/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * End-to-end part of `unf bench fw` (see fw_e2e.h). Helper commands (ip, nft, iperf3, ping)
 * run through bench_cmd with deadlines; the long-lived ones (the tender, iperf3 servers) are
 * forked here, in their own process groups, and always stopped before the namespaces go.
 * Namespaces and links use fixed names under the "ufw" prefix; stale ones from a killed run are
 * removed first.
 */
#include "fw_e2e.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runtime/driver.h"
#include "fw_gen.h"
#include "netns.h"
#include "sys.h"

#define KERNEL "build/kernels/firewall/x86_64-proc"
#define NS_FW "ufwF"
#define NS_NFT "ufwN"
#define NS_C1 "ufwC1"
#define NS_S1 "ufwS1"
#define NS_C2 "ufwC2"
#define NS_S2 "ufwS2"
#define CIP "10.78.0.1"
#define SIP "10.78.0.2"
#define OUT_MAX (512 * 1024)
#define MAX_PROCS 4

static const char *const all_ns[] = {NS_FW, NS_NFT, NS_C1, NS_S1, NS_C2, NS_S2};
static pid_t procs[MAX_PROCS];
static char *out;   /* captured output of the last command */

/* Formats a command, splits it on spaces (no shell, no quoting) and runs it. */
static int run(long timeout_ms, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(long timeout_ms, const char *fmt, ...)
{
    char line[1024];
    const char *argv[64];
    int argc = 0;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(line))
        return -1;
    char *save = NULL;
    for (char *w = strtok_r(line, " ", &save); w && argc < 63; w = strtok_r(NULL, " ", &save))
        argv[argc++] = w;
    argv[argc] = NULL;
    out[0] = '\0';
    return bench_cmd(argv, out, OUT_MAX, timeout_ms);
}

/* Starts argv in the background (bench_spawn) and remembers it for topo_down. */
static pid_t spawn(const char *const argv[], const char *log)
{
    pid_t pid = bench_spawn(argv, NULL, log, NULL);
    for (int i = 0; pid > 0 && i < MAX_PROCS; i++) {
        if (procs[i] == 0) {
            procs[i] = pid;
            break;
        }
    }
    return pid;
}

static void stop(pid_t pid)
{
    bench_stop(pid, 3000);
    for (int i = 0; pid > 0 && i < MAX_PROCS; i++)
        if (procs[i] == pid)
            procs[i] = 0;
}

static void topo_down(void)
{
    for (int i = 0; i < MAX_PROCS; i++)
        stop(procs[i]);
    for (size_t i = 0; i < sizeof(all_ns) / sizeof(all_ns[0]); i++)
        bench_ns_del(all_ns[i]);
}

/* Client c and server s, each with eth0 on a veth whose other end is v0/v1 in the middle box. */
static int endpoints(const char *c, const char *s, const char *mid, char *err, size_t errlen)
{
    return bench_veth_pair(c, "eth0", mid, "v0", err, errlen) || bench_veth_pair(s, "eth0", mid, "v1", err, errlen) ||
           bench_ip_batch(c, err, errlen, "addr add " CIP "/24 dev eth0\nlink set eth0 up\n") ||
           bench_ip_batch(s, err, errlen, "addr add " SIP "/24 dev eth0\nlink set eth0 up\n");
}

static int topo_up(char *err, size_t errlen)
{
    static const char *const no_ipv6[] = {"net.ipv6.conf.all.disable_ipv6=1", NULL};
    static const char *const nf_bridge[] = {"net.bridge.bridge-nf-call-iptables=1", NULL};
    char why[512] = "";
    topo_down();
    for (size_t i = 0; i < sizeof(all_ns) / sizeof(all_ns[0]); i++) {
        if (bench_ns_add(all_ns[i], why, sizeof(why)) < 0)
            goto fail;
        bench_ns_sysctl(all_ns[i], no_ipv6, NULL, 0);
    }
    if (endpoints(NS_C1, NS_S1, NS_FW, why, sizeof(why)) || endpoints(NS_C2, NS_S2, NS_NFT, why, sizeof(why)))
        goto fail;
    for (int k = 0; k < 2; k++) {
        if (bench_ip_batch(NS_FW, why, sizeof(why),
                           "tuntap add dev t%d mode tap\nlink add br%d type bridge\nlink set t%d master br%d\n"
                           "link set v%d master br%d\nlink set t%d up\nlink set v%d up\nlink set br%d up\n",
                           k, k, k, k, k, k, k, k, k) < 0)
            goto fail;
    }
    if (bench_ip_batch(NS_NFT, why, sizeof(why),
                       "link add br0 type bridge\nlink set v0 master br0\nlink set v1 master br0\n"
                       "link set v0 up\nlink set v1 up\nlink set br0 up\n") < 0 ||
        bench_ns_sysctl(NS_NFT, nf_bridge, why, sizeof(why)) < 0)
        goto fail;
    const char *s1[] = {"ip", "netns", "exec", NS_S1, "iperf3", "-s", NULL};
    const char *s2[] = {"ip", "netns", "exec", NS_S2, "iperf3", "-s", NULL};
    if (spawn(s1, "/dev/null") < 0 || spawn(s2, "/dev/null") < 0)
        goto fail;
    return 0;
fail:
    bench_fmt(err, errlen, "cannot build the namespaces: %s", why[0] ? why : "cannot start iperf3");
    topo_down();
    return -1;
}

/* The number after `"key":` at or after p. */
static double json_num(const char *p, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    const char *k = p ? strstr(p, pat) : NULL;
    return k ? strtod(k + strlen(pat), NULL) : -1;
}

static double median3(double *v)
{
    double a = v[0], b = v[1], c = v[2];
    return a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);
}

/* One iperf3 run; TCP: received Mbit/s; UDP: received Mbit/s and loss. -1 when it failed. */
static double iperf(const char *ns, int seconds, int udp, double *loss)
{
    long limit = (seconds + 20) * 1000L;
    if (run(limit, "ip netns exec %s iperf3 -c " SIP " -t %d -J%s", ns, seconds,
            udp ? " -u -b 1G -l 1470" : "") != 0)
        return -1;
    const char *end = strstr(out, "\"end\":");
    const char *sum = end ? strstr(end, "\"sum_received\"") : NULL;
    if (!sum && udp)
        sum = end ? strstr(end, "\"sum\"") : NULL;
    if (loss)
        *loss = json_num(sum, "lost_percent");
    double bps = json_num(sum, "bits_per_second");
    return bps < 0 ? -1 : bps / 1e6;
}

/* ping, then three iperf3 TCP and three UDP runs, alternating (medians: the machine is
 * shared and single runs scatter); fills row (ok = everything ran). */
static void measure(const char *ns, int seconds, struct bench_fw_e2e_row *row)
{
    double tcp[3] = {-1, -1, -1}, udp[3] = {-1, -1, -1}, loss[3] = {0, 0, 0};
    run(5000, "ip netns exec %s ping -n -c 1 -W 2 " SIP, ns); /* ARP and caches */
    if (run(20000, "ip netns exec %s ping -n -q -c 20 -i 0.05 -W 1 " SIP, ns) != 0) {
        bench_fmt(row->note, sizeof(row->note), "ping failed: %s", bench_chomp(out));
        return;
    }
    const char *rtt = strstr(out, "rtt min/avg/max");
    double mn, avg, mx;
    if (!rtt || sscanf(strchr(rtt, '=') + 1, "%lf/%lf/%lf", &mn, &avg, &mx) != 3) {
        bench_fmt(row->note, sizeof(row->note), "cannot read ping's summary");
        return;
    }
    row->ping_avg_ms = avg, row->ping_max_ms = mx;
    for (int i = 0; i < 3 && !bench_interrupted; i++) {
        /* One retry each: on a loaded machine a UDP run at 1G now and then ends with iperf3's
         * control connection giving up; a second failure is the row's. */
        for (int a = 0; a < 2 && (tcp[i] = iperf(ns, seconds, 0, NULL)) < 0; a++)
            bench_sleep_ms(1000);
        for (int a = 0; tcp[i] >= 0 && a < 2 && (udp[i] = iperf(ns, seconds, 1, &loss[i])) < 0; a++)
            bench_sleep_ms(1000);
        if (tcp[i] < 0 || udp[i] < 0) {
            const char *e = strstr(out, "\"error\":");
            char why[120] = "";
            if (e)
                bench_fmt(why, sizeof(why), ": %.100s", e + 8);
            bench_fmt(row->note, sizeof(row->note), "iperf3 %s failed twice%s", tcp[i] < 0 ? "TCP" : "UDP",
                      bench_chomp(why));
            return;
        }
    }
    if (bench_interrupted)
        return;
    row->tcp_mbps = median3(tcp);
    row->udp_mbps = median3(udp);
    row->udp_loss_pct = median3(loss);
    row->ok = 1;
}

static int write_files(const char *dir, const struct fw_rule *rules, long n)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/fw.rules", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = bench_fw_write_rules(f, rules, (size_t)n);
    if (fclose(f) != 0 || rc < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/fw.nft", dir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    rc = bench_fw_write_nft(f, "ufw", rules, (size_t)n);
    if (fclose(f) != 0 || rc < 0)
        return -1;
    snprintf(path, sizeof(path), "%s/fw-sets.nft", dir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    rc = bench_fw_write_nft_sets(f, "ufw", rules, (size_t)n);
    if (fclose(f) != 0 || rc < 0)
        return -1;
    return run(120000, "tar --format=ustar -C %s -cf %s/rules.tar fw.rules", dir, dir) == 0 ? 0 : -1;
}

/* `ip netns exec NS_FW` + the proc driver's argv for the firewall: what `unf run --platform proc`
 * would start. Strings live in a. */
static int tender_argv(const char *tar, long mem_mib, struct driver_argv *a, const char **argv, int max)
{
    const char *prefix[] = {"ip", "netns", "exec", NS_FW};
    const struct driver *d = driver_find("proc");
    struct driver_launch l = {
        .kernel = KERNEL,
        .archive = tar,
        .cmdline = "-- --rules fw.rules",
        .mem = (uint64_t)mem_mib * 1024 * 1024,
        .cpus = 1,
        .nics = {{.tap = "t0", .mac = NULL}, {.tap = "t1", .mac = NULL}},
        .nnics = 2,
    };
    int n = 0;
    if (!d || d->build(&l, a) < 0 || a->argc + 5 > max)
        return -1;
    for (; n < 4; n++)
        argv[n] = prefix[n];
    for (int i = 0; i < a->argc; i++)
        argv[n++] = a->argv[i];
    argv[n] = NULL;
    return 0;
}

static void unikernel_row(const char *dir, long n, int seconds, long fixed_mib, struct bench_fw_e2e_row *row)
{
    char tar[PATH_MAX], log[PATH_MAX], mem[32], buf[4096];
    const char *argv[DRIVER_MAX_ARGS + 8];
    struct driver_argv a;
    long mem_mib = fixed_mib ? fixed_mib : 64 + n * 320 / 1048576;
    snprintf(tar, sizeof(tar), "%s/rules.tar", dir);
    snprintf(log, sizeof(log), "%s/fw.log", dir);
    snprintf(mem, sizeof(mem), "%ldM", mem_mib);
    if (tender_argv(tar, mem_mib, &a, argv, (int)(sizeof(argv) / sizeof(argv[0]))) < 0) {
        bench_fmt(row->note, sizeof(row->note), "the proc driver could not build a command line");
        return;
    }
    unlink(log); /* the previous run's log must not be read as this one's */
    double t0 = bench_now_ms();
    pid_t pid = spawn(argv, log);
    if (pid < 0) {
        bench_fmt(row->note, sizeof(row->note), "cannot start the tender");
        return;
    }
    for (;;) {
        long got = bench_read_file(log, buf, sizeof(buf));
        if (got > 0 && strstr(buf, "forwarding between"))
            break;
        if (waitpid(pid, NULL, WNOHANG) == pid || bench_now_ms() - t0 > 300000 || bench_interrupted) {
            bench_fmt(row->note, sizeof(row->note), "firewall did not come up: %s", got > 0 ? bench_chomp(buf) : "");
            stop(pid);
            return;
        }
        bench_sleep_ms(20);
    }
    row->load_s = (bench_now_ms() - t0) / 1000.0;
    measure(NS_C1, seconds, row);
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    if (row->ok)
        bench_fmt(row->note, sizeof(row->note), "--mem %s; %s", mem, buf);
    stop(pid);
}

static void nft_row(const char *dir, const char *file, long n, int seconds, struct bench_fw_e2e_row *row)
{
    double t0 = bench_now_ms();
    int rc = run(600000, "ip netns exec " NS_NFT " nft -f %s/%s", dir, file);
    if (rc != 0) {
        /* nft names the file and line first; the reason is on the same line after "Error: " */
        const char *why = strstr(out, "Error: ");
        char *nl = strchr(out, '\n');
        if (nl)
            *nl = '\0';
        int overlap = why && (strstr(why, "File exists") || strstr(why, "not empty"));
        bench_fmt(row->note, sizeof(row->note), "nft -f failed (status %d): %s%s", rc, why ? why : bench_chomp(out),
                  overlap ? " (interval sets of concatenations reject overlapping elements)" : "");
        run(60000, "ip netns exec " NS_NFT " nft flush ruleset");
        return;
    }
    row->load_s = (bench_now_ms() - t0) / 1000.0;
    measure(NS_C2, seconds, row);
    if (row->ok)
        bench_fmt(row->note, sizeof(row->note), "%ld rules %s", n,
                  strcmp(file, "fw.nft") == 0 ? "in one chain" : "as 3 interval sets (concatenations)");
    run(120000, "ip netns exec " NS_NFT " nft flush ruleset");
}

int bench_fw_e2e_run(const struct bench_fw_e2e_opts *o, struct bench_fw_e2e_row *rows, int maxrows, int *nrows,
                     char *err, size_t errlen)
{
    char dir[] = "/tmp/unf-bench-fw-XXXXXX";
    struct fw_rule *rules = NULL;
    int rc = -1;
    long maxn = 0;
    int made = 0;
    *nrows = 0;
    struct driver_argv probe;
    const struct driver *proc = driver_find("proc");
    struct driver_launch l = {.kernel = KERNEL, .cmdline = "", .mem = 1};
    if (!proc || proc->build(&l, &probe) < 0 || access(probe.argv[0], X_OK) != 0 || access(KERNEL, R_OK) != 0) {
        bench_fmt(err, errlen, "the proc tender or %s missing (make build/bin/unf-proc %s)", KERNEL, KERNEL);
        return -1;
    }
    out = malloc(OUT_MAX);
    for (int i = 0; i < o->ncounts; i++)
        maxn = o->counts[i] > maxn ? o->counts[i] : maxn;
    rules = malloc((size_t)maxn * sizeof(*rules));
    if (!out || !rules || !mkdtemp(dir)) {
        bench_fmt(err, errlen, "no memory or no temporary directory");
        goto cleanup;
    }
    made = 1;
    if (topo_up(err, errlen) < 0)
        goto cleanup;
    for (int i = 0; i < o->ncounts && !bench_interrupted && *nrows + 3 <= maxrows; i++) {
        long n = o->counts[i];
        bench_fw_gen_rules(rules, (size_t)n, o->seed, BENCH_FW_CLIENT, BENCH_FW_SERVER);
        if (write_files(dir, rules, n) < 0) {
            bench_fmt(err, errlen, "cannot write the rule files in %s", dir);
            goto cleanup;
        }
        struct bench_fw_e2e_row *row = &rows[(*nrows)++];
        memset(row, 0, sizeof(*row));
        row->variant = "proc firewall";
        row->rules = n;
        fprintf(stderr, "bench: fw: end to end, proc firewall, %ld rules\n", n);
        unikernel_row(dir, n, o->seconds, o->mem_mib, row);
        for (int v = 0; v < 2; v++) {
            row = &rows[(*nrows)++];
            memset(row, 0, sizeof(*row));
            row->variant = v ? "nftables sets" : "nftables chain";
            row->rules = n;
            if (n > o->nft_max) {
                bench_fmt(row->note, sizeof(row->note), "not tried (above --nft-max %ld)", o->nft_max);
                continue;
            }
            fprintf(stderr, "bench: fw: end to end, %s, %ld rules\n", row->variant, n);
            nft_row(dir, v ? "fw-sets.nft" : "fw.nft", n, o->seconds, row);
        }
    }
    rc = 0;
cleanup:
    topo_down();
    if (made) /* not "name still ends in X": mkdtemp's own names end in X one time in 62 */
        bench_rm_rf(dir);
    free(rules);
    free(out);
    out = NULL;
    return rc;
}
