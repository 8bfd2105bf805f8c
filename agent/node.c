/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Capacity and reservations of the node (see node.h): four counters behind one mutex.
 */
#include "node.h"

#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct node_usage usage;

void node_init(unsigned memory_mib, unsigned vcpus)
{
    pthread_mutex_lock(&lock);
    usage.cap_memory_mib = memory_mib;
    usage.cap_vcpus = vcpus;
    usage.res_memory_mib = usage.res_vcpus = 0;
    pthread_mutex_unlock(&lock);
}

int node_admit(unsigned memory_mib, unsigned vcpus, char *err, size_t errlen)
{
    pthread_mutex_lock(&lock);
    /* Re-adopted instances (node_force) may hold more than a smaller new capacity. */
    unsigned free_mem = usage.cap_memory_mib > usage.res_memory_mib ? usage.cap_memory_mib - usage.res_memory_mib : 0;
    unsigned free_cpu = usage.cap_vcpus > usage.res_vcpus ? usage.cap_vcpus - usage.res_vcpus : 0;
    int ok = memory_mib <= free_mem && vcpus <= free_cpu;
    if (ok) {
        usage.res_memory_mib += memory_mib;
        usage.res_vcpus += vcpus;
    } else {
        snprintf(err, errlen, "no room: asked %u MiB and %u vcpus, free %u MiB and %u vcpus of %u MiB and %u vcpus",
                 memory_mib, vcpus, free_mem, free_cpu, usage.cap_memory_mib, usage.cap_vcpus);
    }
    pthread_mutex_unlock(&lock);
    return ok ? 0 : -1;
}

void node_force(unsigned memory_mib, unsigned vcpus)
{
    pthread_mutex_lock(&lock);
    usage.res_memory_mib += memory_mib;
    usage.res_vcpus += vcpus;
    pthread_mutex_unlock(&lock);
}

void node_release(unsigned memory_mib, unsigned vcpus)
{
    pthread_mutex_lock(&lock);
    /* Never below zero, even if a caller released twice. */
    usage.res_memory_mib -= memory_mib <= usage.res_memory_mib ? memory_mib : usage.res_memory_mib;
    usage.res_vcpus -= vcpus <= usage.res_vcpus ? vcpus : usage.res_vcpus;
    pthread_mutex_unlock(&lock);
}

void node_usage(struct node_usage *u)
{
    pthread_mutex_lock(&lock);
    *u = usage;
    pthread_mutex_unlock(&lock);
}

unsigned node_host_memory_mib(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || size <= 0)
        return 0;
    return (unsigned)((unsigned long long)pages * (unsigned long long)size / (1024 * 1024));
}

unsigned node_host_vcpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}
