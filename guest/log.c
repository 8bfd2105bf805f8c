/* SPDX-License-Identifier: BSD-2-Clause */
/* unf_log: leveled, timestamped console lines, the same on every target. */
#include <stdarg.h>
#include <stdio.h>
#include <unf/log.h>
#include <unf/loop.h>

#include "backend.h"

static enum unf_log_level max_level = UNF_LOG_INFO;

void unf_log_set_level(enum unf_log_level max) { max_level = max; }

void unf_log(enum unf_log_level level, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    char line[512];
    if (level > max_level)
        return;
    uint64_t now = unf_now_ns();
    int n = snprintf(line, sizeof(line), "[%5lu.%06lu] %s: ", (unsigned long)(now / 1000000000u),
                     (unsigned long)(now % 1000000000u / 1000u), names[level]);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(line) - 1)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    fflush(stdout);
    backend_console_write(line, (size_t)n);
}
