/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router benchmark's generator and counters (see router_gen.h). The generator paces by the
 * clock: at every turn it sends what the offered rate owes since the start (at most one batch),
 * and sleeps briefly when nothing is owed, so a late turn catches up instead of lowering the
 * rate. It runs in a forked child that joins the namespace and reports through a pipe; the
 * parent bounds it with a deadline and kills it when it overruns.
 */
#include "router_gen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "netns.h"
#include "sys.h"

#define BATCH 32

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The child: never returns. Exit status 0 with the result written to fd, else 1..4. */
static void gen_child(int fd, const char *ns, const char *dst, int port, long pps, long ms, int cpu)
{
    struct rgen_result r = {0};
    static unsigned char payload[BATCH][RGEN_PAYLOAD];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* a killed benchmark leaves no load behind */
    if (bench_ns_enter(ns) < 0 || inet_pton(AF_INET, dst, &to.sin_addr) != 1)
        _exit(2);
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        if (sched_setaffinity(0, sizeof(set), &set) < 0)
            _exit(3);
    }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to)) < 0)
        _exit(4);
    memset(msgs, 0, sizeof(msgs));
    for (int i = 0; i < BATCH; i++) {
        memset(payload[i], 0x5a, RGEN_PAYLOAD);
        iov[i].iov_base = payload[i];
        iov[i].iov_len = RGEN_PAYLOAD;
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
    }
    double t0 = now_s(), end = t0 + (double)ms / 1000.0, t = t0;
    uint32_t seq = 0;
    while ((t = now_s()) < end) {
        long want = BATCH;
        if (pps > 0) {
            long owed = (long)((t - t0) * (double)pps) - (r.sent + r.failed);
            if (owed <= 0) {
                struct timespec nap = {0, 20000};
                nanosleep(&nap, NULL);
                continue;
            }
            want = owed < BATCH ? owed : BATCH;
        }
        for (long i = 0; i < want; i++) { /* a sequence number, for whoever captures the frames */
            seq++;
            memcpy(payload[i], &seq, sizeof(seq));
        }
        int n = sendmmsg(s, msgs, (unsigned)want, 0);
        if (n < 0) {
            if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED)
                break;
            r.failed += want;
            continue;
        }
        r.sent += n;
        r.failed += want - n; /* a short count: the first unsent one failed */
    }
    r.seconds = t - t0;
    close(s);
    if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
        _exit(1);
    _exit(0);
}

int rgen_run(const char *ns, const char *dst, int port, long pps, long ms, int cpu, struct rgen_result *r,
             char *err, size_t errlen)
{
    int fd;
    pid_t pid = bench_fork_piped(&fd, err, errlen);
    if (pid < 0)
        return -1;
    if (pid == 0)
        gen_child(fd, ns, dst, port, pps, ms, cpu);
    int st = 0, rc = -1;
    double deadline = bench_now_ms() + (double)ms + 10000;
    for (;;) {
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            bench_fmt(err, errlen, "waitpid: %s", strerror(errno));
            goto cleanup;
        }
        if (bench_now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            bench_fmt(err, errlen, "the generator overran its %ld ms", ms);
            goto cleanup;
        }
        bench_sleep_ms(10);
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        static const char *const why[] = {"", "could not report", "could not enter the namespace",
                                          "could not pin its core", "could not open its socket"};
        int code = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
        bench_fmt(err, errlen, "the generator failed: %s", code >= 1 && code <= 4 ? why[code] : "killed");
        goto cleanup;
    }
    if (read(fd, r, sizeof(*r)) != (ssize_t)sizeof(*r)) {
        bench_fmt(err, errlen, "the generator's report is short");
        goto cleanup;
    }
    rc = 0;
cleanup:
    close(fd);
    return rc;
}

pid_t rgen_sink_start(const char *ns, int port)
{
    int fd;
    char ok = 0;
    pid_t pid = bench_fork_piped(&fd, NULL, 0);
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* nor a sink holding a deleted namespace */
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        int rcvbuf = 4096;
        int s = bench_ns_enter(ns) < 0 ? -1 : socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0 || setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0 ||
            bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
            _exit(1);
        ok = 1;
        if (write(fd, &ok, 1) != 1)
            _exit(1);
        close(fd);
        for (;;)
            pause(); /* until bench_stop's SIGTERM */
    }
    if (pid < 0)
        return -1;
    if (read(fd, &ok, 1) != 1 || !ok) {
        waitpid(pid, NULL, 0);
        pid = -1;
    }
    close(fd);
    return pid;
}

int rgen_link_stats(const char *ns, const char *dev, struct rgen_link *l)
{
    char out[8192] = "";
    const char *argv[] = {"ip", "-n", ns ? ns : "", "-s", "-j", "link", "show", "dev", dev, NULL};
    const char *host[] = {"ip", "-s", "-j", "link", "show", "dev", dev, NULL};
    if (bench_cmd(ns ? argv : host, out, sizeof(out), 15000) != 0)
        return -1;
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    json_t *st = json_object_get(json_array_get(j, 0), "stats64");
    json_t *rx = json_object_get(st, "rx"), *tx = json_object_get(st, "tx");
    int rc = -1;
    if (json_is_object(rx) && json_is_object(tx)) {
        l->rx_packets = (long)json_integer_value(json_object_get(rx, "packets"));
        l->rx_dropped = (long)json_integer_value(json_object_get(rx, "dropped"));
        l->tx_packets = (long)json_integer_value(json_object_get(tx, "packets"));
        l->tx_dropped = (long)json_integer_value(json_object_get(tx, "dropped"));
        rc = 0;
    }
    json_decref(j);
    return rc;
}

double rgen_proc_cpu(pid_t pid)
{
    char path[64], buf[2048];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if (bench_read_file(path, buf, sizeof(buf)) <= 0)
        return -1;
    /* After "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
     * utime stime, i.e. fields 12 and 13 of what follows the closing parenthesis. */
    const char *p = strrchr(buf, ')');
    unsigned long long ut, stime;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &stime) != 2)
        return -1;
    return (double)(ut + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Fields of "cpuN" in /proc/stat, in seconds: [0] user .. [7] steal; -1 when unreadable. */
static int core_times(int cpu, double t[8])
{
    static char buf[16384];
    char tag[16];
    if (bench_read_file("/proc/stat", buf, sizeof(buf)) <= 0)
        return -1;
    snprintf(tag, sizeof(tag), "\ncpu%d ", cpu);
    const char *p = strstr(buf, tag);
    unsigned long long v[8];
    if (!p || sscanf(p + strlen(tag), "%llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                     &v[4], &v[5], &v[6], &v[7]) != 8)
        return -1;
    for (int i = 0; i < 8; i++)
        t[i] = (double)v[i] / (double)sysconf(_SC_CLK_TCK);
    return 0;
}

double rgen_core_softirq(int cpu)
{
    double t[8]; /* user nice system idle iowait irq softirq steal */
    return core_times(cpu, t) < 0 ? -1 : t[5] + t[6];
}

double rgen_core_busy(int cpu)
{
    double t[8];
    return core_times(cpu, t) < 0 ? -1 : t[0] + t[1] + t[2] + t[5] + t[6];
}
