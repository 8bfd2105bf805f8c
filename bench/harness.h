/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one harness every experiment of unf-bench reports through: the run's identity (date,
 * file stamp, output directory), the description of the machine it ran on, the files it writes
 * (Markdown and CSV, named DIR/EXPERIMENT-STAMP*.{md,csv}), verdicts on targets in one wording
 * ("met", "NOT met", "not measurable here (why)"), where the runtime's binaries are, and the
 * figures drawn from the CSV files with gnuplot (skipped with a note when gnuplot is missing).
 */
#ifndef BENCH_HARNESS_H
#define BENCH_HARNESS_H

#include <getopt.h>
#include <limits.h>
#include <stdio.h>

struct bench_machine {
    char cpu[128];
    long cores;
    char kernel[128];
    long mem_mib;
    int in_vm; /* the CPU flags say "hypervisor": this host is itself a VM */
    char qemu[128];
    char runc[64];
};

struct bench_run {
    const char *experiment; /* "boot", "probe", "fw", "dns", "http": the files' prefix */
    char dir[PATH_MAX];     /* output directory (default build/bench) */
    char date[32];          /* local time the run started */
    char stamp[32];         /* YYYYmmdd-HHMMSS for file names */
    struct bench_machine m;
    char written[4096]; /* the files written so far, for the closing "bench: wrote" line */
};

#define BENCH_OUT_DEFAULT "build/bench"

/* Starts a run: stamp, date, machine description; creates dir. -1 (message printed) on error. */
int bench_run_begin(struct bench_run *r, const char *experiment, const char *dir);

/* Opens DIR/EXPERIMENT-STAMP<suffix> for writing (suffix e.g. ".md", "-samples.csv"); path gets
 * its name. NULL with a message on stderr when it cannot. */
FILE *bench_run_open(struct bench_run *r, const char *suffix, char *path, size_t pathlen);

/* Closes a file from bench_run_open, remembers it for bench_run_end; -1 with a message. */
int bench_run_close(struct bench_run *r, FILE *f, const char *path);

/* Prints "bench: wrote FILES" on stderr. */
void bench_run_end(const struct bench_run *r);

/* One Markdown bullet describing the machine: "- Machine: CPU, N cores, ... ; QEMU; runc." */
void bench_machine_md(FILE *f, const struct bench_run *r);

/* Verdict of a target: "met" or "NOT met"; not measured: "not measurable here (why)". The
 * returned text lives in a static buffer for the not-measurable case: print it right away. */
const char *bench_verdict(int measured, int met, const char *why);

/* A CSV cell of free text, quoted (quotes doubled). */
void bench_csv_text(FILE *f, const char *s);

/*
 * Draws DIR/EXPERIMENT-STAMP-NAME.png with gnuplot from `script` (gnuplot commands; the harness
 * sets the terminal and output first, and defines the string variables `csv` = the given CSV
 * path and `title`). Writes the script next to the figure (…-NAME.gp) so it can be re-run. A
 * missing gnuplot or a failing script is a note on stderr and in `note` (when given), never an
 * error of the run. Returns 1 when the figure was drawn, 0 otherwise.
 */
int bench_plot(struct bench_run *r, const char *name, const char *csv, const char *title, const char *script,
               char *note, size_t notelen);

/* A whole decimal number in [lo, hi]; -1 for NULL, empty, junk or out of range. */
int bench_parse_long(const char *s, long lo, long hi, long *out);

/* The one-line complaint, through the experiment's bad_usage(what, arg), for what getopt_long
 * returned: ':' a missing value, anything else an unknown option; c = 0: a word left after the
 * options. Returns bad_usage's status (2). */
int bench_opt_fail(int c, char **argv, int (*bad_usage)(const char *what, const char *arg));

/* getopt_long codes of the options most experiments share (above any character an experiment
 * uses for its own): put BENCH_OPTION_OUT etc. in the experiment's option table. */
enum { BENCH_OPT_OUT = 0x100, BENCH_OPT_ONLY, BENCH_OPT_QUICK, BENCH_OPT_RUNS };
#define BENCH_OPTION_OUT {"out", required_argument, NULL, BENCH_OPT_OUT}
#define BENCH_OPTION_ONLY {"only", required_argument, NULL, BENCH_OPT_ONLY}
#define BENCH_OPTION_QUICK {"quick", no_argument, NULL, BENCH_OPT_QUICK}
#define BENCH_OPTION_RUNS {"runs", required_argument, NULL, BENCH_OPT_RUNS}
#define BENCH_RUNS_MAX 10000

/* The shared options of one experiment: what the command line said, and how to read and refuse it. */
struct bench_opts {
    const char *out; /* --out DIR; the experiment sets the default (BENCH_OUT_DEFAULT) */
    int quick;       /* --quick was given */
    int runs;        /* --runs N, 1..BENCH_RUNS_MAX; 0 when not given */
    unsigned only;   /* --only: the bits of every name listed (repeats add up); 0 when not given */
    /* --only's names: bit i for names[i] (nnames of them), or, when names is NULL, the bits
     * name_bits returns (0: no such name), for experiments whose names have aliases */
    const char *const *names;
    int nnames;
    unsigned (*name_bits)(const char *name);
    const char *only_what; /* the complaint about a bad --only list */
    const char *out_what;  /* the complaint about an empty --out; NULL: "--out wants a directory" */
    int (*bad_usage)(const char *what, const char *arg); /* prints the one line, returns 2 */
};

/*
 * getopt_long over argv with options (our own one-line messages, not getopt's), taking the
 * shared options into o: returns the next option that is the experiment's own (optarg set), or
 * -1 at the end, with *status 0 when the command line was good, else the exit status of the
 * complaint already printed (2: an unknown option, a missing or bad value, a word left over).
 */
int bench_next_opt(int argc, char **argv, const struct option *options, struct bench_opts *o, int *status);

/* The repository root: unf-bench lives at ROOT/build/bin/unf-bench; else the working directory. */
int bench_root(char *root, size_t len);

/* The unf CLI installed next to unf-bench (for `unf run`, `unf inspect`, `unf rm`). */
int bench_unf_path(char *path, size_t len);

#endif
