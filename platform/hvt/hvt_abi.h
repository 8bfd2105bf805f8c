/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvt boot and hypercall ABI: the one contract between the hvt tender (host side,
 * build/bin/unf-hvt, a minimal KVM monitor) and the hvt bindings (guest side). The guest runs in
 * 64-bit user mode (CPL3) with IOPL=3 and interrupts off, on page tables, GDT, TSS and IDT the
 * tender built; guest-physical = guest-virtual. The tender enters the kernel's ELF entry with
 * %rdi = HVT_BOOT_INFO_ADDR and %rsp = HVT_STACK_TOP. A hypercall is `outl %eax, (%dx)` with
 * %dx = one of the HVT_PORT_* ports and %eax = the guest-physical address (below 4 GiB) of that
 * call's argument struct; the tender handles it and resumes the guest after the `out`.
 * Plain C types only: compiled both hosted (tender) and freestanding (guest).
 */
#ifndef UNF_HVT_ABI_H
#define UNF_HVT_ABI_H

#include <stdint.h>

#define HVT_ABI_MAGIC   0x31545648464e55ULL /* "UNFHVT1", little endian */
#define HVT_ABI_VERSION 1u

/* Guest-physical layout (the tender's private structures sit in the pages below the boot info,
 * supervisor-only, so the guest cannot read or change them). */
#define HVT_BOOT_INFO_ADDR 0x10000ULL  /* struct hvt_boot_info, then the command line: read-only */
#define HVT_BOOT_SIZE      0x10000ULL  /* up to 64 KiB of boot info + command line */
#define HVT_STACK_BOTTOM   0x40000ULL  /* [BOTTOM, TOP): the guest stack; the page below faults */
#define HVT_STACK_TOP      0x100000ULL
#define HVT_LOAD_BASE      0x100000ULL /* kernels are linked at 1 MiB (platform/hvt/kernel.ld) */
#define HVT_LOAD_LIMIT     0x40000000ULL /* ... and must end below 1 GiB and below --mem */

#define HVT_NET_MAX 4      /* equals PLAT_NET_MAX (checked by the bindings) */
#define HVT_MTU     1500u

/* Hypercall ports (32-bit `out`; the value is the GPA of the argument struct). */
#define HVT_PORT_CONSOLE   0x500 /* struct hvt_console */
#define HVT_PORT_NET_WRITE 0x501 /* struct hvt_net_io */
#define HVT_PORT_NET_READ  0x502 /* struct hvt_net_io */
#define HVT_PORT_POLL      0x503 /* struct hvt_poll */
#define HVT_PORT_EXIT      0x504 /* struct hvt_exit */
/* Only when the boot info's features has HVT_FEATURE_NET_VEC: */
#define HVT_PORT_NET_WRITEV 0x505 /* struct hvt_net_vec: up to HVT_NET_VEC_MAX frames out */
#define HVT_PORT_NET_READV  0x506 /* struct hvt_net_vec: up to HVT_NET_VEC_MAX frames in */
#define HVT_PORT_FAULT     0x50f /* 8-bit `out` of the vector by the tender's own exception stubs */

/* Results in the `ret` fields. */
#define HVT_OK     0
#define HVT_AGAIN  1 /* nothing to read, or the tap's queue is full */
#define HVT_EINVAL 2 /* bad NIC, bad buffer (outside the guest's memory), frame too large */
#define HVT_EUNSPEC 3

struct hvt_boot_net {
    uint32_t mtu; /* IP MTU; frames are at most mtu + 14 bytes */
    uint8_t mac[6];
    uint8_t reserved[2];
};

struct hvt_console {
    uint64_t data; /* GPA of the bytes */
    uint64_t len;
};

struct hvt_net_io {
    uint64_t nic;
    uint64_t data; /* GPA of the frame (write) or of the buffer (read) */
    uint64_t len;  /* write: frame length; read: in buffer size, out frame length */
    uint64_t ret;  /* out: HVT_OK, HVT_AGAIN, HVT_EINVAL or HVT_EUNSPEC */
};

/* One frame of a vector: GPA of the bytes; len is the frame's length (write), or the buffer's
 * size in and the frame's length out (read). */
struct hvt_net_frame {
    uint64_t data;
    uint64_t len;
};

#define HVT_NET_VEC_MAX 64

/* A batch of frames for one NIC, so that a burst costs one exit instead of one per frame. WRITEV
 * writes frames[0..count) to the tap in order and stops at the first that fails; READV reads
 * until count frames or the tap is empty. done = frames moved; ret = HVT_OK, or the failing
 * frame's result (HVT_AGAIN: the tap's queue was full, or nothing more to read). */
struct hvt_net_vec {
    uint64_t nic;
    uint64_t frames; /* GPA of struct hvt_net_frame[count] */
    uint64_t count;  /* 1..HVT_NET_VEC_MAX */
    uint64_t done;   /* out */
    uint64_t ret;    /* out */
};

#define HVT_FEATURE_NET_VEC (1ull << 0) /* the tender handles NET_WRITEV and NET_READV */

struct hvt_poll {
    uint64_t timeout_ns; /* in: how long to block at most; UINT64_MAX: until a frame comes */
    uint64_t ready_set;  /* out: bit i set when NIC i may have frames */
};

struct hvt_exit {
    uint64_t status; /* 0..255: the tender's exit status */
};

struct hvt_boot_info {
    uint64_t magic;         /* HVT_ABI_MAGIC */
    uint32_t version;       /* HVT_ABI_VERSION */
    uint32_t size;          /* sizeof(struct hvt_boot_info) as the tender knew it */
    uint32_t net_count;     /* entries of net[] in use */
    uint32_t reserved;
    struct hvt_boot_net net[HVT_NET_MAX];
    uint64_t tsc_khz;       /* the TSC's frequency (KVM_GET_TSC_KHZ) */
    uint64_t wall_ns;       /* CLOCK_REALTIME when the guest was entered, ns since the epoch */
    uint64_t cmdline;       /* GPA of a NUL-terminated string, never 0 */
    /* [heap_start, heap_start + heap_size): read-write, zeroed */
    uint64_t heap_start;
    uint64_t heap_size;
    /* GPA of the read-only ustar archive and its size; 0 when there is none */
    uint64_t archive;
    uint64_t archive_size;
    /* Added after version 1 shipped, present when size covers it: HVT_FEATURE_* bits. */
    uint64_t features;
};

#endif
