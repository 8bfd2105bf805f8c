/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The unf command line: dispatch to the subcommands. `run` lives in run.c, the instance
 * commands (ps, logs, stop, rm, inspect) in commands.c, images in image.c. `unf bench ARGS`
 * execs build/bin/unf-bench (bench/), the benchmarks' own program installed next to unf, and
 * `unf cluster ARGS` execs build/bin/unf-cluster (cluster/), the multi-node controller.
 * The monitor is its own small binary (monitor_main.c), so an idle instance does not carry the
 * CLI's libraries.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "commands.h"
#include "run.h"
#include "testbed.h"

/* `unf bench ARGS` is `unf-bench ARGS`, `unf cluster ARGS` is `unf-cluster ARGS`: the sibling
 * program replaces this process. */
static int sibling_exec(const char *prog, char **argv)
{
    char path[PATH_MAX];
    if (cmd_sibling_path(prog, path, sizeof(path)) < 0) {
        fprintf(stderr, "unf: cannot locate %s next to unf\n", prog);
        return 1;
    }
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "unf: cannot run %s: %s\n", path, strerror(errno));
    return 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: unf COMMAND [ARGS]\n"
            "  build DIR [-o IMAGE] [--kernels DIR] [--oci LAYOUT]\n"
            "                                 pack an app's kernels and files into a .unf image\n"
            "                                 (--oci: also an OCI image layout for engines)\n"
            "  run [-d] [--name N] [--platform auto|proc|hvt|qemu|qemu-microvm|qemu-q35|qemu-virt]\n"
            "      [--accel auto|kvm|tcg] [--arch x86_64|aarch64] [--mem SIZE] [--cpus N] [--nic packet|xdp]\n"
            "      [-p HOST:GUEST[/udp]]... IMAGE [-- ARGS]\n"
            "  ps [-a]                        list instances (-a: also exited ones)\n"
            "  logs NAME                      the instance's console\n"
            "  stop NAME...                   stop instances (SIGTERM, then SIGKILL)\n"
            "  rm [-f] NAME...                remove exited instances (-f: stop first)\n"
            "  inspect NAME|IMAGE             JSON of an instance, or an image's manifest\n"
            "  info                           this host: KVM, platforms and accelerators, the auto choice\n"
            "  testbed up FILE | down NAME | ls | run TB NODE IMAGE [--ip A/P] [--gw G] [-- ARGS]\n"
            "                                 multi-node topologies of unikernel routers and hosts\n"
            "  bench boot|probe|fw|dns|http   benchmarks against baselines measured in the same run\n"
            "  cluster node|deploy|ps|campaign  the multi-node controller (unf cluster --help)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return run_main(argc - 1, argv + 1);
    if (strcmp(cmd, "testbed") == 0)
        return testbed_main(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0)
        return sibling_exec("unf-bench", argv + 1);
    if (strcmp(cmd, "cluster") == 0)
        return sibling_exec("unf-cluster", argv + 1);
    int rc = commands_main(argc - 1, argv + 1);
    if (rc == COMMANDS_UNKNOWN) {
        fprintf(stderr, "unf: unknown command '%s' (try 'unf --help')\n", cmd);
        return 2;
    }
    return rc;
}
