/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C entry of an aarch64 virtio kernel (boot.S calls virt_start). Finds the device tree QEMU
 * wrote (x0 for a Linux-style boot, else the base of RAM, where QEMU 7.2's hw/arm/boot.c puts
 * it for an ELF kernel loaded above it), reads from it the RAM, the command line
 * (/chosen bootargs), the file archive (/chosen linux,initrd-start/end, or the first
 * /chosen/module@* reg that QEMU's guest-loader device adds), the PSCI conduit and the GIC that
 * lets the guest sleep (gic.c). NICs are not
 * taken from the tree: the shared net.c probes virt's 32 virtio-mmio slots at 0x0a000000
 * directly. The MMU goes on as soon as the RAM is known (mmu.c). Then it runs the guest:
 * plat_app_main() once, plat_exit() with its status.
 */
#include <platform.h>
#include <stdint.h>
#include <string.h>

#include "fdt.h"
#include "mmu.h"
#include "virt.h"
#include "virtio/clock.h"
#include "virtio/console.h"
#include "virtio/net.h"
#include "virtio/physmem.h"

#define RAM_BASE 0x40000000ull
#define CMDLINE_MAX 4096
#define MAX_RANGES 8

extern char __kernel_start[], _end[];

struct boot_facts {
    int address_cells, size_cells;
    struct physmem_range ram[MAX_RANGES];
    unsigned ram_count;
    const char *bootargs;
    uint32_t bootargs_len;
    uint64_t initrd_start, initrd_end;
    uint64_t module_start, module_size;
    int gic_version; /* 2, 3, or 0: unknown */
    uint64_t gicd, gicc; /* gicc: the v2 CPU interface or the v3 redistributors */
};

static char cmdline[CMDLINE_MAX];

static uint64_t cells(const uint8_t *p, int n) { return n == 2 ? fdt_u64(p) : fdt_u32(p); }

static int starts_with(const char *s, const char *prefix) { return strncmp(s, prefix, strlen(prefix)) == 0; }

static void on_prop(void *ctx, int depth, const char *node, const char *prop, const uint8_t *v, uint32_t len)
{
    struct boot_facts *f = ctx;
    if (depth == 0 && strcmp(prop, "#address-cells") == 0 && len == 4)
        f->address_cells = (int)fdt_u32(v);
    else if (depth == 0 && strcmp(prop, "#size-cells") == 0 && len == 4)
        f->size_cells = (int)fdt_u32(v);
    else if (depth == 1 && starts_with(node, "memory") && strcmp(prop, "reg") == 0) {
        uint32_t entry = 4u * (uint32_t)(f->address_cells + f->size_cells);
        for (uint32_t at = 0; entry && at + entry <= len && f->ram_count < MAX_RANGES; at += entry) {
            uint64_t base = cells(v + at, f->address_cells);
            uint64_t size = cells(v + at + 4 * f->address_cells, f->size_cells);
            f->ram[f->ram_count++] = (struct physmem_range){base, base + size};
        }
    } else if (depth == 1 && strcmp(node, "chosen") == 0) {
        if (strcmp(prop, "bootargs") == 0) {
            f->bootargs = (const char *)v;
            f->bootargs_len = (uint32_t)strnlen((const char *)v, len);
        } else if (strcmp(prop, "linux,initrd-start") == 0 && (len == 4 || len == 8)) {
            f->initrd_start = len == 8 ? fdt_u64(v) : fdt_u32(v);
        } else if (strcmp(prop, "linux,initrd-end") == 0 && (len == 4 || len == 8)) {
            f->initrd_end = len == 8 ? fdt_u64(v) : fdt_u32(v);
        }
    } else if (depth == 2 && starts_with(node, "module@") && strcmp(prop, "reg") == 0 && !f->module_size &&
               len == 4u * (uint32_t)(f->address_cells + f->size_cells)) {
        f->module_start = cells(v, f->address_cells);
        f->module_size = cells(v + 4 * f->address_cells, f->size_cells);
    } else if (depth == 1 && starts_with(node, "intc@") && strcmp(prop, "compatible") == 0) {
        f->gic_version = strncmp((const char *)v, "arm,cortex-a15-gic", len) == 0 ? 2
                       : strncmp((const char *)v, "arm,gic-v3", len) == 0 ? 3 : 0;
    } else if (depth == 1 && starts_with(node, "intc@") && strcmp(prop, "reg") == 0 &&
               len >= 8u * (uint32_t)(f->address_cells + f->size_cells)) {
        uint32_t entry = 4u * (uint32_t)(f->address_cells + f->size_cells);
        f->gicd = cells(v, f->address_cells);
        f->gicc = cells(v + entry, f->address_cells);
    } else if (depth == 1 && strcmp(node, "psci") == 0 && strcmp(prop, "method") == 0) {
        virt_psci_smc = strncmp((const char *)v, "smc", len) == 0;
    }
}

void virt_start(uint64_t x0)
{
    console_init();
    clock_init();

    const void *dtb = fdt_size((const void *)(uintptr_t)x0) ? (const void *)(uintptr_t)x0
                    : fdt_size((const void *)(uintptr_t)RAM_BASE) ? (const void *)(uintptr_t)RAM_BASE : NULL;
    if (!dtb)
        plat_abort("no device tree (boot this kernel with qemu-system-aarch64 -M virt -kernel)");
    struct boot_facts f = {.address_cells = 2, .size_cells = 1};
    if (fdt_walk(dtb, on_prop, &f) < 0)
        plat_abort("malformed device tree");
    if (f.address_cells < 1 || f.address_cells > 2 || f.size_cells < 1 || f.size_cells > 2 || !f.ram_count)
        plat_abort("no RAM in the device tree");
    uint64_t ram_end = 0;
    for (unsigned i = 0; i < f.ram_count; i++)
        ram_end = f.ram[i].end > ram_end ? f.ram[i].end : ram_end;
    mmu_enable(ram_end);
    if (f.gic_version && f.gicd && f.gicc)
        virt_idle_init(f.gic_version, f.gicd, f.gicc);

    if (f.bootargs_len >= sizeof(cmdline))
        plat_abort("command line too long");
    memcpy(cmdline, f.bootargs ? f.bootargs : "", f.bootargs_len);
    cmdline[f.bootargs_len] = '\0';

    /* Used: everything from the base of RAM to the kernel's end (QEMU's boot stub and the
     * device tree live below the kernel), the tree wherever it is, and the archive. */
    struct physmem_range used[4];
    unsigned used_count = 0;
    used[used_count++] = (struct physmem_range){RAM_BASE, (uintptr_t)_end};
    used[used_count++] = (struct physmem_range){(uintptr_t)dtb, (uintptr_t)dtb + fdt_size(dtb)};
    struct plat_start_info psi = {.cmdline = cmdline};
    uint64_t archive = f.module_size ? f.module_start : f.initrd_start;
    uint64_t archive_end = f.module_size ? f.module_start + f.module_size : f.initrd_end;
    if (archive && archive_end > archive) {
        used[used_count++] = (struct physmem_range){archive, archive_end};
        psi.archive = (const void *)(uintptr_t)archive;
        psi.archive_size = (size_t)(archive_end - archive);
    }
    if (physmem_init(f.ram, f.ram_count, used, used_count) < 0)
        plat_abort("no free RAM above the kernel");

    vnet_probe();
    physmem_remaining(&psi.heap_start, &psi.heap_size);
#ifdef VIRTIO_DEBUG
    console_printf("unf: dtb %p cmdline '%s' archive %llx+%llx heap %lx+%lx\n", dtb, cmdline,
                   (unsigned long long)archive, (unsigned long long)psi.archive_size,
                   (unsigned long)psi.heap_start, (unsigned long)psi.heap_size);
#endif
    plat_exit(plat_app_main(&psi));
}
