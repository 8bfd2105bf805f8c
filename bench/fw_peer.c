/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf-bench fw` against DPDK's rte_acl, and the classifier's in-place updates (see
 * fw_peer.h). Rule set and trace files live in a temporary directory for the run only; they
 * are remade from the seed at will.
 */
#include "fw_peer.h"

#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../apps/firewall/fw_classify.h"
#include "fw_dpdk.h"
#include "fw_gen.h"
#include "harness.h"
#include "stats.h"
#include "sys.h"

#define TRACE_N 65536      /* dpdk-test-acl's default trace length */
#define VERIFY_N 4096      /* trace headers whose answers are compared */
#define OURS_MS 1000.0     /* one timed run of ours */
#define STEP 256           /* headers per call, as dpdk-test-acl's default --tracestep */
#define LINEAR_BUDGET 3e8  /* rule comparisons the linear-scan check may spend */
#define MAX_ROUNDS 9

static volatile long sink;

static const char *const variant_names[BENCH_FW_PEER_VARIANTS] = {"unf classify", "unf burst", "dpdk scalar",
                                                                  "dpdk vector"};

/* Lookups/s of ours over the trace for about OURS_MS: one key per call, or STEP per burst call. */
static double time_ours(const struct fw_classifier *c, const struct fw_key *keys, int burst)
{
    long out[STEP], acc = 0, done = 0;
    double t0 = bench_now_ms(), t;
    do {
        for (size_t i = 0; i < TRACE_N; i += STEP) {
            if (burst) {
                fw_classify_burst(c, keys + i, STEP, out);
                for (size_t j = 0; j < STEP; j++)
                    acc += out[j];
            } else {
                for (size_t j = 0; j < STEP; j++)
                    acc += fw_classify(c, &keys[i + j]);
            }
        }
        done += TRACE_N;
        t = bench_now_ms() - t0;
    } while (t < OURS_MS && !bench_interrupted);
    sink = acc;
    return t > 0 ? (double)done / (t / 1000.0) : 0;
}

static int write_trace(const char *path, const struct fw_key *keys, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int rc = bench_fw_write_trace(f, keys, n);
    return fclose(f) != 0 || rc < 0 ? -1 : 0;
}

/* DIR/rules, DIR/trace and DIR/verify (the trace's first VERIFY_N headers: dpdk-test-acl wants
 * a file of exactly --tracenum lines). */
static int write_files(const char *dir, const struct fw_rule *rules, long n, const struct fw_key *keys, char *rpath,
                       char *tpath, char *vpath)
{
    bench_fmt(rpath, PATH_MAX, "%s/rules", dir);
    bench_fmt(tpath, PATH_MAX, "%s/trace", dir);
    bench_fmt(vpath, PATH_MAX, "%s/verify", dir);
    FILE *f = fopen(rpath, "w");
    if (!f)
        return -1;
    int rc = bench_fw_write_classbench(f, rules, (size_t)n);
    if (fclose(f) != 0 || rc < 0)
        return -1;
    return write_trace(tpath, keys, TRACE_N) < 0 || write_trace(vpath, keys, VERIFY_N) < 0 ? -1 : 0;
}

static void summarize(struct bench_fw_peer_row *row, const double *v, int n)
{
    struct bench_stats st;
    row->runs = n;
    if (n > 0 && bench_stats_of(v, n, &st) == 0) {
        row->ok = 1;
        row->best = st.max;
        row->median = st.median;
    }
}

struct set_ctx {
    const struct bench_fw_peer_opts *o;
    const char *bin, *valg, *dir;
    struct fw_rule *rules;
    struct fw_key *keys;
    long *answers;
};

/* DPDK's answers on the first VERIFY_N headers against ours (one extra dpdk-test-acl build). */
static void verify_dpdk(const struct set_ctx *x, const struct fw_classifier *c, const char *rpath, const char *tpath,
                        long n, struct bench_fw_peer_row *row)
{
    struct bench_fw_dpdk_run run = {.bin = x->bin, .rules = rpath, .nrules = n, .trace = tpath, .ntrace = VERIFY_N,
                                    .alg = "scalar", .iters = 1, .cpu = x->o->cpu,
                                    .timeout_ms = x->o->timeout_s * 1000, .answers = x->answers};
    struct bench_fw_dpdk_result res;
    if (bench_fw_dpdk_exec(&run, &res) < 0) {
        bench_fmt(row->note, sizeof(row->note), "answers not checked: %s", res.note);
        return;
    }
    for (long i = 0; i < VERIFY_N; i++) {
        row->checked++;
        row->agreed += x->answers[i] == fw_classify(c, &x->keys[i]);
    }
}

static void run_set(const struct set_ctx *x, int profile, long n, struct bench_fw_peer_row *rows)
{
    const struct bench_fw_peer_opts *o = x->o;
    char rpath[PATH_MAX], tpath[PATH_MAX], vpath[PATH_MAX];
    double samples[BENCH_FW_PEER_VARIANTS][MAX_ROUNDS];
    int ns[BENCH_FW_PEER_VARIANTS] = {0}, dead[BENCH_FW_PEER_VARIANTS] = {0};
    for (int v = 0; v < BENCH_FW_PEER_VARIANTS; v++) {
        memset(&rows[v], 0, sizeof(rows[v]));
        rows[v].profile = profile;
        rows[v].rules = n;
        rows[v].variant = variant_names[v];
    }
    bench_fw_gen_profile(x->rules, (size_t)n, profile, o->seed, 0, 0);
    bench_fw_gen_trace(x->rules, (size_t)n, x->keys, TRACE_N, o->seed + 1);
    if (write_files(x->dir, x->rules, n, x->keys, rpath, tpath, vpath) < 0) {
        for (int v = 0; v < BENCH_FW_PEER_VARIANTS; v++)
            bench_fmt(rows[v].note, sizeof(rows[v].note), "cannot write the rule and trace files in %s", x->dir);
        return;
    }
    double t0 = bench_now_ms();
    struct fw_classifier *c = fw_classifier_build(x->rules, (size_t)n, FW_CLASSES_DEFAULT);
    double build_ms = bench_now_ms() - t0;
    if (!c) {
        bench_fmt(rows[0].note, sizeof(rows[0].note), "out of memory building the classifier");
        return;
    }
    long checks = (long)(LINEAR_BUDGET / (double)n);
    checks = checks > 2000 ? 2000 : checks < 50 ? 50 : checks;
    for (int v = 0; v < 2; v++) {
        rows[v].build_ms = build_ms;
        rows[v].bytes = (double)fw_classifier_bytes(c);
    }
    for (long i = 0; i < checks; i++) {
        const struct fw_key *k = &x->keys[(size_t)i * 7919 % TRACE_N];
        long want = fw_linear_match(x->rules, (size_t)n, k);
        rows[0].checked++, rows[1].checked++;
        rows[0].agreed += fw_classify(c, k) == want;
        long got;
        fw_classify_burst(c, k, 1, &got);
        rows[1].agreed += got == want;
    }
    if (!x->bin || !x->valg) {
        dead[2] = dead[3] = 1;
        for (int v = 2; v < 4; v++)
            bench_fmt(rows[v].note, sizeof(rows[v].note), "%s", !x->bin ? "dpdk-test-acl not installed (Debian: dpdk)"
                                                                        : "no vector path on this CPU");
    } else if (n <= o->verify_max) {
        verify_dpdk(x, c, rpath, vpath, n, &rows[2]);
    }
    int dpdk_rounds = n >= 1000000 ? 1 : o->rounds;
    for (int r = 0; r < o->rounds && !bench_interrupted; r++) {
        fprintf(stderr, "bench: fw: %s %ld rules, round %d/%d\n", bench_fw_profile_name(profile), n, r + 1, o->rounds);
        samples[0][ns[0]++] = time_ours(c, x->keys, 0);
        samples[1][ns[1]++] = time_ours(c, x->keys, 1);
        for (int v = 2; v < 4 && r < dpdk_rounds && !bench_interrupted; v++) {
            if (dead[v])
                continue;
            /* About a second of lookups at our rate, at least two passes. */
            long iters = (long)(samples[0][0] / TRACE_N);
            iters = iters < 2 ? 2 : iters > 300 ? 300 : iters;
            struct bench_fw_dpdk_run run = {.bin = x->bin, .rules = rpath, .nrules = n, .trace = tpath,
                                            .ntrace = TRACE_N, .alg = v == 2 ? "scalar" : x->valg, .iters = iters,
                                            .cpu = o->cpu, .timeout_ms = o->timeout_s * 1000};
            struct bench_fw_dpdk_result res;
            if (bench_fw_dpdk_exec(&run, &res) < 0) {
                dead[v] = 1; /* a build that did not finish once will not the next time */
                bench_fmt(rows[v].note, sizeof(rows[v].note), "%s", res.note);
                continue;
            }
            samples[v][ns[v]++] = res.lookups_per_s;
            if (rows[v].build_ms == 0 || res.build_ms < rows[v].build_ms)
                rows[v].build_ms = res.build_ms;
            rows[v].bytes = res.mem_bytes;
            if (res.peak_rss_mib > rows[v].peak_mib)
                rows[v].peak_mib = res.peak_rss_mib;
        }
    }
    for (int v = 0; v < BENCH_FW_PEER_VARIANTS; v++)
        summarize(&rows[v], samples[v], ns[v]);
    if (dpdk_rounds < o->rounds && rows[2].ok)
        bench_fmt(rows[2].note, sizeof(rows[2].note), "%s%sone run (build too slow for %d)", rows[2].note,
                  rows[2].note[0] ? "; " : "", o->rounds);
    if (!x->answers || n > o->verify_max) {
        if (!rows[2].note[0])
            bench_fmt(rows[2].note, sizeof(rows[2].note), "answers not checked above %ld rules", o->verify_max);
    }
    fw_classifier_free(c);
}

/* ---- updates ------------------------------------------------------------------------------ */

static uint64_t xs(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void take(uint32_t *list, long *len, long at)
{
    list[at] = list[--*len];
}

/* cap = 2n rule slots; n present after deleting a random half of a full build; then updates
 * alternate a delete of a random present rule and an insert of a fresh rule into a random empty
 * slot (its priority: that slot). */
static void run_updates(const struct bench_fw_peer_opts *o, struct fw_key *keys, struct bench_fw_upd_row *u)
{
    long n = o->upd_rules, cap = 2 * n, npres = 0, nabs = 0, fresh_at = 0, nfresh = o->updates / 2 + 1;
    struct fw_rule *slots = malloc((size_t)cap * sizeof(*slots)), *fresh = malloc((size_t)nfresh * sizeof(*fresh));
    struct fw_rule *compact = malloc((size_t)cap * sizeof(*compact));
    uint32_t *pres = malloc((size_t)cap * sizeof(*pres)), *abs_ = malloc((size_t)cap * sizeof(*abs_));
    uint32_t *map = malloc((size_t)cap * sizeof(*map));
    struct fw_classifier *c = NULL, *r = NULL;
    uint64_t s = o->seed * 0x9E3779B97F4A7C15ull + 3;
    double t_ins = 0, t_del = 0;
    long n_ins = 0, n_del = 0;
    memset(u, 0, sizeof(*u));
    u->rules = n;
    u->updates = o->updates;
    if (!slots || !fresh || !compact || !pres || !abs_ || !map) {
        bench_fmt(u->note, sizeof(u->note), "no memory for %ld rule slots", cap);
        goto done;
    }
    bench_fw_gen_profile(slots, (size_t)cap, BENCH_FW_ACL, o->seed, 0, 0);
    bench_fw_gen_profile(fresh, (size_t)nfresh, BENCH_FW_ACL, o->seed + 7, 0, 0);
    bench_fw_gen_trace(slots, (size_t)cap, keys, TRACE_N, o->seed + 1);
    c = fw_classifier_build(slots, (size_t)cap, FW_CLASSES_DEFAULT);
    if (!c) {
        bench_fmt(u->note, sizeof(u->note), "out of memory building the classifier");
        goto done;
    }
    for (long i = 0; i < cap; i++) {
        if (xs(&s) & 1 ? npres < n : nabs == n) {
            pres[npres++] = (uint32_t)i;
        } else {
            abs_[nabs++] = (uint32_t)i;
            if (fw_classifier_delete(c, slots, (uint32_t)i) < 0) {
                bench_fmt(u->note, sizeof(u->note), "delete of rule %ld failed", i);
                goto done;
            }
        }
    }
    for (long k = 0; k < o->updates && !bench_interrupted; k++) {
        double t0 = bench_now_ms();
        if (k & 1) {
            long at = (long)(xs(&s) % (uint64_t)nabs);
            uint32_t i = abs_[at];
            slots[i] = fresh[fresh_at++ % nfresh];
            if (fw_classifier_insert(c, slots, i) < 0) {
                bench_fmt(u->note, sizeof(u->note), "insert ran out of memory");
                goto done;
            }
            take(abs_, &nabs, at);
            pres[npres++] = i;
            t_ins += bench_now_ms() - t0, n_ins++;
        } else {
            long at = (long)(xs(&s) % (uint64_t)npres);
            uint32_t i = pres[at];
            if (fw_classifier_delete(c, slots, i) < 0) {
                bench_fmt(u->note, sizeof(u->note), "delete of present rule %u failed", i);
                goto done;
            }
            take(pres, &npres, at);
            abs_[nabs++] = i;
            t_del += bench_now_ms() - t0, n_del++;
        }
    }
    u->updates_per_s = t_ins + t_del > 0 ? (double)(n_ins + n_del) / ((t_ins + t_del) / 1000.0) : 0;
    u->insert_per_s = t_ins > 0 ? (double)n_ins / (t_ins / 1000.0) : 0;
    u->delete_per_s = t_del > 0 ? (double)n_del / (t_del / 1000.0) : 0;
    u->lookups_after = time_ours(c, keys, 1);
    u->bytes_after = (double)fw_classifier_bytes(c);
    /* The rebuilt reference: the present rules in slot order (priority kept), indices mapped. */
    long m = 0;
    uint8_t *is_pres = calloc((size_t)cap, 1);
    if (!is_pres) {
        bench_fmt(u->note, sizeof(u->note), "no memory for the rebuild");
        goto done;
    }
    for (long j = 0; j < npres; j++)
        is_pres[pres[j]] = 1;
    for (long i = 0; i < cap; i++) {
        if (is_pres[i]) {
            map[m] = (uint32_t)i;
            compact[m++] = slots[i];
        }
    }
    free(is_pres);
    r = fw_classifier_build(compact, (size_t)m, FW_CLASSES_DEFAULT);
    if (!r) {
        bench_fmt(u->note, sizeof(u->note), "out of memory for the rebuild");
        goto done;
    }
    u->lookups_rebuilt = time_ours(r, keys, 1);
    u->bytes_rebuilt = (double)fw_classifier_bytes(r);
    for (long i = 0; i < TRACE_N; i++) {
        long a = fw_classify(c, &keys[i]), b = fw_classify(r, &keys[i]);
        u->checked++;
        u->agreed += a == (b < 0 ? -1 : (long)map[b]);
    }
    u->ok = 1;
done:
    fw_classifier_free(c);
    fw_classifier_free(r);
    free(slots);
    free(fresh);
    free(compact);
    free(pres);
    free(abs_);
    free(map);
}

/* ---- run and report ----------------------------------------------------------------------- */

int bench_fw_peer_run(const struct bench_fw_peer_opts *o, struct bench_fw_peer_row *rows, int maxrows, int *nrows,
                      struct bench_fw_upd_row *upd, char *err, size_t errlen)
{
    char bin[PATH_MAX], dir[] = "/tmp/unf-bench-fw-XXXXXX";
    cpu_set_t old, one;
    long maxn = 0;
    int rc = -1, pinned = 0;
    struct set_ctx x = {.o = o, .valg = bench_fw_dpdk_vector_alg()};
    *nrows = 0;
    memset(upd, 0, sizeof(*upd));
    x.bin = bench_fw_dpdk_find(bin, sizeof(bin)) == 0 ? bin : NULL;
    for (int i = 0; i < o->nsizes; i++)
        maxn = o->sizes[i] > maxn ? o->sizes[i] : maxn;
    x.rules = malloc((size_t)(maxn ? maxn : 1) * sizeof(*x.rules));
    x.keys = malloc(TRACE_N * sizeof(*x.keys));
    x.answers = malloc(VERIFY_N * sizeof(*x.answers));
    if (!x.rules || !x.keys || !x.answers || !mkdtemp(dir)) {
        bench_fmt(err, errlen, "no memory or no temporary directory");
        goto cleanup;
    }
    x.dir = dir;
    /* Everything on one core: ours in this process, DPDK's by its own -l (the EAL pins it). */
    if (sched_getaffinity(0, sizeof(old), &old) == 0) {
        CPU_ZERO(&one);
        CPU_SET(o->cpu, &one);
        pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
    }
    if (!pinned) {
        bench_fmt(err, errlen, "cannot pin to cpu %d", o->cpu);
        goto cleanup;
    }
    for (int p = 0; p < o->nprofiles && !bench_interrupted; p++) {
        for (int i = 0; i < o->nsizes && !bench_interrupted; i++) {
            if (*nrows + BENCH_FW_PEER_VARIANTS > maxrows)
                break;
            run_set(&x, o->profiles[p], o->sizes[i], &rows[*nrows]);
            *nrows += BENCH_FW_PEER_VARIANTS;
        }
    }
    if (o->upd_rules > 0 && !bench_interrupted) {
        fprintf(stderr, "bench: fw: %ld updates at %ld rules\n", o->updates, o->upd_rules);
        run_updates(o, x.keys, upd);
    }
    rc = 0;
cleanup:
    if (pinned)
        sched_setaffinity(0, sizeof(old), &old);
    if (x.dir) {
        char path[PATH_MAX];
        bench_fmt(path, sizeof(path), "%s/rules", dir);
        unlink(path);
        bench_fmt(path, sizeof(path), "%s/trace", dir);
        unlink(path);
        bench_fmt(path, sizeof(path), "%s/verify", dir);
        unlink(path);
        rmdir(dir);
    }
    free(x.rules);
    free(x.keys);
    free(x.answers);
    return rc;
}

static const struct bench_fw_peer_row *ours_best(const struct bench_fw_peer_row *set)
{
    if (!set[0].ok)
        return set[1].ok ? &set[1] : NULL;
    return set[1].ok && set[1].best > set[0].best ? &set[1] : &set[0];
}

void bench_fw_peer_md(FILE *f, const struct bench_fw_peer_opts *o, const struct bench_fw_peer_row *rows, int nrows,
                      const struct bench_fw_upd_row *upd)
{
    const char *valg = bench_fw_dpdk_vector_alg();
    fprintf(f, "## Against DPDK rte_acl (dpdk-test-acl), one core\n\n");
    fprintf(f, "Every variant on cpu %d (this process pinned; dpdk-test-acl by its own `-l %d`), in %d interleaved "
               "rounds per set (sets of 1M rules: DPDK once, its build takes minutes), best and median of the runs. "
               "Same ClassBench rule file and %d-header trace for both (seed %llu; profiles acl, fw, ipc; 95%% of the "
               "headers drawn inside random rules). unf classify: one key per call; unf burst: %d keys per "
               "fw_classify_burst call, as dpdk-test-acl classifies %d per rte_acl_classify call. dpdk-test-acl "
               "runs with `--no-huge --no-pci --no-shconf --no-telemetry -m 4096 -- --bldcat=1 --runcat=1 "
               "--alg=scalar|%s`; its rate is its own pkt/sec line. Memory per rule: ours is every allocation of "
               "the classifier (capacities) without the 36-byte rule array; DPDK's is the runtime footprint "
               "rte_acl reports (\"total\"), without its copies of the rules. Build: ours is "
               "fw_classifier_build; DPDK's is from its last EAL line to rte_acl's first log line after the "
               "build, so it includes reading the rule file. Agreement: ours against the first-match linear "
               "scan on a sample; DPDK's scalar answers on the first %d headers against ours (sets up to %ld "
               "rules).\n\n",
            o->cpu, o->cpu, o->rounds, TRACE_N, (unsigned long long)o->seed, STEP, STEP, valg ? valg : "-", VERIFY_N,
            o->verify_max);
    fprintf(f, "| set | rules | classifier | build ms | B/rule | peak RSS MiB | lookups/s best | median | runs | "
               "unf best / this | agrees | notes |\n|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (int i = 0; i + BENCH_FW_PEER_VARIANTS <= nrows; i += BENCH_FW_PEER_VARIANTS) {
        const struct bench_fw_peer_row *ours = ours_best(&rows[i]);
        for (int v = 0; v < BENCH_FW_PEER_VARIANTS; v++) {
            const struct bench_fw_peer_row *r = &rows[i + v];
            char name[40], agree[32] = "-", ratio[16] = "-", rss[24] = "-";
            bench_fmt(name, sizeof(name), "%s", r->variant);
            if (v == 3)
                bench_fmt(name, sizeof(name), "dpdk %s", valg ? valg : "vector");
            if (r->checked)
                bench_fmt(agree, sizeof(agree), "%ld/%ld", r->agreed, r->checked);
            if (r->peak_mib > 0)
                bench_fmt(rss, sizeof(rss), "%.0f", r->peak_mib);
            if (v >= 2 && r->ok && ours && r->best > 0)
                bench_fmt(ratio, sizeof(ratio), "%.2f", ours->best / r->best);
            if (r->ok)
                fprintf(f, "| %s | %ld | %s | %.1f | %.0f | %s | %.0f | %.0f | %d | %s | %s | %s |\n",
                        bench_fw_profile_name(r->profile), r->rules, name, r->build_ms, r->bytes / (double)r->rules,
                        rss, r->best, r->median, r->runs, ratio, agree, r->note);
            else
                fprintf(f, "| %s | %ld | %s | - | - | - | - | - | 0 | - | %s | %s |\n", bench_fw_profile_name(r->profile),
                        r->rules, name, agree, r->note);
        }
    }
    fprintf(f, "\n## In-place updates\n\n");
    if (!upd->rules) {
        fprintf(f, "Not measured (--updates 0).\n\n");
        return;
    }
    fprintf(f, "acl profile, %ld rules present out of %ld slots (a full build, then half deleted), then %ld updates "
               "alternating fw_classifier_delete of a random present rule and fw_classifier_insert of a fresh rule "
               "into a random empty slot (priority = slot); every update timed on its own. Then lookups/s (bursts) "
               "and memory of the updated classifier against one rebuilt from scratch over the same rules, and "
               "their answers on the %d-header trace compared.\n\n",
            upd->rules, 2 * upd->rules, upd->updates, TRACE_N);
    if (!upd->ok) {
        fprintf(f, "Failed: %s.\n\n", upd->note);
        return;
    }
    fprintf(f, "| rules | updates | updates/s | inserts/s | deletes/s | lookups/s after | lookups/s rebuilt | B/rule after "
               "| B/rule rebuilt | agree with rebuild |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    fprintf(f, "| %ld | %ld | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %ld/%ld |\n\n", upd->rules, upd->updates,
            upd->updates_per_s, upd->insert_per_s, upd->delete_per_s, upd->lookups_after, upd->lookups_rebuilt,
            upd->bytes_after / (double)upd->rules, upd->bytes_rebuilt / (double)upd->rules, upd->agreed, upd->checked);
}

void bench_fw_peer_targets(FILE *f, const struct bench_fw_peer_row *rows, int nrows,
                           const struct bench_fw_upd_row *upd)
{
    for (int i = 0; i + BENCH_FW_PEER_VARIANTS <= nrows; i += BENCH_FW_PEER_VARIANTS) {
        const struct bench_fw_peer_row *ours = ours_best(&rows[i]), *sc = &rows[i + 2], *ve = &rows[i + 3];
        const char *set = bench_fw_profile_name(rows[i].profile);
        char why[200];
        if (!ours || (!sc->ok && !ve->ok)) {
            bench_fmt(why, sizeof(why), "%s", !ours ? "ours not measured" : sc->note[0] ? sc->note : ve->note);
            fprintf(f, "| classifier per core >= DPDK rte_acl, %s %ld rules | - | %s |\n", set, rows[i].rules,
                    bench_verdict(0, 0, why));
            continue;
        }
        int agree = ours->agreed == ours->checked && sc->agreed == sc->checked;
        int met = agree && (!sc->ok || ours->best >= sc->best) && (!ve->ok || ours->best >= ve->best);
        fprintf(f, "| classifier per core >= DPDK rte_acl, %s %ld rules | %s %.2f M/s; scalar ", set, rows[i].rules,
                ours->variant, ours->best / 1e6);
        if (sc->ok)
            fprintf(f, "%.2f M/s (x%.2f)", sc->best / 1e6, ours->best / sc->best);
        else
            fprintf(f, "-");
        fprintf(f, ", vector ");
        if (ve->ok)
            fprintf(f, "%.2f M/s (x%.2f)", ve->best / 1e6, ours->best / ve->best);
        else
            fprintf(f, "- (%s)", ve->note);
        fprintf(f, "%s | %s |\n", agree ? "" : "; answers DISAGREE", bench_verdict(1, met, NULL));
    }
    if (upd->rules) {
        if (upd->ok)
            fprintf(f, "| >= 10k in-place updates/s at 100k rules | %.0f updates/s at %ld rules, %ld/%ld agree with "
                       "a rebuild | %s |\n", upd->updates_per_s, upd->rules, upd->agreed, upd->checked,
                    bench_verdict(1, upd->updates_per_s >= 10000 && upd->rules >= 100000 && upd->agreed == upd->checked,
                                  NULL));
        else
            fprintf(f, "| >= 10k in-place updates/s at 100k rules | - | %s |\n", bench_verdict(0, 0, upd->note));
    }
}

void bench_fw_peer_csv(FILE *f, const struct bench_fw_peer_row *rows, int nrows)
{
    fprintf(f, "profile,rules,variant,ok,runs,build_ms,bytes_per_rule,peak_rss_mib,best_lookups_per_s,"
               "median_lookups_per_s,agreed,checked,note\n");
    for (int i = 0; i < nrows; i++) {
        const struct bench_fw_peer_row *r = &rows[i];
        fprintf(f, "%s,%ld,%s,%d,%d,%.1f,%.1f,%.0f,%.0f,%.0f,%ld,%ld,", bench_fw_profile_name(r->profile), r->rules,
                r->variant, r->ok, r->runs, r->build_ms, r->rules ? r->bytes / (double)r->rules : 0, r->peak_mib,
                r->best, r->median, r->agreed, r->checked);
        bench_csv_text(f, r->note);
        fprintf(f, "\n");
    }
}
