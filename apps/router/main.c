/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * router: an IPv4 router with static routes that also emulates MPLS label switching, for
 * testbeds that must look to traceroute like real networks (TNT tunnel classes, vendor reply
 * TTLs). It owns every frame of its NICs through unf_l2_open and routes in software.
 *   router [--config FILE] [-e "STATEMENT; STATEMENT..."]... [--check]
 * FILE is read from the image's file archive (default router.conf when no -e is given);
 * -e adds statements (';' separates them); --check validates, prints a summary and exits.
 * See apps/router/README.md and config.c for the syntax.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "config.h"
#include "router.h"

#define TICK_NS 250000000ull

static struct config config;
static unf_l2 *ports[CONFIG_NICS];
/* The time the router works with, read at start and on every tick. The engine needs it only for
 * ARP (cache lifetime, asking again after a second), which a 250 ms granularity serves; reading
 * the clock per frame cost a clock_gettime syscall per forwarded packet on proc (a third of the
 * syscalls, next to the tap's read and write). */
static uint64_t clock_ns;

static int tx(void *arg, unsigned nic, const uint8_t *frame, size_t len)
{
    (void)arg;
    return ports[nic] ? unf_l2_send(ports[nic], frame, len) : -1;
}

static void on_frame(void *arg, unf_l2 *port, const void *frame, size_t len)
{
    (void)port;
    router_input((unsigned)(uintptr_t)arg, frame, len, clock_ns);
}

static void on_tick(void *arg)
{
    (void)arg;
    clock_ns = unf_now_ns();
    router_tick(clock_ns);
}

static int load_file(const char *path)
{
    struct unf_file file;
    char err[160];
    if (unf_file_find(path, &file) < 0 || file.is_dir) {
        fprintf(stderr, "router: %s: no such file in the image's files\n", path);
        return -1;
    }
    if (config_parse(&config, file.data, file.size, path, err, sizeof(err)) < 0) {
        fprintf(stderr, "router: %s\n", err);
        return -1;
    }
    return 0;
}

static int load_text(const char *text)
{
    char err[160];
    size_t len = strlen(text);
    char *copy = malloc(len + 1);
    if (!copy) {
        fprintf(stderr, "router: no memory\n");
        return -1;
    }
    for (size_t i = 0; i <= len; i++)
        copy[i] = text[i] == ';' ? '\n' : text[i];
    int rc = config_parse(&config, copy, len, "-e", err, sizeof(err));
    free(copy);
    if (rc < 0)
        fprintf(stderr, "router: %s\n", err);
    return rc;
}

static void print_summary(void)
{
    char a[16], b[16];
    for (unsigned i = 0; i < CONFIG_NICS; i++) {
        const struct config_nic *n = &config.nics[i];
        if (n->present)
            printf("router: nic %u %s/%u mac %02x:%02x:%02x:%02x:%02x:%02x\n", i,
                   unf_ip4_format(n->addr, a), n->prefix, n->mac[0], n->mac[1], n->mac[2], n->mac[3],
                   n->mac[4], n->mac[5]);
    }
    for (unsigned i = 0; i < config.nroutes; i++) {
        const struct config_route *r = &config.routes[i];
        printf("router: route %s/%u via %s nic %u", unf_ip4_format(r->dst, a), r->prefix,
               unf_ip4_format(r->via, b), r->nic);
        if (r->push)
            printf(" push %u", (unsigned)r->label);
        printf("\n");
    }
    for (unsigned i = 0; i < config.nlabels; i++) {
        const struct config_label *l = &config.labels[i];
        printf("router: label %u %s", (unsigned)l->in, l->op == CONFIG_SWAP ? "swap" : "pop");
        if (l->op == CONFIG_SWAP)
            printf(" %u", (unsigned)l->out);
        if (l->has_via)
            printf(" via %s nic %u", unf_ip4_format(l->via, a), l->nic);
        printf("\n");
    }
    printf("router: ttl time-exceeded %u unreachable %u echo-reply %u; mpls ttl-propagate %s pop-ttl %s "
           "rfc4950 %s icmp-tunnel %s uhp-decrement %s\n",
           config.ttl_time_exceeded, config.ttl_unreachable, config.ttl_echo_reply,
           config.ttl_propagate ? "on" : "off", config.pop_min ? "min" : "keep",
           config.rfc4950 ? "on" : "off", config.icmp_tunnel ? "on" : "off",
           config.uhp_decrement ? "on" : "off");
}

static int parse_args(int argc, char **argv, int *check)
{
    int loaded = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            if (load_file(argv[++i]) < 0)
                return -1;
            loaded = 1;
        } else if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
            if (load_text(argv[++i]) < 0)
                return -1;
            loaded = 1;
        } else if (strcmp(argv[i], "--check") == 0) {
            *check = 1;
        } else {
            fprintf(stderr, "router: unknown argument '%s' (usage: router [--config FILE] "
                            "[-e \"STATEMENTS\"]... [--check])\n", argv[i]);
            return -1;
        }
    }
    if (!loaded && load_file("router.conf") < 0)
        return -1;
    for (unsigned i = 0; i < CONFIG_NICS; i++)
        if (config.nics[i].present)
            return 0;
    fprintf(stderr, "router: the configuration has no nic statement\n");
    return -1;
}

int main(int argc, char **argv)
{
    int check = 0;
    config_defaults(&config);
    if (parse_args(argc, argv, &check) < 0)
        return 2;
    print_summary();
    if (check)
        return 0;
    router_init(&config, tx, NULL);
    clock_ns = unf_now_ns();
    for (unsigned i = 0; i < CONFIG_NICS; i++) {
        if (!config.nics[i].present)
            continue;
        ports[i] = unf_l2_open(i, on_frame, (void *)(uintptr_t)i);
        if (!ports[i]) {
            fprintf(stderr, "router needs L2 NICs: cannot take NIC %u's frames\n", i);
            return 1;
        }
    }
    if (!unf_timer_start(TICK_NS, TICK_NS, on_tick, NULL)) {
        fprintf(stderr, "router: no memory for the timer\n");
        return 1;
    }
    printf("router: forwarding\n");
    return unf_loop_run();
}
