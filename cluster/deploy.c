/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One-off services (see deploy.h). The controller reads only what placement needs from the SLA
 * and sends the document itself to the agent, which owns the full SLA checks: the two cannot
 * disagree on a field the controller never interprets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "deploy.h"
#include "node.h"

static const char *str_or(const char *s, const char *def)
{
    return s ? s : def;
}

int deploy_sla_request(json_t *sla, struct place_request *req, const char **name, char *err,
                       size_t errlen)
{
    memset(req, 0, sizeof *req);
    const char *ver = json_string_value(json_object_get(sla, "sla_version"));
    json_t *apps = json_object_get(sla, "applications");
    json_t *mss = json_object_get(json_array_get(apps, 0), "microservices");
    if (!ver || strcmp(ver, "v2.0") != 0) {
        snprintf(err, errlen, "SLA: \"sla_version\" must be \"v2.0\"");
        return -1;
    }
    if (json_array_size(apps) != 1 || json_array_size(mss) != 1) {
        snprintf(err, errlen, "SLA: exactly one application with exactly one microservice per deployment");
        return -1;
    }
    json_t *ms = json_array_get(mss, 0);
    const char *virt = json_string_value(json_object_get(ms, "virtualization"));
    *name = json_string_value(json_object_get(ms, "microservice_name"));
    json_t *arch = json_object_get(ms, "arch"), *mem = json_object_get(ms, "memory"),
           *vcpus = json_object_get(ms, "vcpus");
    if (!virt || strcmp(virt, "unikernel") != 0) {
        snprintf(err, errlen, "SLA: \"virtualization\" must be \"unikernel\"");
        return -1;
    }
    if (!*name || !**name) {
        snprintf(err, errlen, "SLA: \"microservice_name\" is missing");
        return -1;
    }
    if (!json_is_array(arch) || json_array_size(arch) == 0 || json_array_size(arch) > PLACE_MAX_ARCHS) {
        snprintf(err, errlen, "SLA: \"arch\" must be an array of 1 to %d architectures", PLACE_MAX_ARCHS);
        return -1;
    }
    for (size_t i = 0; i < json_array_size(arch); i++) {
        const char *a = place_arch_name(json_string_value(json_array_get(arch, i)));
        if (!a) {
            snprintf(err, errlen, "SLA: \"arch\"[%zu] must be amd64 or arm64", i);
            return -1;
        }
        req->archs[req->narchs++] = a;
    }
    if (!json_is_integer(mem) || json_integer_value(mem) < 1 ||
        (vcpus && (!json_is_integer(vcpus) || json_integer_value(vcpus) < 1))) {
        snprintf(err, errlen, "SLA: \"memory\" (MiB) and \"vcpus\" must be positive integers");
        return -1;
    }
    req->memory_mib = (long)json_integer_value(mem);
    req->vcpus = vcpus ? (long)json_integer_value(vcpus) : 1;
    req->platform = json_string_value(json_object_get(ms, "unf_platform"));
    req->accel = json_string_value(json_object_get(ms, "unf_accel"));
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
    json_t *sla = json_load_file(file, JSON_REJECT_DUPLICATES, &je);
    if (!sla) {
        fprintf(stderr, "unf cluster: %s: %s (line %d)\n", file, je.text, je.line);
        return 1;
    }
    struct place_request req;
    const char *name;
    if (deploy_sla_request(sla, &req, &name, err, sizeof err) < 0) {
        fprintf(stderr, "unf cluster: %s: %s\n", file, err);
        goto out;
    }
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
    char *text = json_dumps(sla, JSON_COMPACT);
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
