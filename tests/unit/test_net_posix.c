/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the Linux-socket backend's IPv4-only sockets (guest/net_posix/sockets.c) on
 * loopback: a UDP socket answering a client with the source handed over as IPv4, a TCP listener
 * accepting with the peer's address; and every way an open can fail (port taken, no such NIC)
 * answering NULL without leaving a descriptor open (built with ASan: nothing freed twice).
 * The NIC's addresses (lo's). As root also the raw IPv4 and AF_PACKET sockets (on lo).
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unf/loop.h>
#include <unf/net.h>

#include "check.h"

static int udp_from_lo, tcp_from_lo;

static void udp_echo(void *arg, unf_udp *sock, const void *data, size_t len, unf_ip4 src, uint16_t port)
{
    (void)arg;
    udp_from_lo += src == htonl(0x7f000001) && port != 0;
    unf_udp_sendto(sock, src, port, data, len);
}

static void tcp_accepted(void *arg, unf_tcp *conn)
{
    (void)arg;
    unf_ip4 peer = 0;
    uint16_t port = 0;
    unf_tcp_peer(conn, &peer, &port);
    tcp_from_lo += peer == htonl(0x7f000001) && port != 0;
    unf_tcp_close(conn);
}

static void raw_ignore(void *arg, unf_raw *r, const void *packet, size_t len)
{
    (void)arg, (void)r, (void)packet, (void)len;
}

static void l2_ignore(void *arg, unf_l2 *port, const void *frame, size_t len)
{
    (void)arg, (void)port, (void)frame, (void)len;
}

static void stop(void *arg)
{
    (void)arg;
    unf_loop_exit(0);
}

/* Open descriptors of this process (a failed open must not add one). */
static int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;
    if (!d)
        return -1;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

static int client(int type, uint16_t port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
    int fd = socket(AF_INET, type | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if ((connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 && errno != EINPROGRESS) ||
        (type == SOCK_DGRAM && send(fd, "ping", 4, 0) != 4)) {
        close(fd);
        return -1;
    }
    return fd;
}

static void ip4_checks(void)
{
    uint16_t port = (uint16_t)(20000 + getpid() % 20000);
    unf_udp *u = unf_udp_open(port, udp_echo, NULL);
    unf_tcp *t = unf_tcp_listen(port, tcp_accepted, NULL);
    CHECK(u && t, "ip4.open");
    if (!u || !t)
        return;
    int before = open_fds();
    CHECK(!unf_udp_open(port, udp_echo, NULL) && open_fds() == before, "ip4.udp.port-taken-no-leak");
    CHECK(!unf_tcp_listen(port, tcp_accepted, NULL) && open_fds() == before, "ip4.tcp.port-taken-no-leak");
    int cu = client(SOCK_DGRAM, port), ct = client(SOCK_STREAM, port);
    unf_timer_start(300000000ull, 0, stop, NULL);
    unf_loop_run();
    char buf[16];
    CHECK(udp_from_lo == 1, "ip4.udp.source-ipv4");
    CHECK(cu >= 0 && recv(cu, buf, sizeof(buf), 0) == 4 && memcmp(buf, "ping", 4) == 0, "ip4.udp.answer");
    CHECK(tcp_from_lo == 1, "ip4.tcp.peer-ipv4");
    unf_addr v6 = {.family = UNF_AF_IP6};
    CHECK(unf_udp_send_addr(u, &v6, port, "x", 1) < 0, "ip4.udp.ipv6-destination-refused");
    if (cu >= 0)
        close(cu);
    if (ct >= 0)
        close(ct);
    unf_udp_close(u);
    unf_tcp_close(t);
}

static void addr_checks(void)
{
    unf_ip4 a = 0, m = 0, g = 1;
    unf_addr a6;
    unsigned plen = 0;
    if (setenv("UNF_NIC0", "lo", 1) < 0)
        return;
    CHECK(unf_net_addr(0, &a, &m, &g) == 0 && a == htonl(0x7f000001) && m == htonl(0xff000000) && g == 0,
          "addr.ip4-lo");
    if (unf_net_addr6(0, &a6, &plen) == 0)
        CHECK(a6.family == UNF_AF_IP6 && a6.bytes[15] == 1 && a6.bytes[0] == 0 && plen == 128, "addr.ip6-lo");
    else
        printf("SKIP addr.ip6-lo: no IPv6 on lo here\n");
    if (setenv("UNF_NIC0", "unfnosuch0", 1) < 0)
        return;
    CHECK(unf_net_addr(0, &a, &m, &g) < 0 && unf_net_addr6(0, &a6, &plen) < 0, "addr.no-such-nic");
}

static void frame_checks(void)
{
    int before = open_fds();
    if (setenv("UNF_NIC0", "unfnosuch0", 1) < 0)
        return;
    CHECK(!unf_l2_open(0, l2_ignore, NULL) && open_fds() == before, "l2.no-such-nic-no-leak");
    if (geteuid() != 0) {
        printf("SKIP raw: needs root (CAP_NET_RAW)\n");
        return;
    }
    unf_raw *r = unf_raw_open(1, raw_ignore, NULL);
    CHECK(r != NULL, "raw.open");
    if (r)
        unf_raw_close(r);
    if (setenv("UNF_NIC0", "lo", 1) < 0)
        return;
    unf_l2 *p = unf_l2_open(0, l2_ignore, NULL);
    CHECK(p != NULL, "l2.open-lo");
    if (p)
        unf_l2_close(p);
    CHECK(open_fds() == before, "closed-no-leak");
}

int main(void)
{
    ip4_checks();
    addr_checks();
    frame_checks();
    return CHECK_DONE();
}
