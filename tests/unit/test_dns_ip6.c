/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests of the IPv6 transport the dns app serves on: address text (guest/ip6.c: RFC 4291
 * forms in, RFC 5952 form out, bad text refused) and the Linux-socket backend's dual-stack
 * sockets (unf_udp_open_dual, unf_tcp_listen_dual) answering an IPv6 and an IPv4 client on
 * loopback, with the source handed over in the right family and answered there.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unf/loop.h>
#include <unf/net.h>

#include "check.h"

static int roundtrip(const char *in, const char *want)
{
    unf_addr a;
    char buf[UNF_ADDR_TEXT];
    if (unf_addr_parse(in, &a) < 0)
        return 0;
    unf_addr_format(&a, buf);
    if (strcmp(buf, want) != 0) {
        printf("  %s -> %s, want %s\n", in, buf, want);
        return 0;
    }
    return 1;
}

static int refused(const char *in)
{
    unf_addr a;
    return unf_addr_parse(in, &a) < 0;
}

static void text_checks(void)
{
    CHECK(roundtrip("fd00:756e:66::2", "fd00:756e:66::2"), "ip6.text.compressed");
    CHECK(roundtrip("FD00:0000:0000:0000:0000:0000:0000:0001", "fd00::1"), "ip6.text.full-to-5952");
    CHECK(roundtrip("::", "::") && roundtrip("::1", "::1") && roundtrip("1::", "1::"), "ip6.text.edges");
    CHECK(roundtrip("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), "ip6.text.first-longest-run");
    CHECK(roundtrip("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), "ip6.text.single-zero-not-compressed");
    CHECK(roundtrip("::ffff:192.0.2.1", "::ffff:c000:201"), "ip6.text.trailing-dotted-quad");
    CHECK(roundtrip("192.0.2.1", "192.0.2.1"), "ip6.text.ipv4");
    unf_addr a;
    CHECK(unf_addr_parse("fe80::1", &a) == 0 && a.family == UNF_AF_IP6 && a.bytes[0] == 0xfe && a.bytes[15] == 1,
          "ip6.text.bytes");
    CHECK(refused("") && refused(":") && refused(":::") && refused("1::2::3") && refused("12345::") &&
              refused("1:2:3:4:5:6:7:8:9") && refused("1:2:3:4:5:6:7") && refused("1:2:3:4:5:6:7:8::") &&
              refused("g::1") && refused("1:") && refused("::1.2.3") && refused("::1.2.3.4.5") &&
              refused("1:2:3:4:5:6:7:1.2.3.4") && refused("1.2.3.4::") && refused("fd00::1/64"),
          "ip6.text.bad-refused");
}

/* ---- dual-stack sockets on loopback -------------------------------------------------------- */

static int udp_families; /* bit 0: an IPv4 source seen, bit 1: an IPv6 source */
static int tcp_families;

static void udp_echo(void *arg, unf_udp *sock, const void *data, size_t len, const unf_addr *src, uint16_t port)
{
    (void)arg;
    udp_families |= src->family == UNF_AF_IP6 ? 2 : src->family == UNF_AF_IP4 ? 1 : 0;
    unf_udp_send_addr(sock, src, port, data, len);
}

static void tcp_accepted(void *arg, unf_tcp *conn)
{
    (void)arg;
    unf_addr peer;
    uint16_t port;
    unf_ip4 v4 = 1;
    unf_tcp_peer_addr(conn, &peer, &port);
    unf_tcp_peer(conn, &v4, NULL);
    if (peer.family == UNF_AF_IP6 && peer.bytes[15] == 1 && v4 == 0)
        tcp_families |= 2;
    if (peer.family == UNF_AF_IP4 && peer.bytes[0] == 127 && v4 == htonl(0x7f000001))
        tcp_families |= 1;
    unf_tcp_close(conn);
}

static void stop(void *arg)
{
    (void)arg;
    unf_loop_exit(0);
}

static int client(int family, int type, uint16_t port)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    socklen_t len;
    if (family == AF_INET6) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        a->sin6_addr = in6addr_loopback;
        len = sizeof(*a);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        a->sin_addr.s_addr = htonl(0x7f000001);
        len = sizeof(*a);
    }
    int fd = socket(family, type | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    if (type == SOCK_DGRAM && send(fd, "ping", 4, 0) != 4) {
        close(fd);
        return -1;
    }
    return fd;
}

static void socket_checks(void)
{
    int probe = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 lo6 = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int have6 = probe >= 0 && bind(probe, (struct sockaddr *)&lo6, sizeof(lo6)) == 0;
    if (probe >= 0)
        close(probe);
    if (!have6) {
        printf("SKIP ip6.dual: no IPv6 loopback here\n");
        return;
    }
    uint16_t port = (uint16_t)(20000 + getpid() % 20000);
    unf_udp *u = unf_udp_open_dual(port, udp_echo, NULL);
    unf_tcp *t = unf_tcp_listen_dual(port, tcp_accepted, NULL);
    CHECK(u && t, "ip6.dual.open");
    if (!u || !t)
        return;
    int c6 = client(AF_INET6, SOCK_DGRAM, port), c4 = client(AF_INET, SOCK_DGRAM, port);
    int s6 = client(AF_INET6, SOCK_STREAM, port), s4 = client(AF_INET, SOCK_STREAM, port);
    unf_timer_start(300000000ull, 0, stop, NULL);
    unf_loop_run();
    char buf[16];
    CHECK(udp_families == 3, "ip6.dual.udp-sources-both-families");
    CHECK(c6 >= 0 && recv(c6, buf, sizeof(buf), 0) == 4 && memcmp(buf, "ping", 4) == 0, "ip6.dual.udp-answer-v6");
    CHECK(c4 >= 0 && recv(c4, buf, sizeof(buf), 0) == 4 && memcmp(buf, "ping", 4) == 0, "ip6.dual.udp-answer-v4");
    CHECK(tcp_families == 3, "ip6.dual.tcp-peers-both-families");
    unf_addr bad = {.family = 5};
    CHECK(unf_udp_send_addr(u, &bad, port, "x", 1) < 0, "ip6.dual.bad-family-refused");
    int fds[] = {c6, c4, s6, s4};
    for (int i = 0; i < 4; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    unf_udp_close(u);
    unf_tcp_close(t);
}

int main(void)
{
    text_checks();
    socket_checks();
    return CHECK_DONE();
}
