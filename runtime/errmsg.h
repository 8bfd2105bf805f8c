/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One-line error messages for the runtime's parsers and file handling: every function that can
 * fail takes (char *err, size_t errlen) and fills it with what went wrong.
 */
#ifndef RUNTIME_ERRMSG_H
#define RUNTIME_ERRMSG_H

#include <stddef.h>

/* printf into err (truncated to errlen); always returns -1, so callers can `return errmsg(...)`. */
int errmsg(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
