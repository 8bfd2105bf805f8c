/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the Oakestra SLA v2 parser (agent/sla.c) on arbitrary bytes. SLA documents
 * come from whoever can reach an agent or the controller, so any input must give either a
 * service description that keeps the parser's promises or one error line, never a crash, a leak
 * or a read outside the input. On success the promises are checked: a name, memory and vcpus
 * in range, one code entry per arch with a known arch, a 64-hex or empty digest, and http(s)
 * URLs always with a digest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/sla.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sla_service s;
    char err[512];
    if (sla_parse((const char *)data, size, &s, err, sizeof(err)) < 0) {
        if (!err[0] || strchr(err, '\n'))
            abort(); /* an error is one non-empty line */
        return 0;
    }
    if (!s.name[0] || s.memory_mib < 1 || s.memory_mib > SLA_MEMORY_MAX_MIB || s.vcpus < 1 ||
        s.vcpus > SLA_VCPUS_MAX || s.ncode < 1 || s.ncode > SLA_MAX_ARCH || s.ncmd > SLA_MAX_ARGS)
        abort();
    for (int i = 0; i < s.ncode; i++) {
        const struct sla_code *c = &s.code[i];
        if ((strcmp(c->arch, "x86_64") && strcmp(c->arch, "aarch64")) || sla_code_for(&s, c->arch) != c)
            abort();
        size_t dl = strlen(c->sha256);
        if ((dl != 0 && dl != 64) || (dl == 0 && strncmp(c->url, "http", 4) == 0) || !c->url[0])
            abort();
    }
    for (int i = 0; i < s.ncmd; i++)
        if (!s.cmd[i])
            abort();
    sla_free(&s);
    return 0;
}
