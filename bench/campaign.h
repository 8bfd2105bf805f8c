/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench campaign`: the controller (`unf cluster`) over real agents (`unfd`) on this
 * machine. (1) Overhead per deployment: a one-job campaign on an idle node, from the
 * controller's deployment request to the instance RUNNING as the controller sees it, minus the
 * instance's own boot (`unf run -d` of the same image on the same node, measured in the same
 * run); target < 20 ms. What happens once per campaign (CLI start, state file, plan, node facts
 * refreshed) is reported beside it, and the whole first deployment too. (2) N one-shot probe
 * deployments across the agents: none lost, time, deployments per second.
 */
#ifndef BENCH_CAMPAIGN_H
#define BENCH_CAMPAIGN_H

int bench_campaign_main(int argc, char **argv);

#endif
