/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Internet checksum for lwIP (LWIP_CHKSUM, set in lwipopts.h for x86_64): the same value as
 * lwIP's own routine (host-order, non-inverted sum; an odd start address handled by summing as
 * if aligned and swapping the result's bytes) but eight bytes per step into a 64-bit sum instead
 * of two into a 32-bit one. Every IP header and every UDP and TCP segment, in and out, is
 * summed: lwIP's loop was among the largest guest costs per packet (a profile of the DNS server
 * at 10,000 queries a second put it next to the answer code).
 */
#include <stdint.h>

unsigned short unf_lwip_chksum(const void *data, int len);

unsigned short unf_lwip_chksum(const void *data, int len)
{
    const uint8_t *p = data;
    uint64_t sum = 0;
    uint16_t ends = 0; /* a byte before the first even address (high half), one left at the end (low) */
    int odd = (int)((uintptr_t)p & 1);
    if (odd && len > 0) {
        ends = (uint16_t)(*p++ << 8);
        len--;
    }
    /* Little-endian words: a 32-bit word is two 16-bit ones, and 2^16 = 1 in the ones'-complement
     * sum, so adding both halves of each 64-bit load keeps the sum exact without carries. */
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t v;
        __builtin_memcpy(&v, p, 8);
        sum += (v & 0xffffffffu) + (v >> 32);
    }
    if (len >= 4) {
        uint32_t v;
        __builtin_memcpy(&v, p, 4);
        sum += v;
        p += 4;
        len -= 4;
    }
    if (len >= 2) {
        uint16_t v;
        __builtin_memcpy(&v, p, 2);
        sum += v;
        p += 2;
        len -= 2;
    }
    if (len > 0)
        ends |= *p;
    sum += ends;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    if (odd)
        sum = ((sum & 0xff) << 8) | (sum >> 8);
    return (unsigned short)sum;
}
