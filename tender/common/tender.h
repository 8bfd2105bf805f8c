/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by every tender (proc, hvt) and their modules: limits common to both platforms and how
 * errors are reported. A tender's contract is one line on stderr and exit status 125 for any
 * error of its own, so modules report with tender_error() once, at the point that knows why, and
 * return -1; main() turns that into the exit status.
 */
#ifndef UNF_TENDER_H
#define UNF_TENDER_H

#define TENDER_EXIT_ERROR 125
#define TENDER_NET_MAX    4     /* --net options; equals PLAT_NET_MAX */
#define TENDER_MTU        1500u /* IP MTU of every tap */

/* The program name errors are prefixed with ("unf-proc", "unf-hvt"): each tender defines it. */
extern const char *const tender_name;

/* Prints "<tender_name>: <formatted message>\n" on stderr with one write(2) (also allowed
 * after sealing); always returns -1. */
int tender_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Opens fds 0-2 on /dev/null when missing, so no tap can land on them; -1 (reported) on failure. */
int tender_ensure_std_fds(void);

#endif
