/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Instance state on disk (see instance.h): JSON via jansson, atomic rewrites (tmp + rename),
 * the allocation lock, process liveness checks, teardown, the reaper, and the wait for a
 * monitor's teardown after an exit it has already recorded ("cleanup": true).
 */
#include "instance.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"

int instance_name_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > INSTANCE_NAME_MAX || !isalnum((unsigned char)name[0]))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
            return 0;
    return 1;
}

const char *instance_root(void)
{
    const char *root = getenv("UNF_ROOT");
    /* Only absolute paths that fit the fixed path buffers used below; anything else is ignored
     * rather than scattering state relative to the caller's working directory. */
    return root && root[0] == '/' && strlen(root) < 160 ? root : INSTANCE_ROOT;
}

int instance_lock(void)
{
    char path[200];
    mkdir(instance_root(), 0755);
    snprintf(path, sizeof(path), "%s/.lock", instance_root());
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    while (flock(fd, LOCK_EX) < 0)
        if (errno != EINTR) {
            close(fd);
            return -1;
        }
    return fd;
}

void instance_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}

void instance_path(const char *name, const char *file, char *path, size_t len)
{
    snprintf(path, len, "%s/%s%s%s", instance_root(), name, file ? "/" : "", file ? file : "");
}

long long instance_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int instance_exists(const char *name)
{
    char path[256];
    instance_path(name, NULL, path, sizeof(path));
    return instance_name_valid(name) && access(path, F_OK) == 0;
}

const char *instance_nic_spec(const struct net_instance *net)
{
    if (!net->packet_link)
        return NET_TAP;
    return net->xdp_link ? "xdp:eth0" : "packet:eth0";
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

static void load_ports(json_t *arr, struct net_instance *net)
{
    size_t i;
    json_t *p;
    json_array_foreach(arr, i, p) {
        if (net->nports >= NET_MAX_PORTS)
            break;
        struct net_port *port = &net->ports[net->nports++];
        port->host = (uint16_t)get_int(p, "host", 0);
        port->guest = (uint16_t)get_int(p, "guest", 0);
        const char *proto = json_string_value(json_object_get(p, "proto"));
        port->udp = proto && strcmp(proto, "udp") == 0;
    }
}

int instance_load(const char *name, struct instance *in, char *err, size_t errlen)
{
    char path[256];
    json_error_t jerr;
    memset(in, 0, sizeof(*in));
    if (!instance_name_valid(name)) {
        snprintf(err, errlen, "no such instance: %s", name);
        return -1;
    }
    instance_path(name, "instance.json", path, sizeof(path));
    json_t *o = json_load_file(path, 0, &jerr);
    if (!o) {
        snprintf(err, errlen, access(path, F_OK) == 0 ? "instance %s: unreadable state (%s)"
                                                       : "no such instance: %s%.0s", name, jerr.text);
        return -1;
    }
    snprintf(in->name, sizeof(in->name), "%s", name);
    get_str(o, "image", in->image, sizeof(in->image));
    get_str(o, "image_name", in->image_name, sizeof(in->image_name));
    get_str(o, "platform", in->platform, sizeof(in->platform));
    get_str(o, "accel", in->accel, sizeof(in->accel));
    get_str(o, "state", in->state, sizeof(in->state));
    get_str(o, "reason", in->reason, sizeof(in->reason));
    get_str(o, "cmdline", in->cmdline, sizeof(in->cmdline));
    in->monitor_pid = (pid_t)get_int(o, "monitor_pid", 0);
    in->guest_pid = (pid_t)get_int(o, "guest_pid", 0);
    in->monitor_start = (unsigned long long)get_int(o, "monitor_start", 0);
    in->guest_start = (unsigned long long)get_int(o, "guest_start", 0);
    in->exit_code = (int)get_int(o, "exit_code", -1);
    in->cleanup = json_is_true(json_object_get(o, "cleanup"));
    in->mem = (uint64_t)get_int(o, "mem_bytes", 0);
    json_t *cpus = json_object_get(o, "cpus");
    in->cpus = json_is_number(cpus) ? json_number_value(cpus) : 0;
    in->created_ms = get_int(o, "created_ms", 0);
    in->started_ms = get_int(o, "started_ms", 0);
    in->finished_ms = get_int(o, "finished_ms", 0);
    net_instance_init(&in->net, name, (uint32_t)get_int(o, "net_offset", 0));
    load_ports(json_object_get(o, "ports"), &in->net);
    in->net.packet_link = json_is_true(json_object_get(o, "packet_link"));
    in->net.xdp_link = in->net.packet_link && json_is_true(json_object_get(o, "xdp_link"));
    json_decref(o);
    return 0;
}

static json_t *ports_json(const struct net_instance *net)
{
    json_t *arr = json_array();
    for (int i = 0; i < net->nports; i++) {
        const struct net_port *p = &net->ports[i];
        json_array_append_new(arr, json_pack("{s:i, s:i, s:s}", "host", p->host, "guest", p->guest,
                                             "proto", p->udp ? "udp" : "tcp"));
    }
    return arr;
}

static json_t *to_json(const struct instance *in)
{
    char cg[300];
    snprintf(cg, sizeof(cg), "unf-%s", in->name);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:i, s:I, s:I, s:f}",
                          "name", in->name, "image", in->image, "image_name", in->image_name,
                          "platform", in->platform, "accel", in->accel, "state", in->state,
                          "monitor_pid", (int)in->monitor_pid, "monitor_start", (json_int_t)in->monitor_start,
                          "guest_pid", (int)in->guest_pid, "guest_start", (json_int_t)in->guest_start,
                          "mem_bytes", (json_int_t)in->mem, "cpus", in->cpus);
    if (!o)
        return NULL;
    json_object_set_new(o, "exit_code", in->exit_code >= 0 ? json_integer(in->exit_code) : json_null());
    json_object_set_new(o, "reason", json_string(in->reason));
    json_object_set_new(o, "cleanup", json_boolean(in->cleanup));
    json_object_set_new(o, "ip", json_string(in->net.offset ? in->net.ip : ""));
    json_object_set_new(o, "gateway", json_string(NET_HOST_IP));
    json_object_set_new(o, "mac", json_string(in->net.mac));
    json_object_set_new(o, "netns", json_string(in->net.netns));
    json_object_set_new(o, "veth", json_string(in->net.veth));
    /* the guest NIC as the tender/QEMU got it: the tap, or eth0 itself through a packet or AF_XDP socket */
    json_object_set_new(o, "tap", json_string(instance_nic_spec(&in->net)));
    json_object_set_new(o, "net_offset", json_integer(in->net.offset));
    json_object_set_new(o, "ports", ports_json(&in->net));
    json_object_set_new(o, "packet_link", json_boolean(in->net.packet_link));
    json_object_set_new(o, "xdp_link", json_boolean(in->net.xdp_link));
    json_object_set_new(o, "cgroup", json_string(cg));
    json_object_set_new(o, "cmdline", json_string(in->cmdline));
    json_object_set_new(o, "created_ms", json_integer(in->created_ms));
    json_object_set_new(o, "started_ms", json_integer(in->started_ms));
    json_object_set_new(o, "finished_ms", json_integer(in->finished_ms));
    return o;
}

char *instance_to_json(const struct instance *in)
{
    json_t *o = to_json(in);
    if (!o)
        return NULL;
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return text;
}

int instance_save(const struct instance *in)
{
    char path[256], tmp[280];
    instance_path(in->name, "instance.json", path, sizeof(path));
    snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
    json_t *o = to_json(in);
    if (!o)
        return -1;
    int rc = json_dump_file(o, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (rc == 0 && rename(tmp, path) == 0)
        return 0;
    unlink(tmp);
    return -1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int instance_list(char ***names)
{
    *names = NULL;
    DIR *d = opendir(instance_root());
    if (!d)
        return 0;
    int n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !instance_name_valid(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(*names, (size_t)cap * sizeof(char *));
            if (!grown)
                break;
            *names = grown;
        }
        (*names)[n] = strdup(e->d_name);
        if ((*names)[n])
            n++;
    }
    closedir(d);
    if (n)
        qsort(*names, (size_t)n, sizeof(char *), cmp_names);
    return n;
}

void instance_list_free(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

uint32_t instance_free_offset(void)
{
    static unsigned char used[65536 / 8];
    char **names;
    memset(used, 0, sizeof(used));
    int n = instance_list(&names);
    for (int i = 0; i < n; i++) {
        struct instance in;
        char err[256];
        if (instance_load(names[i], &in, err, sizeof(err)) == 0)
            used[in.net.offset / 8] |= (unsigned char)(1u << (in.net.offset % 8));
    }
    instance_list_free(names, n);
    for (uint32_t off = 2; off < 65535; off++) /* .0.1 is the host; x.y.255.255 is broadcast */
        if (!(used[off / 8] & (1u << (off % 8))) && (off & 0xff) != 0xff && (off & 0xff) != 0)
            return off;
    return 0;
}

unsigned long long instance_proc_start(pid_t pid)
{
    char path[64], buf[1024];
    if (pid <= 0)
        return 0;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    if (!p)
        return 0;
    char state = 0;
    unsigned long long start = 0;
    /* after ")": state(3) ... starttime(22) */
    if (sscanf(p + 1, " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
               &state, &start) != 2 || state == 'Z' || state == 'X')
        return 0;
    return start;
}

int instance_proc_alive(pid_t pid, unsigned long long start)
{
    return pid > 0 && start && instance_proc_start(pid) == start;
}

void instance_teardown(struct instance *in)
{
    if (instance_proc_alive(in->guest_pid, in->guest_start))
        kill(in->guest_pid, SIGKILL);
    cgroup_remove(in->name); /* kills anything left in it, e.g. a guest we lost track of */
    if (in->net.offset)
        net_instance_down(&in->net);
}

int instance_settled(const struct instance *in)
{
    return strcmp(in->state, "exited") == 0 && !in->cleanup;
}

void instance_reap(const char *name, const char *reaper)
{
    struct instance in;
    char err[256];
    int lock = instance_lock();
    /* Re-read under the lock: the monitor may have finished meanwhile. */
    if (instance_load(name, &in, err, sizeof(err)) == 0 && !instance_settled(&in) &&
        !instance_proc_alive(in.monitor_pid, in.monitor_start)) {
        instance_teardown(&in);
        if (strcmp(in.state, "exited") != 0) {
            snprintf(in.state, sizeof(in.state), "exited");
            if (!in.reason[0])
                snprintf(in.reason, sizeof(in.reason), "its monitor died; cleaned up by %s", reaper);
            in.finished_ms = instance_now_ms();
        }
        in.cleanup = 0;
        instance_save(&in);
    }
    instance_unlock(lock);
}

void instance_reap_all(void)
{
    char **names;
    int n = instance_list(&names);
    for (int i = 0; i < n; i++) {
        struct instance in;
        char err[256];
        if (instance_load(names[i], &in, err, sizeof(err)) == 0 && !instance_settled(&in) &&
            !instance_proc_alive(in.monitor_pid, in.monitor_start))
            instance_reap(names[i], "unf");
    }
    instance_list_free(names, n);
}

int instance_wait_settled(const char *name, int timeout_ms)
{
    /* Polled: the teardown takes tens of milliseconds, a 1 ms step adds little to it, and the
     * state file stays the one thing to agree on (a monitor killed mid-teardown leaves only it). */
    for (int waited = 0;; waited++) {
        struct instance in;
        char err[256];
        if (instance_load(name, &in, err, sizeof(err)) < 0 || strcmp(in.state, "exited") != 0 || !in.cleanup)
            return 0;
        if (!instance_proc_alive(in.monitor_pid, in.monitor_start)) {
            instance_reap(name, "unf");
            return 0;
        }
        if (waited >= timeout_ms)
            return -1;
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static int rm_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? 0 : unlink(path);
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[4096];
        snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            rc |= rm_tree(child);
        else if (unlink(child) < 0 && errno != ENOENT)
            rc = -1;
    }
    closedir(d);
    if (rmdir(path) < 0 && errno != ENOENT)
        rc = -1;
    return rc;
}

int instance_remove_state(const char *name)
{
    char path[256];
    instance_path(name, NULL, path, sizeof(path));
    return rm_tree(path);
}
