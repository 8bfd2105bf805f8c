/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the router's configuration parser (apps/router/config.c) and the tables
 * built from what it accepts (apps/router/route.c). Configurations come from image files and
 * command lines: any text must give either a consistent configuration or one error line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/router/config.h"
#include "../../apps/router/route.h"

static void check_accepted(const struct config *cfg)
{
    static struct route_table table;
    for (unsigned i = 0; i < cfg->nroutes; i++) {
        const struct config_route *r = &cfg->routes[i];
        if (r->nic >= CONFIG_NICS || !cfg->nics[r->nic].present || r->prefix > 32 || r->label > CONFIG_LABEL_MAX)
            abort(); /* every route leaves through a configured NIC */
    }
    for (unsigned i = 0; i < cfg->nlabels; i++) {
        const struct config_label *l = &cfg->labels[i];
        if (l->in < 16 || l->in > CONFIG_LABEL_MAX || (l->has_via && !cfg->nics[l->nic].present))
            abort();
        if (route_label(cfg, l->in) != l)
            abort(); /* incoming labels are unique */
    }
    route_build(&table, cfg);
    for (unsigned i = 1; i < table.count; i++)
        if (table.routes[i - 1].prefix < table.routes[i].prefix)
            abort(); /* longest prefixes first */
    for (unsigned i = 0; i < table.count; i++) {
        const struct route *r = route_lookup(&table, table.routes[i].dst);
        if (!r || r->prefix < table.routes[i].prefix)
            abort(); /* a route's own network finds it or a more specific one */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config cfg;
    char err[160];
    /* A private copy sized exactly, so ASan catches any read past the end. */
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    config_defaults(&cfg);
    err[0] = '\0';
    if (config_parse(&cfg, copy, size, "fuzz.conf", err, sizeof(err)) == 0)
        check_accepted(&cfg);
    else if (strncmp(err, "fuzz.conf:", 10) != 0 || strchr(err, '\n'))
        abort(); /* errors are one line naming the source */
    free(copy);
    return 0;
}
