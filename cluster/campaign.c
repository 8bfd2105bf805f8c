/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The campaign run loop (see campaign.h). One scheduling thread (the caller) owns placement and
 * the ledger of what each node has reserved for this campaign; a bounded pool of worker threads
 * carries each job through the agent API with blocking calls (deploy, long-poll, logs, delete).
 * Rules: a job's state is committed to the store before the controller acts on it; a result line
 * is written (store, then stdout/results file) before the instance is deleted, so a kill at any
 * point leaves either a recorded result or an instance resume can find by its name.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "campaign.h"
#include "client.h"
#include "job.h"
#include "node.h"
#include "spec.h"

int campaign_run(struct store *st, const char *spec_text, size_t len, const struct campaign_opts *o,
                 long *idp)
{
    struct spec s;
    char err[512];
    struct store_node *nodes = NULL;
    size_t nnodes = 0;
    struct spec_job *plan = NULL;
    struct store_job *jobs = NULL;
    char *spec_json = NULL;
    int rc = -1;
    if (spec_parse(spec_text, len, &s, err, sizeof err) < 0) {
        fprintf(stderr, "unf cluster: %s\n", err);
        goto out;
    }
    if (store_nodes_load(st, &nodes, &nnodes) < 0)
        goto out;
    /* "all" means every registered node that has an architecture the image offers code for. */
    const char **names = calloc(nnodes ? nnodes : 1, sizeof *names);
    if (!names)
        goto out;
    size_t nn = 0;
    for (size_t i = 0; i < nnodes; i++) {
        if (spec_arch_index(&s, nodes[i].arch) >= 0)
            names[nn++] = nodes[i].name;
    }
    long njobs = spec_plan(&s, names, nn, &plan, err, sizeof err);
    free(names);
    if (njobs < 0) {
        fprintf(stderr, "unf cluster: %s\n", err);
        goto out;
    }
    for (size_t v = 0; v < s.nvps; v++) {
        size_t i;
        for (i = 0; i < nnodes && strcmp(nodes[i].name, s.vps[v]) != 0; i++)
            ;
        if (i == nnodes) {
            fprintf(stderr, "unf cluster: campaign: vantage point '%s' is not a registered node\n", s.vps[v]);
            goto out;
        }
    }
    jobs = calloc((size_t)njobs, sizeof *jobs);
    json_t *sj = spec_to_json(&s);
    spec_json = sj ? json_dumps(sj, JSON_COMPACT) : NULL;
    json_decref(sj);
    if (!jobs || !spec_json) {
        fprintf(stderr, "unf cluster: out of memory\n");
        goto out;
    }
    int64_t now = node_now_ms();
    for (long k = 0; k < njobs; k++) {
        jobs[k].idx = k;
        snprintf(jobs[k].vp, sizeof jobs[k].vp, "%s", plan[k].vp ? plan[k].vp : "");
        jobs[k].first = (long)plan[k].first;
        jobs[k].count = (long)plan[k].count;
        snprintf(jobs[k].state, sizeof jobs[k].state, JOB_QUEUED);
        jobs[k].queued_ms = now;
    }
    long id;
    if (store_campaign_add(st, s.name, spec_json, jobs, (size_t)njobs, now, &id) < 0)
        goto out;
    if (idp)
        *idp = id;
    fprintf(stderr, "unf cluster: campaign %ld (%s): %ld jobs\n", id, s.name, njobs);
    spec_free(&s);
    rc = campaign_resume(st, id, o);
out:
    spec_free(&s);
    store_nodes_free(nodes, nnodes);
    free(plan);
    free(jobs);
    free(spec_json);
    return rc;
}

/* One controller per campaign: two would deploy the same queued jobs twice. A lock file beside
 * the state file, held (flock) while the campaign runs; a dead controller's lock is free. */
static int lock_campaign(struct store *st, long id)
{
    const char *db = sqlite3_db_filename(st->db, "main");
    char path[4096];
    if (!db || !*db)
        return -2;              /* an in-memory store: nobody else can see it */
    snprintf(path, sizeof path, "%s.campaign-%ld.lock", db, id);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "unf cluster: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "unf cluster: campaign %ld is being run by another controller\n", id);
        close(fd);
        return -1;
    }
    return fd;
}

int campaign_resume(struct store *st, long id, const struct campaign_opts *o)
{
    char state[16], err[512];
    char *spec_json = NULL;
    struct job_run r;
    int rc = -1, got = store_campaign_get(st, id, &spec_json, state, sizeof state);
    if (got != 0) {
        if (got == 1)
            fprintf(stderr, "unf cluster: no campaign %ld\n", id);
        return -1;
    }
    int lock = lock_campaign(st, id);
    if (lock == -1) {
        free(spec_json);
        return -1;
    }
    memset(&r, 0, sizeof r);
    if (spec_parse(spec_json, strlen(spec_json), &r.spec, err, sizeof err) < 0) {
        fprintf(stderr, "unf cluster: stored campaign %ld: %s\n", id, err);
        free(spec_json);
        spec_free(&r.spec);
        if (lock >= 0)
            close(lock);
        return -1;
    }
    free(spec_json);
    r.st = st;
    r.id = id;
    r.quiet = o->quiet;
    r.nworkers = o->workers > 0 ? (o->workers > 256 ? 256 : o->workers) : 32;
    if (o->results_file) {
        r.res = fopen(o->results_file, "a");
        if (!r.res) {
            fprintf(stderr, "unf cluster: cannot open results file %s\n", o->results_file);
            spec_free(&r.spec);
            if (lock >= 0)
                close(lock);
            return -1;
        }
    }
    rc = job_run_campaign(&r);
    if (r.res && fclose(r.res) != 0) {
        fprintf(stderr, "unf cluster: writing %s failed\n", o->results_file);
        rc = -1;
    }
    spec_free(&r.spec);
    if (lock >= 0)
        close(lock);
    return rc;
}
