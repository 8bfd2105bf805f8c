/* SPDX-License-Identifier: BSD-2-Clause */
/* libc subset (unikernels): assert() ends the guest with the failed expression. */
#ifndef UNF_LIBC_ASSERT_H
#define UNF_LIBC_ASSERT_H
_Noreturn void unf_libc_assert_fail(const char *expr, const char *file, int line);
#ifdef NDEBUG
#define assert(e) ((void)0)
#else
#define assert(e) ((e) ? (void)0 : unf_libc_assert_fail(#e, __FILE__, __LINE__))
#endif
#define static_assert _Static_assert
#endif
