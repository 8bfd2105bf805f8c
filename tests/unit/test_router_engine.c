/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the router's forwarding engine (apps/router/router.c, arp.c) driven with
 * frames and watched through its transmit callback: ARP, IPv4 forwarding and local answers,
 * MPLS push / swap / penultimate and egress pop with both TTL modes, and LSE expiry with the
 * time-exceeded carried on along the LSP. */
#include <arpa/inet.h>
#include <string.h>

#include "../../apps/router/config.h"
#include "../../apps/router/pkt.h"
#include "../../apps/router/router.h"
#include "check.h"

#define MAX_SENT 16

struct sent {
    unsigned nic;
    size_t len;
    uint8_t f[1600];
};

static struct sent sent[MAX_SENT];
static int nsent;
static struct config cfg;
static const uint8_t peer_mac[6] = {0x02, 0x99, 0, 0, 0, 1};
static uint64_t clock_ns = 1000000000ull;

static int capture(void *arg, unsigned nic, const uint8_t *frame, size_t len)
{
    (void)arg;
    if (nsent < MAX_SENT && len <= sizeof(sent[0].f)) {
        sent[nsent].nic = nic;
        sent[nsent].len = len;
        memcpy(sent[nsent].f, frame, len);
        nsent++;
    }
    return 0;
}

/* Starts a router with the given configuration; its neighbours are learnt by ARP. */
static int start(const char *text, const char *const *neighbours)
{
    char err[200];
    config_defaults(&cfg);
    if (config_parse(&cfg, text, strlen(text), "t", err, sizeof(err)) < 0) {
        printf("  config: %s\n", err);
        return -1;
    }
    router_init(&cfg, capture, NULL);
    for (; neighbours && *neighbours; neighbours += 2) {
        unsigned nic = (unsigned)(neighbours[0][0] - '0');
        uint8_t f[60] = {0};
        memset(f, 0xff, 6);
        memcpy(f + 6, peer_mac, 6);
        pkt_put16(f + 12, PKT_ETH_ARP);
        uint8_t *a = f + 14;
        pkt_put16(a, 1);
        pkt_put16(a + 2, PKT_ETH_IP);
        a[4] = 6;
        a[5] = 4;
        pkt_put16(a + 6, 1);
        memcpy(a + 8, peer_mac, 6);
        unf_ip4 sender = inet_addr(neighbours[1]);
        memcpy(a + 14, &sender, 4);
        memcpy(a + 24, &cfg.nics[nic].addr, 4);
        router_input(nic, f, sizeof(f), clock_ns);
    }
    nsent = 0;
    return 0;
}

/* An ICMP echo request (or UDP datagram) from src to dst with ttl, as an IPv4 packet. */
static size_t make_ip(uint8_t *p, const char *src, const char *dst, uint8_t ttl, uint8_t proto)
{
    size_t total = 48;
    memset(p, 0, total);
    uint8_t *l4 = p + 20;
    if (proto == PKT_IP_ICMP) {
        l4[0] = 8;
        pkt_put32(l4 + 4, 0x00070001);
        pkt_put16(l4 + 2, pkt_checksum(l4, total - 20));
    } else {
        pkt_put16(l4, 40000);
        pkt_put16(l4 + 2, 33434);
        pkt_put16(l4 + 4, (uint16_t)(total - 20));
    }
    pkt_ip_header(p, total, 99, ttl, proto, inet_addr(src), inet_addr(dst));
    return total;
}

/* Delivers an IP packet under n labels (n may be 0) on nic, addressed to the router's MAC. */
static void deliver(unsigned nic, const struct pkt_lse *labels, int n, const uint8_t *ip, size_t len)
{
    uint8_t f[1600];
    memcpy(f, cfg.nics[nic].mac, 6);
    memcpy(f + 6, peer_mac, 6);
    pkt_put16(f + 12, n ? PKT_ETH_MPLS : PKT_ETH_IP);
    for (int i = 0; i < n; i++) {
        struct pkt_lse e = labels[i];
        e.bottom = i == n - 1;
        pkt_put32(f + 14 + 4 * i, pkt_lse_encode(&e));
    }
    memcpy(f + 14 + 4 * n, ip, len);
    router_input(nic, f, 14 + 4 * (size_t)n + len, clock_ns);
}

/* The IP packet inside sent frame i, after its labels (count stored in *n, top in *top). */
static const uint8_t *sent_ip(int i, int *n, struct pkt_lse *top)
{
    const uint8_t *f = sent[i].f;
    *n = 0;
    if (pkt_get16(f + 12) == PKT_ETH_MPLS) {
        struct pkt_lse st[PKT_MAX_LABELS];
        *n = pkt_lse_parse(f + 14, sent[i].len - 14, st, PKT_MAX_LABELS);
        if (*n <= 0)
            return NULL;
        *top = st[0];
    } else if (pkt_get16(f + 12) != PKT_ETH_IP) {
        return NULL;
    }
    const uint8_t *ip = f + 14 + 4 * *n;
    size_t hlen, total;
    return pkt_ip_check(ip, sent[i].len - 14 - 4 * (size_t)*n, &hlen, &total) == 0 ? ip : NULL;
}

static int addr_is(const uint8_t *p, const char *a)
{
    unf_ip4 v = inet_addr(a);
    return memcmp(p, &v, 4) == 0;
}

static const char *const r1_nb[] = {"0", "10.1.0.1", "1", "10.1.0.6", NULL};
#define R1 "nic 0 10.1.0.2/30\nnic 1 10.1.0.5/30\nroute 10.1.0.8/29 via 10.1.0.6\n"

static void test_arp(void)
{
    CHECK(start(R1, NULL) == 0, "router_engine.arp-config");
    uint8_t f[60] = {0};
    memset(f, 0xff, 6);
    memcpy(f + 6, peer_mac, 6);
    pkt_put16(f + 12, PKT_ETH_ARP);
    uint8_t *a = f + 14;
    pkt_put16(a, 1);
    pkt_put16(a + 2, PKT_ETH_IP);
    a[4] = 6;
    a[5] = 4;
    pkt_put16(a + 6, 1);
    memcpy(a + 8, peer_mac, 6);
    memcpy(a + 14, &(unf_ip4){inet_addr("10.1.0.6")}, 4);
    memcpy(a + 24, &(unf_ip4){inet_addr("10.1.0.5")}, 4);
    router_input(1, f, sizeof(f), clock_ns);
    CHECK(nsent == 1 && sent[0].nic == 1 && memcmp(sent[0].f, peer_mac, 6) == 0 &&
          pkt_get16(sent[0].f + 20) == 2 && memcmp(sent[0].f + 22, cfg.nics[1].mac, 6) == 0 &&
          addr_is(sent[0].f + 28, "10.1.0.5"), "router_engine.arp-reply-own-address");
    nsent = 0;
    memcpy(a + 24, &(unf_ip4){inet_addr("10.1.0.2")}, 4); /* nic 0's address, asked on nic 1 */
    router_input(1, f, sizeof(f), clock_ns);
    CHECK(nsent == 0, "router_engine.arp-no-reply-other-nic-address");

    /* a packet to an unknown neighbour waits for ARP, then leaves */
    uint8_t ip[64];
    size_t len = make_ip(ip, "10.1.0.1", "10.1.0.10", 9, PKT_IP_ICMP);
    start(R1, NULL);
    deliver(0, NULL, 0, ip, len);
    CHECK(nsent == 1 && sent[0].nic == 1 && pkt_get16(sent[0].f + 12) == PKT_ETH_ARP &&
          pkt_get16(sent[0].f + 20) == 1 && addr_is(sent[0].f + 38, "10.1.0.6"), "router_engine.arp-request-for-next-hop");
    router_tick(clock_ns + 1100000000ull);
    CHECK(nsent == 2 && pkt_get16(sent[1].f + 12) == PKT_ETH_ARP, "router_engine.arp-retry");
    pkt_put16(a + 6, 2); /* the reply from 10.1.0.6 */
    memcpy(f, cfg.nics[1].mac, 6);
    memcpy(a + 24, &(unf_ip4){inet_addr("10.1.0.5")}, 4);
    router_input(1, f, sizeof(f), clock_ns);
    int n;
    struct pkt_lse top;
    const uint8_t *out = nsent == 3 ? sent_ip(2, &n, &top) : NULL;
    CHECK(out && n == 0 && out[8] == 8 && memcmp(sent[2].f, peer_mac, 6) == 0, "router_engine.arp-queued-packet-sent");
}

static void test_ip(void)
{
    uint8_t ip[64];
    int n;
    struct pkt_lse top;
    CHECK(start(R1 "ttl time-exceeded 255\nttl echo-reply 128\nttl unreachable 200\n", r1_nb) == 0,
          "router_engine.ip-config");
    size_t len = make_ip(ip, "10.1.0.1", "10.1.0.14", 5, PKT_IP_ICMP);
    deliver(0, NULL, 0, ip, len);
    const uint8_t *out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 1 && n == 0 && out[8] == 4 && memcmp(out + 12, ip + 12, 8) == 0,
          "router_engine.forward-decrements-ttl");
    CHECK(out && memcmp(sent[0].f + 6, cfg.nics[1].mac, 6) == 0, "router_engine.forward-source-mac");

    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "10.1.0.14", 1, PKT_IP_ICMP);
    deliver(0, NULL, 0, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 0 && out[8] == 255 && out[20] == 11 && addr_is(out + 12, "10.1.0.2") &&
          addr_is(out + 16, "10.1.0.1") && out[28 + 8] == 1, "router_engine.time-exceeded-from-incoming-nic");

    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "10.1.0.5", 1, PKT_IP_ICMP);
    deliver(0, NULL, 0, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && out[8] == 128 && out[20] == 0 && addr_is(out + 12, "10.1.0.5") &&
          pkt_checksum(out + 20, 28) == 0, "router_engine.echo-reply-ttl-and-address");

    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "10.1.0.2", 3, PKT_IP_UDP);
    deliver(0, NULL, 0, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && out[8] == 200 && out[20] == 3 && out[21] == 3 && addr_is(out + 12, "10.1.0.2"),
          "router_engine.udp-port-unreachable");

    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "172.16.0.1", 9, PKT_IP_ICMP);
    deliver(0, NULL, 0, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && out[20] == 3 && out[21] == 0 && addr_is(out + 12, "10.1.0.2"), "router_engine.net-unreachable");

    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "10.1.0.14", 5, PKT_IP_ICMP);
    uint8_t f[100];
    memset(f, 0, 6);
    f[0] = 0x02;
    memcpy(f + 6, peer_mac, 6);
    pkt_put16(f + 12, PKT_ETH_IP);
    memcpy(f + 14, ip, len);
    router_input(0, f, 14 + len, clock_ns);
    CHECK(nsent == 0, "router_engine.ignores-other-mac");
}

/* The transit fast path (one copy from the received frame into the sent one, TTL and checksum
 * changed in place): a packet with IP options and a payload longer than the minimum leaves
 * byte for byte as it came but for TTL and checksum, on the right NIC, with a valid header; a
 * TTL-1 packet and a packet without a route still get their errors from the slow path. */
static void test_fast_path(void)
{
    uint8_t ip[300];
    int n;
    struct pkt_lse top;
    CHECK(start(R1, r1_nb) == 0, "router_engine.fast-config");
    memset(ip, 0, sizeof(ip));
    for (size_t i = 24; i < 300; i++)
        ip[i] = (uint8_t)(i * 7);
    pkt_ip_header(ip, 300, 7, 9, PKT_IP_UDP, inet_addr("10.1.0.1"), inet_addr("10.1.0.13"));
    ip[0] = 0x46; /* a 24-byte header: one NOP-padded option word */
    memset(ip + 20, 1, 4);
    pkt_put16(ip + 10, 0);
    pkt_put16(ip + 10, pkt_checksum(ip, 24));
    deliver(0, NULL, 0, ip, 300);
    const uint8_t *out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 1 && n == 0 && sent[0].len == 14 + 300 && out[8] == 8 &&
          pkt_checksum(out, 24) == 0 && memcmp(out, ip, 8) == 0 && out[9] == ip[9] &&
          memcmp(out + 12, ip + 12, 300 - 12) == 0 && memcmp(sent[0].f, peer_mac, 6) == 0,
          "router_engine.fast-forward-intact");
    deliver(0, NULL, 0, ip, 300); /* the same again: nothing left over from the first */
    CHECK(nsent == 2 && sent[1].len == sent[0].len && memcmp(sent[1].f, sent[0].f, sent[0].len) == 0,
          "router_engine.fast-forward-repeatable");
    nsent = 0;
    ip[8] = 1;
    pkt_put16(ip + 10, 0);
    pkt_put16(ip + 10, pkt_checksum(ip, 24));
    deliver(0, NULL, 0, ip, 300);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 0 && out[20] == 11, "router_engine.fast-ttl1-time-exceeded");
    nsent = 0;
    make_ip(ip, "10.1.0.1", "10.77.0.1", 9, PKT_IP_ICMP);
    deliver(0, NULL, 0, ip, 48);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 0 && out[20] == 3 && out[21] == 0, "router_engine.fast-no-route-unreachable");
}

static void test_push(void)
{
    uint8_t ip[64];
    int n;
    struct pkt_lse top;
    CHECK(start(R1 "route 10.1.0.12/30 via 10.1.0.6 push 100\n", r1_nb) == 0, "router_engine.push-config");
    size_t len = make_ip(ip, "10.1.0.1", "10.1.0.14", 5, PKT_IP_ICMP);
    deliver(0, NULL, 0, ip, len);
    const uint8_t *out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && n == 1 && top.label == 100 && top.bottom && top.ttl == 4 && out[8] == 4,
          "router_engine.push-ttl-propagate");
    start(R1 "route 10.1.0.12/30 via 10.1.0.6 push 100\nmpls ttl-propagate off\n", r1_nb);
    deliver(0, NULL, 0, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && n == 1 && top.ttl == 255 && out[8] == 4, "router_engine.push-no-propagate-255");
}

#define R2 "nic 0 10.1.0.6/30\nnic 1 10.1.0.9/30\nroute 10.1.0.0/30 via 10.1.0.5\n"
static const char *const r2_nb[] = {"0", "10.1.0.5", "1", "10.1.0.10", NULL};

static void test_lsr(void)
{
    uint8_t ip[64];
    int n;
    struct pkt_lse top;
    CHECK(start(R2 "label 100 swap 200 via 10.1.0.10\nttl time-exceeded 255\n", r2_nb) == 0, "router_engine.lsr-config");
    size_t len = make_ip(ip, "10.1.0.1", "10.1.0.14", 4, PKT_IP_ICMP);
    struct pkt_lse in = {.label = 100, .ttl = 4};
    deliver(0, &in, 1, ip, len);
    const uint8_t *out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 1 && n == 1 && top.label == 200 && top.ttl == 3 && out[8] == 4,
          "router_engine.swap");

    /* LSE TTL 1: time-exceeded with the label stack, sent on along the LSP */
    nsent = 0;
    in.ttl = 1;
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 1 && n == 1 && top.label == 200 && top.ttl == 255,
          "router_engine.lse-expiry-reply-tunnelled-on");
    CHECK(out && out[8] == 255 && out[20] == 11 && addr_is(out + 12, "10.1.0.6") && addr_is(out + 16, "10.1.0.1"),
          "router_engine.lse-expiry-reply-from-incoming-nic");
    const uint8_t *ext = out ? out + 20 + 8 + 128 : NULL;
    struct pkt_lse q;
    if (ext)
        pkt_lse_decode(pkt_get32(ext + 8), &q);
    CHECK(out && out[25] == 32 && ext[6] == 1 && ext[7] == 1 && q.label == 100 && q.ttl == 1 && q.bottom &&
          out[28 + 8] == 4, "router_engine.lse-expiry-rfc4950-stack-and-quoted-ip-ttl");

    start(R2 "label 100 swap 200 via 10.1.0.10\nmpls icmp-tunnel off\nmpls rfc4950 off\n", r2_nb);
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 0 && n == 0 && out[20] == 11 && ntohs(*(uint16_t *)(out + 2)) == 20 + 8 + 28,
          "router_engine.lse-expiry-routed-back-without-extension");

    start(R2 "label 100 pop via 10.1.0.10\n", r2_nb);
    in.ttl = 3;
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 1 && n == 0 && out[8] == 2, "router_engine.php-pop-min");
    start(R2 "label 100 pop via 10.1.0.10\nmpls ttl-propagate off\n", r2_nb);
    in.ttl = 250;
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && n == 0 && out[8] == 4, "router_engine.php-pop-keep");

    struct pkt_lse two[2] = {{.label = 100, .ttl = 9}, {.label = 555, .ttl = 30}};
    start(R2 "label 100 pop via 10.1.0.10\n", r2_nb);
    deliver(0, two, 2, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && n == 1 && top.label == 555 && top.ttl == 8, "router_engine.php-pop-exposes-inner-label");
    start(R2 "label 100 swap 200 via 10.1.0.10\n", r2_nb);
    struct pkt_lse unknown = {.label = 777, .ttl = 9};
    deliver(0, &unknown, 1, ip, len);
    CHECK(nsent == 0, "router_engine.unknown-label-dropped");
}

#define R3 "nic 0 10.1.0.10/30\nnic 1 10.1.0.13/30\nroute 10.1.0.0/29 via 10.1.0.9\nlabel 200 pop\n"
static const char *const r3_nb[] = {"0", "10.1.0.9", "1", "10.1.0.14", NULL};

static void test_egress(void)
{
    uint8_t ip[64];
    int n;
    struct pkt_lse top;
    CHECK(start(R3, r3_nb) == 0, "router_engine.egress-config");
    size_t len = make_ip(ip, "10.1.0.1", "10.1.0.14", 9, PKT_IP_ICMP);
    struct pkt_lse in = {.label = 200, .ttl = 3};
    deliver(0, &in, 1, ip, len);
    const uint8_t *out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && sent[0].nic == 1 && n == 0 && out[8] == 2, "router_engine.uhp-pop-min");

    start(R3 "mpls ttl-propagate off\n", r3_nb);
    in.ttl = 250;
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && n == 0 && out[8] == 8, "router_engine.uhp-pop-pipe-decrements-ip");

    /* opaque: pipe, the IP TTL runs out at the egress: time-exceeded with the labels as received */
    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "10.1.0.14", 1, PKT_IP_ICMP);
    in.ttl = 254;
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    struct pkt_lse q = {0};
    if (out)
        pkt_lse_decode(pkt_get32(out + 20 + 8 + 128 + 8), &q);
    CHECK(out && sent[0].nic == 0 && out[20] == 11 && addr_is(out + 12, "10.1.0.10") && q.label == 200 && q.ttl == 254,
          "router_engine.uhp-expiry-opaque-labels");

    start(R3 "mpls ttl-propagate off\nmpls uhp-decrement on\n", r3_nb);
    len = make_ip(ip, "10.1.0.1", "10.1.0.14", 2, PKT_IP_ICMP);
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && out[20] == 11 && addr_is(out + 12, "10.1.0.10"), "router_engine.uhp-decrement-expires-ttl-2");

    start(R3, r3_nb);
    struct pkt_lse null_label = {.label = 0, .ttl = 5};
    len = make_ip(ip, "10.1.0.1", "10.1.0.14", 9, PKT_IP_ICMP);
    deliver(0, &null_label, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && n == 0 && out[8] == 4, "router_engine.explicit-null-popped");

    nsent = 0;
    len = make_ip(ip, "10.1.0.1", "10.1.0.13", 9, PKT_IP_ICMP);
    in.ttl = 5;
    deliver(0, &in, 1, ip, len);
    out = nsent == 1 ? sent_ip(0, &n, &top) : NULL;
    CHECK(out && out[20] == 0 && addr_is(out + 12, "10.1.0.13"), "router_engine.labelled-ping-to-egress-answered");
}

int main(void)
{
    test_arp();
    test_ip();
    test_fast_path();
    test_push();
    test_lsr();
    test_egress();
    return CHECK_DONE();
}
