/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench campaign`: the controller (`unf cluster`) over real agents (`unfd`) on this
 * machine. (1) Controller overhead per deployment: a one-job campaign on an idle node, from
 * the campaign's request to the instance RUNNING as the controller sees it, minus the
 * instance's own boot (`unf run -d` of the same image on the same node, measured in the same
 * run); target < 20 ms. The CLI's own start (process, state file, plan) happens once per
 * campaign and is reported beside it, not charged to each deployment. (2) N one-shot probe
 * deployments across the agents: none lost, time, deployments per second.
 */
#ifndef BENCH_CAMPAIGN_H
#define BENCH_CAMPAIGN_H

int bench_campaign_main(int argc, char **argv);

#endif
