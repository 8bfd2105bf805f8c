/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the router's configuration parser (apps/router/config.c) and its forwarding
 * tables (apps/router/route.c): statements, defaults, error messages, longest-prefix match. */
#include <arpa/inet.h>
#include <string.h>

#include "../../apps/router/config.h"
#include "../../apps/router/route.h"
#include "check.h"

static struct config cfg;
static char err[200];

static int parse(const char *text)
{
    config_defaults(&cfg);
    err[0] = '\0';
    return config_parse(&cfg, text, strlen(text), "r.conf", err, sizeof(err));
}

/* The text fails with a message containing want. */
static int rejects(const char *text, const char *want)
{
    if (parse(text) == 0)
        return 0;
    if (!strstr(err, want)) {
        printf("  (message was '%s')\n", err);
        return 0;
    }
    return 1;
}

static void test_statements(void)
{
    const char *text =
        "# a router of a tunnel\n"
        "nic 0 10.1.0.2/30\n"
        "nic 1 10.1.0.5/30 mac 02:aa:bb:cc:dd:ee   # explicit MAC\n"
        "\n"
        "route 10.9.0.0/16 via 10.1.0.6 push 1001\n"
        "route 0.0.0.0/0 via 10.1.0.1\r\n"
        "label 1001 swap 1002 via 10.1.0.6\n"
        "label 1003 pop via 10.1.0.1\n"
        "label 1004 pop\n"
        "mpls ttl-propagate off\n"
        "mpls rfc4950 off\n"
        "mpls icmp-tunnel off\n"
        "mpls uhp-decrement on\n"
        "ttl time-exceeded 255\n"
        "ttl echo-reply 64\n"
        "ttl unreachable 128\n"
        "quoted-ttl one";
    CHECK(parse(text) == 0, "router_config.full-file-parses");
    CHECK(cfg.nics[0].present && cfg.nics[0].addr == inet_addr("10.1.0.2") && cfg.nics[0].prefix == 30,
          "router_config.nic-address");
    static const uint8_t derived[6] = {0x02, 0x00, 10, 1, 0, 2}, given[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
    CHECK(memcmp(cfg.nics[0].mac, derived, 6) == 0, "router_config.mac-derived-from-address");
    CHECK(memcmp(cfg.nics[1].mac, given, 6) == 0, "router_config.mac-given");
    CHECK(!cfg.nics[2].present && !cfg.nics[3].present, "router_config.other-nics-absent");
    CHECK(cfg.nroutes == 2 && cfg.routes[0].push && cfg.routes[0].label == 1001 && cfg.routes[0].nic == 1 &&
          cfg.routes[1].prefix == 0 && cfg.routes[1].nic == 0 && !cfg.routes[1].push,
          "router_config.routes-and-nic-of-via");
    CHECK(cfg.nlabels == 3 && cfg.labels[0].op == CONFIG_SWAP && cfg.labels[0].out == 1002 &&
          cfg.labels[0].nic == 1 && cfg.labels[1].op == CONFIG_POP && cfg.labels[1].has_via &&
          cfg.labels[1].nic == 0 && cfg.labels[2].op == CONFIG_POP && !cfg.labels[2].has_via,
          "router_config.label-table");
    CHECK(!cfg.ttl_propagate && !cfg.pop_min && !cfg.rfc4950 && !cfg.icmp_tunnel && cfg.uhp_decrement,
          "router_config.mpls-knobs");
    CHECK(cfg.ttl_time_exceeded == 255 && cfg.ttl_echo_reply == 64 && cfg.ttl_unreachable == 128 &&
          cfg.quoted_ttl == CONFIG_QTTL_ONE, "router_config.ttl-knobs");

    CHECK(parse("nic 0 10.0.0.1/24") == 0 && cfg.ttl_propagate && cfg.pop_min && cfg.rfc4950 &&
          cfg.icmp_tunnel && !cfg.uhp_decrement && cfg.ttl_time_exceeded == 64 && cfg.ttl_echo_reply == 64 &&
          cfg.quoted_ttl == CONFIG_QTTL_RECEIVED, "router_config.defaults");
    CHECK(parse("nic 0 10.0.0.1/24\nmpls ttl-propagate off\nmpls pop-ttl min") == 0 && !cfg.ttl_propagate &&
          cfg.pop_min, "router_config.pop-ttl-overrides-propagate");
    CHECK(parse("route 10.9.0.0/16 via 10.0.0.2\nnic 0 10.0.0.1/24") == 0 && cfg.routes[0].nic == 0,
          "router_config.route-before-its-nic");
}

static void test_errors(void)
{
    CHECK(rejects("nic 0 10.0.0.1/24\nbogus 1", "r.conf:2: unknown statement 'bogus'"),
          "router_config.error-names-file-and-line");
    CHECK(rejects("nic 4 10.0.0.1/24", "r.conf:1: bad NIC number '4'"), "router_config.nic-number-range");
    CHECK(rejects("nic 0 10.0.0.1/24\nnic 0 10.0.1.1/24", ":2: NIC 0 is configured twice"),
          "router_config.nic-twice");
    CHECK(rejects("nic 0 10.0.0.1/31", "bad interface address"), "router_config.nic-prefix-31");
    CHECK(rejects("nic 0 10.0.0.1", "bad interface address"), "router_config.nic-needs-prefix");
    CHECK(rejects("nic 0 10.0.0.1/24 mac 01:00:00:00:00:01", "bad MAC"), "router_config.multicast-mac");
    CHECK(rejects("nic 0 10.0.0.1/24 mac 02:00:00:00:00", "bad MAC"), "router_config.short-mac");
    CHECK(rejects("nic 0 10.0.0.1/24\nroute 10.9.0.1/16 via 10.0.0.2", "host bits"), "router_config.host-bits");
    CHECK(rejects("nic 0 10.0.0.1/24\nroute 10.9.0.0/16 via 10.7.0.2", ":2: next hop 10.7.0.2 is not a neighbour"),
          "router_config.via-not-neighbour");
    CHECK(rejects("nic 0 10.0.0.1/24\nroute 10.9.0.0/16 via 10.0.0.1", "not a neighbour"),
          "router_config.via-is-self");
    CHECK(rejects("nic 0 10.0.0.1/24\nroute 10.9.0.0/16 via 10.0.0.2 push 1048576", "bad label"),
          "router_config.label-range");
    CHECK(rejects("nic 0 10.0.0.1/24\nlabel 3 pop", "reserved"), "router_config.reserved-label");
    CHECK(rejects("nic 0 10.0.0.1/24\nlabel 100 pop\nlabel 100 pop", ":3: label 100 is configured twice"),
          "router_config.label-twice");
    CHECK(rejects("nic 0 10.0.0.1/24\nlabel 100 swap 200", "usage: label"), "router_config.swap-needs-via");
    CHECK(rejects("nic 0 10.0.0.1/24\nmpls php on", "unknown mpls setting"), "router_config.unknown-mpls");
    CHECK(rejects("nic 0 10.0.0.1/24\nmpls rfc4950 yes", "on or off"), "router_config.onoff");
    CHECK(rejects("nic 0 10.0.0.1/24\nttl echo-reply 0", "bad TTL"), "router_config.ttl-zero");
    CHECK(rejects("nic 0 10.0.0.1/24\nttl echo-reply 256", "bad TTL"), "router_config.ttl-256");
    CHECK(rejects("nic 0 10.0.0.1/24\nttl echo-reply -1", "bad TTL"), "router_config.ttl-negative");
    CHECK(rejects("nic 0 10.0.0.1/24\nquoted-ttl 2", "usage: quoted-ttl"), "router_config.quoted-ttl");
    CHECK(rejects("nic 0 1 2 3 4 5 6 7 8", "too many words"), "router_config.too-many-words");
    char line[400];
    memset(line, 'x', sizeof(line) - 1);
    line[sizeof(line) - 1] = '\0';
    CHECK(rejects(line, "line too long"), "router_config.line-too-long");
    config_defaults(&cfg);
    CHECK(config_parse(&cfg, "nic 0\0 10.0.0.1/24", 18, "r.conf", err, sizeof(err)) < 0 &&
          strstr(err, "NUL"), "router_config.nul-byte");
}

static void test_lpm(void)
{
    static struct route_table t;
    const char *text = "nic 0 10.1.0.2/30\nnic 1 10.1.0.5/30\nnic 2 192.168.7.1/24\n"
                       "route 0.0.0.0/0 via 10.1.0.1\n"
                       "route 10.9.0.0/16 via 10.1.0.6\n"
                       "route 10.9.4.0/24 via 192.168.7.9 push 77\n"
                       "route 10.9.4.128/25 via 10.1.0.1\n";
    CHECK(parse(text) == 0, "router_lpm.config");
    route_build(&t, &cfg);
    CHECK(t.count == 7, "router_lpm.connected-plus-static");
    const struct route *r = route_lookup(&t, inet_addr("10.9.4.200"));
    CHECK(r && r->prefix == 25 && r->nic == 0, "router_lpm.most-specific-wins");
    r = route_lookup(&t, inet_addr("10.9.4.5"));
    CHECK(r && r->prefix == 24 && r->push && r->label == 77 && r->nic == 2 &&
          route_next_hop(r, inet_addr("10.9.4.5")) == inet_addr("192.168.7.9"), "router_lpm.push-route");
    r = route_lookup(&t, inet_addr("10.9.200.1"));
    CHECK(r && r->prefix == 16 && r->nic == 1, "router_lpm.sixteen");
    r = route_lookup(&t, inet_addr("10.1.0.6"));
    CHECK(r && r->prefix == 30 && r->nic == 1 && r->via == 0 &&
          route_next_hop(r, inet_addr("10.1.0.6")) == inet_addr("10.1.0.6"), "router_lpm.connected-next-hop-is-dst");
    r = route_lookup(&t, inet_addr("8.8.8.8"));
    CHECK(r && r->prefix == 0 && r->nic == 0, "router_lpm.default-route");
    CHECK(parse("nic 0 10.1.0.2/30") == 0, "router_lpm.config-no-default");
    route_build(&t, &cfg);
    CHECK(route_lookup(&t, inet_addr("8.8.8.8")) == NULL, "router_lpm.no-route");
    CHECK(parse("nic 0 10.1.0.2/30\nlabel 100 swap 200 via 10.1.0.1\nlabel 300 pop") == 0 &&
          route_label(&cfg, 300) && route_label(&cfg, 300)->op == CONFIG_POP && !route_label(&cfg, 200),
          "router_lpm.label-lookup");
}

int main(void)
{
    test_statements();
    test_errors();
    test_lpm();
    return CHECK_DONE();
}
