/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench dns`: dnsperf against the dns unikernel (proc), the native build of the same
 * source and NSD, serving the same zones, at a rising query rate until each saturates (the
 * CETIC method, shortened to seconds per step). Code in bench/dns.c.
 */
#ifndef BENCH_DNS_H
#define BENCH_DNS_H

/* argv starts at "dns". Returns 0 report written, 1 benchmark error, 2 bad usage. */
int bench_dns_main(int argc, char **argv);

#endif
