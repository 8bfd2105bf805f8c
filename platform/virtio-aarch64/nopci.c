/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * No PCI in the aarch64 virtio bindings: virt's NICs are taken from its virtio-mmio row
 * (virtio-net-device), so the PCI half of the shared net.c finds nothing here.
 */
#include "virtio/pci.h"
#include "virtio/virtio_pci.h"

int pci_present(void) { return 0; }

unsigned vtpci_probe(uint32_t device_id, struct vtdev *out, unsigned max)
{
    (void)device_id;
    (void)out;
    (void)max;
    return 0;
}
