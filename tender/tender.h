/*
 * Shared by the tender's modules (opts, tap, elf, mem, seal, main): how errors are reported.
 * The tender's contract is one line on stderr and exit status 125 for any error of its own, so
 * modules report with tender_error() once, at the point that knows why, and return -1; main()
 * turns that into the exit status.
 */
#ifndef UNF_TENDER_H
#define UNF_TENDER_H

#define TENDER_EXIT_ERROR 125

/* Prints "unf-proc: <formatted message>\n" on stderr; always returns -1. */
int tender_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
