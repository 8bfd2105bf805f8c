/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What `unf bench router` measured and how it is reported: the options, one sample per offered
 * rate, variant and round, and the report (Markdown on stdout and in the run's .md, a CSV of
 * every sample, a figure of forwarded vs offered pps) with the verdict of the router target.
 */
#ifndef BENCH_ROUTER_REPORT_H
#define BENCH_ROUTER_REPORT_H

#include <sys/types.h>

#include "harness.h"

#define RB_MAX_RATES 8
#define RB_MAX_ROUNDS 9

/* proc: the tender on the veths themselves through packet sockets with mapped rings (the runtime's
 * wiring for proc); proc-xdp: the tender on AF_XDP sockets; proc-tap: taps bridged with the veths
 * (the wiring QEMU and hvt need); xdp-floor: the bench's own minimal forwarder on the same AF_XDP
 * sockets (router_floor.h), a reference with no target; linux: IPv4 forwarding between the veths. */
enum { RB_PROC, RB_PROC_XDP, RB_PROC_TAP, RB_XDP_FLOOR, RB_LINUX, RB_VARIANTS };
#define RB_IS_PROC(v) ((v) != RB_LINUX)              /* a process forwards: a tender or the floor */
#define RB_IS_UNIKERNEL(v) ((v) < RB_XDP_FLOOR)       /* judged against the target */
#define RB_IS_XDP(v) ((v) == RB_PROC_XDP || (v) == RB_XDP_FLOOR)

extern const char *const rb_variant_names[RB_VARIANTS];

struct rb_opts {
    int seconds, rounds, nrates, pin;
    long rates[RB_MAX_RATES]; /* packets/s; 0 = as fast as one core sends */
    unsigned skip;            /* bit v set: variant v not run (--variants) */
    const char *out;
};

struct rb_sample {
    int ok;
    long sent, failed, forwarded;
    double seconds;      /* the generator's sending time */
    double router_cpu_s; /* utime + stime of the tender (proc only) */
    double softirq_s;    /* irq + softirq time of the router's core */
    double core_busy_s;  /* all busy time of the router's core (pinned runs) */
    char note[160];
};

struct rb_variant {
    int up;
    pid_t pid; /* the tender or the floor forwarder; -1 */
    char note[256];
    struct rb_sample s[RB_MAX_RATES][RB_MAX_ROUNDS];
};

/* "20000" or "max"; a static buffer: print it right away. */
const char *rb_rate_text(long rate);

/* Markdown to stdout and files; 0, or 1 when a file could not be written. */
int rb_report(struct bench_run *run, const struct rb_variant t[RB_VARIANTS], const struct rb_opts *o);

#endif
