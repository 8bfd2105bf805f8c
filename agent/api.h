/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's HTTP API (contract v1, docs/ORCHESTRATION.md "Agent API"): libmicrohttpd, one
 * thread per connection (a deploy blocks its request until the instance runs, a wait or a
 * followed log blocks for long), JSON bodies by jansson, errors as {"error":"one line"}. It
 * listens on a socket main.c made (unix or TCP); with a token every request must carry
 * `Authorization: Bearer <token>`.
 */
#ifndef AGENT_API_H
#define AGENT_API_H

struct api_config {
    int listen_fd;              /* bound and listening */
    const char *token;          /* NULL: no authentication (unix socket) */
    const char *name, *arch, *version;
};

/* Starts serving; 0, or -1 with a message on stderr. */
int api_start(const struct api_config *cfg);
/* Stops accepting, ends long-polls and streams, joins the connection threads. */
void api_stop(void);

#endif
