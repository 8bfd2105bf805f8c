/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Placement, pure: given the nodes' facts (architecture, platforms and accelerators), what is
 * free on each, and one request (the architectures the SLA offers code for, memory, vCPUs,
 * platform/accelerator constraints), pick the node. Oakestra's arch-aware rule: only nodes whose
 * architecture the request has code for; then the best platform the node can give (hardware-KVM
 * hvt > QEMU on hardware KVM > proc > hvt on a software KVM > QEMU on TCG > QEMU on a software
 * KVM); then the most free memory, then the most
 * free vCPUs; ties by name. No I/O, no clock: the same input always gives the same node.
 */
#ifndef CLUSTER_PLACE_H
#define CLUSTER_PLACE_H

#include <stddef.h>

#define PLACE_MAX_PLATFORMS 8
#define PLACE_MAX_ARCHS 4

struct place_platform {
    char platform[24];          /* "proc", "hvt", "qemu-microvm", "qemu-virt", ... */
    char accel[8];              /* "none", "kvm", "tcg" */
    int soft_kvm;               /* accel "kvm" on a software hypervisor (the agent's "hardware": false) */
};

struct place_node {
    const char *name;
    char arch[16];              /* "x86_64" or "aarch64" */
    struct place_platform platforms[PLACE_MAX_PLATFORMS];
    int nplatforms;
    int up;                     /* 0: DEAD, never chosen */
    long mem_free_mib;          /* capacity minus what is reserved (the caller's ledger) */
    long vcpus_free;
};

struct place_request {
    const char *archs[PLACE_MAX_ARCHS]; /* unf names ("x86_64", "aarch64") the code exists for */
    int narchs;
    long memory_mib;
    long vcpus;
    const char *platform;       /* NULL or "auto": any; "qemu" matches every qemu-*; else exact */
    const char *accel;          /* NULL or "auto": any; else exact */
};

/* Why no node fits, for the one-line error (the most telling reason across all nodes). */
enum place_why {
    PLACE_OK = 0,
    PLACE_NO_NODES,             /* no node is up */
    PLACE_NO_ARCH,              /* no up node has an architecture the request has code for */
    PLACE_NO_PLATFORM,          /* ... none of those offers the platform/accelerator asked for */
    PLACE_TOO_BIG,              /* the request exceeds every such node's whole capacity */
    PLACE_NO_ROOM,              /* fits some node's capacity, but none has that much free now */
};

/* Rank of one platform entry (higher is better), 0 when it breaks the request's constraints. */
int place_platform_rank(const struct place_platform *p, const struct place_request *r);

/* The index in nodes[] of the chosen node, or -1 with *why set. cap_mem/cap_vcpus (may be NULL)
 * are the nodes' whole capacities, to tell "too big for any node" from "no room now". */
int place_pick(const struct place_node *nodes, size_t n, const struct place_request *r,
               const long *cap_mem, const long *cap_vcpus, enum place_why *why);

/* The best platform entry of one node for the request, or -1. */
int place_best_platform(const struct place_node *node, const struct place_request *r);

/* "amd64" -> "x86_64", "arm64" -> "aarch64" (Oakestra's names); unf names pass; else NULL. */
const char *place_arch_name(const char *oakestra);

const char *place_why_str(enum place_why why);

#endif
