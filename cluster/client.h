/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent API client (docs/ORCHESTRATION.md, "Agent API"): HTTP/1.1 with JSON bodies to one
 * unfd, over its unix socket (url "unix:/path.sock") or TCP ("http://ADDR:PORT", with the
 * Bearer token read from a file). One client per thread: a client owns one curl handle, which
 * keeps its connection between requests. curl_global_init() must have run before any thread.
 */
#ifndef CLUSTER_CLIENT_H
#define CLUSTER_CLIENT_H

#include <jansson.h>
#include <stddef.h>

struct client {
    char base[512];             /* "http://localhost" for a unix socket, else the URL */
    char socket[512];           /* "" for TCP */
    char auth[320];             /* "Authorization: Bearer ..." or "" */
    void *curl;
};

/* 0, or -1 with a one-line reason (bad URL, unreadable token file). */
int client_init(struct client *c, const char *url, const char *token_file, char *err, size_t errlen);
void client_free(struct client *c);

/* One request. Returns the HTTP status (>= 100), or -1 when the agent could not be reached or
 * did not answer in time (err says why). *body (may be NULL) gets the response, NUL-terminated,
 * malloc'ed. `json` (may be NULL) is sent as the request body. */
long client_call(struct client *c, const char *method, const char *path, const json_t *json,
                 long timeout_ms, char **body, char *err, size_t errlen);

/* client_call, with the response parsed as JSON into *out (NULL when not JSON). A non-2xx
 * answer's {"error": "..."} lands in err. */
long client_call_json(struct client *c, const char *method, const char *path, const json_t *json,
                      long timeout_ms, json_t **out, char *err, size_t errlen);

/* Reads a token file's first line (whitespace trimmed) into buf; 0 or -1 with err. */
int client_read_token(const char *file, char *buf, size_t len, char *err, size_t errlen);

#endif
