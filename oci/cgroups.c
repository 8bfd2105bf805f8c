/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cgroups of containers (see cgroups.h). v2 is recognized by /sys/fs/cgroup/cgroup.controllers;
 * otherwise the v1 hierarchies mounted under /sys/fs/cgroup/<controller> are used.
 */
#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"

static const char *const v1_controllers[] = {"memory", "cpu", "cpuacct", "pids", NULL};

static int unified(void)
{
    return access(CG_ROOT "/cgroup.controllers", F_OK) == 0;
}

/* The cgroup's directory relative to a hierarchy root, without a leading '/'. */
static int relative_path(const char *path, int systemd, char *out, size_t len)
{
    if (!systemd || path[0] == '/') {
        while (*path == '/')
            path++;
        int n = snprintf(out, len, "%s", path);
        return n > 0 && (size_t)n < len && !strstr(out, "..") ? 0 : -1;
    }
    /* slice:prefix:name; "a-b-c.slice" lives in a.slice/a-b.slice/a-b-c.slice */
    char slice[256], prefix[256], name[256];
    if (sscanf(path, "%255[^:]:%255[^:]:%255s", slice, prefix, name) != 3)
        return -1;
    size_t used = 0;
    out[0] = '\0';
    char *dot = strstr(slice, ".slice");
    if (dot && strcmp(slice, "-.slice") != 0) {
        *dot = '\0';
        for (char *p = slice;; p++) {
            if (*p == '-' || *p == '\0') {
                used += (size_t)snprintf(out + used, len - used, "%.*s.slice/", (int)(p - slice), slice);
                if (used >= len || *p == '\0')
                    break;
            }
        }
    }
    int n = snprintf(out + used, len - used, "%s-%s.scope", prefix, name);
    return n > 0 && (size_t)n < len - used && !strstr(out, "..") ? 0 : -1;
}

static int write_file(const char *dir, const char *file, const char *value)
{
    char path[PATH_MAX * 2 + 64];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, value, strlen(value));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(value) ? 0 : -1;
}

/* mkdir -p below base; 1 when the leaf was created, 0 when it existed, -1 on error. */
static int make_dirs(const char *base, const char *rel)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s/%s", base, rel);
    if (n < 0 || (size_t)n >= sizeof(path))
        return -1;
    for (char *p = path + strlen(base) + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(path, 0755) == 0)
        return 1;
    return errno == EEXIST ? 0 : -1;
}

static void remove_leaf(const char *dir)
{
    char procs[PATH_MAX * 2 + 32];
    snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
    for (int tries = 0; tries < 50; tries++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return;
        FILE *f = fopen(procs, "re");
        if (f) {
            int pid;
            while (fscanf(f, "%d", &pid) == 1)
                kill(pid, SIGKILL);
            fclose(f);
        }
        nanosleep(&(struct timespec){0, 20 * 1000 * 1000}, NULL);
    }
}

static int apply_v1(const char *ctrl, const char *dir, const struct oci_cgroup_limits *lim)
{
    char buf[64];
    if (strcmp(ctrl, "memory") == 0 && lim->memory) {
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)lim->memory);
        return write_file(dir, "memory.limit_in_bytes", buf);
    }
    if (strcmp(ctrl, "cpu") == 0 && lim->cpu_quota > 0) {
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)(lim->cpu_period ? lim->cpu_period : 100000));
        if (write_file(dir, "cpu.cfs_period_us", buf) < 0)
            return -1;
        snprintf(buf, sizeof(buf), "%lld", (long long)lim->cpu_quota);
        return write_file(dir, "cpu.cfs_quota_us", buf);
    }
    return 0;
}

static int apply_v2(const char *dir, const struct oci_cgroup_limits *lim)
{
    char buf[64];
    if (lim->memory) {
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)lim->memory);
        if (write_file(dir, "memory.max", buf) < 0)
            return -1;
    }
    if (lim->cpu_quota > 0) {
        snprintf(buf, sizeof(buf), "%lld %llu", (long long)lim->cpu_quota,
                 (unsigned long long)(lim->cpu_period ? lim->cpu_period : 100000));
        if (write_file(dir, "cpu.max", buf) < 0)
            return -1;
    }
    return 0;
}

/* v2: turn on memory, cpu and pids for the children of every ancestor (best effort). */
static void enable_v2_controllers(const char *rel)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s", CG_ROOT);
    write_file(path, "cgroup.subtree_control", "+memory +cpu +pids");
    char copy[PATH_MAX];
    snprintf(copy, sizeof(copy), "%s", rel);
    char *slash = strrchr(copy, '/');
    if (!slash)
        return;
    *slash = '\0';
    size_t used = strlen(path);
    for (char *save = NULL, *part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
        used += (size_t)snprintf(path + used, sizeof(path) - used, "/%s", part);
        write_file(path, "cgroup.subtree_control", "+memory +cpu +pids");
    }
}

int oci_cgroup_join(const char *path, int systemd, const struct oci_cgroup_limits *lim, pid_t pid,
                    char *err, size_t errlen)
{
    if (!path || !*path)
        return 0;
    char rel[PATH_MAX / 2], dir[PATH_MAX * 2], pidbuf[32];
    if (relative_path(path, systemd, rel, sizeof(rel)) < 0 || !*rel) {
        snprintf(err, errlen, "bad linux.cgroupsPath '%s'%s", path, systemd ? " (want slice:prefix:name)" : "");
        return -1;
    }
    snprintf(pidbuf, sizeof(pidbuf), "%d", (int)pid);
    if (unified()) {
        snprintf(dir, sizeof(dir), CG_ROOT "/%s", rel);
        int made = make_dirs(CG_ROOT, rel);
        if (made >= 0)
            enable_v2_controllers(rel);
        if (made < 0 || apply_v2(dir, lim) < 0 || write_file(dir, "cgroup.procs", pidbuf) < 0) {
            snprintf(err, errlen, "cgroup %s: %s", dir, strerror(errno));
            if (made == 1)
                rmdir(dir);
            return -1;
        }
        return 0;
    }
    for (int i = 0; v1_controllers[i]; i++) {
        char base[PATH_MAX];
        snprintf(base, sizeof(base), CG_ROOT "/%s", v1_controllers[i]);
        if (access(base, W_OK) != 0)
            continue; /* that controller is not mounted here */
        snprintf(dir, sizeof(dir), "%s/%s", base, rel);
        int made = make_dirs(base, rel);
        if (made < 0 || apply_v1(v1_controllers[i], dir, lim) < 0 ||
            write_file(dir, "cgroup.procs", pidbuf) < 0) {
            snprintf(err, errlen, "cgroup %s: %s", dir, strerror(errno));
            oci_cgroup_remove(path, systemd);
            return -1;
        }
    }
    return 0;
}

void oci_cgroup_remove(const char *path, int systemd)
{
    if (!path || !*path)
        return;
    char rel[PATH_MAX / 2], dir[PATH_MAX * 2];
    if (relative_path(path, systemd, rel, sizeof(rel)) < 0 || !*rel)
        return;
    if (unified()) {
        snprintf(dir, sizeof(dir), CG_ROOT "/%s", rel);
        remove_leaf(dir);
        return;
    }
    for (int i = 0; v1_controllers[i]; i++) {
        snprintf(dir, sizeof(dir), CG_ROOT "/%s/%s", v1_controllers[i], rel);
        remove_leaf(dir);
    }
}
