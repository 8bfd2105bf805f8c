/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A campaign's workers (see job.h): each takes a job from the queue and carries it through the
 * agent API with blocking calls: deploy (or, on resume, find what became of it), long-poll until
 * it ends or its time is up, collect its console, record the result, delete the instance. Every
 * agent call is tried NODE_TRIES times before the node counts as lost; the scheduler then decides
 * (re-place or fail). Locking as in job.c: the worker owns its job until it reports back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "job.h"
#include "node.h"

#define DEPLOY_TIMEOUT_MS 120000L
#define POLL_SLICE_MS 10000L

static void sleep_ms(long ms)
{
    struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&d, NULL);
}

static int final_state(const char *s)
{
    return s && (strcmp(s, "COMPLETED") == 0 || strcmp(s, "FAILED") == 0 || strcmp(s, "DEAD") == 0);
}

/* The instance named j->ms_name on the agent: 1 found (id copied), 0 not there, -1 unreachable. */
static int find_by_name(struct client *c, struct store_job *j, json_t **inst)
{
    char err[256];
    json_t *all = NULL;
    long st = client_call_json(c, "GET", "/v1/instances", NULL, 5000, &all, err, sizeof err);
    if (st < 0) {
        json_decref(all);
        return -1;
    }
    json_t *e;
    size_t i;
    int found = 0;
    json_array_foreach(json_object_get(all, "instances"), i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        const char *id = json_string_value(json_object_get(e, "id"));
        if (name && id && strcmp(name, j->ms_name) == 0) {
            snprintf(j->instance, sizeof j->instance, "%s", id);
            *inst = json_incref(e);
            found = 1;
            break;
        }
    }
    json_decref(all);
    return found;
}

/* Calls the agent up to NODE_TRIES times while it cannot be reached. */
static long call_retry(struct client *c, const char *method, const char *path, long timeout_ms,
                       json_t **out, char *err, size_t errlen)
{
    long st = -1;
    for (int t = 0; t < NODE_TRIES; t++) {
        json_decref(*out);
        *out = NULL;
        st = client_call_json(c, method, path, NULL, timeout_ms, out, err, errlen);
        if (st >= 0)
            return st;
        sleep_ms(200L * (t + 1));
    }
    return st;
}

/* POST the job's SLA. Returns the HTTP status or -1 (node unreachable); *inst the answer. */
static long deploy(struct job_run *r, struct client *c, struct store_job *j, json_t **inst, char *err,
                   size_t errlen)
{
    json_t *sla = spec_job_sla(&r->spec, j->ms_name, (size_t)j->first, (size_t)j->count);
    long st = -1;
    if (!sla) {
        snprintf(err, errlen, "cannot build the SLA");
        return 500;
    }
    for (int t = 0; t < NODE_TRIES; t++) {
        json_decref(*inst);
        *inst = NULL;
        st = client_call_json(c, "POST", "/v1/instances", sla, DEPLOY_TIMEOUT_MS, inst, err, errlen);
        if (st >= 0)
            break;
        /* The request may have reached the agent before the connection broke: never deploy
         * the same job twice on one node. */
        int f = find_by_name(c, j, inst);
        if (f == 1) {
            st = 201;
            break;
        }
        sleep_ms(200L * (t + 1));
    }
    json_decref(sla);
    return st;
}

static void set_outcome(struct job_run *r, size_t k, const struct store_job *j, int outcome)
{
    pthread_mutex_lock(&r->mu);
    r->jobs[k] = *j;
    if (outcome != JOB_OUT_FINISHED && outcome != JOB_OUT_LOST)
        job_release(r, k);
    if (outcome == JOB_OUT_LOST) {
        struct job_node *n = job_node_by_name(r, j->node);
        if (n && strcmp(n->rec.state, "DEAD") != 0) {
            snprintf(n->rec.state, sizeof n->rec.state, "DEAD");
            store_node_state(r->st, n->rec.name, "DEAD", 0);
            fprintf(stderr, "unf cluster: node %s lost (%d failed calls in a row)\n", n->rec.name, NODE_TRIES);
        }
        job_release(r, k);
    }
    r->slots[k].outcome = outcome;
    r->slots[k].busy = 0;
    r->inflight--;
    pthread_cond_signal(&r->cv_main);
    pthread_mutex_unlock(&r->mu);
}

static void run_job(struct job_run *r, size_t k)
{
    struct store_job j;
    struct client c;
    char err[512] = "", url[512], tok[512], path[256];
    json_t *inst = NULL;
    char *logs = NULL;
    int outcome = JOB_OUT_FINISHED, resume;
    pthread_mutex_lock(&r->mu);
    j = r->jobs[k];
    resume = r->slots[k].resume;
    struct job_node *n = job_node_by_name(r, j.node);
    snprintf(url, sizeof url, "%s", n ? n->rec.url : "");
    snprintf(tok, sizeof tok, "%s", n ? n->rec.token_file : "");
    pthread_mutex_unlock(&r->mu);
    if (client_init(&c, url, tok, err, sizeof err) < 0) {
        job_finish(r, &j, JOB_FAILED, err, NULL, NULL);
        set_outcome(r, k, &j, JOB_OUT_FINISHED);
        return;
    }
    long st;
    if (resume) {
        int f;
        if (j.instance[0]) {
            snprintf(path, sizeof path, "/v1/instances/%s", j.instance);
            st = call_retry(&c, "GET", path, 5000, &inst, err, sizeof err);
            f = st < 0 ? -1 : st == 200;
        } else {
            f = find_by_name(&c, &j, &inst);
        }
        if (f < 0) {
            outcome = JOB_OUT_LOST;
            goto out;
        }
        if (f == 0) {               /* never started there, or gone: run it again */
            outcome = JOB_OUT_REQUEUE;
            goto out;
        }
    } else {
        j.deployed_ms = node_now_ms();
        snprintf(j.state, sizeof j.state, JOB_DEPLOYING);
        store_job_update(r->st, &j);
        st = deploy(r, &c, &j, &inst, err, sizeof err);
        if (st < 0) {
            outcome = JOB_OUT_LOST;
            goto out;
        }
        if (st == 409) {
            snprintf(j.reason, sizeof j.reason, "%.200s", err);
            outcome = JOB_OUT_NOROOM;
            goto out;
        }
        const char *id = json_string_value(json_object_get(inst, "id"));
        if (id)
            snprintf(j.instance, sizeof j.instance, "%s", id);
        if (st != 201 && st != 200) {
            pthread_mutex_lock(&r->mu);
            job_release(r, k);
            pthread_mutex_unlock(&r->mu);
            job_finish(r, &j, JOB_FAILED, err, inst, NULL);
            goto cleanup_instance;
        }
    }
    if (!j.running_ms)
        j.running_ms = node_now_ms();
    snprintf(j.state, sizeof j.state, JOB_RUNNING);
    store_job_update(r->st, &j);
    /* Long-poll until the instance ends or the job's time is up (then stop it). */
    int64_t deadline = j.running_ms + r->spec.timeout_ms;
    int timed_out = 0;
    while (!final_state(json_string_value(json_object_get(inst, "state")))) {
        int64_t left = deadline - node_now_ms();
        if (left <= 0) {
            snprintf(path, sizeof path, "/v1/instances/%s/stop", j.instance);
            st = call_retry(&c, "POST", path, 15000, &inst, err, sizeof err);
            timed_out = 1;
            if (st < 0) {
                outcome = JOB_OUT_LOST;
                goto out;
            }
            break;
        }
        long slice = left < POLL_SLICE_MS ? (long)left : POLL_SLICE_MS;
        snprintf(path, sizeof path, "/v1/instances/%s/wait?timeout_ms=%ld", j.instance, slice);
        st = call_retry(&c, "GET", path, slice + 5000, &inst, err, sizeof err);
        if (st < 0) {
            outcome = JOB_OUT_LOST;
            goto out;
        }
        if (st == 404) {
            pthread_mutex_lock(&r->mu);
            job_release(r, k);
            pthread_mutex_unlock(&r->mu);
            job_finish(r, &j, JOB_FAILED, "the instance vanished from its agent", NULL, NULL);
            goto out;
        }
        if (st != 200) {
            sleep_ms(200);
        }
    }
    pthread_mutex_lock(&r->mu);
    job_release(r, k);                  /* the agent released it when it left RUNNING */
    pthread_mutex_unlock(&r->mu);
    snprintf(path, sizeof path, "/v1/instances/%s/logs", j.instance);
    st = client_call(&c, "GET", path, NULL, 15000, &logs, err, sizeof err);
    const char *state = json_string_value(json_object_get(inst, "state"));
    json_t *ec = json_object_get(inst, "exit_code");
    j.has_exit = json_is_integer(ec);
    j.exit_code = j.has_exit ? (int)json_integer_value(ec) : 0;
    const char *why = json_string_value(json_object_get(inst, "reason"));
    if (timed_out)
        why = "timeout";
    else if (st != 200)
        why = "console not available";
    int ok = !timed_out && strcmp(state, "COMPLETED") == 0 && j.has_exit && j.exit_code == 0;
    if (job_finish(r, &j, ok ? JOB_DONE : JOB_FAILED, why, inst, st == 200 ? logs : NULL) < 0) {
        /* Not recorded: leave the instance for resume to collect. */
        goto out;
    }
cleanup_instance:
    if (j.instance[0]) {
        snprintf(path, sizeof path, "/v1/instances/%s", j.instance);
        free(logs);
        logs = NULL;
        client_call(&c, "DELETE", path, NULL, 15000, NULL, err, sizeof err);
    }
out:
    json_decref(inst);
    free(logs);
    client_free(&c);
    set_outcome(r, k, &j, outcome);
}

void *job_worker(void *arg)
{
    struct job_run *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        while (!r->stopping && r->qlen == 0)
            pthread_cond_wait(&r->cv_work, &r->mu);
        if (r->qlen == 0)
            break;
        size_t k = (size_t)r->queue[r->qhead];
        r->qhead = (r->qhead + 1) % r->njobs;
        r->qlen--;
        pthread_mutex_unlock(&r->mu);
        run_job(r, k);
        pthread_mutex_lock(&r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

