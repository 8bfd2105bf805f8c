/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native backend's core: Linux clocks, stdout as the console, the file archive mapped from
 * $UNF_FILES, and an epoll loop that dispatches socket readiness to the socket code. Objects
 * closed during a dispatch round are freed after it, so stale events never touch freed memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../backend.h"
#include "posix.h"

#define MAX_EVENTS 64

static int epoll_fd = -1;
static struct posix_watch *dead_list;
static void *dead_owners[1024];
static unsigned dead_owner_count;

static uint64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t backend_now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
uint64_t backend_wall_ns(void) { return clock_ns(CLOCK_REALTIME); }

void backend_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(STDOUT_FILENO, buf, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        buf += n;
        len -= (size_t)n;
    }
}

void backend_archive(const void **base, size_t *size)
{
    static const void *map;
    static size_t map_size;
    static int tried;
    if (!tried) {
        tried = 1;
        const char *path = getenv("UNF_FILES");
        int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0) {
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m != MAP_FAILED) {
                map = m;
                map_size = (size_t)st.st_size;
            }
        } else if (path) {
            fprintf(stderr, "unf: cannot read UNF_FILES=%s\n", path);
        }
        if (fd >= 0)
            close(fd);
    }
    *base = map;
    *size = map_size;
}

static int ensure_epoll(void)
{
    if (epoll_fd < 0)
        epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    return epoll_fd;
}

int posix_watch_add(struct posix_watch *w, uint32_t events)
{
    if (ensure_epoll() < 0)
        return -1;
    struct epoll_event ev = {.events = events, .data.ptr = w};
    w->events = events;
    w->dead = 0;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, w->fd, &ev);
}

int posix_watch_modify(struct posix_watch *w, uint32_t events)
{
    if (w->events == events)
        return 0;
    struct epoll_event ev = {.events = events, .data.ptr = w};
    w->events = events;
    return epoll_ctl(epoll_fd, EPOLL_CTL_MOD, w->fd, &ev);
}

static void free_dead(void)
{
    for (unsigned i = 0; i < dead_owner_count; i++)
        free(dead_owners[i]);
    dead_owner_count = 0;
    dead_list = NULL;
}

void posix_watch_close(struct posix_watch *w, void *owner)
{
    if (w->fd >= 0) {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, w->fd, NULL);
        close(w->fd);
        w->fd = -1;
    }
    w->dead = 1;
    w->next_dead = dead_list;
    dead_list = w;
    if (dead_owner_count == sizeof(dead_owners) / sizeof(dead_owners[0]))
        free_dead(); /* outside a dispatch round this is safe; inside, the cap is generous */
    dead_owners[dead_owner_count++] = owner;
}

void backend_wait(uint64_t deadline_ns)
{
    struct epoll_event events[MAX_EVENTS];
    int timeout_ms = -1;
    fflush(stdout);
    if (deadline_ns != UINT64_MAX) {
        uint64_t now = backend_now_ns();
        /* Round up so we never wake before the deadline and spin. */
        timeout_ms = deadline_ns <= now ? 0 : (int)((deadline_ns - now + 999999) / 1000000);
    }
    if (ensure_epoll() < 0)
        return;
    int n = epoll_wait(epoll_fd, events, MAX_EVENTS, timeout_ms);
    for (int i = 0; i < n; i++) {
        struct posix_watch *w = events[i].data.ptr;
        if (!w->dead)
            w->on_event(w, events[i].events);
    }
    free_dead();
}

int posix_nic_name(unsigned nic, char *name, unsigned size)
{
    char var[16];
    snprintf(var, sizeof(var), "UNF_NIC%u", nic);
    const char *forced = getenv(var);
    if (forced) {
        snprintf(name, size, "%s", forced);
        return 0;
    }
    struct if_nameindex *list = if_nameindex(), *it;
    if (!list)
        return -1;
    unsigned seen = 0;
    int found = -1;
    for (it = list; it->if_index != 0; it++) {
        if (strcmp(it->if_name, "lo") == 0)
            continue;
        if (seen++ == nic) {
            snprintf(name, size, "%s", it->if_name);
            found = 0;
            break;
        }
    }
    if_freenameindex(list);
    return found;
}
