/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Split virtqueues (virtio 1.x, section 2.7) with one fixed buffer per descriptor: descriptor i
 * always points at buffer i, so a used element's id names the buffer directly. The rings and
 * buffers come from physmem_alloc() (identity-mapped, so their addresses are what the device sees).
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <stdint.h>

#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY 1
/* The used ring starts on this boundary after the descriptors and the available ring: the
 * layout legacy devices require, harmless for modern ones. */
#define VIRTQ_LEGACY_ALIGN 4096

struct virtq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[];
};

struct virtq_used_elem {
    uint32_t id;
    uint32_t len;
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[];
};

struct virtq {
    uint16_t size;         /* a power of two */
    uint16_t avail_shadow; /* our next avail->idx, published by virtq_publish */
    uint16_t used_seen;    /* used->idx up to which we have consumed */
    uint32_t buf_size;
    struct virtq_desc *desc;
    struct virtq_avail *avail;
    struct virtq_used *used;
    uint8_t *bufs; /* size * buf_size bytes */
};

/* Allocates rings and buffers; -1 when out of memory. */
int virtq_alloc(struct virtq *q, uint16_t size, uint32_t buf_size);
static inline uint8_t *virtq_buf(const struct virtq *q, uint16_t id) { return q->bufs + (uint32_t)id * q->buf_size; }
/* Offers buffer `id` (its first `len` bytes) to the device; visible after virtq_publish. */
void virtq_post(struct virtq *q, uint16_t id, uint32_t len, int device_writes);
void virtq_publish(struct virtq *q);
/* After publishing: whether the device asked to be notified. */
int virtq_should_notify(const struct virtq *q);
/* Takes the next used buffer; 0 when none. */
int virtq_take(struct virtq *q, uint16_t *id, uint32_t *len);
int virtq_has_used(const struct virtq *q);
/* Whether the device interrupts when it uses a buffer. */
void virtq_set_interrupts(struct virtq *q, int on);

#endif
