/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The proc boot ABI: the one contract between the tender (host side, build/bin/unf-proc) and the
 * proc bindings (guest side). The tender loads the guest ELF inside the guest's link range, fills
 * a struct proc_boot_info and jumps to the ELF entry with a pointer to it in %rdi, on a fresh
 * 16-byte aligned stack. Everything the guest may touch is described here: its command line,
 * heap, file archive and the tap fds it may read and write. Plain C types only: this header is
 * compiled both hosted (tender) and freestanding (guest).
 */
#ifndef UNF_PROC_ABI_H
#define UNF_PROC_ABI_H

#include <stdint.h>

#define PROC_ABI_MAGIC   0x31434f5250464e55ULL /* "UNFPROC1", little endian */
#define PROC_ABI_VERSION 1u

/* The guest's PT_LOAD segments must lie in [BASE, LIMIT); platform/proc/guest.ld links at BASE. */
#define PROC_ABI_LOAD_BASE  0x40000000ULL
#define PROC_ABI_LOAD_LIMIT 0x80000000ULL

#define PROC_ABI_NET_MAX 4  /* equals PLAT_NET_MAX (checked by the bindings) */
#define PROC_ABI_MTU     1500u

/* System calls the sandbox lets through (x86_64 numbers); anything else kills the guest. */
#define PROC_SYS_READ          0   /* on NIC fds only */
#define PROC_SYS_WRITE         1   /* on fds 1, 2 and the tap fds */
#define PROC_SYS_EXIT          60
#define PROC_SYS_CLOCK_GETTIME 228 /* CLOCK_REALTIME and CLOCK_MONOTONIC only */
#define PROC_SYS_EXIT_GROUP    231
#define PROC_SYS_PPOLL         271
#define PROC_SYS_SENDTO        44  /* on AF_XDP NICs only, as a send kick (see proc_boot_xsk) */
#define PROC_SYS_SENDMMSG      307 /* on packet-socket NICs only (see proc_boot_ring) */

struct proc_boot_net {
    int32_t fd;      /* tap, opened IFF_TAP|IFF_NO_PI, non-blocking: one read/write = one frame */
    uint32_t mtu;    /* IP MTU; frames are at most mtu + 14 bytes */
    uint8_t mac[6];
    uint8_t reserved[2];
};

/* A NIC that is an AF_PACKET socket bound to a link (the tender's `--net packet:IFACE`) instead
 * of a tap. Received frames are read from a TPACKET_V2 receive ring mapped into the process, with
 * no system call while frames are waiting; frames are sent in batches with one sendmmsg() on the
 * socket (net[].fd). Each ring slot starts with a struct tpacket2_hdr; the guest hands a slot back
 * by storing 0 (TP_STATUS_KERNEL) in its status word. A slot marked TP_STATUS_COPY holds a frame
 * too big for it: the whole frame is read with read() on the socket. */
struct proc_boot_ring {
    uint64_t rx_ring;     /* address of the receive ring; 0: this NIC is a tap */
    uint32_t frame_size;  /* bytes per slot */
    uint32_t frame_count; /* slots in the ring, contiguous from rx_ring */
};

/* One ring of an AF_XDP socket, mapped into the process: the kernel's producer and consumer
 * indexes (free-running u32, entry = index & (size - 1)), its flags word and its entries. */
struct proc_boot_xsk_ring {
    uint64_t producer; /* address of the u32 producer index */
    uint64_t consumer; /* address of the u32 consumer index */
    uint64_t flags;    /* address of the u32 flags (bit 0: XDP_RING_NEED_WAKEUP) */
    uint64_t desc;     /* address of the entries */
};

/* A NIC that is an AF_XDP socket bound to queue 0 of a link (the tender's `--net xdp:IFACE`).
 * Frames live in a frame area (UMEM) of frame_count frames of frame_size bytes; the guest owns a
 * frame from the moment it takes it off the rx or completion ring until it puts it on the fill or
 * tx ring. Receive: rx entries are struct xdp_desc {u64 addr; u32 len; u32 options} (addr an
 * offset into the area); the guest returns the frame to the fill ring (u64 offsets). Send: the
 * guest writes a frame into a free frame, puts an xdp_desc on the tx ring and, when the tx ring's
 * flags ask for it, kicks with sendto(fd, 0, 0, MSG_DONTWAIT, 0, 0); sent frames come back on the
 * completion ring. Frames [0, ring_size) start on the fill ring; [ring_size, frame_count) are free.
 * poll() on the fd reports POLLIN while the rx ring holds frames. */
struct proc_boot_xsk {
    uint64_t umem;        /* address of the frame area; 0: this NIC is not an AF_XDP socket */
    uint32_t frame_size;
    uint32_t frame_count;
    uint32_t ring_size;   /* entries of each ring, a power of two */
    uint32_t reserved;
    struct proc_boot_xsk_ring fill, comp, rx, tx;
};

struct proc_boot_info {
    uint64_t magic;         /* PROC_ABI_MAGIC */
    uint32_t version;       /* PROC_ABI_VERSION */
    uint32_t size;          /* sizeof(struct proc_boot_info) as the tender knew it */
    uint64_t cmdline;       /* address of a NUL-terminated string, never 0 */
    uint64_t heap_start;    /* [heap_start, heap_start + heap_size): read-write, zeroed */
    uint64_t heap_size;
    uint64_t archive;       /* read-only ustar archive, 0 when there is none */
    uint64_t archive_size;
    uint32_t net_count;     /* entries of net[] in use */
    uint32_t reserved;
    struct proc_boot_net net[PROC_ABI_NET_MAX];
    /* Added after version 1 shipped, so only present when size covers it: the address of the
     * vDSO's clock_gettime(clockid, struct timespec *) in this process, 0 when there is none.
     * The guest calls it instead of the system call, which costs ~10x more on a virtual host. */
    uint64_t clock_gettime;
    /* Added next, present when size covers it: per NIC, its receive ring when it is a packet
     * socket (see struct proc_boot_ring). */
    struct proc_boot_ring ring[PROC_ABI_NET_MAX];
    /* Added next, present when size covers it: per NIC, its AF_XDP socket (struct proc_boot_xsk). */
    struct proc_boot_xsk xsk[PROC_ABI_NET_MAX];
};

#endif
