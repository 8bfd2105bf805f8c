/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build/bin/unf-cluster (`unf cluster ARGS` execs it): the controller's command line. Nodes
 * (agents) are registered by name and address; `deploy` places one SLA v2 service; `campaign`
 * runs vTNT-style measurement campaigns. State: one SQLite file (--db, default
 * /var/lib/unf-cluster/state.db). Exit status: 0 ok, 1 failure, 2 bad usage.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "campaign.h"
#include "client.h"
#include "deploy.h"
#include "node.h"
#include "store.h"

#define DEFAULT_DB "/var/lib/unf-cluster/state.db"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: unf cluster [--db FILE] COMMAND\n"
            "  node add NAME unix:/path.sock|http://ADDR:PORT [--token-file F]\n"
            "  node ls [--json] | node rm NAME\n"
            "  deploy SLA.json                place one Oakestra SLA v2 service and deploy it\n"
            "  ps                             services deployed by this controller\n"
            "  campaign run SPEC.json [--results FILE.jsonl] [--workers N] [--quiet]\n"
            "  campaign status [ID] [--json]  requested / scheduled / running / done / failed / discarded\n"
            "  campaign resume ID [--results FILE.jsonl] [--workers N] [--quiet]\n"
            "  campaign results ID            the results as JSON Lines\n");
}

static int usage_error(const char *msg, const char *arg)
{
    fprintf(stderr, "unf cluster: %s%s%s (try 'unf cluster --help')\n", msg, arg ? ": " : "", arg ? arg : "");
    return 2;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 63 || s[0] == '-')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.'))
            return 0;
    }
    return 1;
}

static int node_add(struct store *st, int argc, char **argv)
{
    static const struct option opts[] = {{"token-file", required_argument, NULL, 't'}, {0, 0, 0, 0}};
    const char *token = "";
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "t:", opts, NULL)) != -1) {
        if (c == 't')
            token = optarg;
        else
            return 2;
    }
    if (argc - optind != 2)
        return usage_error("node add needs NAME and ADDRESS", NULL);
    const char *name = argv[optind], *url = argv[optind + 1];
    if (!name_ok(name))
        return usage_error("bad node name (1-63 of [A-Za-z0-9._-])", name);
    struct store_node n;
    char err[512];
    memset(&n, 0, sizeof n);
    snprintf(n.name, sizeof n.name, "%s", name);
    if (strlen(url) >= sizeof n.url || strlen(token) >= sizeof n.token_file)
        return usage_error("address or token path too long", NULL);
    snprintf(n.url, sizeof n.url, "%s", url);
    snprintf(n.token_file, sizeof n.token_file, "%s", token);
    struct client probe;
    if (client_init(&probe, url, token, err, sizeof err) < 0)
        return usage_error(err, NULL);
    client_free(&probe);
    if (node_probe(&n, NULL, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "unf cluster: node %s: %s\n", name, err);
        free(n.facts);
        return 1;
    }
    int rc = store_node_put(st, &n) < 0;
    if (!rc)
        printf("%s %s %s %ld MiB %ld vCPUs\n", n.name, n.arch, n.url, n.mem_cap, n.vcpus_cap);
    free(n.facts);
    return rc;
}

static void fmt_time(int64_t ms, char *buf, size_t len)
{
    if (!ms) {
        snprintf(buf, len, "never");
        return;
    }
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int node_ls(struct store *st, int argc, char **argv)
{
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    if (argc > 1 + json)
        return usage_error("node ls takes only --json", NULL);
    struct store_node *v = NULL;
    size_t n = 0;
    if (store_nodes_load(st, &v, &n) < 0)
        return 1;
    json_t *arr = json_array();
    if (!json)
        printf("%-12s %-8s %-10s %-8s %-5s %-20s %s\n", "NAME", "ARCH", "MEM FREE", "VCPUS", "STATE",
               "LAST SEEN", "ADDRESS");
    for (size_t i = 0; i < n; i++) {
        long rm = 0, rv = 0;
        char err[512], seen[32];
        int dead = node_probe(&v[i], &rm, &rv, err, sizeof err) < 0;
        if (dead) {
            snprintf(v[i].state, sizeof v[i].state, "DEAD");
            store_node_state(st, v[i].name, "DEAD", 0);
            rm = v[i].mem_cap;      /* nothing is free on a node that does not answer */
            rv = v[i].vcpus_cap;
        } else {
            store_node_put(st, &v[i]);
        }
        fmt_time(v[i].last_seen_ms, seen, sizeof seen);
        if (json) {
            json_t *facts = json_loads(v[i].facts ? v[i].facts : "{}", 0, NULL);
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:{s:I, s:I}, s:{s:I, s:I}}",
                "name", v[i].name, "address", v[i].url, "arch", v[i].arch, "state", v[i].state,
                "last_seen_ms", (json_int_t)v[i].last_seen_ms, "facts", facts ? facts : json_object(),
                "capacity", "memory_mib", (json_int_t)v[i].mem_cap, "vcpus", (json_int_t)v[i].vcpus_cap,
                "free", "memory_mib", (json_int_t)(v[i].mem_cap - rm), "vcpus", (json_int_t)(v[i].vcpus_cap - rv)));
        } else {
            char mem[24], cpu[24];
            snprintf(mem, sizeof mem, "%ld/%ld", v[i].mem_cap - rm, v[i].mem_cap);
            snprintf(cpu, sizeof cpu, "%ld/%ld", v[i].vcpus_cap - rv, v[i].vcpus_cap);
            printf("%-12s %-8s %-10s %-8s %-5s %-20s %s\n", v[i].name, v[i].arch, mem, cpu, v[i].state, seen,
                   v[i].url);
        }
    }
    if (json) {
        char *s = json_dumps(arr, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
    }
    json_decref(arr);
    store_nodes_free(v, n);
    return 0;
}

static int parse_id(const char *s, long *id)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *s == '\0' || *end != '\0' || v <= 0)
        return -1;
    *id = v;
    return 0;
}

static int campaign_status(struct store *st, int argc, char **argv)
{
    int json = 0;
    long one = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (one || parse_id(argv[i], &one) < 0)
            return usage_error("campaign status takes [ID] [--json]", argv[i]);
    }
    long *ids = NULL;
    size_t n = 0;
    if (one) {
        ids = malloc(sizeof *ids);
        if (!ids)
            return 1;
        ids[0] = one;
        n = 1;
    } else if (store_campaign_ids(st, &ids, &n) < 0) {
        return 1;
    }
    int rc = 0;
    json_t *arr = json_array();
    if (!json)
        printf("%-4s %-20s %-9s %9s %9s %7s %6s %6s %9s %6s\n", "ID", "NAME", "STATE", "REQUESTED", "SCHEDULED",
               "RUNNING", "DONE", "FAILED", "DISCARDED", "QUEUED");
    for (size_t i = 0; i < n; i++) {
        char *spec = NULL, state[16];
        struct store_counts c;
        int got = store_campaign_get(st, ids[i], &spec, state, sizeof state);
        if (got != 0) {
            if (got == 1)
                fprintf(stderr, "unf cluster: no campaign %ld\n", ids[i]);
            rc = 1;
            free(spec);
            continue;
        }
        json_t *sj = json_loads(spec, 0, NULL);
        const char *name = json_string_value(json_object_get(sj, "name"));
        if (store_counts(st, ids[i], &c) < 0) {
            rc = 1;
        } else if (json) {
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "id",
                (json_int_t)ids[i], "name", name ? name : "", "state", state, "requested", (json_int_t)c.requested,
                "scheduled", (json_int_t)c.scheduled, "running", (json_int_t)c.running, "done", (json_int_t)c.done,
                "failed", (json_int_t)c.failed, "discarded", (json_int_t)c.discarded, "queued", (json_int_t)c.queued));
        } else {
            printf("%-4ld %-20s %-9s %9ld %9ld %7ld %6ld %6ld %9ld %6ld\n", ids[i], name ? name : "", state,
                   c.requested, c.scheduled, c.running, c.done, c.failed, c.discarded, c.queued);
        }
        json_decref(sj);
        free(spec);
    }
    if (json) {
        char *s = json_dumps(one ? json_array_get(arr, 0) : arr, JSON_INDENT(2));
        if (s)
            puts(s);
        free(s);
    }
    json_decref(arr);
    free(ids);
    return rc;
}

static int campaign_cmd(struct store *st, int argc, char **argv)
{
    static const struct option opts[] = {{"results", required_argument, NULL, 'r'},
                                         {"workers", required_argument, NULL, 'w'},
                                         {"quiet", no_argument, NULL, 'q'},
                                         {0, 0, 0, 0}};
    if (argc < 2)
        return usage_error("campaign needs run, status, resume or results", NULL);
    const char *sub = argv[1];
    if (strcmp(sub, "status") == 0)
        return campaign_status(st, argc - 1, argv + 1);
    struct campaign_opts o = {.workers = 32};
    int c;
    optind = 0;
    while ((c = getopt_long(argc - 1, argv + 1, "r:w:q", opts, NULL)) != -1) {
        if (c == 'r') {
            o.results_file = optarg;
        } else if (c == 'w') {
            long w;
            if (parse_id(optarg, &w) < 0 || w > 256)
                return usage_error("--workers wants 1..256", optarg);
            o.workers = (int)w;
        } else if (c == 'q') {
            o.quiet = 1;
        } else {
            return 2;
        }
    }
    int rest = argc - 1 - optind;
    char **args = argv + 1 + optind;
    if (strcmp(sub, "run") == 0) {
        if (rest != 1)
            return usage_error("campaign run needs SPEC.json", NULL);
        FILE *f = fopen(args[0], "r");
        if (!f) {
            fprintf(stderr, "unf cluster: cannot read %s: %s\n", args[0], strerror(errno));
            return 1;
        }
        char *text = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&text, &len);
        char buf[8192];
        size_t got;
        while (m && (got = fread(buf, 1, sizeof buf, f)) > 0)
            fwrite(buf, 1, got, m);
        int bad = ferror(f) || !m;
        fclose(f);
        if (m)
            fclose(m);
        if (bad) {
            fprintf(stderr, "unf cluster: cannot read %s\n", args[0]);
            free(text);
            return 1;
        }
        int rc = campaign_run(st, text, len, &o, NULL);
        free(text);
        return rc == 0 ? 0 : 1;
    }
    long id;
    if (rest != 1 || parse_id(args[0], &id) < 0)
        return usage_error("campaign resume/results need a campaign ID", NULL);
    if (strcmp(sub, "resume") == 0)
        return campaign_resume(st, id, &o) == 0 ? 0 : 1;
    if (strcmp(sub, "results") == 0) {
        char *spec = NULL, state[16];
        int got = store_campaign_get(st, id, &spec, state, sizeof state);
        free(spec);
        if (got != 0) {
            if (got == 1)
                fprintf(stderr, "unf cluster: no campaign %ld\n", id);
            return 1;
        }
        return store_results_print(st, id, stdout) < 0;
    }
    return usage_error("unknown campaign command", sub);
}

static int open_store(const char *db, struct store *st)
{
    if (strcmp(db, DEFAULT_DB) == 0 && mkdir("/var/lib/unf-cluster", 0700) < 0 && errno != EEXIST) {
        fprintf(stderr, "unf cluster: cannot create /var/lib/unf-cluster: %s\n", strerror(errno));
        return -1;
    }
    return store_open(db, st);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = DEFAULT_DB;
    int c;
    while ((c = getopt_long(argc, argv, "+d:h", opts, NULL)) != -1) {
        if (c == 'd') {
            db = optarg;
        } else if (c == 'h') {
            usage(stdout);
            return 0;
        } else {
            return 2;
        }
    }
    if (optind >= argc)
        return usage_error("missing command", NULL);
    char **av = argv + optind;
    int ac = argc - optind;
    const char *cmd = av[0];
    if (strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "node") && strcmp(cmd, "deploy") && strcmp(cmd, "ps") && strcmp(cmd, "campaign"))
        return usage_error("unknown command", cmd);
    if (strcmp(cmd, "node") == 0 && (ac < 2 || (strcmp(av[1], "add") && strcmp(av[1], "ls") && strcmp(av[1], "rm"))))
        return usage_error("node needs add, ls or rm", NULL);
    if (strcmp(cmd, "deploy") == 0 && ac != 2)
        return usage_error("deploy needs SLA.json", NULL);
    /* A reader that goes away (`... | head`) must not kill a campaign: results are in the store. */
    signal(SIGPIPE, SIG_IGN);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "unf cluster: cannot initialise libcurl\n");
        return 1;
    }
    struct store st;
    if (open_store(db, &st) < 0) {
        curl_global_cleanup();
        return 1;
    }
    int rc;
    if (strcmp(cmd, "node") == 0) {
        if (strcmp(av[1], "add") == 0) {
            rc = node_add(&st, ac - 1, av + 1);
        } else if (strcmp(av[1], "ls") == 0) {
            rc = node_ls(&st, ac - 1, av + 1);
        } else if (ac != 3) {
            rc = usage_error("node rm needs NAME", NULL);
        } else {
            int r = store_node_rm(&st, av[2]);
            if (r == 0)
                fprintf(stderr, "unf cluster: no node %s\n", av[2]);
            rc = r == 1 ? 0 : 1;
        }
    } else if (strcmp(cmd, "deploy") == 0) {
        rc = deploy_main(&st, av[1]);
    } else if (strcmp(cmd, "ps") == 0) {
        rc = deploy_ps(&st);
    } else {
        rc = campaign_cmd(&st, ac, av);
    }
    store_close(&st);
    curl_global_cleanup();
    return rc;
}
