/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf cluster deploy SLA.json` and `unf cluster ps`: one Oakestra SLA v2 service placed by the
 * placement rule on the registered nodes and deployed through its agent; the services the
 * controller deployed, with their state as their agents report it.
 */
#ifndef CLUSTER_DEPLOY_H
#define CLUSTER_DEPLOY_H

#include <jansson.h>

#include "place.h"
#include "store.h"

struct sla_service;
/* The placement request of a parsed SLA (agent/sla.h); its strings point into sla. */
int deploy_sla_request(const struct sla_service *sla, struct place_request *req);

/* Returns the process exit status (0, 1 failure, 2 usage). */
int deploy_main(struct store *st, const char *file);
int deploy_ps(struct store *st);

#endif
