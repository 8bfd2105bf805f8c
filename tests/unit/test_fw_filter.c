/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the firewall's frame path (apps/firewall/fw_filter.c, fw_packet.c,
 * fw_conntrack.c): verdicts on synthetic Ethernet frames, stateless and with conntrack (TCP,
 * UDP, ICMP echo replies of allowed flows pass; denied flows leave no state; timeouts), ARP and
 * non-IPv4 handling, malformed frames, per-rule counters; the flow cache answers as the
 * classifier does, for repeated and colliding flows, and forgets on a flush. */
#include <string.h>

#include "../../apps/firewall/fw_filter.h"
#include "check.h"

#define SEC 1000000000ull
#define CLIENT 0x0a000001u
#define SERVER 0x0a000002u

static uint8_t frame[128];

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16)), put16(p + 2, (uint16_t)v);
}

/* An IPv4 frame; for TCP/UDP a/b are ports, for ICMP type/code and id the echo identifier. */
static size_t ip_frame(uint8_t proto, uint32_t src, uint32_t dst, uint16_t a, uint16_t b, uint16_t id, uint8_t flags)
{
    memset(frame, 0, sizeof(frame));
    put16(frame + 12, 0x0800);
    uint8_t *ip = frame + 14, *l4 = ip + 20;
    size_t l4len = proto == 6 ? 20 : 8;
    ip[0] = 0x45;
    put16(ip + 2, (uint16_t)(20 + l4len));
    ip[8] = 64;
    ip[9] = proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    if (proto == 1) {
        l4[0] = (uint8_t)a, l4[1] = (uint8_t)b;
        put16(l4 + 4, id);
    } else {
        put16(l4, a), put16(l4 + 2, b);
        if (proto == 6)
            l4[13] = flags;
    }
    return 14 + 20 + l4len;
}

static int setup(struct fw_ruleset *rs, struct fw_filter *f, const char *text, int ct)
{
    char err[200];
    fw_ruleset_init(rs);
    if (fw_parse(rs, text, strlen(text), "t", err, sizeof(err)) < 0) {
        printf("INFO %s\n", err);
        return -1;
    }
    return fw_filter_init(f, rs, ct ? 1024 : 0);
}

static void teardown(struct fw_ruleset *rs, struct fw_filter *f)
{
    fw_filter_free(f);
    fw_ruleset_free(rs);
}

static int verdict(struct fw_filter *f, size_t len, uint64_t now)
{
    return fw_filter_frame(f, frame, len, now);
}

static void test_stateless(void)
{
    struct fw_ruleset rs;
    struct fw_filter f;
    CHECK(setup(&rs, &f, "allow tcp from 10.0.0.1 to 10.0.0.2 port 80\ndeny icmp echo-request\n", 0) == 0,
          "fw_filter.stateless-setup");
    size_t n = ip_frame(6, CLIENT, SERVER, 40000, 80, 0, 0x02);
    CHECK(verdict(&f, n, 0) == 1, "fw_filter.allowed-syn");
    n = ip_frame(6, SERVER, CLIENT, 80, 40000, 0, 0x12);
    CHECK(verdict(&f, n, 0) == 0, "fw_filter.stateless-reply-dropped");
    n = ip_frame(6, CLIENT, SERVER, 40000, 81, 0, 0x02);
    CHECK(verdict(&f, n, 0) == 0, "fw_filter.default-deny");
    n = ip_frame(1, CLIENT, SERVER, 8, 0, 7, 0);
    CHECK(verdict(&f, n, 0) == 0, "fw_filter.ping-denied");
    CHECK(f.rule[0].packets == 1 && f.rule[1].packets == 1 && f.dflt.packets == 2 && f.rule[0].bytes == n + 12,
          "fw_filter.counters");
    /* ARP passes, IPv6 and malformed frames are dropped */
    memset(frame, 0, sizeof(frame));
    put16(frame + 12, 0x0806);
    CHECK(verdict(&f, 42, 0) == 1 && f.arp.packets == 1, "fw_filter.arp-passes");
    put16(frame + 12, 0x86dd);
    CHECK(verdict(&f, 60, 0) == 0 && f.other.packets == 1, "fw_filter.ipv6-dropped");
    n = ip_frame(6, CLIENT, SERVER, 40000, 80, 0, 0x02);
    CHECK(verdict(&f, 40, 0) == 0 && verdict(&f, 10, 0) == 0 && f.bad.packets == 2, "fw_filter.truncated-dropped");
    frame[14] = 0x46; /* IHL 24 with total length 40: a header longer than the packet allows */
    put16(frame + 16, 22);
    CHECK(verdict(&f, n, 0) == 0, "fw_filter.bad-ihl-dropped");
    teardown(&rs, &f);
}

static void test_conntrack(void)
{
    struct fw_ruleset rs;
    struct fw_filter f;
    CHECK(setup(&rs, &f, "deny tcp from 10.0.0.1 port 22\nallow tcp from 10.0.0.1 to 10.0.0.2 port 80\n"
                         "allow udp to 10.0.0.2 port 53\nallow icmp echo-request from 10.0.0.1\n", 1) == 0,
          "fw_filter.ct-setup");
    size_t n = ip_frame(6, SERVER, CLIENT, 80, 40000, 0, 0x12);
    CHECK(verdict(&f, n, 0) == 0, "fw_filter.ct-unsolicited-reply-dropped");
    n = ip_frame(6, CLIENT, SERVER, 40000, 80, 0, 0x02);
    CHECK(verdict(&f, n, 0) == 1, "fw_filter.ct-syn");
    n = ip_frame(6, SERVER, CLIENT, 80, 40000, 0, 0x12);
    CHECK(verdict(&f, n, SEC) == 1 && f.tracked.packets == 1, "fw_filter.ct-tcp-reply");
    n = ip_frame(6, SERVER, CLIENT, 80, 40001, 0, 0x12);
    CHECK(verdict(&f, n, SEC) == 0, "fw_filter.ct-other-port-dropped");
    n = ip_frame(6, CLIENT, SERVER, 40000, 22, 0, 0x02);
    verdict(&f, n, SEC);
    n = ip_frame(6, SERVER, CLIENT, 22, 40000, 0, 0x12);
    CHECK(verdict(&f, n, SEC) == 0, "fw_filter.ct-denied-leaves-no-state");
    /* a FIN shortens the TCP timeout to 10 s */
    n = ip_frame(6, CLIENT, SERVER, 40000, 80, 0, 0x11);
    CHECK(verdict(&f, n, 2 * SEC) == 1, "fw_filter.ct-fin");
    n = ip_frame(6, SERVER, CLIENT, 80, 40000, 0, 0x10);
    CHECK(verdict(&f, n, 13 * SEC) == 0, "fw_filter.ct-closed-expires");
    /* UDP, 60 s */
    n = ip_frame(17, CLIENT, SERVER, 5353, 53, 0, 0);
    CHECK(verdict(&f, n, 0) == 1, "fw_filter.ct-udp-query");
    n = ip_frame(17, SERVER, CLIENT, 53, 5353, 0, 0);
    CHECK(verdict(&f, n, 30 * SEC) == 1, "fw_filter.ct-udp-reply");
    CHECK(verdict(&f, n, 91 * SEC) == 0, "fw_filter.ct-udp-expired");
    /* ICMP echo: the reply with the same identifier passes, another identifier does not */
    n = ip_frame(1, CLIENT, SERVER, 8, 0, 77, 0);
    CHECK(verdict(&f, n, 0) == 1, "fw_filter.ct-echo-request");
    n = ip_frame(1, SERVER, CLIENT, 0, 0, 77, 0);
    CHECK(verdict(&f, n, SEC) == 1, "fw_filter.ct-echo-reply");
    n = ip_frame(1, SERVER, CLIENT, 0, 0, 78, 0);
    CHECK(verdict(&f, n, SEC) == 0, "fw_filter.ct-echo-other-id");
    n = ip_frame(1, SERVER, CLIENT, 8, 0, 79, 0);
    CHECK(verdict(&f, n, SEC) == 0, "fw_filter.ct-echo-request-back-denied");
    CHECK(fw_ct_expire(f.ct, 200 * SEC) == 0, "fw_filter.ct-expire-all");
    teardown(&rs, &f);
}

static void test_pool_full(void)
{
    struct fw_conntrack *ct = fw_ct_create(16);
    struct fw_packet p;
    int full = 0;
    memset(&p, 0, sizeof(p));
    p.key.proto = 17, p.key.src = CLIENT, p.key.dst = SERVER, p.key.dport = 53;
    for (uint16_t port = 1; port <= 20; port++) {
        p.key.sport = port;
        if (fw_ct_insert(ct, &p, 0) < 0)
            full++;
    }
    CHECK(ct && full == 4, "fw_filter.ct-pool-full");
    CHECK(ct && fw_ct_expire(ct, 61 * SEC) == 0 && fw_ct_insert(ct, &p, 61 * SEC) == 0, "fw_filter.ct-pool-reused");
    fw_ct_free(ct);
}

/* Many flows (more than the cache's slots, so slots are shared and overwritten), each seen
 * several times: every verdict must be the rules' first match, as without a cache. */
static void test_flow_cache(void)
{
    struct fw_ruleset rs;
    struct fw_filter f;
    CHECK(setup(&rs, &f, "deny tcp from 10.0.0.0/24 port 1000-1999\nallow udp to 10.0.0.0/8 port 53\n"
                         "deny udp\nallow tcp port 80\ndeny tcp from 10.0.0.7\ndefault allow\n", 0) == 0,
          "fw_filter.flow-cache-setup");
    uint64_t s = 12345;
    long bad = 0;
    for (int i = 0; i < 40000; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(s >> 33) % 9000; /* 9000 flows over 4096 slots */
        uint8_t proto = r & 1 ? 6 : 17;
        uint32_t src = 0x0a000000u | (r % 13);
        uint16_t dport = (uint16_t)(r % 3 == 0 ? 80 : r % 3 == 1 ? 53 : 1000 + r % 1500);
        uint16_t sport = (uint16_t)(1000 + r / 3);
        struct fw_key k = {.src = src, .dst = SERVER, .sport = sport, .dport = dport, .proto = proto};
        long want = fw_linear_match(rs.rules, rs.count, &k);
        int allow = want < 0 ? rs.default_action == FW_ALLOW : rs.rules[want].action == FW_ALLOW;
        size_t n = ip_frame(proto, src, SERVER, sport, dport, 0, 0x02);
        bad += verdict(&f, n, 0) != allow;
    }
    CHECK(bad == 0 && f.flow_hits > 0 && f.flow_misses > 4096, "fw_filter.flow-cache-same-verdicts");
    uint64_t misses = f.flow_misses;
    fw_filter_flush_flows(&f);
    size_t n = ip_frame(6, CLIENT, SERVER, 40000, 80, 0, 0x02);
    CHECK(verdict(&f, n, 0) == 1 && f.flow_misses == misses + 1 && verdict(&f, n, 0) == 1 &&
          f.flow_misses == misses + 1, "fw_filter.flow-cache-flush");
    teardown(&rs, &f);
}

int main(void)
{
    test_flow_cache();
    test_stateless();
    test_conntrack();
    test_pool_full();
    return CHECK_DONE();
}
