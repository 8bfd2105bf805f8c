/*
 * The per-instance supervisor (see monitor.h). Signals arrive through a signalfd so the wait
 * loop has no races: SIGCHLD means the guest may have ended, SIGTERM/SIGINT/SIGHUP mean stop.
 */
#include "monitor.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

#include "cgroup.h"
#include "driver.h"
#include "instance.h"

#define STOP_GRACE_MS 3000

static long long wall_ms(void) { return (long long)time(NULL) * 1000; }

static void report(int fd, const char *line)
{
    if (fd < 0)
        return;
    char buf[600];
    int len = snprintf(buf, sizeof(buf), "%s\n", line);
    if (len > 0 && write(fd, buf, (size_t)len) != len)
        return; /* the starter is gone; nothing to tell */
}

/* In the child: enter cgroup and namespace, wire the console, exec. Never returns. */
static void guest_exec(const struct instance *in, char *const argv[], int console, int err_pipe)
{
    char netns[128];
    int e;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL); /* the monitor ignores it; the guest must not inherit that */
    if (cgroup_attach(in->name, getpid()) < 0)
        goto fail;
    net_netns_path(&in->net, netns, sizeof(netns));
    int ns = open(netns, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0)
        goto fail;
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(console, 1) < 0 || dup2(console, 2) < 0)
        goto fail;
    execvp(argv[0], argv);
fail:
    e = errno;
    if (write(err_pipe, &e, sizeof(e)) != sizeof(e))
        _exit(127);
    _exit(127);
}

/* Starts the guest; returns its pid or -1 with why. */
static pid_t guest_start(const struct instance *in, const struct driver *drv, char *why, size_t len)
{
    char kernel[256], archive[256], log[256];
    struct driver_argv a;
    instance_path(in->name, "kernel", kernel, sizeof(kernel));
    instance_path(in->name, "archive.tar", archive, sizeof(archive));
    instance_path(in->name, "console.log", log, sizeof(log));
    struct driver_launch l = {
        .kernel = kernel, .archive = access(archive, F_OK) == 0 ? archive : NULL,
        .cmdline = in->cmdline, .mem = in->mem, .cpus = in->cpus > 1 ? (int)in->cpus : 1,
        .nics = {{NET_TAP, in->net.mac}}, .nnics = 1, .kvm = strcmp(in->accel, "kvm") == 0,
    };
    if (drv->build(&l, &a) < 0) {
        snprintf(why, len, "cannot build the %s command line", drv->name);
        return -1;
    }
    int console = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int pipefd[2];
    if (console < 0 || pipe2(pipefd, O_CLOEXEC) < 0) {
        snprintf(why, len, "cannot open the console log: %s", strerror(errno));
        if (console >= 0)
            close(console);
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0)
        guest_exec(in, a.argv, console, pipefd[1]);
    close(pipefd[1]);
    close(console);
    int e = 0;
    ssize_t r = pid > 0 ? read(pipefd[0], &e, sizeof(e)) : -1;
    close(pipefd[0]);
    if (pid < 0 || r != 0) {
        snprintf(why, len, "cannot start %s: %s", a.argv[0], strerror(pid < 0 ? errno : e));
        if (pid > 0)
            waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

/* Waits for the guest, escalating a stop request. Returns the wait status. */
static int guest_wait(pid_t guest, int sfd, int *stopped)
{
    long long kill_at = 0;
    for (;;) {
        int status;
        pid_t w = waitpid(guest, &status, WNOHANG);
        if (w == guest)
            return status;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        long long now = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
        if (kill_at && now >= kill_at) {
            kill(guest, SIGKILL);
            kill_at = 0;
        }
        struct pollfd p = {.fd = sfd, .events = POLLIN};
        int timeout = kill_at ? (int)(kill_at - now) : -1;
        if (poll(&p, 1, timeout) <= 0)
            continue;
        struct signalfd_siginfo si;
        while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
            if (si.ssi_signo == SIGCHLD)
                continue;
            if (!*stopped) {
                *stopped = 1;
                kill(guest, SIGTERM);
                kill_at = now + STOP_GRACE_MS;
            }
        }
    }
}

static void finish(struct instance *in, int exit_code, const char *reason)
{
    instance_teardown(in);
    int lock = instance_lock();
    char err[256];
    struct instance fresh;
    if (instance_load(in->name, &fresh, err, sizeof(err)) == 0)
        *in = fresh;
    snprintf(in->state, sizeof(in->state), "exited");
    in->exit_code = exit_code;
    snprintf(in->reason, sizeof(in->reason), "%s", reason);
    in->finished_ms = wall_ms();
    instance_save(in);
    instance_unlock(lock);
}

int monitor_main(int argc, char **argv)
{
    struct instance in;
    char err[256], why[512];
    if (argc != 3)
        return 2;
    int ready = atoi(argv[2]);
    if (ready > 2)
        fcntl(ready, F_SETFD, FD_CLOEXEC); /* the guest must not inherit it */
    if (instance_load(argv[1], &in, err, sizeof(err)) < 0) {
        report(ready, err);
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN); /* the starter may close its end as soon as it has read "ok" */
    int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    const struct driver *drv = driver_find(in.platform);
    in.monitor_pid = getpid();
    in.monitor_start = instance_proc_start(getpid());
    pid_t guest = -1;
    if (sfd < 0 || !drv) {
        snprintf(why, sizeof(why), "monitor cannot start (%s)", drv ? "signalfd" : "unknown platform");
    } else {
        guest = guest_start(&in, drv, why, sizeof(why));
    }
    if (guest < 0) {
        finish(&in, -1, why);
        report(ready, why);
        return 1;
    }
    in.guest_pid = guest;
    in.guest_start = instance_proc_start(guest);
    snprintf(in.state, sizeof(in.state), "running");
    in.started_ms = wall_ms();
    instance_save(&in);
    report(ready, "ok");
    if (ready >= 0)
        close(ready);

    int stopped = 0;
    int status = guest_wait(guest, sfd, &stopped);
    char reason[256];
    int code = drv->decode(status, reason, sizeof(reason));
    if (stopped)
        snprintf(reason, sizeof(reason), "stopped");
    finish(&in, code, reason);
    return 0;
}
