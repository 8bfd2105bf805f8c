/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PCI configuration access and device discovery. Buses are walked depth-first from bus 0
 * through the PCI-PCI bridges (header type 1) the firmware numbered, so devices on root ports
 * are found as well as those on the root complex.
 */
#include "pci.h"

#include "cpu.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define MAX_DEPTH 8

static void cfg_select(struct pci_fn f, unsigned off)
{
    outl(CONFIG_ADDRESS, 0x80000000u | ((uint32_t)f.bus << 16) | ((uint32_t)f.slot << 11) |
                             ((uint32_t)f.func << 8) | (off & 0xfc));
}

uint32_t pci_read32(struct pci_fn f, unsigned off)
{
    cfg_select(f, off);
    return inl(CONFIG_DATA);
}

uint16_t pci_read16(struct pci_fn f, unsigned off)
{
    cfg_select(f, off);
    return inw((uint16_t)(CONFIG_DATA + (off & 2)));
}

uint8_t pci_read8(struct pci_fn f, unsigned off)
{
    cfg_select(f, off);
    return inb((uint16_t)(CONFIG_DATA + (off & 3)));
}

void pci_write32(struct pci_fn f, unsigned off, uint32_t v)
{
    cfg_select(f, off);
    outl(CONFIG_DATA, v);
}

void pci_write16(struct pci_fn f, unsigned off, uint16_t v)
{
    cfg_select(f, off);
    outw((uint16_t)(CONFIG_DATA + (off & 2)), v);
}

int pci_present(void)
{
    struct pci_fn host = {0, 0, 0};
    return pci_read16(host, 0) != 0xffff;
}

struct search {
    uint16_t vendor, device;
    struct pci_fn *out;
    unsigned max, count;
};

static void scan_bus(struct search *s, uint8_t bus, int depth)
{
    for (uint8_t slot = 0; slot < 32; slot++) {
        for (uint8_t func = 0; func < 8; func++) {
            struct pci_fn f = {bus, slot, func};
            uint32_t id = pci_read32(f, 0x00);
            if ((id & 0xffff) == 0xffff) {
                if (func == 0)
                    break;
                continue;
            }
            if ((id & 0xffff) == s->vendor && (id >> 16) == s->device && s->count < s->max)
                s->out[s->count++] = f;
            uint8_t header = pci_read8(f, 0x0e);
            if ((header & 0x7f) == 1 && depth < MAX_DEPTH) {
                uint8_t secondary = pci_read8(f, 0x19);
                if (secondary > bus)
                    scan_bus(s, secondary, depth + 1);
            }
            if (func == 0 && !(header & 0x80))
                break; /* single-function device */
        }
    }
}

unsigned pci_find(uint16_t vendor, uint16_t device, struct pci_fn *out, unsigned max)
{
    struct search s = {vendor, device, out, max, 0};
    if (pci_present())
        scan_bus(&s, 0, 0);
    return s.count;
}

uint64_t pci_bar_address(struct pci_fn f, unsigned bar)
{
    if (bar > 5)
        return 0;
    uint32_t lo = pci_read32(f, 0x10 + 4 * bar);
    if (lo & 1)
        return 0; /* I/O space */
    uint64_t addr = lo & ~0xfull;
    if (((lo >> 1) & 3) == 2 && bar < 5)
        addr |= (uint64_t)pci_read32(f, 0x10 + 4 * (bar + 1)) << 32;
    return addr;
}
