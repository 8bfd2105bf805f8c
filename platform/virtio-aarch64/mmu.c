/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Identity-mapped MMU of the aarch64 virtio bindings, turned on first thing in virt_start().
 * Why: with the MMU off every data access is Device-nGnRnE (uncached), which is slow on real
 * hardware and, under KVM, not coherent with the host's cached view of the virtio rings. So:
 * 4 KiB granule, 39-bit addresses (TCR_EL1.T0SZ = 25, walks start at level 1). The first GiB
 * (a level-2 table of 2 MiB blocks): virt's devices (0x08000000-0x3fffffff: GIC, PL011, PL031,
 * virtio-mmio) as Device-nGnRE, never executable; its flash below 0x08000000 stays unmapped so
 * that a NULL pointer faults. RAM (Normal, write-back, inner shareable) is W^X: its first GiB in
 * 2 MiB blocks, with the block holding the kernel split into 4 KiB pages (a level-3 table) so
 * that .text is read-only and executable, .rodata read-only, and everything else - data, bss,
 * stacks, heap, the device tree - writable and never executable; RAM beyond the first GiB in
 * 1 GiB blocks, writable, never executable. Nothing is mapped above the end of RAM.
 */
#include "mmu.h"

#include <platform.h>
#include <stdint.h>

#define GIB (1ull << 30)
#define MIB2 (2ull << 20)
#define RAM_BASE GIB
#define DEVICE_START 0x08000000ull

#define MAIR_DEVICE_nGnRE 0x04ull
#define MAIR_NORMAL_WB 0xffull
#define ATTR_DEVICE 0 /* MAIR_EL1 index */
#define ATTR_NORMAL 1

#define DESC_BLOCK 1ull
#define DESC_TABLE 3ull
#define DESC_PAGE 3ull /* at level 3 */
#define DESC_AP_RO (1ull << 7) /* AP[2]: read-only at EL1 */
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54)

#define TCR_T0SZ_39 25ull
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_SH0_INNER (3ull << 12)
#define TCR_TG0_4K (0ull << 14)
#define TCR_EPD1 (1ull << 23)
#define TCR_IPS_SHIFT 32

#define SCTLR_M (1ull << 0)
#define SCTLR_A (1ull << 1)
#define SCTLR_C (1ull << 2)
#define SCTLR_I (1ull << 12)

#define PAGE 4096ull
#define NORMAL (DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF)
#define NEVER_EXEC (DESC_PXN | DESC_UXN)

static uint64_t level1[512] __attribute__((aligned(4096)));
static uint64_t level2_low[512] __attribute__((aligned(4096)));
static uint64_t level2_ram[512] __attribute__((aligned(4096)));
static uint64_t level3_kernel[512] __attribute__((aligned(4096)));

/* From kernel.ld: page-aligned bounds of .text and .rodata. */
extern char __kernel_start[], __rodata_start[], __data_start[];

/* The kernel's 2 MiB block in pages: text RX, rodata R, the rest RW and never executable. */
static void map_kernel_block(uint64_t block)
{
    uint64_t text = (uintptr_t)__kernel_start, rodata = (uintptr_t)__rodata_start, data = (uintptr_t)__data_start;
    for (unsigned i = 0; i < 512; i++) {
        uint64_t a = block + i * PAGE;
        uint64_t perms = a >= text && a < rodata ? DESC_AP_RO | DESC_UXN
                       : a >= rodata && a < data ? DESC_AP_RO | NEVER_EXEC
                       : NEVER_EXEC;
        level3_kernel[i] = a | DESC_PAGE | NORMAL | perms;
    }
}

#define SYSREG_READ(name, v) __asm__ volatile("mrs %0, " name : "=r"(v))
#define SYSREG_WRITE(name, v) __asm__ volatile("msr " name ", %0" : : "r"(v))

void mmu_enable(uint64_t ram_end)
{
    for (uint64_t a = DEVICE_START; a < GIB; a += MIB2)
        level2_low[a / MIB2] = a | DESC_BLOCK | DESC_ATTR(ATTR_DEVICE) | DESC_AF | NEVER_EXEC;
    level1[0] = (uintptr_t)level2_low | DESC_TABLE;
    /* The kernel's text and rodata must fit in its 2 MiB block (kernel.ld: a few hundred KiB). */
    uint64_t block = (uintptr_t)__kernel_start & ~(MIB2 - 1);
    if ((uintptr_t)__data_start > block + MIB2)
        plat_abort("kernel text and rodata larger than 2 MiB");
    for (uint64_t a = RAM_BASE; a < ram_end && a < 2 * GIB; a += MIB2)
        level2_ram[(a - RAM_BASE) / MIB2] = a | DESC_BLOCK | NORMAL | NEVER_EXEC;
    map_kernel_block(block);
    level2_ram[(block - RAM_BASE) / MIB2] = (uintptr_t)level3_kernel | DESC_TABLE;
    level1[1] = (uintptr_t)level2_ram | DESC_TABLE;
    for (uint64_t a = 2 * GIB; a < ram_end && a / GIB < 512; a += GIB)
        level1[a / GIB] = a | DESC_BLOCK | NORMAL | NEVER_EXEC;

    uint64_t mmfr0, sctlr;
    SYSREG_READ("id_aa64mmfr0_el1", mmfr0);
    uint64_t tcr = TCR_T0SZ_39 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | TCR_EPD1 |
                   ((mmfr0 & 7) << TCR_IPS_SHIFT); /* PARange: the physical address size */
    SYSREG_WRITE("mair_el1", MAIR_DEVICE_nGnRE << (8 * ATTR_DEVICE) | MAIR_NORMAL_WB << (8 * ATTR_NORMAL));
    SYSREG_WRITE("tcr_el1", tcr);
    SYSREG_WRITE("ttbr0_el1", (uint64_t)(uintptr_t)level1);
    __asm__ volatile("dsb ish; tlbi vmalle1; dsb ish; isb" : : : "memory");
    SYSREG_READ("sctlr_el1", sctlr);
    sctlr = (sctlr | SCTLR_M | SCTLR_C | SCTLR_I) & ~SCTLR_A;
    SYSREG_WRITE("sctlr_el1", sctlr);
    __asm__ volatile("isb" : : : "memory");
}
