/* SPDX-License-Identifier: BSD-2-Clause */
/* libc subset (unikernels): only the types some portable code expects from <unistd.h>. */
#ifndef UNF_LIBC_UNISTD_H
#define UNF_LIBC_UNISTD_H
#include <stddef.h>
typedef long ssize_t;
#endif
