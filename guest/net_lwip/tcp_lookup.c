/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hashed TCP demultiplexer behind lwIP's tcp_input() (see tcp_lookup.h). Chained buckets
 * keyed by the remote address and both ports; each node hangs off its PCB as lwIP ext-arg data,
 * so lwIP's destroy callback (run by tcp_free, the one place a connection PCB is freed) unlinks
 * it. Lookups read the PCB's own fields and state, so an entry can never answer for a PCB that
 * lwIP moved off the active list or for a 4-tuple the PCB no longer has.
 */
#include "tcp_lookup.h"

#include <stdlib.h>

#include "lwip/netif.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"

/* A power of two near MEMP_NUM_TCP_PCB: chains stay about one long at the connection limit. */
#define BUCKETS 1024u

struct node {
    struct node *next;
    struct tcp_pcb *pcb;
    unsigned bucket;
};

static struct node *table[BUCKETS];
static u8_t ext_id = LWIP_TCP_PCB_NUM_EXT_ARG_ID_INVALID;
static unsigned long hits, scans;

static unsigned bucket_of(u16_t remote_port, u16_t local_port, const ip_addr_t *remote)
{
    u32_t key = ip4_addr_get_u32(ip_2_ip4(remote)) ^ ((u32_t)remote_port << 16 | local_port);
    return (unsigned)((key * 0x9e3779b1u) >> 22) & (BUCKETS - 1u); /* Fibonacci hashing, top bits */
}

static void unlink_node(struct node *n)
{
    for (struct node **p = &table[n->bucket]; *p; p = &(*p)->next) {
        if (*p == n) {
            *p = n->next;
            return;
        }
    }
}

/* lwIP is about to free the PCB this node belongs to. */
static void on_destroy(u8_t id, void *data)
{
    (void)id;
    struct node *n = data;
    if (!n)
        return;
    unlink_node(n);
    free(n);
}

static const struct tcp_ext_arg_callbacks callbacks = {on_destroy, NULL};

void tcp_lookup_init(void)
{
    ext_id = tcp_ext_arg_alloc_id();
}

static int on_active_list(const struct tcp_pcb *pcb)
{
    /* tcp_pcb_remove sets CLOSED; TIME-WAIT PCBs live on their own list; a PCB taken off the
     * active list otherwise is freed before lwIP reads another segment. */
    return pcb->state != CLOSED && pcb->state != LISTEN && pcb->state != TIME_WAIT;
}

struct tcp_pcb *tcp_lookup_find(u16_t remote_port, u16_t local_port, const ip_addr_t *remote,
                                const ip_addr_t *local, const struct netif *inp)
{
    for (struct node *n = table[bucket_of(remote_port, local_port, remote)]; n; n = n->next) {
        struct tcp_pcb *pcb = n->pcb;
        if (pcb->remote_port != remote_port || pcb->local_port != local_port ||
            !ip_addr_cmp(&pcb->remote_ip, remote) || !ip_addr_cmp(&pcb->local_ip, local))
            continue;
        /* The same checks as lwIP's scan, or the scan decides (e.g. a reused 4-tuple). */
        if (!on_active_list(pcb) || (pcb->netif_idx != NETIF_NO_INDEX && pcb->netif_idx != netif_get_index(inp)))
            break;
        hits++;
        return pcb;
    }
    scans++;
    return NULL;
}

void tcp_lookup_note(struct tcp_pcb *pcb)
{
    if (ext_id == LWIP_TCP_PCB_NUM_EXT_ARG_ID_INVALID)
        return;
    unsigned b = bucket_of(pcb->remote_port, pcb->local_port, &pcb->remote_ip);
    struct node *n = tcp_ext_arg_get(pcb, ext_id);
    if (n) {
        if (n->bucket == b)
            return;
        unlink_node(n); /* the PCB's 4-tuple changed since: file it again */
    } else {
        n = malloc(sizeof(*n));
        if (!n)
            return; /* no memory: lwIP keeps scanning for this connection, nothing breaks */
        n->pcb = pcb;
        tcp_ext_arg_set(pcb, ext_id, n);
        tcp_ext_arg_set_callbacks(pcb, ext_id, &callbacks);
    }
    n->bucket = b;
    n->next = table[b];
    table[b] = n;
}

void tcp_lookup_counts(unsigned long *hit_count, unsigned long *scan_count)
{
    *hit_count = hits;
    *scan_count = scans;
}
