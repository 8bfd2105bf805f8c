/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the shared guest code (loop, log, files) needs from the target it runs on. Two
 * implementations: net_lwip/ (unikernels: platform calls + lwIP) and net_posix/ (native: Linux).
 */
#ifndef UNF_GUEST_BACKEND_H
#define UNF_GUEST_BACKEND_H
#include <stddef.h>
#include <stdint.h>

uint64_t backend_now_ns(void);
uint64_t backend_wall_ns(void);
void backend_console_write(const char *buf, size_t len);
/* Handles pending network I/O (calling the apps' callbacks) and blocks until more arrives or
 * the monotonic clock reaches deadline_ns, whichever comes first. */
void backend_wait(uint64_t deadline_ns);
/* The ustar file archive in memory (NULL, 0 when there is none). */
void backend_archive(const void **base, size_t *size);
#endif
