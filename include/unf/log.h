/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console output for apps. stdout/printf also work everywhere (the unikernel libc subset
 * writes them to the console); unf_log adds a timestamp and a level so logs read alike.
 */
#ifndef UNF_LOG_H
#define UNF_LOG_H

enum unf_log_level { UNF_LOG_ERROR, UNF_LOG_WARN, UNF_LOG_INFO, UNF_LOG_DEBUG };

void unf_log(enum unf_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void unf_log_set_level(enum unf_log_level max);

#endif
