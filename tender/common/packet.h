/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A NIC that is a link of the instance's namespace (normally the veth peer eth0) reached through
 * an AF_PACKET socket instead of a tap: `--net packet:IFACE[,MAC]`. The tender binds the socket
 * and maps a TPACKET_V2 receive ring. unf-proc hands both to its guest (platform/proc/proc_abi.h,
 * struct proc_boot_ring), which then receives without system calls while frames wait and sends a
 * batch per sendmmsg(); unf-hvt reads the ring itself (packet_recv) and sends a guest's batch of
 * frames with one sendmmsg straight from guest memory (packet_send). No tap and no bridge.
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
    uint32_t next;        /* the slot packet_recv looks at next */
};

struct iovec;

/* Opens "IFACE[,MAC]" (the part after "packet:") with a ring sized for a guest of guest_mem
 * bytes; -1 (error reported) on failure, nothing left open or mapped then. */
int packet_open(const char *spec, size_t guest_mem, struct packet_nic *nic);

/* The next received frame into buf (a partial checksum the local host left is completed, a frame
 * too big for its slot is read from the socket); 0 and *len on success, 1 when none is waiting.
 * Frames that do not fit buf, or were cut short, are dropped. */
int packet_recv(struct packet_nic *nic, void *buf, size_t size, size_t *len);

/* Sends frames[0..count) with one sendmmsg (fewer when the link's queue fills); returns how many
 * left, -1 when none could be sent (the rest are dropped, as on a wire). */
int packet_send(struct packet_nic *nic, const struct iovec *frames, unsigned count);

#endif
