/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firewall classifier's peer for `unf-bench fw`: DPDK's rte_acl through Debian's
 * dpdk-test-acl, run as its own process on the same ClassBench rule file and header trace
 * (bench_fw_write_classbench, bench_fw_write_trace), without hugepages or PCI, pinned to one
 * core. From its output: lookups/s on that core, runtime memory (the ACL build's "total"
 * footprint), build time (from the last EAL line to the build's first log line: it includes
 * reading the rule file), its peak resident memory, and optionally its answer for each trace
 * header, so the benchmark can check both classifiers agree. Its trace reader writes one
 * record past --tracenum when the file has more lines than that (DPDK 22.11's tracef_init):
 * give it a trace of exactly --tracenum lines.
 */
#ifndef BENCH_FW_DPDK_H
#define BENCH_FW_DPDK_H

#include <stddef.h>

struct bench_fw_dpdk_run {
    const char *bin;       /* dpdk-test-acl */
    const char *rules;     /* ClassBench rule file, rules in priority order */
    long nrules;
    const char *trace;     /* header trace */
    long ntrace;
    const char *alg;       /* "scalar", "sse", "avx2", ... */
    long iters;            /* passes over the trace (timed) */
    int cpu;               /* core to pin to; -1: leave it */
    long timeout_ms;
    long *answers;         /* when set: the verify run; answers[0..ntrace) = rule index or -1 */
};

struct bench_fw_dpdk_result {
    int ok;
    double lookups_per_s;
    double build_ms;
    double mem_bytes;      /* the runtime footprint rte_acl reports */
    double peak_rss_mib;   /* the process's peak resident memory (the build's working set) */
    char note[200];        /* why not ok */
};

/* The dpdk-test-acl on PATH: 0 and its path, -1 when missing. */
int bench_fw_dpdk_find(char *path, size_t len);

/* The best vector path this CPU runs ("avx512x16", "avx2", "sse") or NULL. */
const char *bench_fw_dpdk_vector_alg(void);

/* One run. 0 with res->ok set, -1 with res->note saying why (not started, timed out, failed,
 * output not understood). Leaves nothing behind (its own EAL runtime directory removed). */
int bench_fw_dpdk_exec(const struct bench_fw_dpdk_run *run, struct bench_fw_dpdk_result *res);

#endif
