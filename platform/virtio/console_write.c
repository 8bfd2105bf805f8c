/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The arch-neutral half of the virtio bindings' console: writing buffers and the platform's own
 * formatted messages, over the one-character console_putc() each architecture's UART provides
 * (the 16550 on x86_64, the PL011 on aarch64).
 */
#include <stdarg.h>
#include <stdio.h>

#include "platform.h"
#include "virtio/console.h"

void plat_console_write(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++)
        console_putc(buf[i]);
}

void console_printf(const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    plat_console_write(line, (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
}
