/*
 * Entry point of `unf bench ...`: the runtime's main dispatches here (and links a weak fallback
 * when bench/ is absent). Subcommands: `boot` (boot-to-first-packet, bench/boot.c).
 */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

/*
 * argv starts at the word "bench" (a leading program name "unf" is tolerated too), then the
 * subcommand and its options. Returns the process exit status: 0 report written, 1 benchmark
 * error or a variant that never came up, 2 bad usage.
 */
int bench_main(int argc, char **argv);

#endif
