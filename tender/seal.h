/*
 * Sealing the tender before it becomes the guest: every fd but 1, 2 and the taps is closed,
 * core dumps are off, no_new_privs is set, and a seccomp filter allows only what the proc
 * bindings use (proc_abi.h): read on the taps, write on 1, 2 and the taps, ppoll,
 * clock_gettime on the realtime and monotonic clocks, exit and exit_group. Anything else,
 * and any non-x86_64 system call, kills the process with SIGSYS.
 */
#ifndef UNF_TENDER_SEAL_H
#define UNF_TENDER_SEAL_H

/* After a successful return the process may only make the allowed system calls. */
int seal_process(const int *tap_fds, unsigned tap_count);

#endif
