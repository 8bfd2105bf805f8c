/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Packet-socket NICs of the proc bindings (see ring.h). The receive ring is the kernel's
 * TPACKET_V2 layout: slot i at rx_ring + i * frame_size starts with the header below; the kernel
 * fills slots in order and sets TP_STATUS_USER, the guest copies the frame out and stores
 * TP_STATUS_KERNEL to give the slot back. A frame the local host sent with its checksum left to
 * the NIC (TP_STATUS_CSUMNOTREADY) gets the checksum completed here, as a NIC would. Slots are
 * small (packet.c in the tender): a frame too big for one is read whole from the socket with one
 * read(); frames cut short without a copy (bigger than the MTU: offloaded segments) are dropped. Sending copies into
 * the kernel with sendmmsg rather than through a PACKET_TX_RING: a TX ring's frames go out as
 * page references into the ring, and a veth crossing namespaces orphans the skb (slot marked
 * free) before the peer has read it, so a reused slot could change a frame in flight.
 */
#include "ring.h"

#define TP_STATUS_KERNEL       0x0u
#define TP_STATUS_USER         0x1u
#define TP_STATUS_COPY         0x2u
#define TP_STATUS_CSUMNOTREADY 0x8u
#define TP_STATUS_VLAN_VALID   0x10u
#define TP_STATUS_VLAN_TPID_VALID 0x40u

#define MSG_DONTWAIT_ 0x40
#define EINTR_        4

#define TX_BATCH   32
#define FRAME_MAX  (PROC_ABI_MTU + 14u)

/* struct tpacket2_hdr of <linux/if_packet.h>: the kernel's ABI, repeated because the guest is
 * built without the host's headers. */
struct tp2_hdr {
    uint32_t tp_status;
    uint32_t tp_len;
    uint32_t tp_snaplen;
    uint16_t tp_mac;
    uint16_t tp_net;
    uint32_t tp_sec;
    uint32_t tp_nsec;
    uint16_t tp_vlan_tci;
    uint16_t tp_vlan_tpid;
    uint8_t tp_padding[4];
};

struct kiovec {
    void *base;
    size_t len;
};

struct kmsghdr {
    void *name;
    int namelen;
    struct kiovec *iov;
    size_t iovlen;
    void *control;
    size_t controllen;
    int flags;
};

struct kmmsghdr {
    struct kmsghdr hdr; /* padded to 56 bytes: msg_len follows at 56, as in the kernel's */
    unsigned int len;
};
_Static_assert(sizeof(struct kmmsghdr) == 64, "struct mmsghdr is 64 bytes on x86_64");

struct ring_nic {
    int fd;
    uint8_t *rx;
    uint32_t frame_size, frame_count, next;
    unsigned tx_count;
    struct kmmsghdr msgs[TX_BATCH];
    struct kiovec iov[TX_BATCH];
    uint8_t tx[TX_BATCH][FRAME_MAX];
};

static struct ring_nic nics[PLAT_NET_MAX];
static uint64_t attached; /* bit per ring NIC */

bool ring_attach(unsigned nic, int fd, const struct proc_boot_ring *r)
{
    if (nic >= PLAT_NET_MAX || !r->rx_ring)
        return false;
    if (r->frame_size < 128 || r->frame_count == 0)
        plat_abort("bad packet ring in the boot info");
    struct ring_nic *n = &nics[nic];
    n->fd = fd;
    n->rx = (uint8_t *)(uintptr_t)r->rx_ring;
    n->frame_size = r->frame_size;
    n->frame_count = r->frame_count;
    attached |= 1ULL << nic;
    return true;
}

bool ring_attached(unsigned nic) { return nic < PLAT_NET_MAX && (attached & (1ULL << nic)); }

static struct tp2_hdr *slot(const struct ring_nic *n, uint32_t i)
{
    return (struct tp2_hdr *)(void *)(n->rx + (size_t)i * n->frame_size);
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
    for (; len > 1; p += 2, len -= 2)
        sum += (uint32_t)(p[0] << 8 | p[1]);
    if (len)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

/* The TCP/UDP checksum the sender left partial (pseudo-header sum in place): sum from the
 * transport header to the end of the IP packet and store the complement, as skb_checksum_help. */
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

/* A frame too big for its slot (TP_STATUS_COPY): the whole of it waits on the socket's receive
 * queue, in slot order; 0 when it is not there or does not fit buf (dropped). */
static size_t frame_read(const struct ring_nic *n, uint8_t *buf, size_t size)
{
    long got;
    do
        got = proc_syscall4(PROC_SYS_READ, n->fd, (long)buf, (long)size, 0);
    while (got == -EINTR_);
    return got >= 14 ? (size_t)got : 0;
}

/* Copies the frame of slot h into buf, putting back a VLAN tag the kernel took off; 0 when it
 * does not fit (or was cut short) and is dropped. */
static size_t frame_copy(const struct ring_nic *n, const struct tp2_hdr *h, uint32_t status, uint8_t *buf,
                         size_t size)
{
    const uint8_t *data = (const uint8_t *)h + h->tp_mac;
    size_t len = h->tp_snaplen;
    int tagged = (status & TP_STATUS_VLAN_VALID) && h->tp_vlan_tci;
    if (status & TP_STATUS_COPY)
        return frame_read(n, buf, size);
    if (h->tp_snaplen < h->tp_len || len < 14 || len + (tagged ? 4 : 0) > size)
        return 0;
    if (!tagged) {
        __builtin_memcpy(buf, data, len);
        return len;
    }
    uint16_t tpid = (status & TP_STATUS_VLAN_TPID_VALID) && h->tp_vlan_tpid ? h->tp_vlan_tpid : 0x8100;
    __builtin_memcpy(buf, data, 12);
    buf[12] = (uint8_t)(tpid >> 8);
    buf[13] = (uint8_t)tpid;
    buf[14] = (uint8_t)(h->tp_vlan_tci >> 8);
    buf[15] = (uint8_t)h->tp_vlan_tci;
    __builtin_memcpy(buf + 16, data + 12, len - 12);
    return len + 4;
}

enum plat_result ring_read(unsigned nic, uint8_t *buf, size_t size, size_t *len)
{
    struct ring_nic *n = &nics[nic];
    for (uint32_t tries = 0; tries < n->frame_count; tries++) {
        struct tp2_hdr *h = slot(n, n->next);
        uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER))
            return PLAT_AGAIN;
        size_t got = frame_copy(n, h, status, buf, size);
        __atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        n->next = n->next + 1 == n->frame_count ? 0 : n->next + 1;
        if (got == 0)
            continue; /* dropped, as a NIC drops what exceeds its MTU */
        if (status & TP_STATUS_CSUMNOTREADY)
            checksum_complete(buf, got);
        *len = got;
        return PLAT_OK;
    }
    return PLAT_AGAIN;
}

static void flush(struct ring_nic *n)
{
    unsigned done = 0;
    while (done < n->tx_count) {
        long sent = proc_syscall4(PROC_SYS_SENDMMSG, n->fd, (long)&n->msgs[done], n->tx_count - done, MSG_DONTWAIT_);
        if (sent == -EINTR_)
            continue;
        if (sent <= 0)
            break; /* the link's queue is full or it is down: the rest is dropped, as on a wire */
        done += (unsigned)sent;
    }
    n->tx_count = 0;
}

enum plat_result ring_write(unsigned nic, const uint8_t *frame, size_t len)
{
    struct ring_nic *n = &nics[nic];
    if (len > FRAME_MAX)
        return PLAT_EINVAL;
    unsigned i = n->tx_count++;
    __builtin_memcpy(n->tx[i], frame, len);
    n->iov[i].base = n->tx[i];
    n->iov[i].len = len;
    n->msgs[i] = (struct kmmsghdr){.hdr = {.iov = &n->iov[i], .iovlen = 1}};
    if (n->tx_count == TX_BATCH)
        flush(n);
    return PLAT_OK;
}

void ring_flush_all(void)
{
    for (unsigned i = 0; i < PLAT_NET_MAX; i++)
        if ((attached & (1ULL << i)) && nics[i].tx_count)
            flush(&nics[i]);
}

uint64_t ring_ready_set(void)
{
    uint64_t ready = 0;
    for (unsigned i = 0; i < PLAT_NET_MAX; i++) {
        if (!(attached & (1ULL << i)))
            continue;
        const struct tp2_hdr *h = slot(&nics[i], nics[i].next);
        if (__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER)
            ready |= 1ULL << i;
    }
    return ready;
}
