/* SPDX-License-Identifier: BSD-2-Clause */
/* Property tests of the firewall classifier (apps/firewall/fw_classify.c): on random rule sets
 * built to overlap heavily (few address bases, every prefix length, wildcard/exact/ranged
 * ports, exact/wild/odd protocol masks) and random packets (half drawn inside a rule), the
 * classifier must return exactly the first-match linear scan's answer, for every class layout;
 * a burst of lookups answers as single lookups do; and after random in-place inserts and
 * deletes the classifier answers as one rebuilt from scratch over the rules then present.
 * Fixed seeds, so a failure reproduces. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/firewall/fw_classify.h"
#include "check.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
    /* xorshift64*: fast, fixed-seed, same stream on every machine */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

static const uint32_t bases[] = {0x0a000000, 0x0a010000, 0x0a010100, 0xc0a80100, 0xc0a80000, 0x00000000};

static uint32_t rnd_addr(void)
{
    uint32_t base = bases[rnd() % (sizeof(bases) / sizeof(bases[0]))];
    switch (rnd() % 4) {
    case 0: return base | (rnd() & 0xff);
    case 1: return base | (rnd() & 0xffff);
    case 2: return base | (rnd() & 0x3);
    default: return rnd();
    }
}

static void rnd_ports(uint16_t *lo, uint16_t *hi)
{
    switch (rnd() % 5) {
    case 0: *lo = 0, *hi = 65535; break;
    case 1: *lo = *hi = (uint16_t)(rnd() % 8 + 78); break;
    case 2: *lo = *hi = (uint16_t)rnd(); break;
    case 3: *lo = 1024, *hi = 65535; break;
    default: {
        uint16_t a = (uint16_t)(rnd() % 100 + 60), b = (uint16_t)(rnd() % 100 + 60);
        *lo = a < b ? a : b;
        *hi = a < b ? b : a;
    }
    }
}

static void rnd_rule(struct fw_rule *r, uint32_t id)
{
    memset(r, 0, sizeof(*r));
    r->src_len = (uint8_t)(rnd() % 33);
    r->dst_len = (uint8_t)(rnd() % 33);
    r->src = rnd_addr() & fw_prefix_mask(r->src_len);
    r->dst = rnd_addr() & fw_prefix_mask(r->dst_len);
    rnd_ports(&r->sport_lo, &r->sport_hi);
    rnd_ports(&r->dport_lo, &r->dport_hi);
    switch (rnd() % 4) {
    case 0: r->proto = 0, r->proto_mask = 0; break;
    case 1: r->proto = 6, r->proto_mask = 0xff; break;
    case 2: r->proto = 17, r->proto_mask = 0xff; break;
    default: r->proto_mask = (uint8_t)rnd(), r->proto = (uint8_t)rnd() & r->proto_mask; break;
    }
    r->action = (uint8_t)(rnd() & 1);
    r->id = id;
}

static uint16_t in_range(uint16_t lo, uint16_t hi)
{
    return (uint16_t)(lo + rnd() % ((uint32_t)hi - lo + 1));
}

static void rnd_packet(const struct fw_rule *rules, size_t n, struct fw_key *k)
{
    if (n && rnd() % 2) { /* inside a rule: it (or an earlier one) must be found */
        const struct fw_rule *r = &rules[rnd() % n];
        uint32_t ms = fw_prefix_mask(r->src_len), md = fw_prefix_mask(r->dst_len);
        k->src = r->src | (rnd() & ~ms);
        k->dst = r->dst | (rnd() & ~md);
        k->sport = in_range(r->sport_lo, r->sport_hi);
        k->dport = in_range(r->dport_lo, r->dport_hi);
        k->proto = (uint8_t)(r->proto | (rnd() & ~r->proto_mask));
    } else {
        k->src = rnd_addr();
        k->dst = rnd_addr();
        k->sport = (uint16_t)(rnd() % 3 ? rnd() % 200 : rnd());
        k->dport = (uint16_t)(rnd() % 3 ? rnd() % 200 : rnd());
        k->proto = (uint8_t)(rnd() % 3 ? 6 : rnd());
    }
}

/* Returns the number of disagreements over npkts packets. */
static long compare(size_t nrules, uint64_t classes, uint64_t seed, long npkts)
{
    struct fw_rule *rules = calloc(nrules ? nrules : 1, sizeof(*rules));
    long bad = 0;
    rng_state = seed;
    for (size_t i = 0; i < nrules; i++)
        rnd_rule(&rules[i], (uint32_t)i);
    struct fw_classifier *c = fw_classifier_build(rules, nrules, classes);
    if (!c) {
        free(rules);
        return -1;
    }
    for (long i = 0; i < npkts; i++) {
        struct fw_key k;
        rnd_packet(rules, nrules, &k);
        long want = fw_linear_match(rules, nrules, &k), got = fw_classify(c, &k);
        if (want != got && bad++ < 3)
            printf("INFO mismatch n=%zu classes=%llx seed=%llu: linear %ld classifier %ld\n", nrules,
                   (unsigned long long)classes,
                   (unsigned long long)seed, want, got);
    }
    fw_classifier_free(c);
    free(rules);
    return bad;
}

static void test_random_sets(void)
{
    static const size_t sizes[] = {0, 1, 2, 7, 50, 300, 2000, 8000};
    const uint64_t classes[] = {FW_CLASSES_EXACT, fw_classes_every(4), fw_classes_every(8), FW_CLASSES_DEFAULT,
                                fw_classes_every(16), 1, (1ull << 5) | (1ull << 17) | (1ull << 31)};
    char name[96];
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        for (size_t g = 0; g < sizeof(classes) / sizeof(classes[0]); g++) {
            long total = 0;
            for (uint64_t seed = 1; seed <= 4; seed++) {
                long bad = compare(sizes[s], classes[g], seed * 7919 + sizes[s], sizes[s] > 2000 ? 5000 : 20000);
                total += bad < 0 ? 1000000 : bad;
            }
            snprintf(name, sizeof(name), "fw_classify.equals-linear.rules-%zu.classes-%llx", sizes[s],
                     (unsigned long long)classes[g]);
            CHECK(total == 0, name);
        }
    }
}

static void test_edges(void)
{
    struct fw_rule r[3];
    memset(r, 0, sizeof(r));
    /* rule 0: exact host, port 80 tcp; rule 1: wildcard everything; rule 2: unreachable */
    r[0].src = 0x0a000001, r[0].src_len = 32, r[0].dst = 0x0a000002, r[0].dst_len = 32;
    r[0].sport_hi = 65535, r[0].dport_lo = r[0].dport_hi = 80, r[0].proto = 6, r[0].proto_mask = 0xff;
    r[1].sport_hi = r[1].dport_hi = 65535;
    r[2] = r[0];
    struct fw_classifier *c = fw_classifier_build(r, 3, FW_CLASSES_DEFAULT);
    struct fw_key k = {.src = 0x0a000001, .dst = 0x0a000002, .sport = 5555, .dport = 80, .proto = 6};
    CHECK(c && fw_classify(c, &k) == 0, "fw_classify.exact-host-first");
    k.dport = 81;
    CHECK(c && fw_classify(c, &k) == 1, "fw_classify.falls-to-wildcard");
    k.proto = 17, k.dport = 80;
    CHECK(c && fw_classify(c, &k) == 1, "fw_classify.proto-mismatch");
    /* tcp group: {r0, r2} and {r1}; udp, icmp, others: {r1} each */
    CHECK(c && fw_classifier_tables(c) == 5 && fw_classifier_bytes(c) > 0, "fw_classify.tables");
    fw_classifier_free(c);
    CHECK(fw_classes_every(0) == 0 && fw_classes_every(33) == 0 && fw_classes_every(1) == FW_CLASSES_EXACT &&
          fw_classes_every(32) == ((1ull << 32) | 1), "fw_classify.classes-every");
    c = fw_classifier_build(r, 0, FW_CLASSES_DEFAULT);
    CHECK(c && fw_classify(c, &k) == -1, "fw_classify.empty-set");
    fw_classifier_free(c);
}

static void test_burst(void)
{
    static const size_t sizes[] = {0, 5, 3000};
    char name[64];
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        size_t n = sizes[s];
        struct fw_rule *rules = calloc(n ? n : 1, sizeof(*rules));
        struct fw_key keys[203];
        long out[203];
        long bad = 0;
        rng_state = 4242 + n;
        for (size_t i = 0; i < n; i++)
            rnd_rule(&rules[i], (uint32_t)i);
        struct fw_classifier *c = rules ? fw_classifier_build(rules, n, FW_CLASSES_DEFAULT) : NULL;
        for (int round = 0; c && round < 20; round++) {
            size_t count = (size_t)(rnd() % 204); /* bursts of any length, 0 and partial ones too */
            for (size_t i = 0; i < count; i++)
                rnd_packet(rules, n, &keys[i]);
            fw_classify_burst(c, keys, count, out);
            for (size_t i = 0; i < count; i++)
                bad += out[i] != fw_classify(c, &keys[i]);
        }
        snprintf(name, sizeof(name), "fw_classify.burst-equals-single.rules-%zu", n);
        CHECK(c && bad == 0, name);
        fw_classifier_free(c);
        free(rules);
    }
}

/* Incremental classifier vs one rebuilt over the present rules (compacted: map[] takes the
 * rebuilt classifier's index back to the slot's). Returns disagreements over npkts packets. */
static long compare_rebuilt(const struct fw_classifier *inc, const struct fw_rule *slots, const uint8_t *present,
                            size_t cap, uint64_t classes, long npkts)
{
    struct fw_rule *compact = calloc(cap ? cap : 1, sizeof(*compact));
    long *map = calloc(cap ? cap : 1, sizeof(*map)), bad = 0;
    size_t n = 0;
    if (!compact || !map) {
        free(compact);
        free(map);
        return -1;
    }
    for (size_t i = 0; i < cap; i++) {
        if (present[i]) {
            map[n] = (long)i;
            compact[n++] = slots[i];
        }
    }
    struct fw_classifier *fresh = fw_classifier_build(compact, n, classes);
    for (long i = 0; fresh && i < npkts; i++) {
        struct fw_key k;
        rnd_packet(compact, n, &k);
        long want = fw_classify(fresh, &k), lin = fw_linear_match(compact, n, &k), got = fw_classify(inc, &k);
        want = want < 0 ? -1 : map[want];
        lin = lin < 0 ? -1 : map[lin];
        if ((want != got || lin != got) && bad++ < 3)
            printf("INFO update mismatch: rebuilt %ld linear %ld incremental %ld\n", want, lin, got);
    }
    if (!fresh)
        bad = -1;
    fw_classifier_free(fresh);
    free(compact);
    free(map);
    return bad;
}

/* cap rule slots, half present at the start; then nupd random updates: a delete of a present
 * rule or an insert of a fresh random rule into an empty slot (its priority: the slot). */
static long run_updates(size_t cap, uint64_t classes, uint64_t seed, long nupd, int same_key)
{
    struct fw_rule *slots = calloc(cap, sizeof(*slots));
    uint8_t *present = calloc(cap, 1);
    long bad = 0, errors = 0;
    rng_state = seed;
    if (!slots || !present) {
        bad = -1;
        goto done;
    }
    for (size_t i = 0; i < cap; i++) {
        rnd_rule(&slots[i], (uint32_t)i);
        if (same_key) { /* one key for all: chains beyond the limit, exact-length tables */
            slots[i].src = 0x0a000000, slots[i].src_len = 8 + (uint8_t)(rnd() % 3);
            slots[i].dst = 0xc0a80000, slots[i].dst_len = 16;
            slots[i].proto = 6, slots[i].proto_mask = 0xff;
        }
        present[i] = rnd() % 2;
    }
    /* The classifier starts from the present half, built at their slot indices: build over
     * all slots, then delete the absent ones (itself an update path). */
    struct fw_classifier *c = fw_classifier_build(slots, cap, classes);
    if (!c) {
        bad = -1;
        goto done;
    }
    for (size_t i = 0; i < cap; i++)
        errors += !present[i] && fw_classifier_delete(c, slots, (uint32_t)i) != 0;
    for (long u = 0; u < nupd; u++) {
        size_t i = rnd() % cap;
        if (present[i]) {
            errors += fw_classifier_delete(c, slots, (uint32_t)i) != 0;
            errors += fw_classifier_delete(c, slots, (uint32_t)i) != -1; /* gone: a second delete fails */
            present[i] = 0;
        } else {
            rnd_rule(&slots[i], (uint32_t)i);
            if (same_key) {
                slots[i].src = 0x0a000000, slots[i].src_len = 8;
                slots[i].dst = 0xc0a80000, slots[i].dst_len = 16;
                slots[i].proto = 6, slots[i].proto_mask = 0xff;
            }
            errors += fw_classifier_insert(c, slots, (uint32_t)i) != 0;
            present[i] = 1;
        }
        if (u % (nupd / 4 + 1) == 0)
            bad += compare_rebuilt(c, slots, present, cap, classes, 300);
    }
    long last = compare_rebuilt(c, slots, present, cap, classes, 3000);
    bad = last < 0 ? -1 : bad + last + errors;
    fw_classifier_free(c);
done:
    free(slots);
    free(present);
    return bad;
}

static void test_updates(void)
{
    static const size_t caps[] = {1, 40, 600, 5000};
    const uint64_t classes[] = {FW_CLASSES_DEFAULT, FW_CLASSES_EXACT, fw_classes_every(8)};
    char name[96];
    for (size_t s = 0; s < sizeof(caps) / sizeof(caps[0]); s++) {
        for (size_t g = 0; g < sizeof(classes) / sizeof(classes[0]); g++) {
            long bad = run_updates(caps[s], classes[g], 77 + caps[s] * 3 + g, (long)caps[s] * 2 + 10, 0);
            snprintf(name, sizeof(name), "fw_classify.updates-equal-rebuild.slots-%zu.classes-%llx", caps[s],
                     (unsigned long long)classes[g]);
            CHECK(bad == 0, name);
        }
    }
    CHECK(run_updates(800, FW_CLASSES_DEFAULT, 99, 3000, 1) == 0, "fw_classify.updates-equal-rebuild.long-chains");
    /* An empty classifier grows its first tables by inserts alone. */
    struct fw_rule r[2];
    memset(r, 0, sizeof(r));
    r[1].src = 0x0a000000, r[1].src_len = 8, r[1].sport_hi = r[1].dport_hi = 65535;
    r[1].proto = 17, r[1].proto_mask = 0xff;
    struct fw_classifier *c = fw_classifier_build(r, 0, FW_CLASSES_DEFAULT);
    struct fw_key k = {.src = 0x0a0b0c0d, .dst = 1, .sport = 1, .dport = 2, .proto = 17};
    CHECK(c && fw_classify(c, &k) == -1 && fw_classifier_insert(c, r, 1) == 0 && fw_classify(c, &k) == 1 &&
          fw_classifier_tables(c) == 1, "fw_classify.insert-into-empty");
    CHECK(c && fw_classifier_delete(c, r, 1) == 0 && fw_classify(c, &k) == -1 && fw_classifier_delete(c, r, 1) == -1,
          "fw_classify.delete-to-empty");
    fw_classifier_free(c);
}

int main(void)
{
    test_edges();
    test_burst();
    test_updates();
    test_random_sets();
    return CHECK_DONE();
}
