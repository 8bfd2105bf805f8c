/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Placement, pure (see place.h for the rule). Kept free of I/O so the unit tests can pin the
 * rule down case by case, and so `deploy`, campaigns and the benchmark all pick the same way.
 */
#include <string.h>

#include "place.h"

const char *place_arch_name(const char *a)
{
    if (!a)
        return NULL;
    if (strcmp(a, "amd64") == 0 || strcmp(a, "x86_64") == 0)
        return "x86_64";
    if (strcmp(a, "arm64") == 0 || strcmp(a, "aarch64") == 0)
        return "aarch64";
    return NULL;
}

static int is_auto(const char *s)
{
    return !s || !*s || strcmp(s, "auto") == 0;
}

/* Hardware isolation at native speed first, emulation last: a probe's timings are only as good
 * as the CPU that runs it, and TCG is an order of magnitude slower than the rest. A software KVM
 * (no vmx/svm) runs hvt's CPL3 guest natively but emulates QEMU guests' ring 0: hvt on it comes
 * after proc, QEMU on it after TCG - the order the runtime's own auto choice follows. */
static int base_rank(const struct place_platform *p)
{
    int kvm = strcmp(p->accel, "kvm") == 0, hw = kvm && !p->soft_kvm;
    if (strcmp(p->platform, "hvt") == 0)
        return hw ? 60 : kvm ? 40 : 0;
    if (strncmp(p->platform, "qemu", 4) == 0)
        return hw ? 50 : kvm ? 10 : strcmp(p->accel, "tcg") == 0 ? 30 : 0;
    if (strcmp(p->platform, "proc") == 0)
        return 45;
    return 1;                   /* a platform this controller does not know yet: last resort */
}

int place_platform_rank(const struct place_platform *p, const struct place_request *r)
{
    if (!is_auto(r->platform)) {
        if (strcmp(r->platform, "qemu") == 0) {
            if (strncmp(p->platform, "qemu", 4) != 0)
                return 0;
        } else if (strcmp(r->platform, p->platform) != 0) {
            return 0;
        }
    }
    if (!is_auto(r->accel) && strcmp(r->accel, p->accel) != 0)
        return 0;
    return base_rank(p);
}

int place_best_platform(const struct place_node *node, const struct place_request *r)
{
    int best = -1, best_rank = 0;
    for (int i = 0; i < node->nplatforms && i < PLACE_MAX_PLATFORMS; i++) {
        int rank = place_platform_rank(&node->platforms[i], r);
        if (rank > best_rank) {
            best_rank = rank;
            best = i;
        }
    }
    return best;
}

static int arch_offered(const struct place_node *node, const struct place_request *r)
{
    for (int i = 0; i < r->narchs && i < PLACE_MAX_ARCHS; i++) {
        if (r->archs[i] && strcmp(r->archs[i], node->arch) == 0)
            return 1;
    }
    return 0;
}

/* Is a better than b (both eligible)? rank, then free memory, then free vCPUs, then name. */
static int better(const struct place_node *a, int rank_a, const struct place_node *b, int rank_b)
{
    if (rank_a != rank_b)
        return rank_a > rank_b;
    if (a->mem_free_mib != b->mem_free_mib)
        return a->mem_free_mib > b->mem_free_mib;
    if (a->vcpus_free != b->vcpus_free)
        return a->vcpus_free > b->vcpus_free;
    return strcmp(a->name ? a->name : "", b->name ? b->name : "") < 0;
}

int place_pick(const struct place_node *nodes, size_t n, const struct place_request *r,
               const long *cap_mem, const long *cap_vcpus, enum place_why *why)
{
    enum place_why w = PLACE_NO_NODES;
    int best = -1, best_rank = 0;
    for (size_t i = 0; i < n; i++) {
        const struct place_node *nd = &nodes[i];
        if (!nd->up)
            continue;
        if (w < PLACE_NO_ARCH)
            w = PLACE_NO_ARCH;
        if (!arch_offered(nd, r))
            continue;
        if (w < PLACE_NO_PLATFORM)
            w = PLACE_NO_PLATFORM;
        int p = place_best_platform(nd, r);
        if (p < 0)
            continue;
        if (w < PLACE_TOO_BIG)
            w = PLACE_TOO_BIG;
        long cm = cap_mem ? cap_mem[i] : nd->mem_free_mib;
        long cv = cap_vcpus ? cap_vcpus[i] : nd->vcpus_free;
        if (r->memory_mib > cm || r->vcpus > cv)
            continue;
        if (w < PLACE_NO_ROOM)
            w = PLACE_NO_ROOM;
        if (r->memory_mib > nd->mem_free_mib || r->vcpus > nd->vcpus_free)
            continue;
        int rank = place_platform_rank(&nd->platforms[p], r);
        if (best < 0 || better(nd, rank, &nodes[best], best_rank)) {
            best = (int)i;
            best_rank = rank;
        }
    }
    if (why)
        *why = best >= 0 ? PLACE_OK : w;
    return best;
}

const char *place_why_str(enum place_why why)
{
    switch (why) {
    case PLACE_OK: return "placed";
    case PLACE_NO_NODES: return "no node is up";
    case PLACE_NO_ARCH: return "no up node has an architecture the service has code for";
    case PLACE_NO_PLATFORM: return "no node of a matching architecture offers the platform/accelerator asked for";
    case PLACE_TOO_BIG: return "the service needs more memory or vCPUs than any matching node has";
    case PLACE_NO_ROOM: return "no matching node has room now";
    }
    return "?";
}
