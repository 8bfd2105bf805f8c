/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of apps/dns/dns_name.c: text to wire and back, compression pointers (valid,
 * forward, looping, truncated), case-insensitive equality and hashing, ancestry. */
#include <string.h>

#include "../../apps/dns/dns_name.h"
#include "check.h"

static const uint8_t origin[] = "\7example\3com";

static int from_text(const char *text, const uint8_t *org, uint8_t *out)
{
    return dns_name_from_text(text, strlen(text), org, out);
}

int main(void)
{
    uint8_t n[DNS_NAME_MAX], m[DNS_NAME_MAX];
    char text[4 * DNS_NAME_MAX + 1];

    CHECK(from_text("www", origin, n) == 0 && memcmp(n, "\3www\7example\3com", 17) == 0, "name.relative-gets-origin");
    CHECK(from_text("www.example.org.", origin, n) == 0 && memcmp(n, "\3www\7example\3org", 17) == 0, "name.absolute");
    CHECK(from_text("@", origin, n) == 0 && dns_name_equal(n, origin), "name.at-is-origin");
    CHECK(from_text(".", NULL, n) == 0 && n[0] == 0, "name.root");
    CHECK(from_text("www", NULL, n) < 0, "name.relative-without-origin-fails");
    CHECK(from_text("a..b.", NULL, n) < 0, "name.empty-label-fails");
    CHECK(from_text("a\\.b.c.", NULL, n) == 0 && n[0] == 3 && memcmp(n + 1, "a.b", 3) == 0, "name.escaped-dot");
    CHECK(from_text("\\065b.", NULL, n) == 0 && memcmp(n, "\2Ab", 4) == 0, "name.decimal-escape");
    CHECK(from_text("\\256.", NULL, n) < 0, "name.decimal-escape-over-255-fails");
    char label[70];
    memset(label, 'a', 64);
    strcpy(label + 64, ".");
    CHECK(from_text(label, NULL, n) < 0, "name.label-64-fails");
    label[63] = '.';
    label[64] = '\0';
    CHECK(from_text(label, NULL, n) == 0 && n[0] == 63, "name.label-63-ok");
    char longname[300] = "";
    for (int i = 0; i < 64; i++)
        strcat(longname, "abc.");
    CHECK(from_text(longname, NULL, n) < 0, "name.over-255-fails");
    longname[4 * 63] = '\0'; /* 63 labels of 3: 253 bytes on the wire */
    CHECK(from_text(longname, NULL, n) == 0 && dns_name_len(n) == 253, "name.253-ok");

    from_text("A.b\\.c.", NULL, n);
    CHECK(strcmp(dns_name_to_text(n, text, sizeof(text)), "A.b\\.c.") == 0, "name.to-text-escapes");
    CHECK(strcmp(dns_name_to_text((const uint8_t *)"", text, sizeof(text)), ".") == 0, "name.to-text-root");

    from_text("WWW.Example.COM.", NULL, n);
    from_text("www.example.com.", NULL, m);
    CHECK(dns_name_equal(n, m) && dns_name_hash(n) == dns_name_hash(m), "name.case-insensitive-equal-and-hash");
    from_text("www.example.co.", NULL, m);
    CHECK(!dns_name_equal(n, m), "name.different");
    CHECK(dns_name_is_below(n, origin) && dns_name_is_below(origin, origin) && !dns_name_is_below(origin, n),
          "name.is-below");
    CHECK(dns_name_labels(n) == 3 && dns_name_equal(dns_name_parent(n), origin), "name.labels-and-parent");

    /* A message: "example.com" at 12, then "www" + pointer to 12. */
    uint8_t msg[64] = {0};
    memcpy(msg + 12, origin, 13);
    memcpy(msg + 25, "\3www\xc0\x0c", 6);
    size_t pos = 25;
    CHECK(dns_name_parse(msg, 31, &pos, n) == 0 && pos == 31 &&
          memcmp(n, "\3www\7example\3com", 17) == 0, "parse.pointer-followed");
    pos = 25;
    CHECK(dns_name_parse(msg, 30, &pos, n) < 0, "parse.truncated-pointer-fails");
    memcpy(msg + 40, "\xc0\x28", 2); /* points at itself */
    pos = 40;
    CHECK(dns_name_parse(msg, 42, &pos, n) < 0, "parse.self-pointer-fails");
    memcpy(msg + 40, "\xc0\x2c\0\0\xc0\x28", 6); /* forward then back: a loop */
    pos = 40;
    CHECK(dns_name_parse(msg, 46, &pos, n) < 0, "parse.forward-pointer-fails");
    memcpy(msg + 50, "\x05" "ab", 3);
    pos = 50;
    CHECK(dns_name_parse(msg, 53, &pos, n) < 0, "parse.label-past-end-fails");
    memcpy(msg + 50, "\x41\x00", 2);
    pos = 50;
    CHECK(dns_name_parse(msg, 52, &pos, n) < 0, "parse.extended-label-type-fails");
    return CHECK_DONE();
}
