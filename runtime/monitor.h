/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The monitor: one small supervisor process per instance (shown as "unf-monitor NAME"). It
 * starts the guest (tender or QEMU) inside the instance's cgroup and network namespace with the
 * console going to the instance's log, waits for it however it ends, turns a stop request into
 * SIGTERM then SIGKILL, records the exit status and the reason as soon as the guest has ended
 * (marked "cleanup"), and then removes the instance's network, nft rules and cgroup.
 */
#ifndef RUNTIME_MONITOR_H
#define RUNTIME_MONITOR_H

#define MONITOR_ARGV0 "unf-monitor"

/* Entry point of build/bin/unf-monitor NAME READY_FD (runtime/monitor_main.c). The monitor writes one line
 * to READY_FD: "ok" once the guest runs, or the reason it could not start. */
int monitor_main(int argc, char **argv);

#endif
