/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Flattened device tree walk (see fdt.h). The structure block is a sequence of 32-bit
 * big-endian tokens: BEGIN_NODE then the NUL-terminated name padded to 4 bytes, PROP then
 * {len, nameoff} and len bytes of value padded to 4, END_NODE, NOP, and END. Names of
 * properties live in the strings block at nameoff.
 */
#include "fdt.h"

#include <string.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define MAX_DEPTH 16

struct header {
    uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
        last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

uint32_t fdt_u32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

uint64_t fdt_u64(const uint8_t *p) { return (uint64_t)fdt_u32(p) << 32 | fdt_u32(p + 4); }

static uint32_t field(const void *blob, size_t index) { return fdt_u32((const uint8_t *)blob + 4 * index); }

uint32_t fdt_size(const void *blob)
{
    if (!blob || field(blob, 0) != FDT_MAGIC || field(blob, 5) < 16)
        return 0;
    uint32_t total = field(blob, 1);
    uint32_t off_struct = field(blob, 2), off_strings = field(blob, 3);
    uint32_t size_strings = field(blob, 8), size_struct = field(blob, 9);
    if (total < sizeof(struct header) || off_struct > total || size_struct > total - off_struct ||
        off_strings > total || size_strings > total - off_strings)
        return 0;
    return total;
}

static uint32_t pad4(uint32_t v) { return (v + 3) & ~3u; }

int fdt_walk(const void *blob, fdt_prop_fn fn, void *ctx)
{
    if (!fdt_size(blob))
        return -1;
    const uint8_t *base = blob;
    const uint8_t *s = base + field(blob, 2);
    uint32_t size = field(blob, 9);
    const char *strings = (const char *)base + field(blob, 3);
    uint32_t strings_size = field(blob, 8);
    const char *names[MAX_DEPTH];
    int depth = -1; /* the root's BEGIN_NODE makes it 0 */
    uint32_t at = 0;
    while (at + 4 <= size) {
        uint32_t token = fdt_u32(s + at);
        at += 4;
        switch (token) {
        case FDT_BEGIN_NODE: {
            const char *name = (const char *)s + at;
            size_t len = strnlen(name, size - at);
            if (len == size - at || depth + 1 >= MAX_DEPTH)
                return -1;
            names[++depth] = name;
            at += pad4((uint32_t)len + 1);
            break;
        }
        case FDT_END_NODE:
            if (depth < 0)
                return -1;
            depth--;
            break;
        case FDT_PROP: {
            if (at + 8 > size || depth < 0)
                return -1;
            uint32_t len = fdt_u32(s + at), nameoff = fdt_u32(s + at + 4);
            at += 8;
            if (len > size - at || nameoff >= strings_size)
                return -1;
            const char *prop = strings + nameoff;
            if (strnlen(prop, strings_size - nameoff) == strings_size - nameoff)
                return -1;
            fn(ctx, depth, names[depth], prop, s + at, len);
            at += pad4(len);
            break;
        }
        case FDT_NOP:
            break;
        case FDT_END:
            return depth == -1 ? 0 : -1;
        default:
            return -1;
        }
    }
    return -1;
}
