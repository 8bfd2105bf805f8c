/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The controller's state on disk: one SQLite file (WAL mode) with nodes, services, campaigns,
 * jobs and results. Every job's state change and every finished result is committed before the
 * controller acts on it, which is what lets `campaign resume` lose no finished result. One
 * connection shared by the controller's threads, serialised by the handle's mutex.
 */
#ifndef CLUSTER_STORE_H
#define CLUSTER_STORE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

struct store {
    sqlite3 *db;
    pthread_mutex_t mu;
};

struct store_node {
    char name[64];
    char url[512];              /* unix:/path.sock or http://ADDR:PORT */
    char token_file[512];       /* "" when none */
    char arch[16];
    char *facts;                /* GET /v1/node as last seen (JSON text), malloc'ed */
    long mem_cap, vcpus_cap;
    char state[8];              /* UP, DEAD */
    int64_t last_seen_ms;
};

/* Job states, as stored. */
#define JOB_QUEUED "queued"
#define JOB_DEPLOYING "deploying"   /* POST sent: an instance may exist on the node */
#define JOB_RUNNING "running"
#define JOB_DONE "done"
#define JOB_FAILED "failed"
#define JOB_DISCARDED "discarded"

struct store_job {
    long campaign, idx;
    char vp[64];                /* "" when any node may run it */
    long first, count;          /* the slice of the spec's targets */
    char state[12];
    char node[64];
    char instance[64];
    char ms_name[96];           /* the microservice name of the current attempt */
    long attempts;
    int64_t queued_ms, deployed_ms, running_ms, finished_ms;    /* 0: not yet */
    int has_exit;
    int exit_code;
    char reason[256];
};

struct store_counts {
    long requested, queued, scheduled, running, done, failed, discarded;
};

int store_open(const char *path, struct store *st);
void store_close(struct store *st);

int store_node_put(struct store *st, const struct store_node *n);
int store_node_state(struct store *st, const char *name, const char *state, int64_t seen_ms);
/* 1 removed, 0 unknown, -1 error. */
int store_node_rm(struct store *st, const char *name);
/* All nodes by name; store_nodes_free() after. */
int store_nodes_load(struct store *st, struct store_node **out, size_t *n);
void store_nodes_free(struct store_node *v, size_t n);

int store_service_add(struct store *st, const char *name, const char *node, const char *instance,
                      const char *sla, int64_t now_ms);
/* Calls fn for every service, oldest first. */
int store_services_each(struct store *st, void (*fn)(void *ctx, const char *name, const char *node,
                                                     const char *instance, int64_t created_ms),
                        void *ctx);

/* A new campaign with its jobs (state queued), in one transaction; its id in *id. */
int store_campaign_add(struct store *st, const char *name, const char *spec_json,
                       const struct store_job *jobs, size_t n, int64_t now_ms, long *id);
/* The campaign's spec (malloc'ed) and state; 0, 1 unknown id, -1 error. */
int store_campaign_get(struct store *st, long id, char **spec_json, char *state, size_t len);
int store_campaign_set_state(struct store *st, long id, const char *state, int64_t now_ms);
/* The newest campaign's id, 0 if none. */
long store_campaign_last(struct store *st);
int store_campaign_ids(struct store *st, long **ids, size_t *n);

int store_jobs_load(struct store *st, long campaign, struct store_job **out, size_t *n);
int store_job_update(struct store *st, const struct store_job *j);
/* The job's final state and its JSONL result line, in one transaction. */
int store_job_finish(struct store *st, const struct store_job *j, const char *line);
int store_results_print(struct store *st, long campaign, FILE *f);
int store_counts(struct store *st, long campaign, struct store_counts *c);

#endif
