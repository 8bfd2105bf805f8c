/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Rule-set parsers: the readable syntax and ClassBench's filter format, mixed freely in one
 * file (a line starting with '@' is ClassBench). Parsing appends to a rule set, so a file and
 * rules given on the command line can be combined; order is priority. Errors are one line,
 * "NAME:LINE: problem"; the rule set then holds the rules of the lines before the bad one.
 *
 * Readable syntax, one rule per line, '#' starts a comment:
 *   default allow|deny
 *   allow|deny [PROTO] [from ADDR] [sport PORTS] [to ADDR] [port PORTS]
 *     PROTO  any | ip | tcp | udp | icmp [TYPE] | NUMBER (0..255)
 *     TYPE   echo-request | echo-reply | unreachable | time-exceeded | type N [code N]
 *     ADDR   any | A.B.C.D | A.B.C.D/LEN
 *     PORTS  N | N-M | a comma list of those (tcp and udp only); "dport" = "port"
 * ClassBench: @SRC/LEN DST/LEN SPLO : SPHI DPLO : DPHI 0xPROTO/0xMASK [0xFLAGS/0xMASK] [allow|deny]
 *   (action deny when absent).
 */
#ifndef FW_PARSE_H
#define FW_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "fw_rule.h"

struct fw_ruleset {
    struct fw_rule *rules;
    size_t count, cap;
    uint32_t nsources;   /* source rules so far: ids 0..nsources-1 */
    int default_action;  /* enum fw_action; deny unless a "default allow" line says so */
};

void fw_ruleset_init(struct fw_ruleset *rs);
void fw_ruleset_free(struct fw_ruleset *rs);
/* Appends one rule; -1 when out of memory. */
int fw_ruleset_add(struct fw_ruleset *rs, const struct fw_rule *r);

/* Parses len bytes of text (need not be NUL-terminated); name is used in errors.
 * 0 on success, -1 with err filled ("name:line: problem"). */
int fw_parse(struct fw_ruleset *rs, const char *text, size_t len, const char *name, char *err,
             size_t errlen);

#endif
