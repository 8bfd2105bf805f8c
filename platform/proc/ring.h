/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The proc bindings' packet-socket NICs (proc_abi.h, struct proc_boot_ring): frames are taken
 * from the receive ring the tender mapped, with no system call while frames wait, and sent in
 * batches, one sendmmsg() per batch. The batch goes out when it is full, before the guest sleeps
 * (plat_yield) and when it exits, so a frame never waits longer than one turn of the guest's loop.
 * Internal to platform/proc: guest/ only sees platform.h.
 */
#ifndef UNF_PROC_RING_H
#define UNF_PROC_RING_H

#include <platform.h>

#include "proc_abi.h"

/* Takes over NIC nic (socket fd) when r describes a ring; false when it does not (a tap). */
bool ring_attach(unsigned nic, int fd, const struct proc_boot_ring *r);
bool ring_attached(unsigned nic);

enum plat_result ring_read(unsigned nic, uint8_t *buf, size_t size, size_t *len);
enum plat_result ring_write(unsigned nic, const uint8_t *frame, size_t len);

/* Sends every NIC's pending batch. */
void ring_flush_all(void);
/* Bit i set for each ring NIC i with a received frame waiting. */
uint64_t ring_ready_set(void);

/* The system calls ring.c needs, provided by proc.c (which owns the raw syscall helpers). */
long proc_syscall4(long nr, long a1, long a2, long a3, long a4);

#endif
