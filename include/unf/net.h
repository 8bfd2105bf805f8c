/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The network API apps use: IPv4 UDP, TCP, raw IPv4 (ICMP and friends, header included) and
 * raw Ethernet frames. Addresses are IPv4 in network byte order (as in struct in_addr); ports in
 * host byte order. IPv6 transport is opt-in per socket: the *_dual calls serve both families and
 * hand over addresses as unf_addr (family + bytes), so an app written against them runs the same
 * on every backend; the IPv4-only calls behave as before. Backends: lwIP over the platform NICs
 * (unikernels) and Linux sockets (native).
 */
#ifndef UNF_NET_H
#define UNF_NET_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t unf_ip4; /* network byte order */

/* Parses dotted-quad text; 0 on success, -1 on bad input. */
int unf_ip4_parse(const char *text, unf_ip4 *out);
/* Formats into buf (at least 16 bytes); returns buf. */
char *unf_ip4_format(unf_ip4 addr, char *buf);

/* The address of NIC `nic` (0 = first); -1 when the NIC has no IPv4 address. */
int unf_net_addr(unsigned nic, unf_ip4 *addr, unf_ip4 *netmask, unf_ip4 *gateway);

/* --- addresses of either family --- */
enum unf_family { UNF_AF_IP4 = 4, UNF_AF_IP6 = 6 };
typedef struct unf_addr {
    uint8_t family;    /* enum unf_family */
    uint8_t bytes[16]; /* network byte order; IPv4 uses the first 4 */
    uint32_t zone;     /* link-local IPv6: the link it came from (backend's number; 0 unknown). An
                        * app answering a source keeps the unf_addr it got, zone included. */
} unf_addr;
#define UNF_ADDR_TEXT 46 /* room for the longest text form plus the NUL */

/* Parses a dotted quad or IPv6 text (RFC 4291 section 2.2, incl. "::" and a trailing dotted
 * quad); 0 on success, -1 on bad input. */
int unf_addr_parse(const char *text, unf_addr *out);
/* Formats into buf (at least UNF_ADDR_TEXT bytes; IPv6 in RFC 5952 form); returns buf. */
char *unf_addr_format(const unf_addr *addr, char *buf);
/* The unf_addr of an IPv4 address. */
unf_addr unf_addr_from_ip4(unf_ip4 addr);
/* The configured (non link-local) IPv6 address of NIC `nic` and its prefix length; -1 when it
 * has none. */
int unf_net_addr6(unsigned nic, unf_addr *addr, unsigned *prefix_len);

/* --- UDP --- */
typedef struct unf_udp unf_udp;
typedef void (*unf_udp_recv_fn)(void *arg, unf_udp *sock, const void *data, size_t len,
                                unf_ip4 src, uint16_t src_port);
/* Binds to `port` (0: ephemeral) on all addresses; NULL on failure. */
unf_udp *unf_udp_open(uint16_t port, unf_udp_recv_fn recv, void *arg);
int unf_udp_sendto(unf_udp *sock, unf_ip4 dst, uint16_t dst_port, const void *data, size_t len);
void unf_udp_close(unf_udp *sock);

/* Both families: binds to `port` on every IPv4 and IPv6 address; recv gets the source as a
 * unf_addr. Send with unf_udp_send_addr (unf_udp_sendto still reaches IPv4 destinations). */
typedef void (*unf_udp_recv_addr_fn)(void *arg, unf_udp *sock, const void *data, size_t len,
                                     const unf_addr *src, uint16_t src_port);
unf_udp *unf_udp_open_dual(uint16_t port, unf_udp_recv_addr_fn recv, void *arg);
int unf_udp_send_addr(unf_udp *sock, const unf_addr *dst, uint16_t dst_port, const void *data, size_t len);

/* --- TCP --- */
typedef struct unf_tcp unf_tcp;
typedef void (*unf_tcp_accept_fn)(void *arg, unf_tcp *conn);
/* len == 0: the peer closed its side (the app should unf_tcp_close()). */
typedef void (*unf_tcp_recv_fn)(void *arg, unf_tcp *conn, const void *data, size_t len);
/* Called when previously queued data has been sent and more may be written. */
typedef void (*unf_tcp_sent_fn)(void *arg, unf_tcp *conn);
/* Called once when the connection failed or was reset; conn is gone afterwards. */
typedef void (*unf_tcp_error_fn)(void *arg, unf_tcp *conn);

unf_tcp *unf_tcp_listen(uint16_t port, unf_tcp_accept_fn accept, void *arg);
void unf_tcp_set_callbacks(unf_tcp *conn, unf_tcp_recv_fn recv, unf_tcp_sent_fn sent,
                           unf_tcp_error_fn error, void *arg);
/* Queues data; returns the bytes accepted (may be fewer than len when the send buffer is full;
 * wait for the sent callback), or -1 on error. */
long unf_tcp_write(unf_tcp *conn, const void *data, size_t len);
/* Room in the send buffer right now. */
size_t unf_tcp_sendable(unf_tcp *conn);
/* Closes (gracefully, after queued data) and frees the connection or listener. */
void unf_tcp_close(unf_tcp *conn);
/* The peer's IPv4 address (0 for an IPv6 peer) and port. */
void unf_tcp_peer(unf_tcp *conn, unf_ip4 *addr, uint16_t *port);
/* Both families: listens on `port` on every IPv4 and IPv6 address. */
unf_tcp *unf_tcp_listen_dual(uint16_t port, unf_tcp_accept_fn accept, void *arg);
/* The peer's address of either family and port. */
void unf_tcp_peer_addr(unf_tcp *conn, unf_addr *addr, uint16_t *port);

/* --- raw IPv4: whole packets, IP header included, in both directions --- */
typedef struct unf_raw unf_raw;
typedef void (*unf_raw_recv_fn)(void *arg, unf_raw *sock, const void *packet, size_t len);
/* Receives every IPv4 packet of protocol `proto` addressed to us (a copy; the stack still
 * handles it, e.g. answers pings). */
unf_raw *unf_raw_open(uint8_t proto, unf_raw_recv_fn recv, void *arg);
/* Sends a complete IPv4 packet as given (header checksum filled in when zero). */
int unf_raw_send(unf_raw *sock, const void *packet, size_t len);
void unf_raw_close(unf_raw *sock);

/* --- Ethernet frames of one NIC, bypassing the IP stack --- */
typedef struct unf_l2 unf_l2;
typedef void (*unf_l2_recv_fn)(void *arg, unf_l2 *port, const void *frame, size_t len);
/* While open, every frame received on `nic` goes to recv instead of the IP stack. */
unf_l2 *unf_l2_open(unsigned nic, unf_l2_recv_fn recv, void *arg);
int unf_l2_send(unf_l2 *port, const void *frame, size_t len);
void unf_l2_close(unf_l2 *port);

#endif
