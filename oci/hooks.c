/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Running OCI hooks (see hooks.h). A hook that outlives its timeout is killed; a hook that
 * leaves a child holding its output pipe does not make us wait: we stop reading when the hook
 * itself has exited.
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HOOK_MAX_ARGS 64

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Fills a NULL-terminated vector from a JSON array of strings (at most HOOK_MAX_ARGS). */
static int strings(json_t *arr, const char **out, const char *first)
{
    int n = 0;
    size_t i;
    json_t *s;
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        if (first)
            out[n++] = first;
    } else {
        json_array_foreach(arr, i, s) {
            if (!json_is_string(s) || n >= HOOK_MAX_ARGS)
                return -1;
            out[n++] = json_string_value(s);
        }
    }
    out[n] = NULL;
    return 0;
}

static void child(const char *path, const char **argv, const char **envp, int in, int out)
{
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(127);
    signal(SIGPIPE, SIG_DFL);
    execve(path, (char *const *)argv, (char *const *)envp);
    dprintf(2, "cannot run %s: %s\n", path, strerror(errno));
    _exit(127);
}

static int run_one(json_t *hook, const char *kind, const char *state_json, char *err, size_t errlen)
{
    const char *path = json_string_value(json_object_get(hook, "path"));
    const char *argv[HOOK_MAX_ARGS + 1], *envp[HOOK_MAX_ARGS + 1];
    if (!path || path[0] != '/' || strings(json_object_get(hook, "args"), argv, path) < 0 ||
        strings(json_object_get(hook, "env"), envp, NULL) < 0) {
        snprintf(err, errlen, "%s hook: needs an absolute path and string args/env (at most %d)", kind, HOOK_MAX_ARGS);
        return -1;
    }
    json_t *t = json_object_get(hook, "timeout");
    long long timeout_ms = (json_is_integer(t) && json_integer_value(t) > 0 ? json_integer_value(t) : OCI_HOOK_TIMEOUT_S) * 1000LL;
    int in[2] = {-1, -1}, out[2] = {-1, -1}, rc = -1, status = 0;
    char buf[1024] = "";
    size_t used = 0;
    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0) {
        snprintf(err, errlen, "%s hook %s: pipe: %s", kind, path, strerror(errno));
        goto out;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "%s hook %s: fork: %s", kind, path, strerror(errno));
        goto out;
    }
    if (pid == 0)
        child(path, argv, envp, in[0], out[1]);
    close(in[0]);
    close(out[1]);
    in[0] = out[1] = -1;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN); /* a hook that does not read its stdin */
    if (write(in[1], state_json, strlen(state_json)) < 0) { /* the hook's business */ }
    signal(SIGPIPE, old);
    close(in[1]);
    in[1] = -1;
    long long deadline = now_ms() + timeout_ms;
    int done = 0;
    while (!done) {
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        if (poll(&p, 1, 20) > 0) {
            ssize_t n = read(out[0], buf + used, sizeof(buf) - 1 - used);
            if (n > 0)
                used += (size_t)n;
            else if (used == sizeof(buf) - 1)
                used = 0; /* keep the pipe drained; the message is cut */
        }
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            done = 1;
        else if (now_ms() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            snprintf(err, errlen, "%s hook %s: timed out after %lld s", kind, path, timeout_ms / 1000);
            goto out;
        }
    }
    buf[used] = '\0';
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        rc = 0;
    } else {
        char *nl = strchr(buf, '\n');
        if (nl)
            *nl = '\0';
        snprintf(err, errlen, "%s hook %s failed (%s %d)%s%s", kind, path, WIFEXITED(status) ? "status" : "signal",
                 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), buf[0] ? ": " : "", buf);
    }
out:
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0)
            close(in[i]);
        if (out[i] >= 0)
            close(out[i]);
    }
    return rc;
}

int oci_hooks_run(json_t *hooks, const char *kind, const char *state_json, char *err, size_t errlen)
{
    json_t *list = json_object_get(hooks, kind);
    size_t i;
    json_t *hook;
    json_array_foreach(list, i, hook)
        if (run_one(hook, kind, state_json, err, errlen) < 0)
            return -1;
    return 0;
}
