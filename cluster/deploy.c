/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One-off services (see deploy.h). The SLA is checked with the agent's own parser (agent/sla.c),
 * so the controller refuses exactly what an agent would, before placing anything; the document
 * itself is what the agent receives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../agent/sla.h"
#include "client.h"
#include "deploy.h"
#include "node.h"

static const char *str_or(const char *s, const char *def)
{
    return s ? s : def;
}

int deploy_sla_request(const struct sla_service *sla, struct place_request *req)
{
    memset(req, 0, sizeof *req);
    for (int i = 0; i < sla->ncode && i < PLACE_MAX_ARCHS; i++)
        req->archs[req->narchs++] = sla->code[i].arch;
    req->memory_mib = sla->memory_mib;
    req->vcpus = sla->vcpus;
    req->platform = sla->platform;
    req->accel = sla->accel;
    return 0;
}

int deploy_main(struct store *st, const char *file)
{
    json_error_t je;
    char err[512];
    struct store_node *nodes = NULL;
    size_t n = 0;
    int rc = 1;
    json_t *inst = NULL;
    struct sla_service svc;
    memset(&svc, 0, sizeof svc);
    json_t *sla = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
    if (!sla) {
        fprintf(stderr, "unf cluster: %s: %s (line %d)\n", file, je.text, je.line);
        return 1;
    }
    /* The agent's own parser: what it would refuse is refused here, before any placement. */
    char *text = json_dumps(sla, JSON_COMPACT);
    if (!text)
        snprintf(err, sizeof err, "out of memory");
    int bad = !text || sla_parse(text, strlen(text), &svc, err, sizeof err) < 0;
    free(text);
    if (bad) {
        fprintf(stderr, "unf cluster: %s: %s\n", file, err);
        json_decref(sla);
        return 1;
    }
    struct place_request req;
    const char *name = svc.name;
    deploy_sla_request(&svc, &req);
    if (store_nodes_load(st, &nodes, &n) < 0)
        goto out;
    struct place_node *pn = calloc(n ? n : 1, sizeof *pn);
    long *capm = calloc(n ? n : 1, sizeof *capm), *capv = calloc(n ? n : 1, sizeof *capv);
    if (!pn || !capm || !capv) {
        free(pn);
        free(capm);
        free(capv);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        long um = 0, uv = 0;
        if (node_probe(&nodes[i], &um, &uv, err, sizeof err) < 0) {
            snprintf(nodes[i].state, sizeof nodes[i].state, "DEAD");
            store_node_state(st, nodes[i].name, "DEAD", 0);
        } else {
            store_node_put(st, &nodes[i]);
        }
        node_to_place(&nodes[i], um, uv, &pn[i]);
        capm[i] = nodes[i].mem_cap;
        capv[i] = nodes[i].vcpus_cap;
    }
    enum place_why why;
    int p = place_pick(pn, n, &req, capm, capv, &why);
    free(pn);
    free(capm);
    free(capv);
    if (p < 0) {
        fprintf(stderr, "unf cluster: cannot place %s (%ld MiB, %ld vCPUs): %s\n", name, req.memory_mib,
                req.vcpus, place_why_str(why));
        goto out;
    }
    struct client c;
    if (client_init(&c, nodes[p].url, nodes[p].token_file, err, sizeof err) < 0) {
        fprintf(stderr, "unf cluster: node %s: %s\n", nodes[p].name, err);
        goto out;
    }
    long code = client_call_json(&c, "POST", "/v1/instances", sla, 120000, &inst, err, sizeof err);
    client_free(&c);
    if (code != 201) {
        fprintf(stderr, "unf cluster: deploy %s on %s: %s\n", name, nodes[p].name, err);
        goto out;
    }
    const char *id = json_string_value(json_object_get(inst, "id"));
    text = json_dumps(sla, JSON_COMPACT);
    if (store_service_add(st, name, nodes[p].name, id ? id : "", text ? text : "{}", node_now_ms()) < 0) {
        free(text);
        goto out;
    }
    free(text);
    printf("%s %s %s %s %s %s\n", name, nodes[p].name, id ? id : "-",
           str_or(json_string_value(json_object_get(inst, "state")), "-"),
           str_or(json_string_value(json_object_get(inst, "platform")), "-"),
           str_or(json_string_value(json_object_get(inst, "accel")), "-"));
    rc = 0;
out:
    json_decref(inst);
    json_decref(sla);
    sla_free(&svc);
    store_nodes_free(nodes, n);
    return rc;
}

struct ps_ctx {
    struct store_node *nodes;
    size_t n;
};

static void ps_one(void *ctx, const char *name, const char *node, const char *instance, int64_t created)
{
    struct ps_ctx *p = ctx;
    const char *state = "UNKNOWN";
    char err[256], path[256];
    json_t *inst = NULL;
    (void)created;
    for (size_t i = 0; i < p->n; i++) {
        struct client c;
        if (strcmp(p->nodes[i].name, node) != 0 ||
            client_init(&c, p->nodes[i].url, p->nodes[i].token_file, err, sizeof err) < 0)
            continue;
        snprintf(path, sizeof path, "/v1/instances/%s", instance);
        long st = client_call_json(&c, "GET", path, NULL, 3000, &inst, err, sizeof err);
        client_free(&c);
        if (st == 200)
            state = str_or(json_string_value(json_object_get(inst, "state")), "UNKNOWN");
        else if (st == 404)
            state = "GONE";
        else
            state = "UNREACHABLE";
    }
    printf("%-24s %-12s %-20s %s\n", name, node, instance, state);
    json_decref(inst);
}

int deploy_ps(struct store *st)
{
    struct ps_ctx p = {0};
    if (store_nodes_load(st, &p.nodes, &p.n) < 0)
        return 1;
    printf("%-24s %-12s %-20s %s\n", "SERVICE", "NODE", "INSTANCE", "STATE");
    int rc = store_services_each(st, ps_one, &p) < 0;
    store_nodes_free(p.nodes, p.n);
    return rc;
}
