/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the dns app's zone-file parser (apps/dns/dns_zparse.c, dns_rdata.c,
 * dns_zone.c) on arbitrary text. Zone files are operator input, but a typo must end in an
 * error message naming file and line, never a crash or a hang; a zone that loads is queried. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_answer.h"
#include "../../apps/dns/dns_zparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    uint8_t origin[DNS_NAME_MAX];
    dns_name_from_text("example.com.", 12, NULL, origin);
    char err[512];
    err[0] = '\0';
    struct dns_zone *z = dns_zparse("fuzz.zone", copy, size, origin, err, sizeof(err));
    if (!z && strncmp(err, "fuzz.zone:", 10) != 0)
        abort(); /* every error names the file and a line */
    if (z) {
        struct dns_zoneset set = {NULL};
        dns_zoneset_add(&set, z);
        static const uint8_t q[] = {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w', 7, 'e', 'x', 'a',
                                    'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 255, 0, 1};
        static uint8_t out[65535];
        uint8_t query[sizeof(q)];
        static const uint16_t types[] = {1, 2, 5, 6, 12, 15, 16, 28, 33, 43, 255};
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
            memcpy(query, q, sizeof(q));
            query[sizeof(q) - 3] = (uint8_t)types[t];
            dns_answer(&set, query, sizeof(query), 0, out, sizeof(out));
            dns_answer(&set, query, 12, 0, out, sizeof(out));
            /* The apex too: the query for "com." is refused, for "example.com." answered. */
            uint8_t apex[sizeof(q) - 4];
            memcpy(apex, query, 12);
            memcpy(apex + 12, query + 16, sizeof(q) - 16);
            dns_answer(&set, apex, sizeof(apex), 1, out, sizeof(out));
        }
        dns_zoneset_free(&set);
    }
    free(copy);
    return 0;
}
