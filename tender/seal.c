/*
 * The sandbox (see seal.h). The seccomp program is built at run time because the allowed fds
 * are the taps this instance got. Its shape: check the architecture, then one block per allowed
 * system call, "if nr matches: allow when the argument is in the set, else kill", and a final
 * kill. Every block ends in a return, so blocks never fall through into each other.
 */
#include "seal.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "proc_abi.h"
#include "tender.h"

#define MAX_INSNS 64
#define MAX_KEEP  (PROC_ABI_NET_MAX + 2)

struct program {
    struct sock_filter insn[MAX_INSNS];
    unsigned len;
    int overflow;
};

static void emit(struct program *p, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
    if (p->len == MAX_INSNS) {
        p->overflow = 1;
        return;
    }
    p->insn[p->len++] = (struct sock_filter){code, jt, jf, k};
}

static void emit_ret(struct program *p, uint32_t action) { emit(p, BPF_RET | BPF_K, action, 0, 0); }

static void emit_load(struct program *p, uint32_t offset)
{
    emit(p, BPF_LD | BPF_W | BPF_ABS, offset, 0, 0);
}

/* The low 32 bits of argument i: what the kernel uses for int and unsigned int arguments. */
#define ARG_LOW(i) ((uint32_t)offsetof(struct seccomp_data, args[i]))

/* nr unconditionally allowed. Expects the syscall number in A. */
static void allow(struct program *p, uint32_t nr)
{
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
    emit_ret(p, SECCOMP_RET_ALLOW);
}

/* nr allowed when the low word of argument `arg` is one of values[]; otherwise the process is
 * killed. Expects the syscall number in A; leaves it there when nr does not match. */
static void allow_if_arg(struct program *p, uint32_t nr, unsigned arg, const uint32_t *values,
                         unsigned count)
{
    unsigned body = 1 + 2 * count + 1;
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, nr, 0, (uint8_t)body);
    emit_load(p, ARG_LOW(arg));
    for (unsigned i = 0; i < count; i++) {
        emit(p, BPF_JMP | BPF_JEQ | BPF_K, values[i], 0, 1);
        emit_ret(p, SECCOMP_RET_ALLOW);
    }
    emit_ret(p, SECCOMP_RET_KILL_PROCESS);
}

static void build_filter(struct program *p, const int *tap_fds, unsigned tap_count)
{
    uint32_t taps[PROC_ABI_NET_MAX], writable[MAX_KEEP];
    unsigned nw = 0;
    writable[nw++] = 1;
    writable[nw++] = 2;
    for (unsigned i = 0; i < tap_count; i++) {
        taps[i] = (uint32_t)tap_fds[i];
        writable[nw++] = (uint32_t)tap_fds[i];
    }
    static const uint32_t clocks[] = {0 /* CLOCK_REALTIME */, 1 /* CLOCK_MONOTONIC */};

    emit_load(p, (uint32_t)offsetof(struct seccomp_data, arch));
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    emit_ret(p, SECCOMP_RET_KILL_PROCESS);
    /* x32 system calls carry bit 30 in nr; they match none of the exact numbers below. */
    emit_load(p, (uint32_t)offsetof(struct seccomp_data, nr));
    allow_if_arg(p, PROC_SYS_READ, 0, taps, tap_count);
    allow_if_arg(p, PROC_SYS_WRITE, 0, writable, nw);
    allow(p, PROC_SYS_PPOLL);
    allow_if_arg(p, PROC_SYS_CLOCK_GETTIME, 0, clocks, 2);
    allow(p, PROC_SYS_EXIT_GROUP);
    allow(p, PROC_SYS_EXIT);
    emit_ret(p, SECCOMP_RET_KILL_PROCESS);
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

/* Closes every fd not in keep[] (count entries). */
static int close_others(const int *tap_fds, unsigned tap_count)
{
    int keep[MAX_KEEP];
    unsigned n = 0;
    keep[n++] = 1;
    keep[n++] = 2;
    for (unsigned i = 0; i < tap_count; i++)
        keep[n++] = tap_fds[i];
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

int seal_process(const int *tap_fds, unsigned tap_count)
{
    struct program prog;
    memset(&prog, 0, sizeof(prog));
    build_filter(&prog, tap_fds, tap_count);
    if (prog.overflow)
        return tender_error("seccomp filter too long");

    /* A guest killed by the sandbox must not leave a core file behind. */
    struct rlimit no_core = {0, 0};
    if (setrlimit(RLIMIT_CORE, &no_core) < 0)
        return tender_error("cannot disable core dumps: %s", strerror(errno));
    if (close_others(tap_fds, tap_count) < 0)
        return -1;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return tender_error("cannot set no_new_privs: %s", strerror(errno));
    struct sock_fprog fprog = {.len = (unsigned short)prog.len, .filter = prog.insn};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
        return tender_error("cannot install the seccomp filter: %s", strerror(errno));
    return 0;
}
