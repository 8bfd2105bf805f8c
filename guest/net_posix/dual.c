/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The native backend's IPv6 side: the *_dual sockets are AF_INET6 with IPV6_V6ONLY off (IPv4
 * peers arrive as ::ffff:a.b.c.d and are handed to apps as IPv4 unf_addr), or plain AF_INET on a
 * kernel without IPv6; conversions between unf_addr and kernel socket addresses; and the NIC's
 * addresses (posix_nic_ifaddr: IPv4 for unf_net_addr in sockets.c, IPv6 for unf_net_addr6).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unf/net.h>

#include "posix.h"

int posix_socket(int domain, int type, int proto)
{
    return socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
}

int posix_nic_ifaddr(unsigned nic, int family, struct sockaddr_storage *addr, struct sockaddr_storage *mask)
{
    char name[IF_NAMESIZE];
    struct ifaddrs *list;
    int found = -1;
    if (posix_nic_name(nic, name, sizeof(name)) < 0 || getifaddrs(&list) < 0)
        return -1;
    size_t len = family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    for (struct ifaddrs *it = list; it; it = it->ifa_next) {
        if (!it->ifa_addr || it->ifa_addr->sa_family != family || strcmp(it->ifa_name, name) != 0 ||
            (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&((const struct sockaddr_in6 *)it->ifa_addr)->sin6_addr)))
            continue;
        memset(mask, 0, sizeof(*mask));
        memcpy(addr, it->ifa_addr, len);
        if (it->ifa_netmask)
            memcpy(mask, it->ifa_netmask, len);
        found = 0;
        break;
    }
    freeifaddrs(list);
    return found;
}

int unf_net_addr6(unsigned nic, unf_addr *addr, unsigned *prefix_len)
{
    struct sockaddr_storage a, m;
    if (posix_nic_ifaddr(nic, AF_INET6, &a, &m) < 0)
        return -1;
    if (addr) {
        memset(addr, 0, sizeof(*addr));
        addr->family = UNF_AF_IP6;
        memcpy(addr->bytes, &((const struct sockaddr_in6 *)&a)->sin6_addr, 16);
    }
    if (prefix_len) {
        unsigned bits = 0;
        const uint8_t *mb = ((const struct sockaddr_in6 *)&m)->sin6_addr.s6_addr;
        for (int i = 0; i < 16; i++)
            bits += (unsigned)__builtin_popcount(mb[i]);
        *prefix_len = bits;
    }
    return 0;
}

/* A socket of `family` bound to port on any address (AF_INET6 taking IPv4 too); errno kept. */
int posix_open_bound(int family, int type, uint16_t port)
{
    int one = 1, off = 0;
    unf_addr any = {.family = family == AF_INET6 ? UNF_AF_IP6 : UNF_AF_IP4}; /* all zero: any address */
    struct sockaddr_storage ss;
    socklen_t len = posix_to_sockaddr(family, &any, port, &ss);
    int fd = posix_socket(family, type, 0);
    if (fd < 0)
        return -1;
    if ((family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) < 0) ||
        (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
        bind(fd, (struct sockaddr *)&ss, len) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* A socket of both families bound to port: AF_INET6 taking IPv4 too, else (a kernel without
 * IPv6) AF_INET. */
int posix_open_dual(int type, uint16_t port)
{
    int fd = posix_open_bound(AF_INET6, type, port);
    return fd < 0 && errno == EAFNOSUPPORT ? posix_open_bound(AF_INET, type, port) : fd;
}

/* A kernel socket address as a unf_addr (v4-mapped IPv6 as IPv4); the port in *port. */
void posix_from_sockaddr(const struct sockaddr_storage *ss, unf_addr *out, uint16_t *port)
{
    memset(out, 0, sizeof(*out));
    if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        *port = ntohs(a->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
            out->family = UNF_AF_IP4;
            memcpy(out->bytes, &a->sin6_addr.s6_addr[12], 4);
        } else {
            out->family = UNF_AF_IP6;
            memcpy(out->bytes, &a->sin6_addr, 16);
            out->zone = a->sin6_scope_id;
        }
    } else {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        *port = ntohs(a->sin_port);
        out->family = UNF_AF_IP4;
        memcpy(out->bytes, &a->sin_addr, 4);
    }
}

/* The kernel address to send to `to` from a socket of family `family`; its length, 0 when that
 * socket cannot reach it. */
socklen_t posix_to_sockaddr(int family, const unf_addr *to, uint16_t port, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET6 && (to->family == UNF_AF_IP6 || to->family == UNF_AF_IP4)) {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        if (to->family == UNF_AF_IP6) {
            memcpy(&a->sin6_addr, to->bytes, 16);
            a->sin6_scope_id = to->zone;
        } else {
            a->sin6_addr.s6_addr[10] = 0xff;
            a->sin6_addr.s6_addr[11] = 0xff;
            memcpy(&a->sin6_addr.s6_addr[12], to->bytes, 4);
        }
        return sizeof(*a);
    }
    if (family == AF_INET && to->family == UNF_AF_IP4) {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        memcpy(&a->sin_addr, to->bytes, 4);
        return sizeof(*a);
    }
    return 0;
}
