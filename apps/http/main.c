/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * http: a static HTTP/1.1 server for the files of the image's archive (the app's files/ tree).
 * GET and HEAD, keep-alive and pipelining, Content-Type by extension, Last-Modified and
 * If-Modified-Since, ETag and If-None-Match, single byte ranges, index.html for directories.
 * Options: --port N (80), --last-modified EPOCH (the Last-Modified of files whose archive mtime
 * is 0, which is every file of an image `unf build` made; default 0: such files get no
 * Last-Modified, only their content ETag), --idle-timeout, --header-timeout and --send-timeout
 * in seconds, --max-conns N. One source, built as a unikernel (proc, virtio) and natively (the
 * native build serves the ustar named by $UNF_FILES).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "http_server.h"

static int parse_number(const char *text, unsigned long long lo, unsigned long long hi,
                        unsigned long long *out)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (*text < '0' || *text > '9' || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int count_file(void *arg, const struct unf_file *file)
{
    if (!file->is_dir)
        ++*(unsigned *)arg;
    return 0;
}

static int parse_args(int argc, char **argv, struct http_server_config *cfg)
{
    static const struct {
        const char *name;
        unsigned long long lo, hi;
    } opts[] = {
        {"--port", 1, 65535}, {"--last-modified", 0, 253402300799ull}, {"--idle-timeout", 1, 86400},
        {"--header-timeout", 1, 86400}, {"--send-timeout", 1, 86400}, {"--max-conns", 1, 1000000},
    };
    for (int i = 1; i < argc; i++) {
        size_t k = 0;
        while (k < sizeof(opts) / sizeof(opts[0]) && strcmp(argv[i], opts[k].name) != 0)
            k++;
        unsigned long long v;
        if (k == sizeof(opts) / sizeof(opts[0]) || i + 1 >= argc) {
            fprintf(stderr, "http: unknown argument '%s' (usage: http [--port N] [--last-modified EPOCH] "
                            "[--idle-timeout S] [--header-timeout S] [--send-timeout S] [--max-conns N])\n", argv[i]);
            return -1;
        }
        if (parse_number(argv[++i], opts[k].lo, opts[k].hi, &v) < 0) {
            fprintf(stderr, "http: bad value '%s' for %s (%llu..%llu)\n", argv[i], opts[k].name, opts[k].lo, opts[k].hi);
            return -1;
        }
        switch (k) {
        case 0: cfg->port = (uint16_t)v; break;
        case 1: cfg->last_modified = v; break;
        case 2: cfg->idle_timeout_s = (unsigned)v; break;
        case 3: cfg->header_timeout_s = (unsigned)v; break;
        case 4: cfg->send_timeout_s = (unsigned)v; break;
        default: cfg->max_conns = (unsigned)v; break;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct http_server_config cfg = {.port = 80, .last_modified = 0, .idle_timeout_s = 15,
                                     .header_timeout_s = 10, .send_timeout_s = 30, .max_conns = 4096};
    if (parse_args(argc, argv, &cfg) < 0)
        return 2;
    if (http_server_start(&cfg) < 0) {
        fprintf(stderr, "http: cannot listen on port %u\n", cfg.port);
        return 1;
    }
    unsigned files = 0;
    unf_file_foreach(count_file, &files);
    char ip[16] = "any";
    unf_ip4 addr;
    if (unf_net_addr(0, &addr, NULL, NULL) == 0)
        unf_ip4_format(addr, ip);
    printf("http: listening on %s port %u (%u files)\n", ip, cfg.port, files);
    int status = unf_loop_run();
    http_server_stop();
    return status;
}
