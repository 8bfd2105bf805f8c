/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the firewall's rule parsers (apps/firewall/fw_parse.c): the readable syntax
 * (actions, protocols, ICMP types, prefixes, port lists expanding into rules with one id),
 * ClassBench lines, the default policy, and errors naming the file, line and problem. */
#include <string.h>

#include "../../apps/firewall/fw_parse.h"
#include "check.h"

static struct fw_ruleset rs;
static char err[256];

static int parse(const char *text)
{
    fw_ruleset_free(&rs);
    err[0] = '\0';
    return fw_parse(&rs, text, strlen(text), "t.rules", err, sizeof(err));
}

/* The text fails with exactly the expected message. */
static int fails_with(const char *text, const char *msg)
{
    int rc = parse(text);
    if (rc == 0 || strcmp(err, msg) != 0) {
        printf("INFO got rc %d, '%s'; want '%s'\n", rc, err, msg);
        return 0;
    }
    return 1;
}

static void test_readable(void)
{
    CHECK(parse("# comment\n\nallow tcp from 10.0.0.0/8 to 192.168.1.0/24 port 80,443\n"
                "deny icmp echo-request   # pings\n"
                "default allow\n") == 0, "fw_parse.readable-ok");
    CHECK(rs.count == 3 && rs.nsources == 2 && rs.default_action == FW_ALLOW, "fw_parse.expansion-counts");
    const struct fw_rule *r = rs.rules;
    CHECK(r[0].src == 0x0a000000 && r[0].src_len == 8 && r[0].dst == 0xc0a80100 && r[0].dst_len == 24 &&
          r[0].proto == 6 && r[0].proto_mask == 0xff && r[0].dport_lo == 80 && r[0].dport_hi == 80 &&
          r[0].sport_lo == 0 && r[0].sport_hi == 65535 && r[0].action == FW_ALLOW && r[0].line == 3 && r[0].id == 0,
          "fw_parse.first-rule");
    CHECK(r[1].dport_lo == 443 && r[1].id == 0 && r[1].line == 3, "fw_parse.port-list-same-id");
    CHECK(r[2].proto == 1 && r[2].sport_lo == 8 && r[2].sport_hi == 8 && r[2].dport_hi == 65535 &&
          r[2].action == FW_DENY && r[2].id == 1 && r[2].line == 4 && r[2].src_len == 0, "fw_parse.icmp-echo-request");
    CHECK(parse("deny udp sport 53 to 10.1.2.3 port 1000-2000,3000\n") == 0 && rs.count == 2 &&
          rs.rules[0].sport_lo == 53 && rs.rules[0].dst == 0x0a010203 && rs.rules[0].dst_len == 32 &&
          rs.rules[0].dport_lo == 1000 && rs.rules[0].dport_hi == 2000 && rs.rules[1].dport_lo == 3000,
          "fw_parse.ranges");
    CHECK(parse("allow\ndrop any from any to any\naccept 47\nblock icmp type 3 code 4\n") == 0 && rs.count == 4 &&
          rs.rules[0].proto_mask == 0 && rs.rules[2].proto == 47 && rs.rules[3].sport_lo == 3 &&
          rs.rules[3].dport_lo == 4 && rs.rules[3].dport_hi == 4 && rs.default_action == FW_DENY,
          "fw_parse.aliases-and-numbers");
    CHECK(parse("allow from 10.1.2.3/16\n") == 0 && rs.rules[0].src == 0x0a010000, "fw_parse.host-bits-cleared");
}

static void test_classbench(void)
{
    CHECK(parse("@192.168.0.0/16\t10.0.0.1/32\t0 : 65535\t1024 : 65535\t0x06/0xFF\n"
                "@0.0.0.0/0 1.2.3.0/24 53:53 0 : 65535 0x00/0x00 0x0000/0x0200 allow\n") == 0 && rs.count == 2,
          "fw_parse.classbench-ok");
    const struct fw_rule *r = rs.rules;
    CHECK(r[0].src == 0xc0a80000 && r[0].src_len == 16 && r[0].dst_len == 32 && r[0].dport_lo == 1024 &&
          r[0].proto == 6 && r[0].proto_mask == 0xff && r[0].action == FW_DENY, "fw_parse.classbench-fields");
    CHECK(r[1].src_len == 0 && r[1].sport_lo == 53 && r[1].sport_hi == 53 && r[1].proto_mask == 0 &&
          r[1].action == FW_ALLOW && r[1].id == 1, "fw_parse.classbench-flags-action");
    CHECK(parse("allow tcp port 22\n@1.0.0.0/8 2.0.0.0/8 0 : 65535 0 : 65535 0x11/0xFF\n") == 0 && rs.count == 2 &&
          rs.rules[1].proto == 17, "fw_parse.mixed-formats");
}

static void test_errors(void)
{
    CHECK(fails_with("allow tcp\nallow tcp from 10.0.0.0/33\n", "t.rules:2: bad prefix length in '10.0.0.0/33' (want 0..32)"),
          "fw_parse.err-prefix-length");
    CHECK(fails_with("allow tcp from 10.0.0.256\n", "t.rules:1: bad address '10.0.0.256' (want A.B.C.D or A.B.C.D/LEN)"),
          "fw_parse.err-address");
    CHECK(fails_with("\n\nallow tcp port 443-80\n", "t.rules:3: port range 443-80 is reversed (443 > 80)"),
          "fw_parse.err-reversed-range");
    CHECK(fails_with("@1.0.0.0/8 2.0.0.0/8 90 : 80 0 : 65535 0x06/0xFF\n",
                     "t.rules:1: port range 90 : 80 is reversed (90 > 80)"), "fw_parse.err-classbench-reversed");
    CHECK(fails_with("permit tcp\n", "t.rules:1: unknown action 'permit' (want allow or deny)"), "fw_parse.err-action");
    CHECK(fails_with("allow tcp to\n", "t.rules:1: 'to' wants a value"), "fw_parse.err-missing-value");
    CHECK(fails_with("allow tcp from 1.2.3.4 from 1.2.3.5\n", "t.rules:1: 'from' given twice"), "fw_parse.err-twice");
    CHECK(fails_with("allow tcp frm 1.2.3.4\n", "t.rules:1: unexpected 'frm' (want from, to, sport or port)"),
          "fw_parse.err-unknown-word");
    CHECK(fails_with("allow icmp port 80\n", "t.rules:1: ports need tcp or udp (for icmp write a type)"),
          "fw_parse.err-ports-without-tcp");
    CHECK(fails_with("allow tcp port 70000\n", "t.rules:1: bad port '70000' (want 0..65535)"), "fw_parse.err-port");
    CHECK(fails_with("default maybe\n", "t.rules:1: unknown action 'maybe' (want allow or deny)"), "fw_parse.err-default");
    CHECK(fails_with("@1.0.0.0/8 2.0.0.0/8 0 : 65535 0 : 65535 0x6/0xFFF\n",
                     "t.rules:1: ClassBench rule: bad value/mask '0x6/0xFFF'"), "fw_parse.err-classbench-proto");
    CHECK(fails_with("@1.0.0.0/8 2.0.0.0/8 0 : 65535\n",
                     "t.rules:1: ClassBench rule: want '@SRC/LEN DST/LEN LO : HI LO : HI 0xPROTO/0xMASK'"),
          "fw_parse.err-classbench-short");
    char big[600];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK(fails_with(big, "t.rules:1: line longer than 511 characters"), "fw_parse.err-long-line");
    CHECK(fw_parse(&rs, "allow\0x", 7, "t.rules", err, sizeof(err)) < 0 && strstr(err, "NUL byte"), "fw_parse.err-nul");
}

int main(void)
{
    fw_ruleset_init(&rs);
    test_readable();
    test_classbench();
    test_errors();
    fw_ruleset_free(&rs);
    return CHECK_DONE();
}
