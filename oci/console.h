/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's console as a terminal: when the engine asks for one (process.terminal, podman
 * -t), it passes --console-socket; the holder makes a pty, hands the master to the engine and
 * keeps the slave as stdin/stdout/stderr, which the tender or QEMU inherits at exec.
 */
#ifndef OCI_CONSOLE_H
#define OCI_CONSOLE_H

#include <stddef.h>

/* Makes a new session whose controlling terminal and stdio are a new pty's slave, after
 * sending its master over socket_path. -1 with one line in err. */
int oci_console_setup(const char *socket_path, char *err, size_t errlen);

#endif
