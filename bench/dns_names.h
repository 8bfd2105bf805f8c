/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The query set of `unf bench dns --names N`: a generated zone NAMES_ZONE with N names of one A
 * record each, a dnsperf query file asking every name once in a fixed-seed shuffled order (so the
 * dns app's response cache misses nearly always), and the check that a server answers the zone
 * before it is measured.
 */
#ifndef BENCH_DNS_NAMES_H
#define BENCH_DNS_NAMES_H

#define NAMES_ZONE "names.test"

/* Writes ZONEDIR/names.test.zone (h1..hN) and TMPDIR/queries.txt; 0, or -1 when a file could
 * not be written. */
int dns_names_write(long n, const char *zonedir, const char *tmpdir);

/* 0 when the server at ip:port answers hN.names.test with its A record (NOERROR, one answer,
 * the right address), else -1: dnsperf would count a REFUSED or NXDOMAIN as answered too. */
int dns_names_served(const char *ip, int port, long n);

#endif
