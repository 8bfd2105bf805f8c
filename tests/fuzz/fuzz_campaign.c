/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target: the controller's campaign spec parser (cluster/spec.c) on arbitrary bytes.
 * Specs come from users, so any input must give either a spec or one error line, never a crash
 * or a leak; an accepted spec is also planned, turned into a job's SLA and round-tripped
 * through its stored JSON form, which must parse again. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cluster/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct spec s, s2;
    char err[512];
    if (spec_parse((const char *)data, size, &s, err, sizeof err) == 0) {
        const char *nodes[] = {"n1", "n2", "n3"};
        struct spec_job *jobs = NULL;
        long n = spec_plan(&s, nodes, 3, &jobs, err, sizeof err);
        if (n > 0) {
            json_t *sla = spec_job_sla(&s, "c1-j0-a1", jobs[n - 1].first, jobs[n - 1].count);
            if (!sla)
                abort();
            json_decref(sla);
        }
        free(jobs);
        json_t *back = spec_to_json(&s);
        if (!back || spec_from_json(back, &s2, err, sizeof err) != 0 || s2.ntargets != s.ntargets)
            abort();
        spec_free(&s2);
        json_decref(back);
    } else if (!memchr(err, '\0', sizeof err) || strchr(err, '\n')) {
        abort();
    }
    spec_free(&s);
    return 0;
}
