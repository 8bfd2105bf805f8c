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
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s\n", tender_name, line);
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
