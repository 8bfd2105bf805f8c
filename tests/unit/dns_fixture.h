/* SPDX-License-Identifier: BSD-2-Clause */
/* The DNS unit tests' shared fixture: a zone file read, parsed and added to a zone set, as the
 * server does at start. Header-only (each test is one program). */
#ifndef UNF_TEST_DNS_FIXTURE_H
#define UNF_TEST_DNS_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "../../apps/dns/dns_zparse.h"

/* Loads the zone at path with origin_text into set; the zone, or NULL (reason printed). */
static inline struct dns_zone *dns_fixture_load(struct dns_zoneset *set, const char *path, const char *origin_text)
{
    static char text[1 << 16];
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("  cannot open %s\n", path);
        return NULL;
    }
    size_t len = fread(text, 1, sizeof(text), f);
    fclose(f);
    uint8_t origin[DNS_NAME_MAX];
    char err[256] = "cannot add the zone";
    dns_name_from_text(origin_text, strlen(origin_text), NULL, origin);
    struct dns_zone *z = dns_zparse(path, text, len, origin, err, sizeof(err));
    if (!z || dns_zoneset_add(set, z) < 0) {
        printf("  %s\n", err);
        dns_zone_free(z);
        return NULL;
    }
    return z;
}

#endif
