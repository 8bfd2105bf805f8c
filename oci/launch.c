/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create and start (see launch.h). The guest's command line is
 *   unf.name=NAME [unf.ip0=ADDR/PREFIX [unf.gw0=GW]] -- ARGS
 * where ARGS are process.args without a leading entry naming the image itself (args[0] equal
 * to the image's name, or to a path ending in /NAME), or the image's default args when nothing
 * is left.
 */
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bundle.h"
#include "console.h"
#include "driver.h"
#include "hooks.h"
#include "image.h"
#include "log.h"
#include "network.h"
#include "state.h"

/* What the holder tells create over the sync pipe: once when it has its namespaces (create
 * then runs the prestart hooks and writes one byte on the go pipe), once when it is ready. */
struct holder_msg {
    int stage;                  /* 1: namespaces ready, 2: ready to start */
    int ok;
    char err[512];
    struct oci_net net;
};

/* What create decided, for the holder. */
struct plan {
    const struct oci_bundle *b;
    const struct oci_opts *o;
    const struct driver *drv;
    int kvm;
    char kernel[PATH_MAX + 32], archive[PATH_MAX + 32], fifo[PATH_MAX + 32];
    int has_archive;
    uint64_t mem;
    char name[64];
    char args[4096];            /* the guest's arguments after "--", quoted */
};

static void send_msg(int fd, const struct holder_msg *m)
{
    if (write(fd, m, sizeof(*m)) != (ssize_t)sizeof(*m)) { /* create reads EOF and reports it */ }
}

/* The holder: never returns. */
static void holder(const struct plan *p, int sync_fd, int go_fd)
{
    struct holder_msg m;
    memset(&m, 0, sizeof(m));
    const struct oci_bundle *b = p->b;
    if (p->o->console_socket) {
        if (oci_console_setup(p->o->console_socket, m.err, sizeof(m.err)) < 0)
            goto fail;
    } else {
        setsid();
    }
    if (oci_cgroup_join(b->cgroups_path, p->o->systemd_cgroup, &b->limits, getpid(), m.err, sizeof(m.err)) < 0)
        goto fail;
    if (b->netns_kind == OCI_NETNS_PATH && oci_net_enter(b->netns, m.err, sizeof(m.err)) < 0)
        goto fail;
    if (b->netns_kind == OCI_NETNS_NEW && unshare(CLONE_NEWNET) < 0) {
        snprintf(m.err, sizeof(m.err), "cannot create a network namespace: %s", strerror(errno));
        goto fail;
    }
    m.stage = 1;
    m.ok = 1;
    send_msg(sync_fd, &m);
    char go;
    if (read(go_fd, &go, 1) != 1) /* create failed (a hook) and went away */
        _exit(1);
    close(go_fd);
    m.stage = 2;
    m.ok = 0;
    /* the engine's namespace, or a new one that a prestart hook may have configured */
    if (b->netns_kind != OCI_NETNS_HOST && oci_net_wire(&m.net, m.err, sizeof(m.err)) < 0)
        goto fail;
    char cmdline[8192];
    int n = snprintf(cmdline, sizeof(cmdline), "unf.name=%s", p->name);
    if (m.net.addr_removed)
        n += snprintf(cmdline + n, sizeof(cmdline) - (size_t)n, " unf.ip0=%s/%d", m.net.addr, m.net.prefix);
    if (m.net.gw_removed)
        n += snprintf(cmdline + n, sizeof(cmdline) - (size_t)n, " unf.gw0=%s", m.net.gw);
    snprintf(cmdline + n, sizeof(cmdline) - (size_t)n, " --%s", p->args);
    struct driver_launch l = {.kernel = p->kernel, .archive = p->has_archive ? p->archive : NULL,
                              .cmdline = cmdline, .mem = p->mem, .cpus = 1, .kvm = p->kvm};
    if (m.net.tap) {
        l.nics[0].tap = OCI_TAP;
        l.nics[0].mac = m.net.mac[0] ? m.net.mac : NULL;
        l.nnics = 1;
    }
    static struct driver_argv argv;
    if (p->drv->build(&l, &argv) < 0) {
        snprintf(m.err, sizeof(m.err), "cannot build the %s command line (too long)", p->drv->name);
        goto fail;
    }
    m.ok = 1;
    send_msg(sync_fd, &m);
    close(sync_fd);
    int fd = open(p->fifo, O_WRONLY | O_CLOEXEC); /* blocks until start */
    if (fd < 0 || write(fd, "0", 1) != 1) {
        fprintf(stderr, "unf-oci: %s: %s\n", p->fifo, strerror(errno));
        _exit(127);
    }
    close(fd);
    execvp(argv.argv[0], argv.argv);
    fprintf(stderr, "unf-oci: cannot run %s: %s\n", argv.argv[0], strerror(errno));
    _exit(127);
fail:
    oci_net_unwire(&m.net);
    send_msg(sync_fd, &m);
    _exit(1);
}

/* The guest's arguments (see the top of this file), double-quoted when they hold spaces. */
static void guest_args(const struct oci_bundle *b, const struct image *img, char *out, size_t len)
{
    int first = 0;
    if (b->nargs > 0) {
        const char *slash = strrchr(b->args[0], '/');
        const char *base = slash ? slash + 1 : b->args[0];
        if (strcmp(b->args[0], img->name) == 0 || strcmp(base, img->name) == 0)
            first = 1;
    }
    char *const *args = b->args + first;
    int nargs = b->nargs - first;
    if (nargs == 0) {
        args = img->args;
        nargs = img->nargs;
    }
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < nargs && used < len; i++)
        used += (size_t)snprintf(out + used, len - used, strchr(args[i], ' ') ? " \"%s\"" : " %s", args[i]);
}

/* prestart and createRuntime, with the state as it is while creating. */
static int run_create_hooks(const struct oci_bundle *b, const char *id, pid_t pid, char *err, size_t errlen)
{
    if (!b->hooks)
        return 0;
    json_t *st = json_pack("{s:s, s:s, s:s, s:I, s:s, s:O}", "ociVersion", OCI_VERSION, "id", id,
                           "status", "creating", "pid", (json_int_t)pid, "bundle", b->dir,
                           "annotations", b->annotations);
    char *text = st ? json_dumps(st, JSON_COMPACT) : NULL;
    json_decref(st);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = oci_hooks_run(b->hooks, "prestart", text, err, errlen);
    if (rc == 0)
        rc = oci_hooks_run(b->hooks, "createRuntime", text, err, errlen);
    free(text);
    return rc;
}

static int write_pid_file(const char *path, pid_t pid, char *err, size_t errlen)
{
    char tmp[PATH_MAX + 8];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "we");
    if (!f || fprintf(f, "%d", (int)pid) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write pid file %s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* mkdir -p of --root (engines pass paths like /run/docker/runtime-runc/moby). */
static int make_root(const char *root)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof(path), "%s", root);
    if (n <= 0 || (size_t)n >= sizeof(path))
        return -1;
    for (char *s = path + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(path, 0711) < 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    return mkdir(path, 0711) < 0 && errno != EEXIST ? -1 : 0;
}

/* Everything create does before the fork; fills p and st. */
static int prepare(struct oci_bundle *b, struct image *img, struct plan *p,
                   struct oci_state *st, char *err, size_t errlen)
{
    char image_path[PATH_MAX], tar[PATH_MAX + 16], accel[8];
    snprintf(tar, sizeof(tar), "%s/image.unf", st->dir);
    if (oci_bundle_image_path(b, tar, image_path, sizeof(image_path), err, errlen) < 0 ||
        image_open(image_path, img, err, errlen) < 0)
        return -1;
    struct utsname u;
    uname(&u);
    unsigned have = driver_kernels_offered(img, u.machine);
    if (!have) {
        snprintf(err, errlen, "image %s has no kernel for %s", img->name, u.machine);
        return -1;
    }
    p->drv = driver_select(b->platform, b->accel, have, accel, sizeof(accel), err, errlen);
    if (!p->drv)
        return -1;
    const struct image_kernel *k = image_find_kernel(img, u.machine, p->drv->kernel_platform);
    snprintf(p->kernel, sizeof(p->kernel), "%s/kernel", st->dir);
    snprintf(p->archive, sizeof(p->archive), "%s/archive.tar", st->dir);
    if (!k || image_extract_kernel(img, k, p->kernel, err, errlen) < 0 ||
        image_extract_files(img, p->archive, err, errlen) < 0)
        return -1;
    p->has_archive = img->has_files && access(p->archive, R_OK) == 0;
    p->kvm = strcmp(accel, "kvm") == 0;
    p->mem = img->mem_bytes;
    if (b->limits.memory)
        p->mem = b->limits.memory > p->drv->overhead + OCI_MEM_FLOOR ? b->limits.memory - p->drv->overhead : OCI_MEM_FLOOR;
    snprintf(p->name, sizeof(p->name), "%s", img->name);
    guest_args(b, img, p->args, sizeof(p->args));
    snprintf(st->platform, sizeof(st->platform), "%s", p->drv->name);
    snprintf(st->accel, sizeof(st->accel), "%s", accel);
    oci_log_debug("create %s: image %s, platform %s, accel %s, mem %llu, args%s", st->id, img->name,
                  p->drv->name, accel, (unsigned long long)p->mem, p->args);
    return 0;
}

int oci_create(const struct oci_opts *o, const char *id)
{
    char err[1024] = "";
    struct oci_bundle b;
    struct image img;
    struct oci_state st;
    struct plan p;
    memset(&b, 0, sizeof(b));
    memset(&img, 0, sizeof(img));
    memset(&st, 0, sizeof(st));
    memset(&p, 0, sizeof(p));
    int made_dir = 0, sync[2] = {-1, -1}, go[2] = {-1, -1}, rc = 1;
    pid_t pid = -1;
    if (!oci_id_valid(id)) {
        snprintf(err, sizeof(err), "invalid container ID '%s'", id);
        goto out;
    }
    if (make_root(o->root) < 0) {
        snprintf(err, sizeof(err), "cannot create %s: %s", o->root, strerror(errno));
        goto out;
    }
    snprintf(st.id, sizeof(st.id), "%s", id);
    oci_state_path(o->root, id, NULL, st.dir, sizeof(st.dir));
    if (access(st.dir, F_OK) == 0) {
        snprintf(err, sizeof(err), "container %s already exists", id);
        goto out;
    }
    if (oci_bundle_load(o->bundle, &b, err, sizeof(err)) < 0)
        goto out;
    if (mkdir(st.dir, 0700) < 0) {
        snprintf(err, sizeof(err), errno == EEXIST ? "container %s already exists" : "cannot create state for %s", id);
        goto out;
    }
    made_dir = 1;
    p.b = &b;
    p.o = o;
    if (prepare(&b, &img, &p, &st, err, sizeof(err)) < 0)
        goto out;
    snprintf(p.fifo, sizeof(p.fifo), "%s/exec.fifo", st.dir);
    if (mkfifo(p.fifo, 0600) < 0 || pipe2(sync, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0) {
        snprintf(err, sizeof(err), "cannot create the exec FIFO: %s", strerror(errno));
        goto out;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        snprintf(err, sizeof(err), "fork: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        close(sync[0]);
        close(go[1]);
        holder(&p, sync[1], go[0]);
    }
    close(sync[1]);
    close(go[0]);
    sync[1] = go[0] = -1;
    struct holder_msg m;
    ssize_t got = read(sync[0], &m, sizeof(m));
    if (got == (ssize_t)sizeof(m) && m.ok && m.stage == 1) {
        if (run_create_hooks(&b, id, pid, err, sizeof(err)) < 0)
            goto out;
        if (write(go[1], "1", 1) != 1) {
            snprintf(err, sizeof(err), "the holder process died while setting up");
            goto out;
        }
        got = read(sync[0], &m, sizeof(m));
    }
    if (got != (ssize_t)sizeof(m) || !m.ok || m.stage != 2) {
        snprintf(err, sizeof(err), "%s", got == (ssize_t)sizeof(m) ? m.err : "the holder process died while setting up");
        goto out;
    }
    st.pid = pid;
    st.pid_start = oci_proc_start(pid);
    st.net = m.net;
    st.systemd_cgroup = o->systemd_cgroup;
    st.annotations = json_incref(b.annotations);
    st.hooks = b.hooks ? json_incref(b.hooks) : NULL;
    snprintf(st.bundle, sizeof(st.bundle), "%s", b.dir);
    snprintf(st.rootfs, sizeof(st.rootfs), "%s", b.rootfs);
    snprintf(st.cgroup, sizeof(st.cgroup), "%s", b.cgroups_path);
    snprintf(st.netns, sizeof(st.netns), "%s", b.netns_kind == OCI_NETNS_PATH ? b.netns : "");
    oci_now_rfc3339(st.created, sizeof(st.created));
    if (oci_state_save(&st, err, sizeof(err)) < 0 ||
        (o->pid_file && write_pid_file(o->pid_file, pid, err, sizeof(err)) < 0))
        goto out;
    rc = 0;
out:
    if (rc != 0) {
        if (pid > 0) {
            kill(pid, SIGKILL);
            waitpid(pid, NULL, 0);
            if (st.net.tap && b.netns_kind == OCI_NETNS_PATH) { /* the holder wired it: undo from here */
                pid_t c = fork();
                if (c == 0) {
                    char e[256];
                    if (oci_net_enter(b.netns, e, sizeof(e)) == 0)
                        oci_net_unwire(&st.net);
                    _exit(0);
                }
                if (c > 0)
                    waitpid(c, NULL, 0);
            }
            oci_cgroup_remove(b.cgroups_path, o->systemd_cgroup);
        }
        if (made_dir)
            oci_state_remove_dir(st.dir);
        oci_log_error("create %s: %s", id, err);
    }
    for (int i = 0; i < 2; i++) {
        if (sync[i] >= 0)
            close(sync[i]);
        if (go[i] >= 0)
            close(go[i]);
    }
    image_free(&img);
    oci_state_free(&st);
    oci_bundle_free(&b);
    return rc;
}

int oci_start(const struct oci_opts *o, const char *id)
{
    char err[512];
    struct oci_state st;
    if (oci_state_load(o->root, id, &st, err, sizeof(err)) < 0) {
        oci_log_error("start: %s", err);
        return 1;
    }
    int rc = 1;
    const char *status = oci_state_status(&st);
    char fifo[PATH_MAX + 16];
    snprintf(fifo, sizeof(fifo), "%s/exec.fifo", st.dir);
    int fd = -1;
    if (strcmp(status, "created") != 0) {
        oci_log_error("start %s: cannot start a container that is %s", id, status);
        goto out;
    }
    fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* releases the holder's open */
    if (fd < 0) {
        oci_log_error("start %s: %s: %s", id, fifo, strerror(errno));
        goto out;
    }
    for (int waited = 0; waited < 5000; waited += 5) { /* poll() says POLLHUP before a writer */
        char c;
        if (read(fd, &c, 1) == 1) {
            rc = 0;
            break;
        }
        if (!oci_proc_start(st.pid))
            break;
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
    if (rc != 0)
        oci_log_error("start %s: the container's process did not take the start signal", id);
    unlink(fifo);
    if (rc == 0 && st.hooks) { /* a failing poststart hook is reported, the container runs on */
        json_t *j = oci_state_json(&st);
        char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
        if (text && oci_hooks_run(st.hooks, "poststart", text, err, sizeof(err)) < 0)
            oci_log_debug("start %s: %s", id, err);
        free(text);
        json_decref(j);
    }
out:
    if (fd >= 0)
        close(fd);
    oci_state_free(&st);
    return rc;
}
