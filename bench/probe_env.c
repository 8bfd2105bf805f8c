/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Builds and removes the probe benchmark's world (see probe_env.h). The path is made with
 * iproute2 outside every timed region; ICMP rate limits are lifted in the forwarding namespaces
 * so that the rate experiment measures the probers, not Linux's ICMP token buckets. Objects have
 * fixed names under a lock, so a later run can remove whatever a killed run left behind.
 */
#include "probe_env.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../runtime/cgroup.h"
#include "runc.h"
#include "harness.h"
#include "netns.h"
#include "sys.h"

#define CMD_MS 15000
#define CG_V1_ROOT "/sys/fs/cgroup"

static const char *const namespaces[] = {PENV_NS_SRC, "unfbp-r1", "unfbp-r2", "unfbp-dst", PENV_NS_CT};

/* ---- small helpers ----------------------------------------------------------------------- */

/* Runs a command; on failure writes "CMD...: OUTPUT" into err (when given). */
static int cmd(const char *const argv[], char *err, size_t errlen)
{
    char out[512];
    int rc = bench_cmd(argv, out, sizeof(out), CMD_MS);
    if (rc == 0)
        return 0;
    if (err) {
        char args[256] = "";
        for (int i = 0; argv[i]; i++) {
            size_t used = strlen(args);
            snprintf(args + used, sizeof(args) - used, "%s%s", i ? " " : "", argv[i]);
        }
        bench_fmt(err, errlen, "'%s' failed (status %d): %s", args, rc, bench_chomp(out));
    }
    return -1;
}

static int sysctls(const char *ns, int forward, char *err, size_t errlen)
{
    const char *const settings[] = {forward ? "net.ipv4.ip_forward=1" : "net.ipv4.ip_forward=0",
                                    "net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=1000000",
                                    "net.ipv4.icmp_msgs_burst=1000000", NULL};
    return bench_ns_sysctl(ns, settings, err, errlen);
}

/* One batch of newline-separated ip commands in ns (NULL: the host). */
static int ip_batch(const char *ns, const char *lines, char *err, size_t errlen)
{
    return bench_ip_batch(ns, err, errlen, "%s", lines);
}

/* ---- the path ---------------------------------------------------------------------------- */

static int net_up(struct penv *e, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
        if (bench_ns_add(namespaces[i], err, errlen) < 0)
            return -1;
    }
    e->net_up = 1;
    /* veth pairs are created in the host namespace and their ends moved into place. */
    if (ip_batch(NULL,
                 "link add ubp0 type veth peer name ubp1\n"
                 "link set ubp0 netns " PENV_NS_SRC " name up0\n"
                 "link set ubp1 netns unfbp-r1 name down0\n"
                 "link add ubp2 type veth peer name ubp3\n"
                 "link set ubp2 netns unfbp-r1 name up0\n"
                 "link set ubp3 netns unfbp-r2 name down0\n"
                 "link add ubp4 type veth peer name ubp5\n"
                 "link set ubp4 netns unfbp-r2 name up0\n"
                 "link set ubp5 netns unfbp-dst name eth0\n"
                 "link add ubp6 type veth peer name ubp7\n"
                 "link set ubp6 netns " PENV_NS_SRC " name ctp\n"
                 "link set ubp7 netns " PENV_NS_CT " name eth0\n",
                 err, errlen) < 0)
        return -1;
    if (ip_batch(PENV_NS_SRC,
                 "link set lo up\n"
                 /* A fixed MAC: a bridge otherwise takes the lowest of its ports', and the
                  * gateway's address would move under the neighbours' feet as taps join. */
                 "link add br0 address 02:00:0a:5c:00:01 type bridge stp_state 0 forward_delay 0\n"
                 "addr add " PENV_GW "/16 dev br0\n"
                 "link set br0 up\n"
                 "link set ctp master br0 up\n"
                 "addr add 10.93.1.1/30 dev up0\n"
                 "link set up0 up\n"
                 "route add default via 10.93.1.2\n"
                 "route add blackhole 10.95.0.0/16\n",
                 err, errlen) < 0 ||
        ip_batch("unfbp-r1",
                 "link set lo up\n"
                 "addr add 10.93.1.2/30 dev down0\n"
                 "addr add 10.93.2.1/30 dev up0\n"
                 "link set down0 up\n"
                 "link set up0 up\n"
                 "route add 10.92.0.0/16 via 10.93.1.1\n"
                 "route add default via 10.93.2.2\n",
                 err, errlen) < 0 ||
        ip_batch("unfbp-r2",
                 "link set lo up\n"
                 "addr add 10.93.2.2/30 dev down0\n"
                 "addr add 10.93.3.1/30 dev up0\n"
                 "link set down0 up\n"
                 "link set up0 up\n"
                 "route add default via 10.93.2.1\n"
                 "route add 10.94.0.0/16 via 10.93.3.2\n",
                 err, errlen) < 0 ||
        ip_batch("unfbp-dst",
                 "link set lo up\n"
                 "addr add " PENV_TARGET "/30 dev eth0\n"
                 "link set eth0 up\n"
                 "route add default via 10.93.3.1\n"
                 "route add local 10.94.0.0/16 dev lo\n",
                 err, errlen) < 0 ||
        ip_batch(PENV_NS_CT,
                 "link set lo up\n"
                 "addr add 10.92.0.2/16 dev eth0\n"
                 "link set eth0 up\n"
                 "route add default via " PENV_GW "\n",
                 err, errlen) < 0)
        return -1;
    if (sysctls(PENV_NS_SRC, 1, err, errlen) < 0 || sysctls("unfbp-r1", 1, err, errlen) < 0 ||
        sysctls("unfbp-r2", 1, err, errlen) < 0 || sysctls("unfbp-dst", 0, err, errlen) < 0 ||
        sysctls(PENV_NS_CT, 0, err, errlen) < 0)
        return -1;
    /* The path forwards once the destination answers from the container namespace. */
    const char *ping[] = {"ip", "netns", "exec", PENV_NS_CT, "ping", "-c", "1", "-W", "1", PENV_TARGET, NULL};
    for (int i = 0; i < 10; i++) {
        if (cmd(ping, err, errlen) == 0)
            return 0;
        if (bench_sleep_ms(200) < 0)
            break;
    }
    return -1;
}

void penv_slot(int i, char ip[20], char mac[20], char tap[16])
{
    snprintf(ip, 20, "10.92.%d.%d", 1 + i / 250, 1 + i % 250);
    snprintf(mac, 20, "52:54:00:92:%02x:%02x", (unsigned)(i >> 8) & 0xff, (unsigned)i & 0xff);
    snprintf(tap, 16, "tp%d", i);
}

int penv_taps(struct penv *e, int n)
{
    char err[512];
    if (n > PENV_MAX_TAPS)
        n = PENV_MAX_TAPS;
    if (n <= e->ntaps)
        return e->ntaps;
    size_t cap = (size_t)(n - e->ntaps) * 96 + 1;
    char *lines = calloc(1, cap);
    if (!lines)
        return e->ntaps;
    size_t used = 0;
    for (int i = e->ntaps; i < n; i++) {
        char ip[20], mac[20], tap[16];
        penv_slot(i, ip, mac, tap);
        used += (size_t)snprintf(lines + used, cap - used, "tuntap add dev %s mode tap\nlink set %s master br0 up\n", tap, tap);
    }
    if (ip_batch(PENV_NS_SRC, lines, err, sizeof(err)) == 0)
        e->ntaps = n;
    else
        fprintf(stderr, "bench: taps: %s\n", err);
    free(lines);
    return e->ntaps;
}

/* ---- artefacts --------------------------------------------------------------------------- */

/* The container's rootfs (busybox + the static probe as /probe); a failure skips the runc row. */
static void runc_rootfs(struct penv *e)
{
    char why[512], from[PATH_MAX + 16], to[PATH_MAX + 16];
    if (bench_runc_bundle(e->bundle, e->native, "/var/run/netns/" PENV_NS_CT, "0.0.0.0:9", why, sizeof(why)) < 0) {
        bench_fmt(e->skip[PV_RUNC], sizeof(e->skip[0]), "bundle: %s", why);
        return;
    }
    /* runc.c names the copied binary /echo. */
    bench_fmt(from, sizeof(from), "%s/rootfs/echo", e->bundle);
    bench_fmt(to, sizeof(to), "%s/rootfs/probe", e->bundle);
    if (rename(from, to) < 0)
        bench_fmt(e->skip[PV_RUNC], sizeof(e->skip[0]), "rename %s: %s", from, strerror(errno));
}

static int make_artefacts(struct penv *e, char *err, size_t errlen)
{
    char dst[PATH_MAX + 32];
    if (bench_mkdir_p(e->www, 0755) < 0 || bench_mkdir_p(e->logs, 0755) < 0 || bench_mkdir_p(e->runc_root, 0700) < 0) {
        bench_fmt(err, errlen, "mkdir under %s: %s", PENV_WORK, strerror(errno));
        return -1;
    }
    bench_fmt(dst, sizeof(dst), "%s/probe.unf", e->www);
    if (!e->skip[PV_PROC][0] || !e->skip[PV_QEMU][0]) {
        if (bench_copy_file(e->image, dst, 0644) < 0) {
            bench_fmt(err, errlen, "copy %s: %s", e->image, strerror(errno));
            return -1;
        }
    }
    bench_fmt(dst, sizeof(dst), "%s/probe", e->www);
    if (bench_copy_file(e->native, dst, 0644) < 0) {
        bench_fmt(err, errlen, "copy %s: %s", e->native, strerror(errno));
        return -1;
    }
    if (!e->skip[PV_RUNC][0])
        runc_rootfs(e);
    return 0;
}

static int start_httpd(struct penv *e, char *err, size_t errlen)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || getsockname(s, (struct sockaddr *)&a, &alen) < 0) {
        bench_fmt(err, errlen, "free port: %s", strerror(errno));
        if (s >= 0)
            close(s);
        return -1;
    }
    close(s); /* a free port now; the server binds it a moment later */
    e->port = ntohs(a.sin_port);
    char listen[32], url[64], log[PATH_MAX + 16];
    bench_fmt(listen, sizeof(listen), "127.0.0.1:%u", e->port);
    bench_fmt(url, sizeof(url), "http://127.0.0.1:%u/probe", e->port);
    bench_fmt(log, sizeof(log), "%s/httpd.log", e->logs);
    const char *argv[] = {e->busybox, "httpd", "-f", "-p", listen, "-h", e->www, NULL};
    e->httpd = penv_spawn(argv, NULL, 0, log);
    if (e->httpd < 0) {
        bench_fmt(err, errlen, "cannot start busybox httpd");
        return -1;
    }
    const char *get[] = {e->curl, "-sf", "-o", "/dev/null", url, NULL};
    for (int i = 0; i < 50; i++) {
        if (bench_cmd(get, NULL, 0, 2000) == 0)
            return 0;
        if (bench_sleep_ms(100) < 0)
            break;
    }
    bench_fmt(err, errlen, "busybox httpd on %s does not answer", listen);
    return -1;
}

/* ---- spawning ---------------------------------------------------------------------------- */

pid_t penv_spawn(const char *const argv[], const char *ns, int cg, const char *log)
{
    pid_t pid = fork();
    if (pid != 0) {
        if (pid > 0 && setpgid(pid, pid) < 0 && errno != EACCES && errno != ESRCH)
            fprintf(stderr, "bench: setpgid: %s\n", strerror(errno));
        return pid;
    }
    if (setpgid(0, 0) < 0)
        _exit(126);
    if (ns && bench_ns_enter(ns) < 0)
        _exit(126);
    if (cg && cgroup_attach(PENV_CGROUP, getpid()) < 0)
        _exit(126);
    int null_fd = open("/dev/null", O_RDWR);
    int out = log ? open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644) : null_fd;
    if (null_fd < 0 || out < 0 || dup2(null_fd, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
        _exit(126);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execvp(argv[0], (char *const *)argv); /* the QEMU driver names qemu-system-x86_64 for PATH */
    _exit(127);
}

int penv_wait(pid_t pid, long timeout_ms, int *status)
{
    double deadline = bench_now_ms() + (double)timeout_ms;
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid) {
            if (pidfd >= 0)
                close(pidfd);
            return 0;
        }
        double left = deadline - bench_now_ms();
        if (bench_interrupted || left <= 0 || (w < 0 && errno != EINTR))
            break;
        struct pollfd p = {.fd = pidfd, .events = POLLIN};
        if (pidfd >= 0)
            poll(&p, 1, (int)left + 1);
        else
            bench_sleep_ms(left > 5 ? 5 : (long)left + 1);
    }
    kill(-pid, SIGKILL);
    while (waitpid(pid, status, 0) < 0 && errno == EINTR)
        ;
    if (pidfd >= 0)
        close(pidfd);
    return -1;
}

int penv_run(const char *const argv[], const char *ns, int cg, const char *log, long timeout_ms)
{
    int status = 0;
    pid_t pid = penv_spawn(argv, ns, cg, log);
    if (pid < 0)
        return -1;
    if (penv_wait(pid, timeout_ms, &status) < 0)
        return -1;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int penv_log_has(const char *path, const char *needle)
{
    static char buf[65536];
    if (bench_read_file(path, buf, sizeof(buf)) <= 0)
        return 0;
    return strstr(buf, needle) != NULL;
}

const char *penv_name(const struct penv *e, int v)
{
    static const char *const names[PV_COUNT] = {"native", "runc", "proc", "qemu"};
    if (v == PV_QEMU)
        return e->kvm ? "qemu-microvm-kvm" : "qemu-microvm-tcg";
    return v >= 0 && v < PV_COUNT ? names[v] : "?";
}

/* ---- up and down ------------------------------------------------------------------------- */

static void remove_containers(struct penv *e)
{
    char out[16384];
    if (!e->runc[0] || access(e->runc_root, F_OK) != 0)
        return;
    const char *list[] = {e->runc, "--root", e->runc_root, "list", "-q", NULL};
    if (bench_cmd(list, out, sizeof(out), CMD_MS) != 0)
        return;
    char *save = NULL;
    for (char *id = strtok_r(out, "\n", &save); id; id = strtok_r(NULL, "\n", &save)) {
        const char *del[] = {e->runc, "--root", e->runc_root, "delete", "--force", id, NULL};
        char state[PATH_MAX + 64];
        bench_fmt(state, sizeof(state), "%s/%s", e->runc_root, id);
        /* A container whose creation was cut short cannot be loaded: its processes die with
         * the cgroup, and its state directory is all that is left of it. */
        if (bench_cmd(del, NULL, 0, CMD_MS) != 0 && bench_rm_rf(state) < 0)
            fprintf(stderr, "bench: could not remove container %s\n", id);
    }
}

/* runc makes unf-benchprobe/<id> in every v1 controller; the parents stay behind. */
static void remove_cgroup_dirs(void)
{
    DIR *d = opendir(CG_V1_ROOT);
    struct dirent *ent;
    while (d && (ent = readdir(d))) {
        char dir[512];
        if (ent->d_name[0] == '.')
            continue;
        snprintf(dir, sizeof(dir), "%s/%s/unf-%s", CG_V1_ROOT, ent->d_name, PENV_CGROUP);
        DIR *sub = opendir(dir);
        struct dirent *c;
        while (sub && (c = readdir(sub))) {
            char child[800];
            struct stat st;
            snprintf(child, sizeof(child), "%s/%s", dir, c->d_name);
            if (c->d_name[0] != '.' && stat(child, &st) == 0 && S_ISDIR(st.st_mode))
                rmdir(child);
        }
        if (sub) {
            closedir(sub);
            rmdir(dir);
        }
    }
    if (d)
        closedir(d);
}

void penv_cgroup_down(struct penv *e)
{
    remove_containers(e);
    remove_cgroup_dirs();
    cgroup_remove(PENV_CGROUP);
}

/* A httpd of a killed earlier run, recorded in WORK/httpd.pid. */
static void kill_stale_httpd(void)
{
    char buf[64], path[64], cmdline[256];
    if (bench_read_file(PENV_WORK "/httpd.pid", buf, sizeof(buf)) <= 0)
        return;
    long pid = strtol(buf, NULL, 10);
    snprintf(path, sizeof(path), "/proc/%ld/cmdline", pid);
    long n = pid > 1 ? bench_read_file(path, cmdline, sizeof(cmdline)) : -1;
    if (n > 0 && memmem(cmdline, (size_t)n, "httpd", 5))
        kill((pid_t)-pid, SIGKILL);
}

void penv_down(struct penv *e)
{
    if (e->httpd > 0) {
        kill(-e->httpd, SIGKILL);
        while (waitpid(e->httpd, NULL, 0) < 0 && errno == EINTR)
            ;
        e->httpd = -1;
    }
    kill_stale_httpd();
    penv_cgroup_down(e);
    for (size_t i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
        if (bench_ns_del(namespaces[i]) < 0)
            fprintf(stderr, "bench: warning: could not delete namespace %s\n", namespaces[i]);
    }
    /* A veth still in the host namespace (setup stopped half way). */
    for (int i = 0; i < 8; i++) {
        char name[16];
        snprintf(name, sizeof(name), "ubp%d", i);
        bench_link_del(name);
    }
    e->net_up = 0;
    e->ntaps = 0;
    if (e->work_made && bench_rm_rf(PENV_WORK) < 0)
        fprintf(stderr, "bench: warning: could not remove %s: %s\n", PENV_WORK, strerror(errno));
}

static void check_variants(struct penv *e)
{
    char *s;
    if (!bench_is_exec(e->native))
        bench_fmt(e->skip[PV_NATIVE], sizeof(e->skip[0]), "%s missing (make build/native/probe)", e->native);
    s = e->skip[PV_RUNC];
    if (!e->runc[0])
        bench_fmt(s, sizeof(e->skip[0]), "runc not found in PATH");
    else if (!bench_is_exec(BENCH_BUSYBOX))
        bench_fmt(s, sizeof(e->skip[0]), "%s missing (package busybox-static)", BENCH_BUSYBOX);
    else if (e->skip[PV_NATIVE][0])
        bench_fmt(s, sizeof(e->skip[0]), "%s", e->skip[PV_NATIVE]);
    if (access(e->image, R_OK) != 0) {
        bench_fmt(e->skip[PV_PROC], sizeof(e->skip[0]), "%s missing (make build/images/probe.unf)", e->image);
        bench_fmt(e->skip[PV_QEMU], sizeof(e->skip[0]), "%s missing (make build/images/probe.unf)", e->image);
    }
    if (!e->skip[PV_PROC][0] && !bench_is_exec(e->unf_proc))
        bench_fmt(e->skip[PV_PROC], sizeof(e->skip[0]), "%s missing (make build/bin/unf-proc)", e->unf_proc);
    if (!e->skip[PV_QEMU][0] && !e->qemu[0])
        bench_fmt(e->skip[PV_QEMU], sizeof(e->skip[0]), "qemu-system-x86_64 not found in PATH");
}

int penv_up(struct penv *e, char *err, size_t errlen)
{
    char pid[32];
    e->httpd = -1;
    if (bench_root(e->root, sizeof(e->root)) < 0) {
        bench_fmt(err, errlen, "cannot find the repository root");
        return -1;
    }
    bench_fmt(e->native, sizeof(e->native), "%s/build/native/probe", e->root);
    bench_fmt(e->unf_proc, sizeof(e->unf_proc), "%s/build/bin/unf-proc", e->root);
    bench_fmt(e->kproc, sizeof(e->kproc), "%s/build/kernels/probe/x86_64-proc", e->root);
    bench_fmt(e->kvirtio, sizeof(e->kvirtio), "%s/build/kernels/probe/x86_64-virtio", e->root);
    bench_fmt(e->image, sizeof(e->image), "%s/build/images/probe.unf", e->root);
    bench_fmt(e->www, sizeof(e->www), "%s/www", PENV_WORK);
    bench_fmt(e->bundle, sizeof(e->bundle), "%s/bundle", PENV_WORK);
    bench_fmt(e->runc_root, sizeof(e->runc_root), "%s/runc", PENV_WORK);
    bench_fmt(e->logs, sizeof(e->logs), "%s/logs", PENV_WORK);
    bench_find_in_path("qemu-system-x86_64", e->qemu, sizeof(e->qemu));
    bench_find_in_path("runc", e->runc, sizeof(e->runc));
    bench_find_in_path("curl", e->curl, sizeof(e->curl));
    bench_find_in_path("busybox", e->busybox, sizeof(e->busybox));
    bench_find_in_path("scamper", e->scamper, sizeof(e->scamper));
    if (!e->curl[0] || !e->busybox[0]) {
        bench_fmt(err, errlen, "the benchmark needs curl and busybox (httpd) in PATH");
        return -1;
    }
    check_variants(e);
    e->work_made = 1;
    penv_down(e); /* leftovers of a run that was killed outright */
    e->work_made = 1;
    if (bench_mkdir_p(e->logs, 0755) < 0) {
        bench_fmt(err, errlen, "mkdir %s: %s", e->logs, strerror(errno));
        return -1;
    }
    if (net_up(e, err, errlen) < 0 || make_artefacts(e, err, errlen) < 0 || start_httpd(e, err, errlen) < 0)
        return -1;
    snprintf(pid, sizeof(pid), "%d\n", (int)e->httpd);
    FILE *f = fopen(PENV_WORK "/httpd.pid", "w");
    if (f) {
        fputs(pid, f);
        fclose(f);
    }
    return 0;
}
