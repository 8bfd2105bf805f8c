/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router benchmark's load and counters: a bounded UDP packet generator (64-byte payloads,
 * sendmmsg in batches, paced to a fixed offered rate or as fast as one core can) that runs in a
 * forked child inside a namespace, pinned to one core; a link's packet counters read through
 * `ip -s -j link` in its namespace; CPU time of a process and of one core. The generator is
 * ours rather than a tool's so that the offered rate, the count and the duration are exact and
 * bounded, and the machine needs nothing beyond iproute2.
 */
#ifndef BENCH_ROUTER_GEN_H
#define BENCH_ROUTER_GEN_H

#include <sys/types.h>

#define RGEN_PAYLOAD 64

struct rgen_result {
    long sent;       /* datagrams the kernel accepted */
    long failed;     /* datagrams sendmmsg refused (ENOBUFS and the like) */
    double seconds;  /* from the first send to the end of the last */
};

/*
 * Sends RGEN_PAYLOAD-byte UDP datagrams from namespace ns to dst:port, pps per second (0: as
 * fast as it can), for ms milliseconds, pinned to core cpu (-1: not pinned). Runs in a child,
 * so the parent is never in the namespace; returns 0 and fills r, or -1 with err set.
 */
int rgen_run(const char *ns, const char *dst, int port, long pps, long ms, int cpu, struct rgen_result *r,
             char *err, size_t errlen);

/*
 * A sink for the load in namespace ns: a UDP socket bound to port with a small receive buffer
 * that is never read, so arriving datagrams cost a socket lookup and are dropped when the buffer
 * is full, instead of each asking for an ICMP port-unreachable. Its own process group (for
 * bench_stop). Returns the pid once bound, or -1.
 */
pid_t rgen_sink_start(const char *ns, int port);

struct rgen_link {
    long rx_packets, rx_dropped, tx_packets, tx_dropped;
};

/* The counters of link dev in namespace ns (NULL: the host). -1 when ip fails or says nothing. */
int rgen_link_stats(const char *ns, const char *dev, struct rgen_link *l);

/* utime + stime of pid in seconds; -1 when it cannot be read. */
double rgen_proc_cpu(pid_t pid);

/* Time core cpu spent in interrupts and softirqs in seconds, from /proc/stat; -1. Linux
 * forwards in softirq context, so this is the Linux router's CPU time (and the part of a tender's
 * packet work that runs outside its process) on a core that other work shares. */
double rgen_core_softirq(int cpu);
/* Seconds core cpu has been busy (user, nice, system, irq, softirq; not idle, iowait or steal).
 * With tick accounting (no CONFIG_IRQ_TIME_ACCOUNTING) a softirq that runs while a task runs is
 * counted both as that task's stime and as the core's softirq: only the core's total is exact. */
double rgen_core_busy(int cpu);

#endif
