/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fast ARP retries. lwIP re-sends a pending ARP request only from its 1 s ARP timer, so one
 * lost request or reply costs a whole second; that happens right after boot, when the host has
 * only just seen the guest's tap come up (the kernel may drop the first exchange). This module
 * watches the frames going out and coming in, and re-sends an unanswered request after 20 ms,
 * then 40, 80, ... ms, for its first 1.5 s; after that lwIP's own timer carries on.
 */
#ifndef GUEST_ARP_RETRY_H
#define GUEST_ARP_RETRY_H

#include <stddef.h>
#include <stdint.h>

typedef int (*arp_retry_send_fn)(unsigned nic, const uint8_t *frame, size_t len);

/* Every frame sent on NIC nic: ARP requests are remembered. */
void arp_retry_note_output(unsigned nic, const uint8_t *frame, size_t len);
/* Every frame received: an ARP packet from a remembered target answers it. */
void arp_retry_note_input(unsigned nic, const uint8_t *frame, size_t len);
/* When arp_retry_poll next has work (ns), or UINT64_MAX. */
uint64_t arp_retry_deadline(void);
/* Re-sends what is due at `now` (ns) through send. */
void arp_retry_poll(uint64_t now, arp_retry_send_fn send);

#endif
