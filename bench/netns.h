/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The benchmarks' network plumbing, in one place: network namespaces, veth pairs (to the host
 * or between two namespaces), batches of ip commands inside a namespace, sysctls, and entering
 * a namespace in a child. Every command goes through the runtime's cmd_run (runtime/cmd.c):
 * `ip [-n NS] -batch -` with the commands on stdin, no shell, a deadline. Experiments only say
 * which namespaces and links they want; none of them spells `ip netns add` itself.
 */
#ifndef BENCH_NETNS_H
#define BENCH_NETNS_H

#include <stddef.h>

/* Runs the printf-built, newline-separated ip commands as `ip [-n NS] -batch -` (ns NULL: the
 * host). On failure err gets "ip -batch: OUTPUT". */
int bench_ip_batch(const char *ns, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Creates namespace ns with lo up; a stale one of a killed run is removed first. */
int bench_ns_add(const char *ns, char *err, size_t errlen);

/* Deletes namespace ns when it exists (its links go with it); -1 if it would not go. */
int bench_ns_del(const char *ns);

/* Deletes host link dev when it exists (waiting briefly for a dying namespace to take it). */
int bench_link_del(const char *dev);

/* A veth pair from the host to ns: host end host_dev with host_cidr, up; the peer is eth0 in
 * ns with ns_cidr, up. */
int bench_veth_host(const char *host_dev, const char *host_cidr, const char *ns, const char *ns_cidr, char *err,
                    size_t errlen);

/* A veth pair between two namespaces: dev1 in ns1, dev2 in ns2 (both down, no address). */
int bench_veth_pair(const char *ns1, const char *dev1, const char *ns2, const char *dev2, char *err, size_t errlen);

/* `sysctl -q -w` of each "key=value" of a NULL-terminated list inside ns. */
int bench_ns_sysctl(const char *ns, const char *const settings[], char *err, size_t errlen);

/* In a child: joins namespace ns (setns). -1 on error; the caller _exits. */
int bench_ns_enter(const char *ns);

#endif
