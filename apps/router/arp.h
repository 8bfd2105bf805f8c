/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ARP for the router's NICs: answers requests for the router's own address on each NIC, keeps
 * a small cache of neighbours, and holds frames waiting for a next hop's MAC (re-asking every
 * second, dropping them after three unanswered requests). Frames leave through a callback so
 * unit tests can watch them.
 */
#ifndef ROUTER_ARP_H
#define ROUTER_ARP_H

#include <stddef.h>
#include <stdint.h>
#include <unf/net.h>

#define ARP_CACHE_SIZE 64
#define ARP_PENDING 32
#define ARP_FRAME_MAX 1600

typedef int (*arp_tx_fn)(void *arg, unsigned nic, const uint8_t *frame, size_t len);

/* Forgets everything; frames leave through tx. */
void arp_init(arp_tx_fn tx, void *arg);
/* The MAC and address the router has on nic. */
void arp_set_nic(unsigned nic, const uint8_t mac[6], unf_ip4 addr);
/* Handles the payload of an ARP frame (after the Ethernet header) received on nic. */
void arp_input(unsigned nic, const uint8_t *arp, size_t len, uint64_t now_ns);
/* Sends an Ethernet frame (its source MAC and type already set) to next hop nh on nic,
 * filling in the destination MAC; queues it and asks when the MAC is unknown. 0 when sent or
 * queued, -1 when dropped. */
int arp_output(unsigned nic, unf_ip4 nh, uint8_t *frame, size_t len, uint64_t now_ns);
/* Re-asks for pending next hops and drops what waited too long; call a few times a second. */
void arp_tick(uint64_t now_ns);
/* The cached MAC of ip on nic: 0 when known. */
int arp_lookup(unsigned nic, unf_ip4 ip, uint8_t mac[6]);

#endif
