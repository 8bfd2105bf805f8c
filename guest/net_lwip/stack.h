/* SPDX-License-Identifier: BSD-2-Clause */
/* The lwIP backend's internals shared by its files: NIC setup at start, per-NIC frame hooks. */
#ifndef UNF_GUEST_LWIP_STACK_H
#define UNF_GUEST_LWIP_STACK_H
#include <stddef.h>
#include <stdint.h>
#include <platform.h>

struct stack_nic_config {
    uint32_t addr, netmask, gateway; /* network byte order; addr 0: no address */
    int has_ip6;                     /* ip6 set: a static IPv6 address besides the link-local one */
    uint8_t ip6[16];
    unsigned ip6_prefix;             /* only 64: lwIP takes a static address's prefix as on-link /64 */
};

/* Brings up lwIP and every NIC the platform offers (configs[i] for NIC i, up to count). */
int stack_init(const struct stack_nic_config *configs, unsigned count);

/* Diverts NIC `nic`'s received frames to fn (NULL restores the IP stack). */
typedef void (*stack_frame_fn)(void *arg, const uint8_t *frame, size_t len);
int stack_set_frame_hook(unsigned nic, stack_frame_fn fn, void *arg);
int stack_send_frame(unsigned nic, const void *frame, size_t len);
struct netif *stack_netif(unsigned nic);
/* Records the platform's file archive for files.h. */
void stack_set_archive(const void *base, size_t size);
#endif
