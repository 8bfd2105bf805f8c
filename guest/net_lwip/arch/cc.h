/* SPDX-License-Identifier: BSD-2-Clause */
/* lwIP's compiler/platform glue for unf unikernels: little-endian x86_64, the guest's libc
 * subset, diagnostics to the console, assertions end the guest. */
#ifndef UNF_LWIP_ARCH_CC_H
#define UNF_LWIP_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_RAND() ((u32_t)rand())
#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
_Noreturn void plat_abort(const char *why);
#define LWIP_PLATFORM_ASSERT(x) do { printf("lwip assertion: %s (%s:%d)\n", x, __FILE__, __LINE__); \
                                     plat_abort("lwip assertion"); } while (0)
#define lwip_htons(x) __builtin_bswap16(x)
#define lwip_htonl(x) __builtin_bswap32(x)
#endif
