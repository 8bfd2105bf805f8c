/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of IPv4 text conversion (guest/ip4.c). */
#include <arpa/inet.h>
#include <string.h>
#include <unf/net.h>

#include "check.h"

int main(void)
{
    unf_ip4 a;
    char buf[16];
    CHECK(unf_ip4_parse("10.90.0.1", &a) == 0 && a == inet_addr("10.90.0.1"), "ip4.parse-network-order");
    CHECK(strcmp(unf_ip4_format(a, buf), "10.90.0.1") == 0, "ip4.format-roundtrip");
    CHECK(unf_ip4_parse("255.255.255.255", &a) == 0 && a == 0xffffffffu, "ip4.parse-max");
    static const char *const bad[] = {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d",
                                      "1..2.3", "01234.1.1.1", "1.2.3.-4"};
    int rejected = 1;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (unf_ip4_parse(bad[i], &a) == 0)
            rejected = 0;
    CHECK(rejected, "ip4.rejects-malformed");
    return CHECK_DONE();
}
