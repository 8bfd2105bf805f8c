/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A proc NIC that is a link of the instance's namespace (normally the veth peer eth0) reached
 * through an AF_PACKET socket instead of a tap: `--net packet:IFACE[,MAC]`. The tender binds the
 * socket, maps a TPACKET_V2 receive ring and hands both to the guest (platform/proc/proc_abi.h,
 * struct proc_boot_ring). The guest then receives without system calls while frames wait and
 * sends a batch per sendmmsg(): no tap, no bridge and no syscall per frame on the packet path.
 */
#ifndef UNF_TENDER_PACKET_H
#define UNF_TENDER_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define PACKET_SPEC_PREFIX "packet:"

struct packet_nic {
    int fd;               /* AF_PACKET, SOCK_RAW, non-blocking, bound to the link */
    uint32_t mtu;         /* IP MTU (TENDER_MTU) */
    uint8_t mac[6];       /* the guest's own, not the link's */
    void *rx_ring;        /* frame_count slots of frame_size bytes */
    uint32_t frame_size;
    uint32_t frame_count;
};

/* Opens "IFACE[,MAC]" (the part after "packet:") with a ring sized for a guest of guest_mem
 * bytes; -1 (error reported) on failure, nothing left open or mapped then. */
int packet_open(const char *spec, size_t guest_mem, struct packet_nic *nic);

#endif
