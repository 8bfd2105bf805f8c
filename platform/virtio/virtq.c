/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Split virtqueue operations, with the barriers section 2.7 of the virtio spec requires:
 * descriptors and ring entries are written before avail->idx (write barrier), avail->idx is
 * written before the device's notification suppression flag is read (full barrier), used->idx
 * is read before the used entries it covers (read barrier). The device only ever sees
 * ring fields through volatile accesses.
 */
#include "virtq.h"

#include "cpu.h"
#include "physmem.h"

static uint32_t align_up(uint32_t v, uint32_t a) { return (v + a - 1) & ~(a - 1); }

int virtq_alloc(struct virtq *q, uint16_t size, uint32_t buf_size)
{
    uint32_t desc_bytes = 16u * size;
    uint32_t avail_bytes = 6u + 2u * size;
    uint32_t used_off = align_up(desc_bytes + avail_bytes, VIRTQ_LEGACY_ALIGN);
    uint32_t used_bytes = 6u + 8u * size;
    uint8_t *ring = physmem_alloc(used_off + used_bytes, VIRTQ_LEGACY_ALIGN);
    uint8_t *bufs = physmem_alloc((uint64_t)size * buf_size, 64);
    if (!ring || !bufs)
        return -1;
    q->size = size;
    q->avail_shadow = 0;
    q->used_seen = 0;
    q->buf_size = buf_size;
    q->desc = (struct virtq_desc *)ring;
    q->avail = (struct virtq_avail *)(ring + desc_bytes);
    q->used = (struct virtq_used *)(ring + used_off);
    q->bufs = bufs;
    for (uint16_t i = 0; i < size; i++)
        q->desc[i].addr = (uintptr_t)virtq_buf(q, i);
    return 0;
}

void virtq_post(struct virtq *q, uint16_t id, uint32_t len, int device_writes)
{
    q->desc[id].len = len;
    q->desc[id].flags = device_writes ? VIRTQ_DESC_F_WRITE : 0;
    q->desc[id].next = 0;
    ((volatile uint16_t *)q->avail->ring)[q->avail_shadow & (q->size - 1)] = id;
    q->avail_shadow++;
}

void virtq_publish(struct virtq *q)
{
    cpu_wmb(); /* ring entries before the index */
    *(volatile uint16_t *)&q->avail->idx = q->avail_shadow;
}

int virtq_should_notify(const struct virtq *q)
{
    cpu_mb(); /* the index store must be visible before we read the device's flag */
    return !(*(volatile uint16_t *)&q->used->flags & VIRTQ_USED_F_NO_NOTIFY);
}

int virtq_has_used(const struct virtq *q) { return *(volatile uint16_t *)&q->used->idx != q->used_seen; }

int virtq_take(struct virtq *q, uint16_t *id, uint32_t *len)
{
    if (!virtq_has_used(q))
        return 0;
    cpu_rmb(); /* the index before the element it covers */
    volatile struct virtq_used_elem *e = &q->used->ring[q->used_seen & (q->size - 1)];
    *id = (uint16_t)e->id;
    *len = e->len;
    q->used_seen++;
    return *id < q->size;
}

void virtq_set_interrupts(struct virtq *q, int on)
{
    *(volatile uint16_t *)&q->avail->flags = on ? 0 : VIRTQ_AVAIL_F_NO_INTERRUPT;
}
