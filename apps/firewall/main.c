/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * firewall: a bump in the wire between NIC 0 and NIC 1. Every frame of one NIC is forwarded
 * to the other unless the rules drop it: ARP passes, IPv4 is filtered by 5-tuple rules
 * (first match; a default policy), with optional connection tracking so replies of allowed
 * flows pass, anything else is dropped. Rules come from a file in the image's archive and/or
 * the command line:
 *   firewall [--rules FILE] [-e "RULE; RULE..."]... [--conntrack] [--ct-size N]
 *            [--stats-interval SECONDS] [--check]
 *            [--control PORT [--control-nic N] [--control-from CIDR]]
 * Without --rules or -e it reads firewall.rules. Syntax: fw_parse.h. --check parses, builds
 * the classifier, prints a summary and exits. A rule-set error is one line on stderr naming
 * the file and line, exit status 2. --control takes live rule updates (fw_control.h) as UDP
 * datagrams on a management NIC (2 unless --control-nic says otherwise; never 0 or 1, whose
 * frames bypass the IP stack), from sources in --control-from (default: that NIC's subnet).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "fw_control.h"
#include "fw_filter.h"

#define DEFAULT_RULES "firewall.rules"
#define DEFAULT_CT_SIZE 65536
#define CT_SWEEP_NS 5000000000ull
#define CONTROL_REPLY 1472 /* a UDP payload that fits a 1500-byte MTU unfragmented */

struct options {
    int check;
    int conntrack;
    unsigned long ct_size;
    unsigned long stats_s;
    unsigned long control_port, control_nic;
    int control_from_set;
    uint32_t from_net, from_mask; /* host byte order */
};

static struct options opts = {.ct_size = DEFAULT_CT_SIZE, .control_nic = 2};
static struct fw_ruleset rules;
static struct fw_filter filter;
static struct fw_control control;
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

/* A.B.C.D/LEN (or a bare address, /32) into host-order network and mask. */
static int parse_cidr(const char *text, uint32_t *net, uint32_t *mask)
{
    char buf[20];
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t)(slash - text) : strlen(text);
    unsigned long len = 32;
    unf_ip4 a;
    if (alen >= sizeof(buf))
        return -1;
    memcpy(buf, text, alen);
    buf[alen] = '\0';
    if (unf_ip4_parse(buf, &a) < 0 || (slash && parse_count(slash + 1, 0, 32, &len) < 0))
        return -1;
    const uint8_t *b = (const uint8_t *)&a;
    *mask = len ? 0xffffffffu << (32 - len) : 0;
    *net = ((uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]) & *mask;
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
        } else if (strcmp(a, "--control") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 1, 65535, &opts.control_port) < 0) {
                fprintf(stderr, "firewall: bad --control port '%s' (1..65535)\n", argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--control-nic") == 0 && i + 1 < argc) {
            if (parse_count(argv[++i], 2, 63, &opts.control_nic) < 0) {
                fprintf(stderr, "firewall: bad --control-nic '%s' (2..63: nic 0 and 1 carry the filtered traffic)\n",
                        argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--control-from") == 0 && i + 1 < argc) {
            if (parse_cidr(argv[++i], &opts.from_net, &opts.from_mask) < 0) {
                fprintf(stderr, "firewall: bad --control-from '%s' (want A.B.C.D/LEN)\n", argv[i]);
                return -1;
            }
            opts.control_from_set = 1;
        } else {
            fprintf(stderr, "firewall: unknown argument '%s' (usage: firewall [--rules FILE] [-e \"RULES\"]... "
                            "[--conntrack] [--ct-size N] [--stats-interval SECONDS] [--check] "
                            "[--control PORT [--control-nic N] [--control-from CIDR]])\n", a);
            return -1;
        }
    }
    if (!opts.control_port && (opts.control_from_set || opts.control_nic != 2)) {
        fprintf(stderr, "firewall: --control-nic and --control-from need --control PORT\n");
        return -1;
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

/* One command per datagram, one reply; sources outside the allow-list get nothing. */
static void on_control(void *arg, unf_udp *sock, const void *data, size_t len, unf_ip4 src, uint16_t src_port)
{
    static char reply[CONTROL_REPLY];
    const uint8_t *b = (const uint8_t *)&src;
    uint32_t host = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    (void)arg;
    if ((host & opts.from_mask) != opts.from_net) {
        if (control.refused++ < 10) {
            char text[16];
            printf("firewall: control: ignored a datagram from %s (not in --control-from)\n",
                   unf_ip4_format(src, text));
        }
        return;
    }
    size_t n = fw_control_exec(&control, data, len, reply, sizeof(reply));
    if (unf_udp_sendto(sock, src, src_port, reply, n) < 0)
        control.errors++;
}

/* The management NIC's address, the default allow-list, and the socket. */
static int start_control(void)
{
    unf_ip4 addr, mask;
    char text[16], from[16];
    unsigned nic = (unsigned)opts.control_nic;
    if (unf_net_addr(nic, &addr, &mask, NULL) < 0) {
        fprintf(stderr, "firewall: --control needs nic %u with an address (unf.ip%u=A.B.C.D/LEN)\n", nic, nic);
        return -1;
    }
    if (!opts.control_from_set) {
        const uint8_t *a = (const uint8_t *)&addr, *m = (const uint8_t *)&mask;
        opts.from_mask = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
        opts.from_net = ((uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3]) & opts.from_mask;
    }
    if (fw_control_init(&control, &rules, &filter) < 0) {
        fprintf(stderr, "firewall: no memory for the control channel\n");
        return -1;
    }
    if (!unf_udp_open((uint16_t)opts.control_port, on_control, NULL)) {
        fprintf(stderr, "firewall: cannot open UDP port %lu for --control\n", opts.control_port);
        return -1;
    }
    unsigned len = 0;
    while (len < 32 && (opts.from_mask << len))
        len++;
    uint32_t net = opts.from_net;
    snprintf(from, sizeof(from), "%u.%u.%u.%u", net >> 24, (net >> 16) & 255, (net >> 8) & 255, net & 255);
    printf("firewall: control on %s udp port %lu (nic %u), from %s/%u\n", unf_ip4_format(addr, text),
           opts.control_port, nic, from, len);
    return 0;
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
    /* after the L2 ports: from here on nic 0 and 1 frames never reach the IP stack */
    if (opts.control_port && start_control() < 0)
        return 1;
    if ((opts.stats_s && !unf_timer_start(opts.stats_s * 1000000000ull, opts.stats_s * 1000000000ull, on_stats, NULL)) ||
        (opts.conntrack && !unf_timer_start(CT_SWEEP_NS, CT_SWEEP_NS, on_sweep, NULL))) {
        fprintf(stderr, "firewall: no memory for a timer\n");
        return 1;
    }
    printf("firewall: forwarding between nic 0 and nic 1\n");
    fflush(stdout);
    int status = unf_loop_run();
    fw_filter_print(&filter, "firewall: stats");
    fw_control_free(&control);
    fw_filter_free(&filter);
    fw_ruleset_free(&rules);
    return status;
}
