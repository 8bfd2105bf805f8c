/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-instance supervisor (see monitor.h). Signals arrive through a signalfd so the wait
 * loop has no races: SIGCHLD means the guest may have ended, SIGTERM/SIGINT/SIGHUP mean stop.
 * The launcher's stdout is the guest console (console.log); its stderr (QEMU's or a tender's own
 * messages) goes to launcher.log, whose first line becomes the reason when the launch fails.
 * "ok" goes back to `unf run` only once the guest shows it runs (see wait_ready).
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
/* A guest that neither prints nor ends within this time is taken as running (a silent app). */
#define READY_TIMEOUT_MS 10000

static void report(int fd, const char *line)
{
    if (fd < 0)
        return;
    char buf[600];
    int len = snprintf(buf, sizeof(buf), "%s\n", line);
    if (len > 0 && write(fd, buf, (size_t)len) != len)
        return; /* the starter is gone; nothing to tell */
}

/* In the child: enter cgroup and namespace, wire the console, exec. Never returns. The ready
 * fd is inherited and named in UNF_READY_FD: a tender writes a byte to it when it seals itself,
 * just before the guest's first instruction (QEMU ignores it). */
static void guest_exec(const struct instance *in, const struct driver *drv, char *const argv[], int console,
                       int launcher_log, int err_pipe, int ready)
{
    char netns[128], ready_env[16], procs[600];
    int e;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    signal(SIGPIPE, SIG_DFL); /* the monitor ignores it; the guest must not inherit that */
    /* A tender joins the cgroup itself, while it builds its packet rings: each of the two waits
     * for an RCU grace period (~15 ms apiece on a virtual host), and in parallel they wait for
     * one. It joins before it maps guest memory, so the memory is charged all the same. */
    if (drv->packet_links && in->net.packet_link) {
        if (cgroup_procs_files(in->name, procs, sizeof(procs)) < 0 || setenv("UNF_CGROUP_PROCS", procs, 1) < 0)
            goto fail;
    } else if (cgroup_attach(in->name, getpid()) < 0) {
        goto fail;
    }
    snprintf(ready_env, sizeof(ready_env), "%d", ready);
    if (ready > 2 && setenv("UNF_READY_FD", ready_env, 1) < 0)
        goto fail;
    net_netns_path(&in->net, netns, sizeof(netns));
    int ns = open(netns, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0)
        goto fail;
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(console, 1) < 0 || dup2(launcher_log, 2) < 0)
        goto fail;
    execvp(argv[0], argv);
fail:
    e = errno;
    if (write(err_pipe, &e, sizeof(e)) != sizeof(e))
        _exit(127);
    _exit(127);
}

/* Starts the guest; returns its pid or -1 with why. *ready_fd gets the read end of a pipe whose
 * write end only the guest's launcher holds. */
static pid_t guest_start(const struct instance *in, const struct driver *drv, int *ready_fd, char *why, size_t len)
{
    char kernel[256], archive[256], log[256], launcher[256];
    struct driver_argv a;
    instance_path(in->name, "kernel", kernel, sizeof(kernel));
    instance_path(in->name, "archive.tar", archive, sizeof(archive));
    instance_path(in->name, "console.log", log, sizeof(log));
    instance_path(in->name, "launcher.log", launcher, sizeof(launcher));
    struct driver_launch l = {
        .kernel = kernel, .archive = access(archive, F_OK) == 0 ? archive : NULL,
        .cmdline = in->cmdline, .mem = in->mem, .cpus = in->cpus > 1 ? (int)in->cpus : 1,
        .nics = {{instance_nic_spec(&in->net), in->net.mac}}, .nnics = 1, .kvm = strcmp(in->accel, "kvm") == 0,
    };
    if (drv->build(&l, &a) < 0) {
        snprintf(why, len, "cannot build the %s command line", drv->name);
        return -1;
    }
    int console = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int launcher_log = open(launcher, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int pipefd[2] = {-1, -1}, readyfd[2] = {-1, -1};
    if (console < 0 || launcher_log < 0 || pipe2(pipefd, O_CLOEXEC) < 0 || pipe(readyfd) < 0) {
        snprintf(why, len, "cannot open the console log: %s", strerror(errno));
        int fds[] = {console, launcher_log, pipefd[0], pipefd[1], readyfd[0], readyfd[1]};
        for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
            if (fds[i] >= 0)
                close(fds[i]);
        return -1;
    }
    fcntl(readyfd[0], F_SETFD, FD_CLOEXEC);
    pid_t pid = fork();
    if (pid == 0)
        guest_exec(in, drv, a.argv, console, launcher_log, pipefd[1], readyfd[1]);
    close(pipefd[1]);
    close(readyfd[1]);
    close(console);
    close(launcher_log);
    *ready_fd = readyfd[0];
    int e = 0;
    ssize_t r = pid > 0 ? read(pipefd[0], &e, sizeof(e)) : -1;
    close(pipefd[0]);
    if (pid < 0 || r != 0) {
        snprintf(why, len, "cannot start %s: %s", a.argv[0], strerror(pid < 0 ? errno : e));
        if (pid > 0)
            waitpid(pid, NULL, 0);
        close(*ready_fd);
        *ready_fd = -1;
        return -1;
    }
    return pid;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int console_has_output(const struct instance *in)
{
    char path[256];
    struct stat st;
    instance_path(in->name, "console.log", path, sizeof(path));
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* The first non-empty line the launcher wrote on stderr (QEMU's own error), or "". */
static void launcher_line(const struct instance *in, char *line, size_t len)
{
    char path[256];
    line[0] = '\0';
    instance_path(in->name, "launcher.log", path, sizeof(path));
    FILE *f = fopen(path, "re");
    if (!f)
        return;
    while (fgets(line, (int)len, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            break;
    }
    fclose(f);
}

/* Waits until the guest shows it runs: console output, the tender sealing itself (its byte on
 * the ready pipe), or READY_TIMEOUT_MS of silence. Returns 0 then, 1 with
 * *status when the launcher ended first, -1 when it is stuck (silent guest, but the launcher
 * complained: QEMU pauses a guest after a KVM internal error instead of exiting). */
static int wait_ready(const struct instance *in, pid_t guest, int ready_fd, int *status)
{
    long long deadline = mono_ms() + READY_TIMEOUT_MS;
    int sealed = 0;
    for (;;) {
        if (waitpid(guest, status, WNOHANG) == guest)
            return 1;
        if (sealed || console_has_output(in))
            return 0;
        if (mono_ms() >= deadline) {
            char line[8];
            launcher_line(in, line, sizeof(line));
            if (line[0])
                return -1;
            fprintf(stderr, "unf-monitor: %s: no console output after %d ms; taken as running\n", in->name,
                    READY_TIMEOUT_MS);
            return 0;
        }
        struct pollfd p = {.fd = ready_fd, .events = POLLIN};
        if (poll(&p, 1, 5) > 0) {
            char c;
            ssize_t n = read(ready_fd, &c, 1);
            sealed = n == 1; /* the tender's byte, written as it seals (UNF_READY_FD) */
            if (n == 0)      /* closed without it: the launcher ended (seen next turn) or is QEMU */
                ready_fd = -1;
        }
    }
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

/* The reason an ended launcher gives: the driver's decoding, completed by the launcher's own line. */
static void end_reason(const struct instance *in, const char *decoded, char *reason, size_t len)
{
    char line[200];
    launcher_line(in, line, sizeof(line));
    if (line[0] && decoded[0])
        snprintf(reason, len, "%s: %s", decoded, line);
    else
        snprintf(reason, len, "%s", line[0] ? line : decoded);
}

/* The guest has ended. Its exit is written first, marked "cleanup": whoever waits for the end
 * (the node agent's inotify watch on the state directory, a poller of instance.json) learns it
 * without also waiting for the teardown of namespace, links, nft table and cgroup, 36-48 ms of
 * mostly RCU grace periods. The final state follows the teardown; unf stop and unf rm wait for
 * it (instance_wait_settled). Neither write takes the global lock: while the monitor lives it is
 * the only writer of its instance's state (a reaper acts only on a dead monitor, unf rm waits),
 * and an `unf rm` of another instance holds the lock across a whole teardown. A state directory
 * removed meanwhile is not brought back: the save fails without it. */
static void finish(struct instance *in, int exit_code, const char *reason)
{
    snprintf(in->state, sizeof(in->state), "exited");
    in->exit_code = exit_code;
    snprintf(in->reason, sizeof(in->reason), "%s", reason);
    in->finished_ms = instance_now_ms();
    in->cleanup = 1;
    instance_save(in);
    instance_teardown(in);
    in->cleanup = 0;
    instance_save(in);
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
    int ready_fd = -1;
    if (sfd < 0 || !drv) {
        snprintf(why, sizeof(why), "monitor cannot start (%s)", drv ? "signalfd" : "unknown platform");
    } else {
        guest = guest_start(&in, drv, &ready_fd, why, sizeof(why));
    }
    if (guest < 0) {
        finish(&in, -1, why);
        report(ready, why);
        return 1;
    }
    int status;
    char reason[512];
    int started = wait_ready(&in, guest, ready_fd, &status);
    if (started < 0) {
        kill(guest, SIGKILL);
        waitpid(guest, &status, 0);
        char line[200];
        launcher_line(&in, line, sizeof(line));
        snprintf(why, sizeof(why), "no guest output after %d s: %s", READY_TIMEOUT_MS / 1000, line);
        close(ready_fd);
        finish(&in, -1, why);
        report(ready, why);
        return 1;
    }
    if (started > 0) {
        char decoded[256];
        int code = drv->decode(status, decoded, sizeof(decoded));
        char line[8];
        launcher_line(&in, line, sizeof(line));
        /* The launcher failed: no guest status, or it complained and the guest never spoke
         * (QEMU's own error exit 1 reads like a guest's status 0 through isa-debug-exit). */
        if (code < 0 || (drv->status_ambiguous && line[0] && !console_has_output(&in))) {
            end_reason(&in, decoded, reason, sizeof(reason));
            close(ready_fd);
            finish(&in, -1, reason);
            report(ready, reason);
            return 1;
        }
        in.guest_pid = guest;
        snprintf(in.state, sizeof(in.state), "running");
        in.started_ms = instance_now_ms();
        instance_save(&in);
        report(ready, "ok");
        end_reason(&in, decoded, reason, sizeof(reason));
        finish(&in, code, reason);
        return 0;
    }
    close(ready_fd);
    in.guest_pid = guest;
    in.guest_start = instance_proc_start(guest);
    snprintf(in.state, sizeof(in.state), "running");
    in.started_ms = instance_now_ms();
    instance_save(&in);
    report(ready, "ok");
    if (ready >= 0)
        close(ready);

    int stopped = 0;
    status = guest_wait(guest, sfd, &stopped);
    char decoded[256];
    int code = drv->decode(status, decoded, sizeof(decoded));
    if (stopped)
        snprintf(reason, sizeof(reason), "stopped");
    else
        end_reason(&in, decoded, reason, sizeof(reason));
    finish(&in, code, reason);
    return 0;
}
