/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The node's declared capacity (memory in MiB, vCPUs) and what running instances hold of it.
 * Admission is strict: a request is admitted only when reserved + requested stays within the
 * capacity for both, checked and booked under one mutex so parallel requests cannot over-commit.
 */
#ifndef AGENT_NODE_H
#define AGENT_NODE_H

#include <stddef.h>

struct node_usage {
    unsigned cap_memory_mib, cap_vcpus;
    unsigned res_memory_mib, res_vcpus;
};

void node_init(unsigned memory_mib, unsigned vcpus);
/* Books the request; 0, or -1 with "no room: ..." in err. */
int node_admit(unsigned memory_mib, unsigned vcpus, char *err, size_t errlen);
/* Books without the check (re-adopting instances that were already running). */
void node_force(unsigned memory_mib, unsigned vcpus);
void node_release(unsigned memory_mib, unsigned vcpus);
void node_usage(struct node_usage *u);

/* The host's memory (MemTotal, MiB) and online CPUs, the defaults for the capacity. */
unsigned node_host_memory_mib(void);
unsigned node_host_vcpus(void);

#endif
