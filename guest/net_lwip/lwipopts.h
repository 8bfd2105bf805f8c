/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * lwIP configuration for unf unikernels: raw API only, NO_SYS=1 (one event loop, no threads),
 * IPv4 with ARP, ICMP, UDP, TCP and raw sockets, and IPv6 (static addresses, neighbour discovery,
 * ICMPv6 echo) for the apps' dual-stack sockets. Memory comes from the guest allocator
 * (MEM_LIBC_MALLOC, MEMP_MEM_MALLOC), so an idle guest holds only what it uses and the pool
 * counts below are limits, not reservations.
 */
#ifndef UNF_LWIPOPTS_H
#define UNF_LWIPOPTS_H

#define NO_SYS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_TIMERS 1

#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT 8

#define LWIP_IPV4 1
#define LWIP_IPV6 1
/* Addresses are configured (unf.ip6_N=), never autoconfigured: no SLAAC, no DHCPv6, and no
 * duplicate address detection, so the address answers from the first packet. Router
 * solicitations stay on (only from a NIC given an IPv6 address): a router's advertisement is
 * how such a guest learns its default route off the link. */
#define LWIP_IPV6_NUM_ADDRESSES 3
#define LWIP_IPV6_AUTOCONFIG 0
#define LWIP_IPV6_SEND_ROUTER_SOLICIT 1
#define LWIP_IPV6_DHCP6 0
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS 0
/* Without MLD lwIP still accepts the solicited-node multicast of its addresses, which is all a
 * neighbour needs to resolve us (the NICs deliver every frame, no multicast filter). */
#define LWIP_IPV6_MLD 0
#define LWIP_IPV6_FRAG 1
#define LWIP_IPV6_REASS 1
/* 64-bit pointers do not fit in the fragment header lwIP would reuse: copy it aside instead. */
#define IPV6_FRAG_COPYHEADER 1
#define LWIP_ND6_QUEUEING 1
/* Like ARP_QUEUE_LEN: a burst to a neighbour not yet resolved is held, not dropped. */
#define MEMP_NUM_ND6_QUEUE 64
#define LWIP_ND6_NUM_NEIGHBORS 32
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_ACD 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define IP_FORWARD 0
#define LWIP_BROADCAST_PING 0
#define ARP_QUEUEING 1
/* Packets held per address while its ARP answer is pending (lwIP default 3): a prober or a
 * server answering a burst must not lose all but the first three to a cold ARP cache. */
#define ARP_QUEUE_LEN 64
#define ARP_TABLE_SIZE 32
#define ETHARP_SUPPORT_STATIC_ENTRIES 1

#define TCP_MSS 1460
#define TCP_WND (32 * TCP_MSS)
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 2
#define TCP_SND_BUF (32 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 255
#define LWIP_TCP_KEEPALIVE 1
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_SACK_OUT 0
/* One ext-arg slot and the hook header: tcp_lookup.c hashes the active-PCB lookup of
 * tcp_input() (hook points added by lwip-tcp_in.patch) instead of lwIP's linear scan. */
#define LWIP_TCP_PCB_NUM_EXT_ARGS 1
#define LWIP_HOOK_FILENAME "tcp_lookup.h"

#define MEMP_NUM_TCP_PCB 1024
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_TCP_SEG 4096
#define MEMP_NUM_UDP_PCB 64
#define MEMP_NUM_RAW_PCB 16
#define MEMP_NUM_PBUF 4096
#define MEMP_NUM_REASSDATA 16
#define MEMP_NUM_FRAG_PBUF 64
#define MEMP_NUM_ARP_QUEUE 64
#define PBUF_POOL_SIZE 1024
#define LWIP_NETIF_TX_SINGLE_PBUF 1

#define LWIP_STATS 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_NUM_NETIF_CLIENT_DATA 0
#define LWIP_SINGLE_NETIF 0

#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_UDP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_UDP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1
#if defined(__x86_64__) /* little-endian, unaligned loads: chksum.c's word-wise sum */
unsigned short unf_lwip_chksum(const void *data, int len);
#define LWIP_CHKSUM unf_lwip_chksum
#endif

#endif
