/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Answer construction (see dns_answer.h), the algorithm of RFC 1034 section 4.3.2 with RFC 4592
 * wildcards: find the zone, look for a zone cut above the name, then the name itself. Records
 * go out an RRset at a time; an answer or authority RRset that does not fit sets TC and ends
 * the message, an additional one is left out, as NSD does. Without DNSSEC the CD bit is not
 * echoed (NSD does not either), and RRsets already in the answer stay out of the additional.
 */
#include "dns_answer.h"

#include <stdlib.h>
#include <string.h>

#include "dns_msg.h"

#define MAX_CHAIN 16      /* CNAME hops followed (a longer chain ends the answer there) */
#define MAX_ADDITIONAL 64 /* names whose addresses may go in the additional section */
#define DNS_EDE_PROHIBITED 18
#define DNS_EDE_NOT_AUTHORITATIVE 20
#define DNS_EDE_NOT_SUPPORTED 21
#define OPT_ROOM 17               /* an OPT record with one EDE option */

enum section { ANSWER, AUTHORITY, ADDITIONAL };

struct reply {
    const struct dns_zoneset *zones;
    struct dns_writer w;
    uint16_t count[3];
    int truncated;
    int aa;
    int rcode;
    uint16_t ede;   /* extended DNS error (RFC 8914) to report in the OPT record, 0: none */
    const uint8_t *extra[MAX_ADDITIONAL]; /* names to add A/AAAA for */
    size_t nextra;
    const struct dns_rrset *answered[MAX_CHAIN + 1]; /* RRsets in the answer section */
    size_t nanswered;
};

/* Writes a whole RRset in a section, each record with its own TTL (as NSD does) capped at
 * ttl_max; undoes it when it does not fit. */
static int put_rrset(struct reply *r, enum section sec, const uint8_t *owner,
                     const struct dns_rrset *s, uint32_t ttl_max)
{
    if (r->truncated)
        return -1;
    struct dns_mark m = dns_writer_mark(&r->w);
    const uint8_t *end = s->data + s->size;
    for (const uint8_t *rr = s->data; rr < end; rr = dns_rr_next(rr)) {
        uint32_t ttl = dns_rr_ttl(rr) < ttl_max ? dns_rr_ttl(rr) : ttl_max;
        if (dns_write_rr(&r->w, owner, s->type, ttl, dns_rr_rdata(rr), dns_rr_rdlen(rr)) < 0) {
            dns_writer_undo(&r->w, m);
            if (sec != ADDITIONAL)
                r->truncated = 1;
            return -1;
        }
    }
    r->count[sec] = (uint16_t)(r->count[sec] + s->count);
    if (sec == ANSWER && r->nanswered < MAX_CHAIN + 1)
        r->answered[r->nanswered++] = s;
    return 0;
}

static void want_address(struct reply *r, const uint8_t *name)
{
    for (size_t i = 0; i < r->nextra; i++)
        if (dns_name_equal(r->extra[i], name))
            return;
    if (r->nextra < MAX_ADDITIONAL)
        r->extra[r->nextra++] = name;
}

/* Notes the names whose addresses help with an RRset (NS, MX, SRV targets). */
static void note_targets(struct reply *r, const struct dns_rrset *s)
{
    size_t skip;
    switch (s->type) {
    case DNS_T_NS: skip = 0; break;
    case DNS_T_MX: skip = 2; break;
    case DNS_T_SRV: skip = 6; break;
    default: return;
    }
    const uint8_t *end = s->data + s->size;
    for (const uint8_t *rr = s->data; rr < end; rr = dns_rr_next(rr))
        want_address(r, dns_rr_rdata(rr) + skip);
}

static int answered(const struct reply *r, const struct dns_rrset *s)
{
    for (size_t i = 0; i < r->nanswered; i++)
        if (r->answered[i] == s)
            return 1;
    return 0;
}

/* Addresses of the noted names, from the zone that gave the answer (as NSD does). */
static void put_additional(struct reply *r, const struct dns_zone *z)
{
    static const uint16_t types[] = {DNS_T_A, DNS_T_AAAA};
    for (size_t i = 0; i < r->nextra; i++) {
        const struct dns_node *n = dns_zone_find(z, r->extra[i]);
        for (size_t t = 0; n && t < 2; t++) {
            const struct dns_rrset *s = dns_node_rrset(n, types[t]);
            if (s && !answered(r, s))
                put_rrset(r, ADDITIONAL, n->name, s, UINT32_MAX);
        }
    }
}

/* The SOA in the authority section of a negative answer, with the negative TTL (RFC 2308). */
static void put_soa(struct reply *r, const struct dns_zone *z)
{
    const uint8_t *rd = dns_rr_rdata(z->soa->data);
    size_t names = dns_name_len(rd);
    names += dns_name_len(rd + names);
    const uint8_t *minimum = rd + names + 16;
    uint32_t min = ((uint32_t)minimum[0] << 24) | ((uint32_t)minimum[1] << 16) | ((uint32_t)minimum[2] << 8) | minimum[3];
    put_rrset(r, AUTHORITY, z->origin, z->soa, min);
}

/* What one walk down from the apex to a name finds: the topmost zone cut (a node with NS, not
 * the apex) at or above the name, else the name's own node, else the closest encloser. */
struct descent {
    const struct dns_node *cut;  /* the zone cut, or NULL */
    const struct dns_node *node; /* no cut: the name's node, or NULL when it does not exist */
    const uint8_t *encloser;     /* no node: the nearest existing ancestor (a suffix of name) */
};

/* Looks up each name from below the apex down to name itself, stopping at a cut or at the
 * first name that does not exist (nothing exists below it: every node's ancestors do). With
 * DS at the cut itself, the parent answers: the cut is not crossed. */
static void descend(const struct dns_zone *z, const uint8_t *name, uint16_t qtype, struct descent *d)
{
    const uint8_t *chain[128];
    unsigned n = 0, labels = dns_name_labels(name);
    for (const uint8_t *s = name; labels > z->origin_labels; labels--, s = dns_name_parent(s))
        chain[n++] = s;
    d->cut = NULL;
    d->node = n == 0 ? z->apex : NULL; /* the name is the apex */
    d->encloser = NULL;
    while (n-- > 0) {
        const struct dns_node *node = dns_zone_find(z, chain[n]);
        if (!node) {
            d->encloser = dns_name_parent(chain[n]);
            return;
        }
        if (dns_node_rrset(node, DNS_T_NS) && !(n == 0 && qtype == DNS_T_DS)) {
            d->cut = node;
            return;
        }
        if (n == 0)
            d->node = node;
    }
}

/* The wildcard "*.<closest encloser>" that stands for a name not in the zone (RFC 4592), or
 * NULL: only the closest encloser's own "*" child counts (an existing name in between blocks
 * wildcards further up). */
static const struct dns_node *find_wildcard(const struct dns_zone *z, const uint8_t *encloser)
{
    if (!encloser)
        return NULL;
    size_t len = dns_name_len(encloser);
    if (len + 2 > DNS_NAME_MAX)
        return NULL;
    uint8_t wild[DNS_NAME_MAX];
    wild[0] = 1;
    wild[1] = '*';
    memcpy(wild + 2, encloser, len);
    return dns_zone_find(z, wild);
}

/* The positive answer from node: the RRset, then the zone's NS in authority (unless that is
 * the answer) with their addresses, which NSD adds unless configured for minimal responses. */
static void put_positive(struct reply *r, const struct dns_zone *z, const uint8_t *name,
                         const struct dns_node *node, const struct dns_rrset *s)
{
    note_targets(r, s);
    if (put_rrset(r, ANSWER, name, s, UINT32_MAX) < 0)
        return;
    const struct dns_rrset *ns = z->apex ? dns_node_rrset(z->apex, DNS_T_NS) : NULL;
    if (!ns || (node == z->apex && s->type == DNS_T_NS))
        return;
    struct dns_mark m = dns_writer_mark(&r->w);
    if (put_rrset(r, AUTHORITY, z->origin, ns, UINT32_MAX) < 0) {
        r->truncated = 0; /* optional data: leaving it out is no truncation */
        dns_writer_undo(&r->w, m);
        return;
    }
    note_targets(r, ns);
}

/* Answers qname/qtype into the reply; returns the zone whose data answered last (for the
 * additional section), or NULL. */
static const struct dns_zone *resolve(struct reply *r, const uint8_t *qname, uint16_t qtype)
{
    const struct dns_zone *z = dns_zoneset_find(r->zones, qname);
    if (!z) {
        r->rcode = DNS_RCODE_REFUSED;
        r->ede = DNS_EDE_NOT_AUTHORITATIVE;
        return NULL;
    }
    r->aa = 1;
    const uint8_t *name = qname;
    const struct dns_node *seen[MAX_CHAIN];
    for (int hop = 0; hop < MAX_CHAIN; hop++) {
        struct descent d;
        descend(z, name, qtype, &d);
        const struct dns_node *cut = d.cut;
        if (cut) {
            if (r->count[ANSWER] == 0)
                r->aa = 0;
            const struct dns_rrset *ns = dns_node_rrset(cut, DNS_T_NS);
            note_targets(r, ns);
            put_rrset(r, AUTHORITY, cut->name, ns, UINT32_MAX);
            return z;
        }
        const struct dns_node *node = d.node ? d.node : find_wildcard(z, d.encloser);
        if (!node) {
            r->rcode = DNS_RCODE_NXDOMAIN;
            put_soa(r, z);
            return z;
        }
        for (int i = 0; i < hop; i++)
            if (seen[i] == node)
                return NULL; /* a CNAME loop: stop where it closes */
        seen[hop] = node;
        if (qtype == DNS_T_ANY && node->rrsets) {
            /* RFC 8482: one RRset is enough of an answer to ANY. */
            put_rrset(r, ANSWER, name, node->rrsets, UINT32_MAX);
            return NULL;
        }
        const struct dns_rrset *s = dns_node_rrset(node, qtype);
        if (s) {
            put_positive(r, z, name, node, s);
            return z;
        }
        const struct dns_rrset *cname = dns_node_rrset(node, DNS_T_CNAME);
        if (!cname) {
            put_soa(r, z);
            return z;
        }
        if (put_rrset(r, ANSWER, name, cname, UINT32_MAX) < 0)
            return NULL;
        /* Follow the alias into any zone served here; elsewhere is the resolver's business. */
        name = dns_rr_rdata(cname->data);
        z = dns_zoneset_find(r->zones, name);
        if (!z)
            return NULL;
    }
    return NULL;
}

static void put_opt(struct reply *r, const struct dns_query *q)
{
    /* Room for the OPT record was kept free, so this cannot fail. */
    r->w.limit += OPT_ROOM;
    uint32_t ttl = ((uint32_t)(r->rcode >> 4) << 24) | (q->do_bit ? 0x8000u : 0);
    dns_write_bytes(&r->w, "", 1);
    dns_write_u16(&r->w, DNS_T_OPT);
    dns_write_u16(&r->w, DNS_EDNS_SIZE);
    dns_write_u32(&r->w, ttl);
    if (r->ede) {
        dns_write_u16(&r->w, 6);
        dns_write_u16(&r->w, 15); /* option EDE: info-code, no text */
        dns_write_u16(&r->w, 2);
        dns_write_u16(&r->w, r->ede);
    } else {
        dns_write_u16(&r->w, 0);
    }
}

size_t dns_answer(const struct dns_zoneset *zones, const uint8_t *msg, size_t len, int tcp,
                  uint8_t *out, size_t outsize)
{
    struct dns_query q;
    int rc = dns_query_parse(msg, len, &q);
    if (rc < 0 || outsize < 512)
        return 0;
    /* Field by field: the writer's compression table is large and needs no zeroing. */
    struct reply r;
    r.zones = zones;
    r.count[ANSWER] = r.count[AUTHORITY] = r.count[ADDITIONAL] = 0;
    r.truncated = 0;
    r.aa = 0;
    r.rcode = rc;
    r.ede = 0;
    r.nextra = 0;
    r.nanswered = 0;
    size_t limit = 512;
    if (tcp)
        limit = 65535;
    else if (q.edns && q.udp_size > 512)
        limit = q.udp_size < DNS_EDNS_SIZE ? q.udp_size : DNS_EDNS_SIZE;
    dns_writer_init(&r.w, out, limit < outsize ? limit : outsize);
    r.w.stable_names = 1; /* the query's name and zone data, untouched until we return */
    memset(out, 0, DNS_HEADER);
    r.w.len = DNS_HEADER;
    if (q.has_question) {
        dns_write_name(&r.w, q.qname, 0);
        dns_write_u16(&r.w, q.qtype);
        dns_write_u16(&r.w, q.qclass);
    }
    if (q.edns)
        r.w.limit -= OPT_ROOM;
    if (rc == DNS_RCODE_NOERROR) {
        if (q.edns && q.edns_version != 0) {
            r.rcode = DNS_RCODE_BADVERS;
        } else if (q.qclass != DNS_CLASS_IN) {
            r.rcode = DNS_RCODE_REFUSED;
            r.ede = DNS_EDE_NOT_SUPPORTED;
        } else if (q.qtype == DNS_T_AXFR || q.qtype == DNS_T_IXFR) {
            r.rcode = DNS_RCODE_REFUSED;
            r.ede = DNS_EDE_PROHIBITED;
        } else {
            const struct dns_zone *z = resolve(&r, q.qname, q.qtype);
            if (z && !r.truncated)
                put_additional(&r, z);
        }
    }
    if (q.edns)
        put_opt(&r, &q);
    uint16_t flags = DNS_FLAG_QR | (uint16_t)(q.opcode << 11) | (q.flags & DNS_FLAG_RD) |
                     (r.aa ? DNS_FLAG_AA : 0) | (r.truncated ? DNS_FLAG_TC : 0) | (uint16_t)(r.rcode & 0xf);
    dns_put16(out, 0, q.id);
    dns_put16(out, 2, flags);
    dns_put16(out, 4, q.has_question ? 1 : 0);
    dns_put16(out, 6, r.count[ANSWER]);
    dns_put16(out, 8, r.count[AUTHORITY]);
    dns_put16(out, 10, (uint16_t)(r.count[ADDITIONAL] + (q.edns ? 1 : 0)));
    return r.w.len;
}

/* ---- the UDP response cache ------------------------------------------------------------- */

/* A hash of the query's bytes after the ID, eight at a time (a byte-wise hash of a 40-byte
 * query cost as much as the rest of a cache hit). */
static uint32_t query_hash(const uint8_t *msg, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len, v;
    size_t i = 2; /* bytes 0 and 1 are the ID */
    for (; i + 8 <= len; i += 8) {
        __builtin_memcpy(&v, msg + i, 8);
        h = (h ^ v) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ msg[i]) * 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 29;
    return (uint32_t)h;
}

/* memcmp(a, b, n) == 0, eight bytes at a time (the guest's memcmp goes byte by byte). */
static int same_bytes(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint64_t x, y;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __builtin_memcpy(&x, a + i, 8);
        __builtin_memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    for (; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

size_t dns_answer_cached(struct dns_cache *cache, const struct dns_zoneset *zones, const uint8_t *msg,
                         size_t len, uint8_t *out, size_t outsize)
{
    /* With room for DNS_EDNS_SIZE the response does not depend on outsize (a UDP response is
     * never longer), so the query's bytes are the whole key, unless a compression pointer can
     * make the ID part of a name: only one aimed at byte 0 or 1 (0xc0 0x00 or 0xc0 0x01, in
     * the header or after it) can start a path there. Such queries are answered uncached. */
    if (len < DNS_HEADER || len > DNS_CACHE_QUERY_MAX || outsize < DNS_EDNS_SIZE)
        return dns_answer(zones, msg, len, 0, out, outsize);
    for (size_t i = 2; i + 1 < len; i++)
        if (msg[i] == 0xc0 && msg[i + 1] <= 1)
            return dns_answer(zones, msg, len, 0, out, outsize);
    uint32_t h = query_hash(msg, len);
    size_t set = h % DNS_CACHE_SETS;
    for (size_t way = 0; way < 2; way++) {
        const struct dns_cache_slot *slot = &cache->slots[2 * set + way];
        if (slot->data && slot->hash == h && slot->qlen == len && same_bytes(slot->data, msg + 2, len - 2)) {
            cache->hits++;
            cache->recent[set] = (uint8_t)way;
            memcpy(out, slot->data + len - 2, slot->alen);
            out[0] = msg[0];
            out[1] = msg[1];
            return slot->alen;
        }
    }
    cache->misses++;
    size_t n = dns_answer(zones, msg, len, 0, out, outsize);
    if (n == 0 || n > DNS_EDNS_SIZE)
        return n;
    size_t way = cache->slots[2 * set].data == NULL ? 0 : cache->slots[2 * set + 1].data == NULL ? 1 : !cache->recent[set];
    struct dns_cache_slot *slot = &cache->slots[2 * set + way];
    cache->recent[set] = (uint8_t)way;
    uint8_t *data = malloc(len - 2 + n);
    if (!data)
        return n; /* out of memory: answered all the same, just not kept */
    memcpy(data, msg + 2, len - 2);
    memcpy(data + len - 2, out, n);
    free(slot->data);
    slot->data = data;
    slot->hash = h;
    slot->qlen = (uint16_t)len;
    slot->alen = (uint16_t)n;
    return n;
}

void dns_cache_free(struct dns_cache *cache)
{
    for (size_t i = 0; i < DNS_CACHE_SLOTS; i++) {
        free(cache->slots[i].data);
        cache->slots[i].data = NULL;
    }
}
