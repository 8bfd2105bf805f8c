/* SPDX-License-Identifier: BSD-2-Clause */
/* libc subset (unikernels): errno and the Linux values of the codes the guest uses. */
#ifndef UNF_LIBC_ERRNO_H
#define UNF_LIBC_ERRNO_H
extern int errno;
#define EPERM 1
#define ENOENT 2
#define EIO 5
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define EWOULDBLOCK EAGAIN
#define EMSGSIZE 90
#define EADDRINUSE 98
#define ENETUNREACH 101
#define ECONNRESET 104
#define ENOBUFS 105
#define ENOTCONN 107
#define ETIMEDOUT 110
#define ECONNREFUSED 111
#define EHOSTUNREACH 113
#define EALREADY 114
#define EINPROGRESS 115
#endif
