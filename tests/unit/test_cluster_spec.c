/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests of campaign specs (cluster/spec.c): parsing and its one-line refusals, job planning
 * (vantage points x batches), the SLA v2 of a job, and the spec's JSON round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../agent/sla.h"
#include "../../cluster/spec.h"
#include "check.h"

#define SHA "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
static const char good[] =
    "{\"name\":\"t1\",\"image\":{\"arch\":[\"amd64\",\"arm64\"],\"code\":\"http://h/p.unf,http://h/q.unf\","
    "\"code_sha256\":\"" SHA "," SHA "\"},\"command\":\"tnt\",\"args\":[\"-m\",\"8\"],"
    "\"targets\":[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\"],\"batch\":2,\"vantage_points\":[\"n1\",\"n2\"],"
    "\"policy\":\"wait\",\"memory\":16,\"vcpus\":1,\"timeout_ms\":5000,\"rate\":2.5}";

static int refused(const char *text, const char *needle)
{
    struct spec s;
    char err[256] = "";
    int rc = spec_parse(text, strlen(text), &s, err, sizeof err);
    spec_free(&s);
    return rc < 0 && strstr(err, needle) != NULL && strchr(err, '\n') == NULL;
}

int main(void)
{
    struct spec s;
    char err[256];
    CHECK(spec_parse(good, strlen(good), &s, err, sizeof err) == 0, "parse.good");
    CHECK(s.narchs == 2 && strcmp(s.archs[1], "aarch64") == 0 && strcmp(s.codes[1], "http://h/q.unf") == 0,
          "parse.image");
    CHECK(s.ntargets == 3 && s.batch == 2 && s.nvps == 2 && s.policy == SPEC_WAIT && s.rate == 2.5, "parse.fields");

    struct spec_job *jobs;
    long n = spec_plan(&s, NULL, 0, &jobs, err, sizeof err);
    CHECK(n == 4, "plan.vp-x-batches");
    CHECK(n == 4 && strcmp(jobs[0].vp, "n1") == 0 && strcmp(jobs[1].vp, "n2") == 0 && jobs[2].first == 2 &&
          jobs[2].count == 1, "plan.batch-major");
    free(jobs);

    json_t *sla = spec_job_sla(&s, "c1-j0-a1", 0, 2);
    json_t *ms = json_array_get(json_object_get(json_array_get(json_object_get(sla, "applications"), 0),
                                                "microservices"), 0);
    json_t *cmd = json_object_get(ms, "cmd");
    CHECK(strcmp(json_string_value(json_object_get(sla, "sla_version")), "v2.0") == 0, "sla.version");
    CHECK(json_array_size(cmd) == 5 && strcmp(json_string_value(json_array_get(cmd, 0)), "tnt") == 0 &&
          strcmp(json_string_value(json_array_get(cmd, 4)), "10.0.0.2") == 0, "sla.cmd");
    CHECK(json_is_true(json_object_get(ms, "one_shot")) &&
          strcmp(json_string_value(json_object_get(ms, "code")), "http://h/p.unf,http://h/q.unf") == 0 &&
          strcmp(json_string_value(json_array_get(json_object_get(ms, "arch"), 1)), "arm64") == 0, "sla.fields");
    char *text = json_dumps(sla, JSON_COMPACT);
    struct sla_service svc;
    int ok = text && sla_parse(text, strlen(text), &svc, err, sizeof err) == 0;
    if (!ok)
        printf("INFO agent parser: %s\n", err);
    CHECK(ok && svc.ncode == 2 && strcmp(svc.code[1].arch, "aarch64") == 0 && svc.one_shot && svc.ncmd == 5 &&
          strcmp(svc.name, "c1-j0-a1") == 0, "sla.accepted-by-agent-parser");
    if (ok)
        sla_free(&svc);
    free(text);
    json_decref(sla);

    json_t *back = spec_to_json(&s);
    struct spec s2;
    CHECK(back && spec_from_json(back, &s2, err, sizeof err) == 0 && s2.ntargets == 3 && s2.rate == 2.5 &&
          strcmp(s2.shas[1], SHA) == 0, "roundtrip");
    spec_free(&s2);
    json_decref(back);
    spec_free(&s);

    const char *all = "{\"name\":\"a\",\"image\":{\"arch\":[\"amd64\"],\"code\":\"file:///x.unf\"},"
                      "\"command\":\"ping\",\"targets\":[\"1.2.3.4\",\"1.2.3.5\",\"1.2.3.6\"],"
                      "\"vantage_points\":\"all\",\"policy\":\"discard\"}";
    const char *nodes[] = {"a", "b"};
    CHECK(spec_parse(all, strlen(all), &s, err, sizeof err) == 0 && s.vp_mode == SPEC_VP_ALL && s.batch == 1,
          "parse.all-defaults");
    n = spec_plan(&s, nodes, 2, &jobs, err, sizeof err);
    CHECK(n == 6 && strcmp(jobs[5].vp, "b") == 0, "plan.all");
    free(jobs);
    CHECK(spec_plan(&s, nodes, 0, &jobs, err, sizeof err) == -1, "plan.all-without-nodes");
    spec_free(&s);

    CHECK(refused("{", "bad JSON"), "refuse.json");
    CHECK(refused("[]", "object"), "refuse.not-object");
    CHECK(refused("{\"name\":\"a b\"}", "name"), "refuse.name");
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", good);
    memcpy(strstr(buf, "10.0.0.3"), "10.0.0;3", 8);
    CHECK(refused(buf, "targets"), "refuse.target");
    snprintf(buf, sizeof buf, "%s", good);
    memcpy(strstr(buf, "\"-m\""), "\"- \"", 4);
    CHECK(refused(buf, "args"), "refuse.arg-with-space");
    snprintf(buf, sizeof buf, "%s", good);
    memcpy(strstr(buf, "\"wait\""), "\"wate\"", 6);
    CHECK(refused(buf, "policy"), "refuse.policy");
    snprintf(buf, sizeof buf, "%s", good);
    memcpy(strstr(buf, "\"tnt\""), "\"rm \"", 5);
    CHECK(refused(buf, "command"), "refuse.command");
    CHECK(refused("{\"name\":\"a\",\"image\":{\"arch\":[\"amd64\"],\"code\":\"http://h/x\"},\"command\":\"tnt\","
                  "\"targets\":[\"1.1.1.1\"],\"vantage_points\":\"any\",\"policy\":\"wait\"}", "sha256"),
          "refuse.http-without-sha");
    CHECK(refused("{\"name\":\"a\",\"image\":{\"arch\":[\"amd64\"],\"code\":\"file:///x,file:///y\"},"
                  "\"command\":\"tnt\",\"targets\":[\"1.1.1.1\"],\"vantage_points\":\"any\",\"policy\":\"wait\"}",
                  "more URLs"),
          "refuse.more-urls-than-archs");
    CHECK(refused("{\"name\":\"a\",\"image\":{\"arch\":[\"amd64\"],\"code\":\"file:///x\"},\"command\":\"tnt\","
                  "\"targets\":[],\"vantage_points\":\"any\",\"policy\":\"wait\"}", "empty"),
          "refuse.no-targets");
    CHECK(refused("{\"name\":\"a\",\"image\":{\"arch\":[\"amd64\"],\"code\":\"file:///x\"},\"command\":\"tnt\","
                  "\"targets\":[\"1.1.1.1\"],\"vantage_points\":\"any\",\"policy\":\"wait\",\"memory\":0}", "memory"),
          "refuse.memory-0");
    CHECK(refused("{\"name\":\"a\",\"image\":{\"arch\":[\"amd64\"],\"code\":\"file:///x\"},\"command\":\"tnt\","
                  "\"targets\":[\"1.1.1.1\"],\"vantage_points\":\"any\",\"policy\":\"wait\",\"rate\":-1}", "rate"),
          "refuse.rate");
    return CHECK_DONE();
}
