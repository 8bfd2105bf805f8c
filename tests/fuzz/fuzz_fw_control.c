/* SPDX-License-Identifier: BSD-2-Clause */
/* Fuzz target of the firewall's control commands (apps/firewall/fw_control.c): the input is a
 * series of commands, one per line, run on a filter that starts with a small rule set. Every
 * reply must be "[SEQ ]ok..." or "[SEQ ]error: ..." on one line (list alone adds lines); an
 * error must leave the rule set as it was; after every command the written rules must sit in
 * ascending, non-overlapping index ranges, every rule's listed text must parse back to its
 * entries, and the classifier must answer exactly like a linear scan (keys from the input's
 * bytes and from the rules themselves). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/firewall/fw_control.h"

#define MAX_COMMANDS 64

static const char start_rules[] = "allow tcp from 10.0.0.1 to 10.0.0.2 port 80,443\n"
                                  "deny icmp echo-request\n"
                                  "@10.0.0.0/8 0.0.0.0/0 0 : 65535 53 : 53 0x11/0xFF allow\n";

static uint32_t word(const uint8_t *data, size_t size, size_t at)
{
    uint32_t v = 0;
    for (size_t i = 0; i < 4; i++)
        v = v << 8 | (size ? data[(at + i) % size] : 0);
    return v;
}

static void check_key(const struct fw_control *ctl, const struct fw_key *k)
{
    if (fw_classify(ctl->f->cls, k) != fw_linear_match(ctl->rs->rules, ctl->rs->count, k))
        abort();
}

static void check_state(const struct fw_control *ctl, const uint8_t *data, size_t size)
{
    const struct fw_ruleset *rs = ctl->rs;
    uint32_t end = 0;
    char text[4096];
    for (size_t p = 0; p < ctl->norder; p++) {
        const struct fw_ctl_rule *w = &ctl->order[p];
        if (w->n == 0 || w->base < end || rs->rules[w->base].id == FW_ID_NONE)
            abort();
        end = w->base + w->n;
        for (uint32_t i = 1; i < w->n; i++)
            if (rs->rules[w->base + i].id != rs->rules[w->base].id)
                abort();
        /* the listed text parses back to the same entries */
        struct fw_ruleset back;
        char err[256];
        size_t len = fw_control_format(ctl, p, text, sizeof(text));
        fw_ruleset_init(&back);
        if (len + 1 >= sizeof(text) || fw_parse(&back, text, len, "list", err, sizeof(err)) < 0 || back.count != w->n)
            abort();
        for (uint32_t i = 0; i < w->n; i++) {
            const struct fw_rule *a = &back.rules[i], *b = &rs->rules[w->base + i];
            if (a->src != b->src || a->dst != b->dst || a->src_len != b->src_len || a->dst_len != b->dst_len ||
                a->sport_lo != b->sport_lo || a->sport_hi != b->sport_hi || a->dport_lo != b->dport_lo ||
                a->dport_hi != b->dport_hi || a->proto != b->proto || a->proto_mask != b->proto_mask ||
                a->action != b->action)
                abort();
        }
        fw_ruleset_free(&back);
        /* a key inside the rule's first entry */
        const struct fw_rule *r = &rs->rules[w->base];
        struct fw_key k = {.src = r->src, .dst = r->dst, .sport = r->sport_lo, .dport = r->dport_hi, .proto = r->proto};
        check_key(ctl, &k);
    }
    if (rs->count != end)
        abort();
    for (size_t i = 0; i < 16; i++) {
        struct fw_key k = {.src = word(data, size, i * 13), .dst = word(data, size, i * 13 + 4),
                           .sport = (uint16_t)word(data, size, i * 13 + 8), .dport = (uint16_t)word(data, size, i * 13 + 10),
                           .proto = (uint8_t)word(data, size, i * 13 + 12)};
        check_key(ctl, &k);
    }
}

/* "[digits ]ok..." or "[digits ]error: ...", one line unless an ok list. */
static void check_reply(const char *reply, size_t len)
{
    const char *s = reply;
    if (strlen(reply) != len)
        abort();
    while (*s >= '0' && *s <= '9')
        s++;
    if (s != reply && *s++ != ' ')
        abort();
    int ok = strncmp(s, "ok", 2) == 0;
    if (!ok && strncmp(s, "error: ", 7) != 0)
        abort();
    if (strchr(reply, '\n') && !(ok && strncmp(s, "ok ", 3) == 0 && strstr(s, " rules, default ")))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fw_ruleset rs;
    struct fw_filter f;
    struct fw_control ctl;
    char reply[1472];
    fw_ruleset_init(&rs);
    if (fw_parse(&rs, start_rules, sizeof(start_rules) - 1, "start", NULL, 0) < 0 || fw_filter_init(&f, &rs, 0) < 0 ||
        fw_control_init(&ctl, &rs, &f) < 0)
        abort();
    size_t pos = 0;
    for (int n = 0; n < MAX_COMMANDS && pos < size; n++) {
        const uint8_t *nl = memchr(data + pos, '\n', size - pos);
        size_t len = nl ? (size_t)(nl - (data + pos)) : size - pos;
        size_t before = ctl.norder, count = rs.count;
        int dflt = rs.default_action;
        size_t rlen = fw_control_exec(&ctl, (const char *)data + pos, len, reply, sizeof(reply));
        check_reply(reply, rlen);
        if (strstr(reply, "error: ") && (ctl.norder != before || rs.count != count || rs.default_action != dflt))
            abort();
        check_state(&ctl, data, size);
        pos += len + 1;
    }
    fw_control_free(&ctl);
    fw_filter_free(&f);
    fw_ruleset_free(&rs);
    return 0;
}
