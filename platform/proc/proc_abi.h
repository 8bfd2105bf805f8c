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
};

#endif
