/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router's configuration: NIC addresses, static routes (optionally pushing an MPLS label),
 * the label forwarding table (swap / pop), and the knobs that make the router behave like a
 * given vendor's router towards traceroute (reply TTLs, TTL propagation, RFC 4950). The text
 * syntax is documented at the top of config.c; the parser is pure and fuzzed.
 */
#ifndef ROUTER_CONFIG_H
#define ROUTER_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <unf/net.h>

#define CONFIG_NICS 4
#define CONFIG_MAX_ROUTES 64
#define CONFIG_MAX_LABELS 64
#define CONFIG_LABEL_MAX 0xfffff

struct config_nic {
    int present;
    unf_ip4 addr;
    unsigned prefix;
    uint8_t mac[6]; /* given with "mac", else 02:00 followed by the address */
};

struct config_route {
    unf_ip4 dst;      /* network, host bits cleared */
    unsigned prefix;
    unf_ip4 via;      /* 0: connected, the destination itself is the next hop */
    unsigned nic;
    int push;         /* push `label` (this router is the ingress LER of an LSP) */
    uint32_t label;
    unsigned line;
};

enum config_label_op { CONFIG_SWAP, CONFIG_POP };

struct config_label {
    uint32_t in;
    enum config_label_op op;
    uint32_t out;     /* CONFIG_SWAP: the outgoing label */
    int has_via;      /* CONFIG_POP without via: egress, route the IP packet (UHP) */
    unf_ip4 via;
    unsigned nic;
    unsigned line;
};

enum config_quoted_ttl { CONFIG_QTTL_RECEIVED, CONFIG_QTTL_ONE };

struct config {
    struct config_nic nics[CONFIG_NICS];
    struct config_route routes[CONFIG_MAX_ROUTES];
    unsigned nroutes;
    struct config_label labels[CONFIG_MAX_LABELS];
    unsigned nlabels;
    int ttl_propagate;      /* push: LSE TTL = IP TTL (on) or 255 (off) */
    int pop_min;            /* pop: IP TTL = min(IP TTL, LSE TTL) (on) or unchanged (off) */
    int rfc4950;            /* label stack object in time-exceeded */
    int icmp_tunnel;        /* an LSR sends its time-exceeded on along the LSP */
    int uhp_decrement;      /* UHP egress also decrements the IP TTL on pop (duplicate hop) */
    uint8_t ttl_time_exceeded, ttl_unreachable, ttl_echo_reply;
    enum config_quoted_ttl quoted_ttl;
};

/* Fills cfg with the defaults (Linux-like <64,64>, ttl-propagate on, RFC 4950 on). */
void config_defaults(struct config *cfg);

/* Parses text (len bytes, need not be NUL-terminated) on top of cfg's current values.
 * On error returns -1 and writes "NAME:LINE: problem" into err. */
int config_parse(struct config *cfg, const char *text, size_t len, const char *name,
                 char *err, size_t err_size);

#endif
