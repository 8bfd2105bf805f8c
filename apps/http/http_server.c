/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Connections of the HTTP server (see http_server.h). Each connection has an input buffer of
 * bytes not yet answered and a small output stage: response heads and small bodies are gathered
 * there, several pipelined responses per write when they fit, while a body too big for the stage
 * is written afterwards straight from the archive, a send-buffer-full at a time. Responses are
 * composed only while nothing is being streamed, which keeps them in request order.
 */
#include "http_server.h"

#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "http_parse.h"
#include "http_response.h"

#define STAGE_SIZE 4096
#define IN_START 2048
#define IN_MAX 32768   /* more unanswered input than this: the client floods; drop it */
#define SEC 1000000000ull

struct conn {
    struct conn *prev, *next;
    unf_tcp *tcp;
    char *in;                 /* received bytes not yet consumed by a response */
    size_t in_len, in_cap;
    int parse_hint;           /* input changed in a way that may complete a request */
    int awaiting_body;        /* a parsed head waits for its body bytes */
    char stage[STAGE_SIZE];
    size_t st_off, st_len;    /* [st_off, st_len) still to write */
    const uint8_t *body;      /* large body streamed after the stage */
    size_t body_left;
    int closing;              /* answer no more requests; close once output is written */
    int peer_closed;
    int in_recv;              /* inside the receive callback of a data segment */
    unf_timer *close_timer;   /* a close deferred out of the receive callback */
    uint64_t progress_ns;     /* last byte received or accepted for sending */
    uint64_t request_ns;      /* first byte of the pending partial request, 0 when none */
};

static struct {
    struct http_server_config cfg;
    struct http_site site;
    unf_tcp *listener;
    unf_timer *sweep;
    struct conn *conns;
    unsigned nconns;
} srv;

static void update_date(void)
{
    uint64_t wall = unf_wall_ns() / SEC;
    if (wall > 946684800) /* a clock that knows the date (after 2000) */
        http_date_format(wall, srv.site.date);
    else
        srv.site.date[0] = '\0';
}

static void conn_free(struct conn *c)
{
    if (c->close_timer)
        unf_timer_cancel(c->close_timer);
    if (c->prev)
        c->prev->next = c->next;
    else
        srv.conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    srv.nconns--;
    free(c->in);
    free(c);
}

static void conn_close(struct conn *c)
{
    unf_tcp_close(c->tcp);
    conn_free(c);
}

static int output_pending(const struct conn *c)
{
    return c->st_off < c->st_len || c->body_left > 0;
}

/* Output went out. Inside the receive callback the segment's time was just taken, and timeouts
 * count in seconds: reading the clock again for every write would only cost time. */
static void note_progress(struct conn *c)
{
    if (!c->in_recv)
        c->progress_ns = unf_now_ns();
}

/* Writes the stage, then the streamed body. 1: all written; 0: send buffer full; -1: broken. */
static int flush(struct conn *c)
{
    while (c->st_off < c->st_len) {
        long n = unf_tcp_write(c->tcp, c->stage + c->st_off, c->st_len - c->st_off);
        if (n <= 0)
            return (int)n;
        c->st_off += (size_t)n;
        note_progress(c);
    }
    c->st_off = c->st_len = 0;
    while (c->body_left > 0) {
        long n = unf_tcp_write(c->tcp, c->body, c->body_left);
        if (n <= 0)
            return (int)n;
        c->body += n;
        c->body_left -= (size_t)n;
        note_progress(c);
    }
    return 1;
}

static void consume(struct conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->in_len - n);
    c->in_len -= n;
    c->request_ns = c->in_len ? unf_now_ns() : 0;
}

/* Adds the response to the next complete request to the stage. 1: added; 0: nothing to add
 * now (no complete request, or no room until the stage drains). */
static int compose_one(struct conn *c)
{
    struct http_request req;
    struct http_reply rep;
    char *dst = c->stage + c->st_len;
    size_t room = STAGE_SIZE - c->st_len;
    long n;

    int r = http_parse_request(c->in, c->in_len, &req);
    c->awaiting_body = r == HTTP_PARSE_OK && req.head_len + req.body_len > c->in_len;
    if (r == HTTP_PARSE_INCOMPLETE || c->awaiting_body) {
        c->parse_hint = 0;
        return 0;
    }
    if (r == HTTP_PARSE_OK)
        n = http_reply_request(&srv.site, &req, dst, room, &rep);
    else
        n = http_reply_error(&srv.site, r, 0, dst, room, &rep);
    if (n < 0 && c->st_len > 0)
        return 0; /* retried once the stage is empty */
    if (n < 0)
        n = http_reply_error(&srv.site, 500, 0, dst, room, &rep);
    if (n < 0) {
        c->closing = 1;
        return 0;
    }
    c->st_len += (size_t)n;
    if (rep.body_len <= STAGE_SIZE - c->st_len) {
        if (rep.body_len)
            memcpy(c->stage + c->st_len, rep.body, rep.body_len);
        c->st_len += rep.body_len;
    } else {
        c->body = rep.body;
        c->body_left = rep.body_len;
    }
    if (r == HTTP_PARSE_OK)
        consume(c, req.head_len + req.body_len);
    else
        consume(c, c->in_len); /* framing is lost after a malformed request */
    if (!rep.keep_alive)
        c->closing = 1;
    return 1;
}

static int compose(struct conn *c)
{
    int added = 0;
    while (!c->closing && c->body_left == 0 && c->parse_hint && compose_one(c))
        added++;
    return added;
}

static int pump(struct conn *c);

static void deferred_close(void *arg)
{
    struct conn *c = arg;
    c->close_timer = NULL; /* a fired one-shot timer is gone */
    (void)pump(c);
}

/* Answers what can be answered and writes what can be written. Returns -1 when it closed and
 * freed c, else 0. */
static int pump(struct conn *c)
{
    for (;;) {
        int added = compose(c);
        int r = flush(c);
        if (r < 0) {
            conn_close(c);
            return -1;
        }
        if (r == 0)
            return 0; /* the sent callback resumes */
        if (added == 0 && (c->closing || !c->parse_hint)) {
            if (!c->closing && !c->peer_closed)
                return 0;
            /* lwIP resets instead of closing when received data is not yet acknowledged to it,
             * which it is only after the receive callback: close from the loop instead. */
            if (c->in_recv && (c->close_timer || (c->close_timer = unf_timer_start(0, 0, deferred_close, c))))
                return 0;
            conn_close(c);
            return -1;
        }
    }
}

static void on_recv(void *arg, unf_tcp *tcp, const void *data, size_t len)
{
    struct conn *c = arg;
    (void)tcp;
    if (len == 0) {
        c->peer_closed = 1;
        (void)pump(c);
        return;
    }
    if (c->closing)
        return; /* the answer to a bad request is going out; ignore the rest */
    if (c->in_len + len > IN_MAX) {
        conn_close(c);
        return;
    }
    if (c->in_len + len > c->in_cap) {
        size_t cap = c->in_cap ? c->in_cap : IN_START;
        while (cap < c->in_len + len)
            cap *= 2;
        char *grown = realloc(c->in, cap);
        if (!grown) {
            conn_close(c);
            return;
        }
        c->in = grown;
        c->in_cap = cap;
    }
    memcpy(c->in + c->in_len, data, len);
    c->in_len += len;
    c->progress_ns = unf_now_ns();
    if (!c->request_ns)
        c->request_ns = c->progress_ns;
    /* Reparse only when a line ended, a limit may be crossed, or a body may be complete. */
    if (memchr(data, '\n', len) || c->in_len > HTTP_MAX_LINE || c->awaiting_body)
        c->parse_hint = 1;
    c->in_recv = 1;
    if (pump(c) == 0)
        c->in_recv = 0;
}

static void on_sent(void *arg, unf_tcp *tcp)
{
    (void)tcp;
    (void)pump(arg);
}

static void on_error(void *arg, unf_tcp *tcp)
{
    (void)tcp;
    conn_free(arg); /* the connection is already gone */
}

static void on_accept(void *arg, unf_tcp *tcp)
{
    (void)arg;
    struct conn *c = srv.nconns < srv.cfg.max_conns ? calloc(1, sizeof(*c)) : NULL;
    if (!c) {
        unf_tcp_close(tcp);
        return;
    }
    c->tcp = tcp;
    c->progress_ns = unf_now_ns();
    c->next = srv.conns;
    if (srv.conns)
        srv.conns->prev = c;
    srv.conns = c;
    srv.nconns++;
    unf_tcp_set_callbacks(tcp, on_recv, on_sent, on_error, c);
}

static int expired(uint64_t since, uint64_t now, unsigned seconds)
{
    return since && now - since > (uint64_t)seconds * SEC;
}

static void sweep(void *arg)
{
    (void)arg;
    uint64_t now = unf_now_ns();
    update_date();
    for (struct conn *c = srv.conns, *next; c; c = next) {
        next = c->next;
        if (output_pending(c)) {
            if (expired(c->progress_ns, now, srv.cfg.send_timeout_s))
                conn_close(c);
        } else if (c->in_len > 0) {
            if (expired(c->request_ns, now, srv.cfg.header_timeout_s))
                conn_close(c);
        } else if (expired(c->progress_ns, now, srv.cfg.idle_timeout_s)) {
            conn_close(c);
        }
    }
}

int http_server_start(const struct http_server_config *cfg)
{
    srv.cfg = *cfg;
    srv.site.last_modified = cfg->last_modified;
    /* Once here, so no request pays for hashing a large file; without memory each request
     * hashes its file instead. */
    if (http_site_hash_files(&srv.site) < 0)
        unf_log(UNF_LOG_WARN, "http: out of memory for the ETag table; hashing per request");
    update_date();
    srv.listener = unf_tcp_listen(cfg->port, on_accept, NULL);
    if (!srv.listener)
        return -1;
    srv.sweep = unf_timer_start(SEC, SEC, sweep, NULL);
    if (!srv.sweep) {
        unf_tcp_close(srv.listener);
        srv.listener = NULL;
        return -1;
    }
    return 0;
}

void http_server_stop(void)
{
    while (srv.conns)
        conn_close(srv.conns);
    if (srv.sweep)
        unf_timer_cancel(srv.sweep);
    if (srv.listener)
        unf_tcp_close(srv.listener);
    srv.sweep = NULL;
    srv.listener = NULL;
    http_site_free_hashes(&srv.site);
}
