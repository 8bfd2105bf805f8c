/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Campaigns, the vTNT way: a spec (spec.h) becomes jobs (vantage point x target batch) in the
 * store; the run loop deploys each job as a one-shot instance on its node, long-polls it,
 * collects its console and deletes it, and streams one JSON line per finished job. `wait`
 * queues a job while no node has room, `discard` drops it and records why. A node whose API
 * fails NODE_TRIES times in a row is DEAD: its jobs are re-placed (vantage points "all"/"any")
 * or finished as FAILED "node lost". Resume picks up a campaign whose controller died.
 */
#ifndef CLUSTER_CAMPAIGN_H
#define CLUSTER_CAMPAIGN_H

#include <stdio.h>

#include "store.h"

struct campaign_opts {
    const char *results_file;   /* also append result lines here (NULL: stdout only) */
    int workers;                /* jobs in flight at most (threads), 1..256 */
    int quiet;                  /* no result lines on stdout */
};

/* Plans and stores a new campaign from the spec text, then runs it. Returns 0 when every job
 * ended done or discarded, 1 when some failed, -1 on an error (message printed). *id gets the
 * campaign id as soon as it exists (may be NULL). */
int campaign_run(struct store *st, const char *spec_text, size_t len, const struct campaign_opts *o,
                 long *id);
/* Continues a stored campaign (after the controller died): same return values. */
int campaign_resume(struct store *st, long id, const struct campaign_opts *o);

#endif
