/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Nodes as the controller sees them: asking an agent for its facts (GET /v1/node, three tries
 * before it counts as unreachable), and turning stored facts into placement input.
 */
#ifndef CLUSTER_NODE_H
#define CLUSTER_NODE_H

#include <stdint.h>

#include "place.h"
#include "store.h"

#define NODE_TRIES 3

/* Fills n (name, url, token_file given by the caller) from the agent's answer: arch, facts,
 * capacity; *res_mem / *res_vcpus (may be NULL) get what the agent has reserved now.
 * 0, or -1 with err when the agent cannot be reached (after NODE_TRIES) or answers nonsense. */
int node_probe(struct store_node *n, long *res_mem, long *res_vcpus, char *err, size_t errlen);

/* Placement input from stored facts; free = capacity - used. */
void node_to_place(const struct store_node *n, long mem_used, long vcpus_used, struct place_node *p);

int64_t node_now_ms(void);

#endif
