/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Deploy, stop, delete, watch and re-adopt instances (see launch.h). The runtime does the work:
 * this file runs the sibling `unf` and reads unf's instance state with runtime/instance.c, both
 * under the same $UNF_ROOT (set by main.c before any thread starts). The table lock is never
 * held across a fetch or a runtime command, so a slow boot does not block the API.
 */
#include "launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../runtime/cmd.h"
#include "../runtime/driver.h"
#include "../runtime/instance.h"
#include "fetch.h"
#include "instances.h"
#include "node.h"
#include "watch.h"

#define RUN_TIMEOUT_MS 120000   /* an aarch64 boot under TCG on a busy host still fits */
#define STOP_TIMEOUT_MS 30000

static struct launch_config cfg;

void launch_init(const struct launch_config *c)
{
    cfg = *c;
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int error(char *err, size_t errlen, int status, const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    return status;
}

/* Ends an instance's life in the table (lock held): final state, release, save, wake waiters. */
static void finish(struct inst *in, enum inst_state state, int exit_code, const char *reason)
{
    in->state = state;
    in->exit_code = exit_code;
    snprintf(in->reason, sizeof(in->reason), "%s", reason ? reason : "");
    if (!in->finished_ms)
        in->finished_ms = instances_now_ms();
    if (in->reserved) {
        node_release(in->memory_mib, in->vcpus);
        in->reserved = 0;
    }
    instances_save(in);
    instances_broadcast();
}

/* The runtime's view of `id` -> the agent state it means. Returns 1 when the instance ended
 * (state, exit code, reason filled), 0 when it still runs. A monitor that is gone without having
 * written a status, or died in its teardown, is cleaned up here by the runtime's reaper. */
static int runtime_outcome(const char *id, enum inst_state *state, int *exit_code, char *reason, size_t len)
{
    struct instance rt;
    char err[256];
    *exit_code = -1;
    if (instance_load(id, &rt, err, sizeof(err)) < 0) {
        *state = INST_DEAD;
        snprintf(reason, len, "its runtime state is gone (%.200s)", err);
        return 1;
    }
    if (strcmp(rt.state, "exited") != 0 && instance_proc_alive(rt.monitor_pid, rt.monitor_start))
        return 0;
    if (!instance_settled(&rt) && !instance_proc_alive(rt.monitor_pid, rt.monitor_start)) {
        /* the monitor is gone without a status, or died in its teardown: the runtime's reaper */
        instance_reap(id, "unfd");
        if (instance_load(id, &rt, err, sizeof(err)) < 0) {
            *state = INST_DEAD;
            snprintf(reason, len, "its runtime state is gone (%.200s)", err);
            return 1;
        }
    }
    if (strstr(rt.reason, "monitor died")) {
        *state = INST_DEAD;
        snprintf(reason, len, "%s", rt.reason);
        return 1;
    }
    *exit_code = rt.exit_code;
    *state = rt.exit_code == 0 ? INST_COMPLETED : INST_FAILED;
    if (rt.reason[0])
        snprintf(reason, len, "%s", rt.reason);
    else if (rt.exit_code != 0) /* a plain exit 0 needs no reason (null) */
        snprintf(reason, len, "exit %d", rt.exit_code);
    else
        reason[0] = '\0';
    return 1;
}

/* Runs `unf ARGS...`; status, with the first line of its output in out. */
static int run_unf(const char *const *args, char *out, size_t outlen, long timeout_ms)
{
    const char *argv[SLA_MAX_ARGS + 32];
    int n = 0;
    argv[n++] = cfg.unf;
    for (int i = 0; args[i] && n < (int)(sizeof(argv) / sizeof(argv[0])) - 1; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int rc = cmd_run(argv, NULL, out, outlen, timeout_ms);
    cmd_first_line(out);
    return rc;
}

/* The platform and accelerator asked for: the SLA's unf_platform/unf_accel, else the agent's. */
static int choose(const struct sla_service *s, const char **platform, const char **accel, char *err, size_t errlen)
{
    *platform = strcmp(s->platform, "auto") ? s->platform : cfg.platform;
    *accel = strcmp(s->accel, "auto") ? s->accel : cfg.accel;
    if (strcmp(*platform, "auto") != 0 && !driver_find(*platform)) {
        snprintf(err, errlen, "unknown platform '%s' (%s)", *platform, driver_names());
        return -1;
    }
    return 0;
}

/* Builds `run -d ...` for the instance; the strings live in s, in and store. */
static void run_args(const struct sla_service *s, const struct inst *in, const char *image, const char *platform,
                     const char *accel, const char **args, char *store, size_t storelen)
{
    int n = 0;
    snprintf(store, storelen, "%uM", s->memory_mib);
    char *cpus = store + strlen(store) + 1;
    snprintf(cpus, storelen - strlen(store) - 1, "%u", s->vcpus);
    args[n++] = "run";
    args[n++] = "-d";
    args[n++] = "--name";
    args[n++] = in->id;
    args[n++] = "--mem";
    args[n++] = store;
    args[n++] = "--cpus";
    args[n++] = cpus;
    args[n++] = "--arch";
    args[n++] = cfg.arch;
    if (strcmp(platform, "auto") != 0) {
        args[n++] = "--platform";
        args[n++] = platform;
    }
    if (strcmp(accel, "auto") != 0 && strcmp(accel, "none") != 0) {
        args[n++] = "--accel";
        args[n++] = accel;
    }
    if (s->port[0]) {
        args[n++] = "-p";
        args[n++] = s->port;
    }
    args[n++] = image;
    args[n++] = "--";
    for (int i = 0; i < s->ncmd; i++)
        args[n++] = s->cmd[i];
    args[n] = NULL;
}

int launch_deploy(const struct sla_service *s, json_t **obj, char *err, size_t errlen)
{
    *obj = NULL;
    const struct sla_code *code = sla_code_for(s, cfg.arch);
    if (!code) {
        snprintf(err, errlen, "no code URL for this node's architecture (%s)", cfg.arch);
        return 400;
    }
    const char *platform, *accel;
    if (choose(s, &platform, &accel, err, errlen) < 0)
        return 400;

    instances_lock();
    if (node_admit(s->memory_mib, s->vcpus, err, errlen) < 0) {
        instances_unlock();
        return 409;
    }
    struct inst *in = instances_new(cfg.name, err, errlen);
    if (!in) {
        node_release(s->memory_mib, s->vcpus);
        instances_unlock();
        return 500;
    }
    snprintf(in->name, sizeof(in->name), "%s", s->name);
    in->state = INST_CREATING;
    in->one_shot = s->one_shot;
    snprintf(in->arch, sizeof(in->arch), "%s", cfg.arch);
    snprintf(in->platform, sizeof(in->platform), "%s", platform);
    snprintf(in->accel, sizeof(in->accel), "%s", accel);
    in->memory_mib = s->memory_mib;
    in->vcpus = s->vcpus;
    in->reserved = 1;
    instances_save(in);
    instances_unlock();
    /* From here `in` stays valid: stop and delete refuse a CREATING instance. */

    char image[4096], digest[65];
    long long bytes = 0, t0 = mono_ms();
    enum fetch_result fr = fetch_image(cfg.cache_dir, code->url, code->sha256, image, sizeof(image), digest, &bytes,
                                       err, errlen);
    long long t1 = mono_ms();
    if (fr != FETCH_OK) {
        /* Nothing was started: no record is kept (the digest-mismatch rule: nothing left). */
        instances_lock();
        node_release(in->memory_mib, in->vcpus);
        instances_remove(in->id);
        instances_broadcast();
        instances_unlock();
        return 502;
    }

    const char *args[SLA_MAX_ARGS + 24];
    char store[64], out[1024];
    run_args(s, in, image, platform, accel, args, store, sizeof(store));
    int rc = run_unf(args, out, sizeof(out), RUN_TIMEOUT_MS);
    long long t2 = mono_ms();

    struct instance rt;
    char lerr[256];
    int loaded = rc == 0 && instance_load(in->id, &rt, lerr, sizeof(lerr)) == 0;
    instances_lock();
    snprintf(in->image_sha256, sizeof(in->image_sha256), "%s", digest);
    in->fetch_ms = t1 - t0;
    in->run_ms = t2 - t1;
    in->fetched_bytes = bytes;
    int status = 201;
    if (!loaded) {
        snprintf(err, errlen, "%s", rc == 0 ? lerr : out[0] ? out : "unf run failed");
        finish(in, INST_FAILED, -1, err);
        status = 502;
    } else {
        snprintf(in->platform, sizeof(in->platform), "%s", rt.platform);
        snprintf(in->accel, sizeof(in->accel), "%s", rt.accel);
        snprintf(in->ip, sizeof(in->ip), "%s", rt.net.offset ? rt.net.ip : "");
        in->state = INST_RUNNING;
        in->running_ms = instances_now_ms();
        instances_save(in);
        instances_broadcast();
    }
    *obj = inst_to_json(in);
    instances_unlock();
    if (status == 201)
        watch_kick(); /* the watcher takes it on now, not at its next sweep */
    return status;
}

/* The instance named id, with the table locked, when it can be stopped or deleted; otherwise
 * the table is unlocked again and *status is the error (404 unknown, 409 still being created). */
static struct inst *find_settled(const char *id, int *status, char *err, size_t errlen)
{
    instances_lock();
    struct inst *in = instances_find(id);
    if (!in || in->state == INST_CREATING) {
        instances_unlock();
        *status = in ? error(err, errlen, 409, "the instance is still being created; retry")
                     : error(err, errlen, 404, "no such instance");
        return NULL;
    }
    return in;
}

int launch_stop(const char *id, json_t **obj, char *err, size_t errlen)
{
    *obj = NULL;
    int status;
    struct inst *in = find_settled(id, &status, err, errlen);
    if (!in)
        return status;
    int running = in->state == INST_RUNNING && !in->stopping;
    if (running)
        in->stopping = 1; /* so its end reads "stopped", not whatever the watcher would see first */
    instances_unlock();
    if (running) {
        const char *args[] = {"stop", id, NULL};
        char out[512];
        if (run_unf(args, out, sizeof(out), STOP_TIMEOUT_MS) != 0) {
            snprintf(err, errlen, "unf stop: %s", out[0] ? out : "failed");
            instances_lock();
            if ((in = instances_find(id)))
                in->stopping = 0;
            instances_unlock();
            watch_kick(); /* what it saw during the stop is looked at now */
            return 500;
        }
    }
    enum inst_state state;
    int code;
    char reason[256];
    int ended = running && runtime_outcome(id, &state, &code, reason, sizeof(reason));
    instances_lock();
    in = instances_find(id);
    if (!in) {
        instances_unlock();
        return error(err, errlen, 404, "no such instance");
    }
    if (ended && in->state == INST_RUNNING)
        finish(in, state == INST_DEAD ? INST_DEAD : code == 0 ? INST_COMPLETED : INST_FAILED, code, "stopped");
    if (running)
        in->stopping = 0; /* not ended (cannot happen after a good unf stop): the watcher takes over */
    *obj = inst_to_json(in);
    instances_unlock();
    if (running)
        watch_kick(); /* it lets go of a stopped instance, or looks again at one still running */
    return 200;
}

int launch_delete(const char *id, char *err, size_t errlen)
{
    int status;
    struct inst *in = find_settled(id, &status, err, errlen);
    if (!in)
        return status;
    instances_unlock();
    char out[512];
    if (instance_exists(id)) {
        const char *args[] = {"rm", "-f", id, NULL};
        if (run_unf(args, out, sizeof(out), STOP_TIMEOUT_MS) != 0 && instance_exists(id)) {
            snprintf(err, errlen, "unf rm: %s", out[0] ? out : "failed");
            return 500;
        }
    }
    instances_lock();
    in = instances_find(id);
    if (in) {
        if (in->reserved)
            node_release(in->memory_mib, in->vcpus);
        instances_remove(id);
        instances_broadcast();
    }
    instances_unlock();
    return 204;
}

int launch_check(const char *id)
{
    instances_lock();
    struct inst *in = instances_find(id);
    int rc = !in || in->state != INST_RUNNING ? 1 : in->stopping ? -1 : 0;
    instances_unlock();
    if (rc != 0)
        return rc;
    enum inst_state state;
    int code;
    char reason[256];
    if (!runtime_outcome(id, &state, &code, reason, sizeof(reason)))
        return 0;
    rc = 1;
    instances_lock();
    in = instances_find(id);
    if (in && in->state == INST_RUNNING) {
        if (in->stopping)
            rc = -1; /* a stop began meanwhile: its ending is the stop's to write */
        else
            finish(in, state, code, reason);
    }
    instances_unlock();
    return rc;
}

void launch_adopt(void)
{
    instances_lock();
    for (int i = 0; i < instances_count(); i++) {
        struct inst *in = instances_at(i);
        in->reserved = 0; /* booked again below for what still runs */
        if (inst_state_final(in->state)) {
            instances_save(in);
            continue;
        }
        enum inst_state state;
        int code;
        char reason[256];
        if (in->state == INST_CREATING) {
            /* The agent died mid-deploy; whatever the runtime made is removed. */
            const char *args[] = {"rm", "-f", in->id, NULL};
            char out[256];
            if (instance_exists(in->id))
                run_unf(args, out, sizeof(out), STOP_TIMEOUT_MS);
            finish(in, INST_FAILED, -1, "the agent restarted while it was being created");
        } else if (runtime_outcome(in->id, &state, &code, reason, sizeof(reason))) {
            finish(in, state, code, reason);
        } else {
            node_force(in->memory_mib, in->vcpus);
            in->reserved = 1;
            instances_save(in);
        }
    }
    instances_unlock();
}

int launch_cleanup_all(void)
{
    int failed = 0;
    instances_lock();
    while (instances_count() > 0) {
        char id[INST_ID_MAX + 1], out[256];
        snprintf(id, sizeof(id), "%s", instances_at(0)->id);
        const char *args[] = {"rm", "-f", id, NULL};
        if (instance_exists(id) && run_unf(args, out, sizeof(out), STOP_TIMEOUT_MS) != 0 && instance_exists(id)) {
            fprintf(stderr, "unfd: cannot remove %s: %s\n", id, out);
            failed++;
        }
        instances_remove(id);
    }
    instances_unlock();
    return failed;
}
