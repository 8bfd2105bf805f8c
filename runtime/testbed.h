/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Testbeds: a topology of unikernel routers and Linux hosts, each in its own network namespace,
 * wired by veth links, described by one JSON file. For MPLS/TNT experiments and any
 * multi-hop test of network functions. `unf testbed up|down|ls|run`.
 */
#ifndef RUNTIME_TESTBED_H
#define RUNTIME_TESTBED_H

/* argv[0] is "testbed". Returns the exit status (2 bad usage, 1 failure). */
int testbed_main(int argc, char **argv);

#endif
