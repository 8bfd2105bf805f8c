/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The watcher (see watch.h). It keeps its own table of the RUNNING instances it follows, sorted
 * by id, each with an inotify watch on its runtime state directory ($UNF_ROOT/<id>/). The table
 * is brought in line with the agent's when kicked and on every sweep; an instance newly taken on
 * is looked at once right after its watch is in place, so an end that came before the watch is
 * not missed. Only a rename onto (or the removal of) instance.json, or the directory's own
 * removal, marks an instance for a look: the console log being written wakes nothing. Where
 * inotify cannot be had (the per-user limits on inotify instances and watches), an instance is
 * polled the old way instead: its instance.json's mtime every 20 ms. Between events the thread
 * sleeps in poll(2); with nothing running it has no timeout at all.
 */
#include "watch.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/instance.h"
#include "instances.h"
#include "launch.h"

#define SWEEP_MS   1000 /* every instance looked at (monitor liveness), events or not */
#define POLL_MS    20   /* an instance without a watch: its state file's mtime this often */
#define STATE_FILE "instance.json"
/* instance_save writes a temporary file and renames it onto STATE_FILE: IN_MOVED_TO is the
 * write; `unf rm` removes the directory (IN_DELETE, IN_DELETE_SELF, then IN_IGNORED). */
#define WATCH_MASK (IN_MOVED_TO | IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

struct watch {
    char id[INST_ID_MAX + 1];
    int wd;          /* the inotify watch; -1: none, the instance is polled */
    int dirty;       /* to be looked at */
    long long mtime; /* polled: the state file's mtime at the last look (-1: missing) */
};

typedef char inst_id[INST_ID_MAX + 1];

static pthread_t thread;
static int started;
static atomic_int quitting;
static atomic_int kick_fd = -1; /* eventfd: kicks and the stop */
static int ino_fd = -1;         /* the thread's own once started */
static struct watch *table;
static int nwatch;

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long state_mtime_ns(const char *id)
{
    char path[256];
    struct stat st;
    instance_path(id, STATE_FILE, path, sizeof(path));
    if (stat(path, &st) < 0)
        return -1;
    return (long long)st.st_mtim.tv_sec * 1000000000ll + st.st_mtim.tv_nsec;
}

static int cmp_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The agent's RUNNING instances (stopping ones too: the watch stays through a stop that may
 * fail), sorted; the count, or -1 out of memory. */
static int running_ids(inst_id **ids)
{
    instances_lock();
    int total = instances_count(), n = 0;
    *ids = calloc(total ? (size_t)total : 1, sizeof(**ids));
    for (int i = 0; *ids && i < total; i++)
        if (instances_at(i)->state == INST_RUNNING)
            memcpy((*ids)[n++], instances_at(i)->id, sizeof(**ids));
    instances_unlock();
    if (!*ids)
        return -1;
    qsort(*ids, (size_t)n, sizeof(**ids), cmp_ids);
    return n;
}

static void watch_begin(struct watch *w, const char *id)
{
    memset(w, 0, sizeof(*w));
    snprintf(w->id, sizeof(w->id), "%s", id);
    w->dirty = 1; /* whatever happened before the watch existed is found by this first look */
    w->mtime = -1;
    w->wd = -1;
    if (ino_fd >= 0) {
        char path[256];
        instance_path(id, NULL, path, sizeof(path));
        /* Failing, it is ENOENT (the look finds the state gone) or the watch limit (polled). */
        w->wd = inotify_add_watch(ino_fd, path, WATCH_MASK);
    }
}

static void watch_end(struct watch *w)
{
    if (w->wd >= 0)
        inotify_rm_watch(ino_fd, w->wd);
    w->wd = -1;
}

/* Brings the table in line with the agent's RUNNING instances: a merge of two sorted lists. On
 * running out of memory it stays as it was; the next sweep tries again. */
static void reconcile(void)
{
    inst_id *ids;
    int n = running_ids(&ids);
    if (n < 0)
        return;
    struct watch *next = calloc(n ? (size_t)n : 1, sizeof(*next));
    if (!next)
        goto cleanup;
    int i = 0, j = 0, k = 0;
    while (i < nwatch || j < n) {
        int c = i == nwatch ? 1 : j == n ? -1 : strcmp(table[i].id, ids[j]);
        if (c < 0) {
            watch_end(&table[i++]); /* no longer RUNNING: stopped or deleted by the API */
        } else if (c > 0) {
            watch_begin(&next[k++], ids[j++]);
        } else {
            next[k++] = table[i++];
            j++;
        }
    }
    free(table);
    table = next;
    nwatch = k;
cleanup:
    free(ids);
}

static struct watch *find_wd(int wd)
{
    for (int i = 0; i < nwatch; i++)
        if (table[i].wd == wd)
            return &table[i];
    return NULL;
}

/* Drains the inotify queue, marking the instances whose state file changed. */
static void read_events(void)
{
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        ssize_t len = read(ino_fd, buf, sizeof(buf));
        if (len <= 0)
            return; /* EAGAIN: all read */
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            p += sizeof(*ev) + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) { /* events were lost: everyone is looked at */
                for (int i = 0; i < nwatch; i++)
                    table[i].dirty = 1;
                continue;
            }
            if (ev->len && strcmp(ev->name, STATE_FILE) != 0)
                continue;
            struct watch *w = find_wd(ev->wd);
            if (!w)
                continue; /* a watch already ended (its IN_IGNORED) */
            w->dirty = 1;
            if (ev->mask & IN_IGNORED)
                w->wd = -1; /* the directory went, and its watch with it */
        }
    }
}

/* Looks at the instances that need it (every one on a sweep); those that ended leave the table. */
static void look(int sweep)
{
    int k = 0;
    for (int i = 0; i < nwatch; i++) {
        struct watch *w = &table[i];
        if (w->wd < 0) {
            long long m = state_mtime_ns(w->id);
            if (m != w->mtime || m < 0)
                w->dirty = 1;
            w->mtime = m;
        }
        if (sweep || w->dirty) {
            int rc = launch_check(w->id);
            if (rc == 1) {
                watch_end(w);
                continue;
            }
            w->dirty = rc < 0; /* a stop owns it just now: looked at again when kicked */
        }
        if (k != i)
            table[k] = *w;
        k++;
    }
    nwatch = k;
}

/* How long poll may sleep: until the sweep, shorter while an instance is polled, for ever
 * when nothing runs (a deploy kicks). */
static int sleep_ms(long long next_sweep)
{
    if (!nwatch)
        return -1;
    long long t = next_sweep - mono_ms();
    for (int i = 0; i < nwatch && t > POLL_MS; i++)
        if (table[i].wd < 0)
            t = POLL_MS;
    return t < 0 ? 0 : (int)t;
}

static void *watch_main(void *arg)
{
    (void)arg;
    int kfd = atomic_load(&kick_fd);
    long long next_sweep = 0;
    int kicked = 1; /* the first round takes on what launch_adopt left RUNNING */
    while (!atomic_load(&quitting)) {
        long long now = mono_ms();
        int sweep = now >= next_sweep;
        if (sweep)
            next_sweep = now + SWEEP_MS;
        if (kicked || sweep)
            reconcile();
        look(sweep);
        struct pollfd fds[2] = {{.fd = kfd, .events = POLLIN}, {.fd = ino_fd, .events = POLLIN}};
        int rc = poll(fds, ino_fd >= 0 ? 2 : 1, sleep_ms(next_sweep));
        kicked = 0;
        if (rc < 0) {
            if (errno != EINTR)
                usleep(POLL_MS * 1000); /* ENOMEM: no spinning on it */
            continue;
        }
        uint64_t count;
        if (fds[0].revents & POLLIN)
            kicked = read(kfd, &count, sizeof(count)) == (ssize_t)sizeof(count);
        if (ino_fd >= 0 && (fds[1].revents & POLLIN))
            read_events();
    }
    return NULL;
}

int watch_start(void)
{
    int kfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); /* CLOEXEC: no monitor inherits it */
    if (kfd < 0)
        return -1;
    ino_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (ino_fd < 0)
        fprintf(stderr, "unfd: no inotify (%s): instances are polled every %d ms\n", strerror(errno), POLL_MS);
    atomic_store(&quitting, 0);
    atomic_store(&kick_fd, kfd);
    if (pthread_create(&thread, NULL, watch_main, NULL) != 0) {
        atomic_store(&kick_fd, -1);
        close(kfd);
        if (ino_fd >= 0)
            close(ino_fd);
        ino_fd = -1;
        return -1;
    }
    started = 1;
    return 0;
}

void watch_kick(void)
{
    int fd = atomic_load(&kick_fd);
    uint64_t one = 1;
    if (fd >= 0 && write(fd, &one, sizeof(one)) < 0) {
        /* EAGAIN: the counter is full of kicks not yet read, so the thread wakes anyway */
    }
}

void watch_stop(void)
{
    if (!started)
        return;
    atomic_store(&quitting, 1);
    watch_kick();
    pthread_join(thread, NULL);
    started = 0;
    close(atomic_exchange(&kick_fd, -1));
    if (ino_fd >= 0)
        close(ino_fd); /* its watches go with it */
    ino_fd = -1;
    free(table);
    table = NULL;
    nwatch = 0;
}
