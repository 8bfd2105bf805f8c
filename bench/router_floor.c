/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The AF_XDP floor forwarder of `unf bench router` (see router_floor.h). Both sockets are opened
 * and driven by the tender's own host-side AF_XDP module (net_xsk.c, over xsk_open: what unf-hvt
 * uses), so their rings, frame area and XDP program are exactly the ones the proc-xdp router gets.
 * The loop is the least a forwarder does: take up to 32 frames from one socket (copied out, their
 * frames back on the fill ring at once), rewrite them, and hand them to the other socket (copied
 * into send frames, one kick), as the unikernel copies in and out of its guest buffers. It sleeps
 * in poll() only when both rx rings are empty.
 */
#include "router_floor.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../tender/common/net_xsk.h"
#include "../tender/common/tender.h"
#include "netns.h"
#include "sys.h"

const char *const tender_name = "unf-bench router floor";

#define GUEST_MEM (8u << 20) /* the router unikernel's, so the rings are the same size */
#define BATCH 32u             /* frames per sendto in copy mode (the kernel's budget) */

struct side {
    struct net_xsk nic;
    const struct rfloor_side *cfg;
};

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
    (void)sig;
    stop = 1;
}

/* TTL down by one with the header checksum patched in place (RFC 1624); frames that are not
 * IPv4 with a TTL above one pass unchanged (the floor answers no ICMP). */
static void ip_forward_edit(uint8_t *f, size_t len)
{
    if (len < 34 || f[12] != 0x08 || f[13] != 0x00 || f[22] <= 1)
        return;
    f[22]--;
    uint32_t sum = (uint32_t)((f[24] << 8) | f[25]) + 0x0100u; /* ~(~HC + ~m + m') for TTL-1 */
    sum = (sum & 0xffffu) + (sum >> 16);
    f[24] = (uint8_t)(sum >> 8);
    f[25] = (uint8_t)sum;
}

/* Moves what waits on in's rx ring to out, BATCH frames per send (so send frames come back from
 * the completion ring as the kernel sends: one pass over a full rx ring would run out of them and
 * drop what it had received); the number of frames moved. */
static unsigned forward(struct side *in, struct side *out)
{
    static uint8_t bufs[BATCH][2048];
    struct iovec iov[BATCH];
    uint64_t lens[BATCH];
    unsigned total = 0, got;
    for (unsigned i = 0; i < BATCH; i++)
        iov[i] = (struct iovec){bufs[i], sizeof(bufs[i])};
    while ((got = net_xsk_recv(&in->nic, iov, BATCH, lens)) > 0) {
        struct iovec frames[BATCH];
        for (unsigned i = 0; i < got; i++) {
            memcpy(bufs[i], out->cfg->dst_mac, 6);
            memcpy(bufs[i] + 6, out->cfg->src_mac, 6);
            ip_forward_edit(bufs[i], lens[i]);
            frames[i] = (struct iovec){bufs[i], lens[i]};
        }
        total += net_xsk_send(&out->nic, frames, got);
    }
    return total;
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
    sa.cfg = a;
    sb.cfg = b;
    if (bench_ns_enter(ns) < 0 || net_xsk_open(a->link, GUEST_MEM, &sa.nic) < 0 ||
        net_xsk_open(b->link, GUEST_MEM, &sb.nic) < 0)
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
            struct pollfd p[2] = {{.fd = sa.nic.x.fd, .events = POLLIN}, {.fd = sb.nic.x.fd, .events = POLLIN}};
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
