/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * In-guest probe of the proc sandbox (tests/system/proc_tender.sh). main's one argument says
 * what to try: "open", "socket" or "execve" makes that raw system call, which the tender's
 * seccomp filter must answer by killing the guest with SIGSYS; if the call comes back, the
 * guest says so and exits 1. "ok" prints "sandbox-ok" and returns 3 (the exit status must pass
 * through the tender). Raw `syscall` instructions: the guest libc has no wrappers for these,
 * and on purpose, as nothing but this test should ever try them.
 */
#include <stdio.h>
#include <string.h>

#define SYS_OPEN   2
#define SYS_SOCKET 41
#define SYS_EXECVE 59

static long raw_syscall3(long nr, long a1, long a2, long a3)
{
    long ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(nr), "D"(a1), "S"(a2), "d"(a3)
                     : "rcx", "r11", "memory");
    return ret;
}

int main(int argc, char **argv)
{
    static const char path[] = "/etc/hostname";
    static char *const no_args[] = {(char *)"/bin/true", NULL};
    long ret;

    if (argc != 2) {
        printf("usage: guest_sandbox open|socket|execve|ok\n");
        return 2;
    }
    const char *what = argv[1];
    if (strcmp(what, "ok") == 0) {
        printf("sandbox-ok\n");
        return 3;
    }
    fflush(stdout);
    if (strcmp(what, "open") == 0)
        ret = raw_syscall3(SYS_OPEN, (long)path, 0, 0);
    else if (strcmp(what, "socket") == 0)
        ret = raw_syscall3(SYS_SOCKET, 2 /* AF_INET */, 2 /* SOCK_DGRAM */, 0);
    else if (strcmp(what, "execve") == 0)
        ret = raw_syscall3(SYS_EXECVE, (long)no_args[0], (long)no_args, 0);
    else {
        printf("guest_sandbox: unknown probe '%s'\n", what);
        return 2;
    }
    printf("sandbox-escaped: %s returned %ld\n", what, ret);
    return 1;
}
