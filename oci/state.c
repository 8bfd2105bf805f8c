/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Container state files and liveness (see state.h). state.json is ours alone: a flat object
 * with the fields of struct oci_state, the network record nested under "net".
 */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int oci_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > OCI_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || !strchr("_.+-", c)))
            return 0;
    }
    return 1;
}

void oci_state_path(const char *root, const char *id, const char *file, char *path, size_t len)
{
    if (file)
        snprintf(path, len, "%s/%s/%s", root, id, file);
    else
        snprintf(path, len, "%s/%s", root, id);
}

void oci_now_rfc3339(char *buf, size_t len)
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf + n, len - n, ".%09ldZ", ts.tv_nsec);
}

unsigned long long oci_proc_start(pid_t pid)
{
    char path[64], buf[1024];
    if (pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
    char state = 0;
    unsigned long long start = 0;
    if (!p || sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
                     &state, &start) != 2 || state == 'Z' || state == 'X')
        return 0;
    return start;
}

static void copy(char *dst, size_t len, json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    snprintf(dst, len, "%s", s ? s : "");
}

int oci_state_load(const char *root, const char *id, struct oci_state *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof(*st));
    if (!oci_id_valid(id)) {
        snprintf(err, errlen, "invalid container ID '%s'", id);
        return -1;
    }
    char path[PATH_MAX];
    oci_state_path(root, id, "state.json", path, sizeof(path));
    json_error_t jerr;
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o) {
        struct stat sb;
        oci_state_path(root, id, NULL, path, sizeof(path));
        if (stat(path, &sb) == 0)
            snprintf(err, errlen, "container %s is being created (no state yet)", id);
        else
            snprintf(err, errlen, "container %s does not exist", id);
        return -1;
    }
    snprintf(st->id, sizeof(st->id), "%s", id);
    oci_state_path(root, id, NULL, st->dir, sizeof(st->dir));
    copy(st->bundle, sizeof(st->bundle), o, "bundle");
    copy(st->rootfs, sizeof(st->rootfs), o, "rootfs");
    copy(st->created, sizeof(st->created), o, "created");
    copy(st->platform, sizeof(st->platform), o, "platform");
    copy(st->accel, sizeof(st->accel), o, "accel");
    copy(st->netns, sizeof(st->netns), o, "netns");
    copy(st->cgroup, sizeof(st->cgroup), o, "cgroup");
    st->pid = (pid_t)json_integer_value(json_object_get(o, "pid"));
    st->pid_start = (unsigned long long)json_integer_value(json_object_get(o, "pid_start"));
    st->systemd_cgroup = json_is_true(json_object_get(o, "systemd_cgroup"));
    json_t *n = json_object_get(o, "net");
    st->net.tap = json_is_true(json_object_get(n, "tap"));
    st->net.mirred = json_is_true(json_object_get(n, "mirred"));
    st->net.addr_removed = json_is_true(json_object_get(n, "addr_removed"));
    st->net.gw_removed = json_is_true(json_object_get(n, "gw_removed"));
    copy(st->net.ifname, sizeof(st->net.ifname), n, "ifname");
    copy(st->net.mac, sizeof(st->net.mac), n, "mac");
    copy(st->net.addr, sizeof(st->net.addr), n, "addr");
    copy(st->net.gw, sizeof(st->net.gw), n, "gw");
    st->net.prefix = (int)json_integer_value(json_object_get(n, "prefix"));
    st->net.mtu = (int)json_integer_value(json_object_get(n, "mtu"));
    json_t *a = json_object_get(o, "annotations");
    st->annotations = json_is_object(a) ? json_incref(a) : json_object();
    json_t *h = json_object_get(o, "hooks");
    st->hooks = json_is_object(h) ? json_incref(h) : NULL;
    json_decref(o);
    return 0;
}

int oci_state_save(const struct oci_state *st, char *err, size_t errlen)
{
    const struct oci_net *n = &st->net;
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:O, s:O?,"
                          " s:{s:b, s:b, s:b, s:b, s:s, s:s, s:s, s:i, s:s, s:i}}",
                          "id", st->id, "bundle", st->bundle, "rootfs", st->rootfs,
                          "pid", (json_int_t)st->pid, "pid_start", (json_int_t)st->pid_start,
                          "created", st->created, "platform", st->platform, "accel", st->accel,
                          "netns", st->netns, "cgroup", st->cgroup,
                          "systemd_cgroup", st->systemd_cgroup, "annotations", st->annotations, "hooks", st->hooks,
                          "net", "tap", n->tap, "mirred", n->mirred, "addr_removed", n->addr_removed,
                          "gw_removed", n->gw_removed, "ifname", n->ifname, "mac", n->mac,
                          "addr", n->addr, "prefix", n->prefix, "gw", n->gw, "mtu", n->mtu);
    if (!o) {
        snprintf(err, errlen, "cannot encode the state of %s", st->id);
        return -1;
    }
    char tmp[PATH_MAX + 16], path[PATH_MAX + 16];
    snprintf(tmp, sizeof(tmp), "%s/state.json.tmp", st->dir);
    snprintf(path, sizeof(path), "%s/state.json", st->dir);
    int rc = json_dump_file(o, tmp, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (rc != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

void oci_state_free(struct oci_state *st)
{
    json_decref(st->annotations);
    st->annotations = NULL;
    json_decref(st->hooks);
    st->hooks = NULL;
}

const char *oci_state_status(const struct oci_state *st)
{
    if (!st->pid || oci_proc_start(st->pid) != st->pid_start)
        return "stopped";
    char fifo[PATH_MAX + 16];
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", st->dir);
    return access(fifo, F_OK) == 0 ? "created" : "running";
}

json_t *oci_state_json(const struct oci_state *st)
{
    const char *status = oci_state_status(st);
    int live = strcmp(status, "stopped") != 0;
    return json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:O}", "ociVersion", OCI_VERSION,
                     "id", st->id, "status", status, "pid", (json_int_t)(live ? st->pid : 0),
                     "bundle", st->bundle, "rootfs", st->rootfs, "created", st->created,
                     "owner", "", "annotations", st->annotations);
}

void oci_state_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[PATH_MAX + 256];
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}
