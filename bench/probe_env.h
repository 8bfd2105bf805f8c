/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The world `unf bench probe` measures in, built once per benchmark and removed at the end (also
 * after errors and ^C): a four-hop path of Linux-forwarding namespaces (src with the bridge that
 * every instance sits on, two routers, a destination answering for a whole /16), a namespace for
 * the native process and the runc container, a pool of taps for the unikernels, the runc bundle,
 * a loopback HTTP server holding the images, and a helper that starts a command inside a
 * namespace and a cgroup. Every variant of every experiment uses this same path.
 */
#ifndef BENCH_PROBE_ENV_H
#define BENCH_PROBE_ENV_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define PENV_WORK "/run/unf-bench-probe"
#define PENV_NS_SRC "unfbp-src"       /* bridge br0 (gateway 10.92.0.1), taps, router side */
#define PENV_NS_CT "unfbp-ct"         /* native process and runc container: 10.92.0.2 */
#define PENV_GW "10.92.0.1"           /* the "host's own address" instances trace */
#define PENV_TARGET "10.93.3.2"       /* four hops away: gateway, r1, r2, destination */
#define PENV_FAR_PREFIX "10.94.0."    /* addresses the destination answers for (rate test) */
#define PENV_SILENT "10.95.0.1"       /* blackholed at the gateway: a probe there waits */
#define PENV_CGROUP "benchprobe"      /* runtime cgroup module name: unf-benchprobe */
#define PENV_MAX_TAPS 256

enum penv_variant { PV_NATIVE, PV_RUNC, PV_PROC, PV_QEMU, PV_COUNT };

struct penv {
    char root[PATH_MAX];               /* the repository */
    char native[PATH_MAX + 32], unf_proc[PATH_MAX + 32];
    char kproc[PATH_MAX + 48], kvirtio[PATH_MAX + 48], image[PATH_MAX + 32];
    char qemu[PATH_MAX], runc[PATH_MAX], curl[PATH_MAX], busybox[PATH_MAX], scamper[PATH_MAX];
    char www[PATH_MAX], bundle[PATH_MAX], runc_root[PATH_MAX], logs[PATH_MAX];
    int kvm;                           /* QEMU on KVM: as the runtime would (hardware KVM only) */
    int ntaps;                         /* taps tp0.. created in src */
    int net_up, work_made, cgroup_made;
    pid_t httpd;                       /* busybox httpd on 127.0.0.1:port, -1 when none */
    unsigned port;
    unsigned seq;                      /* names containers */
    char skip[PV_COUNT][160];          /* why a variant cannot run here; "" when it can */
};

/* Finds binaries and the repository, removes leftovers of a killed run, builds the path and the
 * artefacts. Returns -1 with err when the benchmark cannot run at all. */
int penv_up(struct penv *e, char *err, size_t errlen);
/* Removes everything penv_up and the experiments made; safe to call more than once. */
void penv_down(struct penv *e);

/* Removes the benchmark's containers and its cgroup (with what runc made under it). */
void penv_cgroup_down(struct penv *e);

/* Makes sure taps tp0..tp(n-1) exist in src, on br0. Returns how many exist. */
int penv_taps(struct penv *e, int n);

/* Unikernel address, MAC and tap of slot i (i < PENV_MAX_TAPS). */
void penv_slot(int i, char ip[20], char mac[20], char tap[16]);

/* Variant display name: native, runc, proc, qemu-microvm-tcg / qemu-microvm-kvm. */
const char *penv_name(const struct penv *e, int v);

/*
 * Starts argv in its own process group, in network namespace ns (name, or NULL for the current
 * one), in the benchmark's cgroup when cg is set, stdout+stderr to log (or /dev/null).
 * Returns the pid, or -1.
 */
pid_t penv_spawn(const char *const argv[], const char *ns, int cg, const char *log);
/* Waits for pid up to timeout_ms; kills its group on timeout. Returns 0 and the status, or -1
 * (timed out or interrupted). */
int penv_wait(pid_t pid, long timeout_ms, int *status);
/* penv_spawn + penv_wait; returns the exit status (128+signal), or -1. */
int penv_run(const char *const argv[], const char *ns, int cg, const char *log, long timeout_ms);

/* Writes the runc config for a container running args (NULL-terminated) into dir/config.json:
 * rootfs (read-only) at the given path, joining the ct namespace, CAP_NET_RAW added (as Docker's
 * default has it), its cgroup at cgpath when given. Returns -1 with a message on stderr. */
int penv_runc_config(struct penv *e, const char *dir, const char *rootfs, const char *const args[],
                     const char *cgpath);

/* argv for a unikernel variant (proc or qemu) in slot i, running the probe with args (kernel
 * given, or the built one; archive optional): the runtime driver's argv (argv[0] may need a PATH
 * lookup; penv_spawn does it). Strings live in buf. Returns argc or -1. */
int penv_uk_argv(struct penv *e, int v, int slot, const char *kernel, const char *archive,
                 const char *const args[], const char **argv, int max, char *buf, size_t buflen);

/* Guest exit status 0 as seen from the launcher (QEMU's isa-debug-exit turns 0 into 1). */
int penv_ok_status(int v, int status);

/* Does the file contain needle (read up to 64 KiB)? */
int penv_log_has(const char *path, const char *needle);

#endif
