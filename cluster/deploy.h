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

/* The placement request of an SLA v2 document (exactly one microservice); archs point into
 * the document. 0, or -1 with a one-line reason. */
int deploy_sla_request(json_t *sla, struct place_request *req, const char **name, char *err,
                       size_t errlen);

/* Returns the process exit status (0, 1 failure, 2 usage). */
int deploy_main(struct store *st, const char *file);
int deploy_ps(struct store *st);

#endif
