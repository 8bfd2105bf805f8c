/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A campaign's run (see job.h): the scheduler, and what it shares with the workers (worker.c):
 * the ledger release and the recording of a finished job. Locking: r->mu guards the ledger,
 * the slots, the queue and a job while no worker has it; a worker owns its job until it clears
 * `busy`, and takes r->mu only to touch the ledger or the shared output. The store has its own
 * lock (always taken after r->mu).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job.h"
#include "node.h"
#include "place.h"

struct job_node *job_node_by_name(struct job_run *r, const char *name)
{
    for (size_t i = 0; i < r->nnodes; i++) {
        if (strcmp(r->nodes[i].rec.name, name) == 0)
            return &r->nodes[i];
    }
    return NULL;
}

/* r->mu held (see job.h). */
void job_release(struct job_run *r, size_t k)
{
    if (!r->slots[k].holds)
        return;
    struct job_node *n = job_node_by_name(r, r->jobs[k].node);
    if (n) {
        n->mem_used -= r->spec.memory_mib;
        n->vcpus_used -= r->spec.vcpus;
        n->blocked_until_ms = 0;
    }
    r->slots[k].holds = 0;
    pthread_cond_signal(&r->cv_main);
}

/* The JSONL result of a finished job. */
static char *result_line(struct job_run *r, const struct store_job *j, json_t *inst, const char *output)
{
    struct job_node *n = j->node[0] ? job_node_by_name(r, j->node) : NULL;
    json_t *targets = json_array();
    for (long i = j->first; targets && i < j->first + j->count && (size_t)i < r->spec.ntargets; i++)
        json_array_append_new(targets, json_string(r->spec.targets[i]));
    json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:o, s:s, s:I, s:I}", "campaign", (json_int_t)r->id,
                          "name", r->spec.name, "job", (json_int_t)j->idx, "node", j->node,
                          "arch", n ? n->rec.arch : "", "targets", targets, "state", j->state,
                          "attempts", (json_int_t)j->attempts, "queued_ms", (json_int_t)j->queued_ms);
    if (!o)
        return NULL;
    const char *plat = json_string_value(json_object_get(inst, "platform"));
    const char *accel = json_string_value(json_object_get(inst, "accel"));
    json_object_set_new(o, "instance", j->instance[0] ? json_string(j->instance) : json_null());
    json_object_set_new(o, "platform", plat ? json_string(plat) : json_null());
    json_object_set_new(o, "accel", accel ? json_string(accel) : json_null());
    json_object_set_new(o, "deployed_ms", j->deployed_ms ? json_integer(j->deployed_ms) : json_null());
    json_object_set_new(o, "running_ms", j->running_ms ? json_integer(j->running_ms) : json_null());
    json_object_set_new(o, "finished_ms", json_integer(j->finished_ms));
    json_object_set_new(o, "exit_code", j->has_exit ? json_integer(j->exit_code) : json_null());
    json_object_set_new(o, "reason", j->reason[0] ? json_string(j->reason) : json_null());
    json_object_set_new(o, "output", json_string(output ? output : ""));
    if (!json_is_string(json_object_get(o, "output")))   /* not UTF-8: keep it, escaped */
        json_object_set_new(o, "output", json_stringn_nocheck(output, strlen(output)));
    char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(o);
    return line;
}

/* Records j (a copy the caller owns) as final in the store, then streams its line. */
int job_finish(struct job_run *r, struct store_job *j, const char *state, const char *reason,
                  json_t *inst, const char *output)
{
    snprintf(j->state, sizeof j->state, "%s", state);
    if (reason)
        snprintf(j->reason, sizeof j->reason, "%s", reason);
    j->finished_ms = node_now_ms();
    char *line = result_line(r, j, inst, output);
    if (!line || store_job_finish(r->st, j, line) < 0) {
        free(line);
        return -1;
    }
    pthread_mutex_lock(&r->mu);
    if (!r->quiet) {
        fputs(line, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    if (r->res) {
        fputs(line, r->res);
        fputc('\n', r->res);
        fflush(r->res);
    }
    pthread_mutex_unlock(&r->mu);
    free(line);
    return 0;
}

/* r->mu held. Hands job k to the workers. */
static void dispatch(struct job_run *r, size_t k, int resume)
{
    r->slots[k].busy = 1;
    r->slots[k].resume = resume;
    r->slots[k].outcome = JOB_OUT_NONE;
    r->queue[(r->qhead + r->qlen) % r->njobs] = (long)k;
    r->qlen++;
    r->inflight++;
    pthread_cond_signal(&r->cv_work);
}

/* r->mu held; the job is the scheduler's (not busy). A final state without an instance. */
static void finish_here(struct job_run *r, size_t k, const char *state, const char *reason)
{
    struct store_job j = r->jobs[k];
    pthread_mutex_unlock(&r->mu);
    job_finish(r, &j, state, reason, NULL, NULL);
    pthread_mutex_lock(&r->mu);
    r->jobs[k] = j;
}

static int is_final(const struct store_job *j)
{
    return strcmp(j->state, JOB_DONE) == 0 || strcmp(j->state, JOB_FAILED) == 0 ||
           strcmp(j->state, JOB_DISCARDED) == 0;
}

/* Vantage points named in the spec are measurement positions: losing one fails its jobs.
 * "all" and "any" ask for coverage, so a lost node's jobs go to another node. */
static int replaceable(const struct job_run *r)
{
    return r->spec.vp_mode != SPEC_VP_LIST;
}

static void requeue(struct job_run *r, size_t k, int unbind)
{
    struct store_job *j = &r->jobs[k];
    snprintf(j->state, sizeof j->state, JOB_QUEUED);
    if (unbind)
        j->vp[0] = '\0';
    j->node[0] = j->instance[0] = '\0';
    j->queued_ms = node_now_ms();
    store_job_update(r->st, j);
}

/* r->mu held: act on what the workers reported. */
static void take_outcomes(struct job_run *r, int64_t now)
{
    for (size_t k = 0; k < r->njobs; k++) {
        struct job_slot *sl = &r->slots[k];
        if (sl->busy || sl->outcome == JOB_OUT_NONE)
            continue;
        int out = sl->outcome;
        sl->outcome = JOB_OUT_NONE;
        struct store_job *j = &r->jobs[k];
        if (out == JOB_OUT_NOROOM) {
            struct job_node *n = job_node_by_name(r, j->node);
            if (n)
                n->blocked_until_ms = now + 1000;
            if (r->spec.policy == SPEC_DISCARD) {
                char why[400];
                snprintf(why, sizeof why, "no room on %s (agent: %s)", j->node, j->reason);
                finish_here(r, k, JOB_DISCARDED, why);
            } else {
                requeue(r, k, 0);
            }
        } else if (out == JOB_OUT_LOST) {
            if (replaceable(r)) {
                fprintf(stderr, "unf cluster: job %ld: node %s lost, re-placing\n", j->idx, j->node);
                requeue(r, k, 1);
            } else {
                finish_here(r, k, JOB_FAILED, "node lost");
            }
        } else if (out == JOB_OUT_REQUEUE) {
            requeue(r, k, 0);
        }
    }
}

/* r->mu held: place and dispatch what may go now; discard or fail what cannot. The nodes'
 * facts are parsed once per pass; the ledger is applied per job. */
static void schedule(struct job_run *r, int64_t now, int64_t start, size_t *released)
{
    size_t nn = r->nnodes ? r->nnodes : 1;
    struct place_node *base = calloc(nn, sizeof *base), *pn = calloc(nn, sizeof *pn);
    long *capm = calloc(nn, sizeof *capm), *capv = calloc(nn, sizeof *capv);
    if (!base || !pn || !capm || !capv)
        goto out;
    struct place_request req = {.narchs = r->spec.narchs, .memory_mib = r->spec.memory_mib,
                                .vcpus = r->spec.vcpus, .platform = r->spec.platform,
                                .accel = r->spec.accel};
    for (int i = 0; i < r->spec.narchs; i++)
        req.archs[i] = r->spec.archs[i];
    for (size_t i = 0; i < r->nnodes; i++) {
        node_to_place(&r->nodes[i].rec, 0, 0, &base[i]);
        capm[i] = r->nodes[i].rec.mem_cap;
        capv[i] = r->nodes[i].rec.vcpus_cap;
    }
    size_t allowed = r->spec.rate > 0 ? (size_t)floor((double)(now - start) / 1000.0 * r->spec.rate) + 1
                                      : r->njobs;
    int unbound_full = 0;       /* an unbound job found no room: the next ones will not either */
    for (size_t k = 0; k < r->njobs; k++) {
        struct store_job *j = &r->jobs[k];
        struct job_slot *sl = &r->slots[k];
        if (sl->busy || strcmp(j->state, JOB_QUEUED) != 0)
            continue;
        if (!sl->released) {
            if (*released >= allowed)
                break;
            sl->released = 1;
            (*released)++;
        }
        if (r->inflight >= r->nworkers)
            break;
        struct job_node *bound = j->vp[0] ? job_node_by_name(r, j->vp) : NULL;
        if (j->vp[0] && (!bound || strcmp(bound->rec.state, "UP") != 0)) {
            if (!replaceable(r)) {
                finish_here(r, k, JOB_FAILED, "node lost");
                continue;
            }
            j->vp[0] = '\0';    /* placed again below, on any node */
            bound = NULL;
        }
        if (!bound && unbound_full && r->spec.policy == SPEC_WAIT)
            continue;
        for (size_t i = 0; i < r->nnodes; i++) {
            struct job_node *n = &r->nodes[i];
            pn[i] = base[i];
            pn[i].up = strcmp(n->rec.state, "UP") == 0 && (!bound || bound == n);
            pn[i].mem_free_mib = n->rec.mem_cap - n->mem_used;
            pn[i].vcpus_free = n->rec.vcpus_cap - n->vcpus_used;
            if (n->blocked_until_ms > now)
                pn[i].mem_free_mib = pn[i].vcpus_free = 0;
        }
        enum place_why why;
        int p = place_pick(pn, r->nnodes, &req, capm, capv, &why);
        if (p < 0) {
            if (why == PLACE_NO_ROOM && !bound)
                unbound_full = 1;
            if (why == PLACE_NO_ROOM && r->spec.policy == SPEC_WAIT)
                continue;
            char reason[256];
            if (why == PLACE_NO_ROOM && bound)
                snprintf(reason, sizeof reason, "no room on %s (%ld/%ld MiB, %ld/%ld vCPUs reserved)",
                         bound->rec.name, bound->mem_used, bound->rec.mem_cap, bound->vcpus_used,
                         bound->rec.vcpus_cap);
            else
                snprintf(reason, sizeof reason, "%s%s", why == PLACE_NO_ROOM ? "no room: " : "cannot place: ",
                         place_why_str(why));
            finish_here(r, k, why == PLACE_NO_ROOM ? JOB_DISCARDED : JOB_FAILED, reason);
            continue;
        }
        struct job_node *n = &r->nodes[p];
        n->mem_used += r->spec.memory_mib;
        n->vcpus_used += r->spec.vcpus;
        sl->holds = 1;
        snprintf(j->node, sizeof j->node, "%s", n->rec.name);
        j->attempts++;
        snprintf(j->ms_name, sizeof j->ms_name, "c%ld-j%ld-a%ld", r->id, j->idx, j->attempts);
        dispatch(r, k, 0);
    }
out:
    free(base);
    free(pn);
    free(capm);
    free(capv);
}

static int setup_nodes(struct job_run *r)
{
    struct store_node *v = NULL;
    size_t n = 0;
    if (store_nodes_load(r->st, &v, &n) < 0)
        return -1;
    r->nodes = calloc(n ? n : 1, sizeof *r->nodes);
    if (!r->nodes) {
        store_nodes_free(v, n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct job_node *jn = &r->nodes[i];
        char err[512];
        jn->rec = v[i];
        v[i].facts = NULL;
        if (node_probe(&jn->rec, &jn->mem_used, &jn->vcpus_used, err, sizeof err) < 0) {
            fprintf(stderr, "unf cluster: node %s is DEAD: %s\n", jn->rec.name, err);
            snprintf(jn->rec.state, sizeof jn->rec.state, "DEAD");
            store_node_state(r->st, jn->rec.name, "DEAD", 0);
        } else {
            store_node_put(r->st, &jn->rec);
        }
    }
    r->nnodes = n;
    store_nodes_free(v, n);
    return 0;
}

/* r->mu held, nothing in flight: each live node's ledger = what its agent says is reserved. */
static void sync_ledgers(struct job_run *r)
{
    for (size_t i = 0; i < r->nnodes; i++) {
        struct job_node *n = &r->nodes[i];
        char err[512];
        if (strcmp(n->rec.state, "UP") != 0)
            continue;
        if (node_probe(&n->rec, &n->mem_used, &n->vcpus_used, err, sizeof err) < 0) {
            fprintf(stderr, "unf cluster: node %s lost: %s\n", n->rec.name, err);
            snprintf(n->rec.state, sizeof n->rec.state, "DEAD");
            store_node_state(r->st, n->rec.name, "DEAD", 0);
        }
        n->blocked_until_ms = 0;
    }
}

int job_run_campaign(struct job_run *r)
{
    pthread_t th[256];
    int nth = 0, rc = -1;
    size_t released = 0;
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv_main, NULL);
    pthread_cond_init(&r->cv_work, NULL);
    if (setup_nodes(r) < 0 || store_jobs_load(r->st, r->id, &r->jobs, &r->njobs) < 0)
        goto out;
    r->slots = calloc(r->njobs ? r->njobs : 1, sizeof *r->slots);
    r->queue = calloc(r->njobs ? r->njobs : 1, sizeof *r->queue);
    if (!r->slots || !r->queue)
        goto out;
    for (int i = 0; i < r->nworkers; i++) {
        if (pthread_create(&th[nth], NULL, job_worker, r) != 0)
            break;
        nth++;
    }
    if (nth == 0) {
        fprintf(stderr, "unf cluster: cannot start worker threads\n");
        goto out;
    }
    r->start_ms = node_now_ms();
    int64_t start = r->start_ms;
    pthread_mutex_lock(&r->mu);
    /* Jobs that were out when the controller stopped: ask their agents first. The rate counts
     * releases of this run only (`released`), so a resumed campaign goes on at its rate. */
    for (size_t k = 0; k < r->njobs; k++) {
        struct store_job *j = &r->jobs[k];
        r->slots[k].released = strcmp(j->state, JOB_QUEUED) != 0 || j->attempts > 0;
        if (strcmp(j->state, JOB_DEPLOYING) == 0 || strcmp(j->state, JOB_RUNNING) == 0) {
            struct job_node *n = job_node_by_name(r, j->node);
            if (!n || strcmp(n->rec.state, "UP") != 0) {
                r->slots[k].outcome = JOB_OUT_LOST;
                continue;
            }
            r->slots[k].holds = 1;  /* in the reserved figure the agent gave at start */
            dispatch(r, k, 1);
        }
    }
    int64_t last_sync = r->start_ms;
    for (;;) {
        int64_t now = node_now_ms();
        take_outcomes(r, now);
        schedule(r, now, start, &released);
        size_t left = 0;
        for (size_t k = 0; k < r->njobs; k++)
            left += !is_final(&r->jobs[k]) || r->slots[k].busy;
        if (left == 0)
            break;
        /* Idle with work waiting: what others held on the nodes at start may be gone by now;
         * take the agents' own figures again (nothing of ours is out, so they are exact). */
        if (r->inflight == 0 && now - last_sync >= 1000) {
            sync_ledgers(r);
            last_sync = now;
        }
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long wait_ns = 100000000L;  /* re-check rate and blocked nodes every 100 ms */
        ts.tv_nsec += wait_ns;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&r->cv_main, &r->mu, &ts);
    }
    r->stopping = 1;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    rc = 0;
out:
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    if (rc == 0) {
        struct store_counts c;
        if (store_counts(r->st, r->id, &c) == 0) {
            fprintf(stderr, "unf cluster: campaign %ld: requested %ld, scheduled %ld, done %ld, failed %ld, "
                    "discarded %ld in %.1f s\n", r->id, c.requested, c.scheduled, c.done, c.failed,
                    c.discarded, (double)(node_now_ms() - r->start_ms) / 1000.0);
            rc = c.failed ? 1 : 0;
        }
        store_campaign_set_state(r->st, r->id, "finished", node_now_ms());
    }
    for (size_t i = 0; r->nodes && i < r->nnodes; i++)
        free(r->nodes[i].rec.facts);
    free(r->nodes);
    free(r->jobs);
    free(r->slots);
    free(r->queue);
    pthread_cond_destroy(&r->cv_main);
    pthread_cond_destroy(&r->cv_work);
    pthread_mutex_destroy(&r->mu);
    return rc;
}
