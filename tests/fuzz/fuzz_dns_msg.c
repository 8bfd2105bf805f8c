/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the dns app's query parser, answer builder and zone transfer
 * (apps/dns/dns_msg.c, dns_answer.c, dns_axfr.c) on arbitrary bytes, over UDP and TCP sizes, against a small zone with every
 * answer kind (CNAME chains and loops, a delegation, a large RRset). Queries come from anyone on
 * the network: no input may crash the server, loop, or produce an answer over the size limit. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../apps/dns/dns_answer.h"
#include "../../apps/dns/dns_axfr.h"
#include "../../apps/dns/dns_msg.h"
#include "../../apps/dns/dns_zparse.h"

static const char zone[] =
    "$TTL 300\n"
    "@ SOA ns h 1 2 3 4 5\n"
    "  NS ns\n  MX 10 mail\n  A 192.0.2.1\n"
    "ns A 192.0.2.2\nmail AAAA 2001:db8::1\n"
    "www CNAME web\nweb A 192.0.2.3\nloop1 CNAME loop2\nloop2 CNAME loop1\n"
    "out CNAME www.example.org.\nsrv SRV 1 1 1 web\n"
    "sub NS ns.sub\nns.sub A 192.0.2.4\n"
    "big TXT \"0123456789012345678901234567890123456789012345678901234567890123456789\" "
    "\"0123456789012345678901234567890123456789012345678901234567890123456789\"\n"
    "big TXT \"a123456789012345678901234567890123456789012345678901234567890123456789\" "
    "\"0123456789012345678901234567890123456789012345678901234567890123456789\"\n"
    "big TXT \"b123456789012345678901234567890123456789012345678901234567890123456789\" "
    "\"0123456789012345678901234567890123456789012345678901234567890123456789\"\n"
    "big TXT \"c123456789012345678901234567890123456789012345678901234567890123456789\" "
    "\"0123456789012345678901234567890123456789012345678901234567890123456789\"\n";

static struct dns_zoneset zones;
static struct dns_cache cache;
static uint8_t out[65535], cached[65535];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!zones.zones) {
        char err[256];
        uint8_t origin[DNS_NAME_MAX];
        dns_name_from_text("example.com.", 12, NULL, origin);
        struct dns_zone *z = dns_zparse("fuzz.zone", zone, sizeof(zone) - 1, origin, err, sizeof(err));
        if (!z || dns_zoneset_add(&zones, z) < 0)
            abort();
    }
    uint8_t *copy = malloc(size ? size : 1); /* exact size: ASan sees any over-read */
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    for (int tcp = 0; tcp < 2; tcp++) {
        size_t n = dns_answer(&zones, copy, size, tcp, out, sizeof(out));
        struct dns_query q;
        dns_query_parse(copy, size, &q);
        size_t limit = tcp ? 65535 : (q.edns && q.udp_size > 512 ? (q.udp_size < DNS_EDNS_SIZE ? q.udp_size : DNS_EDNS_SIZE) : 512);
        if (n > limit || (n > 0 && n < DNS_HEADER))
            abort();
        /* Our own answer must parse back as a well-formed message. */
        if (n > 0) {
            size_t pos = DNS_HEADER;
            uint8_t name[DNS_NAME_MAX];
            if (dns_get16(out, 4) == 1 && dns_name_parse(out, n, &pos, name) < 0)
                abort();
        }
        /* Over UDP the response cache answers exactly as dns_answer does, the first time and
         * the next with another ID (which a name pointing into the ID may make another query),
         * whatever it held from earlier inputs. */
        for (int again = 0; !tcp && again < 2; again++) {
            if (again && size >= 2) {
                copy[0] ^= 0xa5;
                n = dns_answer(&zones, copy, size, 0, out, sizeof(out));
            }
            size_t m = dns_answer_cached(&cache, &zones, copy, size, cached, sizeof(cached));
            if (m != n || memcmp(cached, out, n) != 0)
                abort();
        }
    }
    /* A transfer, in small messages so it splits: it must end, each message within the size,
     * with every record of the zone plus the second SOA. */
    struct dns_axfr x;
    if (dns_axfr_start(&zones, copy, size, &x)) {
        size_t n, records = 0;
        unsigned messages = 0;
        while ((n = dns_axfr_next(&x, out, 512)) > 0) {
            if (n > 512 || n < DNS_HEADER || ++messages > 1000)
                abort();
            records += dns_get16(out, 6);
        }
        if (records != x.zone->nrecords + 1)
            abort();
    }
    free(copy);
    return 0;
}
