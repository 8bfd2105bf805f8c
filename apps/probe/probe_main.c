/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe: traceroute (Paris), ping and TNT (MPLS tunnel discovery) as one network function.
 *   probe [--text] [--pps N] [-S SRC] [-C CONCURRENCY] [-F FILE] COMMAND [options] DST...
 *   trace [-P icmp-paris|udp-paris|icmp|udp|tcp] [-f first] [-m max] [-q attempts] [-w wait]
 *         [-g gaplimit] [-p dport]
 *   ping  [-c N] [-w wait]
 *   tnt   [-r rtla] [-f frpla] [-b] [--private] [-c pings] [-m max] [-q attempts] [-w wait]
 * Targets come from the command line and/or a file of the image's archive (-F, one address
 * per line, '#' comments). Output: JSON Lines on stdout (one object per trace or ping), or the
 * TNT-style text with --text; a summary line on stderr. Exit 0 on success, 2 on bad usage.
 * One source, built as a unikernel (proc, virtio) and as a native Linux program.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unf/unf.h>

#include "probe_engine.h"
#include "probe_output.h"
#include "probe_tnt.h"

enum command { CMD_TRACE, CMD_PING, CMD_TNT };

struct app {
    enum command cmd;
    int text;
    unsigned pps;
    int concurrency;
    uint32_t src;
    struct probe_tnt_cfg cfg;  /* cfg.trace doubles as the trace command's parameters */
    int ping_count, ping_wait_ms;
    uint32_t *targets;
    size_t n_targets, cap_targets, next_target;
    int running;
    struct probe_engine *engine;
    struct probe_output_buf out;
    uint64_t start_ns;
    size_t done_targets;
};

static struct app app;

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "probe: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (usage: probe [--text] [--pps N] [-F FILE] trace|ping|tnt [options] DST...)\n");
    return -1;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int add_target(uint32_t a)
{
    if (app.n_targets == app.cap_targets) {
        size_t cap = app.cap_targets ? app.cap_targets * 2 : 16;
        uint32_t *grown = realloc(app.targets, cap * sizeof(*grown));
        if (!grown)
            return -1;
        app.targets = grown;
        app.cap_targets = cap;
    }
    app.targets[app.n_targets++] = a;
    return 0;
}

/* One address per line; blank lines and '#' comments are skipped. */
static int load_file(const char *path)
{
    struct unf_file f;
    if (unf_file_find(path, &f) < 0 || f.is_dir)
        return usage("cannot find target file '%s' in the image's files", path);
    const char *p = f.data, *end = p + f.size;
    int line = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        char buf[64];
        size_t len = 0;
        line++;
        for (const char *c = p; c < stop && *c != '#'; c++)
            if (*c != ' ' && *c != '\t' && *c != '\r' && len < sizeof(buf) - 1)
                buf[len++] = *c;
        buf[len] = '\0';
        p = nl ? nl + 1 : end;
        if (len == 0)
            continue;
        unf_ip4 a;
        if (unf_ip4_parse(buf, &a) < 0) {
            fprintf(stderr, "probe: %s line %d: bad address '%s'\n", path, line, buf);
            return -1;
        }
        if (add_target(a) < 0)
            return -1;
    }
    return 0;
}

/* Options of the chosen command; returns the index of the first target, -1 on bad usage. */
static int parse_command_opts(int argc, char **argv, int i)
{
    struct probe_params *p = &app.cfg.trace;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int n, bad = 0;
        if (a[0] != '-')
            return i;
        if (strcmp(a, "--private") == 0 && app.cmd == CMD_TNT) {
            app.cfg.opts.allow_private = 1;
            continue;
        }
        if (strcmp(a, "-b") == 0 && app.cmd == CMD_TNT) {
            app.cfg.opts.brute_force = 1;
            continue;
        }
        if (!v)
            return usage("option '%s' needs a value", a);
        i++;
        if (strcmp(a, "-P") == 0 && app.cmd == CMD_TRACE)
            bad = probe_method_parse(v, &p->method);
        else if (strcmp(a, "-f") == 0 && app.cmd == CMD_TRACE)
            bad = parse_int(v, 1, 255, &p->first_ttl);
        else if (strcmp(a, "-f") == 0 && app.cmd == CMD_TNT)
            bad = parse_int(v, 0, 255, &app.cfg.opts.frpla_threshold);
        else if (strcmp(a, "-r") == 0 && app.cmd == CMD_TNT)
            bad = parse_int(v, 0, 255, &app.cfg.opts.rtla_threshold);
        else if (strcmp(a, "-m") == 0 && app.cmd != CMD_PING)
            bad = parse_int(v, 1, 255, &p->max_ttl);
        else if (strcmp(a, "-q") == 0 && app.cmd != CMD_PING)
            bad = parse_int(v, 1, 10, &p->attempts);
        else if (strcmp(a, "-g") == 0 && app.cmd != CMD_PING)
            bad = parse_int(v, 1, 255, &p->gap_limit);
        else if (strcmp(a, "-p") == 0 && app.cmd == CMD_TRACE)
            bad = parse_int(v, 1, 65535, &n) || (p->dport = (uint16_t)n, 0);
        else if (strcmp(a, "-w") == 0)
            bad = parse_int(v, 1, 60, &n) || (p->wait_ms = app.ping_wait_ms = n * 1000, 0);
        else if (strcmp(a, "-c") == 0 && app.cmd != CMD_TRACE)
            bad = parse_int(v, 1, 100000, &app.ping_count);
        else
            return usage("unknown option '%s' for this command", a);
        if (bad)
            return usage("bad value '%s'", v);
    }
    return i;
}

static int parse_args(int argc, char **argv)
{
    int i = 1;
    const char *file = NULL;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int n;
        if (strcmp(a, "--text") == 0) {
            app.text = 1;
        } else if (strcmp(a, "--json") == 0) {
            app.text = 0;
        } else if ((strcmp(a, "--pps") == 0) && v) {
            if (parse_int(v, 0, 10000000, &n) < 0)
                return usage("bad --pps '%s'", v);
            app.pps = (unsigned)n;
            i++;
        } else if (strcmp(a, "-C") == 0 && v) {
            if (parse_int(v, 1, PROBE_ENGINE_MAX_JOBS / 4, &app.concurrency) < 0)
                return usage("bad concurrency '%s'", v);
            i++;
        } else if (strcmp(a, "-S") == 0 && v) {
            if (unf_ip4_parse(v, &app.src) < 0)
                return usage("bad source address '%s'", v);
            i++;
        } else if (strcmp(a, "-F") == 0 && v) {
            file = argv[++i];
        } else {
            return usage("unknown option '%s'", a);
        }
    }
    if (i >= argc)
        return usage("%s", "missing command");
    if (strcmp(argv[i], "trace") == 0)
        app.cmd = CMD_TRACE;
    else if (strcmp(argv[i], "ping") == 0)
        app.cmd = CMD_PING;
    else if (strcmp(argv[i], "tnt") == 0)
        app.cmd = CMD_TNT;
    else
        return usage("unknown command '%s'", argv[i]);
    i = parse_command_opts(argc, argv, i + 1);
    if (i < 0)
        return -1;
    if (app.cfg.trace.dport == 0)
        app.cfg.trace.dport = app.cfg.trace.method == PROBE_TCP ? 80 : 33435;
    if (app.cfg.trace.first_ttl > app.cfg.trace.max_ttl)
        return usage("%s", "first TTL above max TTL");
    for (int k = 0; k < argc - i; k++) {
        unf_ip4 a;
        if (unf_ip4_parse(argv[i + k], &a) < 0)
            return usage("bad destination '%s' (want an IPv4 address)", argv[i + k]);
        if (add_target(a) < 0)
            return -1;
    }
    if (file && load_file(file) < 0)
        return -1;
    if (app.n_targets == 0)
        return usage("%s", "no destination");
    return 0;
}

static void defaults(void)
{
    struct probe_params *p = &app.cfg.trace;
    p->method = PROBE_ICMP_PARIS;
    p->first_ttl = 1;
    p->max_ttl = 30;
    p->attempts = 3;
    p->wait_ms = 1000;
    p->gap_limit = 5;
    p->dport = 0; /* chosen per method after parsing */
    tnt_opts_default(&app.cfg.opts);
    app.ping_count = 3;
    app.ping_wait_ms = 1000;
    app.concurrency = 32;
}

/* --- running targets --- */
static void start_next(void);

static void emit(void)
{
    if (app.out.len)
        fwrite(app.out.data, 1, app.out.len, stdout);
    fflush(stdout);
    probe_output_reset(&app.out);
}

static void one_done(void)
{
    app.running--;
    app.done_targets++;
    start_next();
}

static void trace_done(void *arg, struct probe_trace_result *t)
{
    (void)arg;
    if (app.text)
        probe_output_trace_text(&app.out, t, NULL);
    else
        probe_output_trace_json(&app.out, t, NULL);
    emit();
    one_done();
}

static void ping_done(void *arg, struct probe_ping_result *p)
{
    (void)arg;
    if (app.text)
        probe_output_ping_text(&app.out, p);
    else
        probe_output_ping_json(&app.out, p);
    emit();
    one_done();
}

static void tnt_done(void *arg, struct probe_tnt_result *r)
{
    (void)arg;
    if (app.text)
        probe_output_trace_text(&app.out, &r->trace, r);
    else
        probe_output_trace_json(&app.out, &r->trace, r);
    emit();
    probe_tnt_result_free(r);
    one_done();
}

static void start_next(void)
{
    while (app.running < app.concurrency && app.next_target < app.n_targets) {
        uint32_t dst = app.targets[app.next_target++];
        int rc;
        app.running++;
        if (app.cmd == CMD_PING) {
            rc = probe_engine_ping(app.engine, dst, app.ping_count, app.ping_wait_ms, ping_done, NULL);
        } else if (app.cmd == CMD_TNT) {
            rc = probe_tnt_start(app.engine, &app.cfg, dst, tnt_done, NULL);
        } else {
            struct probe_params p = app.cfg.trace;
            p.dst = dst;
            rc = probe_engine_trace(app.engine, &p, trace_done, NULL);
        }
        if (rc < 0) {
            char a[16];
            fprintf(stderr, "probe: could not start probing %s\n", unf_ip4_format(dst, a));
            app.running--;
            app.done_targets++;
        }
    }
    if (app.running == 0 && app.next_target >= app.n_targets)
        unf_loop_exit(0);
}

/* The first probes of many concurrent jobs would all wait for the gateway's ARP entry, and an
 * IP stack queues only a few packets per unresolved entry: resolve it with one ping first. */
static void primed(void *arg, struct probe_ping_result *p)
{
    (void)arg;
    (void)p;
    start_next();
}

static void summary(void)
{
    const struct probe_engine_stats *s = probe_engine_stats(app.engine);
    uint64_t elapsed_ms = (unf_now_ns() - app.start_ns) / 1000000;
    uint64_t malformed = 0;
    for (int i = 1; i < ICMP_REPLY_E_COUNT; i++)
        if (i != ICMP_REPLY_E_TYPE)
            malformed += s->malformed[i];
    fprintf(stderr, "probe: %u targets, %llu probes sent, %llu replies (%llu matched, %llu late, "
                    "%llu unmatched), %llu malformed, %llu ms, %llu pps\n",
            (unsigned)app.done_targets, (unsigned long long)s->sent, (unsigned long long)s->replies,
            (unsigned long long)s->matched, (unsigned long long)s->late,
            (unsigned long long)s->unmatched, (unsigned long long)malformed,
            (unsigned long long)elapsed_ms,
            (unsigned long long)(elapsed_ms ? s->sent * 1000 / elapsed_ms : s->sent));
    for (int i = 1; i < ICMP_REPLY_E_COUNT; i++)
        if (i != ICMP_REPLY_E_TYPE && s->malformed[i])
            fprintf(stderr, "probe: malformed %s: %llu\n", icmp_reply_err_name((enum icmp_reply_err)i),
                    (unsigned long long)s->malformed[i]);
}

int main(int argc, char **argv)
{
    defaults();
    if (parse_args(argc, argv) < 0)
        return 2;
    if (!app.src)
        unf_net_addr(0, &app.src, NULL, NULL);
    if (app.cfg.trace.method == PROBE_TCP && !app.src) {
        fprintf(stderr, "probe: tcp probes need a source address (-S)\n");
        return 2;
    }
    app.engine = probe_engine_new(app.src, app.pps);
    if (!app.engine) {
        fprintf(stderr, "probe: cannot open a raw IPv4 socket (needs CAP_NET_RAW natively)\n");
        return 1;
    }
    app.cfg.ping_count = app.ping_count;
    app.cfg.ping_wait_ms = app.ping_wait_ms;
    probe_output_init(&app.out);
    app.start_ns = unf_now_ns();
    if (app.concurrency == 1 || app.n_targets == 1 ||
        probe_engine_ping(app.engine, app.targets[0], 1, 1000, primed, NULL) < 0)
        start_next();
    int status = unf_loop_run();
    summary();
    probe_engine_free(app.engine);
    probe_output_free(&app.out);
    probe_tnt_cache_clear();
    free(app.targets);
    return status;
}
