/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf bench fw` (see fw.h): options, the classifier measurements and the Markdown report,
 * written to stdout and to OUT/fw-STAMP.md (default build/bench/). Every number comes from
 * this run: rule sets and traces are generated with a fixed seed, and each classifier answer
 * on a sample of the trace is checked against the linear scan before its speed is reported.
 */
#include "fw.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../apps/firewall/fw_classify.h"
#include "fw_e2e.h"
#include "fw_gen.h"
#include "fw_peer.h"
#include "harness.h"
#include "sys.h"

#define MAX_SIZES 12
#define MAX_GRANS 6
#define TRACE_KEYS (1u << 20)
#define LINEAR_BUDGET 3e8   /* rule comparisons the linear scan may spend per size */
#define RUN_MS 2000         /* longest timed run */
#define E2E_RUNS_MAX 5      /* repetitions of the whole end-to-end part */

struct fw_opts {
    long sizes[MAX_SIZES];
    int nsizes;
    unsigned grans[MAX_GRANS];
    int ngrans;
    long lookups;
    uint64_t seed;
    int e2e;
    int e2e_runs;
    struct bench_fw_e2e_opts e;
    int peer;
    struct bench_fw_peer_opts p;
    const char *out;
};

struct cls_row {
    long rules;
    const char *name;    /* "tuple space g=8", "linear scan" */
    int linear;          /* the first-match linear scan */
    unsigned gran;       /* classes every gran lengths; 0: the firewall's default classes */
    unsigned tables;
    double build_ms;
    double mib;
    double lookups_per_s;
    double burst_per_s;  /* the same trace through fw_classify_burst, 256 keys per call */
    double miss_per_s;   /* on traffic no rule matches (the end-to-end test's flows) */
    long checked, agreed;
    long matched;        /* lookups that hit a rule (not the default) */
};

static void usage(FILE *f)
{
    fprintf(f, "usage: unf bench fw [--sizes N,N...] [--gran G,G...] [--lookups N] [--seed N] [--no-e2e]\n"
               "                    [--e2e-rules N,N...] [--e2e-runs N] [--e2e-mem MIB] [--nft-max N] [--seconds S]\n"
               "                    [--out DIR]\n"
               "                    [--no-peer] [--profiles acl,fw,ipc] [--peer-sizes N,N...] [--rounds N]\n"
               "                    [--peer-timeout S] [--cpu N] [--verify-max N] [--updates N] [--update-rules N]\n"
               "  defaults: --sizes 1,10,100,1000,10000,100000,1000000 --gran 1,8,0 --lookups 2000000 --seed 1\n"
               "            --profiles acl,fw,ipc --peer-sizes 10000,100000 --rounds 3 --peer-timeout 400\n"
               "            --cpu (the last one) --verify-max 100000 --updates 200000 --update-rules 100000\n"
               "  the peer part (against DPDK rte_acl) needs dpdk-test-acl (Debian: dpdk); at 1M rules\n"
               "  (--peer-sizes 1000000) its build takes minutes and 12-17 GiB per process; --updates 0 skips the\n"
               "  in-place update measurement\n"
               "            --e2e-rules 1,10000,100000,1000000 --nft-max 100000 --seconds 5 --out build/bench\n"
               "  --gran: tuple classes every G prefix lengths (1 = classic tuple space search); 0 = the\n"
               "          firewall's default classes {0-7, 8-15, 16-23, 24-32}\n"
               "  the end-to-end part needs root, build/bin/unf-proc, build/kernels/firewall/x86_64-proc,\n"
               "  iperf3, ping and nft\n");
}

static int bad_usage(const char *what, const char *arg)
{
    fprintf(stderr, "unf bench: fw: %s, got '%s' (try 'unf bench fw --help')\n", what, arg ? arg : "");
    return 2;
}

static int parse_list(const char *s, long lo, long hi, long *out, int max, int *n)
{
    char buf[256];
    if (!s || snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
        return -1;
    char *save = NULL;
    *n = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (*n == max || bench_parse_long(t, lo, hi, &out[*n]) < 0)
            return -1;
        (*n)++;
    }
    return *n ? 0 : -1;
}

static int parse_profiles(const char *s, struct bench_fw_peer_opts *p)
{
    char buf[64], *save = NULL;
    if (!s || snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf))
        return -1;
    p->nprofiles = 0;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int prof = bench_fw_profile_parse(t);
        if (prof < 0 || p->nprofiles == 3)
            return -1;
        p->profiles[p->nprofiles++] = prof;
    }
    return p->nprofiles ? 0 : -1;
}

static int parse_args(int argc, char **argv, struct fw_opts *o)
{
    static const long sizes[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    struct bench_opts co = {.out = BENCH_OUT_DEFAULT, .bad_usage = bad_usage};
    long v, tmp[MAX_GRANS];
    memset(o, 0, sizeof(*o));
    memcpy(o->sizes, sizes, sizeof(sizes));
    o->nsizes = 7;
    o->grans[0] = 1, o->grans[1] = 8, o->grans[2] = 0, o->ngrans = 3;
    o->lookups = 2000000;
    o->seed = 1;
    o->e2e = 1;
    o->e2e_runs = 1;
    o->e.counts[0] = 1, o->e.counts[1] = 10000, o->e.counts[2] = 100000, o->e.counts[3] = 1000000;
    o->e.ncounts = 4;
    o->e.nft_max = 100000;
    o->e.seconds = 5;
    o->peer = 1;
    o->p.profiles[0] = BENCH_FW_ACL, o->p.profiles[1] = BENCH_FW_FW, o->p.profiles[2] = BENCH_FW_IPC;
    o->p.nprofiles = 3;
    o->p.sizes[0] = 10000, o->p.sizes[1] = 100000; /* 1M on request: DPDK's build needs 12-17 GiB */
    o->p.nsizes = 2;
    o->p.rounds = 3;
    o->p.timeout_s = 400;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    o->p.cpu = ncpu > 1 ? (int)ncpu - 1 : 0;
    o->p.verify_max = 100000;
    o->p.updates = 200000;
    o->p.upd_rules = 100000;
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},       {"no-e2e", no_argument, NULL, 'N'},
        {"sizes", required_argument, NULL, 's'}, {"gran", required_argument, NULL, 'g'},
        {"lookups", required_argument, NULL, 'l'}, {"seed", required_argument, NULL, 'S'},
        {"e2e-rules", required_argument, NULL, 'e'}, {"nft-max", required_argument, NULL, 'n'},
        {"seconds", required_argument, NULL, 't'}, BENCH_OPTION_OUT,
        {"no-peer", no_argument, NULL, 'P'},       {"profiles", required_argument, NULL, 'p'},
        {"peer-sizes", required_argument, NULL, 'z'}, {"rounds", required_argument, NULL, 'r'},
        {"peer-timeout", required_argument, NULL, 'T'}, {"cpu", required_argument, NULL, 'c'},
        {"verify-max", required_argument, NULL, 'v'}, {"updates", required_argument, NULL, 'u'},
        {"update-rules", required_argument, NULL, 'U'}, {"e2e-runs", required_argument, NULL, 'R'},
        {"e2e-mem", required_argument, NULL, 'M'},
        {NULL, 0, NULL, 0},
    };
    int c, n, st;
    while ((c = bench_next_opt(argc, argv, options, &co, &st)) != -1) {
        const char *val = optarg;
        switch (c) {
        case 'h': usage(stdout); return 1;
        case 'N': o->e2e = 0; break;
        case 's':
            if (parse_list(val, 1, 10000000, o->sizes, MAX_SIZES, &o->nsizes) < 0)
                return bad_usage("--sizes wants rule counts 1..10000000, comma-separated", val);
            break;
        case 'g':
            if (parse_list(val, 0, 32, tmp, MAX_GRANS, &n) < 0)
                return bad_usage("--gran wants granularities 0..32, comma-separated", val);
            for (int j = 0; j < n; j++)
                o->grans[j] = (unsigned)tmp[j];
            o->ngrans = n;
            break;
        case 'l':
            if (bench_parse_long(val, 1000, 1000000000, &o->lookups) < 0)
                return bad_usage("--lookups wants 1000..1000000000", val);
            break;
        case 'S':
            if (bench_parse_long(val, 0, LONG_MAX, &v) < 0)
                return bad_usage("--seed wants a non-negative number", val);
            o->seed = (uint64_t)v;
            break;
        case 'e':
            if (parse_list(val, 1, 10000000, o->e.counts, BENCH_FW_E2E_MAX_COUNTS, &o->e.ncounts) < 0)
                return bad_usage("--e2e-rules wants rule counts 1..10000000, comma-separated", val);
            break;
        case 'n':
            if (bench_parse_long(val, 0, 10000000, &o->e.nft_max) < 0)
                return bad_usage("--nft-max wants 0..10000000", val);
            break;
        case 't':
            if (bench_parse_long(val, 1, 60, &v) < 0)
                return bad_usage("--seconds wants 1..60", val);
            o->e.seconds = (int)v;
            break;
        case 'P': o->peer = 0; break;
        case 'M':
            if (bench_parse_long(val, 16, 65536, &o->e.mem_mib) < 0)
                return bad_usage("--e2e-mem wants 16..65536 MiB", val);
            break;
        case 'R':
            if (bench_parse_long(val, 1, E2E_RUNS_MAX, &v) < 0)
                return bad_usage("--e2e-runs wants 1..5", val);
            o->e2e_runs = (int)v;
            break;
        case 'p':
            if (parse_profiles(val, &o->p) < 0)
                return bad_usage("--profiles wants acl, fw, ipc, comma-separated", val);
            break;
        case 'z':
            if (parse_list(val, 1, 10000000, o->p.sizes, BENCH_FW_PEER_MAX_SIZES, &o->p.nsizes) < 0)
                return bad_usage("--peer-sizes wants rule counts 1..10000000, comma-separated", val);
            break;
        case 'r':
            if (bench_parse_long(val, 1, 9, &v) < 0)
                return bad_usage("--rounds wants 1..9", val);
            o->p.rounds = (int)v;
            break;
        case 'T':
            if (bench_parse_long(val, 1, 7200, &o->p.timeout_s) < 0)
                return bad_usage("--peer-timeout wants 1..7200 seconds", val);
            break;
        case 'c':
            if (bench_parse_long(val, 0, ncpu > 0 ? ncpu - 1 : 0, &v) < 0)
                return bad_usage("--cpu wants an online cpu number", val);
            o->p.cpu = (int)v;
            break;
        case 'v':
            if (bench_parse_long(val, 0, 10000000, &o->p.verify_max) < 0)
                return bad_usage("--verify-max wants 0..10000000", val);
            break;
        case 'u':
            if (bench_parse_long(val, 0, 100000000, &o->p.updates) < 0)
                return bad_usage("--updates wants 0..100000000", val);
            break;
        case 'U':
            if (bench_parse_long(val, 1, 10000000, &o->p.upd_rules) < 0)
                return bad_usage("--update-rules wants 1..10000000", val);
            break;
        }
    }
    if (st)
        return st;
    o->out = co.out;
    o->e.seed = o->seed;
    o->p.seed = o->seed;
    if (o->p.updates == 0)
        o->p.upd_rules = 0;
    return 0;
}

/* ---- classifier ----------------------------------------------------------------------------- */

static volatile long sink; /* keeps the lookups from being optimised away */

/* Headers of the end-to-end flows: client <-> server, random ports, tcp or udp. */
static void miss_trace(struct fw_key *keys, size_t n)
{
    uint64_t s = 0x5eed;
    for (size_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t r = (uint32_t)(s >> 32);
        int back = r & 1;
        keys[i].src = back ? BENCH_FW_SERVER : BENCH_FW_CLIENT;
        keys[i].dst = back ? BENCH_FW_CLIENT : BENCH_FW_SERVER;
        keys[i].sport = (uint16_t)(r >> 8);
        keys[i].dport = back ? (uint16_t)(r >> 8) : 5201;
        keys[i].sport = back ? 5201 : keys[i].sport;
        keys[i].proto = r & 2 ? 6 : 17;
    }
}

static double rate_of(long count, double ms)
{
    return ms > 0 ? (double)count / (ms / 1000.0) : 0;
}

static void measure_tss(const struct fw_rule *rules, long n, const struct fw_key *keys, const struct fw_key *miss,
                        unsigned gran, long lookups, struct cls_row *row)
{
    double t0 = bench_now_ms();
    struct fw_classifier *c = fw_classifier_build(rules, (size_t)n, gran ? fw_classes_every(gran) : FW_CLASSES_DEFAULT);
    row->build_ms = bench_now_ms() - t0;
    if (!c) {
        row->build_ms = -1;
        return;
    }
    row->tables = fw_classifier_tables(c);
    row->mib = (double)(fw_classifier_bytes(c) + (size_t)n * sizeof(*rules)) / 1048576.0;
    long checks = (long)(LINEAR_BUDGET / (double)n);
    checks = checks > 2000 ? 2000 : checks < 50 ? 50 : checks;
    for (long i = 0; i < checks; i++) {
        const struct fw_key *k = &keys[(size_t)i * 7919 % TRACE_KEYS];
        row->checked++;
        row->agreed += fw_classify(c, k) == fw_linear_match(rules, (size_t)n, k);
    }
    /* Best of three runs (the machine is shared, and interference only ever slows a run down),
     * each of `lookups` or RUN_MS, whichever ends first. */
    for (int run = 0; run < 3; run++) {
        long acc = 0, matched = 0, i = 0;
        t0 = bench_now_ms();
        while (i < lookups && (i & 4095 || bench_now_ms() - t0 < RUN_MS)) {
            long r = fw_classify(c, &keys[(size_t)i & (TRACE_KEYS - 1)]);
            acc += r;
            matched += r >= 0;
            i++;
        }
        double rate = rate_of(i, bench_now_ms() - t0);
        sink = acc;
        row->matched = (long)((double)matched * lookups / i); /* scaled when cut short */
        if (rate > row->lookups_per_s)
            row->lookups_per_s = rate;
        long out[256];
        acc = 0, i = 0;
        t0 = bench_now_ms();
        while (i < lookups && (i & 4095 || bench_now_ms() - t0 < RUN_MS)) {
            fw_classify_burst(c, &keys[(size_t)i & (TRACE_KEYS - 1)], 256, out);
            for (int j = 0; j < 256; j++)
                acc += out[j];
            i += 256;
        }
        rate = rate_of(i, bench_now_ms() - t0);
        sink = acc;
        if (rate > row->burst_per_s)
            row->burst_per_s = rate;
        acc = 0, i = 0;
        t0 = bench_now_ms();
        while (i < lookups / 4 && (i & 4095 || bench_now_ms() - t0 < RUN_MS / 2)) {
            acc += fw_classify(c, &miss[(size_t)i & (TRACE_KEYS - 1)]);
            i++;
        }
        rate = rate_of(i, bench_now_ms() - t0);
        sink = acc;
        if (acc != -i)
            row->miss_per_s = -1; /* a rule matched the end-to-end flows: the generator is wrong */
        else if (rate > row->miss_per_s)
            row->miss_per_s = rate;
    }
    fw_classifier_free(c);
}

static void measure_linear(const struct fw_rule *rules, long n, const struct fw_key *keys, const struct fw_key *miss,
                           long lookups, struct cls_row *row)
{
    long budget = (long)(LINEAR_BUDGET / (double)n);
    long count = budget < lookups ? budget : lookups;
    if (count < 20)
        count = 20;
    long acc = 0, matched = 0;
    double t0 = bench_now_ms();
    for (long i = 0; i < count; i++) {
        long r = fw_linear_match(rules, (size_t)n, &keys[(size_t)i * 7919 % TRACE_KEYS]);
        acc += r;
        matched += r >= 0;
    }
    row->lookups_per_s = rate_of(count, bench_now_ms() - t0);
    sink = acc;
    row->matched = matched * (lookups / count); /* scaled: only a sample was run */
    row->checked = count;
    count = (long)(LINEAR_BUDGET / (double)n);
    count = count > lookups / 4 ? lookups / 4 : count < 20 ? 20 : count;
    t0 = bench_now_ms();
    for (long i = 0; i < count; i++)
        acc += fw_linear_match(rules, (size_t)n, &miss[i]);
    row->miss_per_s = rate_of(count, bench_now_ms() - t0);
    sink = acc;
}

static int run_classifier(const struct fw_opts *o, struct cls_row *rows, int *nrows)
{
    long maxn = 0;
    for (int i = 0; i < o->nsizes; i++)
        maxn = o->sizes[i] > maxn ? o->sizes[i] : maxn;
    struct fw_rule *rules = malloc((size_t)maxn * sizeof(*rules));
    struct fw_key *keys = malloc(TRACE_KEYS * sizeof(*keys));
    struct fw_key *miss = malloc(TRACE_KEYS * sizeof(*miss));
    if (!rules || !keys || !miss) {
        free(rules);
        free(keys);
        free(miss);
        fprintf(stderr, "unf bench: fw: no memory for %ld rules\n", maxn);
        return -1;
    }
    *nrows = 0;
    miss_trace(miss, TRACE_KEYS);
    for (int i = 0; i < o->nsizes && !bench_interrupted; i++) {
        long n = o->sizes[i];
        bench_fw_gen_rules(rules, (size_t)n, o->seed, BENCH_FW_CLIENT, BENCH_FW_SERVER);
        bench_fw_gen_trace(rules, (size_t)n, keys, TRACE_KEYS, o->seed + 1);
        for (int g = 0; g < o->ngrans; g++) {
            struct cls_row *row = &rows[(*nrows)++];
            memset(row, 0, sizeof(*row));
            row->rules = n;
            row->gran = o->grans[g];
            row->name = "tuple space";
            measure_tss(rules, n, keys, miss, o->grans[g], o->lookups, row);
            fprintf(stderr, "bench: fw: %ld rules, tuple space g=%u (0 = default): %.2f M lookups/s\n", n, row->gran,
                    row->lookups_per_s / 1e6);
        }
        struct cls_row *row = &rows[(*nrows)++];
        memset(row, 0, sizeof(*row));
        row->rules = n;
        row->name = "linear scan";
        row->linear = 1;
        measure_linear(rules, n, keys, miss, o->lookups, row);
    }
    free(rules);
    free(keys);
    free(miss);
    return 0;
}

/* ---- report --------------------------------------------------------------------------------- */

static void print_classifier(FILE *f, const struct fw_opts *o, const struct cls_row *rows, int nrows)
{
    fprintf(f, "## Classifier (host, one core)\n\n");
    fprintf(f, "ClassBench-style rule sets (seed %llu; ACL-like prefix lengths around 4096 sites, 62%% tcp, "
               "26%% udp, 6%% icmp, 6%% any; 55%% well-known exact destination ports), a trace of %u headers "
               "(95%% drawn inside random rules), best of 3 runs of %ld timed lookups (or 2 s) per row. All tuple space variants split "
               "rules by protocol group first; \"g\" is the tuple granularity: g=1 is classic tuple space "
               "search (one table per exact prefix-length pair), g=8 classes every 8 lengths, \"default\" the "
               "classes {0-7, 8-15, 16-23, 24-32} the firewall uses. Memory: classifier plus the rule array. \"Unmatched flows\": headers of the "
               "end-to-end test's traffic (10.78.0.1 <-> 10.78.0.2, which no generated rule matches), the linear "
               "scan's worst case and the IncludeOS study's setting. Linear scan rows time a sample of the trace (at most %.0e rule comparisons).\n\n",
            (unsigned long long)o->seed, TRACE_KEYS, o->lookups, LINEAR_BUDGET);
    fprintf(f, "| rules | classifier | tables | build ms | memory MiB | lookups/s | ns/lookup | lookups/s, bursts of 256 | "
               "matched | lookups/s, unmatched flows | agrees with linear scan |\n"
               "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < nrows; i++) {
        const struct cls_row *r = &rows[i];
        char name[48], agree[48], build[24], tables[16], mem[24], burst[24] = "-";
        if (!r->linear) {
            if (r->gran)
                snprintf(name, sizeof(name), "%s g=%u", r->name, r->gran);
            else
                snprintf(name, sizeof(name), "%s default", r->name);
            snprintf(agree, sizeof(agree), "%ld/%ld", r->agreed, r->checked);
            snprintf(build, sizeof(build), "%.2f", r->build_ms);
            snprintf(tables, sizeof(tables), "%u", r->tables);
            snprintf(mem, sizeof(mem), "%.2f", r->mib);
            snprintf(burst, sizeof(burst), "%.0f", r->burst_per_s);
        } else {
            snprintf(name, sizeof(name), "%s", r->name);
            snprintf(agree, sizeof(agree), "(reference; %ld timed)", r->checked);
            snprintf(build, sizeof(build), "-");
            snprintf(tables, sizeof(tables), "-");
            snprintf(mem, sizeof(mem), "%.2f", (double)r->rules * sizeof(struct fw_rule) / 1048576.0);
        }
        double pct = o->lookups ? 100.0 * (double)r->matched / (double)o->lookups : 0;
        fprintf(f, "| %ld | %s | %s | %s | %s | %.0f | %.0f | %s | %.0f%% | %.0f | %s |\n", r->rules, name, tables, build,
                mem, r->lookups_per_s, r->lookups_per_s > 0 ? 1e9 / r->lookups_per_s : 0, burst, pct, r->miss_per_s,
                agree);
    }
    fprintf(f, "\n");
}

static void print_e2e(FILE *f, const struct fw_opts *o, const struct bench_fw_e2e_row *rows, int nrows,
                      const char *why_not)
{
    fprintf(f, "## End to end (proc unikernel vs nftables chain and sets, namespaces)\n\n");
    if (why_not) {
        fprintf(f, "Not measured: %s.\n\n", why_not);
        return;
    }
    fprintf(f, "client -> server through the firewall, iperf3 -t %d (TCP; UDP at -b 1G, 1470-byte datagrams; medians "
               "of 3 runs each, TCP and UDP alternating), ping -c 20 -i 0.05. Generated rules never match the test traffic: every packet traverses the "
               "whole set, then the default policy (allow) passes it. nftables: the same rules as one linear "
               "chain (ip forward hook, bridged traffic via br_netfilter), and as three interval sets of "
               "concatenations (tcp/udp 5-tuple, icmp, any protocol: one set lookup each); rule sets above %ld "
               "not tried.\n\n",
            o->e.seconds, o->e.nft_max);
    if (o->e2e_runs > 1)
        fprintf(f, "The whole part ran %d times (column \"run\"), each with its own medians of 3.\n\n", o->e2e_runs);
    fprintf(f, "| run | variant | rules | load s | TCP Mbit/s | UDP Mbit/s | UDP loss %% | ping avg ms | ping max ms | notes |\n"
               "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (int i = 0; i < nrows; i++) {
        const struct bench_fw_e2e_row *r = &rows[i];
        if (r->ok)
            fprintf(f, "| %d | %s | %ld | %.2f | %.0f | %.0f | %.1f | %.3f | %.3f | %s |\n", r->run, r->variant, r->rules,
                    r->load_s, r->tcp_mbps, r->udp_mbps, r->udp_loss_pct, r->ping_avg_ms, r->ping_max_ms, r->note);
        else
            fprintf(f, "| %d | %s | %ld | - | - | - | - | - | - | %s |\n", r->run, r->variant, r->rules, r->note);
    }
    fprintf(f, "\n");
}

static const struct cls_row *find_row(const struct cls_row *rows, int n, long rules, unsigned gran)
{
    for (int i = 0; i < n; i++)
        if (rows[i].rules == rules && rows[i].gran == gran && !rows[i].linear)
            return &rows[i];
    return NULL;
}

/* Mean TCP Mbit/s of the proc firewall's ok rows with this rule count in one run (several when
 * --e2e-rules brackets 1M between two 1-rule measurements); -1 without any. */
static double e2e_tcp(const struct bench_fw_e2e_row *rows, int n, int run, long rules, double *udp)
{
    double sum = 0, usum = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (rows[i].ok && rows[i].run == run && rows[i].rules == rules && strcmp(rows[i].variant, "proc firewall") == 0)
            sum += rows[i].tcp_mbps, usum += rows[i].udp_mbps, k++;
    }
    if (udp)
        *udp = k ? usum / k : -1;
    return k ? sum / k : -1;
}

static void print_targets(FILE *f, const struct cls_row *rows, int nrows, const struct bench_fw_e2e_row *e,
                          int ne, const char *why_not, const struct fw_opts *o, const struct bench_fw_peer_row *pr,
                          int npr, const struct bench_fw_upd_row *upd)
{
    const struct cls_row *big = find_row(rows, nrows, 1000000, 0);
    fprintf(f, "## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
    if (big)
        fprintf(f, "| classifier >= 1M lookups/s per core at 1M rules | %.2f M lookups/s one per call, %.2f M in bursts "
                   "(default classes), %ld/%ld agree | %s |\n",
                big->lookups_per_s / 1e6, big->burst_per_s / 1e6, big->agreed, big->checked,
                bench_verdict(1, (big->lookups_per_s >= 1e6 || big->burst_per_s >= 1e6) && big->agreed == big->checked,
                              NULL));
    else
        fprintf(f, "| classifier >= 1M lookups/s per core at 1M rules | - | %s |\n",
                bench_verdict(0, 0, "no 1M-rule row with the default classes in this run (--sizes, --gran)"));
    int runs = 0, met = 0;
    char cell[512] = "";
    for (int r = 1; r <= o->e2e_runs; r++) {
        double u1, um, one = e2e_tcp(e, ne, r, 1, &u1), mil = e2e_tcp(e, ne, r, 1000000, &um);
        if (one <= 0 || mil < 0)
            continue;
        size_t used = strlen(cell);
        bench_fmt(cell + used, sizeof(cell) - used, "%srun %d: %.0f vs %.0f Mbit/s (%.0f%%; UDP %.0f vs %.0f)",
                  runs ? "; " : "", r, mil, one, 100.0 * mil / one, um, u1);
        runs++;
        met += mil >= 0.9 * one;
    }
    if (runs)
        fprintf(f, "| end-to-end TCP at 1M rules within 10%% of 1 rule, every run | %s; met in %d of %d |"
                   " %s |\n", cell, met, runs, bench_verdict(1, met == runs && runs == o->e2e_runs, NULL));
    else
        fprintf(f, "| end-to-end TCP at 1M rules within 10%% of 1 rule | - | %s |\n",
                bench_verdict(0, 0, why_not ? why_not : "no proc firewall rows at 1 and 1M rules (--e2e-rules)"));
    if (o->peer)
        bench_fw_peer_targets(f, pr, npr, upd);
    fprintf(f, "\n");
}

static void print_report(FILE *f, const struct fw_opts *o, const struct bench_run *run, const struct cls_row *rows,
                         int nrows, const struct bench_fw_e2e_row *e, int ne, const char *why_not,
                         const struct bench_fw_peer_row *pr, int npr, const struct bench_fw_upd_row *upd)
{
    fprintf(f, "# unf bench fw: firewall classifier and end-to-end throughput\n\n");
    fprintf(f, "- Date: %s (cores shared; numbers are single runs).\n", run->date);
    bench_machine_md(f, run);
    fprintf(f, "\n");
    print_classifier(f, o, rows, nrows);
    if (o->peer)
        bench_fw_peer_md(f, &o->p, pr, npr, upd);
    print_e2e(f, o, e, ne, why_not);
    print_targets(f, rows, nrows, e, ne, why_not, o, pr, npr, upd);
}

static void classifier_name(const struct cls_row *r, char *name, size_t len)
{
    if (r->linear)
        bench_fmt(name, len, "%s", r->name);
    else if (r->gran)
        bench_fmt(name, len, "%s g=%u", r->name, r->gran);
    else
        bench_fmt(name, len, "%s default", r->name);
}

/* The classifier's name without spaces, for gnuplot's words(). */
static void series_name(char *name)
{
    for (char *p = name; *p; p++)
        if (*p == ' ')
            *p = '_';
}

static int same_classifier(const struct cls_row *a, const struct cls_row *b)
{
    return a->linear == b->linear && a->gran == b->gran && strcmp(a->name, b->name) == 0;
}

static int write_csvs(struct bench_run *run, const struct cls_row *rows, int nrows, const struct bench_fw_e2e_row *e,
                      int ne, char *cls_path, size_t len)
{
    char path[PATH_MAX], name[48];
    FILE *f = bench_run_open(run, "-classifier.csv", cls_path, len);
    if (!f)
        return -1;
    fprintf(f, "classifier,rules,tables,build_ms,memory_mib,lookups_per_s,unmatched_lookups_per_s,agreed,checked,series,"
               "burst_lookups_per_s\n");
    /* Grouped by classifier, so that gnuplot draws each one as a connected line. */
    for (int i = 0; i < nrows; i++) {
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen = same_classifier(&rows[i], &rows[j]);
        for (int k = i; k < nrows && !seen; k++) {
            const struct cls_row *r = &rows[k];
            if (!same_classifier(r, &rows[i]))
                continue;
            classifier_name(r, name, sizeof(name));
            fprintf(f, "%s,%ld,%u,%.3f,%.3f,%.0f,%.0f,%ld,%ld,", name, r->rules, r->tables, r->build_ms, r->mib,
                    r->lookups_per_s, r->miss_per_s, r->agreed, r->checked);
            series_name(name);
            fprintf(f, "%s,%.0f\n", name, r->burst_per_s);
        }
    }
    if (bench_run_close(run, f, cls_path) < 0)
        return -1;
    f = bench_run_open(run, "-e2e.csv", path, sizeof(path));
    if (!f)
        return -1;
    fprintf(f, "run,variant,rules,ok,load_s,tcp_mbps,udp_mbps,udp_loss_pct,ping_avg_ms,ping_max_ms,note\n");
    for (int i = 0; i < ne; i++) {
        const struct bench_fw_e2e_row *r = &e[i];
        fprintf(f, "%d,%s,%ld,%d,%.3f,%.1f,%.1f,%.2f,%.3f,%.3f,", r->run, r->variant, r->rules, r->ok, r->load_s, r->tcp_mbps,
                r->udp_mbps, r->udp_loss_pct, r->ping_avg_ms, r->ping_max_ms);
        bench_csv_text(f, r->note);
        fprintf(f, "\n");
    }
    return bench_run_close(run, f, path);
}

/* Lookups/s vs rules, one line per classifier variant (log-log: rules span 1 to 10^6). */
static void plot_lookups(struct bench_run *run, const struct cls_row *rows, int nrows, const char *csv)
{
    char names[512] = "", name[48], script[2048];
    for (int i = 0; i < nrows; i++) {
        classifier_name(&rows[i], name, sizeof(name));
        series_name(name);
        if (!strstr(names, name)) {
            size_t used = strlen(names);
            bench_fmt(names + used, sizeof(names) - used, "%s%s", used ? " " : "", name);
        }
    }
    if (!names[0])
        return;
    bench_fmt(script, sizeof(script),
              "set logscale xy\nset xlabel 'rules'\nset ylabel 'lookups/s, one core'\nset key bottom left\n"
              "names = '%s'\n"
              "plot for [i=1:words(names)] csv using (strcol(10) eq word(names, i) ? $2 : NaN):6 "
              "title word(names, i) with linespoints lw 2 pt 7\n",
              names);
    bench_plot(run, "lookups", csv, "unf bench fw: classifier lookups/s vs rules", script, NULL, 0);
}

int bench_fw_main(int argc, char **argv)
{
    struct fw_opts o;
    static struct cls_row rows[MAX_SIZES * (MAX_GRANS + 1)];
    static struct bench_fw_e2e_row e2e[BENCH_FW_E2E_MAX_COUNTS * 3 * E2E_RUNS_MAX];
    static struct bench_run run;
    static struct bench_fw_peer_row peer[3 * BENCH_FW_PEER_MAX_SIZES * BENCH_FW_PEER_VARIANTS];
    static struct bench_fw_upd_row upd;
    int nrows = 0, ne = 0, npeer = 0, rc = parse_args(argc, argv, &o);
    char err[512] = "", path[PATH_MAX], cls[PATH_MAX];
    const char *why_not = NULL;

    if (rc)
        return rc == 1 ? 0 : rc;
    if (bench_sys_signals() < 0) {
        fprintf(stderr, "unf bench: sigaction: %s\n", strerror(errno));
        return 1;
    }
    if (bench_run_begin(&run, "fw", o.out) < 0)
        return 1;
    if (run_classifier(&o, rows, &nrows) < 0)
        return 1;
    if (o.peer && !bench_interrupted &&
        bench_fw_peer_run(&o.p, peer, (int)(sizeof(peer) / sizeof(peer[0])), &npeer, &upd, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf bench: fw: %s\n", err);
        return 1;
    }
    if (!o.e2e) {
        why_not = "--no-e2e";
    } else if (geteuid() != 0) {
        why_not = "needs root (namespaces, taps, nftables)";
    } else {
        for (int r = 1; r <= o.e2e_runs && !bench_interrupted; r++) {
            int got = 0, max = (int)(sizeof(e2e) / sizeof(e2e[0])) - ne;
            int failed = bench_fw_e2e_run(&o.e, e2e + ne, max, &got, err, sizeof(err)) < 0;
            for (int i = ne; i < ne + got; i++)
                e2e[i].run = r;
            ne += got;
            if (failed) {
                fprintf(stderr, "unf bench: fw: %s\n", err);
                why_not = ne ? NULL : err;
                break;
            }
        }
    }
    print_report(stdout, &o, &run, rows, nrows, e2e, ne, why_not, peer, npeer, &upd);
    fflush(stdout);
    FILE *f = bench_run_open(&run, ".md", path, sizeof(path));
    if (!f)
        return 1;
    print_report(f, &o, &run, rows, nrows, e2e, ne, why_not, peer, npeer, &upd);
    if (bench_run_close(&run, f, path) < 0 || write_csvs(&run, rows, nrows, e2e, ne, cls, sizeof(cls)) < 0)
        return 1;
    if (o.peer) {
        f = bench_run_open(&run, "-peer.csv", path, sizeof(path));
        if (!f)
            return 1;
        bench_fw_peer_csv(f, peer, npeer);
        if (bench_run_close(&run, f, path) < 0)
            return 1;
    }
    plot_lookups(&run, rows, nrows, cls);
    bench_run_end(&run);
    if (bench_interrupted) {
        fprintf(stderr, "unf bench: interrupted; everything the benchmark created was removed\n");
        return 1;
    }
    return 0;
}
