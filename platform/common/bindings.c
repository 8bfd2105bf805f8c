/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The glue shared by the proc and hvt bindings (see bindings.h), and plat_abort(), which both
 * build from their own plat_console_write() and plat_exit().
 */
#include "bindings.h"

static size_t cstrlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

_Noreturn void plat_abort(const char *why)
{
    static const char prefix[] = "unf: abort: ";
    plat_console_write(prefix, sizeof(prefix) - 1);
    plat_console_write(why, cstrlen(why));
    plat_console_write("\n", 1);
    plat_exit(255);
}

void bindings_net_info(const uint8_t mac[6], uint32_t mtu, struct plat_net_info *info)
{
    for (int i = 0; i < 6; i++)
        info->mac[i] = mac[i];
    info->mtu = mtu;
}

_Noreturn void bindings_run(uint64_t cmdline, uint64_t heap_start, uint64_t heap_size,
                            uint64_t archive, uint64_t archive_size)
{
    struct plat_start_info si = {
        .cmdline = (const char *)(uintptr_t)cmdline,
        .heap_start = (uintptr_t)heap_start,
        .heap_size = (size_t)heap_size,
        .archive = (const void *)(uintptr_t)archive,
        .archive_size = archive ? (size_t)archive_size : 0,
    };
    plat_exit(plat_app_main(&si));
}
