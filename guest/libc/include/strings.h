/* SPDX-License-Identifier: BSD-2-Clause */
/* libc subset (unikernels): case-insensitive comparisons. */
#ifndef UNF_LIBC_STRINGS_H
#define UNF_LIBC_STRINGS_H
#include <stddef.h>
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
#endif
