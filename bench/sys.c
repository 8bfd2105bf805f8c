/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host helpers for the benchmark: clock, sleeping, running helper commands with a deadline and
 * captured output, and the file operations the runc bundle and the cleanup need. Helper commands
 * (ip, runc) only ever run outside the timed region, so their cost does not matter; what matters
 * is that they cannot hang the benchmark and cannot be killed halfway by the user's ^C.
 */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/cmd.h"
#include "netns.h"

volatile sig_atomic_t bench_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    bench_interrupted = 1;
}

int bench_sys_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    if (sigemptyset(&sa.sa_mask) < 0)
        return -1;
    /* No SA_RESTART: poll() and nanosleep() must return so the loops see the flag. */
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0 ||
        sigaction(SIGHUP, &sa, NULL) < 0)
        return -1;
    return 0;
}

double bench_now_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
        return 0.0; /* cannot happen for CLOCK_MONOTONIC on Linux */
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int bench_sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0) {
        if (errno != EINTR || bench_interrupted)
            return -1;
    }
    return 0;
}

/* The runtime's runner: own process group (a deadline kills what the tool started; the user's
 * ^C reaches the benchmark alone), output to /dev/null when not captured. */
int bench_cmd(const char *const argv[], char *out, size_t outlen, long timeout_ms)
{
    return cmd_run(argv, NULL, out, outlen, timeout_ms);
}

void bench_child_exec(const char *const argv[], const char *ns, int in_fd, int out_fd, const char *files)
{
    if (setpgid(0, 0) < 0 || (ns && bench_ns_enter(ns) < 0) || dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 ||
        dup2(out_fd, 2) < 0)
        _exit(126);
    if (files && setenv("UNF_FILES", files, 1) < 0)
        _exit(126);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
}

pid_t bench_fork_piped(int *fd, char *err, size_t errlen)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        bench_fmt(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        bench_fmt(err, errlen, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    close(p[pid == 0 ? 0 : 1]);
    *fd = p[pid == 0 ? 1 : 0];
    return pid;
}

pid_t bench_spawn(const char *const argv[], const char *ns, const char *log, const char *files)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    int out = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : open("/dev/null", O_WRONLY | O_CLOEXEC);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || null_fd < 0)
        _exit(126);
    bench_child_exec(argv, ns, null_fd, out, files);
}

void bench_stop(pid_t pid, long grace_ms)
{
    if (pid <= 0)
        return;
    kill(-pid, SIGTERM);
    for (long waited = 0; waited < grace_ms && waitpid(pid, NULL, WNOHANG) == 0; waited += 100) {
        struct timespec ts = {0, 100000000L};
        nanosleep(&ts, NULL); /* not bench_sleep_ms: a ^C must not cut the grace short */
    }
    kill(-pid, SIGKILL);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

void bench_fmt(char *dst, size_t len, const char *fmt, ...)
{
    va_list ap;
    if (len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(dst, len, fmt, ap);
    va_end(ap);
}

char *bench_chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

int bench_mkdir_p(const char *path, mode_t mode)
{
    char buf[4096];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    if (remove(path) < 0 && errno != ENOENT)
        return -1;
    return 0;
}

int bench_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    /* FTW_PHYS: never follow a symlink out of the tree (the bundle has /bin/sh -> busybox). */
    return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int bench_copy_file(const char *src, const char *dst, mode_t mode)
{
    int in = -1, out = -1, rc = -1;
    char buf[65536];

    in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        goto cleanup;
    out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (out < 0)
        goto cleanup;
    for (;;) {
        ssize_t n = read(in, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            goto cleanup;
        if (n == 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(out, buf + off, (size_t)(n - off));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                goto cleanup;
            off += w;
        }
    }
    if (fchmod(out, mode) < 0)
        goto cleanup;
    rc = 0;
cleanup:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0)
        rc = -1;
    return rc;
}

long bench_read_file(const char *path, char *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    size_t used = 0;
    if (fd < 0)
        return -1;
    while (used + 1 < len) {
        ssize_t n = read(fd, buf + used, len - 1 - used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        used += (size_t)n;
    }
    buf[used] = '\0';
    close(fd);
    return (long)used;
}

int bench_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int bench_is_exec(const char *path)
{
    return bench_is_file(path) && access(path, X_OK) == 0;
}

int bench_find_in_path(const char *name, char *out, size_t outlen)
{
    const char *path = getenv("PATH");
    char dirs[4096];
    bench_fmt(dirs, sizeof(dirs), "%s", path && *path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    char *save = NULL;
    for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        if (snprintf(out, outlen, "%s/%s", d, name) < (int)outlen && bench_is_exec(out))
            return 0;
    }
    out[0] = '\0';
    return -1;
}
