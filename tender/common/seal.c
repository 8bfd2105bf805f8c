/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The sandbox builder (see seal.h). The program's shape: check the architecture, then one block
 * per allowed system call, "if nr matches: allow when the arguments are in the set, else kill",
 * and a final kill. Every block ends in a return, so blocks never fall through into each other.
 */
#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tender.h"

static void emit(struct seal_filter *f, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
    if (f->len == SEAL_MAX_INSNS) {
        f->overflow = 1;
        return;
    }
    f->insn[f->len++] = (struct sock_filter){code, jt, jf, k};
}

static void emit_ret(struct seal_filter *f, uint32_t action) { emit(f, BPF_RET | BPF_K, action, 0, 0); }

static void emit_load(struct seal_filter *f, uint32_t offset)
{
    emit(f, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

/* The low 32 bits of argument i: what the kernel uses for int and unsigned int arguments. */
#define ARG_LOW(i) ((uint32_t)offsetof(struct seccomp_data, args[i]))

/* Emits "A in values[] -> allow, else kill" (2 * count + 1 instructions). */
static void emit_allow_set(struct seal_filter *f, const uint32_t *values, unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        emit(f, BPF_JMP | BPF_JEQ | BPF_K, values[i], 0, 1);
        emit_ret(f, SECCOMP_RET_ALLOW);
    }
    emit_ret(f, SECCOMP_RET_KILL_PROCESS);
}

void seal_begin(struct seal_filter *f)
{
    memset(f, 0, sizeof(*f));
    emit_load(f, (uint32_t)offsetof(struct seccomp_data, arch));
    emit(f, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    emit_ret(f, SECCOMP_RET_KILL_PROCESS);
    /* x32 system calls carry bit 30 in nr; they match none of the exact numbers allowed. */
    emit_load(f, (uint32_t)offsetof(struct seccomp_data, nr));
}

void seal_allow(struct seal_filter *f, uint32_t nr)
{
    emit(f, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
    emit_ret(f, SECCOMP_RET_ALLOW);
}

/* Expects the system call number in A and leaves it there when nr does not match. */
void seal_allow_if_arg(struct seal_filter *f, uint32_t nr, unsigned arg, const uint32_t *values,
                       unsigned count)
{
    unsigned body = 1 + 2 * count + 1;
    emit(f, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, (uint8_t)body);
    emit_load(f, ARG_LOW(arg));
    emit_allow_set(f, values, count);
}

void seal_allow_ioctl(struct seal_filter *f, uint32_t fd, const uint32_t *requests,
                      unsigned count)
{
    unsigned body = 4 + 2 * count + 1; /* everything up to the next block */
    emit(f, BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, (uint8_t)body);
    emit_load(f, ARG_LOW(0));
    emit(f, BPF_JMP | BPF_JEQ | BPF_K, fd, 1, 0);
    emit_ret(f, SECCOMP_RET_KILL_PROCESS);
    emit_load(f, ARG_LOW(1)); /* the kernel truncates the request to 32 bits too */
    emit_allow_set(f, requests, count);
}

static int close_range_fallback(unsigned lo, unsigned hi)
{
    if (syscall(SYS_close_range, lo, hi, 0) == 0)
        return 0;
    if (errno != ENOSYS)
        return -1;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return -1;
    unsigned limit = rl.rlim_cur < hi ? (unsigned)rl.rlim_cur : hi;
    for (unsigned fd = lo; fd <= limit && fd < 65536; fd++)
        close((int)fd);
    return 0;
}

/* Closes every fd but 1, 2 and extra[]. */
static int close_others(const int *extra, unsigned extra_count)
{
    int keep[SEAL_MAX_KEEP + 2];
    unsigned n = 0;
    keep[n++] = 1;
    keep[n++] = 2;
    for (unsigned i = 0; i < extra_count; i++)
        keep[n++] = extra[i];
    for (unsigned i = 1; i < n; i++) /* insertion sort: a handful of fds */
        for (unsigned j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    unsigned next = 0; /* lowest fd not yet handled */
    for (unsigned i = 0; i < n; i++) {
        if ((unsigned)keep[i] > next && close_range_fallback(next, (unsigned)keep[i] - 1) < 0)
            return tender_error("cannot close inherited fds: %s", strerror(errno));
        if ((unsigned)keep[i] + 1 > next)
            next = (unsigned)keep[i] + 1;
    }
    if (close_range_fallback(next, ~0u) < 0)
        return tender_error("cannot close inherited fds: %s", strerror(errno));
    return 0;
}

/* The fd named by UNF_READY_FD (set by unf-monitor), or -1: one byte written to it tells the
 * monitor the guest is about to run, so it need not guess from the fd closing (which an early
 * exit does as well). */
static int ready_fd(void)
{
    const char *v = getenv("UNF_READY_FD");
    if (!v || !*v)
        return -1;
    char *end;
    long fd = strtol(v, &end, 10);
    if (*end || fd < 3 || fd > 1 << 20 || fcntl((int)fd, F_GETFD) < 0)
        return -1;
    return (int)fd;
}

int seal_apply(struct seal_filter *f, const int *keep, unsigned keep_count)
{
    emit_ret(f, SECCOMP_RET_KILL_PROCESS);
    if (f->overflow)
        return tender_error("seccomp filter too long");
    if (keep_count > SEAL_MAX_KEEP)
        return tender_error("too many fds to keep");

    /* A guest killed by the sandbox must not leave a core file behind. */
    struct rlimit no_core = {0, 0};
    if (setrlimit(RLIMIT_CORE, &no_core) < 0)
        return tender_error("cannot disable core dumps: %s", strerror(errno));
    int ready = ready_fd();
    int kept[SEAL_MAX_KEEP + 1];
    memcpy(kept, keep, keep_count * sizeof(*keep));
    if (ready >= 0)
        kept[keep_count++] = ready;
    if (close_others(kept, keep_count) < 0)
        return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return tender_error("cannot set no_new_privs: %s", strerror(errno));
    if (ready >= 0) { /* the last step that can fail is behind us but one: say so, then forget the fd */
        if (write(ready, "R", 1) != 1)
            return tender_error("cannot signal readiness on fd %d: %s", ready, strerror(errno));
        close(ready);
    }
    struct sock_fprog fprog = {.len = (unsigned short)f->len, .filter = f->insn};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
        return tender_error("cannot install the seccomp filter: %s", strerror(errno));
    return 0;
}
