/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router's forwarding engine: takes Ethernet frames from its NICs and decides. IPv4:
 * local delivery (echo replies, port/protocol unreachable), TTL expiry (time-exceeded from the
 * incoming interface's address), longest-prefix forwarding, optional label push at an ingress
 * LER. MPLS: swap, penultimate-hop pop, egress pop, and LSE TTL expiry with an RFC 4950 label
 * stack quoted in an RFC 4884 extension, the error sent on along the LSP. Frames leave through
 * a callback, so unit tests drive the whole engine without a network.
 */
#ifndef ROUTER_ROUTER_H
#define ROUTER_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

typedef int (*router_tx_fn)(void *arg, unsigned nic, const uint8_t *frame, size_t len);

/* Takes the configuration (kept by pointer, must outlive the router) and the way out. */
void router_init(const struct config *cfg, router_tx_fn tx, void *arg);
/* Handles one frame received on nic at time now_ns (monotonic). */
void router_input(unsigned nic, const uint8_t *frame, size_t len, uint64_t now_ns);
/* Housekeeping (ARP retries and expiry); call a few times a second. */
void router_tick(uint64_t now_ns);

#endif
