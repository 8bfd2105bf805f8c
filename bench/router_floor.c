/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The AF_XDP floor forwarder of `unf bench router` (see router_floor.h). Both sockets come from
 * the tender's own xsk_open, so their rings, frame area and XDP program are exactly the ones the
 * proc-xdp router gets. The loop is the least a forwarder does: drain a socket's rx ring in one
 * batch, copy each frame into a free send frame of the other socket (copy mode: the two frame
 * areas are separate), rewrite it, give the receive frame back, publish the indexes once per
 * batch and kick the sends with one sendto. It sleeps in poll() only when both rx rings are empty.
 */
#include "router_floor.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_xdp.h>
#include <poll.h>
#include <sched.h>
#include <sys/prctl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tender/common/tender.h"
#include "../tender/common/xsk.h"
#include "netns.h"
#include "sys.h"

const char *const tender_name = "unf-bench router floor";

#define GUEST_MEM (8u << 20) /* the router unikernel's, so the rings are the same size */
#define FREE_MAX 4096u
#define KICKS_MAX 16
#define TX_BATCH 32u /* frames per sendto in copy mode (the kernel's budget) */

struct side {
    struct xsk_nic x;
    const struct rfloor_side *cfg;
    uint32_t nfree;
    uint64_t free_frames[FREE_MAX];
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

/* Sent frames whose completion came back return to the free stack. */
static void reclaim(struct side *s)
{
    uint32_t prod = __atomic_load_n(s->x.comp.producer, __ATOMIC_ACQUIRE), cons = *s->x.comp.consumer;
    const uint64_t *comp = s->x.comp.desc;
    uint32_t mask = s->x.ring_size - 1;
    for (; cons != prod && s->nfree < FREE_MAX; cons++)
        s->free_frames[s->nfree++] = comp[cons & mask] & ~(uint64_t)(s->x.frame_size - 1);
    __atomic_store_n(s->x.comp.consumer, cons, __ATOMIC_RELEASE);
}

/* Has the kernel send what waits on the tx ring: in copy mode one sendto takes at most 32 frames,
 * so it repeats while the ring drains (bounded, as the guest's kick is). */
static void kick(struct side *s, uint32_t tx_prod)
{
    for (int i = 0; i < KICKS_MAX; i++) {
        if (!(__atomic_load_n(s->x.tx.flags, __ATOMIC_ACQUIRE) & XDP_RING_NEED_WAKEUP))
            return;
        if (sendto(s->x.fd, NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN && errno != EBUSY &&
            errno != EINTR)
            return;
        if (__atomic_load_n(s->x.tx.consumer, __ATOMIC_ACQUIRE) == tx_prod)
            return;
    }
}

/* TTL down by one with the header checksum patched in place (RFC 1624); frames that are not
 * IPv4 with a TTL above one pass unchanged (the floor answers no ICMP). */
static void ip_forward_edit(uint8_t *f, uint32_t len)
{
    if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || f[22] <= 1)
        return;
    f[22]--;
    uint32_t sum = (uint32_t)((f[24] << 8) | f[25]) + 0x0100u; /* ~(~HC + ~m + m') for TTL-1 */
    sum = (sum & 0xffffu) + (sum >> 16);
    f[24] = (uint8_t)(sum >> 8);
    f[25] = (uint8_t)sum;
}

/* Moves up to TX_BATCH frames from in's rx ring to out's tx ring and kicks them; the number of
 * frames taken from the rx ring. Send frames come back from the completion ring as the kernel
 * sends, so working in batches of the kernel's per-sendto budget keeps free frames at hand (one
 * pass over a full rx ring would run out of them and drop what it had already received). */
static unsigned forward_batch(struct side *in, struct side *out)
{
    uint32_t imask = in->x.ring_size - 1, omask = out->x.ring_size - 1;
    uint32_t rx_cons = *in->x.rx.consumer, rx_prod = __atomic_load_n(in->x.rx.producer, __ATOMIC_ACQUIRE);
    if (rx_cons == rx_prod)
        return 0;
    if (rx_prod - rx_cons > TX_BATCH)
        rx_prod = rx_cons + TX_BATCH;
    if (out->nfree < rx_prod - rx_cons)
        reclaim(out);
    uint32_t fill_prod = *in->x.fill.producer, tx_prod = *out->x.tx.producer;
    const struct xdp_desc *rx = in->x.rx.desc;
    struct xdp_desc *tx = out->x.tx.desc;
    uint64_t *fill = in->x.fill.desc;
    unsigned taken = rx_prod - rx_cons, moved = 0;
    for (; rx_cons != rx_prod; rx_cons++) {
        struct xdp_desc d = rx[rx_cons & imask];
        if (out->nfree > 0 && d.len >= 14 && d.len <= out->x.frame_size) {
            uint64_t addr = out->free_frames[--out->nfree];
            uint8_t *f = out->x.umem + addr;
            memcpy(f, in->x.umem + d.addr, d.len);
            memcpy(f, out->cfg->dst_mac, 6);
            memcpy(f + 6, out->cfg->src_mac, 6);
            ip_forward_edit(f, d.len);
            tx[tx_prod++ & omask] = (struct xdp_desc){.addr = addr, .len = d.len};
            moved++;
        }
        fill[fill_prod++ & imask] = d.addr & ~(uint64_t)(in->x.frame_size - 1);
    }
    __atomic_store_n(in->x.fill.producer, fill_prod, __ATOMIC_RELEASE);
    __atomic_store_n(in->x.rx.consumer, rx_cons, __ATOMIC_RELEASE);
    if (moved) {
        __atomic_store_n(out->x.tx.producer, tx_prod, __ATOMIC_RELEASE);
        kick(out, tx_prod);
    }
    return taken;
}

/* Drains in's rx ring, batch by batch; the number of frames taken. */
static unsigned forward(struct side *in, struct side *out)
{
    unsigned total = 0, n;
    while ((n = forward_batch(in, out)) > 0)
        total += n;
    return total;
}

static int side_open(struct side *s, const struct rfloor_side *cfg)
{
    s->cfg = cfg;
    if (xsk_open(cfg->link, GUEST_MEM, &s->x) < 0)
        return -1;
    s->nfree = 0;
    for (uint32_t i = s->x.ring_size; i < s->x.frame_count && s->nfree < FREE_MAX; i++)
        s->free_frames[s->nfree++] = (uint64_t)i * s->x.frame_size;
    return 0;
}

static void child(const char *ns, const struct rfloor_side *a, const struct rfloor_side *b, int cpu, int prio,
                  int ready_fd)
{
    static struct side sa, sb;
    setpgid(0, 0); /* bench_stop signals the process group */
    signal(SIGTERM, on_term);
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* a killed bench must not leave its programs attached */
    if (cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        sched_setaffinity(0, sizeof(set), &set);
    }
    if (bench_ns_enter(ns) < 0 || side_open(&sa, a) < 0 || side_open(&sb, b) < 0)
        _exit(1);
    if (prio > 0) {
        struct sched_param p = {.sched_priority = prio};
        sched_setscheduler(0, SCHED_FIFO, &p);
    }
    if (write(ready_fd, "r", 1) != 1)
        _exit(1);
    close(ready_fd);
    while (!stop) {
        unsigned moved = forward(&sa, &sb) + forward(&sb, &sa);
        if (moved == 0) {
            struct pollfd p[2] = {{.fd = sa.x.fd, .events = POLLIN}, {.fd = sb.x.fd, .events = POLLIN}};
            poll(p, 2, 100);
        }
    }
    _exit(0); /* the kernel closes the sockets and detaches both programs */
}

pid_t rfloor_start(const char *ns, const struct rfloor_side *a, const struct rfloor_side *b, int cpu, int prio,
                   char *err, size_t errlen)
{
    int fd;
    pid_t pid = bench_fork_piped(&fd, err, errlen);
    if (pid < 0)
        return -1;
    if (pid == 0)
        child(ns, a, b, cpu, prio, fd);
    setpgid(pid, pid); /* also here: whichever runs first */
    char c;
    ssize_t got;
    do
        got = read(fd, &c, 1);
    while (got < 0 && errno == EINTR);
    close(fd);
    if (got != 1) {
        waitpid(pid, NULL, 0);
        bench_fmt(err, errlen, "the floor forwarder could not open AF_XDP sockets on %s and %s", a->link, b->link);
        return -1;
    }
    return pid;
}
