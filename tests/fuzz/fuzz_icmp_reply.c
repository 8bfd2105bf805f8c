/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the probe's ICMP reply parser (apps/probe/icmp_reply.c) on arbitrary
 * bytes. Replies come from any router on the path, so a hostile one must never crash the probe
 * or make it read outside the packet; parsed fields must stay consistent. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/probe/icmp_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy sized exactly, so ASan catches any read past the end. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    struct icmp_reply r;
    enum icmp_reply_err err = icmp_reply_parse(copy, size, &r);
    if ((unsigned)err >= ICMP_REPLY_E_COUNT)
        abort();
    if (r.n_objs > ICMP_REPLY_MAX_OBJS || r.n_labels > ICMP_REPLY_MAX_LABELS)
        abort();
    for (unsigned i = 0; i < r.n_objs; i++)
        if (r.objs[i].first_label + r.objs[i].n_labels > r.n_labels || r.objs[i].length < 4)
            abort();
    unsigned n = 0;
    const struct icmp_mpls_entry *l = icmp_reply_mpls(&r, &n);
    for (unsigned i = 0; i < n; i++)
        if (l[i].label > 0xfffff || l[i].tc > 7 || l[i].s > 1)
            abort();
    if (err == ICMP_REPLY_OK && r.ip_len > size)
        abort();
    free(copy);
    return 0;
}
