/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * state, kill, delete, ps, list and features (see commands.h). delete undoes what create did,
 * from state.json alone: it kills the guest if asked to (--force) or if it never started,
 * unwires the network inside the engine's namespace (a short-lived child enters it), removes
 * the cgroup and then the state directory.
 */
#include "commands.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroups.h"
#include "hooks.h"
#include "log.h"
#include "network.h"
#include "state.h"

static const struct { const char *name; int num; } signals[] = {
    {"HUP", SIGHUP}, {"INT", SIGINT}, {"QUIT", SIGQUIT}, {"ILL", SIGILL}, {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT}, {"IOT", SIGIOT}, {"BUS", SIGBUS}, {"FPE", SIGFPE}, {"KILL", SIGKILL},
    {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2}, {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},
    {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT},
    {"STOP", SIGSTOP}, {"TSTP", SIGTSTP}, {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU}, {"URG", SIGURG},
    {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},
    {"WINCH", SIGWINCH}, {"IO", SIGIO}, {"PWR", SIGPWR}, {"SYS", SIGSYS},
};

int oci_signal_parse(const char *s)
{
    if (!s)
        return SIGTERM;
    char *end;
    long n = strtol(s, &end, 10);
    if (*s && !*end)
        return n > 0 && n < 65 ? (int)n : -1;
    const char *name = strncasecmp(s, "SIG", 3) == 0 ? s + 3 : s;
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
        if (strcasecmp(signals[i].name, name) == 0)
            return signals[i].num;
    return -1;
}

static int load(const struct oci_opts *o, const char *cmd, const char *id, struct oci_state *st)
{
    char err[512];
    if (!id) {
        oci_log_error("%s: a container ID is required", cmd);
        return -1;
    }
    if (oci_state_load(o->root, id, st, err, sizeof(err)) < 0) {
        oci_log_error("%s: %s", cmd, err);
        return -1;
    }
    return 0;
}

int oci_state_cmd(const struct oci_opts *o, const char *id)
{
    struct oci_state st;
    if (load(o, "state", id, &st) < 0)
        return 1;
    json_t *j = oci_state_json(&st);
    char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    int rc = text ? 0 : 1;
    if (text)
        printf("%s\n", text);
    else
        oci_log_error("state %s: cannot encode the state", id);
    free(text);
    json_decref(j);
    oci_state_free(&st);
    return rc;
}

int oci_kill(const struct oci_opts *o, const char *id, const char *sig)
{
    int signo = oci_signal_parse(sig);
    if (signo < 0) {
        oci_log_error("kill: unknown signal '%s'", sig);
        return 1;
    }
    struct oci_state st;
    if (load(o, "kill", id, &st) < 0)
        return 1;
    int rc = 0;
    if (strcmp(oci_state_status(&st), "stopped") == 0) {
        oci_log_error("kill %s: container not running", id);
        rc = 1;
    } else if (kill(st.pid, signo) < 0) {
        oci_log_error("kill %s: %s", id, strerror(errno));
        rc = 1;
    }
    oci_state_free(&st);
    return rc;
}

/* Waits up to ms for pid (with start time) to be gone; 0 when gone. */
static int wait_gone(pid_t pid, unsigned long long start, int ms)
{
    for (int waited = 0; waited <= ms; waited += 5) {
        if (oci_proc_start(pid) != start)
            return 0;
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
    return -1;
}

static void unwire_in_netns(const struct oci_state *st)
{
    if (!st->netns[0] || (!st->net.tap && !st->net.mirred && !st->net.addr_removed))
        return;
    if (access(st->netns, F_OK) != 0)
        return; /* the engine removed the namespace, and everything in it */
    pid_t c = fork();
    if (c == 0) {
        char err[256];
        if (oci_net_enter(st->netns, err, sizeof(err)) == 0)
            oci_net_unwire(&st->net);
        _exit(0);
    }
    if (c > 0)
        waitpid(c, NULL, 0);
}

int oci_delete(const struct oci_opts *o, const char *id)
{
    struct oci_state st;
    char err[512], dir[PATH_MAX];
    if (o->force && oci_id_valid(id) && oci_state_load(o->root, id, &st, err, sizeof(err)) < 0) {
        /* like runc: --force on a missing (or half-created) container is not an error */
        oci_state_path(o->root, id, NULL, dir, sizeof(dir));
        oci_state_remove_dir(dir);
        return 0;
    }
    if (load(o, "delete", id, &st) < 0)
        return 1;
    int rc = 1;
    const char *status = oci_state_status(&st);
    if (strcmp(status, "running") == 0 && !o->force) {
        oci_log_error("delete %s: cannot delete a running container (stop it or use --force)", id);
        goto out;
    }
    if (strcmp(status, "stopped") != 0) { /* running with --force, or created and never started */
        kill(st.pid, SIGKILL);
        if (wait_gone(st.pid, st.pid_start, 3000) < 0) {
            oci_log_error("delete %s: process %d does not die", id, (int)st.pid);
            goto out;
        }
    }
    unwire_in_netns(&st);
    if (st.hooks) { /* a failing poststop hook is reported, the container is removed anyway */
        json_t *j = oci_state_json(&st);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (text && oci_hooks_run(st.hooks, "poststop", text, err, sizeof(err)) < 0)
            oci_log_debug("delete %s: %s", id, err);
        free(text);
        json_decref(j);
    }
    oci_cgroup_remove(st.cgroup, st.systemd_cgroup);
    oci_state_remove_dir(st.dir);
    rc = 0;
out:
    oci_state_free(&st);
    return rc;
}

int oci_ps(const struct oci_opts *o, const char *id)
{
    struct oci_state st;
    if (load(o, "ps", id, &st) < 0)
        return 1;
    int live = strcmp(oci_state_status(&st), "stopped") != 0;
    if (strcmp(o->format, "json") == 0 && live)
        printf("[%d]\n", (int)st.pid);
    else if (strcmp(o->format, "json") == 0)
        printf("[]\n");
    else {
        printf("PID\n");
        if (live)
            printf("%d\n", (int)st.pid);
    }
    oci_state_free(&st);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b) { return strcmp((*a)->d_name, (*b)->d_name); }

int oci_list(const struct oci_opts *o)
{
    struct dirent **names = NULL;
    int n = scandir(o->root, &names, NULL, by_name);
    if (n < 0)
        n = 0; /* no root yet: no containers */
    int json = strcmp(o->format, "json") == 0;
    json_t *arr = json_array();
    if (!json && !o->quiet)
        printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
    for (int i = 0; i < n; i++) {
        struct oci_state st;
        char err[256];
        if (names[i]->d_name[0] != '.' && oci_state_load(o->root, names[i]->d_name, &st, err, sizeof(err)) == 0) {
            const char *status = oci_state_status(&st);
            int live = strcmp(status, "stopped") != 0;
            if (json)
                json_array_append_new(arr, oci_state_json(&st));
            else if (o->quiet)
                printf("%s\n", st.id);
            else
                printf("%-20s %-8d %-10s %-40s %s\n", st.id, live ? (int)st.pid : 0, status, st.bundle, st.created);
            oci_state_free(&st);
        }
        free(names[i]);
    }
    free(names);
    if (json) {
        char *text = json_dumps(arr, JSON_COMPACT);
        printf("%s\n", text ? text : "[]");
        free(text);
    }
    json_decref(arr);
    return 0;
}

int oci_features(void)
{
    json_t *f = json_pack("{s:s, s:s, s:[], s:[], s:{s:[s], s:{s:b, s:b, s:b}, s:{s:b}}, s:{s:s, s:s, s:s}}",
                          "ociVersionMin", "1.0.0", "ociVersionMax", OCI_VERSION, "hooks", "mountOptions",
                          "linux", "namespaces", "network", "cgroup", "v1", 1, "v2", 1, "systemd", 0,
                          "seccomp", "enabled", 0,
                          "annotations", "org.unf.platform", "auto|proc|hvt|qemu|qemu-microvm|qemu-q35",
                          "org.unf.accel", "auto|kvm|tcg", "org.unf.image", "path of a .unf inside the rootfs");
    char *text = f ? json_dumps(f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (text)
        printf("%s\n", text);
    free(text);
    json_decref(f);
    return text ? 0 : 1;
}
