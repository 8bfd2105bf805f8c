/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Parsing and validation of testbed topology files (see testbed_topo.h). Strict: unknown keys,
 * bad names, bad addresses, dangling or doubly used link ends are errors naming the file and
 * the node or link at fault.
 */
#include "testbed_topo.h"
#include "errmsg.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "image.h"

/* Short names: they become parts of namespace and file names. */
static int name_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 12 || !isalnum((unsigned char)s[0]))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
            return 0;
    return 1;
}

static int prefix_ok(const char *text)
{
    char ip[32];
    const char *slash = strchr(text, '/');
    if (!slash || (size_t)(slash - text) >= sizeof(ip))
        return 0;
    memcpy(ip, text, (size_t)(slash - text));
    ip[slash - text] = '\0';
    struct in_addr a;
    char *end;
    long len = strtol(slash + 1, &end, 10);
    return inet_pton(AF_INET, ip, &a) == 1 && !*end && end != slash + 1 && len >= 1 && len <= 30;
}

static int only_keys(json_t *o, const char *const *keys, const char **bad)
{
    const char *key;
    json_t *v;
    json_object_foreach(o, key, v) {
        int known = 0;
        for (int i = 0; keys[i]; i++)
            known |= strcmp(key, keys[i]) == 0;
        if (!known) {
            *bad = key;
            return 0;
        }
    }
    return 1;
}

static int parse_host(json_t *h, struct topo_node *n, const char *path, char *err, size_t errlen)
{
    static const char *const keys[] = {"addr", "gw", NULL};
    const char *bad, *addr = json_string_value(json_object_get(h, "addr"));
    const char *gw = json_string_value(json_object_get(h, "gw"));
    struct in_addr a;
    if (!json_is_object(h) || !only_keys(h, keys, &bad))
        return errmsg(err, errlen, "%s: node %s: host must be {\"addr\", \"gw\"}", path, n->name);
    if (!addr || !prefix_ok(addr))
        return errmsg(err, errlen, "%s: node %s: bad or missing addr (want A.B.C.D/LEN)", path, n->name);
    if (gw && inet_pton(AF_INET, gw, &a) != 1)
        return errmsg(err, errlen, "%s: node %s: bad gw '%s'", path, n->name, gw);
    n->is_host = 1;
    snprintf(n->addr, sizeof(n->addr), "%s", addr);
    snprintf(n->gw, sizeof(n->gw), "%s", gw ? gw : "");
    return 0;
}

static int parse_files(json_t *files, struct topo_node *n, const char *path, char *err, size_t errlen)
{
    const char *key;
    json_t *v;
    if (!json_is_object(files))
        return errmsg(err, errlen, "%s: node %s: files must be an object of name: text", path, n->name);
    json_object_foreach(files, key, v) {
        if (n->nfiles == TOPO_MAX_FILES)
            return errmsg(err, errlen, "%s: node %s: more than %d files", path, n->name, TOPO_MAX_FILES);
        if (!json_is_string(v) || !key[0] || strstr(key, "..") || key[0] == '/')
            return errmsg(err, errlen, "%s: node %s: bad file '%s'", path, n->name, key);
        struct topo_file *f = &n->files[n->nfiles++];
        f->name = strdup(key);
        f->len = json_string_length(v);
        f->data = malloc(f->len + 1);
        if (!f->name || !f->data)
            return errmsg(err, errlen, "out of memory");
        memcpy(f->data, json_string_value(v), f->len + 1);
    }
    return 0;
}

static int parse_unikernel(json_t *o, struct topo_node *n, const char *path, char *err, size_t errlen)
{
    const char *image = json_string_value(json_object_get(o, "image"));
    const char *platform = json_string_value(json_object_get(o, "platform"));
    const char *mem = json_string_value(json_object_get(o, "mem"));
    json_t *args = json_object_get(o, "args"), *files = json_object_get(o, "files");
    if (!image)
        return errmsg(err, errlen, "%s: node %s: needs \"host\" or \"image\"", path, n->name);
    snprintf(n->image, sizeof(n->image), "%s", image);
    snprintf(n->platform, sizeof(n->platform), "%s", platform ? platform : "proc");
    if (!driver_find(n->platform))
        return errmsg(err, errlen, "%s: node %s: unknown platform '%s'", path, n->name, n->platform);
    if (mem && image_parse_size(mem, &n->mem) < 0)
        return errmsg(err, errlen, "%s: node %s: bad mem '%s'", path, n->name, mem);
    if (args) {
        size_t i;
        json_t *a;
        if (!json_is_array(args) || json_array_size(args) > TOPO_MAX_ARGS)
            return errmsg(err, errlen, "%s: node %s: args must be an array of strings", path, n->name);
        json_array_foreach(args, i, a) {
            if (!json_is_string(a) || !(n->args[n->nargs++] = strdup(json_string_value(a))))
                return errmsg(err, errlen, "%s: node %s: args must be an array of strings", path, n->name);
        }
    }
    return files ? parse_files(files, n, path, err, errlen) : 0;
}

static int parse_node(json_t *o, struct topo *t, const char *path, char *err, size_t errlen)
{
    static const char *const keys[] = {"name", "host", "image", "platform", "mem", "args", "files", NULL};
    const char *bad = NULL, *name = json_string_value(json_object_get(o, "name"));
    if (!json_is_object(o) || !name || !name_ok(name))
        return errmsg(err, errlen, "%s: node %d: needs a name of 1-12 letters, digits, '-', '_'", path, t->nnodes);
    for (int i = 0; i < t->nnodes; i++)
        if (strcmp(t->nodes[i].name, name) == 0)
            return errmsg(err, errlen, "%s: node %s is defined twice", path, name);
    if (!only_keys(o, keys, &bad))
        return errmsg(err, errlen, "%s: node %s: unknown key '%s'", path, name, bad);
    struct topo_node *n = &t->nodes[t->nnodes++];
    snprintf(n->name, sizeof(n->name), "%s", name);
    json_t *host = json_object_get(o, "host");
    return host ? parse_host(host, n, path, err, errlen) : parse_unikernel(o, n, path, err, errlen);
}

static int parse_end(const char *text, struct topo *t, struct topo_end *e)
{
    char name[32];
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    if (len >= sizeof(name))
        return -1;
    memcpy(name, text, len);
    name[len] = '\0';
    e->nic = 0;
    if (colon) {
        char *end;
        long nic = strtol(colon + 1, &end, 10);
        if (*end || end == colon + 1 || nic < 0 || nic >= TOPO_MAX_NICS)
            return -1;
        e->nic = (int)nic;
    }
    for (int i = 0; i < t->nnodes; i++)
        if (strcmp(t->nodes[i].name, name) == 0) {
            e->node = i;
            return t->nodes[i].is_host && e->nic != 0 ? -1 : 0;
        }
    return -1;
}

static int parse_links(json_t *links, struct topo *t, const char *path, char *err, size_t errlen)
{
    size_t i;
    json_t *l;
    unsigned char used[TOPO_MAX_NODES][TOPO_MAX_NICS] = {{0}};
    if (!json_is_array(links) || json_array_size(links) > TOPO_MAX_LINKS)
        return errmsg(err, errlen, "%s: links must be an array of [\"a[:nic]\", \"b[:nic]\"] (at most %d)", path, TOPO_MAX_LINKS);
    json_array_foreach(links, i, l) {
        for (int side = 0; side < 2; side++) {
            const char *text = json_string_value(json_array_get(l, (size_t)side));
            struct topo_end *e = &t->links[i][side];
            if (!json_is_array(l) || json_array_size(l) != 2 || !text || parse_end(text, t, e) < 0)
                return errmsg(err, errlen, "%s: link %zu: bad end '%s' (want node or node:nic of a defined node)", path, i, text ? text : "?");
            if (used[e->node][e->nic]++)
                return errmsg(err, errlen, "%s: link %zu: %s is already linked", path, i, text);
            struct topo_node *n = &t->nodes[e->node];
            if (e->nic + 1 > n->nics)
                n->nics = e->nic + 1;
        }
        t->nlinks++;
    }
    for (int n = 0; n < t->nnodes; n++)
        for (int nic = 0; nic < t->nodes[n].nics; nic++)
            if (!used[n][nic])
                return errmsg(err, errlen, "%s: node %s: nic %d is not linked (NICs are numbered from 0 without gaps)", path, t->nodes[n].name, nic);
    for (int n = 0; n < t->nnodes; n++)
        if (t->nodes[n].is_host && t->nodes[n].nics != 1)
            return errmsg(err, errlen, "%s: host %s needs exactly one link", path, t->nodes[n].name);
    return 0;
}

int topo_load(const char *path, struct topo *t, char *err, size_t errlen)
{
    json_error_t jerr;
    memset(t, 0, sizeof(*t));
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return errmsg(err, errlen, "%s: line %d: %s", path, jerr.line, jerr.text);
    static const char *const keys[] = {"name", "nodes", "links", NULL};
    const char *bad = NULL, *name = json_string_value(json_object_get(root, "name"));
    json_t *nodes = json_object_get(root, "nodes");
    size_t i;
    json_t *o;
    int rc = -1;
    if (!json_is_object(root) || !only_keys(root, keys, &bad)) {
        errmsg(err, errlen, "%s: unknown key '%s' (want name, nodes, links)", path, bad ? bad : "?");
        goto out;
    }
    if (!name || !name_ok(name)) {
        errmsg(err, errlen, "%s: needs a name of 1-12 letters, digits, '-', '_'", path);
        goto out;
    }
    snprintf(t->name, sizeof(t->name), "%s", name);
    if (!json_is_array(nodes) || json_array_size(nodes) == 0 || json_array_size(nodes) > TOPO_MAX_NODES) {
        errmsg(err, errlen, "%s: nodes must be a non-empty array (at most %d)", path, TOPO_MAX_NODES);
        goto out;
    }
    json_array_foreach(nodes, i, o) {
        if (parse_node(o, t, path, err, errlen) < 0)
            goto out;
    }
    rc = parse_links(json_object_get(root, "links"), t, path, err, errlen);
out:
    json_decref(root);
    if (rc < 0)
        topo_free(t);
    return rc;
}

void topo_free(struct topo *t)
{
    for (int i = 0; i < t->nnodes; i++) {
        struct topo_node *n = &t->nodes[i];
        for (int a = 0; a < n->nargs; a++)
            free(n->args[a]);
        for (int f = 0; f < n->nfiles; f++) {
            free(n->files[f].name);
            free(n->files[f].data);
        }
        n->nargs = n->nfiles = 0;
    }
}
