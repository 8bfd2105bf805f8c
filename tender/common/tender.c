/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Error reporting and process hygiene shared by the tenders (see tender.h).
 */
#include "tender.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

int tender_error(const char *fmt, ...)
{
    char msg[512], line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* One write(2) of the whole line, no stdio: usable after sealing, where only write on fd 2
     * is allowed, and lines from several processes do not interleave. */
    int n = snprintf(line, sizeof(line), "%s: %s\n", tender_name, msg);
    if (n > (int)sizeof(line) - 1)
        n = (int)sizeof(line) - 1;
    ssize_t w;
    do
        w = write(2, line, (size_t)n);
    while (w < 0 && errno == EINTR);
    return -1;
}

int tender_ensure_std_fds(void)
{
    for (int fd = 0; fd < 3; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int got = open("/dev/null", O_RDWR);
        if (got != fd) {
            if (got >= 0)
                close(got);
            return tender_error("cannot open /dev/null for a missing standard fd");
        }
    }
    return 0;
}
