/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The app network API (include/unf/net.h) over lwIP's raw API. Callbacks run from lwIP's input
 * path inside the event loop. An app may close a socket from inside its own callback, so
 * connections are freed only once no callback of theirs is on the stack. IPv4-only sockets are
 * lwIP PCBs of type V4; the *_dual ones are of type ANY and take both families.
 */
#include <stdlib.h>
#include <string.h>
#include <unf/net.h>

#include "lwip/inet_chksum.h"
#include "lwip/ip4.h"
#include "lwip/ip6_addr.h"
#include "lwip/netif.h"
#include "lwip/prot/ip4.h"
#include "lwip/raw.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "stack.h"

int unf_net_addr(unsigned nic, unf_ip4 *addr, unf_ip4 *netmask, unf_ip4 *gateway)
{
    struct netif *n = stack_netif(nic);
    if (!n || ip4_addr_isany_val(*netif_ip4_addr(n)))
        return -1;
    if (addr) *addr = ip4_addr_get_u32(netif_ip4_addr(n));
    if (netmask) *netmask = ip4_addr_get_u32(netif_ip4_netmask(n));
    if (gateway) *gateway = ip4_addr_get_u32(netif_ip4_gw(n));
    return 0;
}

int unf_net_addr6(unsigned nic, unf_addr *addr, unsigned *prefix_len)
{
    struct netif *n = stack_netif(nic);
    for (int i = 0; n && i < LWIP_IPV6_NUM_ADDRESSES; i++) {
        const ip6_addr_t *a = netif_ip6_addr(n, i);
        if (!ip6_addr_isvalid(netif_ip6_addr_state(n, i)) || ip6_addr_islinklocal(a))
            continue;
        if (addr) {
            memset(addr, 0, sizeof(*addr));
            addr->family = UNF_AF_IP6;
            memcpy(addr->bytes, a->addr, 16);
        }
        if (prefix_len)
            *prefix_len = 64; /* the only length unf.ip6_N= accepts */
        return 0;
    }
    return -1;
}

static void to_unf_addr(const ip_addr_t *in, unf_addr *out)
{
    memset(out, 0, sizeof(*out));
    if (IP_IS_V6(in)) {
        out->family = UNF_AF_IP6;
        memcpy(out->bytes, ip_2_ip6(in)->addr, 16);
        out->zone = ip6_addr_zone(ip_2_ip6(in));
    } else {
        out->family = UNF_AF_IP4;
        u32_t v4 = ip4_addr_get_u32(ip_2_ip4(in));
        memcpy(out->bytes, &v4, 4);
    }
}

/* -1 for a family lwIP cannot send to. A link-local destination without a zone gets the default
 * NIC's: the address alone does not say which link it is on. */
static int from_unf_addr(const unf_addr *in, ip_addr_t *out)
{
    if (in->family == UNF_AF_IP4) {
        u32_t v4;
        memcpy(&v4, in->bytes, 4);
        ip_addr_t a = IPADDR4_INIT(v4);
        *out = a;
        return 0;
    }
    if (in->family != UNF_AF_IP6)
        return -1;
    memset(out, 0, sizeof(*out));
    memcpy(ip_2_ip6(out)->addr, in->bytes, 16);
    IP_SET_TYPE_VAL(*out, IPADDR_TYPE_V6);
    ip6_addr_clear_zone(ip_2_ip6(out));
    if (in->zone)
        ip6_addr_set_zone(ip_2_ip6(out), (u8_t)in->zone);
    else if (netif_default)
        ip6_addr_assign_zone(ip_2_ip6(out), IP6_UNICAST, netif_default);
    return 0;
}

/* Delivers a pbuf chain as one contiguous buffer (copied only when chained). */
static const void *flatten(struct pbuf *p, void **copy)
{
    *copy = NULL;
    if (!p->next)
        return p->payload;
    *copy = malloc(p->tot_len);
    if (*copy)
        pbuf_copy_partial(p, *copy, p->tot_len, 0);
    return *copy;
}

/* --- UDP --- */
struct unf_udp {
    struct udp_pcb *pcb;
    unf_udp_recv_fn recv;           /* IPv4-only socket */
    unf_udp_recv_addr_fn recv_addr; /* dual socket */
    void *arg;
};

static void on_udp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
    (void)pcb;
    unf_udp *s = arg;
    void *copy;
    const void *data = flatten(p, &copy);
    if (data && s->recv_addr) {
        unf_addr src;
        to_unf_addr(addr, &src);
        s->recv_addr(s->arg, s, data, p->tot_len, &src, port);
    } else if (data) {
        s->recv(s->arg, s, data, p->tot_len, ip4_addr_get_u32(ip_2_ip4(addr)), port);
    }
    free(copy);
    pbuf_free(p);
}

static unf_udp *udp_open_type(u8_t type, uint16_t port, unf_udp_recv_fn recv, unf_udp_recv_addr_fn recv_addr,
                              void *arg)
{
    unf_udp *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->pcb = udp_new_ip_type(type);
    if (!s->pcb || udp_bind(s->pcb, type == IPADDR_TYPE_ANY ? IP_ANY_TYPE : IP4_ADDR_ANY, port) != ERR_OK) {
        if (s->pcb)
            udp_remove(s->pcb);
        free(s);
        return NULL;
    }
    s->recv = recv;
    s->recv_addr = recv_addr;
    s->arg = arg;
    udp_recv(s->pcb, on_udp_recv, s);
    return s;
}

unf_udp *unf_udp_open(uint16_t port, unf_udp_recv_fn recv, void *arg)
{
    return udp_open_type(IPADDR_TYPE_V4, port, recv, NULL, arg);
}

unf_udp *unf_udp_open_dual(uint16_t port, unf_udp_recv_addr_fn recv, void *arg)
{
    return udp_open_type(IPADDR_TYPE_ANY, port, NULL, recv, arg);
}

static int udp_send_ip(unf_udp *s, const ip_addr_t *to, uint16_t dst_port, const void *data, size_t len)
{
    /* The UDP and IP headers must fit in the pbuf's 16-bit length too. */
    if (len > (size_t)(IP_IS_V6(to) ? 0xffff - 48 : 0xffff - 28))
        return -1;
    struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (!p)
        return -1;
    memcpy(p->payload, data, len);
    err_t err = udp_sendto(s->pcb, p, to, dst_port);
    pbuf_free(p);
    return err == ERR_OK ? 0 : -1;
}

int unf_udp_sendto(unf_udp *s, unf_ip4 dst, uint16_t dst_port, const void *data, size_t len)
{
    ip_addr_t to = IPADDR4_INIT(dst);
    return udp_send_ip(s, &to, dst_port, data, len);
}

int unf_udp_send_addr(unf_udp *s, const unf_addr *dst, uint16_t dst_port, const void *data, size_t len)
{
    ip_addr_t to;
    if (from_unf_addr(dst, &to) < 0)
        return -1;
    return udp_send_ip(s, &to, dst_port, data, len);
}

void unf_udp_close(unf_udp *s)
{
    if (!s)
        return;
    udp_remove(s->pcb);
    free(s);
}

/* --- TCP --- */
struct unf_tcp {
    struct tcp_pcb *pcb;      /* NULL once lwIP freed it (error) or we let it go (close) */
    int listener;
    unf_tcp_accept_fn accept;
    unf_tcp_recv_fn recv;
    unf_tcp_sent_fn sent;
    unf_tcp_error_fn error;
    void *arg;
    int in_callback;          /* depth of app callbacks running for this connection */
    int closed;               /* the app called unf_tcp_close */
    int aborted;              /* we aborted the pcb inside an lwIP callback */
};

static void tcp_release_if_done(unf_tcp *c)
{
    if (c->in_callback == 0 && c->closed)
        free(c);
}

static void detach(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_sent(pcb, NULL);
    tcp_err(pcb, NULL);
}

void unf_tcp_close(unf_tcp *c)
{
    if (!c || c->closed)
        return;
    c->closed = 1;
    if (c->pcb) {
        struct tcp_pcb *pcb = c->pcb;
        c->pcb = NULL;
        if (c->listener) {
            tcp_arg(pcb, NULL);
            tcp_accept(pcb, NULL);
            tcp_close(pcb);
        } else {
            detach(pcb);
            if (tcp_close(pcb) != ERR_OK) {
                tcp_abort(pcb); /* no memory to send FIN: reset instead */
                c->aborted = 1;
            }
        }
    }
    tcp_release_if_done(c);
}

static err_t on_tcp_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    unf_tcp *c = arg;
    (void)err;
    if (!c) { /* closed by the app already: swallow */
        if (p) {
            tcp_recved(pcb, p->tot_len);
            pbuf_free(p);
        }
        return ERR_OK;
    }
    c->in_callback++;
    if (!p) {
        if (c->recv)
            c->recv(c->arg, c, NULL, 0);
    } else {
        /* Acknowledge first: the app consumes the data synchronously, and lwIP answers a close
         * with unacknowledged received data by a reset (RFC 1122), which would cut off the
         * response an app writes and then closes from inside this callback. */
        tcp_recved(pcb, p->tot_len);
        for (struct pbuf *q = p; q && !c->closed; q = q->next)
            if (c->recv)
                c->recv(c->arg, c, q->payload, q->len);
        pbuf_free(p);
    }
    c->in_callback--;
    int aborted = c->aborted;
    tcp_release_if_done(c);
    return aborted ? ERR_ABRT : ERR_OK;
}

static err_t on_tcp_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    unf_tcp *c = arg;
    (void)pcb;
    (void)len;
    if (!c || !c->sent)
        return ERR_OK;
    c->in_callback++;
    c->sent(c->arg, c);
    c->in_callback--;
    int aborted = c->aborted;
    tcp_release_if_done(c);
    return aborted ? ERR_ABRT : ERR_OK;
}

static void on_tcp_error(void *arg, err_t err)
{
    unf_tcp *c = arg;
    (void)err;
    if (!c)
        return;
    c->pcb = NULL; /* lwIP has freed it */
    c->in_callback++;
    if (c->error)
        c->error(c->arg, c);
    c->in_callback--;
    c->closed = 1;
    tcp_release_if_done(c);
}

static err_t on_tcp_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    unf_tcp *l = arg;
    if (err != ERR_OK || !pcb || !l)
        return ERR_VAL;
    unf_tcp *c = calloc(1, sizeof(*c));
    if (!c)
        return ERR_MEM; /* lwIP aborts the connection */
    c->pcb = pcb;
    tcp_arg(pcb, c);
    tcp_recv(pcb, on_tcp_recv);
    tcp_sent(pcb, on_tcp_sent);
    tcp_err(pcb, on_tcp_error);
    tcp_nagle_disable(pcb);
    c->in_callback++;
    l->accept(l->arg, c);
    c->in_callback--;
    int aborted = c->aborted;
    tcp_release_if_done(c);
    return aborted ? ERR_ABRT : ERR_OK;
}

static unf_tcp *tcp_listen_type(u8_t type, uint16_t port, unf_tcp_accept_fn accept, void *arg)
{
    unf_tcp *l = calloc(1, sizeof(*l));
    if (!l)
        return NULL;
    struct tcp_pcb *pcb = tcp_new_ip_type(type);
    if (!pcb)
        goto fail;
    if (tcp_bind(pcb, type == IPADDR_TYPE_ANY ? IP_ANY_TYPE : IP4_ADDR_ANY, port) != ERR_OK) {
        tcp_close(pcb);
        goto fail;
    }
    struct tcp_pcb *listening = tcp_listen_with_backlog(pcb, TCP_DEFAULT_LISTEN_BACKLOG);
    if (!listening) {
        tcp_close(pcb);
        goto fail;
    }
    l->pcb = listening;
    l->listener = 1;
    l->accept = accept;
    l->arg = arg;
    tcp_arg(listening, l);
    tcp_accept(listening, on_tcp_accept);
    return l;
fail:
    free(l);
    return NULL;
}

unf_tcp *unf_tcp_listen(uint16_t port, unf_tcp_accept_fn accept, void *arg)
{
    return tcp_listen_type(IPADDR_TYPE_V4, port, accept, arg);
}

unf_tcp *unf_tcp_listen_dual(uint16_t port, unf_tcp_accept_fn accept, void *arg)
{
    return tcp_listen_type(IPADDR_TYPE_ANY, port, accept, arg);
}

void unf_tcp_set_callbacks(unf_tcp *c, unf_tcp_recv_fn recv, unf_tcp_sent_fn sent,
                           unf_tcp_error_fn error, void *arg)
{
    c->recv = recv;
    c->sent = sent;
    c->error = error;
    c->arg = arg;
}

size_t unf_tcp_sendable(unf_tcp *c)
{
    if (!c->pcb || c->closed || tcp_sndqueuelen(c->pcb) >= TCP_SND_QUEUELEN - 4)
        return 0;
    return tcp_sndbuf(c->pcb);
}

long unf_tcp_write(unf_tcp *c, const void *data, size_t len)
{
    if (!c->pcb || c->closed)
        return -1;
    size_t room = unf_tcp_sendable(c);
    size_t n = len < room ? len : room;
    if (n > 0xffff)
        n = 0xffff;
    if (n == 0)
        return 0;
    err_t err = tcp_write(c->pcb, data, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (err == ERR_MEM)
        return 0;
    if (err != ERR_OK)
        return -1;
    tcp_output(c->pcb);
    return (long)n;
}

void unf_tcp_peer(unf_tcp *c, unf_ip4 *addr, uint16_t *port)
{
    if (addr) *addr = c->pcb && IP_IS_V4(&c->pcb->remote_ip) ? ip4_addr_get_u32(ip_2_ip4(&c->pcb->remote_ip)) : 0;
    if (port) *port = c->pcb ? c->pcb->remote_port : 0;
}

void unf_tcp_peer_addr(unf_tcp *c, unf_addr *addr, uint16_t *port)
{
    if (addr) {
        if (c->pcb)
            to_unf_addr(&c->pcb->remote_ip, addr);
        else
            memset(addr, 0, sizeof(*addr));
    }
    if (port) *port = c->pcb ? c->pcb->remote_port : 0;
}

/* --- raw IPv4 --- */
struct unf_raw {
    struct raw_pcb *pcb;
    unf_raw_recv_fn recv;
    void *arg;
};

static u8_t on_raw_recv(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
    (void)pcb;
    (void)addr;
    unf_raw *r = arg;
    void *copy;
    const void *data = flatten(p, &copy);
    if (data)
        r->recv(r->arg, r, data, p->tot_len);
    free(copy);
    return 0; /* not eaten: the stack still handles the packet (e.g. answers the ping) */
}

unf_raw *unf_raw_open(uint8_t proto, unf_raw_recv_fn recv, void *arg)
{
    unf_raw *r = calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->pcb = raw_new(proto);
    if (!r->pcb) {
        free(r);
        return NULL;
    }
    r->recv = recv;
    r->arg = arg;
    raw_setflags(r->pcb, RAW_FLAGS_HDRINCL);
    raw_recv(r->pcb, on_raw_recv, r);
    return r;
}

int unf_raw_send(unf_raw *r, const void *packet, size_t len)
{
    if (len < IP_HLEN || len > 0xffff)
        return -1;
    struct pbuf *p = pbuf_alloc(PBUF_IP, (u16_t)len, PBUF_RAM);
    if (!p)
        return -1;
    memcpy(p->payload, packet, len);
    struct ip_hdr *h = p->payload;
    size_t hlen = (size_t)IPH_HL_BYTES(h);
    if (IPH_V(h) != 4 || hlen < IP_HLEN || hlen > len) {
        pbuf_free(p);
        return -1;
    }
    if (IPH_CHKSUM(h) == 0)
        IPH_CHKSUM_SET(h, inet_chksum(h, (u16_t)hlen));
    ip_addr_t dst = IPADDR4_INIT(0);
    ip4_addr_copy(*ip_2_ip4(&dst), h->dest);
    err_t err = raw_sendto(r->pcb, p, &dst);
    pbuf_free(p);
    return err == ERR_OK ? 0 : -1;
}

void unf_raw_close(unf_raw *r)
{
    if (!r)
        return;
    raw_remove(r->pcb);
    free(r);
}

/* --- Ethernet frames --- */
struct unf_l2 {
    unsigned nic;
    unf_l2_recv_fn recv;
    void *arg;
};

static void on_l2_frame(void *arg, const uint8_t *frame, size_t len)
{
    unf_l2 *port = arg;
    port->recv(port->arg, port, frame, len);
}

unf_l2 *unf_l2_open(unsigned nic, unf_l2_recv_fn recv, void *arg)
{
    unf_l2 *port = calloc(1, sizeof(*port));
    if (!port)
        return NULL;
    port->nic = nic;
    port->recv = recv;
    port->arg = arg;
    if (stack_set_frame_hook(nic, on_l2_frame, port) < 0) {
        free(port);
        return NULL;
    }
    return port;
}

int unf_l2_send(unf_l2 *port, const void *frame, size_t len)
{
    return stack_send_frame(port->nic, frame, len);
}

void unf_l2_close(unf_l2 *port)
{
    if (!port)
        return;
    stack_set_frame_hook(port->nic, NULL, NULL);
    free(port);
}
