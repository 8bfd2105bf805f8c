/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build/bin/unf-bench: the benchmarks of unf as their own program beside the runtime, the way
 * redis-benchmark sits beside Redis. It links the runtime's modules (driver table, net, cmd,
 * cgroup, image) so every variant starts exactly what `unf run` starts, but none of the CLI.
 * `unf bench ARGS` execs this program with ARGS. Subcommands: boot, probe, fw, dns, http, deploy, campaign, all.
 */
#include <stdio.h>
#include <string.h>

#include "boot_report.h"
#include "campaign.h"
#include "deploy.h"
#include "dns.h"
#include "fw.h"
#include "http.h"
#include "probe.h"
#include "router.h"

struct experiment {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *what;
};

static const struct experiment experiments[] = {
    {"boot", bench_boot_main, "boot to first packet of every platform vs a process and runc"},
    {"probe", bench_probe_main, "the TNT probe: image size, deploy + execute, density, probing rate"},
    {"fw", bench_fw_main, "firewall classifier lookups/s vs rules, end to end through the proc firewall"},
    {"dns", bench_dns_main, "authoritative DNS q/s vs load (dnsperf) vs native, runc and NSD"},
    {"http", bench_http_main, "static HTTP req/s vs connections (wrk) vs native, runc and nginx"},
    {"deploy", bench_deploy_main, "vTNT's deploy + execute through the unfd agent API vs runc"},
    {"campaign", bench_campaign_main, "unf cluster over unfd agents: overhead per deployment, deployments/s"},
    {"router", bench_router_main, "forwarded pps of the proc router vs Linux IPv4 forwarding (veth)"},
};
#define NEXPERIMENTS (sizeof(experiments) / sizeof(experiments[0]))

static void usage(FILE *f)
{
    fprintf(f, "usage: unf-bench EXPERIMENT [OPTIONS]   (also: unf bench EXPERIMENT ...; "
               "unf-bench EXPERIMENT --help)\n");
    for (size_t i = 0; i < NEXPERIMENTS; i++)
        fprintf(f, "  %-6s %s\n", experiments[i].name, experiments[i].what);
    fprintf(f, "Reports: Markdown on stdout; Markdown, CSV and PNG figures in build/bench/ (--out DIR).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "unf bench: missing subcommand (try 'unf bench --help')\n");
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < NEXPERIMENTS; i++) {
        if (strcmp(cmd, experiments[i].name) == 0)
            return experiments[i].main(argc - 1, argv + 1);
    }
    fprintf(stderr, "unf bench: unknown subcommand '%s' (try 'unf bench --help')\n", cmd);
    return 2;
}
