/* SPDX-License-Identifier: BSD-2-Clause */
/* The native backend's internals: an epoll registry that the socket code hooks into. */
#ifndef UNF_GUEST_POSIX_H
#define UNF_GUEST_POSIX_H
#include <stdint.h>

struct posix_watch {
    int fd;
    uint32_t events; /* EPOLLIN / EPOLLOUT currently asked for */
    void (*on_event)(struct posix_watch *w, uint32_t events);
    int dead;
    struct posix_watch *next_dead;
};

int posix_watch_add(struct posix_watch *w, uint32_t events);
int posix_watch_modify(struct posix_watch *w, uint32_t events);
/* Stops watching and closes the fd; `owner` (which embeds w) is freed after the current
 * dispatch round, so events already fetched for it are skipped safely. */
void posix_watch_close(struct posix_watch *w, void *owner);
/* The interface name of NIC n (UNF_NIC<n>, else the n-th non-loopback interface). */
int posix_nic_name(unsigned nic, char *name, unsigned size);
#endif
