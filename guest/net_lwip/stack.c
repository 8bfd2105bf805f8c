/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The lwIP backend's core: brings up lwIP over the platform's NICs, moves frames between
 * plat_net_* and lwIP, runs lwIP's timers, and provides the backend hooks (clock, console,
 * archive, wait) for the shared guest code. Frames are copied once in each direction.
 */
#include "stack.h"

#include <stdio.h>
#include <string.h>

#include "../backend.h"
#include "arp_retry.h"
#include "tcp_lookup.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"

/* Frames handled per NIC per wake-up before timers get their turn again. */
#define RX_BATCH 64

struct nic {
    struct netif netif;
    struct plat_net_info info;
    int present;
    stack_frame_fn hook;
    void *hook_arg;
};

static struct nic nics[PLAT_NET_MAX];
/* Big enough for any pbuf chain (tot_len is 16 bits) and any frame a NIC delivers. */
static uint8_t frame_buf[65536 + 14];
static const void *archive_base;
static size_t archive_size;

uint64_t backend_now_ns(void) { return plat_clock_monotonic(); }
uint64_t backend_wall_ns(void) { return plat_clock_wall(); }
void backend_console_write(const char *buf, size_t len) { plat_console_write(buf, len); }

void backend_archive(const void **base, size_t *size)
{
    *base = archive_base;
    *size = archive_size;
}

void stack_set_archive(const void *base, size_t size)
{
    archive_base = base;
    archive_size = size;
}

u32_t sys_now(void) { return (u32_t)(plat_clock_monotonic() / 1000000u); }

static err_t nic_linkoutput(struct netif *netif, struct pbuf *p)
{
    struct nic *n = netif->state;
    unsigned index = (unsigned)(n - nics);
    const uint8_t *frame = p->payload;
    if (p->next) { /* chained: flatten (rare, LWIP_NETIF_TX_SINGLE_PBUF keeps TCP single) */
        pbuf_copy_partial(p, frame_buf, p->tot_len, 0);
        frame = frame_buf;
    }
    arp_retry_note_output(index, frame, p->tot_len);
    return plat_net_write(index, frame, p->tot_len) == PLAT_OK ? ERR_OK : ERR_IF;
}

static int resend_frame(unsigned nic, const uint8_t *frame, size_t len)
{
    return plat_net_write(nic, frame, len) == PLAT_OK ? 0 : -1;
}

static err_t nic_init(struct netif *netif)
{
    struct nic *n = netif->state;
    netif->name[0] = 'e';
    netif->name[1] = (char)('0' + (n - nics));
    netif->output = etharp_output;
    netif->output_ip6 = ethip6_output;
    netif->linkoutput = nic_linkoutput;
    netif->mtu = (u16_t)n->info.mtu;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, n->info.mac, ETH_HWADDR_LEN);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

/* The link-local address (from the MAC) for neighbour discovery, and the configured one; both
 * usable at once since duplicate address detection is off (lwipopts.h). */
static int nic_add_ip6(struct netif *netif, const struct stack_nic_config *c)
{
    netif_create_ip6_linklocal_address(netif, 1);
    netif_ip6_addr_set_state(netif, 0, IP6_ADDR_PREFERRED);
    ip6_addr_t a;
    memcpy(&a.addr, c->ip6, 16);
    ip6_addr_clear_zone(&a);
    s8_t index;
    if (netif_add_ip6_address(netif, &a, &index) != ERR_OK)
        return -1;
    netif_ip6_addr_set_state(netif, index, IP6_ADDR_PREFERRED);
    return 0;
}

int stack_init(const struct stack_nic_config *configs, unsigned count)
{
    lwip_init();
    tcp_lookup_init();
    for (unsigned i = 0; i < PLAT_NET_MAX; i++) {
        struct nic *n = &nics[i];
        if (plat_net_acquire(i, &n->info) != PLAT_OK)
            break;
        if (n->info.mtu == 0 || n->info.mtu > 65535 - 14)
            n->info.mtu = 1500;
        ip4_addr_t addr = {0}, mask = {0}, gw = {0};
        if (i < count) {
            addr.addr = configs[i].addr;
            mask.addr = configs[i].netmask;
            gw.addr = configs[i].gateway;
        }
        if (!netif_add(&n->netif, &addr, &mask, &gw, n, nic_init, ethernet_input))
            return -1;
        n->present = 1;
        if (i == 0)
            netif_set_default(&n->netif);
        netif_set_up(&n->netif);
        if (addr.addr)
            etharp_gratuitous(&n->netif); /* neighbours learn our MAC before we talk */
        if (i < count && configs[i].has_ip6 && nic_add_ip6(&n->netif, &configs[i]) < 0)
            return -1;
    }
    return 0;
}

struct netif *stack_netif(unsigned nic)
{
    return nic < PLAT_NET_MAX && nics[nic].present ? &nics[nic].netif : NULL;
}

int stack_set_frame_hook(unsigned nic, stack_frame_fn fn, void *arg)
{
    if (!stack_netif(nic))
        return -1;
    nics[nic].hook = fn;
    nics[nic].hook_arg = arg;
    return 0;
}

int stack_send_frame(unsigned nic, const void *frame, size_t len)
{
    if (!stack_netif(nic) || len > nics[nic].info.mtu + 14)
        return -1;
    return plat_net_write(nic, frame, len) == PLAT_OK ? 0 : -1;
}

static void nic_receive(unsigned index)
{
    struct nic *n = &nics[index];
    for (int i = 0; i < RX_BATCH; i++) {
        size_t len;
        if (plat_net_read(index, frame_buf, sizeof(frame_buf), &len) != PLAT_OK)
            return;
        arp_retry_note_input(index, frame_buf, len);
        if (n->hook) {
            n->hook(n->hook_arg, frame_buf, len);
            continue;
        }
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
        if (!p)
            return; /* out of memory: drop, as a NIC would */
        memcpy(p->payload, frame_buf, len);
        if (n->netif.input(p, &n->netif) != ERR_OK)
            pbuf_free(p);
    }
}

void backend_wait(uint64_t deadline_ns)
{
    uint64_t ready = 0;
    sys_check_timeouts();
    uint64_t now = plat_clock_monotonic();
    u32_t lwip_ms = sys_timeouts_sleeptime();
    if (lwip_ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE) {
        uint64_t lwip_deadline = now + (uint64_t)lwip_ms * 1000000u;
        if (lwip_deadline < deadline_ns)
            deadline_ns = lwip_deadline;
    }
    arp_retry_poll(now, resend_frame);
    uint64_t arp_deadline = arp_retry_deadline();
    if (arp_deadline < deadline_ns)
        deadline_ns = arp_deadline;
    fflush(stdout);
    plat_yield(deadline_ns, &ready);
    for (unsigned i = 0; i < PLAT_NET_MAX; i++)
        if (nics[i].present && (ready & (1ULL << i)))
            nic_receive(i);
    sys_check_timeouts();
}
