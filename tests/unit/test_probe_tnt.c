/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the TNT logic of apps/probe: the formulas (tnt_math, with the spec's example
 * lines as vectors), the classification passes (tnt_classify) and the revelation state machine
 * (tnt_reveal) driven by synthetic traces. */
#include <string.h>

#include "../../apps/probe/tnt_classify.h"
#include "../../apps/probe/tnt_math.h"
#include "../../apps/probe/tnt_reveal.h"
#include "check.h"

static uint32_t A(int a, int b, int c, int d)
{
    uint32_t v;
    uint8_t *p = (uint8_t *)&v;
    p[0] = (uint8_t)a; p[1] = (uint8_t)b; p[2] = (uint8_t)c; p[3] = (uint8_t)d;
    return v;
}

/* A time-exceeded hop at probe TTL ttl from 20.0.0.<last>. */
static struct tnt_hop te_hop(int ttl, int last, int te, int er, int qttl)
{
    struct tnt_hop h;
    memset(&h, 0, sizeof(h));
    h.addr = last ? A(20, 0, 0, last) : 0;
    h.probe_ttl = ttl;
    h.icmp_type = 11;
    h.reply_ttl = te;
    h.er = er;
    h.qttl = qttl;
    return h;
}

static void labels(struct tnt_hop *h, int mttl)
{
    h->n_labels = 1;
    h->labels[0].label = 100;
    h->labels[0].ttl = (uint8_t)mttl;
}

static void test_math(void)
{
    CHECK(tnt_math_ittl(244) == 255 && tnt_math_ittl(129) == 255 && tnt_math_ittl(128) == 128 &&
              tnt_math_ittl(65) == 128 && tnt_math_ittl(64) == 64 && tnt_math_ittl(33) == 64 &&
              tnt_math_ittl(32) == 32 && tnt_math_ittl(1) == 32 && tnt_math_ittl(0) == 0,
          "math.ittl-boundaries");
    /* spec: hop 7, te=244, er=54, probe_ttl=7 */
    CHECK(tnt_math_ret(244) == 12 && tnt_math_ret(54) == 11, "math.spec-hop7.ret");
    CHECK(tnt_math_uturn(244, 54) == 1 && tnt_math_rtla(244, 54) == 1 &&
              tnt_math_frpla(244, 7) == 5, "math.spec-hop7.uturn-rtla-frpla");
    /* spec: H1 <242,53> uturn=2 rtla=2 frpla=6 at probe TTL 8 */
    CHECK(tnt_math_uturn(242, 53) == 2 && tnt_math_rtla(242, 53) == 2 &&
              tnt_math_frpla(242, 8) == 6, "math.spec-H1");
    /* spec: hop 11 <236,*> frpla=9, no echo reply: uturn 0 */
    CHECK(tnt_math_frpla(236, 11) == 9 && tnt_math_uturn(236, 0) == 0 && tnt_math_rtla(236, 0) == 0,
          "math.spec-hop11");
    CHECK(tnt_math_rtla(250, 250) == 0 && tnt_math_uturn(250, 250) == 0, "math.rtla-same-ittl");
    CHECK(tnt_math_rtla(62, 64) == 0 && tnt_math_uturn(62, 64) == 2, "math.uturn-without-rtla");
    uint8_t v1[] = {54, 54, 53};
    uint8_t v2[] = {53, 54};
    uint8_t v3[] = {0, 0};
    uint8_t v4[] = {60, 0, 61, 61, 60, 60};
    CHECK(tnt_math_vote(v1, 3) == 54, "math.vote-most-frequent");
    CHECK(tnt_math_vote(v2, 2) == 54, "math.vote-tie-higher");
    CHECK(tnt_math_vote(v3, 2) == 0 && tnt_math_vote(v3, 0) == 0, "math.vote-none");
    CHECK(tnt_math_vote(v4, 6) == 60, "math.vote-ignores-zero");
    CHECK(tnt_math_frpla(0, 5) == 0, "math.frpla-no-reply");
}

static void test_explicit(void)
{
    struct tnt_hop h[5] = {te_hop(1, 1, 255, 255, 1), te_hop(2, 2, 254, 254, 1),
                           te_hop(3, 3, 253, 253, 1), te_hop(4, 4, 252, 252, 1),
                           te_hop(5, 5, 251, 251, 1)};
    labels(&h[2], 1);
    labels(&h[3], 1);
    tnt_classify_metrics(h, 5);
    tnt_classify_labels(h, 5, A(20, 0, 0, 9));
    CHECK(h[1].cls == TNT_CLASS_EXP && h[1].role == TNT_ROLE_ING, "classify.exp.ingress");
    CHECK(h[2].cls == TNT_CLASS_EXP && h[2].role == TNT_ROLE_LSR && h[3].role == TNT_ROLE_LSR,
          "classify.exp.lsrs");
    CHECK(h[4].cls == TNT_CLASS_EXP && h[4].role == TNT_ROLE_EGR, "classify.exp.egress");
    CHECK(h[0].cls == TNT_CLASS_NONE, "classify.exp.before-untouched");

    /* mTTL 255 is explicit too; Juniper <255,64> egress is an implicit LSR */
    struct tnt_hop j[4] = {te_hop(1, 1, 255, 255, 1), te_hop(2, 2, 254, 254, 1),
                           te_hop(3, 3, 250, 60, 1), te_hop(4, 4, 250, 250, 1)};
    labels(&j[1], 255);
    tnt_classify_metrics(j, 4);
    tnt_classify_labels(j, 4, A(20, 0, 0, 9));
    CHECK(j[1].cls == TNT_CLASS_EXP && j[1].role == TNT_ROLE_LSR, "classify.exp.mttl-255");
    CHECK(j[2].cls == TNT_CLASS_IMP && j[2].role == TNT_ROLE_LSR, "classify.juniper-is-implicit-lsr");
    CHECK(j[3].cls == TNT_CLASS_IMP && j[3].role == TNT_ROLE_EGR, "classify.juniper-next-is-egress");
}

static void test_opaque(void)
{
    struct tnt_hop h[4] = {te_hop(1, 1, 255, 255, 1), te_hop(2, 2, 254, 254, 1),
                           te_hop(3, 3, 253, 253, 1), te_hop(4, 4, 252, 252, 1)};
    labels(&h[2], 247);
    struct tnt_opts o;
    tnt_opts_default(&o);
    o.allow_private = 1;
    tnt_classify_metrics(h, 4);
    tnt_classify_labels(h, 4, A(20, 0, 0, 9));
    CHECK(h[2].cls == TNT_CLASS_OPA && h[2].role == TNT_ROLE_EGR && (h[2].flags & TNT_F_MTTL),
          "classify.opa.egress-mttl");
    CHECK(h[1].cls == TNT_CLASS_OPA && h[1].role == TNT_ROLE_ING, "classify.opa.ingress");
    struct tnt_candidate c[4];
    size_t n = tnt_classify_candidates(h, 4, &o, c, 4);
    CHECK(n == 1 && c[0].egress == 2 && c[0].ingress == 1 && c[0].trigger == TNT_F_MTTL,
          "classify.opa.mttl-candidate");
    /* opaque followed by '*' */
    struct tnt_hop s[3] = {te_hop(1, 1, 255, 255, 1), te_hop(2, 2, 250, 250, 1), te_hop(3, 0, 0, 0, 0)};
    labels(&s[1], 20);
    tnt_classify_metrics(s, 3);
    tnt_classify_labels(s, 3, A(20, 0, 0, 9));
    CHECK(s[1].cls == TNT_CLASS_OPA && s[1].role == TNT_ROLE_EGR, "classify.opa.before-star");
}

static void test_implicit(void)
{
    struct tnt_hop h[6] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 1),
                           te_hop(3, 3, 62, 62, 1), te_hop(4, 4, 61, 61, 2),
                           te_hop(5, 5, 60, 60, 3), te_hop(6, 6, 59, 59, 1)};
    tnt_classify_metrics(h, 6);
    tnt_classify_labels(h, 6, A(20, 0, 0, 9));
    CHECK(h[3].cls == TNT_CLASS_IMP && h[3].role == TNT_ROLE_LSR && (h[3].flags & TNT_F_QTTL),
          "classify.imp.qttl-lsr");
    CHECK(h[2].cls == TNT_CLASS_IMP && h[2].role == TNT_ROLE_LSR, "classify.imp.qttl2-previous-is-first-lsr");
    CHECK(h[1].cls == TNT_CLASS_IMP && h[1].role == TNT_ROLE_ING, "classify.imp.qttl2-ingress");
    CHECK(h[4].role == TNT_ROLE_LSR && h[5].cls == TNT_CLASS_IMP && h[5].role == TNT_ROLE_EGR,
          "classify.imp.egress-qttl1");
    CHECK(h[0].cls == TNT_CLASS_NONE, "classify.imp.before-untouched");
    /* qttl 255 is not a tunnel sign */
    struct tnt_hop q[2] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 255)};
    tnt_classify_metrics(q, 2);
    tnt_classify_labels(q, 2, A(20, 0, 0, 9));
    CHECK(q[1].cls == TNT_CLASS_NONE, "classify.imp.qttl-255-ignored");
    /* destination right after an implicit LSR is the egress */
    struct tnt_hop d[3] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 2), te_hop(3, 3, 62, 62, 1)};
    d[2].icmp_type = 0;
    tnt_classify_metrics(d, 3);
    tnt_classify_labels(d, 3, A(20, 0, 0, 3));
    CHECK(d[2].cls == TNT_CLASS_IMP && d[2].role == TNT_ROLE_EGR, "classify.imp.destination-egress");
}

static void test_invisible(void)
{
    struct tnt_opts o;
    tnt_opts_default(&o);
    o.allow_private = 1;
    struct tnt_candidate c[4];
    /* RTLA at hop 7 of the spec */
    struct tnt_hop h[3] = {te_hop(5, 5, 250, 250, 1), te_hop(6, 6, 249, 249, 1),
                           te_hop(7, 7, 244, 54, 1)};
    tnt_classify_metrics(h, 3);
    tnt_classify_labels(h, 3, 0);
    size_t n = tnt_classify_candidates(h, 3, &o, c, 4);
    CHECK(n == 1 && c[0].trigger == TNT_F_RTLA && c[0].egress == 2 && c[0].ingress == 1 &&
              c[0].ingress_found, "classify.inv.rtla");
    CHECK(h[2].cls == TNT_CLASS_INV && h[2].role == TNT_ROLE_EGR && h[1].role == TNT_ROLE_ING &&
              (h[1].flags & TNT_F_RTLA), "classify.inv.rtla-marks");
    /* private addresses are skipped unless allowed */
    struct tnt_opts strict;
    tnt_opts_default(&strict);
    struct tnt_hop p[3] = {te_hop(5, 5, 250, 250, 1), te_hop(6, 6, 249, 249, 1), te_hop(7, 7, 244, 54, 1)};
    for (int i = 0; i < 3; i++) p[i].addr = A(10, 0, 0, i + 1);
    tnt_classify_metrics(p, 3);
    CHECK(tnt_classify_candidates(p, 3, &strict, c, 4) == 0, "classify.inv.private-skipped");
    CHECK(tnt_classify_usable_addr(A(8, 8, 8, 8), &strict) && !tnt_classify_usable_addr(A(192, 168, 1, 1), &strict) &&
              !tnt_classify_usable_addr(A(100, 64, 0, 1), &strict) && !tnt_classify_usable_addr(A(224, 0, 0, 1), &o),
          "classify.usable-addr");
    /* FRPLA: same ittl on both replies, long return path */
    struct tnt_hop f[2] = {te_hop(4, 4, 252, 252, 1), te_hop(5, 5, 245, 245, 1)};
    tnt_classify_metrics(f, 2);
    n = tnt_classify_candidates(f, 2, &o, c, 4);
    CHECK(f[1].frpla == 6 && n == 1 && c[0].trigger == TNT_F_FRPLA, "classify.inv.frpla");
    /* DUPIP (UHP), ingress two back; skipped when the next hop repeats too */
    struct tnt_hop u[4] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 1), te_hop(3, 3, 62, 62, 1),
                           te_hop(4, 3, 61, 61, 1)};
    tnt_classify_metrics(u, 4);
    n = tnt_classify_candidates(u, 4, &o, c, 4);
    CHECK(n == 1 && c[0].trigger == TNT_F_DUPIP && c[0].ingress == 1 && c[0].egress == 3 && c[0].uhp,
          "classify.inv.dupip");
    struct tnt_hop u3[5] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 1), te_hop(3, 3, 62, 62, 1),
                            te_hop(4, 3, 61, 61, 1), te_hop(5, 3, 61, 61, 1)};
    tnt_classify_metrics(u3, 5);
    n = tnt_classify_candidates(u3, 5, &o, c, 4);
    CHECK(n == 1 && c[0].egress == 4, "classify.inv.dupip-skipped-when-next-repeats");
    /* ingress did not answer: the hop before it stands in */
    struct tnt_hop g[3] = {te_hop(5, 5, 250, 250, 1), te_hop(6, 0, 0, 0, 0), te_hop(7, 7, 244, 54, 1)};
    tnt_classify_metrics(g, 3);
    n = tnt_classify_candidates(g, 3, &o, c, 4);
    CHECK(n == 1 && c[0].ingress == 0 && !c[0].ingress_found && (g[0].flags & TNT_F_ING_NF),
          "classify.inv.ingress-not-found");
    /* brute force */
    struct tnt_hop b[2] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 1)};
    tnt_classify_metrics(b, 2);
    CHECK(tnt_classify_candidates(b, 2, &o, c, 4) == 0, "classify.inv.no-trigger");
    o.brute_force = 1;
    CHECK(tnt_classify_candidates(b, 2, &o, c, 4) == 1 && c[0].trigger == TNT_F_BTFC, "classify.inv.btfc");
    /* RTLA below the threshold does not fire */
    o.brute_force = 0;
    o.rtla_threshold = 2;
    struct tnt_hop t2[2] = {te_hop(6, 6, 249, 249, 1), te_hop(7, 7, 244, 54, 1)};
    tnt_classify_metrics(t2, 2);
    CHECK(tnt_classify_candidates(t2, 2, &o, c, 4) == 1 && c[0].trigger == TNT_F_FRPLA,
          "classify.inv.threshold-then-frpla");
}

static void test_uturn(void)
{
    struct tnt_opts o;
    tnt_opts_default(&o);
    struct tnt_hop h[5] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 1), te_hop(3, 3, 60, 62, 1),
                           te_hop(4, 4, 59, 61, 1), te_hop(5, 5, 59, 59, 1)};
    tnt_classify_metrics(h, 5);
    CHECK(h[2].uturn == 2 && h[2].rtla == 0, "uturn.metrics");
    tnt_classify_uturns(h, 5, A(20, 0, 0, 9), &o);
    CHECK(h[2].cls == TNT_CLASS_IMP && h[2].role == TNT_ROLE_LSR && (h[2].flags & TNT_F_UTURN) &&
              h[3].role == TNT_ROLE_LSR, "uturn.run-is-implicit");
    CHECK(h[1].role == TNT_ROLE_ING && h[4].role == TNT_ROLE_EGR, "uturn.ingress-egress");
    struct tnt_hop s[3] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 62, 63, 1), te_hop(3, 3, 62, 62, 1)};
    tnt_classify_metrics(s, 3);
    tnt_classify_uturns(s, 3, A(20, 0, 0, 9), &o);
    CHECK(s[1].cls == TNT_CLASS_NONE, "uturn.small-sum-ignored");
    struct tnt_hop l[2] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 58, 62, 1)};
    tnt_classify_metrics(l, 2);
    tnt_classify_uturns(l, 2, A(20, 0, 0, 9), &o);
    CHECK(l[1].cls == TNT_CLASS_IMP && l[1].role == TNT_ROLE_LSR, "uturn.last-hop-lsr");
}

/* A revelation trace: hop i at probe TTL first+i from the given last octets (0 = '*'). */
static size_t rtrace(struct tnt_hop *out, int first, const int *lasts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = te_hop(first + (int)i, lasts[i], 250, 0, 1);
    return n;
}

static void test_reveal(void)
{
    struct tnt_opts o;
    tnt_opts_default(&o);
    o.allow_private = 1;
    /* first trace: 1 2 3 4(I) 5(E, RTLA) */
    struct tnt_hop h[5] = {te_hop(1, 1, 255, 255, 1), te_hop(2, 2, 254, 254, 1),
                           te_hop(3, 3, 253, 253, 1), te_hop(4, 4, 252, 252, 1),
                           te_hop(5, 5, 244, 54, 1)};
    tnt_classify_metrics(h, 5);
    struct tnt_candidate c[2];
    CHECK(tnt_classify_candidates(h, 5, &o, c, 2) == 1, "reveal.setup");
    struct tnt_reveal r;
    struct tnt_reveal_req q;
    struct tnt_hop t[8];
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    CHECK(q.op == TNT_REVEAL_TRACE && q.dst == A(20, 0, 0, 5) && q.first_ttl == 2 && !q.udp,
          "reveal.first-trace-from-ingress-minus-2");
    int dpr[] = {2, 3, 4, 40, 41, 5};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, dpr, 6), &q);
    CHECK(q.op == TNT_REVEAL_DONE && r.method == TNT_F_DPR && r.n_revealed == 2 &&
              r.revealed[0].addr == A(20, 0, 0, 40) && r.revealed[1].addr == A(20, 0, 0, 41) &&
              r.revealed[0].step == 1, "reveal.dpr");
    /* BRPR: one router per trace, backwards */
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    int b1[] = {2, 3, 4, 41, 5};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, b1, 5), &q);
    CHECK(q.op == TNT_REVEAL_TRACE && q.dst == A(20, 0, 0, 41), "reveal.brpr.retarget");
    int b2[] = {2, 3, 4, 40, 41};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, b2, 5), &q);
    CHECK(q.op == TNT_REVEAL_TRACE && q.dst == A(20, 0, 0, 40), "reveal.brpr.step2");
    int b3[] = {2, 3, 4, 40};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, b3, 4), &q);
    CHECK(q.op == TNT_REVEAL_DONE && r.method == TNT_F_BRPR && r.n_revealed == 2 &&
              r.revealed[0].addr == A(20, 0, 0, 40) && r.revealed[0].step == 2 &&
              r.revealed[1].step == 1 && r.n_attempts == 3 &&
              r.attempts[2].outcome == TNT_REVEAL_NTH_RV, "reveal.brpr.done");
    /* UNKN: only one router in all */
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, b1, 5), &q);
    int u2[] = {2, 3, 4, 41};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, u2, 4), &q);
    CHECK(q.op == TNT_REVEAL_DONE && r.method == TNT_F_UNKN && r.n_revealed == 1, "reveal.unkn");
    /* INCOMP?: a '*' as next target */
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, b1, 5), &q);
    int i2[] = {2, 3, 4, 40, 0, 41};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, i2, 6), &q);
    CHECK(q.op == TNT_REVEAL_DONE && (r.method & TNT_F_INCOMP) && (r.method & TNT_F_BRPR) &&
              r.n_revealed == 2, "reveal.incomp-star");
    /* failures */
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    int nr[] = {2, 3, 4, 0, 0};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, nr, 5), &q);
    CHECK(q.op == TNT_REVEAL_DONE && r.method == 0 && r.attempts[0].outcome == TNT_REVEAL_TGT_NR,
          "reveal.target-not-reached");
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    int nf[] = {2, 3, 9, 40, 5};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, nf, 5), &q);
    CHECK(r.attempts[0].outcome == TNT_REVEAL_ING_NF && r.method == 0, "reveal.ingress-not-found");
    tnt_reveal_start(&r, h, 5, c, &o, &q);
    int nt[] = {2, 3, 4, 5};
    tnt_reveal_on_trace(&r, t, rtrace(t, 2, nt, 4), &q);
    CHECK(r.attempts[0].outcome == TNT_REVEAL_NTH_RV && q.op == TNT_REVEAL_DONE, "reveal.nothing-revealed");
    /* buddy (UHP): egress 20.0.0.5 (index 1 of its /30): ping 20.0.0.4, no reply -> /30 -> .6 */
    struct tnt_hop d[5] = {te_hop(1, 1, 64, 64, 1), te_hop(2, 2, 63, 63, 1), te_hop(3, 3, 62, 62, 1),
                           te_hop(4, 5, 61, 61, 1), te_hop(5, 5, 60, 60, 1)};
    tnt_classify_metrics(d, 5);
    CHECK(tnt_classify_candidates(d, 5, &o, c, 2) == 1 && c[0].uhp, "reveal.buddy.setup");
    tnt_reveal_start(&r, d, 5, c, &o, &q);
    int bt[] = {1, 3, 5};
    tnt_reveal_on_trace(&r, t, rtrace(t, 1, bt, 3), &q);
    CHECK(q.op == TNT_REVEAL_PING && q.dst == A(20, 0, 0, 4), "reveal.buddy.ping-index0");
    tnt_reveal_on_ping(&r, 0, &q);
    CHECK(q.op == TNT_REVEAL_TRACE && q.dst == A(20, 0, 0, 6) && q.udp, "reveal.buddy.slash30");
    int bb[] = {1, 3, 50, 6};
    tnt_reveal_on_trace(&r, t, rtrace(t, 1, bb, 4), &q);
    CHECK(q.op == TNT_REVEAL_DONE && r.method == TNT_F_BUDDY && r.n_revealed == 1 &&
              r.revealed[0].addr == A(20, 0, 0, 50), "reveal.buddy.reveals");
    tnt_reveal_start(&r, d, 5, c, &o, &q);
    tnt_reveal_on_trace(&r, t, rtrace(t, 1, bt, 3), &q);
    tnt_reveal_on_ping(&r, 1, &q);
    CHECK(q.dst == A(20, 0, 0, 4), "reveal.buddy.slash31");
    CHECK(strcmp(tnt_reveal_outcome_name(TNT_REVEAL_TGT_NR), "TGT-NR") == 0, "reveal.outcome-names");
}

int main(void)
{
    test_math();
    test_explicit();
    test_opaque();
    test_implicit();
    test_invisible();
    test_uturn();
    test_reveal();
    return CHECK_DONE();
}
