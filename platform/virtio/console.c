/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console and exit of the virtio platform. Output goes byte by byte to the COM1 16550 UART,
 * polling its transmit-holding-register-empty bit (no interrupts, no buffering, so nothing is
 * lost when the guest exits right after printing). Exit writes the status to QEMU's
 * isa-debug-exit port at 0xf4, which ends QEMU with (status << 1) | 1; without that device the
 * CPU halts with interrupts off.
 */
#include "console.h"

#include <platform.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "net.h"

#define COM1 0x3f8
#define UART_THR 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_THRE 0x20
#define EXIT_PORT 0xf4
/* Bound on the THRE poll: a missing UART reads 0xff (THRE set), a stuck one must not hang us. */
#define THRE_SPINS 100000

void console_init(void)
{
    outb(COM1 + UART_IER, 0x00); /* no interrupts: we poll */
    outb(COM1 + UART_LCR, 0x80); /* divisor latch: 115200 baud */
    outb(COM1 + 0, 0x01);
    outb(COM1 + 1, 0x00);
    outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    outb(COM1 + UART_FCR, 0x07); /* FIFOs on and cleared */
    outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

void console_putc(char c)
{
    for (int i = 0; i < THRE_SPINS && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
        cpu_relax();
    outb(COM1 + UART_THR, (uint8_t)c);
}

_Noreturn void plat_exit(int status)
{
    vnet_flush();
    outl(EXIT_PORT, (uint32_t)status & 0xff);
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void plat_abort(const char *why)
{
    console_printf("unf: abort: %s\n", why ? why : "(no reason)");
    plat_exit(255);
}
