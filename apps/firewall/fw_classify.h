/*
 * The packet classifier: tuple space search over coarse tuples (TupleMerge-style) with
 * priority pruning. A rule goes into the table of its tuple (source and destination prefix
 * lengths rounded down to a multiple of `granularity`, whether its destination port is one
 * value, whether its protocol is exact); the table hashes the rule's fields truncated to that
 * tuple, and each hash entry lists its rules in priority order. A lookup probes tables in
 * order of their best rule and stops as soon as no remaining table can beat the match found,
 * so it returns exactly what a first-match linear scan over the same rules returns.
 * granularity 1 is classic tuple space search (one table per exact prefix-length pair).
 */
#ifndef FW_CLASSIFY_H
#define FW_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

#include "fw_rule.h"

struct fw_classifier;

/* Builds over rules[0..n) (the array must outlive the classifier); NULL when out of memory
 * or when granularity is not 1..32. */
struct fw_classifier *fw_classifier_build(const struct fw_rule *rules, size_t n, unsigned granularity);
void fw_classifier_free(struct fw_classifier *c);

/* Index of the first rule matching k, -1 when none does. */
long fw_classify(const struct fw_classifier *c, const struct fw_key *k);

/* Heap bytes the classifier holds (the rule array not included), and its table count. */
size_t fw_classifier_bytes(const struct fw_classifier *c);
unsigned fw_classifier_tables(const struct fw_classifier *c);

#endif
