/*
 * The boot-to-first-packet experiment (the method of the lightweight virtualization survey):
 * the time from launching an instance until the first UDP datagram it sends reaches a listener
 * on the host, for the echo app as a proc unikernel, as a QEMU microvm and q35 guest, as a native
 * process, as a runc container, and through the full `unf run -d` path. Also the idle host
 * memory (PSS) of one instance per variant and the on-disk sizes of what each variant boots.
 */
#ifndef BENCH_BOOT_H
#define BENCH_BOOT_H

#include <stddef.h>

#include "stats.h"

enum bench_variant {
    BENCH_V_PROC,
    BENCH_V_UNF_RUN,
    BENCH_V_MICROVM,
    BENCH_V_Q35,
    BENCH_V_NATIVE,
    BENCH_V_RUNC,
    BENCH_V_COUNT
};

struct bench_boot_opts {
    int runs;           /* timed launches per variant */
    unsigned only;      /* bit (1 << enum bench_variant) per variant to run; 0 = all */
    long timeout_ms;    /* per launch */
};

struct bench_row {
    const char *id;     /* --only name: proc, unf-run, qemu-microvm, qemu-q35, native, runc */
    char name[32];      /* row name; qemu rows carry the accelerator (qemu-tcg-microvm) */
    char what[160];     /* what one launch starts */
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
    int kvm;            /* QEMU rows used KVM */
    int runs;
    int interrupted;
    double seconds;     /* wall time of the whole benchmark */
};

/* The bit of a variant name for --only (accepts the row names too); -1 when unknown. */
int bench_boot_variant_bit(const char *name);
/* "proc, unf-run, ..." for messages. */
const char *bench_boot_variant_list(void);

/* Runs the experiment. Returns 0 (rows carry per-variant failures), or -1 with err when the
 * benchmark itself could not run (another one running, no listener socket). Always cleans up. */
int bench_boot_run(const struct bench_boot_opts *o, struct bench_boot_result *r, char *err, size_t errlen);
void bench_boot_free(struct bench_boot_result *r);

#endif
