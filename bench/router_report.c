/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The report of `unf bench router` (see router_report.h). Each cell is the round with the median
 * forwarded rate, so its loss and CPU figures belong to one real run rather than being medians
 * of different runs. The target is judged at "max", where each router has one core and the
 * generator the other: the proc router's forwarded pps against Linux's in the same run, and the
 * same as a per-core capacity (1 / the router's CPU time per forwarded packet), which
 * still answers when the generator, not the router, is the limit.
 */
#include "router_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

const char *const rb_variant_names[RB_VARIANTS] = {"proc", "proc-xdp", "proc-tap", "xdp-floor", "linux"};

const char *rb_rate_text(long rate)
{
    static char buf[24];
    if (rate <= 0)
        return "max";
    snprintf(buf, sizeof(buf), "%ld", rate);
    return buf;
}

static double pps(const struct rb_sample *s) { return s->seconds > 0 ? (double)s->forwarded / s->seconds : 0; }

/* The sample of the median forwarded rate among the good rounds, or NULL. */
static const struct rb_sample *median(const struct rb_variant *t, int k, int rounds)
{
    const struct rb_sample *ok[RB_MAX_ROUNDS];
    int n = 0;
    for (int r = 0; r < rounds; r++)
        if (t->s[k][r].ok)
            ok[n++] = &t->s[k][r];
    for (int i = 1; i < n; i++) /* insertion sort by rate: at most RB_MAX_ROUNDS */
        for (int j = i; j > 0 && pps(ok[j - 1]) > pps(ok[j]); j--) {
            const struct rb_sample *x = ok[j];
            ok[j] = ok[j - 1];
            ok[j - 1] = x;
        }
    return n ? ok[n / 2] : NULL;
}

static double loss_pct(const struct rb_sample *s)
{
    long offered = s->sent + s->failed;
    return offered > 0 ? 100.0 * (double)(offered - s->forwarded) / (double)offered : 0;
}

/* The router's CPU per forwarded packet in microseconds: the busy time of its core when pinned
 * (the tender and the ingress softirq both run there; adding the tender's stime to the core's
 * softirq would count twice the softirqs that ran in the tender's time), else the core's softirq
 * time plus the tender's own; -1 when nothing was forwarded. */
static double cpu_us(const struct rb_sample *s, int v)
{
    double cpu = s->core_busy_s > 0 ? s->core_busy_s : s->softirq_s + (RB_IS_PROC(v) ? s->router_cpu_s : 0);
    return s->forwarded > 0 && cpu > 0 ? 1e6 * cpu / (double)s->forwarded : -1;
}

static void report_md(FILE *f, const struct bench_run *run, const struct rb_variant t[RB_VARIANTS],
                      const struct rb_opts *o)
{
    fprintf(f, "# unf bench router (%s)\n\n", run->date);
    bench_machine_md(f, run);
    fprintf(f, "- Load: 64-byte UDP payloads (106-byte frames) from the source namespace to the sink through "
               "the router, sendmmsg in batches of 32, %d s per step, %d interleaved rounds (the cell is the "
               "round with the median forwarded rate). %s\n",
            o->seconds, o->rounds,
            o->pin ? "Generator on core 0; the router on core 1 (the tender by affinity; the ingress veth's "
                     "receive work, Linux's forwarding included, by RPS)."
                   : "One core: nothing pinned.");
    fprintf(f, "- proc: the router unikernel under unf-proc on the veths themselves, through packet sockets "
               "with mapped receive rings and batched sends (`--net packet:IFACE`, as `unf run --platform proc` "
               "wires it); proc-xdp: the same kernel on AF_XDP sockets (`--net xdp:IFACE`: an XDP program on "
               "each veth redirects frames to the socket, rings shared with the guest; copy mode, as veths "
               "have no zero-copy; the veth's NAPI threaded and pinned to the router core, so its receive work "
               "is counted there, NAPI threads and tender SCHED_FIFO 50, as on a core dedicated to the router; the source sends full UDP checksums, as AF_XDP frames carry no partial-checksum "
               "mark); proc-tap: the same kernel on taps bridged with the veths (the wiring QEMU and hvt "
               "use, and proc's before); xdp-floor (a reference, not judged): the bench's own forwarder on "
               "the same AF_XDP sockets (the tender's module, same rings, scheduled as proc-xdp's tender), "
               "doing only new MACs, TTL-1 and the checksum patch with no guest, route lookup or ARP: "
               "mostly the kernel's share of this path, what a router on it can expect at best; linux: a "
               "namespace with "
               "ip_forward=1 routing between the same veths (no bridge, no tap). Forwarded = the sink's eth0 rx "
               "counter. The machine may be shared with other work on both cores: rates and CPU times vary "
               "from run to run. Router CPU = %s; per-core capacity = 1 / router CPU per forwarded packet.\n\n",
            o->pin ? "all busy time of core 1 (user+system+irq+softirq), where the tender and the ingress work run; "
                     "work of other processes on that core counts too"
                   : "irq+softirq time of core 0 plus the tender's utime+stime for proc (tick accounting may count "
                     "a softirq in both)");
    fprintf(f, "| offered pps | router | sent pps | forwarded pps | loss %% | router CPU us/pkt | of it tender "
               "us/pkt | note |\n|---|---|---|---|---|---|---|---|\n");
    for (int k = 0; k < o->nrates; k++)
        for (int v = 0; v < RB_VARIANTS; v++) {
            const struct rb_sample *s = median(&t[v], k, o->rounds);
            if (!s) {
                fprintf(f, "| %s | %s | - | - | - | - | - | %s |\n", rb_rate_text(o->rates[k]), rb_variant_names[v],
                        t[v].note[0] ? t[v].note : t[v].s[k][0].note);
                continue;
            }
            char cpu[32] = "-";
            if (RB_IS_PROC(v) && s->forwarded > 0)
                snprintf(cpu, sizeof(cpu), "%.2f", 1e6 * s->router_cpu_s / (double)s->forwarded);
            fprintf(f, "| %s | %s | %.0f | %.0f | %.2f | %.2f | %s | %s |\n", rb_rate_text(o->rates[k]),
                    rb_variant_names[v], (double)s->sent / s->seconds, pps(s), loss_pct(s), cpu_us(s, v), cpu,
                    s->note);
        }
    int kmax = -1;
    for (int k = 0; k < o->nrates; k++)
        if (o->rates[k] == 0)
            kmax = k;
    const struct rb_sample *l = kmax >= 0 ? median(&t[RB_LINUX], kmax, o->rounds) : NULL;
    double bl = l ? cpu_us(l, RB_LINUX) : -1;
    fprintf(f, "\n| target | proc / linux | verdict |\n|---|---|---|\n");
    for (int v = 0; v < RB_VARIANTS; v++) {
        if (!RB_IS_UNIKERNEL(v))
            continue;
        const struct rb_sample *p = kmax >= 0 ? median(&t[v], kmax, o->rounds) : NULL;
        int measured = p && l && pps(l) > 0;
        double ratio = measured ? pps(p) / pps(l) : 0;
        double bp = p ? cpu_us(p, v) : -1;
        int cap = measured && bp > 0 && bl > 0;
        char r1[64] = "-", r2[96] = "-";
        if (measured)
            snprintf(r1, sizeof(r1), "%.0f / %.0f pps = %.2f", pps(p), pps(l), ratio);
        if (cap)
            snprintf(r2, sizeof(r2), "%.0f / %.0f pps per core = %.2f", 1e6 / bp, 1e6 / bl, bl / bp);
        fprintf(f, "| %s: forwarded pps, one router core each, offered max: >= Linux | %s | %s |\n",
                rb_variant_names[v], r1, bench_verdict(measured, ratio >= 1.0, "no 'max' step measured for both"));
        fprintf(f, "| %s: per-core capacity (1 / router CPU per forwarded packet): >= Linux | %s | %s |\n",
                rb_variant_names[v], r2, bench_verdict(cap, cap && bl / bp >= 1.0, "no router CPU time for both"));
    }
    const struct rb_sample *fl = kmax >= 0 ? median(&t[RB_XDP_FLOOR], kmax, o->rounds) : NULL;
    double bf = fl ? cpu_us(fl, RB_XDP_FLOOR) : -1;
    if (bf > 0 && bl > 0) {
        const struct rb_sample *x = median(&t[RB_PROC_XDP], kmax, o->rounds);
        double bx = x ? cpu_us(x, RB_PROC_XDP) : -1;
        fprintf(f, "\nReference for the AF_XDP path (no target): the minimal forwarder xdp-floor %.0f pps per core "
                   "= %.2f of Linux's %.0f",
                1e6 / bf, bl / bf, 1e6 / bl);
        if (bx > 0)
            fprintf(f, "; proc-xdp reaches %.2f of xdp-floor's per-core rate", bf / bx);
        fprintf(f, ".\n");
    }
}

static int write_csv(struct bench_run *run, const struct rb_variant t[RB_VARIANTS], const struct rb_opts *o,
                     char *path, size_t len)
{
    FILE *f = bench_run_open(run, ".csv", path, len);
    if (!f)
        return -1;
    fprintf(f, "router,round,offered_pps,sent,failed,seconds,forwarded,sent_pps,forwarded_pps,loss_pct,"
               "tender_cpu_s,softirq_s,router_cpu_us_per_pkt\n");
    for (int v = 0; v < RB_VARIANTS; v++)
        for (int k = 0; k < o->nrates; k++)
            for (int r = 0; r < o->rounds; r++) {
                const struct rb_sample *s = &t[v].s[k][r];
                if (!s->ok)
                    continue;
                fprintf(f, "%s,%d,%ld,%ld,%ld,%.3f,%ld,%.0f,%.0f,%.3f,%.3f,%.3f,%.3f\n", rb_variant_names[v],
                        r + 1, o->rates[k], s->sent, s->failed, s->seconds, s->forwarded,
                        (double)s->sent / s->seconds, pps(s), loss_pct(s), RB_IS_PROC(v) ? s->router_cpu_s : 0,
                        s->softirq_s, cpu_us(s, v));
            }
    return bench_run_close(run, f, path);
}

int rb_report(struct bench_run *run, const struct rb_variant t[RB_VARIANTS], const struct rb_opts *o)
{
    char md[PATH_MAX], csv[PATH_MAX];
    report_md(stdout, run, t, o);
    fflush(stdout);
    FILE *f = bench_run_open(run, ".md", md, sizeof(md));
    if (!f)
        return 1;
    report_md(f, run, t, o);
    if (bench_run_close(run, f, md) < 0 || write_csv(run, t, o, csv, sizeof(csv)) < 0)
        return 1;
    bench_plot(run, "pps", csv, "unf bench router: forwarded vs sent pps (64-byte UDP)",
               "set xlabel 'sent pps'\nset ylabel 'forwarded pps'\nset key top left\n"
               "set datafile separator ','\nnames = 'proc proc-xdp proc-tap xdp-floor linux'\n"
               "plot for [i=1:words(names)] csv using (strcol(1) eq word(names, i) ? $8 : NaN):9 "
               "title word(names, i) with points pt 7, x title 'forwarded = sent' dt 2 lc rgb 'gray'\n",
               NULL, 0);
    bench_run_end(run);
    return 0;
}
