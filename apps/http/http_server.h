/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The HTTP server proper: accepts TCP connections, feeds received bytes to the request parser,
 * answers requests strictly in order (pipelining), and streams file bodies straight from the
 * archive as the TCP send buffer drains (the sent callback), so a large file is never copied
 * whole. A once-a-second sweep closes idle keep-alive connections, clients too slow to finish a
 * request head, and clients that stop reading.
 */
#ifndef HTTP_SERVER_H
#define HTTP_SERVER_H

#include <stdint.h>

struct http_server_config {
    uint16_t port;
    uint64_t last_modified;   /* Last-Modified for archive entries with mtime 0 */
    unsigned idle_timeout_s;  /* keep-alive connection without a request */
    unsigned header_timeout_s; /* from a request's first byte to its complete head (and body) */
    unsigned send_timeout_s;  /* output pending without any progress */
    unsigned max_conns;       /* beyond this, new connections are closed at once */
};

/* Listens and arms the sweep timer; 0, or -1 when the port cannot be bound. */
int http_server_start(const struct http_server_config *cfg);
void http_server_stop(void);

#endif
