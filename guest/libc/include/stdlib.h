/* SPDX-License-Identifier: BSD-2-Clause */
/* libc subset (unikernels): memory allocation, number parsing, sorting, process end. */
#ifndef UNF_LIBC_STDLIB_H
#define UNF_LIBC_STDLIB_H
#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX 0x7fffffff

void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);

long strtol(const char *restrict s, char **restrict end, int base);
unsigned long strtoul(const char *restrict s, char **restrict end, int base);
long long strtoll(const char *restrict s, char **restrict end, int base);
unsigned long long strtoull(const char *restrict s, char **restrict end, int base);
int atoi(const char *s);
int abs(int v);
long labs(long v);

void qsort(void *base, size_t count, size_t size, int (*cmp)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t count, size_t size,
              int (*cmp)(const void *, const void *));

int rand(void);
void srand(unsigned seed);

_Noreturn void exit(int status);
_Noreturn void abort(void);
#endif
