/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf run` (see run.h). Creation is all-or-nothing: any failure before the monitor reports
 * "ok" removes whatever was made (network, cgroup, state directory) before exiting.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "cmd.h"
#include "driver.h"
#include "image.h"
#include "instance.h"
#include "monitor.h"

#define RUN_FAILED 125
#define MIB (1024ull * 1024)
#define MEM_MIN (2 * MIB)
#define MEM_MAX (64ull * 1024 * MIB)

struct run_opts {
    int detach;
    const char *name;
    const char *platform;
    const char *accel;          /* auto, kvm, tcg */
    const char *arch;           /* the kernel's architecture; NULL: the host's */
    const char *nic;            /* packet, xdp; NULL: the platform's own */
    uint64_t mem;               /* 0: the image's default */
    double cpus;
    struct net_port ports[NET_MAX_PORTS];
    int nports;
    const char *image;
    char **args;
    int nargs;
};

static volatile sig_atomic_t interrupted;
static void on_signal(int sig) { interrupted = sig; }

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "unf run: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (usage: unf run [-d] [--name N] [--platform P] [--accel auto|kvm|tcg] [--arch x86_64|aarch64] "
                    "[--mem SIZE] [--cpus N] [--nic packet|xdp] [-p HOST:GUEST[/udp]] IMAGE [-- ARGS])\n");
    return 2;
}

static int parse_opts(int argc, char **argv, struct run_opts *o)
{
    int i = 1;
    o->platform = "auto";
    o->accel = "auto";
    for (; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--") != 0; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-d") == 0 || strcmp(a, "--detach") == 0) {
            o->detach = 1;
            continue;
        }
        if (strcmp(a, "--name") && strcmp(a, "--platform") && strcmp(a, "--accel") && strcmp(a, "--arch") &&
            strcmp(a, "--mem") && strcmp(a, "--cpus") && strcmp(a, "--nic") && strcmp(a, "-p") &&
            strcmp(a, "--publish"))
            return usage_error("unknown option '%s'", a);
        if (!v)
            return usage_error("option '%s' needs a value", a);
        i++;
        if (strcmp(a, "--name") == 0) {
            if (!instance_name_valid(v))
                return usage_error("bad name '%s' (letters, digits, '_', '.', '-'; at most 40)", v);
            o->name = v;
        } else if (strcmp(a, "--platform") == 0) {
            if (strcmp(v, "auto") != 0 && !driver_find(v))
                return usage_error("unknown platform '%s' (auto, proc, hvt, qemu, qemu-microvm, qemu-q35, qemu-virt)",
                                   v);
            o->platform = v;
        } else if (strcmp(a, "--accel") == 0) {
            if (strcmp(v, "auto") && strcmp(v, "kvm") && strcmp(v, "tcg"))
                return usage_error("unknown accelerator '%s' (auto, kvm, tcg)", v);
            o->accel = v;
        } else if (strcmp(a, "--arch") == 0) {
            if (strcmp(v, "x86_64") && strcmp(v, "aarch64"))
                return usage_error("unknown architecture '%s' (x86_64, aarch64)", v);
            o->arch = v;
        } else if (strcmp(a, "--nic") == 0) {
            if (strcmp(v, "packet") && strcmp(v, "xdp"))
                return usage_error("unknown NIC kind '%s' (packet, xdp)", v);
            o->nic = v;
        } else if (strcmp(a, "--mem") == 0) {
            if (image_parse_size(v, &o->mem) < 0 || o->mem < MEM_MIN || o->mem > MEM_MAX)
                return usage_error("bad memory size '%s' (2M to 64G, e.g. 8M)", v);
        } else if (strcmp(a, "--cpus") == 0) {
            char *end;
            o->cpus = strtod(v, &end);
            if (*end || end == v || !(o->cpus >= 0.01 && o->cpus <= 64))
                return usage_error("bad CPU count '%s' (0.01 to 64)", v);
        } else {
            if (o->nports == NET_MAX_PORTS)
                return usage_error("too many published ports (at most 16)%s", "");
            if (net_port_parse(v, &o->ports[o->nports++]) < 0)
                return usage_error("bad port mapping '%s' (HOST:GUEST[/udp|/tcp])", v);
        }
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    if (i >= argc)
        return usage_error("no image given%s", "");
    o->image = argv[i++];
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i < argc)
        return usage_error("unexpected '%s' after the image (guest arguments follow '--')", argv[i]);
    o->args = argv + i;
    o->nargs = argc - i;
    return 0;
}

static int port_clash(const struct run_opts *o, char *err, size_t errlen)
{
    char **names;
    int n = instance_list(&names), clash = 0;
    for (int i = 0; i < n && !clash; i++) {
        struct instance in;
        char e[256];
        /* an exited instance holds its ports until its monitor has removed its rules */
        if (instance_load(names[i], &in, e, sizeof(e)) < 0 || instance_settled(&in))
            continue;
        for (int a = 0; a < o->nports; a++)
            for (int b = 0; b < in.net.nports; b++)
                if (o->ports[a].host == in.net.ports[b].host && o->ports[a].udp == in.net.ports[b].udp && !clash) {
                    snprintf(err, errlen, "port %u/%s is already published by %s", o->ports[a].host,
                             o->ports[a].udp ? "udp" : "tcp", in.name);
                    clash = 1;
                }
    }
    instance_list_free(names, n);
    return clash;
}

/* The guest's addresses, and IPv6 when the host has it: the instance's ULA, routed to its link. */
static void build_cmdline(struct instance *in, const struct image *img, const struct run_opts *o)
{
    char ip6[64] = "", addr6[48];
    if (net_host_ipv6())
        snprintf(ip6, sizeof(ip6), " unf.ip6_0=%s/%d", net_instance_ip6(&in->net, addr6, sizeof(addr6)),
                 NET_PREFIX6_LEN);
    size_t used = (size_t)snprintf(in->cmdline, sizeof(in->cmdline), "unf.name=%s unf.ip0=%s/%d unf.gw0=%s%s --",
                                   img->name, in->net.ip, NET_PREFIX_LEN, NET_HOST_IP, ip6);
    char *const *args = o->nargs ? o->args : img->args;
    int nargs = o->nargs ? o->nargs : img->nargs;
    for (int i = 0; i < nargs && used < sizeof(in->cmdline); i++) {
        int quote = strpbrk(args[i], " \t") != NULL || !args[i][0];
        used += (size_t)snprintf(in->cmdline + used, sizeof(in->cmdline) - used, quote ? " \"%s\"" : " %s", args[i]);
    }
}

/* Allocates name and address and writes the "creating" state. Caller holds the lock. */
static int reserve(struct instance *in, const struct image *img, const struct run_opts *o,
                   const struct driver *d, const char *accel, char *err, size_t errlen)
{
    if (o->name) {
        if (instance_exists(o->name)) {
            snprintf(err, errlen, "the name %s is already in use (unf rm %s to reuse it)", o->name, o->name);
            return -1;
        }
        snprintf(in->name, sizeof(in->name), "%s", o->name);
    } else {
        unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);
        do
            snprintf(in->name, sizeof(in->name), "%.30s-%04x", img->name, (seed = seed * 1103515245u + 12345u) >> 16 & 0xffff);
        while (instance_exists(in->name));
    }
    if (port_clash(o, err, errlen))
        return -1;
    uint32_t offset = instance_free_offset();
    if (!offset) {
        snprintf(err, errlen, "no free address left in 10.90.0.0/16");
        return -1;
    }
    net_instance_init(&in->net, in->name, offset);
    in->net.packet_link = d->packet_links; /* proc: eth0 itself through a packet socket, no tap */
    if (o->nic && !d->packet_links) {
        snprintf(err, errlen, "--nic %s needs a platform that takes eth0 itself (proc, hvt), not %s", o->nic, d->name);
        return -1;
    }
    /* AF_XDP in unf-proc (the guest drives the rings) and unf-hvt (the tender does); the host
     * veth already sends full checksums (packet layout) */
    if (o->nic && strcmp(o->nic, "xdp") == 0) {
        if (strcmp(d->name, "proc") != 0 && strcmp(d->name, "hvt") != 0) {
            snprintf(err, errlen, "--nic xdp needs the proc or hvt platform, not %s", d->name);
            return -1;
        }
        in->net.xdp_link = 1;
    }
    memcpy(in->net.ports, o->ports, sizeof(o->ports));
    in->net.nports = o->nports;
    char dir[256];
    instance_path(in->name, NULL, dir, sizeof(dir));
    if (mkdir(dir, 0700) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(in->image, sizeof(in->image), "%s", o->image);
    snprintf(in->image_name, sizeof(in->image_name), "%s", img->name);
    snprintf(in->platform, sizeof(in->platform), "%s", d->name);
    snprintf(in->accel, sizeof(in->accel), "%s", accel);
    snprintf(in->state, sizeof(in->state), "creating");
    in->monitor_pid = getpid(); /* until the monitor takes over, the creator answers for it */
    in->monitor_start = instance_proc_start(getpid());
    in->exit_code = -1;
    in->mem = o->mem ? o->mem : img->mem_bytes;
    in->cpus = o->cpus;
    in->created_ms = instance_now_ms();
    build_cmdline(in, img, o);
    if (instance_save(in) < 0) {
        snprintf(err, errlen, "cannot write the state of %s", in->name);
        instance_remove_state(in->name);
        return -1;
    }
    return 0;
}

/* Unpacks and wires everything the monitor needs. */
static int prepare(struct instance *in, const struct image *img, const struct image_kernel *k,
                   const struct driver *d, char *err, size_t errlen)
{
    char path[256];
    instance_path(in->name, "kernel", path, sizeof(path));
    if (image_extract_kernel(img, k, path, err, errlen) < 0)
        return -1;
    instance_path(in->name, "archive.tar", path, sizeof(path));
    if (image_extract_files(img, path, err, errlen) < 0)
        return -1;
    if (net_host_setup(err, errlen) < 0 || net_instance_up(&in->net, err, errlen) < 0) {
        /* net_instance_up removed what it made; a namespace or link already there under this
         * instance's names is someone else's, and the caller's teardown must not delete it */
        in->net.offset = 0;
        return -1;
    }
    return cgroup_create(in->name, in->mem + d->overhead, in->cpus, err, errlen);
}

/* Forks the monitor (re-executed as "unf-monitor NAME FD") and waits for its first word. */
static pid_t start_monitor(const struct instance *in, char *err, size_t errlen)
{
    int p[2];
    if (pipe(p) < 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char fd[16], log[256];
        close(p[0]);
        setsid();
        instance_path(in->name, "monitor.log", log, sizeof(log));
        int null_fd = open("/dev/null", O_RDONLY);
        int log_fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (null_fd < 0 || log_fd < 0 || dup2(null_fd, 0) < 0 || dup2(log_fd, 1) < 0 || dup2(log_fd, 2) < 0)
            _exit(1);
        snprintf(fd, sizeof(fd), "%d", p[1]);
        char monitor[4096];
        if (cmd_sibling_path(MONITOR_ARGV0, monitor, sizeof(monitor)) == 0)
            execl(monitor, MONITOR_ARGV0, in->name, fd, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char line[512] = "";
    ssize_t n = pid > 0 ? read(p[0], line, sizeof(line) - 1) : -1;
    close(p[0]);
    if (n > 0)
        line[n] = '\0';
    if (n <= 0 || strncmp(line, "ok", 2) != 0) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        snprintf(err, errlen, "%s", n > 0 ? line : "the monitor failed to start");
        if (pid > 0)
            waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

/* Copies new console output to stdout; returns the new offset. */
static off_t stream_console(const char *name, off_t offset)
{
    char path[256], buf[8192];
    instance_path(name, "console.log", path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return offset;
    ssize_t n;
    while ((n = pread(fd, buf, sizeof(buf), offset)) > 0) {
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n)
            break;
        offset += n;
    }
    fflush(stdout);
    close(fd);
    return offset;
}

static int foreground(const char *name, pid_t monitor)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    off_t offset = 0;
    int forwarded = 0;
    for (;;) {
        offset = stream_console(name, offset);
        int status;
        if (waitpid(monitor, &status, WNOHANG) == monitor)
            break;
        if (interrupted && !forwarded) {
            kill(monitor, SIGTERM);
            forwarded = 1;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    stream_console(name, offset);
    struct instance in;
    char err[256];
    int code = RUN_FAILED;
    if (instance_load(name, &in, err, sizeof(err)) == 0) {
        if (in.reason[0] && strcmp(in.reason, "stopped") != 0)
            fprintf(stderr, "unf: %s: %s\n", name, in.reason);
        code = in.exit_code >= 0 ? in.exit_code : RUN_FAILED;
    }
    instance_remove_state(name);
    return code;
}

int run_main(int argc, char **argv)
{
    struct run_opts o = {0};
    struct image img;
    struct instance in;
    const struct image_kernel *k = NULL;
    char err[1024];
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc;
    instance_reap_all();
    if (image_open(o.image, &img, err, sizeof(err)) < 0) {
        fprintf(stderr, "unf: %s\n", err);
        return RUN_FAILED;
    }
    memset(&in, 0, sizeof(in));
    char accel[8];
    char why[256];
    const struct driver *d = driver_pick(&img, o.arch, o.platform, o.accel, &k, accel, sizeof(accel), why, sizeof(why));
    if (!d)
        snprintf(err, sizeof(err), "%s: %s", o.image, why);
    int lock = d ? instance_lock() : -1;
    if (!d || lock < 0 || reserve(&in, &img, &o, d, accel, err, sizeof(err)) < 0) {
        if (d && lock < 0)
            snprintf(err, sizeof(err), "cannot lock " INSTANCE_ROOT);
        instance_unlock(lock);
        image_free(&img);
        fprintf(stderr, "unf: %s\n", err);
        return RUN_FAILED;
    }
    instance_unlock(lock);
    pid_t monitor = -1;
    if (prepare(&in, &img, k, d, err, sizeof(err)) < 0 || (monitor = start_monitor(&in, err, sizeof(err))) < 0) {
        instance_teardown(&in);
        instance_remove_state(in.name);
        image_free(&img);
        fprintf(stderr, "unf: %s\n", err);
        return RUN_FAILED;
    }
    image_free(&img);
    if (o.detach) {
        printf("%s\n", in.name);
        return 0;
    }
    return foreground(in.name, monitor);
}
