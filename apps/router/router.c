/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The router's forwarding engine. See router.h; the TTL rules of the MPLS emulation are:
 *   push (ingress LER):   LSE TTL = IP TTL after its decrement (ttl-propagate on) or 255
 *   swap (LSR):           LSE TTL - 1; an LSE TTL <= 1 on arrival expires here
 *   pop via (PHP LSR):    IP TTL = min(IP TTL, LSE TTL - 1) (pop-ttl min) or unchanged
 *   pop (egress, UHP):    IP TTL = min(IP TTL - 1, LSE TTL - 1) (pop-ttl min) or IP TTL - 1
 *                         (minus one more with uhp-decrement); 0 expires here, quoting the
 *                         label stack as received
 * Label 0 (IPv4 explicit null) on top is popped like a configured egress label.
 */
#include "router.h"

#include <string.h>
#include <unf/log.h>

#include "arp.h"
#include "pkt.h"
#include "route.h"

#define WORK_MAX 1600
#define ICMP_MAX (20 + 8 + PKT_ICMP_EXT_QUOTE + 8 + 4 * PKT_MAX_LABELS)

static const struct config *cfg;
static struct route_table table;
static uint64_t now;
static uint16_t ip_id;
static uint8_t work[WORK_MAX];   /* the packet being handled, modifiable */
static uint8_t frame[ARP_FRAME_MAX];

static const uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

void router_init(const struct config *config, router_tx_fn tx, void *arg)
{
    cfg = config;
    route_build(&table, cfg);
    arp_init(tx, arg);
    for (unsigned i = 0; i < CONFIG_NICS; i++)
        if (cfg->nics[i].present)
            arp_set_nic(i, cfg->nics[i].mac, cfg->nics[i].addr);
    ip_id = 1;
}

void router_tick(uint64_t now_ns)
{
    now = now_ns;
    arp_tick(now_ns);
}

static int is_local(unf_ip4 addr)
{
    for (unsigned i = 0; i < CONFIG_NICS; i++)
        if (cfg->nics[i].present && cfg->nics[i].addr == addr)
            return 1;
    return 0;
}

static unf_ip4 ip_dst(const uint8_t *ip)
{
    unf_ip4 a;
    memcpy(&a, ip + 16, 4);
    return a;
}

/* Writes frame's Ethernet header (source: nic's MAC; the destination is ARP's) and n labels. */
static void frame_header(unsigned nic, const struct pkt_lse *labels, int n)
{
    memcpy(frame + 6, cfg->nics[nic].mac, 6);
    pkt_put16(frame + 12, n > 0 ? PKT_ETH_MPLS : PKT_ETH_IP);
    for (int i = 0; i < n; i++) {
        struct pkt_lse e = labels[i];
        e.bottom = i == n - 1;
        pkt_put32(frame + PKT_ETH_HLEN + 4 * i, pkt_lse_encode(&e));
    }
}

/* Frames an IPv4 packet, under n labels when n > 0, to next hop nh on nic. */
static void send_packet(unsigned nic, unf_ip4 nh, const struct pkt_lse *labels, int n,
                        const uint8_t *ip, size_t len)
{
    size_t head = PKT_ETH_HLEN + 4 * (size_t)n;
    if (head + len > sizeof(frame))
        return;
    frame_header(nic, labels, n);
    memcpy(frame + head, ip, len);
    arp_output(nic, nh, frame, head + len, now);
}

/* The common case of a transit IPv4 packet (TTL > 1, route r): copied once, straight from the
 * received frame into the outgoing one, its TTL decremented there, r's label pushed if it has
 * one; the same result as copying into work, decrementing, and send_routed. */
static void forward_fast(const struct route *r, const uint8_t *ip, size_t len)
{
    uint8_t ttl = (uint8_t)(ip[8] - 1);
    struct pkt_lse lse = {.label = r->label, .bottom = 1, .ttl = cfg->ttl_propagate ? ttl : 255};
    int n = r->push ? 1 : 0;
    size_t head = PKT_ETH_HLEN + 4 * (size_t)n;
    if (head + len > sizeof(frame))
        return;
    memcpy(frame + head, ip, len);
    pkt_ip_set_ttl(frame + head, ttl);
    frame_header(r->nic, &lse, n);
    arp_output(r->nic, route_next_hop(r, ip_dst(ip)), frame, head + len, now);
}

/* Sends an IPv4 packet (TTL already final) along route r, pushing its label if it has one. */
static void send_routed(const struct route *r, const uint8_t *ip, size_t len)
{
    struct pkt_lse lse = {.label = r->label, .bottom = 1};
    lse.ttl = cfg->ttl_propagate ? ip[8] : 255;
    send_packet(r->nic, route_next_hop(r, ip_dst(ip)), &lse, r->push ? 1 : 0, ip, len);
}

/* Routes a packet this router made; no route: dropped quietly. */
static void originate(const uint8_t *ip, size_t len)
{
    const struct route *r = route_lookup(&table, ip_dst(ip));
    if (r)
        send_routed(r, ip, len);
}

/* Builds an ICMP error about orig into out; its length, 0 when none may be sent. */
static size_t make_error(uint8_t *out, uint8_t type, uint8_t code, unf_ip4 src, const uint8_t *orig,
                         size_t len, const struct pkt_lse *labels, int nlabels)
{
    if (!pkt_may_send_error(orig, len))
        return 0;
    struct pkt_icmp_error e = {.type = type, .code = code, .src = src, .id = ip_id++};
    e.ttl = type == 11 ? cfg->ttl_time_exceeded : cfg->ttl_unreachable;
    if (type == 11) {
        e.quote_ttl_one = cfg->quoted_ttl == CONFIG_QTTL_ONE;
        if (cfg->rfc4950) {
            e.labels = labels;
            e.nlabels = nlabels;
        }
    }
    return pkt_icmp_error_build(out, ICMP_MAX, &e, orig, len);
}

static void send_error(uint8_t type, uint8_t code, unf_ip4 src, const uint8_t *orig, size_t len,
                       const struct pkt_lse *labels, int nlabels)
{
    uint8_t out[ICMP_MAX];
    size_t n = make_error(out, type, code, src, orig, len, labels, nlabels);
    if (n)
        originate(out, n);
}

static void echo_reply(const uint8_t *ip, size_t hlen, size_t total)
{
    if (total < hlen + 8)
        return;
    uint8_t *icmp = work + hlen;
    icmp[0] = 0;
    pkt_put16(icmp + 2, 0);
    pkt_put16(icmp + 2, pkt_checksum(icmp, total - hlen));
    unf_ip4 src, dst;
    memcpy(&src, ip + 12, 4);
    memcpy(&dst, ip + 16, 4);
    /* The reply drops any IP options: a plain 20-byte header. */
    memmove(work + 20, icmp, total - hlen);
    pkt_ip_header(work, 20 + total - hlen, ip_id++, cfg->ttl_echo_reply, PKT_IP_ICMP, dst, src);
    originate(work, 20 + total - hlen);
}

/* A packet for one of our addresses (work holds it). */
static void local_input(size_t hlen, size_t total)
{
    uint8_t proto = work[9];
    if ((pkt_get16(work + 6) & 0x3fff) != 0)
        return; /* fragments of packets to us: nothing of ours needs them */
    if (proto == PKT_IP_ICMP) {
        if (total >= hlen + 8 && work[hlen] == 8 && pkt_checksum(work + hlen, total - hlen) == 0)
            echo_reply(work, hlen, total);
        return;
    }
    if (proto == 6)
        return; /* TCP: no listener, and silence is what a filtering router shows */
    send_error(3, proto == PKT_IP_UDP ? 3 : 2, ip_dst(work), work, total, NULL, 0);
}

/* Forwards work (TTL already final) by longest-prefix match; no route: net unreachable. */
static void forward(unsigned in_nic, size_t total)
{
    const struct route *r = route_lookup(&table, ip_dst(work));
    if (!r) {
        send_error(3, 0, cfg->nics[in_nic].addr, work, total, NULL, 0);
        return;
    }
    send_routed(r, work, total);
}

static void ip_input(unsigned nic, const uint8_t *ip, size_t len)
{
    size_t hlen, total;
    if (pkt_ip_check(ip, len, &hlen, &total) < 0 || total > sizeof(work))
        return;
    unf_ip4 dst = ip_dst(ip);
    int local = is_local(dst);
    if ((ip[16] & 0xf0) >= 0xe0 && !local)
        return; /* multicast and broadcast are not routed */
    const struct route *r = local || ip[8] <= 1 ? NULL : route_lookup(&table, dst);
    if (r) {
        forward_fast(r, ip, total);
        return;
    }
    memcpy(work, ip, total); /* answers and errors are built from (and may change) a copy */
    if (local)
        local_input(hlen, total);
    else
        send_error(work[8] <= 1 ? 11 : 3, 0, cfg->nics[nic].addr, work, total, NULL, 0);
}

/* An LSE TTL expired at this LSR: time-exceeded quoting the IP packet and the received label
 * stack, sent on along the LSP (icmp-tunnel) or routed back directly. cur: the stack as it
 * stood at the expiring entry. */
static void lse_expired(unsigned nic, const struct pkt_lse *rx, int nrx, struct pkt_lse *cur,
                        int ncur, size_t total)
{
    uint8_t out[ICMP_MAX];
    size_t n = make_error(out, 11, 0, cfg->nics[nic].addr, work, total, rx, nrx);
    if (!n)
        return;
    const struct config_label *l = route_label(cfg, cur[0].label);
    if (!cfg->icmp_tunnel || !l || (l->op == CONFIG_POP && !l->has_via)) {
        originate(out, n);
        return;
    }
    uint8_t lse_ttl = cfg->ttl_propagate ? out[8] : 255;
    for (int i = 0; i < ncur; i++)
        cur[i].ttl = lse_ttl;
    if (l->op == CONFIG_SWAP) {
        cur[0].label = l->out;
        send_packet(l->nic, l->via, cur, ncur, out, n);
    } else {
        send_packet(l->nic, l->via, cur + 1, ncur - 1, out, n);
    }
}

/* The bottom label was popped here (UHP egress); lse_ttl: its TTL after our decrement. */
static void egress_pop(unsigned nic, const struct pkt_lse *rx, int nrx, uint8_t lse_ttl, size_t hlen,
                       size_t total)
{
    if (is_local(ip_dst(work))) {
        local_input(hlen, total);
        return;
    }
    int ttl = work[8] - 1;
    if (cfg->pop_min) {
        ttl = ttl < lse_ttl ? ttl : lse_ttl;
    } else if (cfg->uhp_decrement && ttl > 0) {
        /* The pop takes one hop, the IP lookup the next: a packet that expires at the lookup
         * quotes the TTL the pop left (1), not the received one (2, which TNT reads as an
         * implicit tunnel's qTTL). */
        pkt_ip_set_ttl(work, (uint8_t)ttl);
        ttl--;
    }
    if (ttl <= 0) {
        send_error(11, 0, cfg->nics[nic].addr, work, total, rx, nrx);
        return;
    }
    pkt_ip_set_ttl(work, (uint8_t)ttl);
    forward(nic, total);
}

static void mpls_input(unsigned nic, const uint8_t *p, size_t len)
{
    struct pkt_lse rx[PKT_MAX_LABELS], cur[PKT_MAX_LABELS];
    int n = pkt_lse_parse(p, len, rx, PKT_MAX_LABELS);
    size_t hlen, total;
    if (n < 0 || pkt_ip_check(p + 4 * n, len - 4 * (size_t)n, &hlen, &total) < 0 || total > sizeof(work))
        return; /* only IPv4 under the labels */
    memcpy(work, p + 4 * n, total);
    memcpy(cur, rx, sizeof(rx[0]) * (size_t)n);
    for (int top = 0; top < n; top++) {
        struct pkt_lse *e = &cur[top];
        if (e->ttl <= 1) {
            lse_expired(nic, rx, n, e, n - top, total);
            return;
        }
        uint8_t ttl = (uint8_t)(e->ttl - 1);
        const struct config_label *l = e->label == 0 ? NULL : route_label(cfg, e->label);
        if (e->label != 0 && !l)
            return; /* unknown label: an LSR drops it */
        if (l && l->op == CONFIG_SWAP) {
            e->label = l->out;
            e->ttl = ttl;
            send_packet(l->nic, l->via, e, n - top, work, total);
            return;
        }
        int last = top == n - 1;
        uint8_t inner = last ? work[8] : cur[top + 1].ttl;
        uint8_t popped = cfg->pop_min && ttl < inner ? ttl : inner;
        if (l && l->has_via) { /* penultimate hop pop */
            if (last)
                pkt_ip_set_ttl(work, popped);
            else
                cur[top + 1].ttl = popped;
            send_packet(l->nic, l->via, cur + top + 1, n - top - 1, work, total);
            return;
        }
        if (last) {
            egress_pop(nic, rx, n, ttl, hlen, total);
            return;
        }
        cur[top + 1].ttl = popped; /* egress of an outer LSP: look at the next label */
    }
}

void router_input(unsigned nic, const uint8_t *f, size_t len, uint64_t now_ns)
{
    now = now_ns;
    if (nic >= CONFIG_NICS || !cfg->nics[nic].present || len < PKT_ETH_HLEN)
        return;
    if (memcmp(f, cfg->nics[nic].mac, 6) != 0 && memcmp(f, broadcast, 6) != 0)
        return; /* a bridge floods unknown unicast: not ours to route */
    const uint8_t *payload = f + PKT_ETH_HLEN;
    size_t plen = len - PKT_ETH_HLEN;
    switch (pkt_get16(f + 12)) {
    case PKT_ETH_ARP:
        arp_input(nic, payload, plen, now);
        break;
    case PKT_ETH_IP:
        if (f[0] != 0xff)
            ip_input(nic, payload, plen);
        break;
    case PKT_ETH_MPLS:
        if (f[0] != 0xff)
            mpls_input(nic, payload, plen);
        break;
    default:
        break;
    }
}
