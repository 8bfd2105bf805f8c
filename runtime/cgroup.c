/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cgroup limits of an instance (see cgroup.h). v2: /sys/fs/cgroup/unf-<name> with memory.max,
 * memory.swap.max and cpu.max. v1: /sys/fs/cgroup/memory/unf-<name> (memory.limit_in_bytes,
 * memsw when present) and /sys/fs/cgroup/cpu/unf-<name> (cfs quota).
 */
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROOT "/sys/fs/cgroup"
#define CFS_PERIOD_US 100000

static int is_v2(void) { return access(ROOT "/cgroup.controllers", F_OK) == 0; }

const char *cgroup_mode(void)
{
    if (is_v2())
        return "v2";
    return access(ROOT "/memory/memory.limit_in_bytes", F_OK) == 0 ? "v1" : NULL;
}

static int write_file(const char *dir, const char *file, const char *value)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = (ssize_t)strlen(value);
    ssize_t w = write(fd, value, (size_t)len);
    int saved = errno;
    close(fd);
    errno = saved;
    return w == len ? 0 : -1;
}

/* The instance's directories: [0] memory (and everything on v2), [1] cpu on v1. */
static void dirs(const char *name, char mem[256], char cpu[256])
{
    if (is_v2()) {
        snprintf(mem, 256, ROOT "/unf-%s", name);
        cpu[0] = '\0';
    } else {
        snprintf(mem, 256, ROOT "/memory/unf-%s", name);
        snprintf(cpu, 256, ROOT "/cpu/unf-%s", name);
    }
}

static int make_dir(const char *dir, char *err, size_t errlen)
{
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create cgroup %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static int limit_memory(const char *dir, uint64_t bytes)
{
    char v[32];
    snprintf(v, sizeof(v), "%llu", (unsigned long long)bytes);
    if (is_v2()) {
        if (write_file(dir, "memory.max", v) < 0)
            return -1;
        write_file(dir, "memory.swap.max", "0"); /* absent without swap accounting */
        return 0;
    }
    if (write_file(dir, "memory.limit_in_bytes", v) < 0)
        return -1;
    write_file(dir, "memory.memsw.limit_in_bytes", v);
    return 0;
}

static int limit_cpu(const char *mem_dir, const char *cpu_dir, double cpus)
{
    char v[64];
    long quota = (long)(cpus * CFS_PERIOD_US);
    if (quota < 1000)
        quota = 1000;
    if (is_v2()) {
        snprintf(v, sizeof(v), "%ld %d", quota, CFS_PERIOD_US);
        return write_file(mem_dir, "cpu.max", v);
    }
    snprintf(v, sizeof(v), "%d", CFS_PERIOD_US);
    if (write_file(cpu_dir, "cpu.cfs_period_us", v) < 0)
        return -1;
    snprintf(v, sizeof(v), "%ld", quota);
    return write_file(cpu_dir, "cpu.cfs_quota_us", v);
}

int cgroup_create(const char *name, uint64_t mem_limit, double cpus, char *err, size_t errlen)
{
    char mem[256], cpu[256];
    dirs(name, mem, cpu);
    if (!cgroup_mode()) {
        snprintf(err, errlen, "no usable memory cgroup controller under " ROOT);
        return -1;
    }
    if (is_v2())
        write_file(ROOT, "cgroup.subtree_control", "+memory +cpu");
    if (make_dir(mem, err, errlen) < 0)
        return -1;
    if (limit_memory(mem, mem_limit) < 0) {
        snprintf(err, errlen, "cannot set the memory limit of %s: %s", mem, strerror(errno));
        goto undo;
    }
    if (cpus > 0) {
        if (cpu[0] && make_dir(cpu, err, errlen) < 0)
            goto undo;
        if (limit_cpu(mem, cpu, cpus) < 0) {
            snprintf(err, errlen, "cannot set the CPU quota: %s", strerror(errno));
            goto undo;
        }
    }
    return 0;
undo:
    cgroup_remove(name);
    return -1;
}

int cgroup_attach(const char *name, pid_t pid)
{
    char mem[256], cpu[256], v[32];
    dirs(name, mem, cpu);
    snprintf(v, sizeof(v), "%d", (int)pid);
    if (write_file(mem, "cgroup.procs", v) < 0)
        return -1;
    if (cpu[0] && access(cpu, F_OK) == 0 && write_file(cpu, "cgroup.procs", v) < 0)
        return -1;
    return 0;
}

int cgroup_procs_files(const char *name, char *out, size_t len)
{
    char mem[256], cpu[256];
    dirs(name, mem, cpu);
    int n = cpu[0] && access(cpu, F_OK) == 0
                ? snprintf(out, len, "%s/cgroup.procs:%s/cgroup.procs", mem, cpu)
                : snprintf(out, len, "%s/cgroup.procs", mem);
    return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Kills whatever is left in dir and removes it, retrying while the kernel lets go of it. */
static void remove_dir(const char *dir)
{
    char path[512];
    if (access(dir, F_OK) != 0)
        return;
    snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
    for (int attempt = 0; attempt < 100; attempt++) {
        if (rmdir(dir) == 0 || errno == ENOENT)
            return;
        FILE *f = fopen(path, "r");
        int pid;
        while (f && fscanf(f, "%d", &pid) == 1)
            kill(pid, SIGKILL);
        if (f)
            fclose(f);
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

void cgroup_remove(const char *name)
{
    char mem[256], cpu[256];
    dirs(name, mem, cpu);
    remove_dir(mem);
    if (cpu[0])
        remove_dir(cpu);
}
