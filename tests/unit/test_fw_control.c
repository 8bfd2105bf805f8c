/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the firewall's control commands (apps/firewall/fw_control.c) on a real filter:
 * add (appended, at a position, first, in a full array so neighbours are re-spread), del by
 * position and by rule text, list pages and the text round trip, stats, default, ping, the
 * sequence number, and errors that change nothing; after every step the classifier must answer
 * exactly like a linear scan over the rules in their listed order, also through a long random
 * series of adds and deletes at random positions. */
#include <stdlib.h>
#include <string.h>

#include "../../apps/firewall/fw_control.h"
#include "check.h"

static struct fw_ruleset rs;
static struct fw_filter filter;
static struct fw_control ctl;
static char reply[1472];

static const char *run(const char *cmd)
{
    size_t n = fw_control_exec(&ctl, cmd, strlen(cmd), reply, sizeof(reply));
    if (n != strlen(reply))
        return "(length mismatch)";
    return reply;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int setup(const char *text)
{
    char err[200];
    fw_ruleset_init(&rs);
    if (fw_parse(&rs, text, strlen(text), "t", err, sizeof(err)) < 0 || fw_filter_init(&filter, &rs, 0) < 0)
        return -1;
    return fw_control_init(&ctl, &rs, &filter);
}

static void teardown(void)
{
    fw_control_free(&ctl);
    fw_filter_free(&filter);
    fw_ruleset_free(&rs);
}

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

/* Random keys near the test rules' addresses and ports: the classifier equals a linear scan
 * (holes never match), and the written rules' entries sit in ascending index order. */
static int consistent(void)
{
    uint32_t last_end = 0;
    for (size_t p = 0; p < ctl.norder; p++) {
        if (ctl.order[p].base < last_end || ctl.order[p].n == 0)
            return 0;
        last_end = ctl.order[p].base + ctl.order[p].n;
        for (uint32_t i = 0; i < ctl.order[p].n; i++)
            if (rs.rules[ctl.order[p].base + i].id != rs.rules[ctl.order[p].base].id ||
                rs.rules[ctl.order[p].base].id == FW_ID_NONE)
                return 0;
    }
    if (rs.count != last_end)
        return 0;
    for (int i = 0; i < 300; i++) {
        uint32_t r = rnd();
        struct fw_key k = {.src = 0x0a000000u | (r & 0x3ff), .dst = 0x0a000000u | ((r >> 10) & 0x3ff),
                           .sport = (uint16_t)((r >> 20) & 0x3f), .dport = (uint16_t)(rnd() & 0x3f),
                           .proto = (uint8_t)((r >> 26) & 1 ? 6 : (r >> 27) & 1 ? 17 : 1)};
        if (fw_classify(filter.cls, &k) != fw_linear_match(rs.rules, rs.count, &k))
            return 0;
    }
    return 1;
}

static void test_basics(void)
{
    CHECK(setup("allow tcp from 10.0.0.1 to 10.0.0.2 port 80,443\ndeny icmp echo-request\n") == 0, "fw_control.setup");
    CHECK(strcmp(run("ping"), "ok pong") == 0, "fw_control.ping");
    CHECK(strcmp(run("17 ping\n"), "17 ok pong") == 0, "fw_control.seq-echoed");
    CHECK(strcmp(run("list"), "ok 2 rules, default deny, showing 1-2\n"
                              "1: allow tcp from 10.0.0.1 to 10.0.0.2 port 80,443  # 0 packets 0 bytes\n"
                              "2: deny icmp echo-request  # 0 packets 0 bytes") == 0,
          "fw_control.list");
    CHECK(strcmp(run("5 add deny udp from 10.0.0.0/8 port 53"), "5 ok at 3") == 0, "fw_control.add-append");
    CHECK(strcmp(run("add at 1 deny tcp port 22"), "ok at 1") == 0, "fw_control.add-first");
    CHECK(strcmp(run("add at 3 allow udp sport 1-2,7 to 10.0.0.9 port 5-6"), "ok at 3") == 0, "fw_control.add-middle");
    CHECK(consistent(), "fw_control.consistent-after-adds");
    CHECK(strcmp(run("list 3 1"), "ok 5 rules, default deny, showing 3-3\n"
                                  "3: allow udp sport 1-2,7 to 10.0.0.9 port 5-6  # 0 packets 0 bytes") == 0,
          "fw_control.list-page");
    CHECK(strcmp(run("del deny tcp to any port 22"), "ok deleted 1") == 0, "fw_control.del-by-text");
    CHECK(strcmp(run("del 2"), "ok deleted 2") == 0, "fw_control.del-by-position");
    CHECK(consistent(), "fw_control.consistent-after-dels");
    CHECK(strcmp(run("list"), "ok 3 rules, default deny, showing 1-3\n"
                              "1: allow tcp from 10.0.0.1 to 10.0.0.2 port 80,443  # 0 packets 0 bytes\n"
                              "2: deny icmp echo-request  # 0 packets 0 bytes\n"
                              "3: deny udp from 10.0.0.0/8 port 53  # 0 packets 0 bytes") == 0,
          "fw_control.list-after");
    CHECK(strcmp(run("default allow"), "ok default allow") == 0 && rs.default_action == FW_ALLOW, "fw_control.default");
    CHECK(starts(run("stats"), "ok rules=3 entries=4 "), "fw_control.stats");
    teardown();
}

static void test_errors(void)
{
    static const struct {
        const char *cmd, *want;
    } cases[] = {
        {"", "error: no command (add, del, list, stats, default, ping)"},
        {"9", "9 error: no command (add, del, list, stats, default, ping)"},
        {"frobnicate", "error: unknown command 'frobnicate' (add, del, list, stats, default, ping)"},
        {"add", "error: add wants a rule"},
        {"add allow tcp from 10.0.0.0/33", "error: bad prefix length in '10.0.0.0/33' (want 0..32)"},
        {"3 add allow tcp port 9-1", "3 error: port range 9-1 is reversed (9 > 1)"},
        {"add at 0 allow tcp", "error: 'at' wants a position 1..3"},
        {"add at 4 allow tcp", "error: 'at' wants a position 1..3"},
        {"add at allow tcp", "error: 'at' wants a position 1..3"},
        {"add default allow", "error: want one rule (allow|deny ... or @ClassBench; for the policy: default allow|deny)"},
        {"add # nothing", "error: want one rule (allow|deny ... or @ClassBench; for the policy: default allow|deny)"},
        {"add allow tcp\nadd deny udp", "error: control character in the command (one command per datagram)"},
        {"del", "error: del wants a position or a rule"},
        {"del 0", "error: no rule at 0 (positions 1..2)"},
        {"del 3", "error: no rule at 3 (positions 1..2)"},
        {"del 99999999999999999999999", "error: no rule at 99999999999999999999999 (positions 1..2)"},
        {"del deny udp port 1", "error: no such rule"},
        {"del allow tcp tto x", "error: unexpected 'tto' (want from, to, sport or port)"},
        {"list 0", "error: list wants FROM 1..2"},
        {"list 1 0", "error: list wants COUNT >= 1"},
        {"list 1 1 1", "error: list wants at most FROM and COUNT"},
        {"stats now", "error: stats takes no arguments"},
        {"default maybe", "error: default wants allow or deny"},
        {"123456789012345678901 ping", "error: sequence number longer than 20 digits"},
    };
    CHECK(setup("allow tcp port 80\ndeny udp\n") == 0, "fw_control.errors-setup");
    int ok = 1;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *got = run(cases[i].cmd);
        if (strcmp(got, cases[i].want) != 0) {
            printf("INFO '%s' -> '%s', want '%s'\n", cases[i].cmd, got, cases[i].want);
            ok = 0;
        }
    }
    CHECK(ok, "fw_control.error-replies");
    char nul[] = "add allow tcp\0port 1";
    CHECK(strcmp((fw_control_exec(&ctl, nul, sizeof(nul) - 1, reply, sizeof(reply)), reply),
                 "error: control character in the command (one command per datagram)") == 0, "fw_control.nul-byte");
    char big[2000];
    memset(big, 'a', sizeof(big));
    CHECK(strcmp((fw_control_exec(&ctl, big, sizeof(big), reply, sizeof(reply)), reply),
                 "error: command longer than 1024 bytes") == 0, "fw_control.too-long");
    CHECK(ctl.norder == 2 && rs.count == 2 && consistent() && ctl.errors == sizeof(cases) / sizeof(cases[0]) + 2,
          "fw_control.errors-change-nothing");
    teardown();
}

/* Text from list parses back to the same entries, ClassBench-only forms included. */
static void test_round_trip(void)
{
    static const char *rules[] = {
        "allow", "deny 47 from 1.2.3.0/24", "allow icmp type 3 code 1", "deny icmp time-exceeded to 9.9.9.9",
        "allow tcp sport 1,3-4 to 10.0.0.0/8 port 5,7-9,11", "deny udp from 1.1.1.1 sport 53",
        "@10.0.0.0/8 0.0.0.0/0 0 : 65535 80 : 80 0x06/0xFE allow", "@0.0.0.0/0 1.2.3.4/32 1 : 2 3 : 4 0x01/0xFF",
        "@0.0.0.0/0 0.0.0.0/0 1 : 2 0 : 65535 0x00/0x00 allow", "allow 200 to 7.7.7.7",
    };
    CHECK(setup("") == 0, "fw_control.round-trip-setup");
    int ok = 1;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        char text[600], cmd[700];
        snprintf(cmd, sizeof(cmd), "add %s", rules[i]);
        if (!starts(run(cmd), "ok"))
            ok = 0;
        fw_control_format(&ctl, ctl.norder - 1, text, sizeof(text));
        snprintf(cmd, sizeof(cmd), "del %s", text);
        size_t before = ctl.norder;
        if (!starts(run(cmd), "ok deleted") || ctl.norder != before - 1) {
            printf("INFO '%s' listed as '%s' -> %s\n", rules[i], text, reply);
            ok = 0;
        }
        snprintf(cmd, sizeof(cmd), "add %s", text); /* put it back for the next rule's position */
        run(cmd);
    }
    CHECK(ok, "fw_control.text-round-trip");
    CHECK(consistent(), "fw_control.round-trip-consistent");
    teardown();
}

/* Dense rule set, inserts at the front and in the middle: neighbours must be re-spread. */
static void test_respread(void)
{
    char text[64 * 1024];
    size_t len = 0;
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s tcp from 10.0.%d.%d to 10.0.0.%d port %d\n",
                                i % 3 ? "allow" : "deny", i / 256, i % 256, i % 64, i % 60);
    CHECK(setup(text) == 0, "fw_control.respread-setup");
    int ok = 1;
    for (int i = 0; i < 200 && ok; i++) {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "add at %u deny tcp from 10.0.0.%u to 10.0.0.%u port %u", (unsigned)(rnd() % (ctl.norder + 1)) + 1,
                 rnd() % 1024 & 255, rnd() % 64, rnd() % 60);
        ok = starts(run(cmd), "ok at ");
    }
    CHECK(ok, "fw_control.respread-adds");
    CHECK(ctl.moves > 0 && consistent(), "fw_control.respread-consistent");
    CHECK(rs.count <= 4 * ctl.norder + 64, "fw_control.respread-bounded-array");
    teardown();
}

/* Random adds and deletes at random positions, checked against the linear scan throughout;
 * ids are reused and counters start at zero. */
static void test_random(void)
{
    CHECK(setup("allow tcp port 1\n") == 0, "fw_control.random-setup");
    int ok = 1;
    for (int step = 0; step < 3000 && ok; step++) {
        char cmd[160];
        uint32_t r = rnd();
        if (ctl.norder && (r % 5 < 2 || ctl.norder > 300)) {
            snprintf(cmd, sizeof(cmd), "%d del %u", step, (unsigned)(rnd() % ctl.norder) + 1);
        } else {
            static const char *proto[] = {"tcp", "udp", "icmp", "any"};
            const char *p = proto[rnd() % 4];
            int ports = p[0] == 't' || p[0] == 'u';
            snprintf(cmd, sizeof(cmd), "%d add at %u %s %s from 10.0.%u.%u/%u%s%s", step,
                     (unsigned)(rnd() % (ctl.norder + 1)) + 1, r & 1 ? "allow" : "deny", p, rnd() % 4, rnd() % 256,
                     22 + rnd() % 11, ports ? " port " : "", ports ? (r & 2 ? "3,9-20" : "7") : "");
        }
        const char *got = run(cmd);
        char want[16];
        snprintf(want, sizeof(want), "%d ok", step);
        if (!starts(got, want) || (step % 50 == 0 && !consistent())) {
            printf("INFO step %d: '%s' -> '%s'\n", step, cmd, got);
            ok = 0;
        }
    }
    CHECK(ok && consistent(), "fw_control.random-updates");
    CHECK(rs.nsources <= 302, "fw_control.ids-reused");
    teardown();
}

int main(void)
{
    test_basics();
    test_errors();
    test_round_trip();
    test_respread();
    test_random();
    return CHECK_DONE();
}
