/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router's forwarding tables: IPv4 longest-prefix match over the connected networks of
 * its NICs plus the static routes, and the exact-match label table (LFIB). Built once from the
 * configuration; lookups are linear over a table sorted by prefix length, which is plenty for
 * the few dozen routes of a testbed router.
 */
#ifndef ROUTER_ROUTE_H
#define ROUTER_ROUTE_H

#include "config.h"

struct route {
    unf_ip4 dst, mask;
    unsigned prefix;
    unf_ip4 via;  /* 0: connected, the destination is the next hop */
    unsigned nic;
    int push;
    uint32_t label;
};

struct route_table {
    struct route routes[CONFIG_MAX_ROUTES + CONFIG_NICS];
    unsigned count;
};

/* Builds the table from cfg: one connected route per NIC, then the static routes. */
void route_build(struct route_table *t, const struct config *cfg);
/* The most specific route holding dst, NULL when none. */
const struct route *route_lookup(const struct route_table *t, unf_ip4 dst);
/* The next hop of dst through r. */
unf_ip4 route_next_hop(const struct route *r, unf_ip4 dst);

/* The label table entry for an incoming label, NULL when none. */
const struct config_label *route_label(const struct config *cfg, uint32_t label);

#endif
