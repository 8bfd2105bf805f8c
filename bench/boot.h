/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot-to-first-packet experiment (the method of the lightweight virtualization survey):
 * the time from launching an instance until the first UDP datagram it sends reaches a listener
 * on the host, for the echo app on every unf platform (proc, hvt, QEMU microvm and q35 on KVM and
 * on TCG), as a native process, as a runc container, and through the full `unf run -d` path.
 * Every unikernel launch is the argv of the runtime's own driver (runtime/driver.h), so a row
 * measures exactly what `unf run` starts. Also the idle host memory (PSS) of one instance per
 * variant and the on-disk sizes of what each variant boots.
 */
#ifndef BENCH_BOOT_H
#define BENCH_BOOT_H

#include <stddef.h>

#include "stats.h"

enum bench_variant {
    BENCH_V_PROC,
    BENCH_V_HVT,
    BENCH_V_MICROVM_KVM,
    BENCH_V_Q35_KVM,
    BENCH_V_MICROVM_TCG,
    BENCH_V_Q35_TCG,
    BENCH_V_NATIVE,
    BENCH_V_RUNC,
    BENCH_V_UNF_RUN,
    BENCH_V_COUNT
};

struct bench_boot_opts {
    int runs;           /* timed launches per variant */
    unsigned only;      /* bit (1 << enum bench_variant) per variant to run; 0 = all */
    long timeout_ms;    /* per launch */
};

struct bench_row {
    const char *id;     /* --only name: proc, hvt, qemu-microvm-kvm, ..., native, runc, unf-run */
    char name[32];      /* row name (the id) */
    char accel[8];      /* "kvm", "tcg" or "none" (unf-run: what the runtime picked) */
    char what[768];     /* what one launch starts (driver rows: the driver's argv) */
    int selected;       /* asked for (by --only) */
    int skipped;        /* prerequisites missing: see note */
    int ok, failed;     /* timed launches */
    double *samples;    /* ok launches in run order, ms */
    struct bench_stats st; /* valid when ok > 0 */
    long pss_kib;       /* idle PSS of one instance; -1 when not measured */
    int pss_procs;      /* processes summed */
    char mem[8];        /* guest memory given (unikernels), "" otherwise */
    char note[512];
};

struct bench_size {
    const char *what;
    char path[256];
    int present;
    long long apparent, disk;
};

#define BENCH_MAX_SIZES 6

struct bench_boot_result {
    struct bench_row rows[BENCH_V_COUNT];
    struct bench_size sizes[BENCH_MAX_SIZES];
    int nsizes;
    int kvm_usable;     /* /dev/kvm answers: the KVM rows run */
    int kvm_hardware;   /* ... and the CPU has vmx/svm (else a software KVM such as kvm_pvm) */
    int runs;
    int interrupted;
    double seconds;     /* wall time of the whole benchmark */
};

/* The bits (1 << enum bench_variant) a --only name selects (row names, and the older names:
 * qemu-microvm selects both microvm rows); 0 when unknown. */
unsigned bench_boot_variant_mask(const char *name);
/* "proc, hvt, ..." for messages. */
const char *bench_boot_variant_list(void);

/* Runs the experiment. Returns 0 (rows carry per-variant failures), or -1 with err when the
 * benchmark itself could not run (another one running, no listener socket). Always cleans up. */
int bench_boot_run(const struct bench_boot_opts *o, struct bench_boot_result *r, char *err, size_t errlen);
void bench_boot_free(struct bench_boot_result *r);

#endif
