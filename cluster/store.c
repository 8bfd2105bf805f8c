/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The controller's SQLite store (see store.h). Prepared statements with bound parameters only
 * (node names and outputs come from outside); WAL so `campaign status` can read while a run
 * writes; synchronous=NORMAL, which in WAL mode keeps every commit across a killed controller.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

static const char schema[] =
    "CREATE TABLE IF NOT EXISTS nodes (name TEXT PRIMARY KEY, url TEXT NOT NULL, token_file TEXT,"
    " arch TEXT, facts TEXT, mem_cap INTEGER, vcpus_cap INTEGER, state TEXT, last_seen_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS services (id INTEGER PRIMARY KEY, name TEXT, node TEXT,"
    " instance TEXT, sla TEXT, created_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS campaigns (id INTEGER PRIMARY KEY, name TEXT, spec TEXT,"
    " state TEXT, created_ms INTEGER, finished_ms INTEGER);"
    "CREATE TABLE IF NOT EXISTS jobs (campaign INTEGER, idx INTEGER, vp TEXT, first INTEGER,"
    " count INTEGER, state TEXT, node TEXT, instance TEXT, ms_name TEXT, attempts INTEGER,"
    " queued_ms INTEGER, deployed_ms INTEGER, running_ms INTEGER, finished_ms INTEGER,"
    " exit_code INTEGER, reason TEXT, PRIMARY KEY (campaign, idx));"
    "CREATE TABLE IF NOT EXISTS results (campaign INTEGER, idx INTEGER, line TEXT,"
    " PRIMARY KEY (campaign, idx));";

static int report(struct store *st, const char *what)
{
    fprintf(stderr, "unf cluster: state store: %s: %s\n", what, sqlite3_errmsg(st->db));
    return -1;
}

int store_open(const char *path, struct store *st)
{
    memset(st, 0, sizeof *st);
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        fprintf(stderr, "unf cluster: cannot open state %s: %s\n", path,
                st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_close(st->db);
        st->db = NULL;
        return -1;
    }
    pthread_mutex_init(&st->mu, NULL);
    sqlite3_busy_timeout(st->db, 10000);
    if (sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(st->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        report(st, path);
        store_close(st);
        return -1;
    }
    return 0;
}

void store_close(struct store *st)
{
    if (st->db) {
        sqlite3_close(st->db);
        pthread_mutex_destroy(&st->mu);
    }
    st->db = NULL;
}

/* Prepare, bind from a format ('t' text, 'i' int64), step once; the statement is finalized.
 * Returns the step's result code, or -1. */
static int exec1(struct store *st, const char *sql, const char *fmt, ...)
{
    sqlite3_stmt *s = NULL;
    va_list ap;
    int rc = -1;
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
        return report(st, "prepare");
    va_start(ap, fmt);
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 't')
            sqlite3_bind_text(s, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_int64(s, i + 1, va_arg(ap, int64_t));
    }
    va_end(ap);
    rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        report(st, "write");
        rc = -1;
    }
    sqlite3_finalize(s);
    return rc;
}

int store_node_put(struct store *st, const struct store_node *n)
{
    pthread_mutex_lock(&st->mu);
    int rc = exec1(st,
                   "INSERT OR REPLACE INTO nodes (name, url, token_file, arch, facts, mem_cap, vcpus_cap,"
                   " state, last_seen_ms) VALUES (?,?,?,?,?,?,?,?,?)",
                   "tttttiiti", n->name, n->url, n->token_file, n->arch, n->facts ? n->facts : "{}",
                   (int64_t)n->mem_cap, (int64_t)n->vcpus_cap, n->state, (int64_t)n->last_seen_ms);
    pthread_mutex_unlock(&st->mu);
    return rc < 0 ? -1 : 0;
}

int store_node_state(struct store *st, const char *name, const char *state, int64_t seen_ms)
{
    pthread_mutex_lock(&st->mu);
    int rc = seen_ms ? exec1(st, "UPDATE nodes SET state=?, last_seen_ms=? WHERE name=?", "tit", state,
                             seen_ms, name)
                     : exec1(st, "UPDATE nodes SET state=? WHERE name=?", "tt", state, name);
    pthread_mutex_unlock(&st->mu);
    return rc < 0 ? -1 : 0;
}

int store_node_rm(struct store *st, const char *name)
{
    pthread_mutex_lock(&st->mu);
    int rc = exec1(st, "DELETE FROM nodes WHERE name=?", "t", name);
    int changed = sqlite3_changes(st->db);
    pthread_mutex_unlock(&st->mu);
    return rc < 0 ? -1 : changed > 0;
}

static void copy_col(sqlite3_stmt *s, int col, char *dst, size_t len)
{
    const unsigned char *t = sqlite3_column_text(s, col);
    snprintf(dst, len, "%s", t ? (const char *)t : "");
}

/* The start of every read: locks the store, prepares sql and binds key to its parameter when it
 * has one. NULL (reported as `what`, unlocked) when it cannot. */
static sqlite3_stmt *read_begin(struct store *st, const char *sql, int64_t key, const char *what)
{
    sqlite3_stmt *s = NULL;
    pthread_mutex_lock(&st->mu);
    if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
        report(st, what);
        sqlite3_finalize(s);
        pthread_mutex_unlock(&st->mu);
        return NULL;
    }
    if (sqlite3_bind_parameter_count(s) > 0)
        sqlite3_bind_int64(s, 1, key);
    return s;
}

/* The end of every read: finalizes, unlocks. 0 when the rows ran out cleanly (step is
 * SQLITE_DONE), else -1 reported as `what` (SQLITE_NOMEM: a copy of a row failed). */
static int read_end(struct store *st, sqlite3_stmt *s, int step, const char *what)
{
    int rc = 0;
    if (step == SQLITE_NOMEM) {
        fprintf(stderr, "unf cluster: state store: %s: out of memory\n", what);
        rc = -1;
    } else if (step != SQLITE_DONE) {
        rc = report(st, what);
    }
    sqlite3_finalize(s);
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int store_nodes_load(struct store *st, struct store_node **out, size_t *n)
{
    struct store_node *v = NULL;
    size_t cnt = 0;
    int step;
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = read_begin(st, "SELECT name, url, token_file, arch, facts, mem_cap, vcpus_cap, state,"
                                 " last_seen_ms FROM nodes ORDER BY name", 0, "read nodes");
    if (!s)
        return -1;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_node *nv = realloc(v, (cnt + 1) * sizeof *v);
        if (!nv) {
            step = SQLITE_NOMEM;
            break;
        }
        v = nv;
        struct store_node *x = &v[cnt];
        memset(x, 0, sizeof *x);
        copy_col(s, 0, x->name, sizeof x->name);
        copy_col(s, 1, x->url, sizeof x->url);
        copy_col(s, 2, x->token_file, sizeof x->token_file);
        copy_col(s, 3, x->arch, sizeof x->arch);
        const unsigned char *f = sqlite3_column_text(s, 4);
        x->facts = strdup(f ? (const char *)f : "{}");
        cnt++;
        if (!x->facts) {
            step = SQLITE_NOMEM;
            break;
        }
        x->mem_cap = (long)sqlite3_column_int64(s, 5);
        x->vcpus_cap = (long)sqlite3_column_int64(s, 6);
        copy_col(s, 7, x->state, sizeof x->state);
        x->last_seen_ms = sqlite3_column_int64(s, 8);
    }
    if (read_end(st, s, step, "read nodes") < 0) {
        store_nodes_free(v, cnt);
        return -1;
    }
    *out = v;
    *n = cnt;
    return 0;
}

void store_nodes_free(struct store_node *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i].facts);
    free(v);
}

int store_service_add(struct store *st, const char *name, const char *node, const char *instance,
                      const char *sla, int64_t now_ms)
{
    pthread_mutex_lock(&st->mu);
    int rc = exec1(st, "INSERT INTO services (name, node, instance, sla, created_ms) VALUES (?,?,?,?,?)",
                   "tttti", name, node, instance, sla, now_ms);
    pthread_mutex_unlock(&st->mu);
    return rc < 0 ? -1 : 0;
}

int store_services_each(struct store *st, void (*fn)(void *, const char *, const char *, const char *,
                                                     int64_t),
                        void *ctx)
{
    int step;
    sqlite3_stmt *s = read_begin(st, "SELECT name, node, instance, created_ms FROM services ORDER BY id", 0,
                                 "read services");
    if (!s)
        return -1;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        fn(ctx, (const char *)sqlite3_column_text(s, 0), (const char *)sqlite3_column_text(s, 1),
           (const char *)sqlite3_column_text(s, 2), sqlite3_column_int64(s, 3));
    return read_end(st, s, step, "read services");
}

static int bind_job(sqlite3_stmt *s, const struct store_job *j)
{
    int i = 1;
    sqlite3_bind_int64(s, i++, j->campaign);
    sqlite3_bind_int64(s, i++, j->idx);
    sqlite3_bind_text(s, i++, j->vp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, i++, j->first);
    sqlite3_bind_int64(s, i++, j->count);
    sqlite3_bind_text(s, i++, j->state, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, i++, j->node, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, i++, j->instance, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, i++, j->ms_name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(s, i++, j->attempts);
    sqlite3_bind_int64(s, i++, j->queued_ms);
    sqlite3_bind_int64(s, i++, j->deployed_ms);
    sqlite3_bind_int64(s, i++, j->running_ms);
    sqlite3_bind_int64(s, i++, j->finished_ms);
    if (j->has_exit)
        sqlite3_bind_int64(s, i++, j->exit_code);
    else
        sqlite3_bind_null(s, i++);
    sqlite3_bind_text(s, i++, j->reason, -1, SQLITE_TRANSIENT);
    return 0;
}

static const char job_upsert[] =
    "INSERT OR REPLACE INTO jobs (campaign, idx, vp, first, count, state, node, instance, ms_name,"
    " attempts, queued_ms, deployed_ms, running_ms, finished_ms, exit_code, reason)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

static int job_write(struct store *st, const struct store_job *j)
{
    sqlite3_stmt *s = NULL;
    if (sqlite3_prepare_v2(st->db, job_upsert, -1, &s, NULL) != SQLITE_OK)
        return report(st, "prepare job");
    bind_job(s, j);
    int rc = sqlite3_step(s) == SQLITE_DONE ? 0 : report(st, "write job");
    sqlite3_finalize(s);
    return rc;
}

int store_campaign_add(struct store *st, const char *name, const char *spec_json,
                       const struct store_job *jobs, size_t n, int64_t now_ms, long *id)
{
    int rc = -1;
    pthread_mutex_lock(&st->mu);
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        report(st, "begin");
        goto out;
    }
    if (exec1(st, "INSERT INTO campaigns (name, spec, state, created_ms) VALUES (?,?,'running',?)", "tti",
              name, spec_json, now_ms) < 0)
        goto rollback;
    *id = (long)sqlite3_last_insert_rowid(st->db);
    for (size_t i = 0; i < n; i++) {
        struct store_job j = jobs[i];
        j.campaign = *id;
        if (job_write(st, &j) < 0)
            goto rollback;
    }
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        report(st, "commit");
        goto rollback;
    }
    rc = 0;
    goto out;
rollback:
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
out:
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int store_campaign_get(struct store *st, long id, char **spec_json, char *state, size_t len)
{
    *spec_json = NULL;
    sqlite3_stmt *s = read_begin(st, "SELECT spec, state FROM campaigns WHERE id=?", id, "read campaign");
    if (!s)
        return -1;
    int step = sqlite3_step(s), found = step == SQLITE_ROW;
    if (found) {
        const unsigned char *t = sqlite3_column_text(s, 0);
        *spec_json = strdup(t ? (const char *)t : "");
        copy_col(s, 1, state, len);
        step = *spec_json ? SQLITE_DONE : SQLITE_NOMEM;
    }
    if (read_end(st, s, step, "read campaign") < 0)
        return -1;
    return found ? 0 : 1;
}

int store_campaign_set_state(struct store *st, long id, const char *state, int64_t now_ms)
{
    pthread_mutex_lock(&st->mu);
    int rc = exec1(st, "UPDATE campaigns SET state=?, finished_ms=? WHERE id=?", "tii", state, now_ms,
                   (int64_t)id);
    pthread_mutex_unlock(&st->mu);
    return rc < 0 ? -1 : 0;
}

int store_campaign_ids(struct store *st, long **ids, size_t *n)
{
    long *v = NULL;
    size_t cnt = 0;
    int step;
    sqlite3_stmt *s = read_begin(st, "SELECT id FROM campaigns ORDER BY id", 0, "read campaigns");
    if (!s)
        return -1;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        long *nv = realloc(v, (cnt + 1) * sizeof *v);
        if (!nv) {
            step = SQLITE_NOMEM;
            break;
        }
        v = nv;
        v[cnt++] = (long)sqlite3_column_int64(s, 0);
    }
    if (read_end(st, s, step, "read campaigns") < 0) {
        free(v);
        return -1;
    }
    *ids = v;
    *n = cnt;
    return 0;
}

long store_campaign_last(struct store *st)
{
    long *ids = NULL;
    size_t n = 0;
    if (store_campaign_ids(st, &ids, &n) < 0)
        return -1;
    long last = n ? ids[n - 1] : 0;
    free(ids);
    return last;
}

int store_jobs_load(struct store *st, long campaign, struct store_job **out, size_t *n)
{
    struct store_job *v = NULL;
    size_t cnt = 0;
    int step;
    sqlite3_stmt *s = read_begin(st, "SELECT idx, vp, first, count, state, node, instance, ms_name, attempts,"
                                 " queued_ms, deployed_ms, running_ms, finished_ms, exit_code, reason FROM jobs"
                                 " WHERE campaign=? ORDER BY idx", campaign, "read jobs");
    if (!s)
        return -1;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        struct store_job *nv = realloc(v, (cnt + 1) * sizeof *v);
        if (!nv) {
            step = SQLITE_NOMEM;
            break;
        }
        v = nv;
        struct store_job *j = &v[cnt++];
        memset(j, 0, sizeof *j);
        j->campaign = campaign;
        j->idx = (long)sqlite3_column_int64(s, 0);
        copy_col(s, 1, j->vp, sizeof j->vp);
        j->first = (long)sqlite3_column_int64(s, 2);
        j->count = (long)sqlite3_column_int64(s, 3);
        copy_col(s, 4, j->state, sizeof j->state);
        copy_col(s, 5, j->node, sizeof j->node);
        copy_col(s, 6, j->instance, sizeof j->instance);
        copy_col(s, 7, j->ms_name, sizeof j->ms_name);
        j->attempts = (long)sqlite3_column_int64(s, 8);
        j->queued_ms = sqlite3_column_int64(s, 9);
        j->deployed_ms = sqlite3_column_int64(s, 10);
        j->running_ms = sqlite3_column_int64(s, 11);
        j->finished_ms = sqlite3_column_int64(s, 12);
        j->has_exit = sqlite3_column_type(s, 13) != SQLITE_NULL;
        j->exit_code = (int)sqlite3_column_int64(s, 13);
        copy_col(s, 14, j->reason, sizeof j->reason);
    }
    if (read_end(st, s, step, "read jobs") < 0) {
        free(v);
        return -1;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int store_job_update(struct store *st, const struct store_job *j)
{
    pthread_mutex_lock(&st->mu);
    int rc = job_write(st, j);
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int store_job_finish(struct store *st, const struct store_job *j, const char *line)
{
    int rc = -1;
    pthread_mutex_lock(&st->mu);
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        report(st, "begin");
        goto out;
    }
    if (job_write(st, j) < 0 ||
        exec1(st, "INSERT OR REPLACE INTO results (campaign, idx, line) VALUES (?,?,?)", "iit",
              (int64_t)j->campaign, (int64_t)j->idx, line) < 0 ||
        sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        report(st, "record result");
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        goto out;
    }
    rc = 0;
out:
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int store_results_print(struct store *st, long campaign, FILE *f)
{
    int step;
    sqlite3_stmt *s = read_begin(st, "SELECT line FROM results WHERE campaign=? ORDER BY idx", campaign,
                                 "read results");
    if (!s)
        return -1;
    while ((step = sqlite3_step(s)) == SQLITE_ROW)
        fprintf(f, "%s\n", (const char *)sqlite3_column_text(s, 0));
    return read_end(st, s, step, "read results");
}

int store_counts(struct store *st, long campaign, struct store_counts *c)
{
    int step;
    memset(c, 0, sizeof *c);
    sqlite3_stmt *s = read_begin(st, "SELECT state, deployed_ms FROM jobs WHERE campaign=?", campaign, "read jobs");
    if (!s)
        return -1;
    while ((step = sqlite3_step(s)) == SQLITE_ROW) {
        const char *state = (const char *)sqlite3_column_text(s, 0);
        c->requested++;
        if (sqlite3_column_int64(s, 1) > 0)
            c->scheduled++;
        if (!state)
            continue;
        if (strcmp(state, JOB_QUEUED) == 0)
            c->queued++;
        else if (strcmp(state, JOB_DEPLOYING) == 0 || strcmp(state, JOB_RUNNING) == 0)
            c->running++;
        else if (strcmp(state, JOB_DONE) == 0)
            c->done++;
        else if (strcmp(state, JOB_FAILED) == 0)
            c->failed++;
        else if (strcmp(state, JOB_DISCARDED) == 0)
            c->discarded++;
    }
    return read_end(st, s, step, "read jobs");
}
