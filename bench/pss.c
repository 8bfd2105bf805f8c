/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PSS measurement from procfs. smaps_rollup (Linux >= 4.14) is one cheap read per process; the
 * process tree is found by scanning /proc/[0-9]*'s stat for parent ids, which also catches the
 * processes a launcher left behind after it exited (a runc container's init is re-parented, so
 * the runc variant starts from the container's init pid instead).
 */
#include "pss.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys.h"

int bench_pss_kib(pid_t pid, long *kib)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
    if (bench_read_file(path, buf, sizeof(buf)) < 0)
        return -1;
    char *line = strstr(buf, "\nPss:");
    if (!line)
        return -1;
    char *end;
    long v = strtol(line + 5, &end, 10);
    if (end == line + 5 || v < 0)
        return -1;
    *kib = v;
    return 0;
}

/* Parent pid from /proc/PID/stat; the comm field may hold spaces and ')' so parse after the last ')'. */
static int parent_of(pid_t pid, pid_t *ppid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    if (bench_read_file(path, buf, sizeof(buf)) < 0)
        return -1;
    char *rp = strrchr(buf, ')');
    char state;
    int parent;
    if (!rp || sscanf(rp + 1, " %c %d", &state, &parent) != 2)
        return -1;
    *ppid = (pid_t)parent;
    return 0;
}

int bench_proc_tree(pid_t root, pid_t *pids, int max)
{
    enum { MAXP = 65536 };
    pid_t *all = NULL, *par = NULL;
    int nall = 0, n = 0, rc = -1;
    DIR *d = NULL;

    if (max < 1)
        return -1;
    all = malloc(MAXP * sizeof(*all));
    par = malloc(MAXP * sizeof(*par));
    d = opendir("/proc");
    if (!all || !par || !d)
        goto cleanup;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && nall < MAXP) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name), pp;
        if (parent_of(pid, &pp) < 0)
            continue; /* exited while we looked */
        all[nall] = pid;
        par[nall] = pp;
        nall++;
    }
    pids[n++] = root;
    /* Breadth first over the list found so far: each pass adds the children of pids[i]. */
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < nall && n < max; j++) {
            if (par[j] == pids[i])
                pids[n++] = all[j];
        }
    }
    rc = n;
cleanup:
    if (d)
        closedir(d);
    free(all);
    free(par);
    return rc;
}

int bench_pss_sum_kib(const pid_t *pids, int n, long *kib)
{
    long sum = 0;
    int counted = 0;
    for (int i = 0; i < n; i++) {
        long v;
        if (bench_pss_kib(pids[i], &v) < 0)
            continue;
        sum += v;
        counted++;
    }
    if (counted == 0)
        return -1;
    *kib = sum;
    return counted;
}
