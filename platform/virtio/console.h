/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The serial console (a 16550 UART at 0x3f8, polled) and the way out of the VM (QEMU's
 * isa-debug-exit port). console_printf is for the platform's own messages. console_putc is the
 * one per-architecture part (each binding's console.c); console_write.c builds the rest on it,
 * for x86_64 and aarch64 alike.
 */
#ifndef VIRTIO_CONSOLE_H
#define VIRTIO_CONSOLE_H

void console_init(void);
void console_putc(char c);
void console_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
