/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of apps/probe output and probe construction: the spec's TNT text lines rebuilt
 * exactly from hop data, JSON Lines shape, and probe packets (Paris ICMP checksum constant,
 * valid UDP/TCP checksums, quoted back through the reply parser). */
#include <stdlib.h>
#include <string.h>
#include <unf/net.h>

#include "../../apps/probe/probe_output.h"
#include "../../apps/probe/probe_packet.h"
#include "../../apps/probe/tnt_math.h"
#include "check.h"

static uint32_t ip(const char *s)
{
    unf_ip4 a = 0;
    unf_ip4_parse(s, &a);
    return a;
}

static struct tnt_hop hop(int ttl, const char *addr, uint32_t rtt_us, int te, int er, int qttl)
{
    struct tnt_hop h;
    memset(&h, 0, sizeof(h));
    h.probe_ttl = ttl;
    h.addr = ip(addr);
    h.rtt_us = rtt_us;
    h.icmp_type = 11;
    h.reply_ttl = te;
    h.er = er;
    h.qttl = qttl;
    return h;
}

static int line_is(struct tnt_hop *h, const char *want)
{
    struct probe_output_buf b;
    probe_output_init(&b);
    tnt_classify_metrics(h, 1);
    probe_output_hop_text(&b, h);
    int ok = b.data && strcmp(b.data, want) == 0;
    if (!ok)
        printf("  got:  '%s'  want: '%s'\n", b.data ? b.data : "(null)", want);
    probe_output_free(&b);
    return ok;
}

static void test_text(void)
{
    struct tnt_hop h7 = hop(7, "77.67.93.181", 6019, 244, 54, 1);
    h7.cls = TNT_CLASS_INV; h7.role = TNT_ROLE_ING; h7.flags = TNT_F_RTLA;
    CHECK(line_is(&h7, " 7 77.67.93.181     6.019 ms rTTLs=<244,54> qttl=1 uturn=1 frpla=5 rtla=1 [MPLS,INV,ING,RTLA]\n"),
          "output.text.spec-hop7");
    struct tnt_hop h1 = hop(8, "89.149.186.230", 16585, 242, 53, 1);
    h1.revealed = 1; h1.step = 1;
    h1.cls = TNT_CLASS_INV; h1.role = TNT_ROLE_LSR; h1.flags = TNT_F_RTLA | TNT_F_DPR;
    CHECK(line_is(&h1, "H1 89.149.186.230  16.585 ms rTTLs=<242,53> qttl=1 uturn=2 frpla=6 rtla=2 [MPLS,INV,LSR,RTLA,DPR,step=1]\n"),
          "output.text.spec-H1");
    struct tnt_hop h8 = hop(8, "89.149.142.254", 93569, 243, 53, 1);
    h8.cls = TNT_CLASS_INV; h8.role = TNT_ROLE_EGR; h8.flags = TNT_F_RTLA;
    CHECK(line_is(&h8, " 8 89.149.142.254  93.569 ms rTTLs=<243,53> qttl=1 uturn=1 frpla=5 rtla=1 [MPLS,INV,EGR,RTLA]\n"),
          "output.text.spec-hop8");
    struct tnt_hop h11 = hop(11, "12.122.28.205", 169545, 236, 0, 2);
    h11.cls = TNT_CLASS_EXP; h11.role = TNT_ROLE_LSR;
    h11.n_labels = 2;
    h11.labels[0].label = 35698; h11.labels[0].ttl = 1;
    h11.labels[1].label = 25874; h11.labels[1].ttl = 1;
    CHECK(line_is(&h11, "11 12.122.28.205  169.545 ms rTTLs=<236,*> qttl=2 frpla=9 [MPLS,EXP,LSR] Labels 35698 mTTL=1 | 25874 mTTL=1\n"),
          "output.text.spec-hop11");
    struct tnt_hop star = hop(9, "0.0.0.0", 0, 0, 0, 0);
    star.addr = 0;
    CHECK(line_is(&star, " 9 *\n"), "output.text.star");
    struct tnt_hop plain = hop(2, "10.0.1.1", 250, 63, 0, 1);
    CHECK(line_is(&plain, " 2 10.0.1.1         0.250 ms rTTLs=<63,*> qttl=1 frpla=0\n"), "output.text.plain-hop");
}

static void test_json(void)
{
    struct probe_trace_result t;
    memset(&t, 0, sizeof(t));
    t.p.method = PROBE_ICMP_PARIS;
    t.p.src = ip("10.0.0.2");
    t.p.dst = ip("10.0.3.2");
    t.p.first_ttl = 1; t.p.max_ttl = 30; t.p.attempts = 3; t.p.wait_ms = 1000; t.p.gap_limit = 5;
    t.stop = PROBE_STOP_COMPLETED;
    t.stop_ttl = 2;
    struct probe_reply r;
    memset(&r, 0, sizeof(r));
    r.probe_ttl = 1; r.attempt = 1; r.rtt_us = 1500;
    r.icmp.src = ip("10.0.0.1"); r.icmp.ttl = 64; r.icmp.type = 11; r.icmp.has_quote = 1; r.icmp.q_ttl = 1;
    r.icmp.has_ext = 1; r.icmp.n_objs = 1;
    r.icmp.objs[0].class_num = 1; r.icmp.objs[0].c_type = 1; r.icmp.objs[0].length = 8; r.icmp.objs[0].n_labels = 1;
    r.icmp.n_labels = 1; r.icmp.labels[0].label = 16; r.icmp.labels[0].ttl = 1; r.icmp.labels[0].s = 1;
    CHECK(probe_result_add_reply(&t, &r) == 0, "output.json.add-reply");
    memset(&r, 0, sizeof(r));
    r.probe_ttl = 2; r.attempt = 2; r.rtt_us = 2001;
    r.icmp.src = ip("10.0.3.2"); r.icmp.ttl = 63; r.icmp.type = 0;
    probe_result_add_reply(&t, &r);
    struct probe_output_buf b;
    probe_output_init(&b);
    probe_output_trace_json(&b, &t, NULL);
    CHECK(b.data && strncmp(b.data, "{\"type\":\"trace\",\"method\":\"icmp-paris\",\"src\":\"10.0.0.2\",\"dst\":\"10.0.3.2\"", 70) == 0,
          "output.json.header");
    CHECK(strstr(b.data, "\"stop_reason\":\"COMPLETED\"") != NULL, "output.json.stop-reason");
    CHECK(strstr(b.data, "{\"probe_ttl\":1,\"attempt\":1,\"addr\":\"10.0.0.1\",\"rtt_ms\":1.500,\"reply_ttl\":64") != NULL,
          "output.json.reply");
    CHECK(strstr(b.data, "\"quoted_ttl\":1") != NULL, "output.json.quoted-ttl");
    CHECK(strstr(b.data, "\"icmpext\":[{\"class\":1,\"type\":1,\"length\":8,\"mpls_labels\":[{\"label\":16,\"tc\":0,\"s\":1,\"ttl\":1}]}]") != NULL,
          "output.json.mpls");
    CHECK(b.data[b.len - 1] == '\n' && strchr(b.data, '\n') == b.data + b.len - 1, "output.json.one-line");
    size_t n = 0;
    struct tnt_hop *hops = probe_result_hops(&t, &n);
    CHECK(hops && n == 2 && hops[0].addr == ip("10.0.0.1") && hops[0].qttl == 1 && hops[0].n_labels == 1 &&
              hops[1].is_dst && hops[1].icmp_type == 0, "output.hops-from-replies");
    free(hops);
    probe_output_reset(&b);
    probe_output_trace_text(&b, &t, NULL);
    CHECK(strstr(b.data, " 1 10.0.0.1         1.500 ms rTTLs=<64,*> qttl=1 frpla=0 Labels 16 mTTL=1\n") != NULL,
          "output.text.trace");
    struct probe_ping_result p;
    memset(&p, 0, sizeof(p));
    p.dst = ip("10.0.0.1"); p.count = 3; p.sent = 3; p.n_replies = 2;
    p.ttls[0] = 54; p.ttls[1] = 54; p.seqs[0] = 1; p.seqs[1] = 2; p.rtt_us[0] = 10;
    probe_output_reset(&b);
    probe_output_ping_json(&b, &p);
    CHECK(strstr(b.data, "\"er\":54,\"ittl\":64}\n") != NULL && strstr(b.data, "\"type\":\"ping\"") != NULL,
          "output.json.ping");
    probe_output_free(&b);
    probe_result_free(&t);
}

static void test_packets(void)
{
    uint8_t buf[PROBE_PACKET_MAX];
    struct probe_packet_spec s = {.method = PROBE_ICMP_PARIS, .src = ip("10.0.0.2"), .dst = ip("10.0.3.2"),
                                  .ttl = 3, .probe_id = 1, .flow_id = 0x4242, .paris_cksum = 0xa5a5,
                                  .payload_len = 16};
    int constant = 1, valid = 1;
    for (uint16_t id = 1; id < 2000; id += 7) {
        s.probe_id = id;
        size_t n = probe_packet_build(&s, buf, sizeof(buf));
        if (n != 20 + 8 + 16)
            valid = 0;
        constant &= buf[22] == 0xa5 && buf[23] == 0xa5;
        valid &= icmp_reply_cksum(buf + 20, n - 20) == 0 && icmp_reply_cksum(buf, 20) == 0;
        valid &= buf[8] == 3 && (buf[4] << 8 | buf[5]) == id && (buf[26] << 8 | buf[27]) == id;
    }
    CHECK(constant, "packet.icmp-paris.constant-checksum");
    CHECK(valid, "packet.icmp-paris.valid");
    s.method = PROBE_UDP_PARIS; s.dport = 33435; s.probe_id = 77;
    size_t n = probe_packet_build(&s, buf, sizeof(buf));
    /* verify the UDP checksum with the pseudo header */
    uint8_t ps[64 + 12];
    memcpy(ps, buf + 12, 8); ps[8] = 0; ps[9] = 17; ps[10] = 0; ps[11] = (uint8_t)(n - 20);
    memcpy(ps + 12, buf + 20, n - 20);
    CHECK(n == 20 + 8 + 16 && icmp_reply_cksum(ps, 12 + n - 20) == 0 && buf[9] == 17 &&
              (buf[20] << 8 | buf[21]) == 0x4242 && (buf[22] << 8 | buf[23]) == 33435,
          "packet.udp-paris.ports-and-checksum");
    s.method = PROBE_UDP;
    probe_packet_build(&s, buf, sizeof(buf));
    CHECK((buf[22] << 8 | buf[23]) == 33435 + 3, "packet.udp.dport-varies");
    s.method = PROBE_TCP; s.dport = 80;
    n = probe_packet_build(&s, buf, sizeof(buf));
    memcpy(ps, buf + 12, 8); ps[8] = 0; ps[9] = 6; ps[10] = 0; ps[11] = 20;
    memcpy(ps + 12, buf + 20, 20);
    CHECK(n == 40 && icmp_reply_cksum(ps, 32) == 0 && buf[33] == 0x02, "packet.tcp.syn-checksum");
    uint32_t seq = (uint32_t)buf[24] << 24 | (uint32_t)buf[25] << 16 | (uint32_t)buf[26] << 8 | buf[27];
    CHECK(probe_packet_tcp_probe_id(seq + 1) == 77, "packet.tcp.probe-id-from-ack");
    s.probe_id = 0;
    CHECK(probe_packet_build(&s, buf, sizeof(buf)) == 0, "packet.rejects-zero-id");

    /* a time exceeded quoting our icmp-paris probe parses back to the same ids */
    s.method = PROBE_ICMP_PARIS; s.probe_id = 99;
    n = probe_packet_build(&s, buf, sizeof(buf));
    uint8_t te[20 + 8 + 28];
    memset(te, 0, sizeof(te));
    te[0] = 0x45; te[3] = sizeof(te); te[8] = 250; te[9] = 1; te[12] = 10; te[15] = 1;
    te[20] = 11;
    memcpy(te + 28, buf, 28);
    te[28 + 8] = 1; /* the router saw TTL 1 */
    uint16_t c = icmp_reply_cksum(te + 20, sizeof(te) - 20);
    te[22] = (uint8_t)(c >> 8); te[23] = (uint8_t)c;
    struct icmp_reply r;
    CHECK(icmp_reply_parse(te, sizeof(te), &r) == ICMP_REPLY_OK && r.q_icmp_id == 0x4242 &&
              r.q_icmp_seq == 99 && r.q_ipid == 99 && r.q_icmp_cksum == 0xa5a5 && r.q_dst == s.dst,
          "packet.quoted-back");
}

static void test_tnt_json(void)
{
    struct probe_tnt_result r;
    memset(&r, 0, sizeof(r));
    r.trace.p.method = PROBE_ICMP_PARIS;
    r.trace.p.dst = ip("12.122.28.1");
    struct tnt_hop hops[2] = {hop(7, "77.67.93.181", 6019, 244, 54, 1), hop(8, "89.149.186.230", 16585, 242, 53, 1)};
    hops[0].cls = TNT_CLASS_INV; hops[0].role = TNT_ROLE_ING; hops[0].flags = TNT_F_RTLA;
    hops[1].revealed = 1; hops[1].step = 1; hops[1].cls = TNT_CLASS_INV; hops[1].role = TNT_ROLE_LSR;
    hops[1].flags = TNT_F_RTLA | TNT_F_DPR;
    tnt_classify_metrics(hops, 2);
    r.hops = hops;
    r.n_hops = 2;
    r.n_candidates = 1;
    struct tnt_reveal rv;
    memset(&rv, 0, sizeof(rv));
    rv.ingress = hops[0].addr;
    rv.egress = ip("89.149.142.254");
    rv.first_ttl = 5;
    rv.method = TNT_F_DPR;
    rv.n_revealed = 1;
    rv.n_attempts = 1;
    rv.attempts[0].dst = rv.egress;
    rv.attempts[0].first_ttl = 5;
    rv.attempts[0].step = 1;
    rv.attempts[0].outcome = TNT_REVEAL_OK;
    rv.attempts[0].new_hops = 1;
    r.reveal = &rv;
    struct probe_output_buf b;
    probe_output_init(&b);
    probe_output_trace_json(&b, &r.trace, &r);
    CHECK(strncmp(b.data, "{\"type\":\"tnt\"", 13) == 0, "output.tnt-json.type");
    CHECK(strstr(b.data, "{\"hop\":\"7\",\"probe_ttl\":7,\"addr\":\"77.67.93.181\",\"rtt_ms\":6.019,\"icmp_type\":11,"
                         "\"reply_ttl\":244,\"te\":244,\"er\":54,\"qttl\":1,\"ret_te\":12,\"ret_er\":11,"
                         "\"uturn\":1,\"frpla\":5,\"rtla\":1,\"class\":\"INV\",\"role\":\"ING\","
                         "\"flags\":\"MPLS,INV,ING,RTLA\",\"labels\":[]}") != NULL, "output.tnt-json.hop");
    CHECK(strstr(b.data, "{\"hop\":\"H1\",\"step\":1,") != NULL, "output.tnt-json.revealed-hop");
    CHECK(strstr(b.data, "\"revelation\":{\"ingress\":\"77.67.93.181\",\"egress\":\"89.149.142.254\","
                         "\"first_ttl\":5,\"method\":\"DPR\",\"revealed\":1,\"attempts\":[{\"dst\":"
                         "\"89.149.142.254\",\"first_ttl\":5,\"method\":\"icmp-paris\",\"step\":1,"
                         "\"outcome\":\"OK\",\"new\":1}]}}\n") != NULL, "output.tnt-json.revelation");
    probe_output_reset(&b);
    probe_output_trace_text(&b, &r.trace, &r);
    CHECK(strstr(b.data, "H1 89.149.186.230  16.585 ms rTTLs=<242,53> qttl=1 uturn=2 frpla=6 rtla=2 [MPLS,INV,LSR,RTLA,DPR,step=1]\n") != NULL,
          "output.tnt-text.lines");
    probe_output_free(&b);
}

int main(void)
{
    test_tnt_json();
    test_text();
    test_json();
    test_packets();
    return CHECK_DONE();
}
