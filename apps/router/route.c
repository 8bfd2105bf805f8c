/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router's forwarding tables: longest-prefix match and the label table. See route.h.
 */
#include "route.h"

#include <string.h>

static unf_ip4 mask_of(unsigned prefix)
{
    uint32_t host = prefix ? 0xffffffffu << (32 - prefix) : 0;
    return __builtin_bswap32(host);
}

/* Inserts keeping longer prefixes first; among equal ones the earlier stays first. */
static void insert(struct route_table *t, const struct route *r)
{
    unsigned at = t->count;
    while (at > 0 && t->routes[at - 1].prefix < r->prefix) {
        t->routes[at] = t->routes[at - 1];
        at--;
    }
    t->routes[at] = *r;
    t->count++;
}

void route_build(struct route_table *t, const struct config *cfg)
{
    memset(t, 0, sizeof(*t));
    for (unsigned i = 0; i < CONFIG_NICS; i++) {
        const struct config_nic *nic = &cfg->nics[i];
        if (!nic->present)
            continue;
        struct route r = {.mask = mask_of(nic->prefix), .prefix = nic->prefix, .nic = i};
        r.dst = nic->addr & r.mask;
        insert(t, &r);
    }
    for (unsigned i = 0; i < cfg->nroutes; i++) {
        const struct config_route *c = &cfg->routes[i];
        struct route r = {.dst = c->dst, .mask = mask_of(c->prefix), .prefix = c->prefix,
                          .via = c->via, .nic = c->nic, .push = c->push, .label = c->label};
        insert(t, &r);
    }
}

const struct route *route_lookup(const struct route_table *t, unf_ip4 dst)
{
    for (unsigned i = 0; i < t->count; i++)
        if ((dst & t->routes[i].mask) == t->routes[i].dst)
            return &t->routes[i];
    return NULL;
}

unf_ip4 route_next_hop(const struct route *r, unf_ip4 dst)
{
    return r->via ? r->via : dst;
}

const struct config_label *route_label(const struct config *cfg, uint32_t label)
{
    for (unsigned i = 0; i < cfg->nlabels; i++)
        if (cfg->labels[i].in == label)
            return &cfg->labels[i];
    return NULL;
}
