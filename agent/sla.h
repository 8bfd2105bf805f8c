/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Oakestra SLA v2 service descriptions, the deployment format of the node agent (unfd) and of
 * the controller (unf cluster): parse one JSON document into a struct sla_service, strictly (one
 * line saying what is wrong, nothing half-filled). Self-contained (jansson only, no agent or
 * runtime state), so both programs and the fuzz target link it as is. The accepted document:
 *   {"sla_version":"v2.0","applications":[{"microservices":[{
 *     "microservice_name":"echo","virtualization":"unikernel","cmd":["trace","10.0.0.1"],
 *     "memory":16,"vcpus":1,"port":"7000:7/udp","one_shot":false,"arch":["amd64","arm64"],
 *     "code":"http://h/echo.unf,http://h/echo.unf","code_sha256":"<hex>,<hex>",
 *     "unf_platform":"auto","unf_accel":"auto"}]}]}
 * Exactly one application with exactly one microservice. Oakestra's other fields are ignored.
 * "arch" uses Oakestra's names (amd64, arm64), stored as kernel names (x86_64, aarch64); "code"
 * and "code_sha256" are comma-separated, one entry per arch, in the same order. A code URL is
 * http://, https://, file:// or an absolute path; http(s) URLs need a digest.
 */
#ifndef AGENT_SLA_H
#define AGENT_SLA_H

#include <stddef.h>

#define SLA_MAX_ARCH 4
#define SLA_MAX_ARGS 64
#define SLA_NAME_MAX 40
#define SLA_URL_MAX 2048
#define SLA_MEMORY_MAX_MIB (64 * 1024)
#define SLA_VCPUS_MAX 64

struct sla_code {
    char arch[16];              /* "x86_64" or "aarch64" */
    char url[SLA_URL_MAX];
    char sha256[65];            /* lowercase hex, "" when not given */
};

struct sla_service {
    char name[SLA_NAME_MAX + 1];
    char *cmd[SLA_MAX_ARGS];    /* the guest's arguments (owned; sla_free) */
    int ncmd;
    unsigned memory_mib;
    unsigned vcpus;
    char port[32];              /* "" or "HOST:GUEST[/udp|/tcp]" */
    int one_shot;
    struct sla_code code[SLA_MAX_ARCH];
    int ncode;
    char platform[24];          /* "auto" unless unf_platform says otherwise */
    char accel[8];              /* "auto", "kvm", "tcg" or "none" */
};

/* Parses `len` bytes of JSON. 0 on success (release with sla_free); -1 with one line in err
 * and *s left empty. */
int sla_parse(const char *text, size_t len, struct sla_service *s, char *err, size_t errlen);
void sla_free(struct sla_service *s);

/* The code entry for a kernel architecture ("x86_64", "aarch64"), or NULL. */
const struct sla_code *sla_code_for(const struct sla_service *s, const char *arch);

/* Oakestra's architecture name -> kernel name ("amd64" -> "x86_64", "arm64" -> "aarch64"; the
 * kernel names map to themselves); NULL when unknown. */
const char *sla_arch_name(const char *oakestra);

#endif
