/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ARP for the router: replies, a neighbour cache and a queue of frames waiting for a MAC.
 * See arp.h.
 */
#include "arp.h"

#include <string.h>

#include "pkt.h"

#define NS_PER_S 1000000000ull
#define CACHE_LIFETIME (300 * NS_PER_S)
#define RETRY_INTERVAL NS_PER_S
#define MAX_TRIES 3
#define ARP_LEN 28
#define MIN_FRAME 60

struct entry {
    int used;
    unsigned nic;
    unf_ip4 ip;
    uint8_t mac[6];
    uint64_t expires;
};

struct pending {
    int used;
    unsigned nic;
    unf_ip4 nh;
    int tries;
    uint64_t last_ask;
    size_t len;
    uint8_t frame[ARP_FRAME_MAX];
};

struct nic_info {
    uint8_t mac[6];
    unf_ip4 addr;
};

static struct entry cache[ARP_CACHE_SIZE];
static struct pending pending[ARP_PENDING];
static struct nic_info nics[4];
static arp_tx_fn tx_fn;
static void *tx_arg;

void arp_init(arp_tx_fn tx, void *arg)
{
    memset(cache, 0, sizeof(cache));
    memset(pending, 0, sizeof(pending));
    memset(nics, 0, sizeof(nics));
    tx_fn = tx;
    tx_arg = arg;
}

void arp_set_nic(unsigned nic, const uint8_t mac[6], unf_ip4 addr)
{
    if (nic >= 4)
        return;
    memcpy(nics[nic].mac, mac, 6);
    nics[nic].addr = addr;
}

int arp_lookup(unsigned nic, unf_ip4 ip, uint8_t mac[6])
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (cache[i].used && cache[i].nic == nic && cache[i].ip == ip) {
            memcpy(mac, cache[i].mac, 6);
            return 0;
        }
    return -1;
}

/* Builds and sends an ARP packet (op 1 request, 2 reply) from nic. */
static void send_arp(unsigned nic, uint16_t op, const uint8_t dst_mac[6], unf_ip4 target,
                     const uint8_t target_mac[6])
{
    uint8_t f[MIN_FRAME];
    memset(f, 0, sizeof(f));
    memcpy(f, dst_mac, 6);
    memcpy(f + 6, nics[nic].mac, 6);
    pkt_put16(f + 12, PKT_ETH_ARP);
    uint8_t *a = f + PKT_ETH_HLEN;
    pkt_put16(a, 1);
    pkt_put16(a + 2, PKT_ETH_IP);
    a[4] = 6;
    a[5] = 4;
    pkt_put16(a + 6, op);
    memcpy(a + 8, nics[nic].mac, 6);
    memcpy(a + 14, &nics[nic].addr, 4);
    memcpy(a + 18, target_mac, 6);
    memcpy(a + 24, &target, 4);
    tx_fn(tx_arg, nic, f, sizeof(f));
}

static void ask(unsigned nic, unf_ip4 ip)
{
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t zero[6] = {0};
    send_arp(nic, 1, bcast, ip, zero);
}

/* Sends the frames waiting for ip on nic, now that its MAC is known. */
static void flush(unsigned nic, unf_ip4 ip, const uint8_t mac[6])
{
    for (int i = 0; i < ARP_PENDING; i++) {
        struct pending *p = &pending[i];
        if (!p->used || p->nic != nic || p->nh != ip)
            continue;
        memcpy(p->frame, mac, 6);
        tx_fn(tx_arg, nic, p->frame, p->len);
        p->used = 0;
    }
}

/* Adds or refreshes a cache entry; when full, the entry closest to expiry goes. */
static void learn(unsigned nic, unf_ip4 ip, const uint8_t mac[6], uint64_t now, int create)
{
    struct entry *slot = NULL;
    for (int i = 0; i < ARP_CACHE_SIZE && !slot; i++)
        if (cache[i].used && cache[i].nic == nic && cache[i].ip == ip)
            slot = &cache[i];
    if (!slot && !create)
        return;
    for (int i = 0; i < ARP_CACHE_SIZE && !slot; i++)
        if (!cache[i].used)
            slot = &cache[i];
    if (!slot) {
        slot = &cache[0];
        for (int i = 1; i < ARP_CACHE_SIZE; i++)
            if (cache[i].expires < slot->expires)
                slot = &cache[i];
    }
    slot->used = 1;
    slot->nic = nic;
    slot->ip = ip;
    memcpy(slot->mac, mac, 6);
    slot->expires = now + CACHE_LIFETIME;
    flush(nic, ip, mac);
}

void arp_input(unsigned nic, const uint8_t *a, size_t len, uint64_t now)
{
    if (nic >= 4 || len < ARP_LEN || pkt_get16(a) != 1 || pkt_get16(a + 2) != PKT_ETH_IP ||
        a[4] != 6 || a[5] != 4)
        return;
    uint16_t op = pkt_get16(a + 6);
    unf_ip4 sender, target;
    memcpy(&sender, a + 14, 4);
    memcpy(&target, a + 24, 4);
    if (sender == 0 || (a[8] & 1))
        return; /* probes and multicast senders teach nothing */
    int for_us = nics[nic].addr != 0 && target == nics[nic].addr;
    learn(nic, sender, a + 8, now, for_us);
    if (op == 1 && for_us)
        send_arp(nic, 2, a + 8, sender, a + 8);
}

int arp_output(unsigned nic, unf_ip4 nh, uint8_t *frame, size_t len, uint64_t now)
{
    uint8_t mac[6];
    if (nic >= 4 || len > ARP_FRAME_MAX)
        return -1;
    if (arp_lookup(nic, nh, mac) == 0) {
        memcpy(frame, mac, 6);
        return tx_fn(tx_arg, nic, frame, len);
    }
    struct pending *slot = NULL;
    int asked = 0;
    for (int i = 0; i < ARP_PENDING; i++) {
        if (!pending[i].used && !slot)
            slot = &pending[i];
        if (pending[i].used && pending[i].nic == nic && pending[i].nh == nh)
            asked = 1;
    }
    if (!slot)
        return -1; /* queue full: drop, as a router under ARP storms would */
    slot->used = 1;
    slot->nic = nic;
    slot->nh = nh;
    slot->tries = 1;
    slot->last_ask = now;
    slot->len = len;
    memcpy(slot->frame, frame, len);
    if (!asked)
        ask(nic, nh);
    return 0;
}

void arp_tick(uint64_t now)
{
    for (int i = 0; i < ARP_CACHE_SIZE; i++)
        if (cache[i].used && cache[i].expires <= now)
            cache[i].used = 0;
    for (int i = 0; i < ARP_PENDING; i++) {
        struct pending *p = &pending[i];
        if (!p->used || now - p->last_ask < RETRY_INTERVAL)
            continue;
        if (p->tries >= MAX_TRIES) {
            p->used = 0;
            continue;
        }
        p->tries++;
        p->last_ask = now;
        /* one request per next hop, however many frames wait for it */
        int first = 1;
        for (int k = 0; k < i; k++)
            if (pending[k].used && pending[k].nic == p->nic && pending[k].nh == p->nh)
                first = 0;
        if (first)
            ask(p->nic, p->nh);
    }
}
