/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Domain names in wire form (length-prefixed labels ending with the root's zero byte), the one
 * representation the DNS server uses everywhere: parsing from messages (compression pointers
 * followed with loop and bounds checks), text conversion for zone files, and the case-insensitive
 * comparison and hash that lookups rely on.
 */
#ifndef DNS_NAME_H
#define DNS_NAME_H

#include <stddef.h>
#include <stdint.h>

#define DNS_NAME_MAX 255  /* wire length, root byte included */
#define DNS_LABEL_MAX 63

/* Length of a valid uncompressed wire name, root byte included. */
size_t dns_name_len(const uint8_t *name);

/*
 * Reads the name at *pos of msg (len bytes), following compression pointers. Writes the
 * uncompressed name to out (DNS_NAME_MAX bytes) and advances *pos past the name as it appears
 * in place. 0 on success, -1 when malformed (out of bounds, loop, too long, bad label type).
 */
int dns_name_parse(const uint8_t *msg, size_t len, size_t *pos, uint8_t *out);

/*
 * Converts presentation text (len bytes, escapes \. and \DDD understood) to wire form. A name
 * not ending in "." is relative and gets origin appended (origin NULL: relative is an error);
 * "@" is the origin itself. out must not overlap origin. 0 on success, -1 on bad syntax or length.
 */
int dns_name_from_text(const char *text, size_t len, const uint8_t *origin, uint8_t *out);

/* Writes the name as text ending in "." into buf (at least 4 * DNS_NAME_MAX + 1 bytes). */
char *dns_name_to_text(const uint8_t *name, char *buf, size_t size);

/* Case-insensitive (ASCII) equality and hash of wire names. */
int dns_name_equal(const uint8_t *a, const uint8_t *b);
/* Case-insensitive equality of the n bytes of two labels' contents. */
int dns_label_equal(const uint8_t *a, const uint8_t *b, size_t n);
uint32_t dns_name_hash(const uint8_t *name);

/* 1 when name equals or lies below parent. */
int dns_name_is_below(const uint8_t *name, const uint8_t *parent);

/* Number of labels, the root not counted. */
unsigned dns_name_labels(const uint8_t *name);

/* The name with its first label removed (the root's parent is NULL). */
const uint8_t *dns_name_parent(const uint8_t *name);

#endif
