/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the controller's SQLite store (cluster/store.c) on a temporary file: nodes,
 * a campaign with its jobs, a finished job and its result line committed together, the status
 * counts, and that everything is still there when the file is opened again (what resume needs);
 * a read that fails (its table gone) answers -1 and leaves the store usable (the lock released). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cluster/store.h"
#include "check.h"

static void each_service(void *ctx, const char *name, const char *node, const char *instance, int64_t ms)
{
    char *seen = ctx;
    size_t used = strlen(seen);
    snprintf(seen + used, 128 - used, "%s/%s/%s/%lld;", name, node, instance, (long long)ms);
}

int main(void)
{
    char dir[] = "/tmp/test_cluster_store.XXXXXX", path[64], side[80];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/state.db", dir);
    struct store st;
    CHECK(store_open(path, &st) == 0, "open");

    struct store_node n = {.name = "n1", .url = "unix:/x.sock", .arch = "x86_64", .mem_cap = 64, .vcpus_cap = 2,
                           .state = "UP", .last_seen_ms = 1000};
    n.facts = "{\"arch\":\"x86_64\"}";
    CHECK(store_node_put(&st, &n) == 0, "node.put");
    strcpy(n.name, "n0");
    CHECK(store_node_put(&st, &n) == 0, "node.put-second");
    CHECK(store_node_state(&st, "n1", "DEAD", 0) == 0, "node.state");
    struct store_node *v;
    size_t nn;
    CHECK(store_nodes_load(&st, &v, &nn) == 0 && nn == 2 && strcmp(v[0].name, "n0") == 0 &&
          strcmp(v[1].state, "DEAD") == 0 && v[1].last_seen_ms == 1000 && v[1].mem_cap == 64, "node.load-sorted");
    store_nodes_free(v, nn);
    CHECK(store_node_rm(&st, "n0") == 1 && store_node_rm(&st, "n0") == 0, "node.rm");

    struct store_job jobs[3];
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 3; i++) {
        jobs[i].idx = i;
        jobs[i].count = 1;
        jobs[i].first = i;
        strcpy(jobs[i].state, JOB_QUEUED);
        strcpy(jobs[i].vp, "n1");
    }
    long id = 0;
    CHECK(store_campaign_add(&st, "c", "{\"name\":\"c\"}", jobs, 3, 5, &id) == 0 && id == 1, "campaign.add");
    CHECK(store_campaign_last(&st) == 1, "campaign.last");
    char *spec, state[16];
    CHECK(store_campaign_get(&st, 1, &spec, state, sizeof state) == 0 && strcmp(spec, "{\"name\":\"c\"}") == 0 &&
          strcmp(state, "running") == 0, "campaign.get");
    free(spec);
    CHECK(store_campaign_get(&st, 9, &spec, state, sizeof state) == 1, "campaign.get-unknown");
    free(spec);

    struct store_job j = jobs[0];
    j.campaign = 1;
    strcpy(j.state, JOB_RUNNING);
    strcpy(j.node, "n1");
    strcpy(j.instance, "n1-000001");
    j.deployed_ms = 10;
    CHECK(store_job_update(&st, &j) == 0, "job.update");
    strcpy(j.state, JOB_DONE);
    j.has_exit = 1;
    j.exit_code = 0;
    CHECK(store_job_finish(&st, &j, "{\"job\":0}") == 0, "job.finish");
    struct store_job d = jobs[2];
    d.campaign = 1;
    strcpy(d.state, JOB_DISCARDED);
    strcpy(d.reason, "no room");
    CHECK(store_job_finish(&st, &d, "{\"job\":2}") == 0, "job.discard");
    struct store_counts c;
    CHECK(store_counts(&st, 1, &c) == 0 && c.requested == 3 && c.scheduled == 1 && c.done == 1 && c.queued == 1 &&
          c.discarded == 1 && c.running == 0, "counts");

    char seen[128] = "";
    CHECK(store_service_add(&st, "s1", "n1", "i1", "{}", 7) == 0 &&
          store_service_add(&st, "s0", "n1", "i2", "{}", 8) == 0, "service.add");
    CHECK(store_services_each(&st, each_service, seen) == 0 && strcmp(seen, "s1/n1/i1/7;s0/n1/i2/8;") == 0,
          "service.each-in-order");
    long *ids;
    size_t nids;
    CHECK(store_campaign_ids(&st, &ids, &nids) == 0 && nids == 1 && ids[0] == 1, "campaign.ids");
    free(ids);
    CHECK(sqlite3_exec(st.db, "DROP TABLE results", NULL, NULL, NULL) == SQLITE_OK, "drop-results");
    FILE *sink = fopen("/dev/null", "w");
    CHECK(sink && store_results_print(&st, 1, sink) == -1, "read-failure");
    if (sink)
        fclose(sink);
    CHECK(store_counts(&st, 1, &c) == 0 && c.requested == 3, "read-after-failure");
    CHECK(sqlite3_exec(st.db, "CREATE TABLE results (campaign INTEGER, idx INTEGER, line TEXT,"
                              " PRIMARY KEY (campaign, idx))", NULL, NULL, NULL) == SQLITE_OK &&
              store_job_finish(&st, &j, "{\"job\":0}") == 0 && store_job_finish(&st, &d, "{\"job\":2}") == 0,
          "results-again");
    store_close(&st);

    /* Reopened, as `campaign resume` does after a crash. */
    CHECK(store_open(path, &st) == 0, "reopen");
    struct store_job *loaded;
    size_t nj;
    CHECK(store_jobs_load(&st, 1, &loaded, &nj) == 0 && nj == 3 && strcmp(loaded[0].state, JOB_DONE) == 0 &&
          strcmp(loaded[0].instance, "n1-000001") == 0 && loaded[0].has_exit && !loaded[1].has_exit &&
          strcmp(loaded[2].reason, "no room") == 0, "reopen.jobs");
    free(loaded);
    FILE *f = tmpfile();
    char buf[64] = "";
    CHECK(f && store_results_print(&st, 1, f) == 0, "results.print");
    if (f) {
        rewind(f);
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        buf[got] = '\0';
        fclose(f);
    }
    CHECK(strcmp(buf, "{\"job\":0}\n{\"job\":2}\n") == 0, "results.in-job-order");
    store_close(&st);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    rmdir(dir);
    return CHECK_DONE();
}
