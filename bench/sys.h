/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Small host helpers the benchmark needs everywhere: a monotonic clock in milliseconds, running
 * a helper command (ip, runc, unf) without a shell and with a deadline, files and directories
 * (copy, mkdir -p, rm -rf), and the interrupt flag that SIGINT/SIGTERM/SIGHUP set so that every
 * loop stops early and the cleanup path still runs.
 */
#ifndef BENCH_SYS_H
#define BENCH_SYS_H

#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

/* Set by the signal handler bench_sys_signals() installs; loops poll it. */
extern volatile sig_atomic_t bench_interrupted;

/* Installs the SIGINT/SIGTERM/SIGHUP handler (no SA_RESTART, so blocking calls return EINTR). */
int bench_sys_signals(void);

/* CLOCK_MONOTONIC in milliseconds. */
double bench_now_ms(void);

/* Sleeps ms milliseconds, or less when interrupted; returns -1 when interrupted. */
int bench_sleep_ms(long ms);

/*
 * The runtime's cmd_run() without input: runs argv[0] (PATH lookup), stdin from /dev/null, in its own process group (so a
 * terminal ^C reaches only the benchmark, which then cleans up in order). stdout and stderr go to
 * out (NUL-terminated, truncated to outlen) when out is given, else to /dev/null. The command is
 * killed after timeout_ms. Returns its exit status, 128+signal when killed, -1 when it could
 * not be started.
 */
int bench_cmd(const char *const argv[], char *out, size_t outlen, long timeout_ms);

/*
 * The child between fork and exec: its own process group, namespace ns when given, stdin in_fd,
 * stdout and stderr out_fd, UNF_FILES=files when given, no signal blocked (handlers reset on
 * exec anyway, a blocked mask would be inherited), then execvp (the QEMU drivers name
 * qemu-system-x86_64 for a PATH lookup, as the runtime does). Never returns: 126/127 on errors.
 */
void bench_child_exec(const char *const argv[], const char *ns, int in_fd, int out_fd, const char *files)
    __attribute__((noreturn));

/*
 * Starts argv in the background (bench_child_exec): in its own process group, bench_stop reaches
 * its children and a terminal ^C only the benchmark; stdin /dev/null, stdout and stderr to log
 * (NULL: /dev/null). Returns the pid, or -1 when fork fails.
 */
pid_t bench_spawn(const char *const argv[], const char *ns, const char *log, const char *files);

/*
 * Forks a child that reports back through a pipe (both ends close on exec): returns the child's
 * pid in the parent with *fd the read end, 0 in the child with *fd the write end, or -1 with err
 * set and nothing left open.
 */
pid_t bench_fork_piped(int *fd, char *err, size_t errlen);

/* SIGTERM to pid's process group, SIGKILL after grace_ms; reaps pid. Nothing for pid <= 0. */
void bench_stop(pid_t pid, long grace_ms);

/* snprintf for text where cutting off the end is acceptable (messages, table cells). */
void bench_fmt(char *dst, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Removes the last newline and trailing spaces of s, in place; returns s. */
char *bench_chomp(char *s);

int bench_mkdir_p(const char *path, mode_t mode);
/* Removes path and everything under it; a missing path is not an error. */
int bench_rm_rf(const char *path);
int bench_copy_file(const char *src, const char *dst, mode_t mode);
int bench_is_file(const char *path);      /* a regular file */
int bench_is_exec(const char *path);      /* a regular file we may execute */
/* PATH lookup (done once, so timed launches exec a full path like a runtime would); 0 and the
 * path in out, or -1 and out empty. */
int bench_find_in_path(const char *name, char *out, size_t outlen);
/* Reads up to len-1 bytes of a (small) file into buf, NUL-terminated; returns bytes or -1. */
long bench_read_file(const char *path, char *buf, size_t len);

#endif
