/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instances and their state: /run/unf/<name>/ holds instance.json (written atomically), the
 * console log, the unpacked kernel and file archive. A global lock (/run/unf/.lock) serializes
 * name and address allocation. Liveness is judged by pid plus process start time, so a recycled
 * pid is never mistaken for an instance's monitor or guest.
 */
#ifndef RUNTIME_INSTANCE_H
#define RUNTIME_INSTANCE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "net.h"

#define INSTANCE_ROOT "/run/unf"
#define INSTANCE_NAME_MAX 40

/* The state root: $UNF_ROOT when set (absolute path; a node agent gives each of its runtimes
 * its own, so several agents on one host never see or number each other's instances), else
 * INSTANCE_ROOT. Inherited by the monitor through the environment. */
const char *instance_root(void);

struct instance {
    char name[INSTANCE_NAME_MAX + 1];
    char image[4096];           /* the image file it was started from */
    char image_name[64];
    char platform[16];          /* driver name */
    char accel[8];              /* "kvm", "tcg" or "none" (proc) */
    char state[16];             /* "creating", "running", "exited" */
    int cleanup;                /* exited, but its monitor still removes network and cgroup */
    pid_t monitor_pid, guest_pid;
    unsigned long long monitor_start, guest_start; /* /proc/PID/stat starttime */
    int exit_code;              /* valid when exited; -1 unknown */
    char reason[256];           /* why it ended, when not a plain guest exit */
    uint64_t mem;
    double cpus;
    long long created_ms, started_ms, finished_ms; /* wall clock, milliseconds (instance_now_ms) */
    char cmdline[4096];         /* the guest's command line */
    struct net_instance net;
};

/* Names: [A-Za-z0-9][A-Za-z0-9_.-]{0,39}. */
int instance_name_valid(const char *name);

/* Exclusive lock over the state directory (blocking); returns an fd for instance_unlock. */
int instance_lock(void);
void instance_unlock(int fd);

/* Paths inside the instance's state dir. */
void instance_path(const char *name, const char *file, char *path, size_t len);

/* The wall clock in milliseconds, for created_ms, started_ms and finished_ms. */
long long instance_now_ms(void);

int instance_exists(const char *name);
int instance_load(const char *name, struct instance *in, char *err, size_t errlen);
int instance_save(const struct instance *in);
/* The instance as the JSON `unf inspect` prints (caller frees). */
char *instance_to_json(const struct instance *in);

/* Names of all instances (sorted); returns the count, fills *names (caller frees each + array). */
int instance_list(char ***names);
void instance_list_free(char **names, int n);

/* Lowest free address offset among existing instances (caller holds the lock); 0 when full. */
uint32_t instance_free_offset(void);

/* The process start time (field 22 of /proc/PID/stat), 0 when pid is gone. */
unsigned long long instance_proc_start(pid_t pid);
/* pid is alive and is the process that had start time `start`. */
int instance_proc_alive(pid_t pid, unsigned long long start);

/* Kills the guest, removes network, nft table and cgroup of an instance (idempotent). */
void instance_teardown(struct instance *in);

/* An instance marked creating/running, or exited with its teardown unfinished, whose monitor is
 * gone: tear it down and mark it exited (keeping a recorded exit). Run by every command, so
 * that a killed monitor never leaves anything behind. */
void instance_reap_all(void);

/* Tears down instance name if its monitor is gone before it was settled (lock taken here). An
 * exit the monitor recorded before it died stays as it was; otherwise the death is the reason
 * ("its monitor died; cleaned up by REAPER"). Nothing happens while the monitor lives. */
void instance_reap(const char *name, const char *reaper);

/* The instance has ended and holds nothing any more: exited, its teardown done. A monitor
 * records a guest's exit at once with cleanup set and clears it when network and cgroup are
 * gone, so a waiter learns of the exit without waiting for the teardown; whatever still needs
 * the resources released (unf stop, unf rm, a port clash) waits for this instead. */
int instance_settled(const struct instance *in);

/* Waits, at most timeout_ms, while the instance's monitor tears down after the guest's exit.
 * A monitor gone meanwhile is reaped. Returns 0 when no teardown is in progress (also when
 * the instance is gone or has not exited), -1 when it still was at the deadline. */
int instance_wait_settled(const char *name, int timeout_ms);

/* The guest NIC's spec for the tender or QEMU: the tap, or "packet:eth0" / "xdp:eth0" for the
 * packet layout. */
const char *instance_nic_spec(const struct net_instance *net);

/* Removes the state dir. */
int instance_remove_state(const char *name);

#endif
