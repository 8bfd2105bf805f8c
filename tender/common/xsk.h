/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A NIC that is a link of the instance's namespace reached through an AF_XDP socket:
 * `--net xdp:IFACE[,MAC]`. The tender attaches a five-instruction XDP program to the link that
 * redirects every received frame to the socket, registers a frame area (UMEM) and maps the
 * socket's four rings (fill, completion, rx, tx). unf-proc hands all of it to its guest
 * (platform/proc/proc_abi.h, struct proc_boot_xsk), which then receives and sends with no copy
 * through a socket buffer and no system call per frame: one sendto() per batch kicks the sends.
 * The kernel uses zero-copy where the link's driver can, copy mode elsewhere (a veth). The
 * program is attached through a BPF link owned by this process, so it goes away with it, even
 * after a crash. The peer must send full checksums: AF_XDP frames carry no "checksum partial"
 * mark, so the runtime turns transmit checksum offload off on the other end.
 */
#ifndef UNF_TENDER_XSK_H
#define UNF_TENDER_XSK_H

#include <stddef.h>
#include <stdint.h>

#define XSK_SPEC_PREFIX "xdp:"

/* One of the socket's rings as mapped: producer and consumer indexes, flags, descriptors. */
struct xsk_ring_map {
    uint32_t *producer;
    uint32_t *consumer;
    uint32_t *flags;
    void *desc;
};

struct xsk_nic {
    int fd;                /* the AF_XDP socket */
    int link_fd;           /* the BPF link holding the XDP program on the link */
    uint32_t mtu;          /* IP MTU (TENDER_MTU) */
    uint8_t mac[6];        /* the guest's own, not the link's */
    uint8_t *umem;         /* frame_count frames of frame_size bytes */
    size_t umem_size;
    uint32_t frame_size;
    uint32_t frame_count;  /* the first ring_size frames start in the fill ring, the rest are for sends */
    uint32_t ring_size;    /* entries in each ring, a power of two */
    int zero_copy;         /* 1 when the driver took the zero-copy bind */
    int native;            /* 1: XDP in the driver; 0: the generic (skb) hook */
    struct xsk_ring_map fill, comp, rx, tx;
};

/* Opens "IFACE[,MAC]" (the part after "xdp:") with rings sized for a guest of guest_mem bytes;
 * -1 (error reported) on failure, nothing left open, attached or mapped then. */
int xsk_open(const char *spec, size_t guest_mem, struct xsk_nic *nic);

#endif
