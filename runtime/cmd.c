/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runs the host tools the runtime depends on (see cmd.h). fork + execvp, a pipe for stdin and
 * one for the merged stdout/stderr, and a poll loop that enforces the deadline.
 */
#include "cmd.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Its own process group, so a deadline kills whatever the tool started too, and a terminal's ^C
 * reaches the caller alone (which decides what to interrupt). */
static void child_exec(const char *const argv[], int in_fd, int out_fd)
{
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd < 0 || setpgid(0, 0) < 0)
        _exit(127);
    dup2(in_fd >= 0 ? in_fd : null_fd, 0);
    dup2(out_fd >= 0 ? out_fd : null_fd, 1);
    dup2(out_fd >= 0 ? out_fd : null_fd, 2);
    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    signal(SIGPIPE, SIG_DFL);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
}

/* Waits for pid until the deadline (no pipe to poll when nothing is captured: a tool that leaves
 * a daemon behind must not hold the caller until the daemon closes its output). 0: exited. */
static int wait_until(pid_t pid, int *status, long deadline)
{
    long nap_us = 200;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            return 0;
        if (w < 0 && errno != EINTR)
            return -1;
        if (now_ms() >= deadline)
            return 1;
        struct timespec ts = {0, nap_us * 1000};
        nanosleep(&ts, NULL);
        if (nap_us < 5000)
            nap_us *= 2;
    }
}

/* Feeds input and drains output until the child closes its output or the deadline passes. */
static int pump(int in_fd, const char *input, int out_fd, char *out, size_t outlen, long deadline)
{
    size_t in_left = input ? strlen(input) : 0, used = 0;
    while (out_fd >= 0) {
        struct pollfd pfd[2];
        int n = 0;
        pfd[n++] = (struct pollfd){.fd = out_fd, .events = POLLIN};
        if (in_fd >= 0)
            pfd[n++] = (struct pollfd){.fd = in_fd, .events = POLLOUT};
        long left = deadline - now_ms();
        if (left <= 0)
            return -1;
        if (poll(pfd, (nfds_t)n, (int)left) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (n == 2 && (pfd[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = in_left ? write(in_fd, input, in_left) : 0;
            if (w > 0) {
                input += w;
                in_left -= (size_t)w;
            }
            if (w <= 0 || in_left == 0) {
                close(in_fd);
                in_fd = -1;
            }
        }
        if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char buf[4096];
            ssize_t r = read(out_fd, buf, sizeof(buf));
            if (r <= 0)
                break;
            if (out && used + 1 < outlen) {
                size_t take = (size_t)r < outlen - 1 - used ? (size_t)r : outlen - 1 - used;
                memcpy(out + used, buf, take);
                used += take;
                out[used] = '\0';
            }
        }
    }
    if (in_fd >= 0)
        close(in_fd);
    return 0;
}

int cmd_run(const char *const argv[], const char *input, char *out, size_t outlen, long timeout_ms)
{
    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
    int capture = input || (out && outlen);
    if (out && outlen)
        out[0] = '\0';
    if ((input && pipe2(in_pipe, O_CLOEXEC) < 0) || (capture && pipe2(out_pipe, O_CLOEXEC) < 0))
        goto fail;
    long deadline = now_ms() + timeout_ms;
    pid_t pid = fork();
    if (pid < 0)
        goto fail;
    if (pid == 0)
        child_exec(argv, in_pipe[0], out_pipe[1]);
    setpgid(pid, pid); /* also here: no window in which a kill(-pid) misses it */
    if (in_pipe[0] >= 0)
        close(in_pipe[0]);
    int status, timed_out = 0;
    if (capture) {
        close(out_pipe[1]);
        void (*old)(int) = signal(SIGPIPE, SIG_IGN);
        timed_out = pump(in_pipe[1], input, out_pipe[0], out, outlen, deadline) < 0;
        signal(SIGPIPE, old);
        close(out_pipe[0]);
    }
    if (!timed_out) { /* a tool may close its output and go on: the deadline holds for both */
        int w = wait_until(pid, &status, deadline);
        if (w < 0)
            return -1;
        if (w == 0)
            goto exited;
        timed_out = 1;
    }
    if (timed_out) {
        kill(-pid, SIGKILL);
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
exited:
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
fail:
    for (int i = 0; i < 2; i++) {
        if (in_pipe[i] >= 0)
            close(in_pipe[i]);
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
    }
    return -1;
}

int cmd_runf(const char *const argv[], char *out, size_t outlen, const char *fmt, ...)
{
    char *text = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    int rc = cmd_run(argv, text, out, outlen, 10000);
    free(text);
    return rc;
}

char *cmd_first_line(char *s)
{
    char *nl = strchr(s, '\n');
    if (nl)
        *nl = '\0';
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
        s[--len] = '\0';
    return s;
}

int cmd_sibling_path(const char *name, char *path, size_t len)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    int w = snprintf(path, len, "%s/%s", self, name);
    return w > 0 && (size_t)w < len ? 0 : -1;
}
