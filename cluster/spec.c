/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Campaign specs (see spec.h): parsing with every field checked and a one-line reason for the
 * first bad one, job planning, and the SLA v2 of a job. Words that reach the guest's command
 * line (args, targets) are restricted to a safe alphabet: the guest splits its command line at
 * spaces and groups double quotes, so a space or a quote would change what the probe is asked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "spec.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    /* One line, printable: the JSON library's messages quote the input back. */
    for (char *p = err; *p; p++) {
        if ((unsigned char)*p < ' ' || *p == 0x7f)
            *p = '?';
    }
    return -1;
}

static char **strv_free(char **v, size_t n)
{
    if (v) {
        for (size_t i = 0; i < n; i++)
            free(v[i]);
        free(v);
    }
    return NULL;
}

void spec_free(struct spec *s)
{
    for (int i = 0; i < SPEC_MAX_ARCHS; i++) {
        free(s->codes[i]);
        free(s->shas[i]);
        s->codes[i] = s->shas[i] = NULL;
    }
    s->args = strv_free(s->args, s->nargs);
    s->targets = strv_free(s->targets, s->ntargets);
    s->vps = strv_free(s->vps, s->nvps);
    s->nargs = s->ntargets = s->nvps = 0;
}

/* Letters, digits and - _ . : / = , + : what probe options, addresses and node names use. */
static int safe_word(const char *w, size_t max)
{
    size_t n = strlen(w);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("-_.:/=,+", c)))
            return 0;
    }
    return 1;
}

static int ipv4_ok(const char *s)
{
    int parts = 0;
    while (*s) {
        int v = 0, digits = 0;
        while (*s >= '0' && *s <= '9' && digits < 4) {
            v = v * 10 + (*s - '0');
            digits++;
            s++;
        }
        if (digits == 0 || digits > 3 || v > 255)
            return 0;
        parts++;
        if (*s == '.' && parts < 4)
            s++;
        else if (*s)
            return 0;
    }
    return parts == 4;
}

/* A JSON array of strings into a vector, each word checked by ok(). */
static int str_array(json_t *a, const char *field, size_t max, int (*ok)(const char *), char ***out,
                     size_t *n, char *err, size_t errlen)
{
    if (!json_is_array(a))
        return fail(err, errlen, "campaign: \"%s\" must be an array of strings", field);
    size_t cnt = json_array_size(a);
    if (cnt > max)
        return fail(err, errlen, "campaign: \"%s\" has more than %zu entries", field, max);
    *out = calloc(cnt ? cnt : 1, sizeof(char *));
    if (!*out)
        return fail(err, errlen, "campaign: out of memory");
    *n = 0;
    for (size_t i = 0; i < cnt; i++) {
        const char *v = json_string_value(json_array_get(a, i));
        if (!v || !ok(v))
            return fail(err, errlen, "campaign: \"%s\"[%zu] is not acceptable", field, i);
        (*out)[i] = strdup(v);
        if (!(*out)[i])
            return fail(err, errlen, "campaign: out of memory");
        (*n)++;
    }
    return 0;
}

static int arg_ok(const char *w) { return safe_word(w, 128); }
static int name_ok(const char *w) { return safe_word(w, 63) && !strchr(w, '/') && w[0] != '-'; }

static int hex64(const char *s, size_t n)
{
    if (n != 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!strchr("0123456789abcdef", s[i]))
            return 0;
    }
    return 1;
}

/* image: {"arch": [...], "code": "u1,u2", "code_sha256": "h1,h2"}, Oakestra's comma forms. */
static int parse_image(json_t *img, struct spec *s, char *err, size_t errlen)
{
    json_t *arch = json_object_get(img, "arch");
    const char *code = json_string_value(json_object_get(img, "code"));
    const char *sha = json_string_value(json_object_get(img, "code_sha256"));
    if (!json_is_object(img) || !json_is_array(arch) || !code)
        return fail(err, errlen, "campaign: \"image\" needs \"arch\" (array) and \"code\" (string)");
    size_t na = json_array_size(arch);
    if (na == 0 || na > SPEC_MAX_ARCHS)
        return fail(err, errlen, "campaign: \"image.arch\" needs 1 to %d entries", SPEC_MAX_ARCHS);
    const char *cp = code, *sp = sha;
    for (size_t i = 0; i < na; i++) {
        const char *a = place_arch_name(json_string_value(json_array_get(arch, i)));
        if (!a)
            return fail(err, errlen, "campaign: \"image.arch\"[%zu] must be amd64 or arm64", i);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(s->archs[j], a) == 0)
                return fail(err, errlen, "campaign: \"image.arch\" names %s twice", a);
        }
        snprintf(s->archs[i], sizeof s->archs[i], "%s", a);
        const char *ce = strchr(cp, ',');
        size_t cl = ce ? (size_t)(ce - cp) : strlen(cp);
        if (cl == 0 || cl > 2048)
            return fail(err, errlen, "campaign: \"image.code\" has no URL for %s", a);
        s->codes[i] = strndup(cp, cl);
        if (!s->codes[i])
            return fail(err, errlen, "campaign: out of memory");
        for (size_t k = 0; k < cl; k++) {
            if ((unsigned char)cp[k] <= ' ' || cp[k] == '"' || cp[k] == 0x7f)
                return fail(err, errlen, "campaign: \"image.code\" URL for %s has a bad character", a);
        }
        cp = ce ? ce + 1 : cp + cl;
        if (sp) {
            const char *se = strchr(sp, ',');
            size_t sl = se ? (size_t)(se - sp) : strlen(sp);
            if (!hex64(sp, sl))
                return fail(err, errlen, "campaign: \"image.code_sha256\" for %s is not 64 lowercase hex digits", a);
            s->shas[i] = strndup(sp, sl);
            if (!s->shas[i])
                return fail(err, errlen, "campaign: out of memory");
            sp = se ? se + 1 : sp + sl;
        } else if (strncmp(s->codes[i], "http://", 7) == 0 || strncmp(s->codes[i], "https://", 8) == 0) {
            return fail(err, errlen, "campaign: \"image.code_sha256\" is required for http(s) URLs");
        }
        s->narchs++;
    }
    if (*cp || (sp && *sp))
        return fail(err, errlen, "campaign: \"image\" has more URLs or digests than architectures");
    return 0;
}

static int get_long(json_t *root, const char *key, long def, long lo, long hi, long *out, char *err,
                    size_t errlen)
{
    json_t *v = json_object_get(root, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fail(err, errlen, "campaign: \"%s\" must be an integer in %ld..%ld", key, lo, hi);
    *out = (long)json_integer_value(v);
    return 0;
}

static int get_word(json_t *root, const char *key, const char *def, char *out, size_t len,
                    char *err, size_t errlen)
{
    json_t *v = json_object_get(root, key);
    const char *w = v ? json_string_value(v) : def;
    if (!w || !safe_word(w, len - 1))
        return fail(err, errlen, "campaign: \"%s\" must be a short word", key);
    snprintf(out, len, "%s", w);
    return 0;
}

int spec_from_json(json_t *root, struct spec *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    if (!json_is_object(root))
        return fail(err, errlen, "campaign: the spec must be a JSON object");
    const char *name = json_string_value(json_object_get(root, "name"));
    if (!name || !name_ok(name))
        return fail(err, errlen, "campaign: \"name\" must be 1-63 characters of [A-Za-z0-9._:=,+-]");
    snprintf(s->name, sizeof s->name, "%s", name);
    if (parse_image(json_object_get(root, "image"), s, err, errlen) < 0)
        return -1;
    const char *cmd = json_string_value(json_object_get(root, "command"));
    if (!cmd || (strcmp(cmd, "trace") && strcmp(cmd, "tnt") && strcmp(cmd, "ping")))
        return fail(err, errlen, "campaign: \"command\" must be trace, tnt or ping");
    snprintf(s->command, sizeof s->command, "%s", cmd);
    json_t *args = json_object_get(root, "args");
    if (args && str_array(args, "args", SPEC_MAX_ARGS, arg_ok, &s->args, &s->nargs, err, errlen) < 0)
        return -1;
    if (str_array(json_object_get(root, "targets"), "targets", SPEC_MAX_TARGETS, ipv4_ok, &s->targets,
                  &s->ntargets, err, errlen) < 0)
        return -1;
    if (s->ntargets == 0)
        return fail(err, errlen, "campaign: \"targets\" is empty");
    if (get_long(root, "batch", 1, 1, SPEC_MAX_BATCH, &s->batch, err, errlen) < 0)
        return -1;
    json_t *vp = json_object_get(root, "vantage_points");
    const char *vps = json_string_value(vp);
    if (vps && strcmp(vps, "all") == 0) {
        s->vp_mode = SPEC_VP_ALL;
    } else if (vps && strcmp(vps, "any") == 0) {
        s->vp_mode = SPEC_VP_ANY;
    } else {
        s->vp_mode = SPEC_VP_LIST;
        if (str_array(vp, "vantage_points", SPEC_MAX_VPS, name_ok, &s->vps, &s->nvps, err, errlen) < 0)
            return -1;
        if (s->nvps == 0)
            return fail(err, errlen, "campaign: \"vantage_points\" is empty");
    }
    const char *pol = json_string_value(json_object_get(root, "policy"));
    if (!pol || (strcmp(pol, "wait") && strcmp(pol, "discard")))
        return fail(err, errlen, "campaign: \"policy\" must be wait or discard");
    s->policy = strcmp(pol, "wait") == 0 ? SPEC_WAIT : SPEC_DISCARD;
    if (get_long(root, "memory", 16, 1, 1 << 20, &s->memory_mib, err, errlen) < 0 ||
        get_long(root, "vcpus", 1, 1, 256, &s->vcpus, err, errlen) < 0 ||
        get_long(root, "timeout_ms", 60000, 100, 86400000L, &s->timeout_ms, err, errlen) < 0)
        return -1;
    json_t *rate = json_object_get(root, "rate");
    if (rate) {
        if (!json_is_number(rate) || json_number_value(rate) < 0 || json_number_value(rate) > 100000)
            return fail(err, errlen, "campaign: \"rate\" must be a number in 0..100000 (deployments/s)");
        s->rate = json_number_value(rate);
    }
    if (get_word(root, "platform", "auto", s->platform, sizeof s->platform, err, errlen) < 0 ||
        get_word(root, "accel", "auto", s->accel, sizeof s->accel, err, errlen) < 0)
        return -1;
    return 0;
}

int spec_parse(const char *text, size_t len, struct spec *s, char *err, size_t errlen)
{
    json_error_t je;
    memset(s, 0, sizeof *s);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return fail(err, errlen, "campaign: bad JSON at line %d: %s", je.line, je.text);
    int rc = spec_from_json(root, s, err, errlen);
    json_decref(root);
    return rc;
}

static json_t *strv_json(char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* Joins field i of each arch with commas (the SLA's code and code_sha256 forms). */
static json_t *joined(char *const *v, int n)
{
    char buf[4 * 2100] = "";
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        int w = snprintf(buf + used, sizeof buf - used, "%s%s", i ? "," : "", v[i] ? v[i] : "");
        if (w < 0 || (size_t)w >= sizeof buf - used)
            return NULL;
        used += (size_t)w;
    }
    return json_string(buf);
}

static const char *oak_arch(const char *a)
{
    return strcmp(a, "aarch64") == 0 ? "arm64" : "amd64";
}

json_t *spec_to_json(const struct spec *s)
{
    json_t *arch = json_array();
    for (int i = 0; arch && i < s->narchs; i++)
        json_array_append_new(arch, json_string(oak_arch(s->archs[i])));
    json_t *img = json_pack("{s:o, s:o}", "arch", arch, "code", joined(s->codes, s->narchs));
    if (img && s->shas[0])
        json_object_set_new(img, "code_sha256", joined(s->shas, s->narchs));
    json_t *vp = s->vp_mode == SPEC_VP_ALL ? json_string("all")
               : s->vp_mode == SPEC_VP_ANY ? json_string("any") : strv_json(s->vps, s->nvps);
    return json_pack("{s:s, s:o, s:s, s:o, s:o, s:I, s:o, s:s, s:I, s:I, s:I, s:f, s:s, s:s}",
                     "name", s->name, "image", img, "command", s->command,
                     "args", strv_json(s->args, s->nargs), "targets", strv_json(s->targets, s->ntargets),
                     "batch", (json_int_t)s->batch, "vantage_points", vp,
                     "policy", s->policy == SPEC_WAIT ? "wait" : "discard",
                     "memory", (json_int_t)s->memory_mib, "vcpus", (json_int_t)s->vcpus,
                     "timeout_ms", (json_int_t)s->timeout_ms, "rate", s->rate,
                     "platform", s->platform, "accel", s->accel);
}

long spec_plan(const struct spec *s, const char *const *nodes, size_t nnodes, struct spec_job **out,
               char *err, size_t errlen)
{
    *out = NULL;
    const char *const *vps = (const char *const *)s->vps;
    size_t nvps = s->nvps;
    if (s->vp_mode == SPEC_VP_ALL) {
        vps = nodes;
        nvps = nnodes;
    } else if (s->vp_mode == SPEC_VP_ANY) {
        vps = NULL;
        nvps = 1;
    }
    if (nvps == 0)
        return fail(err, errlen, "campaign: no vantage point (no node registered)");
    size_t nbatches = (s->ntargets + (size_t)s->batch - 1) / (size_t)s->batch;
    size_t n = nvps * nbatches;
    struct spec_job *jobs = calloc(n, sizeof *jobs);
    if (!jobs)
        return fail(err, errlen, "campaign: out of memory");
    /* Batch-major: the first batch goes to every vantage point before the second starts, so a
     * rate-limited campaign spreads over the nodes from its first second. */
    size_t k = 0;
    for (size_t b = 0; b < nbatches; b++) {
        for (size_t v = 0; v < nvps; v++) {
            jobs[k].vp = vps ? vps[v] : NULL;
            jobs[k].first = b * (size_t)s->batch;
            jobs[k].count = s->ntargets - jobs[k].first < (size_t)s->batch ? s->ntargets - jobs[k].first
                                                                            : (size_t)s->batch;
            k++;
        }
    }
    *out = jobs;
    return (long)n;
}

int spec_arch_index(const struct spec *s, const char *arch)
{
    for (int i = 0; i < s->narchs; i++) {
        if (strcmp(s->archs[i], arch) == 0)
            return i;
    }
    return -1;
}

json_t *spec_job_sla(const struct spec *s, const char *name, size_t first, size_t count)
{
    json_t *cmd = json_array(), *arch = json_array();
    if (!cmd || !arch)
        goto fail;
    json_array_append_new(cmd, json_string(s->command));
    for (size_t i = 0; i < s->nargs; i++)
        json_array_append_new(cmd, json_string(s->args[i]));
    for (size_t i = first; i < first + count && i < s->ntargets; i++)
        json_array_append_new(cmd, json_string(s->targets[i]));
    for (int i = 0; i < s->narchs; i++)
        json_array_append_new(arch, json_string(oak_arch(s->archs[i])));
    json_t *ms = json_pack("{s:s, s:s, s:o, s:I, s:I, s:s, s:b, s:o, s:o, s:s, s:s}",
                           "microservice_name", name, "virtualization", "unikernel", "cmd", cmd,
                           "memory", (json_int_t)s->memory_mib, "vcpus", (json_int_t)s->vcpus,
                           "port", "", "one_shot", 1, "arch", arch, "code", joined(s->codes, s->narchs),
                           "unf_platform", s->platform, "unf_accel", s->accel);
    if (!ms)
        return NULL;
    if (s->shas[0])
        json_object_set_new(ms, "code_sha256", joined(s->shas, s->narchs));
    return json_pack("{s:s, s:[{s:s, s:[o]}]}", "sla_version", "v2.0", "applications",
                     "application_name", s->name, "microservices", ms);
fail:
    json_decref(cmd);
    json_decref(arch);
    return NULL;
}
