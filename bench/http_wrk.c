/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * wrk runs and their reports (see http_wrk.h). wrk prints latencies with a unit suffix (us, ms,
 * s) and counts with none; only the lines named below are read, so a wrk that adds lines does not
 * confuse the parser. CPU time comes from /proc/PID/stat of the server's process tree.
 */
#include "http_wrk.h"

#include <dirent.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pss.h"
#include "sys.h"

#define MAX_TREE 64

/* "123.45us" -> milliseconds; -1 when not a latency. */
static double latency_ms(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s)
        return -1;
    if (strncmp(end, "us", 2) == 0)
        return v / 1000.0;
    if (strncmp(end, "ms", 2) == 0)
        return v;
    if (end[0] == 's')
        return v * 1000.0;
    if (end[0] == 'm')
        return v * 60000.0;
    return -1;
}

/* The text after `key` on the line that contains it, or NULL. */
static const char *after(const char *text, const char *key)
{
    const char *p = strstr(text, key);
    if (!p)
        return NULL;
    p += strlen(key);
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

int bench_wrk_parse(const char *text, struct bench_wrk *out)
{
    const char *p;
    out->rps = -1;
    out->lat_avg_ms = out->lat_p50_ms = out->lat_p99_ms = -1;
    if ((p = after(text, "Requests/sec:")))
        out->rps = strtod(p, NULL);
    if ((p = after(text, "Latency ")))
        out->lat_avg_ms = latency_ms(p);
    if ((p = after(text, " 50% ")))
        out->lat_p50_ms = latency_ms(p);
    if ((p = after(text, " 99% ")))
        out->lat_p99_ms = latency_ms(p);
    const char *req = strstr(text, " requests in ");
    if (req) {
        const char *start = req;
        while (start > text && start[-1] != '\n' && start[-1] != ' ')
            start--;
        out->requests = strtol(start, NULL, 10);
    }
    long c = 0, r = 0, w = 0, t = 0;
    if ((p = after(text, "Socket errors:")) && sscanf(p, "connect %ld, read %ld, write %ld, timeout %ld", &c, &r, &w, &t) == 4)
        out->errors = c + r + w + t;
    if ((p = after(text, "Non-2xx or 3xx responses:")))
        out->non2xx = strtol(p, NULL, 10);
    return out->rps >= 0 ? 0 : -1;
}

double bench_cpu_seconds(pid_t root)
{
    pid_t pids[MAX_TREE];
    int n = bench_proc_tree(root, pids, MAX_TREE);
    long ticks = sysconf(_SC_CLK_TCK);
    double total = 0;
    if (n <= 0 || ticks <= 0)
        return -1;
    for (int i = 0; i < n; i++) {
        char path[64], buf[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pids[i]);
        if (bench_read_file(path, buf, sizeof(buf)) <= 0)
            continue;
        const char *close = strrchr(buf, ')'); /* the command name may hold spaces */
        unsigned long ut = 0, st = 0;
        if (close && sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
            total += (double)(ut + st) / (double)ticks;
    }
    return total;
}

/* Busy CPU seconds of the whole host since boot (all but idle and iowait), or -1. */
static double host_busy_seconds(void)
{
    char buf[512];
    unsigned long long v[8] = {0};
    long ticks = sysconf(_SC_CLK_TCK);
    if (ticks <= 0 || bench_read_file("/proc/stat", buf, sizeof(buf)) <= 0 ||
        sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6],
               &v[7]) != 8)
        return -1;
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)ticks;
}

static double children_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) < 0)
        return -1;
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int bench_pin_tree(pid_t root, int cpu)
{
    pid_t pids[MAX_TREE];
    int n = bench_proc_tree(root, pids, MAX_TREE), rc = 0;
    cpu_set_t set;
    if (n <= 0 || cpu < 0 || cpu >= CPU_SETSIZE)
        return -1;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    for (int i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/task", (int)pids[i]);
        DIR *d = opendir(path);
        if (!d) {
            rc = -1;
            continue;
        }
        for (struct dirent *e; (e = readdir(d));) { /* threads too: affinity is per thread */
            if (e->d_name[0] != '.' && sched_setaffinity((pid_t)atoi(e->d_name), sizeof(set), &set) < 0)
                rc = -1;
        }
        closedir(d);
    }
    return rc;
}

int bench_wrk_run(const char *url, int conns, int seconds, pid_t server_pid, int client_cpu, struct bench_wrk *out)
{
    char threads[16], c[16], d[16], cpu[16];
    static char text[16384];
    memset(out, 0, sizeof(*out));
    out->cpu_s = out->host_cpu_s = -1;
    snprintf(threads, sizeof(threads), "%d", conns < 2 ? conns : 2);
    snprintf(c, sizeof(c), "%d", conns);
    snprintf(d, sizeof(d), "%ds", seconds);
    snprintf(cpu, sizeof(cpu), "%d", client_cpu);
    const char *pinned[] = {"taskset", "-c", cpu, "wrk", "-t", threads, "-c", c, "-d", d, "--latency", "--timeout", "2s", url, NULL};
    const char *const *argv = client_cpu >= 0 ? pinned : pinned + 3;
    double cpu0 = server_pid > 0 ? bench_cpu_seconds(server_pid) : -1;
    double host0 = host_busy_seconds(), kids0 = children_seconds();
    int rc = bench_cmd(argv, text, sizeof(text), (long)(seconds + 20) * 1000);
    double host1 = host_busy_seconds(), kids1 = children_seconds(); /* wrk is reaped by now */
    double cpu1 = server_pid > 0 ? bench_cpu_seconds(server_pid) : -1;
    if (cpu0 >= 0 && cpu1 >= cpu0)
        out->cpu_s = cpu1 - cpu0;
    if (host0 >= 0 && host1 >= host0 && kids0 >= 0 && kids1 >= kids0)
        out->host_cpu_s = (host1 - host0) - (kids1 - kids0);
    if (rc != 0) {
        bench_fmt(out->err, sizeof(out->err), "wrk exited with status %d: %s", rc, bench_chomp(text));
        return -1;
    }
    if (bench_wrk_parse(text, out) < 0) {
        bench_fmt(out->err, sizeof(out->err), "no rate in wrk's report: %s", bench_chomp(text));
        return -1;
    }
    out->ok = 1;
    return 0;
}
