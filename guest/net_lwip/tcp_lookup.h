/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hashed demultiplexing of TCP segments to lwIP's active connections. lwIP 2.1 finds the PCB of
 * every segment by walking all active connections, which at a thousand connections costs more
 * than the rest of the stack; lwip-tcp_in.patch adds two hook points to tcp_input() and this
 * header (lwIP's LWIP_HOOK_FILENAME) binds them. The table is a cache: an entry is added when
 * lwIP's own scan finds a PCB, removed when lwIP frees the PCB (ext-arg destroy callback), and a
 * PCB that has left the active list (closed, TIME-WAIT) is never returned, so a miss only costs
 * the scan lwIP would have done anyway.
 */
#ifndef UNF_GUEST_LWIP_TCP_LOOKUP_H
#define UNF_GUEST_LWIP_TCP_LOOKUP_H

#include "lwip/ip_addr.h"

struct tcp_pcb;
struct netif;

/* Reserves the ext-arg slot; called once after lwip_init(), before any connection exists. */
void tcp_lookup_init(void);

/* The active PCB for a segment (ports in host order), or NULL: lwIP then scans its list. */
struct tcp_pcb *tcp_lookup_find(u16_t remote_port, u16_t local_port, const ip_addr_t *remote,
                                const ip_addr_t *local, const struct netif *inp);

/* lwIP's scan found pcb on the active list: remember it. */
void tcp_lookup_note(struct tcp_pcb *pcb);

/* Counters since start: segments answered from the table, segments lwIP had to scan for. */
void tcp_lookup_counts(unsigned long *hits, unsigned long *scans);

#define UNF_HOOK_TCP_ACTIVE_LOOKUP(rport, lport, remote, local, inp) \
    tcp_lookup_find((rport), (lport), (remote), (local), (inp))
#define UNF_HOOK_TCP_ACTIVE_FOUND(pcb) tcp_lookup_note(pcb)

#endif
