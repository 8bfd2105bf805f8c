/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Joining the instance's cgroup(s) from inside the tender. Under `unf run` the monitor names the
 * cgroup.procs file(s) in UNF_CGROUP_PROCS (':'-separated) instead of moving the process itself,
 * so that the tender can do it on a thread while it builds its packet rings: a cgroup move and a
 * PACKET_RX_RING each wait for an RCU grace period (~15 ms apiece on a virtual host); in
 * parallel they wait for one. The tender finishes joining before it maps guest memory, so that
 * memory is charged to the instance. Without UNF_CGROUP_PROCS both calls do nothing.
 */
#ifndef UNF_TENDER_CGROUP_JOIN_H
#define UNF_TENDER_CGROUP_JOIN_H

#include <pthread.h>

struct cgroup_join {
    pthread_t thread;
    int started;
    int err;            /* errno of the failed write, 0 */
    char files[600];
    char failed[300];   /* the file that failed */
};

/* Starts the join when UNF_CGROUP_PROCS is set; -1 (error reported) when it cannot. */
int cgroup_join_start(struct cgroup_join *j);
/* Waits for it; -1 (error reported) when the process could not be moved. */
int cgroup_join_finish(struct cgroup_join *j);

#endif
