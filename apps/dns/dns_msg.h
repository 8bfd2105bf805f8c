/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DNS messages: parsing a query (header, the one question, the EDNS0 OPT record) and writing a
 * response with name compression. The writer is bounded by a size limit (512 bytes, the EDNS
 * size, or 65535 over TCP) and lets callers undo a partly written RRset, so RRsets go out whole.
 */
#ifndef DNS_MSG_H
#define DNS_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "dns_name.h"

#define DNS_HEADER 12
#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_FORMERR 1
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_NOTIMP 4
#define DNS_RCODE_REFUSED 5
#define DNS_RCODE_BADVERS 16 /* extended: upper bits travel in the OPT record */

#define DNS_FLAG_QR 0x8000
#define DNS_FLAG_AA 0x0400
#define DNS_FLAG_TC 0x0200
#define DNS_FLAG_RD 0x0100
#define DNS_FLAG_CD 0x0010

struct dns_query {
    uint16_t id;
    uint16_t flags;            /* as received */
    uint8_t opcode;
    int has_question;          /* a question was parsed (qname, qtype, qclass valid) */
    uint8_t qname[DNS_NAME_MAX];
    uint16_t qtype, qclass;
    size_t question_len;       /* bytes of the question as received (to echo it verbatim) */
    int edns;                  /* an OPT record was present */
    uint16_t udp_size;         /* advertised by the client */
    uint8_t edns_version;
    int do_bit;
};

/*
 * Parses a query. Returns -1 when no answer must be sent (shorter than a header, or a response),
 * else the rcode it calls for: NOERROR (all valid), FORMERR or NOTIMP (q holds what was parsed).
 */
int dns_query_parse(const uint8_t *msg, size_t len, struct dns_query *q);

#define DNS_PTRS_MAX 128

#define DNS_PTR_BUCKETS 64

/* Compression candidates are found by hash: each offset remembered carries a case-insensitive
 * hash of the name (suffix) written there, and the offsets are chained in buckets by hash, so
 * looking a suffix up visits the few offsets of its bucket and compares bytes only when the
 * hashes agree. Only the bucket heads need initialising. */
struct dns_writer {
    uint8_t *buf;
    size_t limit;              /* may shrink to keep room for the OPT record */
    size_t len;
    uint16_t ptrs[DNS_PTRS_MAX]; /* offsets of names written, for compression */
    uint32_t hashes[DNS_PTRS_MAX]; /* hash of the name at ptrs[i] */
    uint8_t chain[DNS_PTRS_MAX];   /* 1 + the index of the previous offset in the same bucket, 0: none */
    uint8_t heads[DNS_PTR_BUCKETS]; /* 1 + the index of the latest offset in each bucket, 0: none */
    const uint8_t *src[DNS_PTRS_MAX]; /* the name (suffix) in memory that ptrs[i] was written from */
    size_t nptrs;
    /* Set by the caller when every name it passes stays unchanged in memory until the message
     * is complete (zone data, a parsed query): a suffix at the very address an offset was
     * written from is then known equal without comparing bytes. */
    int stable_names;
};

/* A position to roll back to (dns_writer_undo) when a record set does not fit. */
struct dns_mark {
    size_t len, nptrs;
};

void dns_writer_init(struct dns_writer *w, uint8_t *buf, size_t limit);
struct dns_mark dns_writer_mark(const struct dns_writer *w);
void dns_writer_undo(struct dns_writer *w, struct dns_mark m);

/* Each returns 0, or -1 when it does not fit (the writer is then in an unspecified state:
 * undo to a mark). */
int dns_write_bytes(struct dns_writer *w, const void *data, size_t n);
int dns_write_u16(struct dns_writer *w, uint16_t v);
int dns_write_u32(struct dns_writer *w, uint32_t v);
int dns_write_name(struct dns_writer *w, const uint8_t *name, int compress);
/* One resource record of class IN; names inside NS, CNAME, PTR, MX and SOA data compressed. */
int dns_write_rr(struct dns_writer *w, const uint8_t *owner, uint16_t type, uint32_t ttl,
                 const uint8_t *rdata, size_t rdlen);

/* Big-endian 16-bit field at buf[off] (header counts and the like). */
void dns_put16(uint8_t *buf, size_t off, uint16_t v);
uint16_t dns_get16(const uint8_t *buf, size_t off);

#endif
