/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvt tender's run loop: KVM_RUN until the guest exits, handling its hypercalls (port I/O
 * on the HVT_PORT_* ports, platform/hvt/hvt_abi.h) with nothing but the system calls the seal
 * allows. Any exit the guest did not ask for (an exception, a triple fault, a KVM error, an
 * unknown port, memory outside its slots) is reported in one "unf-hvt: ..." line with the guest's
 * %rip, and the tender exits with RUN_EXIT_GUEST_FAILED.
 */
#ifndef UNF_TENDER_HVT_RUN_H
#define UNF_TENDER_HVT_RUN_H

#include "guest_mem.h"
#include "tender.h"
#include "vm.h"

/* The status of a guest that failed (what plat_abort() and the virtio platform use too). */
#define RUN_EXIT_GUEST_FAILED 255

struct packet_nic;
struct net_xsk;

struct run_guest {
    struct vm *vm;
    const struct gmem *mem;
    int tap_fd[TENDER_NET_MAX];                 /* each NIC's fd: a tap, a packet or an AF_XDP socket */
    struct packet_nic *packet[TENDER_NET_MAX];  /* NULL for a tap or an AF_XDP NIC */
    struct net_xsk *xsk[TENDER_NET_MAX];        /* NULL for a tap or a packet socket */
    unsigned net_count;
    unsigned mtu;
};

/* Runs the guest to its end and exits the process with its status. */
_Noreturn void run_guest(const struct run_guest *g);

#endif
