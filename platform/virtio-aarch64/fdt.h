/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A minimal reader of flattened device trees (the devicetree specification, chapter 5: a
 * big-endian header, a structure block of BEGIN_NODE/PROP/END_NODE tokens and a strings
 * block). Enough to learn what QEMU's virt machine tells a kernel: RAM, /chosen (command line,
 * initrd), the PSCI conduit. No allocation, no writes; every offset is checked against the
 * blob's size.
 */
#ifndef VIRT_FDT_H
#define VIRT_FDT_H

#include <stddef.h>
#include <stdint.h>

/* The blob's total size when `blob` starts with a valid header (version 16 or later), else 0. */
uint32_t fdt_size(const void *blob);

/* Called for each property, in blob order (a node's properties come before its children).
 * depth is 0 for the root's properties, 1 for /node's, ...; node is the name of the property's
 * node ("" for the root, "memory@40000000", "chosen", ...). */
typedef void (*fdt_prop_fn)(void *ctx, int depth, const char *node, const char *prop,
                            const uint8_t *value, uint32_t len);

/* Walks the structure block; -1 when it is malformed (the walk stops there). */
int fdt_walk(const void *blob, fdt_prop_fn fn, void *ctx);

/* Big-endian cells of a property value. */
uint32_t fdt_u32(const uint8_t *p);
uint64_t fdt_u64(const uint8_t *p);

#endif
