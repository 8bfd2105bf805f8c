/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * virtio-net driver: finds the NICs (virtio-pci first, then virtio-mmio) and implements
 * plat_net_* and plat_yield() over them.
 */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

/* Finds and starts up to PLAT_NET_MAX NICs; their queues come from physmem_alloc(). */
void vnet_probe(void);
/* Notifies the devices of buffers published and not yet announced (see KICK_BATCH in net.c);
 * plat_yield() does it, plat_exit() must, so the last frames leave. */
void vnet_flush(void);

#endif
