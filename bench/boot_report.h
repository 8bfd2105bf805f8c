/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench boot`: parses the options, runs the boot-to-first-packet experiment (boot.h) and
 * reports it through the harness (Markdown on stdout and in build/bench/, CSV, the CDF figure).
 */
#ifndef BENCH_BOOT_REPORT_H
#define BENCH_BOOT_REPORT_H

/* argv[0] is "boot". Returns the exit status: 0 report written, 1 benchmark error or a variant
 * that never came up, 2 bad usage. */
int bench_boot_main(int argc, char **argv);

#endif
