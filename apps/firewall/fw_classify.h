/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The packet classifier: tuple space search over coarse tuples (TupleMerge-style) with
 * priority pruning, partitioned by protocol. Rules are first split into four groups by the
 * protocols they can match (tcp, udp, icmp, others; a rule for any protocol is in all four),
 * so a lookup only sees its packet's group. Within a group a rule goes into the table of its
 * tuple: source and destination prefix lengths rounded down to a class start (`classes`, a
 * bit mask: bit L set = L starts a class; bit 0 is implied) and whether its destination port
 * is one value. A slot whose chain would exceed a limit sends its rules to tables of their
 * exact prefix lengths instead (TupleMerge's collision limit). The table hashes the rule's fields truncated to the tuple; each hash entry
 * lists its rules in priority order. A lookup probes the tables in order of their best rule
 * and stops once no remaining table can beat the match found, so it returns exactly what a
 * first-match linear scan over the same rules returns.
 */
#ifndef FW_CLASSIFY_H
#define FW_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "fw_rule.h"

/* Prefix-length classes: the firewall's default, {0-7, 8-15, 16-23, 24-32}, measured best on
 * ClassBench-style sets of 1M rules (bench/fw.c: against {0-15,16-23,24-32}, {0-23,24-32},
 * multiples of 8 and exact lengths); and classic tuple space search (every length a class).
 * Overridable at compile time for such experiments. */
#ifndef FW_CLASSES_DEFAULT
#define FW_CLASSES_DEFAULT ((1ull << 8) | (1ull << 16) | (1ull << 24))
#endif
#define FW_CLASSES_EXACT 0x1ffffffffull

struct fw_classifier;

/* Builds over rules[0..n) (the array must outlive the classifier); NULL when out of memory. */
struct fw_classifier *fw_classifier_build(const struct fw_rule *rules, size_t n, uint64_t classes);
/* The classes of multiples of g (1..32): g=1 is FW_CLASSES_EXACT; 0 when g is out of range. */
uint64_t fw_classes_every(unsigned g);
void fw_classifier_free(struct fw_classifier *c);

/* Index of the first rule matching k, -1 when none does. */
long fw_classify(const struct fw_classifier *c, const struct fw_key *k);

/* Heap bytes the classifier holds (the rule array not included), and its table count. */
size_t fw_classifier_bytes(const struct fw_classifier *c);
unsigned fw_classifier_tables(const struct fw_classifier *c);

#endif
