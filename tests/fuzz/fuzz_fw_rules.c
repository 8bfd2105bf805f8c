/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target of the firewall's rule parsers (readable and ClassBench, apps/firewall/fw_parse.c)
 * and of its frame reader: any input must parse or fail with a "name:line: ..." message, never
 * crash; an accepted rule set must classify exactly like the linear scan (packets are taken
 * from the input's bytes and from the rules themselves), both when built at once and when made
 * by in-place inserts and deletes; the input is also read as a frame. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/firewall/fw_classify.h"
#include "../../apps/firewall/fw_packet.h"
#include "../../apps/firewall/fw_parse.h"

static uint32_t word(const uint8_t *data, size_t size, size_t at)
{
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++)
        v = v << 8 | (size ? data[(at + i) % size] : 0);
    return v;
}

static void check_same(const struct fw_ruleset *rs, const struct fw_classifier *c, const struct fw_key *k)
{
    if (fw_classify(c, k) != fw_linear_match(rs->rules, rs->count, k))
        abort();
}

/* The same rule set through the update API: inserted last to first into an empty classifier,
 * then every rule deleted and inserted again. */
static struct fw_classifier *build_by_updates(const struct fw_ruleset *rs, uint64_t layout)
{
    struct fw_classifier *c = fw_classifier_build(rs->rules, 0, layout);
    if (!c)
        abort();
    for (size_t i = rs->count; i-- > 0;)
        if (fw_classifier_insert(c, rs->rules, (uint32_t)i) < 0)
            abort();
    for (size_t i = 0; i < rs->count; i++)
        if (fw_classifier_delete(c, rs->rules, (uint32_t)i) < 0 || fw_classifier_delete(c, rs->rules, (uint32_t)i) == 0 ||
            fw_classifier_insert(c, rs->rules, (uint32_t)i) < 0)
            abort();
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fw_ruleset rs;
    struct fw_packet pkt;
    char err[256];

    fw_packet_parse(data, size, &pkt);
    fw_ruleset_init(&rs);
    if (fw_parse(&rs, (const char *)data, size, "fuzz", err, sizeof(err)) < 0) {
        if (strncmp(err, "fuzz:", 5) != 0)
            abort();
        fw_ruleset_free(&rs);
        return 0;
    }
    static const uint64_t layouts[] = {FW_CLASSES_EXACT, FW_CLASSES_DEFAULT};
    for (unsigned g = 0; g < 4; g++) {
        struct fw_classifier *c = g < 2 ? fw_classifier_build(rs.rules, rs.count, layouts[g])
                                        : build_by_updates(&rs, layouts[g - 2]);
        if (!c)
            abort();
        for (size_t i = 0; i < rs.count && i < 64; i++) {
            const struct fw_rule *r = &rs.rules[i];
            struct fw_key k = {r->src, r->dst, r->sport_lo, r->dport_hi, r->proto};
            check_same(&rs, c, &k);
            k.src |= ~fw_prefix_mask(r->src_len) & word(data, size, i);
            k.dport = r->dport_lo;
            check_same(&rs, c, &k);
        }
        for (size_t i = 0; i + 13 <= size && i < 13 * 16; i += 13) {
            struct fw_key k = {word(data, size, i), word(data, size, i + 4), (uint16_t)word(data, size, i + 8),
                               (uint16_t)word(data, size, i + 10), data[i + 12]};
            check_same(&rs, c, &k);
        }
        fw_classifier_free(c);
    }
    fw_ruleset_free(&rs);
    return 0;
}
