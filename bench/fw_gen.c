/* SPDX-License-Identifier: BSD-2-Clause */
/* ClassBench-style rule and trace generation for `unf bench fw` (see fw_gen.h). */
#include "fw_gen.h"

#include <stdlib.h>
#include <string.h>

#define NSITES 4096

struct rng {
    uint64_t s;
};

static uint32_t rnd(struct rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Uniform in [0, 1). */
static double unit(struct rng *r)
{
    return rnd(r) / 4294967296.0;
}

static unsigned pick_len(struct rng *r, const double *cut)
{
    double u = unit(r);
    if (u < cut[0])
        return 0;
    if (u < cut[1])
        return 8 + rnd(r) % 8;
    if (u < cut[2])
        return 16 + rnd(r) % 8;
    if (u < cut[3])
        return rnd(r) % 2 ? 24 : 24 + rnd(r) % 8; /* /24 is the most common */
    return 32;
}

static const uint16_t well_known[] = {80, 443, 53, 25, 22, 21, 23, 110, 143, 123, 161, 389, 445, 993, 995,
                                      1433, 1521, 3306, 3389, 5060, 8080, 8443};

/* One ClassBench-like family: cumulative cut points of the prefix-length classes (/0, /8-15,
 * /16-23, /24-31 with /24 most common, then /32), of the protocols (tcp, udp, icmp, then any)
 * and of the port classes. */
struct profile {
    const char *name;
    unsigned min_lens;     /* src_len + dst_len at least this: no rule covers most of the space */
    double src_cut[4], dst_cut[4];
    double proto_cut[3];
    double sport_cut[2];   /* one high port, 1024-65535, else any */
    double dport_cut[4];   /* well-known, one high port, 1024-65535, a range, else any */
};

static const struct profile profiles[BENCH_FW_NPROFILES] = {
    /* The original set of `unf bench fw` (and of its end-to-end part): unchanged. */
    [BENCH_FW_ACL] = {"acl", 0, {0.08, 0.12, 0.30, 0.55}, {0.03, 0.06, 0.20, 0.45}, {0.62, 0.88, 0.94},
                      {0.05, 0.10}, {0.55, 0.65, 0.72, 0.80}},
    /* Firewalls: many wildcard addresses (one side at a time: a rule with both sides wide would
     * shadow most of the set), many ranges, a fifth for any protocol. */
    [BENCH_FW_FW] = {"fw", 24, {0.25, 0.32, 0.45, 0.70}, {0.15, 0.22, 0.35, 0.60}, {0.45, 0.70, 0.80},
                     {0.10, 0.30}, {0.30, 0.35, 0.55, 0.75}},
    /* IP chains: between the two, more host pairs and exact ports of both kinds. */
    [BENCH_FW_IPC] = {"ipc", 24, {0.12, 0.18, 0.32, 0.50}, {0.10, 0.16, 0.30, 0.50}, {0.40, 0.70, 0.85},
                      {0.15, 0.25}, {0.40, 0.55, 0.65, 0.75}},
};

const char *bench_fw_profile_name(int profile)
{
    return profile >= 0 && profile < BENCH_FW_NPROFILES ? profiles[profile].name : "?";
}

int bench_fw_profile_parse(const char *name)
{
    for (int i = 0; name && i < BENCH_FW_NPROFILES; i++)
        if (strcmp(name, profiles[i].name) == 0)
            return i;
    return -1;
}

static void gen_ports(struct rng *r, const struct profile *p, struct fw_rule *x)
{
    double u = unit(r);
    x->sport_lo = 0, x->sport_hi = 65535;
    x->dport_lo = 0, x->dport_hi = 65535;
    if (x->proto_mask == 0)
        return;
    if (x->proto == 1) { /* ICMP: type in the source port field */
        static const uint16_t types[] = {8, 0, 3, 11};
        if (u < 0.7)
            x->sport_lo = x->sport_hi = types[rnd(r) % 4];
        return;
    }
    if (u < p->sport_cut[0]) {
        x->sport_lo = x->sport_hi = (uint16_t)(1024 + rnd(r) % 64512);
    } else if (u < p->sport_cut[1]) {
        x->sport_lo = 1024;
    }
    u = unit(r);
    if (u < p->dport_cut[0]) {
        x->dport_lo = x->dport_hi = well_known[rnd(r) % (sizeof(well_known) / sizeof(well_known[0]))];
    } else if (u < p->dport_cut[1]) {
        x->dport_lo = x->dport_hi = (uint16_t)(1024 + rnd(r) % 64512);
    } else if (u < p->dport_cut[2]) {
        x->dport_lo = 1024;
    } else if (u < p->dport_cut[3]) {
        x->dport_lo = (uint16_t)(rnd(r) % 60000);
        x->dport_hi = (uint16_t)(x->dport_lo + rnd(r) % 2000);
    }
}

static int covers(const struct fw_rule *x, uint32_t a, uint32_t b)
{
    uint32_t ms = fw_prefix_mask(x->src_len), md = fw_prefix_mask(x->dst_len);
    return (((a ^ x->src) & ms) == 0 && ((b ^ x->dst) & md) == 0) ||
           (((b ^ x->src) & ms) == 0 && ((a ^ x->dst) & md) == 0);
}

void bench_fw_gen_rules(struct fw_rule *rules, size_t n, uint64_t seed, uint32_t avoid_a, uint32_t avoid_b)
{
    bench_fw_gen_profile(rules, n, BENCH_FW_ACL, seed, avoid_a, avoid_b);
}

void bench_fw_gen_profile(struct fw_rule *rules, size_t n, int profile, uint64_t seed, uint32_t avoid_a,
                          uint32_t avoid_b)
{
    const struct profile *p = &profiles[profile >= 0 && profile < BENCH_FW_NPROFILES ? profile : BENCH_FW_ACL];
    static uint32_t sites[NSITES];
    struct rng r = {seed * 0x9E3779B97F4A7C15ull + 1};
    for (size_t i = 0; i < NSITES; i++)
        sites[i] = rnd(&r);
    for (size_t i = 0; i < n; i++) {
        struct fw_rule *x = &rules[i];
        do {
            *x = (struct fw_rule){0};
            do {
                x->src_len = (uint8_t)pick_len(&r, p->src_cut);
                x->dst_len = (uint8_t)pick_len(&r, p->dst_cut);
            } while (x->src_len + x->dst_len < p->min_lens);
            x->src = (sites[rnd(&r) % NSITES] ^ (rnd(&r) & 0xfffff)) & fw_prefix_mask(x->src_len);
            x->dst = (sites[rnd(&r) % NSITES] ^ (rnd(&r) & 0xfffff)) & fw_prefix_mask(x->dst_len);
            double u = unit(&r);
            x->proto_mask = u < p->proto_cut[2] ? 0xff : 0;
            x->proto = u < p->proto_cut[0] ? 6 : u < p->proto_cut[1] ? 17 : u < p->proto_cut[2] ? 1 : 0;
            gen_ports(&r, p, x);
        } while ((avoid_a || avoid_b) && covers(x, avoid_a, avoid_b));
        x->action = FW_DENY;
        x->id = (uint32_t)i;
        x->line = (uint32_t)i + 1;
    }
}

static uint16_t in_range(struct rng *r, uint16_t lo, uint16_t hi)
{
    return (uint16_t)(lo + rnd(r) % ((uint32_t)hi - lo + 1));
}

void bench_fw_gen_trace(const struct fw_rule *rules, size_t n, struct fw_key *keys, size_t nkeys, uint64_t seed)
{
    struct rng r = {seed * 0xD1B54A32D192ED03ull + 7};
    for (size_t i = 0; i < nkeys; i++) {
        struct fw_key *k = &keys[i];
        if (n && unit(&r) < 0.95) {
            const struct fw_rule *x = &rules[rnd(&r) % n];
            k->src = x->src | (rnd(&r) & ~fw_prefix_mask(x->src_len));
            k->dst = x->dst | (rnd(&r) & ~fw_prefix_mask(x->dst_len));
            k->sport = in_range(&r, x->sport_lo, x->sport_hi);
            k->dport = in_range(&r, x->dport_lo, x->dport_hi);
            k->proto = x->proto_mask ? x->proto : (uint8_t)(rnd(&r) % 3 ? 6 : 17);
        } else {
            k->src = rnd(&r), k->dst = rnd(&r);
            k->sport = (uint16_t)rnd(&r), k->dport = (uint16_t)rnd(&r);
            k->proto = (uint8_t)(rnd(&r) % 2 ? 6 : 17);
        }
    }
}

static void quad(char *buf, uint32_t a)
{
    snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

int bench_fw_write_rules(FILE *f, const struct fw_rule *rules, size_t n)
{
    if (bench_fw_write_classbench(f, rules, n) < 0)
        return -1;
    fprintf(f, "default allow\n");
    return ferror(f) ? -1 : 0;
}

int bench_fw_write_trace(FILE *f, const struct fw_key *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%u %u %u %u %u\n", keys[i].src, keys[i].dst, keys[i].sport, keys[i].dport, keys[i].proto);
    return ferror(f) ? -1 : 0;
}

int bench_fw_write_classbench(FILE *f, const struct fw_rule *rules, size_t n)
{
    char s[16], d[16];
    for (size_t i = 0; i < n; i++) {
        const struct fw_rule *x = &rules[i];
        quad(s, x->src);
        quad(d, x->dst);
        fprintf(f, "@%s/%u\t%s/%u\t%u : %u\t%u : %u\t0x%02X/0x%02X\n", s, x->src_len, d, x->dst_len, x->sport_lo,
                x->sport_hi, x->dport_lo, x->dport_hi, x->proto, x->proto_mask);
    }
    return ferror(f) ? -1 : 0;
}

static void nft_ports(FILE *f, const char *what, uint16_t lo, uint16_t hi)
{
    if (lo == hi)
        fprintf(f, "th %s %u ", what, lo);
    else if (lo != 0 || hi != 65535)
        fprintf(f, "th %s %u-%u ", what, lo, hi);
}

int bench_fw_write_nft(FILE *f, const char *table, const struct fw_rule *rules, size_t n)
{
    char s[16], d[16];
    fprintf(f, "table ip %s {\n  chain forward {\n    type filter hook forward priority 0; policy accept;\n", table);
    for (size_t i = 0; i < n; i++) {
        const struct fw_rule *x = &rules[i];
        quad(s, x->src);
        quad(d, x->dst);
        fprintf(f, "    ");
        if (x->src_len)
            fprintf(f, "ip saddr %s/%u ", s, x->src_len);
        if (x->dst_len)
            fprintf(f, "ip daddr %s/%u ", d, x->dst_len);
        if (x->proto_mask == 0xff && (x->proto == 6 || x->proto == 17)) {
            const char *p = x->proto == 6 ? "tcp" : "udp";
            fprintf(f, "meta l4proto %s ", p);
            nft_ports(f, "sport", x->sport_lo, x->sport_hi);
            nft_ports(f, "dport", x->dport_lo, x->dport_hi);
        } else if (x->proto_mask == 0xff && x->proto == 1) {
            fprintf(f, "meta l4proto icmp ");
            if (x->sport_lo == x->sport_hi)
                fprintf(f, "icmp type %u ", x->sport_lo);
        } else if (x->proto_mask) {
            fprintf(f, "meta l4proto %u ", x->proto);
        }
        fprintf(f, "drop\n");
    }
    fprintf(f, "  }\n}\n");
    return ferror(f) ? -1 : 0;
}

static int rule_cmp(const void *a, const void *b)
{
    const struct fw_rule *x = a, *y = b;
    uint32_t kx[7] = {x->proto_mask, x->proto, x->src, x->src_len, x->dst, x->dst_len,
                      (uint32_t)x->sport_lo << 16 | x->sport_hi};
    uint32_t ky[7] = {y->proto_mask, y->proto, y->src, y->src_len, y->dst, y->dst_len,
                      (uint32_t)y->sport_lo << 16 | y->sport_hi};
    int c = memcmp(kx, ky, sizeof(kx));
    if (c)
        return c;
    uint32_t dx = (uint32_t)x->dport_lo << 16 | x->dport_hi, dy = (uint32_t)y->dport_lo << 16 | y->dport_hi;
    return dx < dy ? -1 : dx > dy;
}

static void nft_range(FILE *f, uint16_t lo, uint16_t hi)
{
    if (lo == hi)
        fprintf(f, "%u", lo);
    else
        fprintf(f, "%u-%u", lo, hi);
}

/* kind: 0 tcp/udp, 1 icmp, 2 any protocol (the generator makes no rule for other protocols). */
static int kind_of(const struct fw_rule *x)
{
    if (x->proto_mask == 0xff && (x->proto == 6 || x->proto == 17))
        return 0;
    return x->proto_mask == 0xff && x->proto == 1 ? 1 : 2;
}

/* "add element" commands of at most CHUNK elements: one huge element list overruns netlink. */
#define CHUNK 256

static void set_elements(FILE *f, const char *table, const struct fw_rule *s, size_t n, int kind)
{
    char a[16], b[16];
    int first = 1;
    size_t in_chunk = 0;
    for (size_t i = 0; i < n; i++) {
        const struct fw_rule *x = &s[i];
        if (kind_of(x) != kind || (i > 0 && rule_cmp(&s[i - 1], x) == 0 && kind_of(&s[i - 1]) == kind))
            continue;
        quad(a, x->src);
        quad(b, x->dst);
        if (in_chunk == CHUNK) {
            fprintf(f, " }\n");
            in_chunk = 0;
        }
        if (in_chunk == 0)
            fprintf(f, "add element ip %s r%d { ", table, kind);
        fprintf(f, "%s%s/%u . %s/%u", in_chunk ? ", " : "", a, x->src_len, b, x->dst_len);
        in_chunk++;
        first = 0;
        if (kind == 0) {
            fprintf(f, " . %u . ", x->proto);
            nft_range(f, x->sport_lo, x->sport_hi);
            fprintf(f, " . ");
            nft_range(f, x->dport_lo, x->dport_hi);
        } else if (kind == 1) {
            fprintf(f, " . ");
            nft_range(f, x->sport_lo, x->sport_lo == x->sport_hi ? x->sport_hi : 255);
        }
    }
    if (!first)
        fprintf(f, " }\n");
}

static int has_kind(const struct fw_rule *rules, size_t n, int kind)
{
    for (size_t i = 0; i < n; i++)
        if (kind_of(&rules[i]) == kind)
            return 1;
    return 0;
}

int bench_fw_write_nft_sets(FILE *f, const char *table, const struct fw_rule *rules, size_t n)
{
    static const char *const types[3] = {"ipv4_addr . ipv4_addr . inet_proto . inet_service . inet_service",
                                          "ipv4_addr . ipv4_addr . icmp_type", "ipv4_addr . ipv4_addr"};
    static const char *const match[3] = {"ip saddr . ip daddr . meta l4proto . th sport . th dport @r0 drop",
                                          "meta l4proto icmp ip saddr . ip daddr . icmp type @r1 drop",
                                          "ip saddr . ip daddr @r2 drop"};
    struct fw_rule *s = malloc((n ? n : 1) * sizeof(*s));
    if (!s)
        return -1;
    memcpy(s, rules, n * sizeof(*s));
    qsort(s, n, sizeof(*s), rule_cmp);
    fprintf(f, "table ip %s {\n", table);
    for (int k = 0; k < 3; k++) {
        if (has_kind(s, n, k))
            fprintf(f, "  set r%d {\n    type %s; flags interval;\n  }\n", k, types[k]);
    }
    fprintf(f, "  chain forward {\n    type filter hook forward priority 0; policy accept;\n");
    for (int k = 0; k < 3; k++) {
        if (has_kind(s, n, k))
            fprintf(f, "    %s\n", match[k]);
    }
    fprintf(f, "  }\n}\n");
    for (int k = 0; k < 3; k++)
        set_elements(f, table, s, n, k);
    free(s);
    return ferror(f) ? -1 : 0;
}
