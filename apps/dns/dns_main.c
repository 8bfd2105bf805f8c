/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dns: an authoritative DNS server over UDP and TCP. Zones come from the image's file archive
 * (`--zone FILE`, repeatable; by default every *.zone file in it); a zone error names the file
 * and line and ends the program with status 2. One source, built as a unikernel (proc, virtio)
 * and as a native Linux program; answers are built by dns_answer.c.
 *   dns [--zone FILE]... [--port N] [--tcp-idle SECONDS]   (TCP connections idle that long
 *                                                          are closed; default 30)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "dns_answer.h"
#include "dns_axfr.h"
#include "dns_zparse.h"

#define MAX_ZONE_ARGS 64
#define TCP_MAX_PENDING (256 * 1024) /* answers a client has not read yet, per connection */
#define TCP_MAX_CONNS 256

struct tcp_conn {
    struct tcp_conn *prev, *next; /* all open connections, for the idle sweep */
    uint64_t last_active_ns;
    unf_tcp *tcp;
    uint8_t *in;          /* received bytes not yet a whole message */
    size_t in_len;
    uint8_t *out;         /* framed answers the send buffer could not take yet */
    size_t out_len;
    int peer_closed;
    struct dns_axfr *xfr; /* a zone transfer under way: later queries wait for its end */
};

static struct dns_zoneset zones;
static uint16_t port = 53;
static uint64_t tcp_idle_ns = 30ull * 1000000000ull; /* RFC 7766 6.2.3: close idle connections */
static unsigned tcp_conns;
static struct tcp_conn *conn_list;
static uint8_t answer_buf[2 + 65535];
static struct dns_cache udp_cache; /* UDP responses by query: see dns_answer.h */

/* ---- zones ------------------------------------------------------------------------------ */

static int load_zone(const char *path)
{
    struct unf_file f;
    if (unf_file_find(path, &f) < 0 || f.is_dir) {
        fprintf(stderr, "dns: %s: no such file in the image's archive\n", path);
        return -1;
    }
    /* A file named ORIGIN.zone starts with $ORIGIN ORIGIN, so it may use relative names. */
    uint8_t origin[DNS_NAME_MAX];
    const char *base = strrchr(f.path, '/') ? strrchr(f.path, '/') + 1 : f.path;
    size_t blen = strlen(base);
    int have_origin = blen > 5 && strcmp(base + blen - 5, ".zone") == 0 &&
                      dns_name_from_text(base, blen - 5, (const uint8_t *)"", origin) == 0;
    char err[512];
    struct dns_zone *z = dns_zparse(f.path, f.data, f.size, have_origin ? origin : NULL, err, sizeof(err));
    if (!z) {
        fprintf(stderr, "dns: %s\n", err);
        return -1;
    }
    if (dns_zoneset_add(&zones, z) < 0) {
        char name[4 * DNS_NAME_MAX + 1];
        fprintf(stderr, "dns: %s:1: zone %s is already loaded from another file\n", f.path,
                dns_name_to_text(z->origin, name, sizeof(name)));
        dns_zone_free(z);
        return -1;
    }
    return 0;
}

static int visit_default(void *arg, const struct unf_file *f)
{
    int *count = arg;
    size_t len = strlen(f->path);
    if (f->is_dir || len <= 5 || strcmp(f->path + len - 5, ".zone") != 0)
        return 0;
    if (load_zone(f->path) < 0)
        return -1;
    (*count)++;
    return 0;
}

/* ---- UDP -------------------------------------------------------------------------------- */

static void udp_query(void *arg, unf_udp *sock, const void *data, size_t len, const unf_addr *src, uint16_t src_port)
{
    (void)arg;
    size_t n = dns_answer_cached(&udp_cache, &zones, data, len, answer_buf, sizeof(answer_buf));
    if (n > 0)
        unf_udp_send_addr(sock, src, src_port, answer_buf, n);
}

/* ---- TCP: 2-byte length framing, any number of queries per connection ------------------ */

static void conn_free(struct tcp_conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        conn_list = c->next;
    if (c->next)
        c->next->prev = c->prev;
    free(c->in);
    free(c->out);
    free(c->xfr);
    free(c);
    tcp_conns--;
}

static void conn_close(struct tcp_conn *c)
{
    unf_tcp_close(c->tcp);
    conn_free(c);
}

/* Sends framed bytes, queueing what the send buffer cannot take; -1 when the conn must go. */
static int conn_send(struct tcp_conn *c, const uint8_t *data, size_t len)
{
    long n = 0;
    if (c->out_len == 0 && (n = unf_tcp_write(c->tcp, data, len)) < 0)
        return -1;
    size_t rest = len - (size_t)n;
    if (rest == 0)
        return 0;
    if (c->out_len + rest > TCP_MAX_PENDING)
        return -1; /* the client sends queries but does not read answers */
    uint8_t *grown = realloc(c->out, c->out_len + rest);
    if (!grown)
        return -1;
    memcpy(grown + c->out_len, data + n, rest);
    c->out = grown;
    c->out_len += rest;
    return 0;
}

static int conn_flush(struct tcp_conn *c)
{
    if (c->out_len == 0)
        return 0;
    long n = unf_tcp_write(c->tcp, c->out, c->out_len);
    if (n < 0)
        return -1;
    memmove(c->out, c->out + n, c->out_len - (size_t)n);
    c->out_len -= (size_t)n;
    return 0;
}

/* Sends the transfer's next messages while the send buffer takes them whole, so a zone of any
 * size streams with at most one message queued; -1 when the conn must go. */
static int conn_pump_xfr(struct tcp_conn *c)
{
    while (c->xfr && c->out_len == 0) {
        size_t n = dns_axfr_next(c->xfr, answer_buf + 2, sizeof(answer_buf) - 2);
        if (n == 0) {
            free(c->xfr);
            c->xfr = NULL;
            break;
        }
        answer_buf[0] = (uint8_t)(n >> 8);
        answer_buf[1] = (uint8_t)n;
        if (conn_send(c, answer_buf, n + 2) < 0)
            return -1;
    }
    return 0;
}

/* Answers every whole message at the front of in; returns -1 when the conn must go. */
static int conn_process(struct tcp_conn *c)
{
    size_t p = 0;
    while (!c->xfr && c->in_len - p >= 2) {
        size_t mlen = ((size_t)c->in[p] << 8) | c->in[p + 1];
        if (c->in_len - p < 2 + mlen)
            break;
        struct dns_axfr x;
        if (dns_axfr_start(&zones, c->in + p + 2, mlen, &x)) {
            p += 2 + mlen;
            c->xfr = malloc(sizeof(x));
            if (!c->xfr)
                return -1;
            memcpy(c->xfr, &x, sizeof(x));
            if (conn_pump_xfr(c) < 0)
                return -1;
            continue;
        }
        size_t n = dns_answer(&zones, c->in + p + 2, mlen, 1, answer_buf + 2, sizeof(answer_buf) - 2);
        p += 2 + mlen;
        if (n == 0)
            continue;
        answer_buf[0] = (uint8_t)(n >> 8);
        answer_buf[1] = (uint8_t)n;
        if (conn_send(c, answer_buf, n + 2) < 0)
            return -1;
    }
    memmove(c->in, c->in + p, c->in_len - p);
    c->in_len -= p;
    return 0;
}

static void tcp_data(void *arg, unf_tcp *tcp, const void *data, size_t len)
{
    struct tcp_conn *c = arg;
    (void)tcp;
    c->last_active_ns = unf_now_ns();
    if (len == 0) {
        if (c->out_len == 0 && !c->xfr)
            conn_close(c);
        else
            c->peer_closed = 1;
        return;
    }
    /* At most one incomplete message is ever kept, so in never exceeds 2 + 65535 + len, except
     * during a transfer, when whole queries wait too: a bounded number of them. */
    if (c->xfr && c->in_len + len > TCP_MAX_PENDING) {
        conn_close(c);
        return;
    }
    uint8_t *grown = realloc(c->in, c->in_len + len);
    if (!grown) {
        conn_close(c);
        return;
    }
    c->in = grown;
    memcpy(c->in + c->in_len, data, len);
    c->in_len += len;
    if (conn_process(c) < 0)
        conn_close(c);
}

static void tcp_sent(void *arg, unf_tcp *tcp)
{
    struct tcp_conn *c = arg;
    (void)tcp;
    c->last_active_ns = unf_now_ns();
    if (conn_flush(c) < 0) {
        conn_close(c);
        return;
    }
    if (c->xfr) {
        /* More of the transfer, then the queries that waited for its end. */
        if (conn_pump_xfr(c) < 0 || (!c->xfr && conn_process(c) < 0)) {
            conn_close(c);
            return;
        }
    }
    if (c->peer_closed && c->out_len == 0 && !c->xfr)
        conn_close(c);
}

static void tcp_error(void *arg, unf_tcp *tcp)
{
    (void)tcp;
    conn_free(arg);
}

static void tcp_accept(void *arg, unf_tcp *tcp)
{
    (void)arg;
    struct tcp_conn *c = tcp_conns < TCP_MAX_CONNS ? calloc(1, sizeof(*c)) : NULL;
    if (!c) {
        unf_tcp_close(tcp);
        return;
    }
    tcp_conns++;
    c->tcp = tcp;
    c->last_active_ns = unf_now_ns();
    c->next = conn_list;
    if (conn_list)
        conn_list->prev = c;
    conn_list = c;
    unf_tcp_set_callbacks(tcp, tcp_data, tcp_sent, tcp_error, c);
}

/* Closes connections silent for --tcp-idle seconds, so idle clients cannot hold every slot. */
static void idle_sweep(void *arg)
{
    (void)arg;
    uint64_t now = unf_now_ns();
    struct tcp_conn *c = conn_list;
    while (c) {
        struct tcp_conn *next = c->next;
        if (now - c->last_active_ns > tcp_idle_ns)
            conn_close(c);
        c = next;
    }
}

/* ---- main ------------------------------------------------------------------------------- */

static int parse_args(int argc, char **argv, const char **zone_args, int *nzones)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--zone") == 0 && i + 1 < argc) {
            if (*nzones == MAX_ZONE_ARGS) {
                fprintf(stderr, "dns: at most %d --zone options\n", MAX_ZONE_ARGS);
                return -1;
            }
            zone_args[(*nzones)++] = argv[++i];
        } else if (strcmp(argv[i], "--port") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end != '\0' || v < 1 || v > 65535) {
                fprintf(stderr, "dns: bad port '%s'\n", argv[i]);
                return -1;
            }
            port = (uint16_t)v;
        } else if (strcmp(argv[i], "--tcp-idle") == 0 && i + 1 < argc) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*argv[i] == '\0' || *end != '\0' || v < 1 || v > 3600) {
                fprintf(stderr, "dns: bad --tcp-idle '%s' (seconds, 1..3600)\n", argv[i]);
                return -1;
            }
            tcp_idle_ns = (uint64_t)v * 1000000000ull;
        } else {
            fprintf(stderr, "dns: unknown argument '%s' (usage: dns [--zone FILE]... [--port N] [--tcp-idle SECONDS])\n", argv[i]);
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *zone_args[MAX_ZONE_ARGS];
    int nzones = 0;
    if (parse_args(argc, argv, zone_args, &nzones) < 0)
        return 2;
    if (nzones > 0) {
        for (int i = 0; i < nzones; i++)
            if (load_zone(zone_args[i]) < 0)
                return 2;
    } else {
        if (unf_file_foreach(visit_default, &nzones) != 0)
            return 2;
        if (nzones == 0) {
            fprintf(stderr, "dns: no --zone given and no *.zone file in the image's archive\n");
            return 2;
        }
    }
    size_t records = 0;
    for (const struct dns_zone *z = zones.zones; z; z = z->next)
        records += z->nrecords;
    /* Both families: IPv6 clients are served wherever the NIC has an IPv6 address. */
    unf_udp *udp = unf_udp_open_dual(port, udp_query, NULL);
    unf_tcp *tcp = unf_tcp_listen_dual(port, tcp_accept, NULL);
    if (!udp || !tcp) {
        fprintf(stderr, "dns: cannot listen on port %u\n", port);
        return 1;
    }
    unf_timer *sweep = unf_timer_start(1000000000ull, 1000000000ull, idle_sweep, NULL);
    if (!sweep) {
        fprintf(stderr, "dns: out of memory\n");
        return 1;
    }
    char ip[16] = "any", ip6[UNF_ADDR_TEXT + 6] = "";
    unf_ip4 addr;
    unf_addr addr6;
    if (unf_net_addr(0, &addr, NULL, NULL) == 0)
        unf_ip4_format(addr, ip);
    if (unf_net_addr6(0, &addr6, NULL) == 0) {
        strcpy(ip6, " and ");
        unf_addr_format(&addr6, ip6 + 5);
    }
    printf("dns: serving %d zone(s), %zu records, on %s%s port %u (udp, tcp)\n", nzones, records, ip, ip6, port);
    int status = unf_loop_run();
    unf_timer_cancel(sweep);
    unf_udp_close(udp);
    unf_tcp_close(tcp);
    dns_cache_free(&udp_cache);
    dns_zoneset_free(&zones);
    return status;
}
