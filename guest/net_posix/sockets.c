/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The app network API (include/unf/net.h) over Linux sockets, for the native build: UDP and TCP
 * sockets, raw IPv4 sockets (IP_HDRINCL) and AF_PACKET for frames. Everything is non-blocking
 * and driven by the epoll loop in backend.c. TCP output the kernel cannot take at once is
 * buffered (up to SEND_BUFFER bytes) so apps see the same contract as with lwIP. The *_dual
 * sockets come from dual.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unf/net.h>

#include "posix.h"

#define SEND_BUFFER (256 * 1024)

static uint8_t rx_buf[65536];

int unf_net_addr(unsigned nic, unf_ip4 *addr, unf_ip4 *netmask, unf_ip4 *gateway)
{
    struct sockaddr_storage a, m;
    if (posix_nic_ifaddr(nic, AF_INET, &a, &m) < 0)
        return -1;
    if (addr) *addr = ((struct sockaddr_in *)&a)->sin_addr.s_addr;
    if (netmask) *netmask = ((struct sockaddr_in *)&m)->sin_addr.s_addr;
    if (gateway) *gateway = 0; /* the kernel routes; apps need not know */
    return 0;
}

/* The last step of opening every socket object: watch its fd for input through on_event when
 * `ok` says the steps before went well. Else, or when epoll refuses, closes the fd (if any),
 * frees owner (which embeds w) and answers NULL. */
static void *watch_or_free(void *owner, struct posix_watch *w, void (*on_event)(struct posix_watch *, uint32_t),
                           int ok)
{
    w->on_event = on_event;
    if (ok && w->fd >= 0 && posix_watch_add(w, EPOLLIN) == 0)
        return owner;
    if (w->fd >= 0)
        close(w->fd);
    free(owner);
    return NULL;
}

/* --- UDP --- */
struct unf_udp {
    struct posix_watch w;
    unf_udp_recv_fn recv;           /* IPv4-only socket */
    unf_udp_recv_addr_fn recv_addr; /* dual socket */
    int family;                     /* the socket's: AF_INET or AF_INET6 */
    void *arg;
};

static void udp_event(struct posix_watch *w, uint32_t events)
{
    unf_udp *s = (unf_udp *)w;
    (void)events;
    for (int i = 0; i < 64 && !w->dead; i++) {
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        ssize_t n = recvfrom(w->fd, rx_buf, sizeof(rx_buf), 0, (struct sockaddr *)&from, &from_len);
        if (n < 0)
            return;
        unf_addr src;
        uint16_t port;
        posix_from_sockaddr(&from, &src, &port);
        if (s->recv_addr) {
            s->recv_addr(s->arg, s, rx_buf, (size_t)n, &src, port);
        } else {
            unf_ip4 v4;
            memcpy(&v4, src.bytes, 4);
            s->recv(s->arg, s, rx_buf, (size_t)n, v4, port);
        }
    }
}

/* An IPv4-only socket (recv) or a dual one (recv_addr); family is what the kernel gave. */
static unf_udp *udp_open_on(int dual, uint16_t port, unf_udp_recv_fn recv, unf_udp_recv_addr_fn recv_addr,
                            void *arg)
{
    unf_udp *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    s->w.fd = dual ? posix_open_dual(SOCK_DGRAM, port) : posix_open_bound(AF_INET, SOCK_DGRAM, port);
    int ok = s->w.fd >= 0 && getsockname(s->w.fd, (struct sockaddr *)&ss, &sl) == 0;
    s->family = ok ? ss.ss_family : AF_UNSPEC;
    s->recv = recv;
    s->recv_addr = recv_addr;
    s->arg = arg;
    return watch_or_free(s, &s->w, udp_event, ok);
}

unf_udp *unf_udp_open(uint16_t port, unf_udp_recv_fn recv, void *arg)
{
    return udp_open_on(0, port, recv, NULL, arg);
}

unf_udp *unf_udp_open_dual(uint16_t port, unf_udp_recv_addr_fn recv, void *arg)
{
    return udp_open_on(1, port, NULL, recv, arg);
}

int unf_udp_sendto(unf_udp *s, unf_ip4 dst, uint16_t dst_port, const void *data, size_t len)
{
    unf_addr to = unf_addr_from_ip4(dst);
    return unf_udp_send_addr(s, &to, dst_port, data, len);
}

int unf_udp_send_addr(unf_udp *s, const unf_addr *dst, uint16_t dst_port, const void *data, size_t len)
{
    struct sockaddr_storage ss;
    socklen_t sl = posix_to_sockaddr(s->family, dst, dst_port, &ss);
    if (sl == 0)
        return -1;
    return sendto(s->w.fd, data, len, 0, (struct sockaddr *)&ss, sl) == (ssize_t)len ? 0 : -1;
}

void unf_udp_close(unf_udp *s)
{
    if (s)
        posix_watch_close(&s->w, s);
}

/* --- TCP --- */
struct unf_tcp {
    struct posix_watch w;
    int listener;
    unf_tcp_accept_fn accept;
    unf_tcp_recv_fn recv;
    unf_tcp_sent_fn sent;
    unf_tcp_error_fn error;
    void *arg;
    uint8_t *out;          /* bytes the kernel has not taken yet */
    size_t out_len, out_cap;
    int closing;           /* app closed; flush `out`, then close */
    int peer_closed;
    unf_addr peer_addr;
    uint16_t peer_port;
};

static void tcp_finish(unf_tcp *c)
{
    free(c->out);
    c->out = NULL;
    posix_watch_close(&c->w, c);
}

static void tcp_fail(unf_tcp *c)
{
    if (!c->closing && c->error)
        c->error(c->arg, c);
    if (!c->w.dead)
        tcp_finish(c);
}

/* Sends buffered output; returns -1 when the connection broke. */
static int tcp_flush(unf_tcp *c)
{
    size_t done = 0;
    while (done < c->out_len) {
        ssize_t n = send(c->w.fd, c->out + done, c->out_len - done, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                break;
            return -1;
        }
        done += (size_t)n;
    }
    memmove(c->out, c->out + done, c->out_len - done);
    c->out_len -= done;
    return 0;
}

static void tcp_event(struct posix_watch *w, uint32_t events)
{
    unf_tcp *c = (unf_tcp *)w;
    if (events & EPOLLOUT) {
        if (tcp_flush(c) < 0) {
            tcp_fail(c);
            return;
        }
        if (c->out_len == 0) {
            if (c->closing) {
                tcp_finish(c);
                return;
            }
            posix_watch_modify(w, EPOLLIN);
            if (c->sent)
                c->sent(c->arg, c);
            if (w->dead)
                return;
        }
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        for (int i = 0; i < 16 && !w->dead && !c->peer_closed; i++) {
            ssize_t n = recv(w->fd, rx_buf, sizeof(rx_buf), 0);
            if (n < 0) {
                if (errno == EAGAIN || errno == EINTR)
                    return;
                tcp_fail(c);
                return;
            }
            if (c->closing)
                continue; /* the app is gone; drain quietly */
            if (n == 0) {
                c->peer_closed = 1;
                posix_watch_modify(w, c->out_len ? EPOLLOUT : 0);
            }
            if (c->recv)
                c->recv(c->arg, c, rx_buf, (size_t)n);
        }
    }
}

static void listener_event(struct posix_watch *w, uint32_t events)
{
    unf_tcp *l = (unf_tcp *)w;
    (void)events;
    for (int i = 0; i < 64 && !w->dead; i++) {
        struct sockaddr_storage from;
        socklen_t len = sizeof(from);
        int fd = accept4(w->fd, (struct sockaddr *)&from, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
            return;
        unf_tcp *c = calloc(1, sizeof(*c));
        if (!c) {
            close(fd);
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        c->w.fd = fd;
        posix_from_sockaddr(&from, &c->peer_addr, &c->peer_port);
        if (watch_or_free(c, &c->w, tcp_event, 1))
            l->accept(l->arg, c);
    }
}

static unf_tcp *tcp_listen_on(int dual, uint16_t port, unf_tcp_accept_fn accept, void *arg)
{
    unf_tcp *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    l->w.fd = dual ? posix_open_dual(SOCK_STREAM, port) : posix_open_bound(AF_INET, SOCK_STREAM, port);
    l->listener = 1;
    l->accept = accept;
    l->arg = arg;
    return watch_or_free(l, &l->w, listener_event, l->w.fd >= 0 && listen(l->w.fd, 1024) == 0);
}

unf_tcp *unf_tcp_listen(uint16_t port, unf_tcp_accept_fn accept, void *arg)
{
    return tcp_listen_on(0, port, accept, arg);
}

unf_tcp *unf_tcp_listen_dual(uint16_t port, unf_tcp_accept_fn accept, void *arg)
{
    return tcp_listen_on(1, port, accept, arg);
}

void unf_tcp_set_callbacks(unf_tcp *c, unf_tcp_recv_fn recv, unf_tcp_sent_fn sent,
                           unf_tcp_error_fn error, void *arg)
{
    c->recv = recv;
    c->sent = sent;
    c->error = error;
    c->arg = arg;
}

size_t unf_tcp_sendable(unf_tcp *c)
{
    return c->closing || c->w.dead ? 0 : SEND_BUFFER - c->out_len;
}

long unf_tcp_write(unf_tcp *c, const void *data, size_t len)
{
    if (c->closing || c->w.dead)
        return -1;
    size_t sent = 0;
    if (c->out_len == 0) {
        ssize_t n = send(c->w.fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            return -1;
        sent = n > 0 ? (size_t)n : 0;
    }
    size_t rest = len - sent, room = SEND_BUFFER - c->out_len;
    if (rest > room)
        rest = room;
    if (rest > 0) {
        if (c->out_len + rest > c->out_cap) {
            size_t cap = c->out_cap ? c->out_cap : 16384;
            while (cap < c->out_len + rest)
                cap *= 2;
            uint8_t *grown = realloc(c->out, cap);
            if (!grown)
                return (long)sent;
            c->out = grown;
            c->out_cap = cap;
        }
        memcpy(c->out + c->out_len, (const uint8_t *)data + sent, rest);
        c->out_len += rest;
        posix_watch_modify(&c->w, (c->peer_closed ? 0 : EPOLLIN) | EPOLLOUT);
    }
    return (long)(sent + rest);
}

void unf_tcp_close(unf_tcp *c)
{
    if (!c || c->closing || c->w.dead)
        return;
    c->closing = 1;
    if (c->listener || c->out_len == 0) {
        tcp_finish(c);
        return;
    }
    shutdown(c->w.fd, SHUT_RD);
    posix_watch_modify(&c->w, EPOLLOUT); /* finish sending, then close */
}

void unf_tcp_peer(unf_tcp *c, unf_ip4 *addr, uint16_t *port)
{
    if (addr) {
        *addr = 0;
        if (c->peer_addr.family == UNF_AF_IP4)
            memcpy(addr, c->peer_addr.bytes, 4);
    }
    if (port) *port = c->peer_port;
}

void unf_tcp_peer_addr(unf_tcp *c, unf_addr *addr, uint16_t *port)
{
    if (addr) *addr = c->peer_addr;
    if (port) *port = c->peer_port;
}

/* --- raw IPv4 --- */
struct unf_raw {
    struct posix_watch w;
    unf_raw_recv_fn recv;
    void *arg;
};

static void raw_event(struct posix_watch *w, uint32_t events)
{
    unf_raw *r = (unf_raw *)w;
    (void)events;
    for (int i = 0; i < 64 && !w->dead; i++) {
        ssize_t n = recv(w->fd, rx_buf, sizeof(rx_buf), 0);
        if (n < 0)
            return;
        r->recv(r->arg, r, rx_buf, (size_t)n);
    }
}

unf_raw *unf_raw_open(uint8_t proto, unf_raw_recv_fn recv, void *arg)
{
    unf_raw *r = calloc(1, sizeof(*r));
    int one = 1;
    if (!r)
        return NULL;
    r->w.fd = posix_socket(AF_INET, SOCK_RAW, proto);
    r->recv = recv;
    r->arg = arg;
    return watch_or_free(r, &r->w, raw_event,
                         r->w.fd >= 0 && setsockopt(r->w.fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) == 0);
}

int unf_raw_send(unf_raw *r, const void *packet, size_t len)
{
    const struct iphdr *h = packet;
    if (len < sizeof(*h) || h->version != 4)
        return -1;
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = h->daddr};
    /* With IP_HDRINCL the kernel fills in a zero header checksum itself. */
    return sendto(r->w.fd, packet, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len ? 0 : -1;
}

void unf_raw_close(unf_raw *r)
{
    if (r)
        posix_watch_close(&r->w, r);
}

/* --- Ethernet frames (a copy of the NIC's traffic; the kernel still sees it) --- */
struct unf_l2 {
    struct posix_watch w;
    int ifindex;
    unf_l2_recv_fn recv;
    void *arg;
};

static void l2_event(struct posix_watch *w, uint32_t events)
{
    unf_l2 *port = (unf_l2 *)w;
    (void)events;
    for (int i = 0; i < 64 && !w->dead; i++) {
        ssize_t n = recv(w->fd, rx_buf, sizeof(rx_buf), 0);
        if (n < 0)
            return;
        port->recv(port->arg, port, rx_buf, (size_t)n);
    }
}

unf_l2 *unf_l2_open(unsigned nic, unf_l2_recv_fn recv, void *arg)
{
    char name[IF_NAMESIZE];
    unf_l2 *port = calloc(1, sizeof(*port));
    if (!port)
        return NULL;
    port->w.fd = -1;
    port->recv = recv;
    port->arg = arg;
    if (posix_nic_name(nic, name, sizeof(name)) < 0 || !(port->ifindex = (int)if_nametoindex(name)))
        return watch_or_free(port, &port->w, l2_event, 0);
    port->w.fd = posix_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
    struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
                              .sll_ifindex = port->ifindex};
    return watch_or_free(port, &port->w, l2_event,
                         port->w.fd >= 0 && bind(port->w.fd, (struct sockaddr *)&sll, sizeof(sll)) == 0);
}

int unf_l2_send(unf_l2 *port, const void *frame, size_t len)
{
    return send(port->w.fd, frame, len, 0) == (ssize_t)len ? 0 : -1;
}

void unf_l2_close(unf_l2 *port)
{
    if (port)
        posix_watch_close(&port->w, port);
}
