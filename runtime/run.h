/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf run`: from an image to a running instance. Parses the options, picks the platform and
 * kernel, allocates a name and an address under the state lock, unpacks kernel and archive,
 * creates network and cgroup, and hands over to the monitor. In the foreground it streams the
 * console and returns the guest's exit status, then removes the instance.
 */
#ifndef RUNTIME_RUN_H
#define RUNTIME_RUN_H

/* argv[0] is "run". Returns the process exit status: the guest's (foreground), 0 (detached),
 * 2 for bad usage, 125 when the instance could not be created. */
int run_main(int argc, char **argv);

#endif
