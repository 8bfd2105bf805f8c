/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packet-socket NICs (see packet.h). The ring is set before bind() so no frame arrives outside
 * it; the socket sends straight to the driver (PACKET_QDISC_BYPASS) and never sees its own
 * frames (PACKET_IGNORE_OUTGOING), so the ring holds only what the link received. packet_recv is
 * the host-side reader unf-hvt uses; unf-proc's guest reads the same ring itself
 * (platform/proc/ring.c: the guest cannot include this file).
 */
#include "packet.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "tap.h"
#include "tender.h"

/* Slots of 512 bytes, 32 to a 16 KiB block: a frame of up to 446 bytes (ACKs, SYNs, DNS queries,
 * HTTP requests) sits in its slot; a bigger one leaves a truncated copy there marked
 * TP_STATUS_COPY and the whole frame on the socket's receive queue, which the guest reads with one
 * read() (PACKET_COPY_THRESH). The whole ring is mapped (and counted in the instance's PSS) from
 * the start, so its size follows the guest's memory: 1/32 of it, 128 to 2048 slots (64 KiB to
 * 1 MiB; an 8 MiB probe gets 512). The ring is kernel memory the instance's memory cgroup is not
 * charged for. Slots matter more than bytes: with 512 slots of 2 KiB a web server's burst of 1000
 * connections overflowed the ring (wrk's p99 0.5-1.3 s, clients waiting on retransmissions);
 * 1024 slots gave 14-149 ms, 2048 slots 13-16 ms. The receive queue behind the copies is kernel
 * memory used on demand. */
#define RING_BLOCK_SIZE  (16u << 10)
#define RING_FRAME_SIZE  512u
#define RING_MIN_BLOCKS  4u
#define RING_MAX_BLOCKS  64u
#define COPY_QUEUE_BYTES (4 << 20)

static unsigned ring_blocks(size_t guest_mem)
{
    size_t blocks = guest_mem / 32 / RING_BLOCK_SIZE;
    return blocks < RING_MIN_BLOCKS ? RING_MIN_BLOCKS : blocks > RING_MAX_BLOCKS ? RING_MAX_BLOCKS : (unsigned)blocks;
}

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

static int set_int(int fd, int option, int value, const char *what, const char *name)
{
    if (setsockopt(fd, SOL_PACKET, option, &value, sizeof(value)) < 0)
        return tender_error("packet %s: %s: %s", name, what, strerror(errno));
    return 0;
}

int packet_open(const char *spec, size_t guest_mem, struct packet_nic *nic)
{
    char name[TAP_NAME_MAX];
    unsigned blocks = ring_blocks(guest_mem);
    struct tpacket_req req = {
        .tp_block_size = RING_BLOCK_SIZE,
        .tp_block_nr = blocks,
        .tp_frame_size = RING_FRAME_SIZE,
        .tp_frame_nr = blocks * (RING_BLOCK_SIZE / RING_FRAME_SIZE),
    };
    size_t ring_bytes = (size_t)req.tp_block_size * req.tp_block_nr;

    memset(nic, 0, sizeof(*nic));
    nic->fd = -1;
    if (tap_spec_parse(spec, name, nic->mac) < 0)
        return -1;
    unsigned ifindex = if_nametoindex(name);
    if (ifindex == 0)
        return tender_error("packet %s: no such link in this namespace", name);
    nic->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0); /* 0: nothing until bind */
    if (nic->fd < 0)
        return tender_error("packet %s: socket: %s", name, strerror(errno));
    if (set_int(nic->fd, PACKET_VERSION, TPACKET_V2, "TPACKET_V2", name) < 0 ||
        set_int(nic->fd, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS", name) < 0 ||
        set_int(nic->fd, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING", name) < 0 ||
        set_int(nic->fd, PACKET_COPY_THRESH, 1, "PACKET_COPY_THRESH", name) < 0)
        goto fail;
    int queue = COPY_QUEUE_BYTES;
    if (setsockopt(nic->fd, SOL_SOCKET, SO_RCVBUFFORCE, &queue, sizeof(queue)) < 0 &&
        setsockopt(nic->fd, SOL_SOCKET, SO_RCVBUF, &queue, sizeof(queue)) < 0) {
        tender_error("packet %s: SO_RCVBUF: %s", name, strerror(errno));
        goto fail;
    }
    if (setsockopt(nic->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0) {
        tender_error("packet %s: PACKET_RX_RING: %s", name, strerror(errno));
        goto fail;
    }
    nic->rx_ring = mmap(NULL, ring_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, nic->fd, 0);
    if (nic->rx_ring == MAP_FAILED) {
        nic->rx_ring = NULL;
        tender_error("packet %s: mapping the ring: %s", name, strerror(errno));
        goto fail;
    }
    struct sockaddr_ll addr = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ALL),
        .sll_ifindex = (int)ifindex,
    };
    if (bind(nic->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        tender_error("packet %s: bind: %s", name, strerror(errno));
        goto fail;
    }
    nic->mtu = TENDER_MTU;
    nic->frame_size = req.tp_frame_size;
    nic->frame_count = req.tp_frame_nr;
    return 0;
fail:
    if (nic->rx_ring)
        munmap(nic->rx_ring, ring_bytes);
    close(nic->fd);
    memset(nic, 0, sizeof(*nic));
    nic->fd = -1;
    return -1;
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
    for (; len > 1; p += 2, len -= 2)
        sum += (uint32_t)(p[0] << 8 | p[1]);
    if (len)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

/* A TCP/UDP checksum the sender left partial (the pseudo-header sum in place), completed as the
 * NIC would have: the sum from the transport header to the end of the IP packet, complemented. */
static void checksum_complete(uint8_t *f, size_t len)
{
    size_t l4, end;
    uint8_t proto;
    if (len >= 34 && f[12] == 0x08 && f[13] == 0x00) {
        l4 = 14 + (size_t)(f[14] & 15) * 4;
        end = 14 + (size_t)(f[16] << 8 | f[17]);
        proto = f[23];
    } else if (len >= 54 && f[12] == 0x86 && f[13] == 0xdd) {
        l4 = 54;
        end = 54 + (size_t)(f[18] << 8 | f[19]);
        proto = f[20];
    } else {
        return;
    }
    size_t field = proto == 6 ? 16 : proto == 17 ? 6 : 0;
    if (!field || end > len || l4 + field + 2 > end)
        return;
    uint32_t sum = sum16(f + l4, end - l4, 0);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    uint16_t check = (uint16_t)~sum;
    if (proto == 17 && check == 0)
        check = 0xffff;
    f[l4 + field] = (uint8_t)(check >> 8);
    f[l4 + field + 1] = (uint8_t)check;
}

/* The frame of slot h into buf: from the slot, or from the socket when it was too big for the
 * slot (TP_STATUS_COPY); 0 when it is dropped (cut short, VLAN-tagged, too big for buf). */
static size_t slot_frame(const struct packet_nic *nic, const struct tpacket2_hdr *h, uint32_t status, void *buf,
                         size_t size)
{
    if (status & TP_STATUS_COPY) {
        ssize_t n;
        do
            n = read(nic->fd, buf, size);
        while (n < 0 && errno == EINTR);
        return n >= 14 ? (size_t)n : 0;
    }
    if (h->tp_snaplen < h->tp_len || h->tp_snaplen < 14 || h->tp_snaplen > size ||
        ((status & TP_STATUS_VLAN_VALID) && h->tp_vlan_tci))
        return 0;
    memcpy(buf, (const uint8_t *)h + h->tp_mac, h->tp_snaplen);
    return h->tp_snaplen;
}

int packet_recv(struct packet_nic *nic, void *buf, size_t size, size_t *len)
{
    for (uint32_t tries = 0; tries < nic->frame_count; tries++) {
        struct tpacket2_hdr *h = (struct tpacket2_hdr *)((uint8_t *)nic->rx_ring + (size_t)nic->next * nic->frame_size);
        uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER))
            return 1;
        size_t got = slot_frame(nic, h, status, buf, size);
        __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        nic->next = nic->next + 1 == nic->frame_count ? 0 : nic->next + 1;
        if (got == 0)
            continue;
        if (status & TP_STATUS_CSUMNOTREADY)
            checksum_complete(buf, got);
        *len = got;
        return 0;
    }
    return 1;
}

int packet_send(struct packet_nic *nic, const struct iovec *frames, unsigned count)
{
    struct mmsghdr msgs[64];
    unsigned done = 0;
    if (count > 64)
        count = 64;
    for (unsigned i = 0; i < count; i++)
        msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = (struct iovec *)&frames[i], .msg_iovlen = 1}};
    while (done < count) {
        int n = sendmmsg(nic->fd, msgs + done, count - done, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += (unsigned)n;
    }
    return done ? (int)done : -1;
}
