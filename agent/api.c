/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Routes of the agent API (see api.h). Each request's body is gathered (at most API_BODY_MAX)
 * before it is routed; handlers answer with JSON, text (logs) or nothing (204).
 */
#include "api.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../runtime/driver.h"
#include "../runtime/instance.h"
#include "instances.h"
#include "launch.h"
#include "node.h"
#include "sla.h"

#define API_BODY_MAX (1024 * 1024)
#define API_WAIT_MAX_MS 600000
#define API_LOG_MAX (16 * 1024 * 1024)
#define FOLLOW_POLL_US 50000

static struct api_config cfg;
static struct MHD_Daemon *daemon_;
static volatile int stopping;
static json_t *platforms;       /* computed once: drivers do not change while we run */

struct body {
    char *data;
    size_t len;
    int too_big;
};

static enum MHD_Result send_buf(struct MHD_Connection *c, unsigned status, const char *type, char *text, size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", type);
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

/* Sends o (steals the reference). */
static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, json_t *o)
{
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!text)
        return MHD_NO;
    size_t len = strlen(text);
    char *nl = realloc(text, len + 2);
    if (nl) {
        text = nl;
        text[len++] = '\n';
        text[len] = '\0';
    }
    return send_buf(c, status, "application/json", text, len);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return send_json(c, status, json_pack("{s:s}", "error", msg));
}

static void compute_platforms(void)
{
    static const char *const accels[] = {"auto", "kvm", "tcg"};
    char names[256], accel[8], err[256];
    platforms = json_array();
    snprintf(names, sizeof(names), "%s", driver_names());
    for (char *save = NULL, *n = strtok_r(names, ", ", &save); n; n = strtok_r(NULL, ", ", &save)) {
        const struct driver *d = driver_find(n);
        if (!d || strcmp(d->name, n) != 0) /* "auto" and aliases */
            continue;
        for (size_t i = 0; i < sizeof(accels) / sizeof(accels[0]); i++) {
            if (!driver_select_arch(cfg.arch, n, accels[i], DRIVER_HAVE_PROC | DRIVER_HAVE_HVT | DRIVER_HAVE_VIRTIO,
                                    accel, sizeof(accel), err, sizeof(err)))
                continue;
            int dup = 0;
            size_t k;
            json_t *p;
            json_array_foreach(platforms, k, p)
                dup |= strcmp(json_string_value(json_object_get(p, "platform")), n) == 0 &&
                       strcmp(json_string_value(json_object_get(p, "accel")), accel) == 0;
            if (dup)
                continue;
            json_t *entry = json_pack("{s:s, s:s}", "platform", n, "accel", accel);
            /* A /dev/kvm without vmx/svm emulates guest ring 0: placement must tell it apart. */
            if (strcmp(accel, "kvm") == 0)
                json_object_set_new(entry, "hardware", json_boolean(driver_kvm_hardware()));
            json_array_append_new(platforms, entry);
        }
    }
}

static enum MHD_Result get_node(struct MHD_Connection *c)
{
    struct node_usage u;
    int per_state[INST_DEAD + 1] = {0};
    instances_lock();
    node_usage(&u);
    for (int i = 0; i < instances_count(); i++)
        per_state[instances_at(i)->state]++;
    instances_unlock();
    json_t *counts = json_object();
    for (int s = INST_CREATING; s <= INST_DEAD; s++)
        json_object_set_new(counts, inst_state_name((enum inst_state)s), json_integer(per_state[s]));
    return send_json(c, 200, json_pack("{s:s, s:s, s:s, s:O, s:{s:i, s:i}, s:{s:i, s:i}, s:o}", "name", cfg.name,
                                       "arch", cfg.arch, "version", cfg.version, "platforms", platforms, "capacity",
                                       "memory_mib", (int)u.cap_memory_mib, "vcpus", (int)u.cap_vcpus, "reserved",
                                       "memory_mib", (int)u.res_memory_mib, "vcpus", (int)u.res_vcpus, "instances",
                                       counts));
}

static enum MHD_Result list_instances(struct MHD_Connection *c)
{
    json_t *arr = json_array();
    instances_lock();
    for (int i = 0; i < instances_count(); i++)
        json_array_append_new(arr, inst_to_json(instances_at(i)));
    instances_unlock();
    return send_json(c, 200, json_pack("{s:o}", "instances", arr));
}

static enum MHD_Result get_instance(struct MHD_Connection *c, const char *id, long wait_ms)
{
    long long deadline = instances_now_ms() + wait_ms;
    instances_lock();
    struct inst *in = instances_find(id);
    while (in && wait_ms > 0 && !inst_state_final(in->state) && !stopping) {
        if (instances_wait_until(deadline) < 0)
            break;
        in = instances_find(id); /* it may have been deleted meanwhile */
    }
    json_t *o = in ? inst_to_json(in) : NULL;
    instances_unlock();
    return o ? send_json(c, 200, o) : send_error(c, 404, "no such instance");
}

static enum MHD_Result post_instance(struct MHD_Connection *c, const struct body *b)
{
    struct sla_service s;
    char err[512];
    if (sla_parse(b->data ? b->data : "", b->len, &s, err, sizeof(err)) < 0)
        return send_error(c, 400, err);
    json_t *o = NULL;
    int status = launch_deploy(&s, &o, err, sizeof(err));
    sla_free(&s);
    if (status == 201)
        return send_json(c, 201, o);
    if (o)
        json_object_set_new(o, "error", json_string(err));
    return o ? send_json(c, (unsigned)status, o) : send_error(c, (unsigned)status, err);
}

struct follow {
    char id[INST_ID_MAX + 1];
    int fd;
};

/* The instance has ended (or is gone): no more output will come. */
static int ended(const char *id)
{
    instances_lock();
    struct inst *in = instances_find(id);
    int done = !in || inst_state_final(in->state);
    instances_unlock();
    return done;
}

static ssize_t follow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct follow *f = cls;
    for (int idle = 0;; idle++) {
        int done = stopping || ended(f->id); /* judged before reading: nothing is lost at the end */
        ssize_t n = pread(f->fd, buf, max, (off_t)pos);
        if (n > 0)
            return n;
        if (n < 0 || done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        usleep(FOLLOW_POLL_US);
        if (idle >= 20) /* let MHD notice a client that went away */
            return 0;
    }
}

static void follow_free(void *cls)
{
    struct follow *f = cls;
    close(f->fd);
    free(f);
}

static enum MHD_Result get_logs(struct MHD_Connection *c, const char *id, int follow)
{
    char path[256];
    instances_lock();
    int known = instances_find(id) != NULL;
    instances_unlock();
    if (!known)
        return send_error(c, 404, "no such instance");
    instance_path(id, "console.log", path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) /* it never started: an empty console */
        return send_buf(c, 200, "text/plain", strdup(""), 0);
    if (follow) {
        struct follow *f = calloc(1, sizeof(*f));
        struct MHD_Response *r = f ? MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384, follow_read, f,
                                                                         follow_free) : NULL;
        if (!r) {
            free(f);
            close(fd);
            return MHD_NO;
        }
        snprintf(f->id, sizeof(f->id), "%s", id);
        f->fd = fd;
        MHD_add_response_header(r, "Content-Type", "text/plain");
        enum MHD_Result rc = MHD_queue_response(c, 200, r);
        MHD_destroy_response(r);
        return rc;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    off_t start = size > API_LOG_MAX ? size - API_LOG_MAX : 0; /* the tail of a huge console */
    char *text = size >= 0 ? malloc((size_t)(size - start) + 1) : NULL;
    ssize_t n = text ? pread(fd, text, (size_t)(size - start), start) : -1;
    close(fd);
    if (n < 0) {
        free(text);
        return send_error(c, 500, "cannot read the console log");
    }
    return send_buf(c, 200, "text/plain", text, (size_t)n);
}

static int token_ok(struct MHD_Connection *c)
{
    if (!cfg.token)
        return 1;
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncmp(h, "Bearer ", 7) != 0)
        return 0;
    const char *t = h + 7;
    size_t lt = strlen(t), lk = strlen(cfg.token);
    unsigned diff = lt != lk;
    for (size_t i = 0; i < lk; i++) /* constant time over the token's length */
        diff |= (unsigned)(t[i < lt ? i : 0] ^ cfg.token[i]);
    return diff == 0;
}

static long wait_param(struct MHD_Connection *c)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "timeout_ms");
    if (!v)
        return 30000;
    char *end;
    long ms = strtol(v, &end, 10);
    if (end == v || *end || ms < 0)
        return -1;
    return ms > API_WAIT_MAX_MS ? API_WAIT_MAX_MS : ms;
}

static enum MHD_Result route(struct MHD_Connection *c, const char *url, const char *method, const struct body *b)
{
    int get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0, del = strcmp(method, "DELETE") == 0;
    if (strcmp(url, "/v1/node") == 0)
        return get ? get_node(c) : send_error(c, 405, "method not allowed");
    if (strcmp(url, "/v1/instances") == 0)
        return get ? list_instances(c) : post ? post_instance(c, b) : send_error(c, 405, "method not allowed");
    if (strncmp(url, "/v1/instances/", 14) != 0)
        return send_error(c, 404, "no such endpoint");
    char id[INST_ID_MAX + 1], action[16] = "";
    const char *rest = url + 14, *slash = strchr(rest, '/');
    size_t idlen = slash ? (size_t)(slash - rest) : strlen(rest);
    if (idlen == 0 || idlen > INST_ID_MAX || (slash && strlen(slash + 1) >= sizeof(action)))
        return send_error(c, 404, "no such instance");
    memcpy(id, rest, idlen);
    id[idlen] = '\0';
    if (!instance_name_valid(id))
        return send_error(c, 404, "no such instance");
    if (slash)
        snprintf(action, sizeof(action), "%s", slash + 1);
    char err[512];
    if (!action[0]) {
        if (get)
            return get_instance(c, id, 0);
        if (!del)
            return send_error(c, 405, "method not allowed");
        int status = launch_delete(id, err, sizeof(err));
        return status == 204 ? send_buf(c, 204, "text/plain", strdup(""), 0) : send_error(c, (unsigned)status, err);
    }
    if (strcmp(action, "wait") == 0) {
        long ms = wait_param(c);
        return !get ? send_error(c, 405, "method not allowed")
             : ms < 0 ? send_error(c, 400, "timeout_ms: needs a number of milliseconds")
             : get_instance(c, id, ms);
    }
    if (strcmp(action, "logs") == 0) {
        const char *f = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "follow");
        return get ? get_logs(c, id, f && strcmp(f, "0") != 0) : send_error(c, 405, "method not allowed");
    }
    if (strcmp(action, "stop") == 0) {
        if (!post)
            return send_error(c, 405, "method not allowed");
        json_t *o = NULL;
        int status = launch_stop(id, &o, err, sizeof(err));
        return o ? send_json(c, (unsigned)status, o) : send_error(c, (unsigned)status, err);
    }
    return send_error(c, 404, "no such endpoint");
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    struct body *b = *state;
    if (!b) {
        b = calloc(1, sizeof(*b));
        if (!b)
            return MHD_NO;
        *state = b;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!b->too_big && b->len + *upload_size <= API_BODY_MAX) {
            char *grown = realloc(b->data, b->len + *upload_size + 1);
            if (!grown)
                return MHD_NO;
            b->data = grown;
            memcpy(b->data + b->len, upload, *upload_size);
            b->len += *upload_size;
            b->data[b->len] = '\0';
        } else {
            b->too_big = 1;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (!token_ok(c))
        return send_error(c, 401, "missing or wrong bearer token");
    if (b->too_big)
        return send_error(c, 413, "request body over 1 MiB");
    return route(c, url, method, b);
}

static void completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)c;
    (void)code;
    struct body *b = *state;
    if (b) {
        free(b->data);
        free(b);
        *state = NULL;
    }
}

int api_start(const struct api_config *c)
{
    cfg = *c;
    compute_platforms();
    daemon_ = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                                   MHD_USE_ITC,
                               0, NULL, NULL, handle, NULL, MHD_OPTION_LISTEN_SOCKET, cfg.listen_fd,
                               MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
                               (unsigned)(API_WAIT_MAX_MS / 1000 + 60), MHD_OPTION_END);
    if (!daemon_) {
        fprintf(stderr, "unfd: cannot start the HTTP server\n");
        return -1;
    }
    return 0;
}

void api_stop(void)
{
    stopping = 1;
    instances_lock();
    instances_broadcast();
    instances_unlock();
    if (daemon_)
        MHD_stop_daemon(daemon_);
    daemon_ = NULL;
    json_decref(platforms);
}
