/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The agent's instance table (see instances.h): a growable array of records, their JSON form
 * (the API's instance object, which is also the on-disk format), atomic saves and the id
 * counter, persisted beside them so ids are never reused across restarts.
 */
#include "instances.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed;
static struct inst **table;
static int count, cap;
static unsigned long next_id = 1;
static char dir[3000];

static const char *const state_names[] = {"CREATING", "RUNNING", "COMPLETED", "FAILED", "DEAD"};

const char *inst_state_name(enum inst_state s)
{
    return state_names[s];
}

int inst_state_final(enum inst_state s)
{
    return s == INST_COMPLETED || s == INST_FAILED || s == INST_DEAD;
}

long long instances_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void instances_lock(void)
{
    pthread_mutex_lock(&lock);
}

void instances_unlock(void)
{
    pthread_mutex_unlock(&lock);
}

void instances_broadcast(void)
{
    pthread_cond_broadcast(&changed);
}

int instances_wait_until(long long deadline_ms)
{
    struct timespec ts = {.tv_sec = deadline_ms / 1000, .tv_nsec = (deadline_ms % 1000) * 1000000};
    int rc = pthread_cond_timedwait(&changed, &lock, &ts);
    return rc == ETIMEDOUT ? -1 : 0;
}

static json_t *opt_ms(long long ms)
{
    return ms ? json_integer(ms) : json_null();
}

json_t *inst_to_json(const struct inst *in)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "id", json_string(in->id));
    json_object_set_new(o, "name", json_string(in->name));
    json_object_set_new(o, "state", json_string(inst_state_name(in->state)));
    json_object_set_new(o, "one_shot", json_boolean(in->one_shot));
    json_object_set_new(o, "arch", json_string(in->arch));
    json_object_set_new(o, "platform", json_string(in->platform));
    json_object_set_new(o, "accel", json_string(in->accel));
    json_object_set_new(o, "memory_mib", json_integer(in->memory_mib));
    json_object_set_new(o, "vcpus", json_integer(in->vcpus));
    json_object_set_new(o, "exit_code", in->exit_code >= 0 ? json_integer(in->exit_code) : json_null());
    json_object_set_new(o, "reason", in->reason[0] ? json_string(in->reason) : json_null());
    json_object_set_new(o, "created_ms", json_integer(in->created_ms));
    json_object_set_new(o, "running_ms", opt_ms(in->running_ms));
    json_object_set_new(o, "finished_ms", opt_ms(in->finished_ms));
    json_object_set_new(o, "image_sha256", json_string(in->image_sha256));
    /* unf's additions: where to reach it on the node, and where the deploy time went. */
    json_object_set_new(o, "ip", json_string(in->ip));
    json_object_set_new(o, "fetch_ms", json_integer(in->fetch_ms));
    json_object_set_new(o, "run_ms", json_integer(in->run_ms));
    json_object_set_new(o, "fetched_bytes", json_integer(in->fetched_bytes));
    json_object_set_new(o, "reserved", json_boolean(in->reserved));
    return o;
}

static void get_str(json_t *o, const char *key, char *dst, size_t len)
{
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(dst, len, "%s", v ? v : "");
}

static long long get_int(json_t *o, const char *key, long long dflt)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* A record from disk; NULL when it is not one of ours (then it is ignored, not fatal). */
static struct inst *from_json(json_t *o)
{
    struct inst *in = calloc(1, sizeof(*in));
    if (!in)
        return NULL;
    get_str(o, "id", in->id, sizeof(in->id));
    get_str(o, "name", in->name, sizeof(in->name));
    char state[16];
    get_str(o, "state", state, sizeof(state));
    int known = 0;
    for (int s = INST_CREATING; s <= INST_DEAD; s++)
        if (strcmp(state, state_names[s]) == 0) {
            in->state = (enum inst_state)s;
            known = 1;
        }
    in->one_shot = json_is_true(json_object_get(o, "one_shot"));
    get_str(o, "arch", in->arch, sizeof(in->arch));
    get_str(o, "platform", in->platform, sizeof(in->platform));
    get_str(o, "accel", in->accel, sizeof(in->accel));
    in->memory_mib = (unsigned)get_int(o, "memory_mib", 0);
    in->vcpus = (unsigned)get_int(o, "vcpus", 0);
    in->exit_code = (int)get_int(o, "exit_code", -1);
    get_str(o, "reason", in->reason, sizeof(in->reason));
    in->created_ms = get_int(o, "created_ms", 0);
    in->running_ms = get_int(o, "running_ms", 0);
    in->finished_ms = get_int(o, "finished_ms", 0);
    get_str(o, "image_sha256", in->image_sha256, sizeof(in->image_sha256));
    get_str(o, "ip", in->ip, sizeof(in->ip));
    in->fetch_ms = get_int(o, "fetch_ms", 0);
    in->run_ms = get_int(o, "run_ms", 0);
    in->fetched_bytes = get_int(o, "fetched_bytes", 0);
    in->reserved = json_is_true(json_object_get(o, "reserved"));
    if (!in->id[0] || !known) {
        free(in);
        return NULL;
    }
    return in;
}

static int append(struct inst *in)
{
    if (count == cap) {
        int ncap = cap ? cap * 2 : 64;
        struct inst **grown = realloc(table, (size_t)ncap * sizeof(*table));
        if (!grown)
            return -1;
        table = grown;
        cap = ncap;
    }
    table[count++] = in;
    return 0;
}

static void save_counter(void)
{
    char path[3100], tmp[3120];
    snprintf(path, sizeof(path), "%s/next_id", dir);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    int ok = fprintf(f, "%lu\n", next_id) > 0;
    if (fclose(f) == 0 && ok && rename(tmp, path) == 0)
        return;
    unlink(tmp);
}

int instances_init(const char *state_dir, char *err, size_t errlen)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_cond_init(&changed, &attr); /* CLOCK_REALTIME: deadlines are wall-clock ms */
    pthread_condattr_destroy(&attr);
    snprintf(dir, sizeof(dir), "%s/instances", state_dir);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    char path[3400];
    snprintf(path, sizeof(path), "%s/next_id", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%lu", &next_id) != 1 || next_id == 0)
            next_id = 1;
        fclose(f);
    }
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        json_t *o = json_load_file(path, 0, NULL);
        struct inst *in = o ? from_json(o) : NULL;
        json_decref(o);
        if (!in) {
            fprintf(stderr, "unfd: ignoring unreadable record %s\n", path);
            continue;
        }
        if (append(in) < 0) {
            free(in);
            closedir(d);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    }
    closedir(d);
    return 0;
}

struct inst *instances_find(const char *id)
{
    for (int i = 0; i < count; i++)
        if (strcmp(table[i]->id, id) == 0)
            return table[i];
    return NULL;
}

int instances_count(void)
{
    return count;
}

struct inst *instances_at(int i)
{
    return table[i];
}

struct inst *instances_new(const char *prefix, char *err, size_t errlen)
{
    struct inst *in = calloc(1, sizeof(*in));
    if (!in) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    do
        snprintf(in->id, sizeof(in->id), "%s-%06lu", prefix, next_id++);
    while (instances_find(in->id));
    save_counter();
    in->exit_code = -1;
    in->created_ms = instances_now_ms();
    if (append(in) < 0) {
        free(in);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (instances_save(in) < 0) {
        instances_remove(in->id);
        snprintf(err, errlen, "cannot write the instance record under %s", dir);
        return NULL;
    }
    return in;
}

int instances_save(const struct inst *in)
{
    char path[3200], tmp[3220];
    snprintf(path, sizeof(path), "%s/%s.json", dir, in->id);
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    json_t *o = inst_to_json(in);
    if (!o)
        return -1;
    int rc = json_dump_file(o, tmp, JSON_COMPACT);
    json_decref(o);
    if (rc == 0 && rename(tmp, path) == 0)
        return 0;
    unlink(tmp);
    return -1;
}

void instances_remove(const char *id)
{
    char path[3200];
    for (int i = 0; i < count; i++) {
        if (strcmp(table[i]->id, id) != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s.json", dir, id);
        unlink(path);
        free(table[i]);
        memmove(&table[i], &table[i + 1], (size_t)(count - i - 1) * sizeof(*table));
        count--;
        return;
    }
}
