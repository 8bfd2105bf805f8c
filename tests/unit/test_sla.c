/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of the Oakestra SLA v2 parser (agent/sla.c): a full document and a minimal one are
 * read field by field; each broken field is refused with one line naming it; arch names map to
 * kernel names and the code entry is found per architecture. */
#include <stdlib.h>
#include <string.h>

#include "../../agent/sla.h"
#include "check.h"

#define HEAD "{\"sla_version\":\"v2.0\",\"customerID\":\"Admin\",\"applications\":[{\"application_name\":\"t\"," \
             "\"microservices\":[{"
#define TAIL "}]}]}"
#define SHA "62330474857ea543dcf4223a424b47f18952d3791e4171ec78be7e9b3e818c5d"
#define BASE "\"microservice_name\":\"echo\",\"virtualization\":\"unikernel\",\"memory\":16,\"vcpus\":1"

static int parse(const char *text, struct sla_service *s, char *err)
{
    return sla_parse(text, strlen(text), s, err, 512);
}

/* The document with one microservice made of BASE plus extra, refused with msg in the error. */
static int refused(const char *extra, const char *msg)
{
    char doc[2048], err[512];
    struct sla_service s;
    snprintf(doc, sizeof(doc), HEAD BASE "%s" TAIL, extra);
    int rc = parse(doc, &s, err);
    if (rc == 0)
        sla_free(&s);
    return rc < 0 && strstr(err, msg) && !strchr(err, '\n');
}

int main(void)
{
    struct sla_service s;
    char err[512];
    const char *full = HEAD BASE ",\"cmd\":[\"trace\",\"10.0.0.1\"],\"port\":\"7000:7/udp\",\"one_shot\":true,"
                       "\"arch\":[\"amd64\",\"arm64\"],\"code\":\"http://h/e.unf,/srv/e.unf\","
                       "\"code_sha256\":\"" SHA ",\",\"unf_platform\":\"proc\",\"unf_accel\":\"tcg\"" TAIL;
    int rc = parse(full, &s, err);
    CHECK(rc == 0, "sla.full-parses");
    if (rc == 0) {
        CHECK(strcmp(s.name, "echo") == 0 && s.memory_mib == 16 && s.vcpus == 1, "sla.full-name-memory-vcpus");
        CHECK(s.ncmd == 2 && strcmp(s.cmd[0], "trace") == 0 && strcmp(s.cmd[1], "10.0.0.1") == 0, "sla.full-cmd");
        CHECK(strcmp(s.port, "7000:7/udp") == 0 && s.one_shot, "sla.full-port-one-shot");
        CHECK(strcmp(s.platform, "proc") == 0 && strcmp(s.accel, "tcg") == 0, "sla.full-platform-accel");
        const struct sla_code *x = sla_code_for(&s, "x86_64"), *a = sla_code_for(&s, "aarch64");
        CHECK(s.ncode == 2 && x && a && strcmp(x->url, "http://h/e.unf") == 0 && strcmp(x->sha256, SHA) == 0,
              "sla.full-amd64-code");
        CHECK(a && strcmp(a->url, "/srv/e.unf") == 0 && a->sha256[0] == '\0', "sla.full-arm64-path-without-digest");
        sla_free(&s);
    }
    rc = parse(HEAD BASE ",\"arch\":[\"amd64\"],\"code\":\"file:///srv/e.unf\"" TAIL, &s, err);
    CHECK(rc == 0 && s.ncmd == 0 && !s.one_shot && s.port[0] == '\0' && strcmp(s.platform, "auto") == 0 &&
              strcmp(s.accel, "auto") == 0 && !sla_code_for(&s, "aarch64"),
          "sla.minimal-defaults");
    if (rc == 0)
        sla_free(&s);
    CHECK(strcmp(sla_arch_name("amd64"), "x86_64") == 0 && strcmp(sla_arch_name("arm64"), "aarch64") == 0 &&
              sla_arch_name("riscv64") == NULL,
          "sla.arch-names");

    CHECK(parse("{\"sla_version\":", &s, err) < 0 && strstr(err, "not JSON"), "sla.not-json");
    CHECK(parse("{\"sla_version\":\"v1\"}", &s, err) < 0 && strstr(err, "sla_version"), "sla.wrong-version");
    CHECK(parse(HEAD TAIL, &s, err) < 0 && strstr(err, "virtualization"), "sla.empty-microservice");
    CHECK(parse("{\"sla_version\":\"v2.0\",\"applications\":[{\"microservices\":[{},{}]}]}", &s, err) < 0 &&
              strstr(err, "exactly one microservice"),
          "sla.two-microservices");
    const char *code = ",\"arch\":[\"amd64\"],\"code\":\"/e.unf\"";
    char extra[512];
    snprintf(extra, sizeof(extra), "%s,\"memory\":0", code);
    CHECK(parse(HEAD "\"microservice_name\":\"e\",\"virtualization\":\"container\",\"memory\":1,\"vcpus\":1" TAIL,
                &s, err) < 0 && strstr(err, "virtualization"),
          "sla.container-refused");
    CHECK(refused(",\"arch\":[\"amd64\"]", "code:"), "sla.no-code");
    CHECK(refused(",\"arch\":[\"amd64\",\"arm64\"],\"code\":\"/e.unf\"", "one URL per arch"), "sla.urls-fewer-than-arch");
    CHECK(refused(",\"arch\":[\"amd64\"],\"code\":\"ftp://h/e.unf\"", "bad URL"), "sla.bad-url-scheme");
    CHECK(refused(",\"arch\":[\"amd64\"],\"code\":\"http://h/e.unf\"", "digest is required"), "sla.http-needs-digest");
    CHECK(refused(",\"arch\":[\"amd64\"],\"code\":\"http://h/e.unf\",\"code_sha256\":\"abc\"", "64 hex"),
          "sla.short-digest");
    CHECK(refused(",\"arch\":[\"arm64\",\"aarch64\"],\"code\":\"/a,/b\"", "given twice"), "sla.arch-twice");
    CHECK(refused(",\"arch\":[\"riscv64\"],\"code\":\"/a\"", "unknown architecture"), "sla.unknown-arch");
    snprintf(extra, sizeof(extra), "%s,\"port\":\"70000:7\"", code);
    CHECK(refused(extra, "port"), "sla.bad-port");
    snprintf(extra, sizeof(extra), "%s,\"cmd\":\"trace\"", code);
    CHECK(refused(extra, "cmd"), "sla.cmd-not-array");
    snprintf(extra, sizeof(extra), "%s,\"one_shot\":\"yes\"", code);
    CHECK(refused(extra, "one_shot"), "sla.one-shot-not-bool");
    snprintf(extra, sizeof(extra), "%s,\"unf_accel\":\"xen\"", code);
    CHECK(refused(extra, "unf_accel"), "sla.bad-accel");
    CHECK(parse(HEAD "\"microservice_name\":\"e\",\"virtualization\":\"unikernel\",\"memory\":-16,\"vcpus\":1,"
                     "\"arch\":[\"amd64\"],\"code\":\"/e.unf\"" TAIL, &s, err) < 0 && strstr(err, "memory"),
          "sla.negative-memory");
    CHECK(parse(HEAD "\"microservice_name\":\"e\",\"virtualization\":\"unikernel\",\"memory\":16,\"vcpus\":65,"
                     "\"arch\":[\"amd64\"],\"code\":\"/e.unf\"" TAIL, &s, err) < 0 && strstr(err, "vcpus"),
          "sla.too-many-vcpus");
    CHECK(parse(HEAD "\"microservice_name\":\"../x\",\"virtualization\":\"unikernel\",\"memory\":16,\"vcpus\":1,"
                     "\"arch\":[\"amd64\"],\"code\":\"/e.unf\"" TAIL, &s, err) < 0 && strstr(err, "microservice_name"),
          "sla.bad-name");
    return CHECK_DONE();
}
