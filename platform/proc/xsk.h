/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The proc bindings' AF_XDP NICs (proc_abi.h, struct proc_boot_xsk): frames are taken from the
 * socket's rx ring and their frames handed back on the fill ring, sends are written into free
 * frames of the area and put on the tx ring, with no system call per frame. One sendto() kicks
 * the kernel when a batch is full, before the guest sleeps (plat_yield) and when it exits.
 * Internal to platform/proc: guest/ only sees platform.h.
 */
#ifndef UNF_PROC_XSK_H
#define UNF_PROC_XSK_H

#include <platform.h>

#include "proc_abi.h"

/* Takes over NIC nic (socket fd) when x describes an AF_XDP socket; false when it does not. */
bool xsk_attach(unsigned nic, int fd, const struct proc_boot_xsk *x);
bool xsk_attached(unsigned nic);

enum plat_result xsk_read(unsigned nic, uint8_t *buf, size_t size, size_t *len);
enum plat_result xsk_write(unsigned nic, const uint8_t *frame, size_t len);

/* Kicks every NIC's pending sends. */
void xsk_flush_all(void);
/* Bit i set for each AF_XDP NIC i with a received frame waiting. */
uint64_t xsk_ready_set(void);

#endif
