/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * firewall: a bump in the wire between NIC 0 and NIC 1. Every frame of one NIC is forwarded
 * to the other unless the rules drop it: ARP passes, IPv4 is filtered by 5-tuple rules
 * (first match; a default policy), with optional connection tracking so replies of allowed
 * flows pass, anything else is dropped. Rules come from a file in the image's archive and/or
 * the command line:
 *   firewall [--rules FILE] [-e "RULE; RULE..."]... [--conntrack] [--ct-size N]
 *            [--stats-interval SECONDS] [--check]
 * Without --rules or -e it reads firewall.rules. Syntax: fw_parse.h. --check parses, builds
 * the classifier, prints a summary and exits. A rule-set error is one line on stderr naming
 * the file and line, exit status 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "fw_filter.h"

#define DEFAULT_RULES "firewall.rules"
#define DEFAULT_CT_SIZE 65536
#define CT_SWEEP_NS 5000000000ull

struct options {
    int check;
    int conntrack;
    unsigned long ct_size;
    unsigned long stats_s;
};

static struct options opts = {.ct_size = DEFAULT_CT_SIZE};
static struct fw_ruleset rules;
static struct fw_filter filter;
static unf_l2 *ports[2];

static int load_file(const char *path)
{
    struct unf_file file;
    char err[256];
    if (unf_file_find(path, &file) < 0 || file.is_dir) {
        fprintf(stderr, "firewall: %s: no such file in the image's files\n", path);
        return -1;
    }
    if (fw_parse(&rules, file.data, file.size, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "firewall: %s\n", err);
        return -1;
    }
    return 0;
}

static int load_text(const char *text)
{
    char err[256];
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy) {
        fprintf(stderr, "firewall: no memory\n");
        return -1;
    }
    for (size_t i = 0; i <= len; i++)
        copy[i] = text[i] == ';' ? '\n' : text[i];
    int rc = fw_parse(&rules, copy, len, "-e", err, sizeof(err));
    free(copy);
    if (rc < 0)
        fprintf(stderr, "firewall: %s\n", err);
    return rc;
}

static int parse_count(const char *text, unsigned long lo, unsigned long hi, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(text, &end, 10);
    if (*text < '0' || *text > '9' || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int parse_args(int argc, char **argv)
{
    int loaded = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--rules") == 0 && i + 1 < argc) {
            if (load_file(argv[++i]) < 0)
                return -1;
            loaded = 1;
        } else if (strcmp(a, "-e") == 0 && i + 1 < argc) {
            if (load_text(argv[++i]) < 0)
                return -1;
            loaded = 1;
        } else if (strcmp(a, "--conntrack") == 0) {
            opts.conntrack = 1;
        } else if (strcmp(a, "--ct-size") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 16, 1u << 24, &opts.ct_size) < 0) {
                fprintf(stderr, "firewall: bad --ct-size '%s' (16..16777216)\n", argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--stats-interval") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 1, 86400, &opts.stats_s) < 0) {
                fprintf(stderr, "firewall: bad --stats-interval '%s' (1..86400 seconds)\n", argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--check") == 0) {
            opts.check = 1;
        } else {
            fprintf(stderr, "firewall: unknown argument '%s' (usage: firewall [--rules FILE] [-e \"RULES\"]... "
                            "[--conntrack] [--ct-size N] [--stats-interval SECONDS] [--check])\n", a);
            return -1;
        }
    }
    if (!loaded && load_file(DEFAULT_RULES) < 0)
        return -1;
    return 0;
}

static void on_frame(void *arg, unf_l2 *port, const void *frame, size_t len)
{
    unsigned nic = (unsigned)(uintptr_t)arg;
    (void)port;
    if (fw_filter_frame(&filter, frame, len, unf_now_ns()) && ports[nic ^ 1])
        unf_l2_send(ports[nic ^ 1], frame, len);
}

static void on_stats(void *arg)
{
    (void)arg;
    fw_filter_print(&filter, "firewall: stats");
}

static void on_sweep(void *arg)
{
    (void)arg;
    if (filter.ct)
        fw_ct_expire(filter.ct, unf_now_ns());
}

int main(int argc, char **argv)
{
    fw_ruleset_init(&rules);
    if (parse_args(argc, argv) < 0)
        return 2;
    uint64_t t0 = unf_now_ns();
    if (fw_filter_init(&filter, &rules, opts.conntrack ? (uint32_t)opts.ct_size : 0) < 0) {
        fprintf(stderr, "firewall: no memory for %lu rules (give the instance more memory)\n",
                (unsigned long)rules.count);
        return 1;
    }
    uint64_t build_us = (unf_now_ns() - t0) / 1000;
    printf("firewall: %lu rules (%lu classifier entries), default %s, conntrack %s; classifier: %u tables, "
           "%lu KiB, built in %lu.%03lu ms\n", (unsigned long)rules.nsources, (unsigned long)rules.count,
           rules.default_action == FW_ALLOW ? "allow" : "deny", opts.conntrack ? "on" : "off",
           fw_classifier_tables(filter.cls), (unsigned long)(fw_classifier_bytes(filter.cls) / 1024),
           (unsigned long)(build_us / 1000), (unsigned long)(build_us % 1000));
    if (opts.check)
        return 0;
    for (unsigned i = 0; i < 2; i++) {
        ports[i] = unf_l2_open(i, on_frame, (void *)(uintptr_t)i);
        if (!ports[i]) {
            fprintf(stderr, "firewall: needs two NICs: cannot take NIC %u's frames\n", i);
            return 1;
        }
    }
    if ((opts.stats_s && !unf_timer_start(opts.stats_s * 1000000000ull, opts.stats_s * 1000000000ull, on_stats, NULL)) ||
        (opts.conntrack && !unf_timer_start(CT_SWEEP_NS, CT_SWEEP_NS, on_sweep, NULL))) {
        fprintf(stderr, "firewall: no memory for a timer\n");
        return 1;
    }
    printf("firewall: forwarding between nic 0 and nic 1\n");
    fflush(stdout);
    int status = unf_loop_run();
    fw_filter_print(&filter, "firewall: stats");
    fw_filter_free(&filter);
    fw_ruleset_free(&rules);
    return status;
}
