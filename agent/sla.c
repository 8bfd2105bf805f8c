/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Oakestra SLA v2 parser (see sla.h): jansson does the JSON, this file checks every field the
 * agent acts on, by type and range, and reports the first problem in one line naming the field.
 */
#include "sla.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD "applications[0].microservices[0]."

static int fail(char *err, size_t errlen, const char *msg, const char *arg)
{
    snprintf(err, errlen, msg, arg);
    return -1;
}

const char *sla_arch_name(const char *oakestra)
{
    if (strcmp(oakestra, "amd64") == 0 || strcmp(oakestra, "x86_64") == 0)
        return "x86_64";
    if (strcmp(oakestra, "arm64") == 0 || strcmp(oakestra, "aarch64") == 0)
        return "aarch64";
    return NULL;
}

const struct sla_code *sla_code_for(const struct sla_service *s, const char *arch)
{
    for (int i = 0; i < s->ncode; i++)
        if (strcmp(s->code[i].arch, arch) == 0)
            return &s->code[i];
    return NULL;
}

/* Printable ASCII without spaces or commas (commas separate the list entries). */
static int plain_text(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] <= ' ' || s[i] > '~' || s[i] == ',')
            return 0;
    return 1;
}

static int name_valid(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > SLA_NAME_MAX || !isalnum((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return 0;
    return 1;
}

/* "HOST:GUEST[/udp|/tcp]", ports 1..65535. */
static int port_valid(const char *s)
{
    char *end;
    long host = strtol(s, &end, 10);
    if (end == s || *end != ':' || host < 1 || host > 65535 || !isdigit((unsigned char)s[0]))
        return 0;
    const char *g = end + 1;
    long guest = strtol(g, &end, 10);
    if (end == g || guest < 1 || guest > 65535 || !isdigit((unsigned char)g[0]))
        return 0;
    return *end == '\0' || strcmp(end, "/udp") == 0 || strcmp(end, "/tcp") == 0;
}

static int url_valid(const char *u)
{
    if (strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0)
        return strlen(u) > (u[4] == 's' ? 8u : 7u);
    if (strncmp(u, "file:///", 8) == 0)
        return u[8] != '\0';
    return u[0] == '/' && u[1] != '\0';
}

/* Splits a comma-separated list into at most max entries of at most width-1 bytes each; returns
 * the count or -1. Empty entries are kept (an empty digest means "none"). */
static int split_list(const char *s, char *out, size_t width, int max)
{
    int n = 0;
    const char *p = s;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        if (n == max || len >= width)
            return -1;
        memcpy(out + (size_t)n * width, p, len);
        out[(size_t)n * width + len] = '\0';
        n++;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

static int hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (int i = 0; i < 64; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* An optional string field: absent -> dflt; present -> must be a string of fewer than len bytes. */
static int opt_string(json_t *ms, const char *key, const char *dflt, char *dst, size_t len, char *err,
                      size_t errlen)
{
    json_t *v = json_object_get(ms, key);
    if (!v) {
        snprintf(dst, len, "%s", dflt);
        return 0;
    }
    if (!json_is_string(v))
        return fail(err, errlen, FIELD "%s: not a string", key);
    if (json_string_length(v) >= len || strlen(json_string_value(v)) != json_string_length(v))
        return fail(err, errlen, FIELD "%s: too long or has a NUL", key);
    snprintf(dst, len, "%s", json_string_value(v));
    return 0;
}

static int pos_int(json_t *ms, const char *key, long long max, unsigned *dst, char *err, size_t errlen)
{
    json_t *v = json_object_get(ms, key);
    if (!json_is_integer(v))
        return fail(err, errlen, FIELD "%s: missing or not an integer", key);
    long long x = json_integer_value(v);
    if (x < 1 || x > max) {
        snprintf(err, errlen, FIELD "%s: %lld is out of range 1..%lld", key, x, max);
        return -1;
    }
    *dst = (unsigned)x;
    return 0;
}

static int parse_cmd(json_t *ms, struct sla_service *s, char *err, size_t errlen)
{
    json_t *cmd = json_object_get(ms, "cmd");
    if (!cmd)
        return 0;
    if (!json_is_array(cmd))
        return fail(err, errlen, FIELD "cmd: not an array of strings%s", "");
    if (json_array_size(cmd) > SLA_MAX_ARGS)
        return fail(err, errlen, FIELD "cmd: more than %s arguments", "64");
    size_t i, total = 0;
    json_t *a;
    json_array_foreach(cmd, i, a) {
        if (!json_is_string(a))
            return fail(err, errlen, FIELD "cmd: not an array of strings%s", "");
        size_t len = json_string_length(a);
        total += len + 1;
        if (strlen(json_string_value(a)) != len || total > 3000)
            return fail(err, errlen, FIELD "cmd: an argument has a NUL or the line is over %s bytes", "3000");
        for (size_t k = 0; k < len; k++)
            if ((unsigned char)json_string_value(a)[k] < ' ')
                return fail(err, errlen, FIELD "cmd: control character in argument %s", json_string_value(a));
        s->cmd[s->ncmd] = strdup(json_string_value(a));
        if (!s->cmd[s->ncmd])
            return fail(err, errlen, "out of memory%s", "");
        s->ncmd++;
    }
    return 0;
}

static int parse_code(json_t *ms, struct sla_service *s, char *err, size_t errlen)
{
    json_t *arch = json_object_get(ms, "arch");
    if (!json_is_array(arch) || json_array_size(arch) == 0 || json_array_size(arch) > SLA_MAX_ARCH)
        return fail(err, errlen, FIELD "arch: needs an array of 1 to %s names (amd64, arm64)", "4");
    json_t *code = json_object_get(ms, "code");
    if (!json_is_string(code) || json_string_length(code) == 0)
        return fail(err, errlen, FIELD "code: missing or not a string of URLs%s", "");
    if (strlen(json_string_value(code)) != json_string_length(code))
        return fail(err, errlen, FIELD "code: has a NUL%s", "");
    char urls[SLA_MAX_ARCH][SLA_URL_MAX]; /* on the stack: requests are parsed in parallel */
    char sums[SLA_MAX_ARCH][80];
    int nurl = split_list(json_string_value(code), &urls[0][0], SLA_URL_MAX, SLA_MAX_ARCH);
    if (nurl != (int)json_array_size(arch))
        return fail(err, errlen, FIELD "code: needs one URL per arch entry, comma-separated%s", "");
    json_t *digest = json_object_get(ms, "code_sha256");
    int nsum = 0;
    if (digest) {
        if (!json_is_string(digest) || strlen(json_string_value(digest)) != json_string_length(digest))
            return fail(err, errlen, FIELD "code_sha256: not a string%s", "");
        nsum = split_list(json_string_value(digest), &sums[0][0], sizeof(sums[0]), SLA_MAX_ARCH);
        if (nsum != nurl)
            return fail(err, errlen, FIELD "code_sha256: needs one digest per code URL, comma-separated%s", "");
    }
    size_t i;
    json_t *a;
    json_array_foreach(arch, i, a) {
        const char *name = json_is_string(a) ? sla_arch_name(json_string_value(a)) : NULL;
        if (!name)
            return fail(err, errlen, FIELD "arch: unknown architecture (amd64 or arm64)%s", "");
        if (sla_code_for(s, name))
            return fail(err, errlen, FIELD "arch: %s given twice", name);
        struct sla_code *c = &s->code[s->ncode];
        const char *url = urls[i];
        if (!plain_text(url, strlen(url)) || !url_valid(url))
            return fail(err, errlen, FIELD "code: bad URL '%.200s' (http://, https://, file:// or an absolute path)", url);
        const char *sum = nsum ? sums[i] : "";
        if (*sum && !hex64(sum))
            return fail(err, errlen, FIELD "code_sha256: '%.80s' is not 64 hex digits", sum);
        if (!*sum && strncmp(url, "http", 4) == 0)
            return fail(err, errlen, FIELD "code_sha256: a digest is required for %.200s", url);
        snprintf(c->arch, sizeof(c->arch), "%s", name);
        snprintf(c->url, sizeof(c->url), "%s", url);
        for (int k = 0; sum[k]; k++)
            c->sha256[k] = (char)tolower((unsigned char)sum[k]);
        c->sha256[strlen(sum)] = '\0';
        s->ncode++;
    }
    return 0;
}

static json_t *the_microservice(json_t *doc, char *err, size_t errlen)
{
    if (!json_is_object(doc))
        return fail(err, errlen, "the SLA is not a JSON object%s", ""), NULL;
    json_t *ver = json_object_get(doc, "sla_version");
    if (!json_is_string(ver) || strcmp(json_string_value(ver), "v2.0") != 0)
        return fail(err, errlen, "sla_version: must be \"v2.0\"%s", ""), NULL;
    json_t *apps = json_object_get(doc, "applications");
    if (!json_is_array(apps) || json_array_size(apps) != 1)
        return fail(err, errlen, "applications: needs exactly one application%s", ""), NULL;
    json_t *ms = json_object_get(json_array_get(apps, 0), "microservices");
    if (!json_is_array(ms) || json_array_size(ms) != 1)
        return fail(err, errlen, "applications[0].microservices: needs exactly one microservice%s", ""), NULL;
    json_t *m = json_array_get(ms, 0);
    if (!json_is_object(m))
        return fail(err, errlen, "applications[0].microservices[0]: not an object%s", ""), NULL;
    return m;
}

static int parse_service(json_t *ms, struct sla_service *s, char *err, size_t errlen)
{
    json_t *virt = json_object_get(ms, "virtualization");
    if (!json_is_string(virt) || strcmp(json_string_value(virt), "unikernel") != 0)
        return fail(err, errlen, FIELD "virtualization: must be \"unikernel\"%s", "");
    json_t *name = json_object_get(ms, "microservice_name");
    if (!json_is_string(name) || !name_valid(json_string_value(name)))
        return fail(err, errlen, FIELD "microservice_name: needs [A-Za-z0-9][A-Za-z0-9_.-], at most %s", "40");
    snprintf(s->name, sizeof(s->name), "%s", json_string_value(name));
    if (pos_int(ms, "memory", SLA_MEMORY_MAX_MIB, &s->memory_mib, err, errlen) < 0 ||
        pos_int(ms, "vcpus", SLA_VCPUS_MAX, &s->vcpus, err, errlen) < 0)
        return -1;
    if (opt_string(ms, "port", "", s->port, sizeof(s->port), err, errlen) < 0)
        return -1;
    if (s->port[0] && !port_valid(s->port))
        return fail(err, errlen, FIELD "port: '%s' is not HOST:GUEST[/udp|/tcp]", s->port);
    json_t *one = json_object_get(ms, "one_shot");
    if (one && !json_is_boolean(one))
        return fail(err, errlen, FIELD "one_shot: not a boolean%s", "");
    s->one_shot = json_is_true(one);
    if (opt_string(ms, "unf_platform", "auto", s->platform, sizeof(s->platform), err, errlen) < 0 ||
        opt_string(ms, "unf_accel", "auto", s->accel, sizeof(s->accel), err, errlen) < 0)
        return -1;
    if (!name_valid(s->platform))
        return fail(err, errlen, FIELD "unf_platform: bad name '%s'", s->platform);
    if (strcmp(s->accel, "auto") && strcmp(s->accel, "kvm") && strcmp(s->accel, "tcg") && strcmp(s->accel, "none"))
        return fail(err, errlen, FIELD "unf_accel: '%s' is not auto, kvm, tcg or none", s->accel);
    if (parse_cmd(ms, s, err, errlen) < 0)
        return -1;
    return parse_code(ms, s, err, errlen);
}

/* Errors quote the input (jansson's "near '...'" too): keep them one line. */
static void one_line(char *err)
{
    for (char *c = err; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = '?';
}

int sla_parse(const char *text, size_t len, struct sla_service *s, char *err, size_t errlen)
{
    json_error_t jerr;
    memset(s, 0, sizeof(*s));
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        snprintf(err, errlen, "the SLA is not JSON: %s (line %d)", jerr.text, jerr.line);
        one_line(err);
        return -1;
    }
    json_t *ms = the_microservice(doc, err, errlen);
    int rc = ms ? parse_service(ms, s, err, errlen) : -1;
    json_decref(doc);
    if (rc < 0) {
        one_line(err);
        sla_free(s);
    }
    return rc;
}

void sla_free(struct sla_service *s)
{
    for (int i = 0; i < s->ncmd; i++)
        free(s->cmd[i]);
    memset(s, 0, sizeof(*s));
}
