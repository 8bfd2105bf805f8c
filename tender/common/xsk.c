/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AF_XDP NICs (see xsk.h). The XDP program is built here as raw BPF instructions (there is no
 * compiler for BPF on the host, and five instructions need none): it looks up queue 0 in a
 * one-entry XSKMAP and redirects the frame there, falling back to the normal stack (XDP_PASS)
 * while no socket is in the map. The socket is put in the map only after its rings are ready, so
 * no frame is lost to a half-made socket. Native (driver) XDP is tried first, the generic hook
 * after; zero-copy first, copy mode after.
 */
#include "xsk.h"

#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <net/if.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tap.h"
#include "tender.h"

#define FRAME_SIZE    2048u
#define RING_MIN      1024u
#define RING_MAX      4096u

#ifndef SOL_XDP
#define SOL_XDP 283
#endif

/* Ring entries follow the guest's memory: 1/16 of it in receive frames, 1024 to 4096 of them,
 * and a quarter as many send frames (an 8 MiB router gets 1024 + 256 frames, 2.5 MiB). Slots
 * matter more than bytes: with 256 receive frames a router lost 1.2% at 100k pps, its ring
 * overflowing while the tender waited for the core. */
static uint32_t ring_entries(size_t guest_mem)
{
    size_t want = guest_mem / 16 / FRAME_SIZE;
    uint32_t n = RING_MIN;
    while (n < RING_MAX && n < want)
        n <<= 1;
    return n;
}

static long bpf_call(int cmd, union bpf_attr *attr)
{
    return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(void)
{
    union bpf_attr a;
    memset(&a, 0, sizeof(a));
    a.map_type = BPF_MAP_TYPE_XSKMAP;
    a.key_size = 4;
    a.value_size = 4;
    a.max_entries = 1;
    return (int)bpf_call(BPF_MAP_CREATE, &a);
}

/* return bpf_redirect_map(&xsks, 0, XDP_PASS); */
static int prog_load(int map_fd)
{
    struct bpf_insn insns[] = {
        {.code = BPF_LD | BPF_DW | BPF_IMM, .dst_reg = BPF_REG_1, .src_reg = BPF_PSEUDO_MAP_FD, .imm = map_fd},
        {.code = 0}, /* the upper half of the 64-bit immediate */
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 0},
        {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_3, .imm = XDP_PASS},
        {.code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect_map},
        {.code = BPF_JMP | BPF_EXIT},
    };
    union bpf_attr a;
    memset(&a, 0, sizeof(a));
    a.prog_type = BPF_PROG_TYPE_XDP;
    a.insns = (uintptr_t)insns;
    a.insn_cnt = sizeof(insns) / sizeof(insns[0]);
    a.license = (uintptr_t) "BSD";
    return (int)bpf_call(BPF_PROG_LOAD, &a);
}

/* Attaches prog to the link through a BPF link (detached when its last fd closes); the driver's
 * hook first, then the generic one. */
static int prog_attach(int prog_fd, unsigned ifindex, int *native)
{
    static const unsigned modes[] = {XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE};
    int fd = -1;
    for (unsigned i = 0; i < 2 && fd < 0; i++) {
        union bpf_attr a;
        memset(&a, 0, sizeof(a));
        a.link_create.prog_fd = (uint32_t)prog_fd;
        a.link_create.target_ifindex = ifindex;
        a.link_create.attach_type = BPF_XDP;
        a.link_create.flags = modes[i];
        fd = (int)bpf_call(BPF_LINK_CREATE, &a);
        *native = i == 0;
    }
    return fd;
}

static int map_ring(int fd, const struct xdp_ring_offset *off, off_t pgoff, size_t entry, uint32_t n,
                    struct xsk_ring_map *r, void **base, size_t *len)
{
    *len = off->desc + (size_t)n * entry;
    *base = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, pgoff);
    if (*base == MAP_FAILED) {
        *base = NULL;
        return -1;
    }
    r->producer = (uint32_t *)(void *)((char *)*base + off->producer);
    r->consumer = (uint32_t *)(void *)((char *)*base + off->consumer);
    r->flags = (uint32_t *)(void *)((char *)*base + off->flags);
    r->desc = (char *)*base + off->desc;
    return 0;
}

static int set_xdp(int fd, int option, const void *value, socklen_t len, const char *what, const char *name)
{
    if (setsockopt(fd, SOL_XDP, option, value, len) < 0)
        return tender_error("xdp %s: %s: %s", name, what, strerror(errno));
    return 0;
}

/* Binds the socket to queue 0 of the link, zero-copy when the driver has it. */
static int bind_queue(int fd, unsigned ifindex, int *zero_copy)
{
    struct sockaddr_xdp sa = {.sxdp_family = AF_XDP, .sxdp_ifindex = ifindex, .sxdp_queue_id = 0,
                              .sxdp_flags = XDP_ZEROCOPY | XDP_USE_NEED_WAKEUP};
    *zero_copy = 1;
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        return 0;
    sa.sxdp_flags = XDP_COPY | XDP_USE_NEED_WAKEUP;
    *zero_copy = 0;
    return bind(fd, (struct sockaddr *)&sa, sizeof(sa));
}

int xsk_open(const char *spec, size_t guest_mem, struct xsk_nic *nic)
{
    char name[TAP_NAME_MAX];
    void *rings[4] = {NULL, NULL, NULL, NULL};
    size_t ring_len[4] = {0, 0, 0, 0};
    int map_fd = -1, prog_fd = -1;
    uint32_t n = ring_entries(guest_mem);

    memset(nic, 0, sizeof(*nic));
    nic->fd = nic->link_fd = -1;
    if (tap_spec_parse(spec, name, nic->mac) < 0)
        return -1;
    unsigned ifindex = if_nametoindex(name);
    if (ifindex == 0)
        return tender_error("xdp %s: no such link in this namespace", name);
    nic->fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (nic->fd < 0)
        return tender_error("xdp %s: AF_XDP socket: %s", name, strerror(errno));
    nic->frame_size = FRAME_SIZE;
    nic->frame_count = n + n / 4;
    nic->ring_size = n;
    nic->umem_size = (size_t)nic->frame_count * FRAME_SIZE;
    nic->umem = mmap(NULL, nic->umem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (nic->umem == MAP_FAILED) {
        nic->umem = NULL;
        tender_error("xdp %s: frame area: %s", name, strerror(errno));
        goto fail;
    }
    struct xdp_umem_reg reg = {.addr = (uintptr_t)nic->umem, .len = nic->umem_size, .chunk_size = FRAME_SIZE};
    int entries = (int)n;
    if (set_xdp(nic->fd, XDP_UMEM_REG, &reg, sizeof(reg), "registering the frame area", name) < 0 ||
        set_xdp(nic->fd, XDP_UMEM_FILL_RING, &entries, sizeof(entries), "fill ring", name) < 0 ||
        set_xdp(nic->fd, XDP_UMEM_COMPLETION_RING, &entries, sizeof(entries), "completion ring", name) < 0 ||
        set_xdp(nic->fd, XDP_RX_RING, &entries, sizeof(entries), "rx ring", name) < 0 ||
        set_xdp(nic->fd, XDP_TX_RING, &entries, sizeof(entries), "tx ring", name) < 0)
        goto fail;
    struct xdp_mmap_offsets off;
    socklen_t off_len = sizeof(off);
    if (getsockopt(nic->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &off_len) < 0) {
        tender_error("xdp %s: ring offsets: %s", name, strerror(errno));
        goto fail;
    }
    if (map_ring(nic->fd, &off.rx, XDP_PGOFF_RX_RING, sizeof(struct xdp_desc), n, &nic->rx, &rings[0], &ring_len[0]) ||
        map_ring(nic->fd, &off.tx, XDP_PGOFF_TX_RING, sizeof(struct xdp_desc), n, &nic->tx, &rings[1], &ring_len[1]) ||
        map_ring(nic->fd, &off.fr, XDP_UMEM_PGOFF_FILL_RING, sizeof(uint64_t), n, &nic->fill, &rings[2], &ring_len[2]) ||
        map_ring(nic->fd, &off.cr, XDP_UMEM_PGOFF_COMPLETION_RING, sizeof(uint64_t), n, &nic->comp, &rings[3],
                 &ring_len[3])) {
        tender_error("xdp %s: mapping the rings: %s", name, strerror(errno));
        goto fail;
    }
    uint64_t *fill = nic->fill.desc;
    for (uint32_t i = 0; i < n; i++)
        fill[i] = (uint64_t)i * FRAME_SIZE;
    __atomic_store_n(nic->fill.producer, n, __ATOMIC_RELEASE);
    if (bind_queue(nic->fd, ifindex, &nic->zero_copy) < 0) {
        tender_error("xdp %s: bind: %s", name, strerror(errno));
        goto fail;
    }
    if ((map_fd = map_create()) < 0 || (prog_fd = prog_load(map_fd)) < 0) {
        tender_error("xdp %s: loading the XDP program: %s", name, strerror(errno));
        goto fail;
    }
    nic->link_fd = prog_attach(prog_fd, ifindex, &nic->native);
    if (nic->link_fd < 0) {
        tender_error("xdp %s: attaching the XDP program: %s", name, strerror(errno));
        goto fail;
    }
    union bpf_attr a;
    uint32_t key = 0, value = (uint32_t)nic->fd;
    memset(&a, 0, sizeof(a));
    a.map_fd = (uint32_t)map_fd;
    a.key = (uintptr_t)&key;
    a.value = (uintptr_t)&value;
    if (bpf_call(BPF_MAP_UPDATE_ELEM, &a) < 0) {
        tender_error("xdp %s: adding the socket to the map: %s", name, strerror(errno));
        goto fail;
    }
    close(prog_fd); /* the BPF link holds the program, the program its map */
    close(map_fd);
    nic->mtu = TENDER_MTU;
    return 0;
fail:
    if (nic->link_fd >= 0)
        close(nic->link_fd);
    if (prog_fd >= 0)
        close(prog_fd);
    if (map_fd >= 0)
        close(map_fd);
    for (unsigned i = 0; i < 4; i++)
        if (rings[i])
            munmap(rings[i], ring_len[i]);
    close(nic->fd); /* before the frame area it registered */
    if (nic->umem)
        munmap(nic->umem, nic->umem_size);
    memset(nic, 0, sizeof(*nic));
    nic->fd = nic->link_fd = -1;
    return -1;
}
