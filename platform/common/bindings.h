/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the proc and hvt bindings share: both get their start information from a tender's boot
 * info struct of the same shape and end the same way, so the glue from there to the guest
 * library lives here once. Not part of platform.h: guest/ never sees it.
 */
#ifndef UNF_PLATFORM_BINDINGS_H
#define UNF_PLATFORM_BINDINGS_H

#include <platform.h>

/* The platform's C entry, called by _start (start.S) with the boot info's address. */
_Noreturn void bindings_entry(const void *boot_info);

/* Runs the guest library on what the tender handed over (addresses as the guest sees them;
 * archive 0 means none) and exits with its status. */
_Noreturn void bindings_run(uint64_t cmdline, uint64_t heap_start, uint64_t heap_size,
                            uint64_t archive, uint64_t archive_size);

/* Fills *info for a NIC the boot info describes. */
void bindings_net_info(const uint8_t mac[6], uint32_t mtu, struct plat_net_info *info);

#endif
