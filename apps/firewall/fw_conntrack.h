/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Connection tracking for the firewall: flows the rules allowed (TCP, UDP, ICMP echo) are
 * remembered under a direction-free key, so later packets of the flow in either direction pass
 * without the rules (like nftables' "ct state established accept"). A fixed pool of entries;
 * when it is full, new flows are simply not tracked (their replies then meet the rules).
 * Timeouts: TCP 300 s (10 s once a FIN or RST was seen), UDP 60 s, ICMP echo 30 s.
 */
#ifndef FW_CONNTRACK_H
#define FW_CONNTRACK_H

#include <stddef.h>
#include <stdint.h>

#include "fw_packet.h"

struct fw_conntrack;

struct fw_conntrack *fw_ct_create(uint32_t capacity);
void fw_ct_free(struct fw_conntrack *ct);

/* 1 when the packet belongs to a tracked flow (its timeout is refreshed), else 0. */
int fw_ct_lookup(struct fw_conntrack *ct, const struct fw_packet *pkt, uint64_t now_ns);
/* Starts tracking the packet's flow (no-op for untrackable packets); -1 when the pool is full. */
int fw_ct_insert(struct fw_conntrack *ct, const struct fw_packet *pkt, uint64_t now_ns);
/* Drops expired flows; returns how many are tracked. */
uint32_t fw_ct_expire(struct fw_conntrack *ct, uint64_t now_ns);

#endif
