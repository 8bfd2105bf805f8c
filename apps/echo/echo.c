/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * echo: the smallest useful network function, and the reference app for tests and the boot
 * benchmark. UDP and TCP echo on one port (7 by default); the stack answers pings. With
 * --hello IP:PORT it sends one UDP datagram at start (the "first packet" the boot benchmark
 * times); with --allow-exit a datagram "exit N" ends it with status N (for tests).
 * One source, built as a unikernel (proc, virtio) and as a native Linux program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#define MAX_PENDING (1024 * 1024)

struct options {
    uint16_t port;
    int hello;
    unf_ip4 hello_addr;
    uint16_t hello_port;
    int allow_exit;
};

struct conn {
    unf_tcp *tcp;
    char *pending; /* echoed bytes the send buffer could not take yet */
    size_t pending_len;
    int peer_closed; /* FIN seen: close once pending has gone out */
};

static struct options opts = {.port = 7};

static int parse_port(const char *text, uint16_t *port)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0' || v < 1 || v > 65535)
        return -1;
    *port = (uint16_t)v;
    return 0;
}

static int parse_endpoint(const char *text, unf_ip4 *addr, uint16_t *port)
{
    char host[32];
    const char *colon = strchr(text, ':');
    if (!colon || (size_t)(colon - text) >= sizeof(host))
        return -1;
    memcpy(host, text, (size_t)(colon - text));
    host[colon - text] = '\0';
    return unf_ip4_parse(host, addr) < 0 || parse_port(colon + 1, port) < 0 ? -1 : 0;
}

static int parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--port") == 0 && i + 1 < argc) {
            if (parse_port(argv[++i], &opts.port) < 0) {
                fprintf(stderr, "echo: bad port '%s'\n", argv[i]);
                return -1;
            }
        } else if (strcmp(a, "--hello") == 0 && i + 1 < argc) {
            if (parse_endpoint(argv[++i], &opts.hello_addr, &opts.hello_port) < 0) {
                fprintf(stderr, "echo: bad --hello '%s' (want IP:PORT)\n", argv[i]);
                return -1;
            }
            opts.hello = 1;
        } else if (strcmp(a, "--allow-exit") == 0) {
            opts.allow_exit = 1;
        } else {
            fprintf(stderr, "echo: unknown argument '%s' (usage: echo [--port N] [--hello IP:PORT] [--allow-exit])\n", a);
            return -1;
        }
    }
    return 0;
}

static void udp_echo(void *arg, unf_udp *sock, const void *data, size_t len, unf_ip4 src, uint16_t src_port)
{
    (void)arg;
    if (opts.allow_exit && len > 5 && len < 16 && memcmp(data, "exit ", 5) == 0) {
        char text[16];
        memcpy(text, data, len);
        text[len] = '\0';
        int status = atoi(text + 5) & 0xff;
        printf("echo: exit %d requested\n", status);
        unf_loop_exit(status);
        return;
    }
    unf_udp_sendto(sock, src, src_port, data, len);
}

static void conn_free(struct conn *c)
{
    free(c->pending);
    free(c);
}

/* Moves pending bytes into the send buffer; returns -1 when the connection broke. */
static int conn_flush(struct conn *c)
{
    if (c->pending_len == 0)
        return 0;
    long n = unf_tcp_write(c->tcp, c->pending, c->pending_len);
    if (n < 0)
        return -1;
    memmove(c->pending, c->pending + n, c->pending_len - (size_t)n);
    c->pending_len -= (size_t)n;
    return 0;
}

static void conn_close(struct conn *c)
{
    unf_tcp_close(c->tcp);
    conn_free(c);
}

static void tcp_data(void *arg, unf_tcp *tcp, const void *data, size_t len)
{
    struct conn *c = arg;
    (void)tcp;
    if (len == 0) {
        /* The peer may half-close right after its last bytes: echo them all before closing. */
        if (c->pending_len == 0)
            conn_close(c);
        else
            c->peer_closed = 1;
        return;
    }
    long n = c->pending_len ? 0 : unf_tcp_write(c->tcp, data, len);
    if (n < 0 || c->pending_len + (len - (size_t)n) > MAX_PENDING) {
        conn_close(c); /* the peer sends faster than it reads: drop it rather than grow */
        return;
    }
    size_t rest = len - (size_t)n;
    if (rest > 0) {
        char *grown = realloc(c->pending, c->pending_len + rest);
        if (!grown) {
            conn_close(c);
            return;
        }
        c->pending = grown;
        memcpy(c->pending + c->pending_len, (const char *)data + n, rest);
        c->pending_len += rest;
    }
}

static void tcp_sent(void *arg, unf_tcp *tcp)
{
    struct conn *c = arg;
    (void)tcp;
    if (conn_flush(c) < 0 || (c->peer_closed && c->pending_len == 0))
        conn_close(c);
}

static void tcp_error(void *arg, unf_tcp *tcp)
{
    (void)tcp;
    conn_free(arg); /* the connection is already gone */
}

static void tcp_accept(void *arg, unf_tcp *tcp)
{
    (void)arg;
    struct conn *c = calloc(1, sizeof(*c));
    if (!c) {
        unf_tcp_close(tcp);
        return;
    }
    c->tcp = tcp;
    unf_tcp_set_callbacks(tcp, tcp_data, tcp_sent, tcp_error, c);
}

int main(int argc, char **argv)
{
    if (parse_args(argc, argv) < 0)
        return 2;
    unf_udp *udp = unf_udp_open(opts.port, udp_echo, NULL);
    unf_tcp *tcp = unf_tcp_listen(opts.port, tcp_accept, NULL);
    if (!udp || !tcp) {
        fprintf(stderr, "echo: cannot listen on port %u\n", opts.port);
        return 1;
    }
    char ip[16] = "any";
    unf_ip4 addr;
    if (unf_net_addr(0, &addr, NULL, NULL) == 0)
        unf_ip4_format(addr, ip);
    printf("echo: listening on %s port %u (udp, tcp)\n", ip, opts.port);
    if (opts.hello) {
        static const char hello[] = "hello from echo";
        if (unf_udp_sendto(udp, opts.hello_addr, opts.hello_port, hello, sizeof(hello) - 1) < 0)
            fprintf(stderr, "echo: could not send the hello datagram\n");
    }
    int status = unf_loop_run();
    unf_udp_close(udp);
    unf_tcp_close(tcp);
    return status;
}
