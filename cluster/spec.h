/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Campaign specs, pure: parse and check the campaign JSON (untrusted: it comes from users and
 * is fuzzed by tests/fuzz/fuzz_campaign.c), plan its jobs (every vantage point x target batch,
 * the vTNT way), and build the Oakestra SLA v2 document of one job. No I/O.
 *
 * {"name": "tnt-1", "image": {"arch": ["amd64","arm64"], "code": "URL,URL",
 *  "code_sha256": "HEX,HEX"}, "command": "tnt", "args": ["-m","8"], "targets": ["10.0.0.1"],
 *  "batch": 1, "vantage_points": ["n1","n2"] | "all" | "any", "policy": "wait"|"discard",
 *  "memory": 16, "vcpus": 1, "timeout_ms": 60000, "rate": 10, "platform": "auto", "accel": "auto"}
 */
#ifndef CLUSTER_SPEC_H
#define CLUSTER_SPEC_H

#include <jansson.h>
#include <stddef.h>

#define SPEC_MAX_ARCHS 4
#define SPEC_MAX_TARGETS 100000
#define SPEC_MAX_ARGS 32
#define SPEC_MAX_VPS 1024
#define SPEC_MAX_BATCH 1000

enum spec_vp_mode {
    SPEC_VP_LIST,               /* the named nodes, each job bound to its node */
    SPEC_VP_ALL,                /* every registered node; a lost node's jobs are re-placed */
    SPEC_VP_ANY,                /* one job per batch, placed anywhere; re-placed when lost */
};

enum spec_policy { SPEC_WAIT, SPEC_DISCARD };

struct spec {
    char name[64];
    char archs[SPEC_MAX_ARCHS][16];     /* unf names, in the order of the code list */
    char *codes[SPEC_MAX_ARCHS];
    char *shas[SPEC_MAX_ARCHS];
    int narchs;
    char command[8];                    /* trace, tnt, ping */
    char **args;
    size_t nargs;
    char **targets;
    size_t ntargets;
    long batch;
    enum spec_vp_mode vp_mode;
    char **vps;
    size_t nvps;
    enum spec_policy policy;
    long memory_mib, vcpus, timeout_ms;
    double rate;                        /* deployments per second; 0: as fast as room allows */
    char platform[24], accel[8];
};

/* One planned job: the vantage point (NULL: any node) and a slice of the targets. */
struct spec_job {
    const char *vp;
    size_t first, count;
};

/* Parse a spec; 0, or -1 with a one-line reason in err. spec_free() in both cases. */
int spec_parse(const char *text, size_t len, struct spec *s, char *err, size_t errlen);
int spec_from_json(json_t *root, struct spec *s, char *err, size_t errlen);
void spec_free(struct spec *s);
/* The spec back as JSON (stored with the campaign, so resume needs no file). */
json_t *spec_to_json(const struct spec *s);

/* Jobs of the spec, vantage points taken from nodes[] when "all". Returns the count (jobs
 * malloc'ed into *out, NULL when 0) or -1 with err (e.g. no vantage point). */
long spec_plan(const struct spec *s, const char *const *nodes, size_t nnodes,
               struct spec_job **out, char *err, size_t errlen);

/* The SLA v2 document of one job: microservice `name`, cmd = command, args, its targets. */
json_t *spec_job_sla(const struct spec *s, const char *name, size_t first, size_t count);

/* The request's unf arch names -> their index in s->archs, or -1. */
int spec_arch_index(const struct spec *s, const char *arch);

#endif
