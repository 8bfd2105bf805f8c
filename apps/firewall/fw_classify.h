/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The packet classifier: tuple space search over coarse tuples (TupleMerge-style) with
 * priority pruning, partitioned by protocol. Rules are first split into four groups by the
 * protocols they can match (tcp, udp, icmp, others; a rule for any protocol is in all four),
 * so a lookup only sees its packet's group. Within a group a rule goes into the table of its
 * tuple: source and destination prefix lengths rounded down to a class start (`classes`, a
 * bit mask: bit L set = L starts a class; bit 0 is implied) and whether its destination port
 * is one value. A slot whose chain would exceed a limit sends its rules to tables of their
 * exact prefix lengths instead (TupleMerge's collision limit). The table hashes the rule's
 * fields truncated to the tuple; each hash entry lists its rules in priority order. Per group,
 * two small filters indexed by the top bits of the source and destination addresses name the
 * tables that can hold a match, so a lookup probes only those, best rule first, and skips any
 * table that cannot beat the match found: it returns exactly what a first-match linear scan
 * over the same rules returns. Rules can be inserted and deleted in place, without a rebuild.
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
/* The same for keys[0..n) into out[0..n): a burst overlaps the memory accesses of its lookups
 * (rte_acl_classify's way), which pays off once the tables outgrow the caches. */
void fw_classify_burst(const struct fw_classifier *c, const struct fw_key *keys, size_t n, long *out);

/*
 * In-place updates. A rule's priority stays its index: rules[idx] takes part in lookups from
 * its insert to its delete, and must not change in between (the classifier reads it to find
 * where it sits). rules is the caller's array, possibly moved since (the classifier adopts the
 * pointer); indices of rules not in the classifier are never read, so the array may have
 * holes. Insert: 0, or -1 when out of memory (the rule may then be in some protocol groups
 * and not others: delete it, or rebuild). Inserting an index already present is the caller's
 * error. Delete: 0, or -1 when idx was not in the classifier. After many deletes a rebuild
 * prunes better (a table's best index and the filters are only lowered/extended in place).
 */
int fw_classifier_insert(struct fw_classifier *c, const struct fw_rule *rules, uint32_t idx);
int fw_classifier_delete(struct fw_classifier *c, const struct fw_rule *rules, uint32_t idx);
/* Adopts rules, the caller's array moved by realloc, before the next lookup. */
void fw_classifier_set_rules(struct fw_classifier *c, const struct fw_rule *rules);

/* Heap bytes the classifier holds (the rule array not included; capacities, not just what is
 * used: this is what its allocations cost), and its table count. */
size_t fw_classifier_bytes(const struct fw_classifier *c);
unsigned fw_classifier_tables(const struct fw_classifier *c);

#endif
