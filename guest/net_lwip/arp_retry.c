/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fast ARP retries (see arp_retry.h). A handful of slots is plenty: a guest resolves few
 * neighbours at once, and a full table only means falling back to lwIP's 1 s retry.
 */
#include "arp_retry.h"

#include <string.h>

#define SLOTS 8
#define ARP_FRAME_LEN 42 /* Ethernet header + ARP for IPv4 over Ethernet */
#define FIRST_RETRY_NS (20ull * 1000 * 1000) /* then doubling: 20, 40, 80, ... ms */
#define WINDOW_NS (1500ull * 1000 * 1000)

struct pending {
    int used;
    unsigned nic;
    uint8_t target[4];
    uint8_t frame[ARP_FRAME_LEN];
    uint64_t first, last; /* 0 until the clock is read in poll */
    uint64_t interval;
};

static struct pending slots[SLOTS];

/* An IPv4-over-Ethernet ARP packet with opcode op (0: any); returns the ARP header or NULL. */
static const uint8_t *arp_of(const uint8_t *frame, size_t len, int op)
{
    if (len < ARP_FRAME_LEN || frame[12] != 0x08 || frame[13] != 0x06)
        return NULL;
    const uint8_t *arp = frame + 14;
    if (arp[0] != 0 || arp[1] != 1 || arp[2] != 0x08 || arp[3] != 0 || arp[4] != 6 || arp[5] != 4)
        return NULL;
    return op == 0 || (arp[6] == 0 && arp[7] == op) ? arp : NULL;
}

void arp_retry_note_output(unsigned nic, const uint8_t *frame, size_t len)
{
    const uint8_t *arp = arp_of(frame, len, 1);
    if (!arp || memcmp(arp + 14, arp + 24, 4) == 0) /* gratuitous: nobody answers */
        return;
    struct pending *free_slot = NULL;
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i].used && slots[i].nic == nic && memcmp(slots[i].target, arp + 24, 4) == 0)
            return; /* already watched (this may be our own retry) */
        if (!slots[i].used && !free_slot)
            free_slot = &slots[i];
    }
    if (!free_slot)
        return;
    free_slot->used = 1;
    free_slot->nic = nic;
    memcpy(free_slot->target, arp + 24, 4);
    memcpy(free_slot->frame, frame, ARP_FRAME_LEN);
    free_slot->first = free_slot->last = 0;
    free_slot->interval = FIRST_RETRY_NS;
}

void arp_retry_note_input(unsigned nic, const uint8_t *frame, size_t len)
{
    const uint8_t *arp = arp_of(frame, len, 0);
    if (!arp)
        return;
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].used && slots[i].nic == nic && memcmp(slots[i].target, arp + 14, 4) == 0)
            slots[i].used = 0;
}

uint64_t arp_retry_deadline(void)
{
    uint64_t next = UINT64_MAX;
    for (int i = 0; i < SLOTS; i++)
        if (slots[i].used) {
            uint64_t due = slots[i].last ? slots[i].last + slots[i].interval : 0;
            if (due < next)
                next = due;
        }
    return next;
}

void arp_retry_poll(uint64_t now, arp_retry_send_fn send)
{
    for (int i = 0; i < SLOTS; i++) {
        struct pending *p = &slots[i];
        if (!p->used)
            continue;
        if (!p->first) { /* first sighting: start the clock, the request just went out */
            p->first = p->last = now;
            continue;
        }
        if (now - p->first >= WINDOW_NS) {
            p->used = 0;
            continue;
        }
        if (now - p->last >= p->interval) {
            p->last = now;
            p->interval *= 2;
            send(p->nic, p->frame, ARP_FRAME_LEN);
        }
    }
}
