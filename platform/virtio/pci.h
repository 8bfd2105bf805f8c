/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PCI configuration space through the legacy 0xcf8/0xcfc mechanism (q35 has it; on microvm it
 * reads all ones), and a scan of the buses behind bus 0 for a vendor/device pair.
 */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include <stdint.h>

struct pci_fn {
    uint8_t bus, slot, func;
};

uint32_t pci_read32(struct pci_fn f, unsigned off);
uint16_t pci_read16(struct pci_fn f, unsigned off);
uint8_t pci_read8(struct pci_fn f, unsigned off);
void pci_write32(struct pci_fn f, unsigned off, uint32_t v);
void pci_write16(struct pci_fn f, unsigned off, uint16_t v);

/* Whether there is a PCI host bridge at all. */
int pci_present(void);
/* Fills `out` with up to `max` functions matching vendor:device in bus order; returns how many. */
unsigned pci_find(uint16_t vendor, uint16_t device, struct pci_fn *out, unsigned max);
/* The memory address BAR `bar` decodes (64-bit BARs combined); 0 for I/O or unassigned BARs. */
uint64_t pci_bar_address(struct pci_fn f, unsigned bar);

#endif
