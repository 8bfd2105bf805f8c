/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe_output: renders results as JSON Lines (one object per trace or ping, the machine
 * format) and as the TNT-style text lines of the specification (--text). Writes into a
 * growable buffer so the caller decides where it goes; no I/O here.
 */
#ifndef PROBE_OUTPUT_H
#define PROBE_OUTPUT_H

#include <stddef.h>

#include "probe_result.h"

struct probe_output_buf {
    char *data;
    size_t len, cap;
    int failed; /* an allocation failed; data holds what fitted */
};

void probe_output_init(struct probe_output_buf *b);
void probe_output_free(struct probe_output_buf *b);
void probe_output_reset(struct probe_output_buf *b);
void probe_output_printf(struct probe_output_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The annotation list of a hop, e.g. "MPLS,INV,LSR,RTLA,DPR,step=1" ("" when none). */
void probe_output_flags(const struct tnt_hop *h, char *out, size_t size);
/* One text line (with '\n') for a hop, in the spec's format. */
void probe_output_hop_text(struct probe_output_buf *b, const struct tnt_hop *h);

/* One JSON object + '\n'. tnt may be NULL (a plain trace). */
void probe_output_trace_json(struct probe_output_buf *b, const struct probe_trace_result *t,
                             const struct probe_tnt_result *tnt);
void probe_output_ping_json(struct probe_output_buf *b, const struct probe_ping_result *p);
/* Text: a header line then one line per hop (the TNT hops when tnt is given). */
void probe_output_trace_text(struct probe_output_buf *b, const struct probe_trace_result *t,
                             const struct probe_tnt_result *tnt);
void probe_output_ping_text(struct probe_output_buf *b, const struct probe_ping_result *p);

#endif
