/* SPDX-License-Identifier: BSD-2-Clause */
/* IPv4 address text conversion for apps (unf_ip4_parse / unf_ip4_format), every target. */
#include <stdio.h>
#include <string.h>
#include <unf/net.h>

int unf_ip4_parse(const char *text, unf_ip4 *out)
{
    unsigned char bytes[4];
    const char *p = text;
    for (int i = 0; i < 4; i++) {
        unsigned value = 0;
        int digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 4) {
            value = value * 10 + (unsigned)(*p++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || value > 255)
            return -1;
        bytes[i] = (unsigned char)value;
        if (i < 3 && *p++ != '.')
            return -1;
    }
    if (*p != '\0')
        return -1;
    /* Network byte order: the first number of the text is the lowest-addressed byte. */
    memcpy(out, bytes, sizeof(bytes));
    return 0;
}

char *unf_ip4_format(unf_ip4 addr, char *buf)
{
    const unsigned char *b = (const unsigned char *)&addr;
    snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buf;
}
