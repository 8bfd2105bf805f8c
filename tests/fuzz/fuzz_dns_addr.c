/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: address text (guest/ip6.c, unf_addr_parse/unf_addr_format), which the start
 * code reads from unf.ip6_N= and apps from their arguments. No text may crash the parser, and
 * whatever it accepts must format to text that parses back to the same address, within
 * UNF_ADDR_TEXT bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unf/net.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[128];
    if (size >= sizeof(text))
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    unf_addr a, b;
    if (unf_addr_parse(text, &a) < 0)
        return 0;
    char out[UNF_ADDR_TEXT + 16];
    memset(out, 'x', sizeof(out));
    unf_addr_format(&a, out);
    if (strnlen(out, sizeof(out)) >= UNF_ADDR_TEXT)
        abort();
    if (unf_addr_parse(out, &b) < 0 || a.family != b.family || memcmp(a.bytes, b.bytes, 16) != 0)
        abort();
    return 0;
}
