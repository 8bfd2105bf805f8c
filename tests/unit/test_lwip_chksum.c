/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the guest's Internet checksum for lwIP (guest/net_lwip/chksum.c, built in here:
 * it is plain C) against its definition: each byte weighs 1 at an even address and 256 at an
 * odd one, the ones'-complement sum folded to 16 bits, its bytes swapped when the data starts
 * at an odd address (what lwIP's own routine returns). Every length 0-300 and some up to 9000,
 * at every start address mod 8, random bytes and the all-0xff and all-zero extremes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../guest/net_lwip/chksum.c"
#include "check.h"

static unsigned short reference(const uint8_t *p, int len)
{
    uint64_t sum = 0;
    for (int i = 0; i < len; i++)
        sum += (uint64_t)p[i] << (((uintptr_t)(p + i) & 1) ? 8 : 0);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    if ((uintptr_t)p & 1)
        sum = ((sum & 0xff) << 8) | (sum >> 8);
    return (unsigned short)sum;
}

static uint64_t buf_words[9100 / 8 + 2];

static int agrees(int len, int fill)
{
    uint8_t *buf = (uint8_t *)buf_words;
    for (int at = 0; at < 8; at++) {
        for (int i = 0; i < len + 8; i++)
            buf[i] = (uint8_t)(fill >= 0 ? fill : rand());
        if (unf_lwip_chksum(buf + at, len) != reference(buf + at, len))
            return 0;
    }
    return 1;
}

int main(void)
{
    int ok = 1;
    for (int len = 0; len <= 300; len++)
        ok &= agrees(len, -1);
    for (int len = 301; len <= 9000; len += 97)
        ok &= agrees(len, -1);
    CHECK(ok, "chksum.random-bytes-every-length-and-alignment");
    ok = 1;
    for (int len = 0; len <= 9000; len += len < 64 ? 1 : 331)
        ok &= agrees(len, 0xff) && agrees(len, 0);
    CHECK(ok, "chksum.all-ones-and-all-zeros");
    /* A known value: RFC 1071's example words 0001 f203 f4f5 f6f7 sum to ddf2 (network order). */
    static const uint8_t rfc[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    uint8_t *b = (uint8_t *)buf_words;
    for (int i = 0; i < 8; i++)
        b[i] = rfc[i];
    CHECK(unf_lwip_chksum(b, 8) == 0xf2dd, "chksum.rfc1071-example");
    return CHECK_DONE();
}
