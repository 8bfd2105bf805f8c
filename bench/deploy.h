/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench deploy`: vTNT's deploy + execute experiment through the node agent. Per run, with
 * an empty image cache: POST an Oakestra SLA to unfd (which fetches probe.unf over HTTP, checks
 * its sha256 and boots it), wait for the one-shot trace to end, read its output from the logs,
 * DELETE it; interleaved with the same through runc (bench/probe_deploy.c's container run). All
 * on the probe benchmark's testbed (bench/probe_env.c): the agent runs in the source namespace,
 * so its instances trace the same four-hop path the container does. Reports medians, p95, the
 * runc/unikernel ratio, and the agent's own share of the time (POST->RUNNING minus what the
 * `unf run -d` and the fetch inside it took, as unfd measured them in that same request).
 */
#ifndef BENCH_DEPLOY_H
#define BENCH_DEPLOY_H

int bench_deploy_main(int argc, char **argv);

#endif
