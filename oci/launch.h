/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create and start, runc's way. create prepares everything (bundle, image, kernel and archive
 * unpacked into the state dir, platform chosen with driver_select) and forks a holder process
 * that joins the cgroup and enters the engine's network namespace (or makes a new one) and
 * says so over a pipe; create runs the prestart/createRuntime hooks (docker's network setup)
 * and lets it go on; the holder wires the guest's network, reports again, and then blocks
 * opening <state dir>/exec.fifo for writing. create
 * records the holder's pid (and start time) in state.json and in --pid-file and exits; the
 * holder stays, a child of the engine's subreaper (conmon, the containerd shim). start opens
 * the FIFO for reading and takes one byte, which releases the holder: it execs the driver's
 * argv (the tender or QEMU), so the pid the engine knows is the guest's process and the guest's
 * console is the stdio the engine gave create (or the pty sent over --console-socket).
 */
#ifndef OCI_LAUNCH_H
#define OCI_LAUNCH_H

#include "cli.h"

#define OCI_MEM_FLOOR (8ull << 20) /* guest memory never below this */

int oci_create(const struct oci_opts *o, const char *id);
int oci_start(const struct oci_opts *o, const char *id);

#endif
