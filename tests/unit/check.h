/* SPDX-License-Identifier: BSD-2-Clause */
/* A minimal test reporter: CHECK prints "PASS name" or "FAIL name: expr (file:line)". */
#ifndef UNF_TEST_CHECK_H
#define UNF_TEST_CHECK_H
#include <stdio.h>

static int check_failures;

#define CHECK(cond, name)                                                                  \
    do {                                                                                   \
        if (cond) {                                                                        \
            printf("PASS %s\n", name);                                                     \
        } else {                                                                           \
            printf("FAIL %s: %s (%s:%d)\n", name, #cond, __FILE__, __LINE__);              \
            check_failures++;                                                              \
        }                                                                                  \
    } while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)
#endif
