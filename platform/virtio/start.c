/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C entry of a virtio kernel (boot.S calls virtio_start). Brings up the console, interrupts and
 * clocks, reads the PVH start info (command line, the first module as the file archive, the
 * memory map), finds the NICs, and runs the guest: plat_app_main() once, then plat_exit() with
 * its status. QEMU microvm appends "virtio_mmio.device=..." words to the command line; they
 * describe devices to us and are not passed on to the guest.
 */
#include <platform.h>
#include <stdint.h>
#include <string.h>

#include "clock.h"
#include "console.h"
#include "cpu.h"
#include "intr.h"
#include "physmem.h"
#include "net.h"
#include "virtio_mmio.h"

#define HVM_START_MAGIC 0x336ec578u
#define E820_RAM 1
#define MAX_RANGES 32
#define CMDLINE_MAX 4096

struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; /* version >= 1 */
    uint32_t memmap_entries;
    uint32_t reserved;
};

struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};

struct hvm_memmap_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};

void virtio_start(uint32_t start_info_paddr);

extern char _end[];
static char cmdline[CMDLINE_MAX];

/* Copies `in` to cmdline without its virtio_mmio.* words (quotes kept as they are). */
static void take_cmdline(const char *in)
{
    size_t out = 0;
    while (in && *in) {
        while (*in == ' ')
            in++;
        const char *word = in;
        int quoted = 0;
        while (*in && (quoted || *in != ' ')) {
            if (*in == '"')
                quoted = !quoted;
            in++;
        }
        size_t len = (size_t)(in - word);
        if (len == 0)
            break;
        if (strncmp(word, "virtio_mmio.", 12) == 0) {
            if (strncmp(word, "virtio_mmio.device=", 19) == 0)
                vtmmio_note_cmdline(word + 19, len - 19);
            continue;
        }
        if (out + len + 2 > sizeof(cmdline))
            plat_abort("command line too long");
        if (out)
            cmdline[out++] = ' ';
        memcpy(cmdline + out, word, len);
        out += len;
    }
    cmdline[out] = '\0';
}

/* RAM below 4 GiB when there is no PVH memory map: the CMOS sizes QEMU fills in. */
static unsigned cmos_ram(struct physmem_range *ram)
{
    outb(0x70, 0x80 | 0x34);
    uint64_t above16m = inb(0x71);
    outb(0x70, 0x80 | 0x35);
    above16m |= (uint64_t)inb(0x71) << 8;
    ram[0] = (struct physmem_range){1ull << 20, (16ull << 20) + (above16m << 16)};
    return 1;
}

void virtio_start(uint32_t start_info_paddr)
{
    console_init();
    intr_init();
    clock_init();
    intr_calibrate();

    const struct hvm_start_info *si = (const void *)(uintptr_t)start_info_paddr;
    if (!si || si->magic != HVM_START_MAGIC)
        plat_abort("no PVH start info (boot this kernel with QEMU -kernel)");

    struct physmem_range ram[MAX_RANGES], used[MAX_RANGES + 8];
    unsigned ram_count = 0, used_count = 0;
    used[used_count++] = (struct physmem_range){0, (uintptr_t)_end};
    used[used_count++] = (struct physmem_range){start_info_paddr, start_info_paddr + sizeof(*si)};

    take_cmdline(si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "");

    struct plat_start_info psi = {.cmdline = cmdline};
    if (si->nr_modules && si->modlist_paddr) {
        const struct hvm_modlist_entry *mods = (const void *)(uintptr_t)si->modlist_paddr;
        used[used_count++] = (struct physmem_range){si->modlist_paddr,
                                                si->modlist_paddr + si->nr_modules * sizeof(*mods)};
        for (uint32_t i = 0; i < si->nr_modules && used_count < MAX_RANGES + 6; i++)
            used[used_count++] = (struct physmem_range){mods[i].paddr, mods[i].paddr + mods[i].size};
        if (mods[0].size) {
            psi.archive = (const void *)(uintptr_t)mods[0].paddr;
            psi.archive_size = (size_t)mods[0].size;
        }
    }

    if (si->version >= 1 && si->memmap_paddr && si->memmap_entries) {
        const struct hvm_memmap_entry *map = (const void *)(uintptr_t)si->memmap_paddr;
        used[used_count++] = (struct physmem_range){si->memmap_paddr,
                                                si->memmap_paddr + si->memmap_entries * sizeof(*map)};
        for (uint32_t i = 0; i < si->memmap_entries && ram_count < MAX_RANGES; i++)
            if (map[i].type == E820_RAM)
                ram[ram_count++] = (struct physmem_range){map[i].addr, map[i].addr + map[i].size};
    } else {
        ram_count = cmos_ram(ram);
    }
    if (physmem_init(ram, ram_count, used, used_count) < 0)
        plat_abort("no free RAM above the kernel");

    vnet_probe();
#ifdef VIRTIO_DEBUG
    console_printf("unf: start info v%u cmdline '%s' modules %u memmap %u\n", si->version,
                   si->cmdline_paddr ? (const char *)(uintptr_t)si->cmdline_paddr : "",
                   si->nr_modules, si->memmap_entries);
    for (unsigned i = 0; i < ram_count; i++)
        console_printf("unf: ram %llx-%llx\n", (unsigned long long)ram[i].start, (unsigned long long)ram[i].end);
    for (unsigned i = 0; i < used_count; i++)
        console_printf("unf: used %llx-%llx\n", (unsigned long long)used[i].start, (unsigned long long)used[i].end);
    console_printf("unf: tsc %llu Hz\n", (unsigned long long)clock_tsc_hz());
#endif

    physmem_remaining(&psi.heap_start, &psi.heap_size);
#ifdef VIRTIO_DEBUG
    console_printf("unf: heap %lx +%lx\n", (unsigned long)psi.heap_start, (unsigned long)psi.heap_size);
#endif
    plat_exit(plat_app_main(&psi));
}
