/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One campaign's run: the scheduler (job.c: placement, ledger, rate, wait/discard) and the
 * workers (worker.c) that carry jobs through the agent API. campaign.c prepares a job_run and
 * calls job_run_campaign(); the rest is shared by those two files only.
 */
#ifndef CLUSTER_JOB_H
#define CLUSTER_JOB_H

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "spec.h"
#include "store.h"

struct job_node {
    struct store_node rec;
    long mem_used, vcpus_used;  /* reserved on the node: by others at start + this campaign */
    int64_t blocked_until_ms;   /* after a 409: no room until then or until a job there ends */
};

struct job_slot {
    int busy;                   /* a worker has it: only that worker touches the job */
    int holds;                  /* its memory/vCPUs are counted in its node's ledger */
    int resume;                 /* the worker first asks the agent what became of it */
    int released;               /* passed its release time (rate) */
    int outcome;                /* JOB_OUT_* set by the worker for the scheduler */
};

struct job_run {
    struct store *st;
    struct spec spec;
    long id;
    FILE *res;
    int quiet, nworkers;
    struct job_node *nodes;
    size_t nnodes;
    struct store_job *jobs;
    struct job_slot *slots;
    size_t njobs;
    long *queue;                /* job indices for the workers (ring of njobs) */
    size_t qhead, qlen;
    int stopping, inflight;
    int64_t start_ms;
    pthread_mutex_t mu;
    pthread_cond_t cv_main, cv_work;
};

/* Returns 0 (all done/discarded), 1 (some failed), -1 (error, printed). */
int job_run_campaign(struct job_run *r);

/* What a worker reports to the scheduler (job_slot.outcome). */
enum { JOB_OUT_NONE, JOB_OUT_FINISHED, JOB_OUT_NOROOM, JOB_OUT_LOST, JOB_OUT_REQUEUE };

/* Shared by the scheduler (job.c) and the workers (worker.c). */
struct job_node *job_node_by_name(struct job_run *r, const char *name);
/* r->mu held: gives the job's memory/vCPUs back to its node's ledger (once). */
void job_release(struct job_run *r, size_t k);
/* Records j (a copy the caller owns, r->mu not held) as final in the store, then streams its
 * result line; 0 or -1. */
int job_finish(struct job_run *r, struct store_job *j, const char *state, const char *reason, json_t *inst,
               const char *output);
/* The worker thread (pthread start routine, arg = the job_run). */
void *job_worker(void *arg);

#endif
