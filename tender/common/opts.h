/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The command line every tender (unf-proc, unf-hvt) takes:
 *   unf-<platform> [--mem BYTES] [--net TAPNAME[,MAC]]... [--archive FILE] [--] KERNEL [CMDLINE...]
 * Options stop at KERNEL: every word after it belongs to the guest, "--" and "-x" included,
 * and they are joined with single spaces into the guest's command line, as they are: the
 * guest (guest/start.c) groups words with double quotes, so pass "\"two words\"" for one.
 */
#ifndef UNF_TENDER_OPTS_H
#define UNF_TENDER_OPTS_H

#include <stddef.h>

#include "tender.h"

#define OPTS_DEFAULT_MEM ((size_t)32 << 20)
#define OPTS_MIN_MEM     ((size_t)1 << 20)
#define OPTS_MAX_MEM     ((size_t)64 << 30)

struct opts {
    size_t mem;                          /* BYTES, a multiple of the page size */
    const char *nets[TENDER_NET_MAX];  /* "TAPNAME[,MAC]" as given */
    unsigned net_count;
    const char *archive;                 /* NULL: no archive */
    const char *kernel;
    char *cmdline;                       /* malloc'd, "" when no words follow KERNEL */
    int help;                            /* --help: print usage, nothing else */
};

/* Fills *o from argv; -1 (error reported) on a bad command line. */
int opts_parse(int argc, char **argv, struct opts *o);
/* Parses BYTES: a decimal number with an optional K, M or G suffix (powers of 1024). */
int opts_parse_size(const char *text, size_t *bytes);
void opts_free(struct opts *o);
/* What a tender's main() starts with: parses argv (0: go on with *o) or ends the work here
 * (-1: main returns *status, 0 after --help printed the usage, 125 on a reported error). */
int opts_setup(int argc, char **argv, struct opts *o, const char *what, int *status);
/* Prints the usage text, with `what` (one or more lines) describing this tender. */
void opts_usage(const char *what);

#endif
