/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The instance and image commands other than run: build, ps, logs, stop, rm, inspect.
 */
#ifndef RUNTIME_COMMANDS_H
#define RUNTIME_COMMANDS_H

#define COMMANDS_UNKNOWN (-1000)

/* argv[0] is the command name. Returns the exit status, or COMMANDS_UNKNOWN. */
int commands_main(int argc, char **argv);

#endif
