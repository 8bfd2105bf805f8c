/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest interface: everything a platform (proc, virtio) offers the guest, and nothing more.
 * In the spirit of Solo5's solo5.h: guest/ and apps/ never include a platform's own headers;
 * a platform's bindings implement exactly these calls. Single-threaded, no interrupts visible
 * to the guest: the guest polls and blocks only in plat_yield().
 */
#ifndef UNF_PLATFORM_H
#define UNF_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nanoseconds. */
typedef uint64_t plat_time_t;

enum plat_result {
    PLAT_OK = 0,
    PLAT_AGAIN,   /* nothing to read now */
    PLAT_EINVAL,  /* bad argument (unknown NIC, frame too large) */
    PLAT_EUNSPEC, /* the platform failed */
};

/* What the platform hands the guest at start. */
struct plat_start_info {
    const char *cmdline;      /* NUL-terminated, never NULL (may be "") */
    uintptr_t heap_start;     /* the guest's memory for malloc: [start, start + size) */
    size_t heap_size;
    const void *archive;      /* read-only ustar file archive, NULL when the image has none */
    size_t archive_size;
};

/* Implemented by guest/ (guest/start.c): the platform calls it once, then plat_exit()s with its
 * return value. */
int plat_app_main(const struct plat_start_info *si);

/* Console: best effort, never fails visibly. */
void plat_console_write(const char *buf, size_t len);

/* Monotonic clock since an arbitrary point (boot), and wall clock since the Unix epoch. */
plat_time_t plat_clock_monotonic(void);
plat_time_t plat_clock_wall(void);

/* Block until a NIC has a frame to read or the monotonic clock reaches `deadline`.
 * On return *ready_set has bit i set for each NIC i that may have frames (bits may be set
 * spuriously; reading returns PLAT_AGAIN then). A platform may return early. */
void plat_yield(plat_time_t deadline, uint64_t *ready_set);

#define PLAT_NET_MAX 4

struct plat_net_info {
    uint8_t mac[6];
    size_t mtu; /* IP MTU; frames carry at most mtu + 14 bytes (Ethernet header, no FCS) */
};

/* NIC i (0 = first) exists when this returns PLAT_OK; it fills in its MAC and MTU. */
enum plat_result plat_net_acquire(unsigned nic, struct plat_net_info *info);
/* Send one Ethernet frame (no FCS). */
enum plat_result plat_net_write(unsigned nic, const uint8_t *frame, size_t len);
/* Receive one Ethernet frame into buf; PLAT_AGAIN when none is queued. */
enum plat_result plat_net_read(unsigned nic, uint8_t *buf, size_t size, size_t *len);

/* End the guest. The runtime reports `status` (0..255) as the exit status. */
_Noreturn void plat_exit(int status);
/* End the guest after a fatal error; prints `why` on the console first. Exit status 255. */
_Noreturn void plat_abort(const char *why);

#endif
