/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's instance table: one record per deployment (id, state, resources, timings), kept
 * in memory under one mutex and persisted as <state>/instances/<id>.json (written atomically) so
 * a restarted agent finds its instances again. A condition variable wakes long-polls (wait, logs
 * follow) whenever a record changes. The runtime's own view of each instance (unf's
 * instance.json under $UNF_ROOT) is read by launch.c; this file only holds the agent's.
 */
#ifndef AGENT_INSTANCES_H
#define AGENT_INSTANCES_H

#include <jansson.h>

enum inst_state { INST_CREATING, INST_RUNNING, INST_COMPLETED, INST_FAILED, INST_DEAD };

#define INST_ID_MAX 40          /* also a runtime instance name (instance_name_valid) */

struct inst {
    char id[INST_ID_MAX + 1];
    char name[41];              /* microservice_name */
    enum inst_state state;
    int one_shot;
    char arch[16], platform[24], accel[8];
    unsigned memory_mib, vcpus;
    int reserved;               /* holds memory_mib/vcpus of the node (while CREATING/RUNNING) */
    int exit_code;              /* -1: none (null) */
    char reason[256];
    long long created_ms, running_ms, finished_ms; /* wall clock; 0: not yet */
    char image_sha256[65];
    char ip[20];                /* the guest's address on the node's bridge */
    long long fetch_ms, run_ms, fetched_bytes; /* where the deploy time went */
    int stopping;               /* a stop request owns its ending: the watcher keeps off (not saved) */
};

const char *inst_state_name(enum inst_state s);
int inst_state_final(enum inst_state s);

/* Loads the records in <state_dir>/instances; 0 or -1 with err. */
int instances_init(const char *state_dir, char *err, size_t errlen);

void instances_lock(void);
void instances_unlock(void);
/* Wakes every waiter (call after a change, lock held or not). */
void instances_broadcast(void);
/* Waits (lock held) for a broadcast or until the wall-clock deadline (ms); 0, or -1 at the deadline. */
int instances_wait_until(long long deadline_ms);

/* All below: lock held. */
struct inst *instances_find(const char *id);
int instances_count(void);
struct inst *instances_at(int i);
/* A new record with a fresh id "<prefix>-NNNNNN", added to the table and saved; NULL on error. */
struct inst *instances_new(const char *prefix, char *err, size_t errlen);
int instances_save(const struct inst *in);
/* Drops the record from the table and from disk. */
void instances_remove(const char *id);

/* The API's instance object (new reference). */
json_t *inst_to_json(const struct inst *in);

long long instances_now_ms(void);

#endif
