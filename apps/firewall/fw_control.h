/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The firewall's control commands: live rule updates on a running filter, one text command in,
 * one text reply out, with no I/O here (main.c carries them over UDP on a management NIC).
 *   [SEQ] add [at N] RULE | del N | del RULE | list [FROM [COUNT]] | stats | default allow|deny | ping
 * Replies are "[SEQ] ok ..." or "[SEQ] error: <one line>"; SEQ (digits) is echoed so a client
 * can match replies to requests. Positions are 1-based, as in the stats. A command is checked
 * in full before anything changes, and a failure (bad input or no memory) leaves the rule set as
 * it was.
 *
 * The classifier ranks rules by their index in the rule array, so a rule added between two
 * others needs a free index between theirs: the array may have holes (entries with id
 * FW_ID_NONE that never match), and when the gap is too small a window of neighbouring rules
 * is spread out again (order maintenance: the smallest window around the position that is at
 * most half full after the insert), each moved rule deleted and re-inserted in place; appends
 * take the next index. All classifier changes are fw_classifier_insert/delete, no rebuild.
 * The entries of one written rule (its port-list expansion) stay adjacent.
 */
#ifndef FW_CONTROL_H
#define FW_CONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "fw_filter.h"

/* One written rule, in priority order: its entries are rs->rules[base .. base + n). */
struct fw_ctl_rule {
    uint32_t base, n;
};

struct fw_control {
    struct fw_ruleset *rs;
    struct fw_filter *f;
    struct fw_ctl_rule *order;
    size_t norder, order_cap;
    uint32_t *free_ids;            /* source-rule ids of deleted rules, for reuse */
    size_t nfree, free_cap;
    uint64_t commands, errors, moves;
    uint64_t refused;              /* datagrams from outside the allow-list (counted by main.c) */
};

/* Takes over rs (as parsed, no holes) and f (built over rs). -1 on no memory. */
int fw_control_init(struct fw_control *ctl, struct fw_ruleset *rs, struct fw_filter *f);
void fw_control_free(struct fw_control *ctl);

/* Runs one command (len bytes, need not be NUL-terminated; one trailing newline is allowed);
 * writes the reply (NUL-terminated, at most cap - 1 bytes, cap >= 64) and returns its length. */
size_t fw_control_exec(struct fw_control *ctl, const char *cmd, size_t len, char *reply, size_t cap);

/* Written rules in the set. */
size_t fw_control_rules(const struct fw_control *ctl);

/* The readable (or, when it has no readable form, ClassBench) text of written rule pos
 * (0-based) into buf; parsing it gives the same entries. Returns the length, truncated to
 * cap - 1. */
size_t fw_control_format(const struct fw_control *ctl, size_t pos, char *buf, size_t cap);

#endif
