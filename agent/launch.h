/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the agent does with instances, through the runtime rather than beside it: deploy (admit,
 * fetch, `unf run -d`), stop (`unf stop`), delete (`unf rm -f`), the look the watcher (watch.c)
 * takes at a running instance's runtime state (unf's instance.json under $UNF_ROOT) to move it
 * to COMPLETED, FAILED or DEAD and release its reservation at once, and re-adoption after a
 * restart.
 * Every function returns an HTTP status for the API and fills err with one line when not 2xx.
 */
#ifndef AGENT_LAUNCH_H
#define AGENT_LAUNCH_H

#include <jansson.h>
#include <stddef.h>

#include "sla.h"

struct launch_config {
    char name[32];              /* the node's name, the prefix of every instance id */
    char arch[16];              /* the kernels it runs: "x86_64" or "aarch64" */
    char unf[4096];             /* the unf binary */
    char cache_dir[2048];
    char platform[24];          /* default --platform ("auto") */
    char accel[8];              /* default --accel ("auto") */
};

void launch_init(const struct launch_config *cfg);

/* POST /v1/instances: *obj is the instance object on 201, and on 5xx when an instance record
 * was made (NULL otherwise). */
int launch_deploy(const struct sla_service *s, json_t **obj, char *err, size_t errlen);
int launch_stop(const char *id, json_t **obj, char *err, size_t errlen);
int launch_delete(const char *id, char *err, size_t errlen);

/* Startup: instances that were CREATING or RUNNING are matched with the runtime's view: running
 * ones whose monitor is alive stay RUNNING (their reservation booked again), the rest move on. */
void launch_adopt(void);
/* The watcher's look at a RUNNING instance: its runtime state read (and a monitor that died
 * without a word cleaned up after); an end moves the record on. 1 when the record is no longer
 * RUNNING (ended now or before, or gone), 0 while it runs, -1 while a stop owns it (look later). */
int launch_check(const char *id);
/* `unfd --cleanup`: removes every instance (unf rm -f) and its record; returns how many failed. */
int launch_cleanup_all(void);

#endif
