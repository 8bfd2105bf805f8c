/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build/bin/unf-monitor: the per-instance supervisor as its own binary, linked with only what it
 * needs (no libcrypto, no benchmark code), because one runs beside every instance and its memory
 * counts in the instance's footprint.
 */
#include "monitor.h"

int main(int argc, char **argv) { return monitor_main(argc, argv); }
