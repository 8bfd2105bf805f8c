/* SPDX-License-Identifier: BSD-2-Clause */
/* The native backend's internals: an epoll registry that the socket code hooks into, and the
 * dual-stack socket helpers of dual.c. */
#ifndef UNF_GUEST_POSIX_H
#define UNF_GUEST_POSIX_H
#include <stdint.h>
#include <sys/socket.h>
#include <unf/net.h>

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

/* The first address of `family` on NIC nic (IPv6: not a link-local one) and its netmask (zero
 * when the kernel gives none); -1 when it has none. */
int posix_nic_ifaddr(unsigned nic, int family, struct sockaddr_storage *addr, struct sockaddr_storage *mask);
/* socket() made non-blocking and close-on-exec. */
int posix_socket(int domain, int type, int proto);
/* A non-blocking socket of `family` and `type` bound to port on any address (AF_INET6 with
 * IPV6_V6ONLY off; SO_REUSEADDR for streams); -1 with errno on error. */
int posix_open_bound(int family, int type, uint16_t port);
/* A non-blocking socket of `type` bound to port on every address of both families (AF_INET6
 * with IPV6_V6ONLY off, or AF_INET without kernel IPv6; SO_REUSEADDR for streams); -1 on error. */
int posix_open_dual(int type, uint16_t port);
/* A kernel address as a unf_addr (v4-mapped IPv6 as IPv4) and its port. */
void posix_from_sockaddr(const struct sockaddr_storage *ss, unf_addr *out, uint16_t *port);
/* The address a socket of `family` sends to for `to`; its length, 0 when it cannot reach it. */
socklen_t posix_to_sockaddr(int family, const unf_addr *to, uint16_t port, struct sockaddr_storage *ss);
#endif
