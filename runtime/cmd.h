/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Running the host tools the runtime drives (ip, nft) without a shell: argv in, exit status
 * out, optional text on stdin (for `ip -batch -` and `nft -f -`), output captured for error
 * messages, and a deadline so a wedged tool cannot hang the runtime.
 */
#ifndef RUNTIME_CMD_H
#define RUNTIME_CMD_H

#include <stddef.h>

/*
 * Runs argv (argv[0] looked up in PATH) in its own process group with `input` on stdin (NULL:
 * /dev/null); stdout and stderr go to out (NUL-terminated, truncated) when out is given, else to
 * /dev/null. After timeout_ms the whole group is killed. Returns the exit status, 128+signal
 * when killed, -1 when it could not start.
 */
int cmd_run(const char *const argv[], const char *input, char *out, size_t outlen, long timeout_ms);

/* cmd_run with a printf-built stdin and no output capture, for batches; returns status. */
int cmd_runf(const char *const argv[], char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* path = the directory of the running executable + "/" + name (e.g. the tender, the monitor,
 * which are installed next to unf). */
int cmd_sibling_path(const char *name, char *path, size_t len);

/* The first line of s, without trailing spaces (for one-line error messages); s is modified. */
char *cmd_first_line(char *s);

#endif
