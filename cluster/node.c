/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Node facts (see node.h). The agent's answer is checked field by field: a node that reports
 * no architecture or a negative capacity is refused rather than placed on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "node.h"

int64_t node_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long get_int(json_t *o, const char *a, const char *b)
{
    json_t *v = json_object_get(json_object_get(o, a), b);
    return json_is_integer(v) ? (long)json_integer_value(v) : -1;
}

int node_probe(struct store_node *n, long *res_mem, long *res_vcpus, char *err, size_t errlen)
{
    struct client c;
    json_t *facts = NULL;
    int rc = -1;
    if (client_init(&c, n->url, n->token_file, err, errlen) < 0)
        return -1;
    long st = -1;
    for (int i = 0; i < NODE_TRIES; i++) {
        json_decref(facts);
        facts = NULL;
        st = client_call_json(&c, "GET", "/v1/node", NULL, 3000, &facts, err, errlen);
        if (st >= 0)
            break;
        struct timespec d = {0, 100000000L * (i + 1)};
        nanosleep(&d, NULL);
    }
    if (st < 200 || st > 299)
        goto out;
    const char *arch = json_string_value(json_object_get(facts, "arch"));
    long mem = get_int(facts, "capacity", "memory_mib"), vcpus = get_int(facts, "capacity", "vcpus");
    if (!arch || (strcmp(arch, "x86_64") && strcmp(arch, "aarch64")) || mem < 0 || vcpus < 0 ||
        !json_is_array(json_object_get(facts, "platforms"))) {
        snprintf(err, errlen, "agent %s answered GET /v1/node without arch, platforms or capacity", n->url);
        goto out;
    }
    snprintf(n->arch, sizeof n->arch, "%s", arch);
    n->mem_cap = mem;
    n->vcpus_cap = vcpus;
    free(n->facts);
    n->facts = json_dumps(facts, JSON_COMPACT);
    if (!n->facts) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    snprintf(n->state, sizeof n->state, "UP");
    n->last_seen_ms = node_now_ms();
    long rm = get_int(facts, "reserved", "memory_mib"), rv = get_int(facts, "reserved", "vcpus");
    if (res_mem)
        *res_mem = rm > 0 ? rm : 0;
    if (res_vcpus)
        *res_vcpus = rv > 0 ? rv : 0;
    rc = 0;
out:
    json_decref(facts);
    client_free(&c);
    return rc;
}

void node_to_place(const struct store_node *n, long mem_used, long vcpus_used, struct place_node *p)
{
    memset(p, 0, sizeof *p);
    p->name = n->name;
    snprintf(p->arch, sizeof p->arch, "%s", n->arch);
    p->up = strcmp(n->state, "UP") == 0;
    p->mem_free_mib = n->mem_cap - mem_used;
    p->vcpus_free = n->vcpus_cap - vcpus_used;
    json_t *facts = json_loads(n->facts ? n->facts : "{}", 0, NULL);
    json_t *pl = json_object_get(facts, "platforms"), *e;
    size_t i;
    json_array_foreach(pl, i, e) {
        const char *plat = json_string_value(json_object_get(e, "platform"));
        const char *acc = json_string_value(json_object_get(e, "accel"));
        if (!plat || p->nplatforms >= PLACE_MAX_PLATFORMS)
            continue;
        struct place_platform *x = &p->platforms[p->nplatforms++];
        snprintf(x->platform, sizeof x->platform, "%s", plat);
        snprintf(x->accel, sizeof x->accel, "%s", acc ? acc : "none");
        x->soft_kvm = json_is_false(json_object_get(e, "hardware"));
    }
    json_decref(facts);
}
