/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest probe of fault reporting (tests/system/hvt_tender.sh): main's one argument says which
 * fault to cause. "null" reads address 0, "write-text" writes over its own code, "ud2" executes
 * an invalid opcode, "exec-stack" jumps into its (non-executable) stack, "syscall" executes a
 * `syscall` instruction (no system calls exist in a VM). Each must end the guest with a report
 * from the platform; if the guest survives, it says so and exits 1. "ok" prints "fault-ok" and
 * returns 0. Built for every platform; only the hvt test runs it.
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("usage: guest_fault null|write-text|ud2|exec-stack|syscall|ok\n");
        return 2;
    }
    const char *what = argv[1];
    if (strcmp(what, "ok") == 0) {
        printf("fault-ok\n");
        return 0;
    }
    fflush(stdout);
    if (strcmp(what, "null") == 0) {
        volatile int *p = (volatile int *)(unsigned long)(argc - 2); /* 0, unseen by the compiler */
        printf("read %d\n", *p);
    } else if (strcmp(what, "write-text") == 0) {
        *(volatile unsigned char *)(void *)main = 0xcc;
    } else if (strcmp(what, "ud2") == 0) {
#if defined(__aarch64__)
        __asm__ volatile("udf #0"); /* the permanently undefined encoding, aarch64's ud2 */
#else
        __asm__ volatile("ud2");
#endif
    } else if (strcmp(what, "exec-stack") == 0) {
        volatile unsigned char code[16] = {0xc3}; /* ret */
        ((void (*)(void))(unsigned long)code)();
    } else if (strcmp(what, "syscall") == 0) {
#if defined(__aarch64__)
        __asm__ volatile("svc #0" : : : "memory");
#else
        __asm__ volatile("syscall" : : "a"(39L) : "rcx", "r11", "memory");
#endif
    } else {
        printf("guest_fault: unknown fault '%s'\n", what);
        return 2;
    }
    printf("fault-survived: %s\n", what);
    return 1;
}
