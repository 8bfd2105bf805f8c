/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * `unf testbed up|down|ls|run` (see testbed.h, topology format in testbed_topo.h). Every node is
 * a namespace unf-tb-<testbed>-<node>. A unikernel node's NIC i is tap<i>, bridged (br<i>) with
 * eth<i>, one end of the veth pair of its link; a host's link end eth0 sits in br0, which holds
 * the host's address, so unikernels started later with `testbed run` join the same segment.
 * Unikernels run detached (setsid) with their console in the testbed's state directory; `down`
 * kills them (pid + start time) and deletes the namespaces, which takes every link with them.
 */
#include "testbed.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "driver.h"
#include "image.h"
#include "instance.h"
#include "tar.h"
#include "testbed_topo.h"

#define TB_ROOT "/run/unf-testbed"

static int fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "unf testbed: ");
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 1;
}

static void ns_name(const char *tb, const char *node, char *out, size_t len)
{
    snprintf(out, len, "unf-tb-%s-%s", tb, node);
}

static void tb_path(const char *tb, const char *file, char *out, size_t len)
{
    snprintf(out, len, TB_ROOT "/%s%s%s", tb, file ? "/" : "", file ? file : "");
}

static int sysctl_in(const char *ns)
{
    const char *argv[] = {"ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                          "net.ipv6.conf.default.disable_ipv6=1", NULL};
    return cmd_run(argv, NULL, NULL, 0, 5000);
}

/* Namespaces, then links, then per-node bridges and taps. */
static int build_network(const struct topo *t, char *err, size_t errlen)
{
    char ns[80], ns2[80], out[1024];
    for (int i = 0; i < t->nnodes; i++) {
        ns_name(t->name, t->nodes[i].name, ns, sizeof(ns));
        const char *add[] = {"ip", "netns", "add", ns, NULL};
        if (cmd_run(add, NULL, out, sizeof(out), 5000) != 0 || sysctl_in(ns) != 0) {
            snprintf(err, errlen, "cannot create namespace %s: %s", ns, cmd_first_line(out));
            return -1;
        }
    }
    for (int l = 0; l < t->nlinks; l++) {
        const struct topo_end *a = &t->links[l][0], *b = &t->links[l][1];
        char ea[16], eb[16];
        ns_name(t->name, t->nodes[a->node].name, ns, sizeof(ns));
        ns_name(t->name, t->nodes[b->node].name, ns2, sizeof(ns2));
        snprintf(ea, sizeof(ea), "eth%d", a->nic);
        snprintf(eb, sizeof(eb), "eth%d", b->nic);
        /* Distinct ifindexes on the two ends: a veth whose index equals its peer's (2 and 2 in
         * two fresh namespaces) gets its carrier change rate-limited by the kernel's linkwatch,
         * leaving its bridge port disabled for up to a second after `up`. */
        char ia[16], ib[16];
        snprintf(ia, sizeof(ia), "%d", 1000 + 2 * l);
        snprintf(ib, sizeof(ib), "%d", 1001 + 2 * l);
        const char *argv[] = {"ip", "-n", ns, "link", "add", ea, "index", ia, "type", "veth", "peer", "name", eb,
                              "index", ib, "netns", ns2, NULL};
        if (cmd_run(argv, NULL, out, sizeof(out), 5000) != 0) {
            snprintf(err, errlen, "cannot create link %d: %s", l, cmd_first_line(out));
            return -1;
        }
    }
    for (int i = 0; i < t->nnodes; i++) {
        const struct topo_node *n = &t->nodes[i];
        char batch[2048] = "link set lo up\n";
        size_t used = strlen(batch);
        for (int nic = 0; nic < n->nics; nic++) {
            /* A fixed bridge MAC: otherwise it follows the lowest port MAC, and a tap joining
             * later (testbed run) would change the host's MAC under its neighbours' caches. */
            used += (size_t)snprintf(batch + used, sizeof(batch) - used,
                                     "link add br%d address 02:75:6e:%02x:%02x:%02x type bridge\n"
                                     "link set eth%d master br%d\nlink set eth%d up\n",
                                     nic, 0x80 | (i & 0x3f), nic, 1, nic, nic, nic);
            if (!n->is_host)
                used += (size_t)snprintf(batch + used, sizeof(batch) - used,
                                         "tuntap add dev tap%d mode tap\nlink set tap%d master br%d\nlink set tap%d up\n",
                                         nic, nic, nic, nic);
            used += (size_t)snprintf(batch + used, sizeof(batch) - used, "link set br%d up\n", nic);
        }
        if (n->is_host) {
            used += (size_t)snprintf(batch + used, sizeof(batch) - used, "addr add %s dev br0\n", n->addr);
            if (n->gw[0])
                snprintf(batch + used, sizeof(batch) - used, "route add default via %s\n", n->gw);
        }
        ns_name(t->name, n->name, ns, sizeof(ns));
        const char *argv[] = {"ip", "-n", ns, "-batch", "-", NULL};
        if (cmd_run(argv, batch, out, sizeof(out), 10000) != 0) {
            snprintf(err, errlen, "cannot set up node %s: %s", n->name, cmd_first_line(out));
            return -1;
        }
    }
    return 0;
}

static int write_archive(const struct topo_node *n, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    struct tar_writer w;
    tar_writer_init(&w, fd);
    for (int f = 0; f < n->nfiles; f++)
        tar_writer_add_file(&w, n->files[f].name, 0644, n->files[f].data, n->files[f].len);
    int rc = tar_writer_finish(&w);
    return close(fd) < 0 ? -1 : rc;
}

/* Forks a detached guest in namespace ns; returns its pid. */
static pid_t spawn(const char *ns, char *const argv[], const char *log, int detach)
{
    char netns[128];
    snprintf(netns, sizeof(netns), "/var/run/netns/%s", ns);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    if (detach)
        setsid();
    int nsfd = open(netns, O_RDONLY | O_CLOEXEC);
    if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
        _exit(126);
    if (log) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int null_fd = open("/dev/null", O_RDONLY);
        if (fd < 0 || null_fd < 0 || dup2(null_fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
            _exit(126);
    }
    execvp(argv[0], argv);
    _exit(127);
}

/* Builds the launch of one unikernel: kernel and archive unpacked into dir. */
static int prepare_launch(const char *image_path, const char *platform, const char *dir, const char *node,
                          struct driver_launch *l, const struct driver **drv, struct image *img,
                          char *kernel, char *archive, char *err, size_t errlen)
{
    if (image_open(image_path, img, err, errlen) < 0)
        return -1;
    char accel[8], why[256];
    const struct image_kernel *k = NULL;
    *drv = driver_pick(img, NULL, platform, "auto", &k, accel, sizeof(accel), why, sizeof(why));
    if (!*drv) {
        snprintf(err, errlen, "%s: %s", image_path, why);
        return -1;
    }
    snprintf(kernel, PATH_MAX, "%s/%s.kernel", dir, node);
    snprintf(archive, PATH_MAX, "%s/%s.tar", dir, node);
    if (image_extract_kernel(img, k, kernel, err, errlen) < 0)
        return -1;
    memset(l, 0, sizeof(*l));
    l->kernel = kernel;
    l->mem = img->mem_bytes;
    l->cpus = 1;
    l->kvm = strcmp(accel, "kvm") == 0;
    return 0;
}

static int start_node(const struct topo *t, const struct topo_node *n, json_t *state, char *err, size_t errlen)
{
    char dir[PATH_MAX], kernel[PATH_MAX], archive[PATH_MAX], ns[80], log[PATH_MAX + 16], cmdline[4096];
    struct image img;
    struct driver_launch l;
    const struct driver *drv;
    tb_path(t->name, NULL, dir, sizeof(dir));
    if (prepare_launch(n->image, n->platform, dir, n->name, &l, &drv, &img, kernel, archive, err, errlen) < 0) {
        image_free(&img);
        return -1;
    }
    if (n->nfiles ? write_archive(n, archive) : image_extract_files(&img, archive, err, errlen)) {
        if (n->nfiles)
            snprintf(err, errlen, "cannot write the archive of %s", n->name);
        image_free(&img);
        return -1;
    }
    /* args may start with unf.* options (e.g. unf.ip0=) for apps that use the IP stack. */
    size_t used = (size_t)snprintf(cmdline, sizeof(cmdline), "unf.name=%s", n->name);
    for (int a = 0; a < n->nargs && used < sizeof(cmdline); a++)
        used += (size_t)snprintf(cmdline + used, sizeof(cmdline) - used, " %s", n->args[a]);
    l.cmdline = cmdline;
    l.archive = access(archive, F_OK) == 0 ? archive : NULL;
    l.mem = n->mem ? n->mem : img.mem_bytes;
    image_free(&img);
    /* NIC i is tap<i>; MACs differ per node and NIC (QEMU would give every guest the same). */
    struct driver_argv a;
    char taps[TOPO_MAX_NICS][8], macs[TOPO_MAX_NICS][18];
    unsigned index = (unsigned)(n - t->nodes);
    for (int nic = 0; nic < n->nics; nic++) {
        snprintf(taps[nic], sizeof(taps[nic]), "tap%d", nic);
        snprintf(macs[nic], sizeof(macs[nic]), "52:54:00:7b:%02x:%02x", index & 0xff, (unsigned)nic);
        l.nics[nic].tap = taps[nic];
        l.nics[nic].mac = macs[nic];
    }
    l.nnics = n->nics;
    if (drv->build(&l, &a) < 0) {
        snprintf(err, errlen, "node %s: cannot build the %s command line", n->name, drv->name);
        return -1;
    }
    ns_name(t->name, n->name, ns, sizeof(ns));
    snprintf(log, sizeof(log), "%s/%s.log", dir, n->name);
    pid_t pid = spawn(ns, a.argv, log, 1);
    if (pid < 0) {
        snprintf(err, errlen, "cannot start node %s: %s", n->name, strerror(errno));
        return -1;
    }
    json_array_append_new(json_object_get(state, "pids"),
                          json_pack("{s:s, s:i, s:I}", "node", n->name, "pid", (int)pid, "start",
                                    (json_int_t)instance_proc_start(pid)));
    return 0;
}

static int save_state(const char *tb, json_t *state)
{
    char path[PATH_MAX];
    tb_path(tb, "state.json", path, sizeof(path));
    return json_dump_file(state, path, JSON_INDENT(2));
}

/* Kills the unikernels and deletes the namespaces of testbed tb; idempotent. */
static void teardown(const char *tb)
{
    char path[PATH_MAX], ns[80];
    json_error_t jerr;
    tb_path(tb, "state.json", path, sizeof(path));
    json_t *state = json_load_file(path, 0, &jerr);
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(state, "pids"), i, p) {
        pid_t pid = (pid_t)json_integer_value(json_object_get(p, "pid"));
        unsigned long long start = (unsigned long long)json_integer_value(json_object_get(p, "start"));
        if (instance_proc_alive(pid, start))
            kill(pid, SIGKILL);
    }
    json_array_foreach(json_object_get(state, "nodes"), i, p) {
        ns_name(tb, json_string_value(p), ns, sizeof(ns));
        const char *pids[] = {"ip", "netns", "pids", ns, NULL};
        char out[4096];
        if (cmd_run(pids, NULL, out, sizeof(out), 5000) == 0)
            for (char *tok = strtok(out, "\n"); tok; tok = strtok(NULL, "\n"))
                kill((pid_t)atoi(tok), SIGKILL);
        const char *del[] = {"ip", "netns", "del", ns, NULL};
        cmd_run(del, NULL, NULL, 0, 5000);
    }
    json_decref(state);
    /* Reap what we killed if it is our child (the `up` that failed half-way). */
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    char dir[PATH_MAX];
    tb_path(tb, NULL, dir, sizeof(dir));
    const char *rm[] = {"rm", "-rf", dir, NULL};
    cmd_run(rm, NULL, NULL, 0, 10000);
}

static int cmd_up(const char *path)
{
    struct topo t;
    char err[1024], dir[PATH_MAX];
    if (topo_load(path, &t, err, sizeof(err)) < 0)
        return fail("%s%s", err, "");
    tb_path(t.name, NULL, dir, sizeof(dir));
    mkdir(TB_ROOT, 0755);
    if (mkdir(dir, 0700) < 0) {
        topo_free(&t);
        return fail(errno == EEXIST ? "testbed %s is already up (unf testbed down %s)" : "cannot create %s%s",
                    errno == EEXIST ? t.name : dir, errno == EEXIST ? t.name : "");
    }
    json_t *state = json_pack("{s:s, s:[], s:[]}", "name", t.name, "nodes", "pids");
    for (int i = 0; i < t.nnodes; i++)
        json_array_append_new(json_object_get(state, "nodes"), json_string(t.nodes[i].name));
    int rc = save_state(t.name, state);
    if (rc == 0)
        rc = build_network(&t, err, sizeof(err));
    for (int i = 0; i < t.nnodes && rc == 0; i++)
        if (!t.nodes[i].is_host && (rc = start_node(&t, &t.nodes[i], state, err, sizeof(err))) == 0)
            rc = save_state(t.name, state);
    json_decref(state);
    if (rc != 0) {
        teardown(t.name);
        topo_free(&t);
        return fail("%s%s", err[0] ? err : "cannot save the testbed state", "");
    }
    printf("testbed %s up: %d nodes, %d links (namespaces unf-tb-%s-*)\n", t.name, t.nnodes, t.nlinks, t.name);
    topo_free(&t);
    return 0;
}

/* NAME or the topology file that names it. */
static int resolve_name(const char *arg, char *name, size_t len)
{
    struct topo t;
    char err[1024];
    if (strchr(arg, '/') || strstr(arg, ".json")) {
        if (topo_load(arg, &t, err, sizeof(err)) < 0)
            return fail("%s%s", err, "");
        snprintf(name, len, "%s", t.name);
        topo_free(&t);
        return 0;
    }
    snprintf(name, len, "%s", arg);
    return 0;
}

static int cmd_down(const char *arg)
{
    char name[64], dir[PATH_MAX];
    if (resolve_name(arg, name, sizeof(name)))
        return 1;
    tb_path(name, NULL, dir, sizeof(dir));
    if (access(dir, F_OK) != 0)
        return fail("no such testbed: %s%s", name, "");
    teardown(name);
    printf("testbed %s down\n", name);
    return 0;
}

static int cmd_ls(void)
{
    const char *argv[] = {"ls", "-1", TB_ROOT, NULL};
    char out[4096];
    if (cmd_run(argv, NULL, out, sizeof(out), 5000) == 0)
        fputs(out, stdout);
    return 0;
}

/* `run TB NODE IMAGE [--ip A/P] [--gw G] [--platform P] [-- ARGS]`: a unikernel in the
 * foreground on a host node's segment (tap bridged into br0). */
static int cmd_run_guest(int argc, char **argv)
{
    const char *ip = NULL, *gw = "", *platform = "proc";
    int i = 4;
    if (argc < 4)
        return fail("usage: unf testbed run TESTBED NODE IMAGE [--ip A/P] [--gw G] [--platform P] [-- ARGS]%s%s", "", "") + 1;
    for (; i + 1 < argc && strcmp(argv[i], "--") != 0; i += 2) {
        if (strcmp(argv[i], "--ip") == 0)
            ip = argv[i + 1];
        else if (strcmp(argv[i], "--gw") == 0)
            gw = argv[i + 1];
        else if (strcmp(argv[i], "--platform") == 0)
            platform = argv[i + 1];
        else
            return fail("run: unknown option '%s'%s", argv[i], "");
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++;
    else if (i < argc)
        return fail("run: unexpected '%s'%s", argv[i], "");
    char dir[PATH_MAX], ns[80], kernel[PATH_MAX], archive[PATH_MAX], tap[16], cmdline[4096], out[512], err[1024];
    tb_path(argv[1], NULL, dir, sizeof(dir));
    ns_name(argv[1], argv[2], ns, sizeof(ns));
    char nspath[128];
    snprintf(nspath, sizeof(nspath), "/var/run/netns/%s", ns);
    if (access(dir, F_OK) != 0 || access(nspath, F_OK) != 0)
        return fail("no such testbed node: %s %s", argv[1], argv[2]);
    struct image img;
    struct driver_launch l;
    const struct driver *drv;
    char label[64];
    snprintf(label, sizeof(label), "run%d", (int)getpid());
    if (prepare_launch(argv[3], platform, dir, label, &l, &drv, &img, kernel, archive, err, sizeof(err)) < 0 ||
        image_extract_files(&img, archive, err, sizeof(err)) < 0) {
        image_free(&img);
        return fail("%s%s", err, "");
    }
    size_t used = (size_t)snprintf(cmdline, sizeof(cmdline), "unf.name=%s%s%s%s%s --", img.name,
                                   ip ? " unf.ip0=" : "", ip ? ip : "", gw[0] ? " unf.gw0=" : "", gw);
    for (int a = i; a < argc && used < sizeof(cmdline); a++)
        used += (size_t)snprintf(cmdline + used, sizeof(cmdline) - used, strchr(argv[a], ' ') ? " \"%s\"" : " %s", argv[a]);
    image_free(&img);
    snprintf(tap, sizeof(tap), "tr%d", (int)getpid() % 100000);
    char batch[256];
    snprintf(batch, sizeof(batch), "tuntap add dev %s mode tap\nlink set %s master br0\nlink set %s up\n", tap, tap, tap);
    const char *ipb[] = {"ip", "-n", ns, "-batch", "-", NULL};
    if (cmd_run(ipb, batch, out, sizeof(out), 5000) != 0)
        return fail("cannot attach a tap to %s: %s", ns, cmd_first_line(out));
    l.cmdline = cmdline;
    l.archive = access(archive, F_OK) == 0 ? archive : NULL;
    char mac[18];
    snprintf(mac, sizeof(mac), "52:54:00:7c:%02x:%02x", (unsigned)(getpid() >> 8) & 0xff, (unsigned)getpid() & 0xff);
    l.nics[0].tap = tap;
    l.nics[0].mac = mac;
    l.nnics = 1;
    struct driver_argv a;
    int status = -1;
    if (drv->build(&l, &a) == 0) {
        pid_t pid = spawn(ns, a.argv, NULL, 0);
        while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    }
    const char *del[] = {"ip", "-n", ns, "link", "del", tap, NULL};
    cmd_run(del, NULL, NULL, 0, 5000);
    unlink(kernel);
    unlink(archive);
    char reason[256];
    int code = status == -1 ? 125 : drv->decode(status, reason, sizeof(reason));
    if (status != -1 && reason[0])
        fprintf(stderr, "unf testbed: %s: %s\n", argv[2], reason);
    return code < 0 ? 125 : code;
}

int testbed_main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "up") == 0)
        return cmd_up(argv[2]);
    if (argc == 3 && strcmp(argv[1], "down") == 0)
        return cmd_down(argv[2]);
    if (argc == 2 && strcmp(argv[1], "ls") == 0)
        return cmd_ls();
    if (argc >= 2 && strcmp(argv[1], "run") == 0)
        return cmd_run_guest(argc - 1, argv + 1);
    fprintf(stderr, "unf testbed: usage: unf testbed up TOPOLOGY.json | down NAME|TOPOLOGY.json | ls | "
                    "run TESTBED NODE IMAGE [--ip A/P] [--gw G] [-- ARGS]\n");
    return 2;
}
