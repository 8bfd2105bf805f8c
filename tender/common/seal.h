/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sealing a tender before it runs its guest, shared by proc and hvt. A tender describes its
 * seccomp allowlist with the seal_* builder calls (which system calls, restricted to which fds
 * or ioctl requests), then seal_apply() closes every fd it does not keep (1 and 2 are always
 * kept), turns core dumps off, sets no_new_privs and installs the filter. The program is built at
 * run time because the allowed fds are the ones this instance got. Anything not allowed, and any
 * non-x86_64 system call, kills the process with SIGSYS. When UNF_READY_FD names an inherited fd
 * (unf-monitor's ready pipe), seal_apply() writes one byte to it and closes it just before
 * installing the filter: the guest is about to run.
 */
#ifndef UNF_TENDER_SEAL_H
#define UNF_TENDER_SEAL_H

#include <linux/filter.h>
#include <stdint.h>

#define SEAL_MAX_INSNS 96
#define SEAL_MAX_KEEP  12

struct seal_filter {
    struct sock_filter insn[SEAL_MAX_INSNS];
    unsigned len;
    int overflow;
};

/* Starts a program: architecture check, then the system call number in the accumulator. */
void seal_begin(struct seal_filter *f);
/* nr allowed whatever its arguments. */
void seal_allow(struct seal_filter *f, uint32_t nr);
/* nr allowed when the low 32 bits of argument `arg` are one of values[]; otherwise kill. */
void seal_allow_if_arg(struct seal_filter *f, uint32_t nr, unsigned arg, const uint32_t *values,
                       unsigned count);
/* ioctl allowed on fd with one of requests[]; any other ioctl kills. */
void seal_allow_ioctl(struct seal_filter *f, uint32_t fd, const uint32_t *requests,
                      unsigned count);
/* Ends the program and seals the process, keeping fds 1, 2 and keep[]. -1 (reported) on failure;
 * after a successful return the process may only make the allowed system calls. */
int seal_apply(struct seal_filter *f, const int *keep, unsigned keep_count);

#endif
