/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench probe`: the vTNT experiments (image size, deploy + execute, density, probing rate)
 * for the probe app as a native process, a runc container, a proc unikernel and a QEMU guest.
 */
#ifndef BENCH_PROBE_H
#define BENCH_PROBE_H

/* argv starts at the word "probe". Returns the exit status: 0 report written, 1 benchmark error
 * or a variant that never deployed, 2 bad usage. */
int bench_probe_main(int argc, char **argv);

#endif
