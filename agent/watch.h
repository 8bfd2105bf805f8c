/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The watcher thread: notices when a RUNNING instance ends and has launch_check move its record
 * on (COMPLETED, FAILED or DEAD, reservation released, long-polls woken). An instance's end is an
 * event, not something found by polling: the runtime renames a new instance.json into the
 * instance's state directory when the guest exits, and an inotify watch on that directory wakes
 * the thread at once. A slow sweep (every second) looks at every running instance anyway, for a
 * monitor that died without writing a status.
 */
#ifndef AGENT_WATCH_H
#define AGENT_WATCH_H

/* Starts the thread; 0 or -1. watch_stop wakes it, joins it and closes its descriptors. */
int watch_start(void);
void watch_stop(void);
/* Tells the thread the table changed (an instance became RUNNING, a stop ended): it takes on
 * new RUNNING instances at once. Safe from any thread, and a no-op while it is not running. */
void watch_kick(void);

#endif
