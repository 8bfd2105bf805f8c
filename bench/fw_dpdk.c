/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dpdk-test-acl as the firewall classifier's peer (see fw_dpdk.h). Its output is read line by
 * line as it comes, each line stamped on arrival: the EAL's log lines come before the rule
 * file is read, and rte_acl's own log lines right after the build, which gives the build time
 * without a second process. Its stdout (config, results, the rate) is block-buffered and comes
 * at the end, which only matters for the rate and the answers, read whole.
 */
#include "fw_dpdk.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sys.h"

#define LINE_MAX_LEN 512

int bench_fw_dpdk_find(char *path, size_t len)
{
    return bench_find_in_path("dpdk-test-acl", path, len);
}

static int cpu_has(const char *flag)
{
    char buf[65536], word[40];
    if (bench_read_file("/proc/cpuinfo", buf, sizeof(buf)) <= 0)
        return 0;
    char *flags = strstr(buf, "\nflags");
    if (!flags)
        return 0;
    char *end = strchr(flags + 1, '\n');
    if (end)
        *end = '\0';
    snprintf(word, sizeof(word), " %s", flag);
    for (char *p = strstr(flags, word); p; p = strstr(p + 1, word)) {
        char after = p[strlen(word)];
        if (after == ' ' || after == '\0')
            return 1;
    }
    return 0;
}

const char *bench_fw_dpdk_vector_alg(void)
{
    if (cpu_has("avx512f") && cpu_has("avx512bw") && cpu_has("avx512vl") && cpu_has("avx512dq"))
        return "avx512x16";
    if (cpu_has("avx2"))
        return "avx2";
    if (cpu_has("sse4_1"))
        return "sse";
    return NULL;
}

/* What the output told so far. */
struct parse {
    double t_before_acl, t_acl; /* arrival of the last line before rte_acl's first, and of that one */
    int seen_acl, seen_total, seen_rate;
    double total, rate;
    long answered;
    const struct bench_fw_dpdk_run *run;
};

static void parse_line(struct parse *p, const char *line, double now)
{
    const char *s;
    if (!p->seen_acl) {
        if (strncmp(line, "ACL:", 4) == 0) {
            p->seen_acl = 1;
            p->t_acl = now;
        } else if (strncmp(line, "EAL:", 4) == 0 || strncmp(line, "TELEMETRY:", 10) == 0) {
            p->t_before_acl = now;
        }
    }
    if (!p->seen_total && strncmp(line, "total: ", 7) == 0 && sscanf(line + 7, "%lf", &p->total) == 1)
        p->seen_total = 1;
    if ((s = strstr(line, "cycles/pkt, ")) && strstr(line, "pkt/sec") && sscanf(s + 12, "%lf", &p->rate) == 1)
        p->seen_rate = 1;
    unsigned long pkt, result;
    if (p->run->answers && sscanf(line, "ipv4_5tuple: %lu, category: 0, result: %lu", &pkt, &result) == 2 &&
        pkt >= 1 && (long)pkt <= p->run->ntrace) {
        p->run->answers[pkt - 1] = result >= 0xffffffffUL ? -1 : (long)result;
        p->answered++;
    }
}

/* The EAL's runtime directory for our file prefix (it makes one even with --no-shconf). */
static void eal_dir(const char *prefix, char *out, size_t len)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (geteuid() == 0)
        bench_fmt(out, len, "/var/run/dpdk/%s", prefix);
    else
        bench_fmt(out, len, "%s/dpdk/%s", xdg && *xdg ? xdg : "/tmp", prefix);
}

/* Reads the child's output until EOF or the deadline; 1 when it ran out of time. */
static int read_output(int fd, double deadline, struct parse *p)
{
    char buf[8192], line[LINE_MAX_LEN];
    size_t used = 0;
    for (;;) {
        double left = deadline - bench_now_ms();
        if (left <= 0 || bench_interrupted)
            return 1;
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int r = poll(&pf, 1, left > 1000 ? 1000 : (int)left + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        double now = bench_now_ms();
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n' || used == sizeof(line) - 1) {
                line[used] = '\0';
                parse_line(p, line, now);
                used = 0;
            } else {
                line[used++] = buf[i];
            }
        }
    }
}

int bench_fw_dpdk_exec(const struct bench_fw_dpdk_run *run, struct bench_fw_dpdk_result *res)
{
    static unsigned seq;
    char prefix[64], dir[256], lcore[16], rulesf[300], tracef[300], rulenum[32], tracenum[32], iter[32], alg[32];
    struct parse p = {.run = run};
    int fds[2] = {-1, -1}, status = 0;
    memset(res, 0, sizeof(*res));
    bench_fmt(prefix, sizeof(prefix), "unf-bench-fw-%ld-%u", (long)getpid(), seq++);
    bench_fmt(lcore, sizeof(lcore), "%d", run->cpu >= 0 ? run->cpu : 0);
    bench_fmt(rulesf, sizeof(rulesf), "--rulesf=%s", run->rules);
    bench_fmt(tracef, sizeof(tracef), "--tracef=%s", run->trace);
    bench_fmt(rulenum, sizeof(rulenum), "--rulenum=%ld", run->nrules);
    bench_fmt(tracenum, sizeof(tracenum), "--tracenum=%ld", run->ntrace);
    bench_fmt(iter, sizeof(iter), "--iter=%ld", run->iters);
    bench_fmt(alg, sizeof(alg), "--alg=%s", run->alg);
    char fileprefix[96];
    bench_fmt(fileprefix, sizeof(fileprefix), "--file-prefix=%s", prefix);
    /* -l CPU: the EAL pins its main lcore to that CPU itself. No hugepages, no devices, no
     * shared config or telemetry socket: nothing that could meet another process's. */
    const char *argv[] = {run->bin, "--no-huge", "--no-pci", "--no-shconf", "--no-telemetry", fileprefix, "-l", lcore,
                          "-m", "4096", "--log-level=lib.acl:debug", "--", rulesf, tracef, rulenum, tracenum,
                          "--bldcat=1", "--runcat=1", iter, run->answers ? "--verbose=2" : "--verbose=1", alg, NULL};
    if (run->answers)
        for (long i = 0; i < run->ntrace; i++)
            run->answers[i] = -2; /* not answered */
    if (pipe2(fds, O_CLOEXEC) < 0) {
        bench_fmt(res->note, sizeof(res->note), "pipe: %s", strerror(errno));
        return -1;
    }
    double t0 = bench_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        bench_child_exec(argv, NULL, null_fd < 0 ? 0 : null_fd, fds[1], NULL);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        bench_fmt(res->note, sizeof(res->note), "fork: %s", strerror(errno));
        return -1;
    }
    int late = read_output(fds[0], t0 + (double)run->timeout_ms, &p);
    close(fds[0]);
    if (late) {
        bench_stop(pid, 2000);
        status = -1;
    } else {
        struct rusage ru;
        memset(&ru, 0, sizeof(ru));
        while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
            ;
        res->peak_rss_mib = (double)ru.ru_maxrss / 1024.0;
    }
    eal_dir(prefix, dir, sizeof(dir));
    rmdir(dir); /* empty after --no-shconf; a failure leaves only an empty directory */
    if (late) {
        bench_fmt(res->note, sizeof(res->note), "%s: stopped after %.0f s (%s)", run->alg, run->timeout_ms / 1000.0,
                  p.seen_acl ? "built, still classifying" : "still building");
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !p.seen_rate || !p.seen_acl) {
        bench_fmt(res->note, sizeof(res->note), "%s: dpdk-test-acl %s %d%s", run->alg,
                  WIFEXITED(status) ? "exited with" : "killed by signal",
                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
                  p.seen_rate ? "" : " without a rate line");
        return -1;
    }
    res->ok = 1;
    res->lookups_per_s = p.rate;
    res->build_ms = p.t_acl - p.t_before_acl;
    res->mem_bytes = p.seen_total ? p.total : -1;
    return 0;
}
