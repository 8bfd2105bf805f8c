/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firewall's verdict on one frame, and its counters: ARP passes, IPv4 goes through
 * conntrack (when enabled) and then the classifier (first matching rule, else the default
 * policy), everything else is dropped (the firewall cannot filter it, so it does not let it
 * by). Counters are kept per written rule, for the default policy and for conntrack.
 */
#ifndef FW_FILTER_H
#define FW_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "fw_classify.h"
#include "fw_conntrack.h"
#include "fw_parse.h"

struct fw_counter {
    uint64_t packets, bytes;
};

struct fw_filter {
    const struct fw_ruleset *rs;
    struct fw_classifier *cls;
    struct fw_conntrack *ct;       /* NULL: stateless */
    struct fw_counter *rule;       /* per source rule id */
    struct fw_counter dflt, tracked, arp, other, bad, ct_full;
};

/* Builds the classifier (and the conntrack table when ct_capacity > 0); -1 on no memory. */
int fw_filter_init(struct fw_filter *f, const struct fw_ruleset *rs, uint32_t ct_capacity);
void fw_filter_free(struct fw_filter *f);

/* 1: forward the frame, 0: drop it. */
int fw_filter_frame(struct fw_filter *f, const uint8_t *frame, size_t len, uint64_t now_ns);

/* Prints the counters, one line per rule, prefixed with `tag`. */
void fw_filter_print(const struct fw_filter *f, const char *tag);

#endif
