/* SPDX-License-Identifier: BSD-2-Clause */
/* libc subset (unikernels): formatted output to the console and to strings. No input. */
#ifndef UNF_LIBC_STDIO_H
#define UNF_LIBC_STDIO_H
#include <stdarg.h>
#include <stddef.h>

typedef struct unf_libc_file FILE;
extern FILE *const stdout;
extern FILE *const stderr;
#define EOF (-1)

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap);
int fprintf(FILE *restrict f, const char *restrict fmt, ...) __attribute__((format(printf, 2, 3)));
int vfprintf(FILE *restrict f, const char *restrict fmt, va_list ap);
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap);
int puts(const char *s);
int putchar(int c);
int fputs(const char *restrict s, FILE *restrict f);
int fputc(int c, FILE *f);
size_t fwrite(const void *restrict data, size_t size, size_t count, FILE *restrict f);
int fflush(FILE *f);
#endif
