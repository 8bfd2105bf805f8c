/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * process.terminal with --console-socket (see console.h): a pty is opened, its master is sent
 * to the engine as SCM_RIGHTS over the unix socket (with the pty's name as the payload, as runc
 * does), and the slave becomes the caller's session terminal and stdio.
 */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int oci_console_setup(const char *socket_path, char *err, size_t errlen)
{
    int master = -1, slave = -1, sock = -1, rc = -1;
    char name[128];
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name)) != 0) {
        snprintf(err, errlen, "cannot create a pty: %s", strerror(errno));
        goto out;
    }
    slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (slave < 0 || sock < 0 || strlen(socket_path) >= sizeof(sa.sun_path)) {
        snprintf(err, errlen, "console: %s", slave < 0 || sock < 0 ? strerror(errno) : "socket path too long");
        goto out;
    }
    memcpy(sa.sun_path, socket_path, strlen(socket_path) + 1);
    if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        snprintf(err, errlen, "cannot connect to console socket %s: %s", socket_path, strerror(errno));
        goto out;
    }
    char control[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec iov = {.iov_base = name, .iov_len = strlen(name)};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)};
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &master, sizeof(int));
    if (sendmsg(sock, &msg, 0) < 0) {
        snprintf(err, errlen, "cannot send the console to %s: %s", socket_path, strerror(errno));
        goto out;
    }
    if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0 || dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) {
        snprintf(err, errlen, "cannot make the pty the console: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (master >= 0)
        close(master);
    if (slave >= 0)
        close(slave);
    if (sock >= 0)
        close(sock);
    return rc;
}
