/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot-to-first-packet experiment. One listener socket on the host; per variant a command
 * line that starts the echo app so that it sends "hello from echo" to that socket at start. A
 * launch is timed from just before fork() of the launcher to the return of recvfrom() with the
 * hello (CLOCK_MONOTONIC); the instance is then killed and reaped before the next launch. The
 * unikernel rows (proc, hvt, QEMU microvm and q35 on KVM and on TCG) take their argv from the
 * runtime's driver table (driver_find()->build()), never from a command line of their own, so
 * they start exactly what `unf run` starts. The networking every variant needs is created once
 * (bench/net.c) so rows (unikernels, native, runc) compare launch cost only; the `unf run -d`
 * row pays its full per-instance setup on the platform the runtime picks itself, and is reported
 * as such. Launches are interleaved across variants (run 1 of every variant, then run 2, ...) so
 * that drift on the machine spreads over all rows alike. Before the timed runs each variant gets
 * one untimed warm-up launch, which also measures the idle memory of an instance. Containers and
 * instances are named unfb-PID-SEQ, so two benchmarks in a row never reuse a name.
 */
#include "boot.h"

#include "../runtime/driver.h"
#include "../runtime/image.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net.h"
#include "pss.h"
#include "runc.h"
#include "size.h"
#include "harness.h"
#include "netns.h"
#include "sys.h"

#define HELLO "hello from echo"
#define WORK_DIR "/run/unf-bench"
#define LOCK_FILE "/run/unf-bench.lock"
#define IDLE_MS 1000          /* idle time before the PSS reading */
#define MAX_CONSECUTIVE_FAILS 3
#define UNF_HOST_IP "10.90.0.1" /* the runtime's bridge unf0: where `unf run` guests can reach us */
#define NAME_PREFIX "unfb-"   /* runc containers and unf instances: unfb-PID-SEQ */
#define MAX_ARGS 48
#define MIB (1024ull * 1024)
#define SOFTWARE_KVM_NOTE "software KVM: no vmx/svm; not representative of hardware KVM"

/* What a row launches. Driver rows boot build/kernels/echo/<kernel> through the runtime driver
 * `driver`; the others are the baselines and the full `unf run -d` path. */
struct variant {
    const char *id;           /* row name and --only name */
    const char *driver;       /* driver_find() name; NULL: not a launch through a driver */
    int kvm;                  /* on KVM (hvt always is) */
    const char *kernel;       /* file under build/kernels/echo/ */
    const unsigned *mems;     /* guest MiB to try, smallest first, 0-terminated */
};

/* The warm-up keeps the first size that boots. hvt runs with 4 MiB: its PSS target is for a
 * 4 MiB guest. */
static const unsigned mem_proc[] = {8, 0}, mem_hvt[] = {4, 0}, mem_qemu[] = {4, 8, 16, 32, 0};

static const struct variant variants[BENCH_V_COUNT] = {
    [BENCH_V_PROC] = {"proc", "proc", 0, "x86_64-proc", mem_proc},
    [BENCH_V_HVT] = {"hvt", "hvt", 1, "x86_64-hvt", mem_hvt},
    [BENCH_V_MICROVM_KVM] = {"qemu-microvm-kvm", "qemu-microvm", 1, "x86_64-virtio", mem_qemu},
    [BENCH_V_Q35_KVM] = {"qemu-q35-kvm", "qemu-q35", 1, "x86_64-virtio", mem_qemu},
    [BENCH_V_MICROVM_TCG] = {"qemu-microvm-tcg", "qemu-microvm", 0, "x86_64-virtio", mem_qemu},
    [BENCH_V_Q35_TCG] = {"qemu-q35-tcg", "qemu-q35", 0, "x86_64-virtio", mem_qemu},
    [BENCH_V_NATIVE] = {"native", NULL, 0, NULL, NULL},
    [BENCH_V_RUNC] = {"runc", NULL, 0, NULL, NULL},
    [BENCH_V_UNF_RUN] = {"unf-run", NULL, 0, NULL, NULL},
};

#define BIT(v) (1u << (v))
/* Names of earlier versions of the benchmark, still accepted by --only. */
static const struct {
    const char *name;
    unsigned mask;
} aliases[] = {
    {"qemu-kvm-microvm", BIT(BENCH_V_MICROVM_KVM)},
    {"qemu-tcg-microvm", BIT(BENCH_V_MICROVM_TCG)},
    {"qemu-kvm-q35", BIT(BENCH_V_Q35_KVM)},
    {"qemu-tcg-q35", BIT(BENCH_V_Q35_TCG)},
    {"qemu-microvm", BIT(BENCH_V_MICROVM_KVM) | BIT(BENCH_V_MICROVM_TCG)},
    {"microvm", BIT(BENCH_V_MICROVM_KVM) | BIT(BENCH_V_MICROVM_TCG)},
    {"qemu", BIT(BENCH_V_MICROVM_KVM) | BIT(BENCH_V_MICROVM_TCG)},
    {"qemu-q35", BIT(BENCH_V_Q35_KVM) | BIT(BENCH_V_Q35_TCG)},
    {"q35", BIT(BENCH_V_Q35_KVM) | BIT(BENCH_V_Q35_TCG)},
    {"unf-run-proc", BIT(BENCH_V_UNF_RUN)},
};

struct ctx {
    const struct bench_boot_opts *o;
    char root[PATH_MAX];      /* the repository (parent of build/) */
    char kernel[BENCH_V_COUNT][PATH_MAX + 48];
    char native_echo[PATH_MAX + 32], unf_bin[PATH_MAX + 32], image[PATH_MAX + 32];
    char qemu[PATH_MAX], runc[PATH_MAX];
    char bundle[PATH_MAX], runc_root[PATH_MAX], logs[PATH_MAX];
    int lock_fd;
    int locked;               /* we hold the lock: the fixed-name objects are ours to remove */
    int sock;
    uint16_t port;
    char hello_ns[32], hello_unf[32];
    char cmdline[256];        /* the guest command line of the driver rows */
    int kvm_usable, kvm_hardware;
    int tap_up, ns_up, work_made;
    long run_id;              /* our pid: part of every container and instance name */
    unsigned seq;             /* names runc containers and unf instances */
    unsigned mem_mib[BENCH_V_COUNT];
};

struct inst {
    pid_t pid;                /* the launcher we forked; -1 when none */
    int pidfd;
    int reaped;
    int status;
    char name[32];            /* runc container id or unf instance name */
    int log_fd;
    char log[PATH_MAX + 32];
    struct driver_argv dargv; /* driver rows: the argv strings */
};

unsigned bench_boot_variant_mask(const char *name)
{
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        if (strcmp(name, variants[v].id) == 0)
            return BIT(v);
    }
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        if (strcmp(name, aliases[i].name) == 0)
            return aliases[i].mask;
    }
    return 0;
}

const char *bench_boot_variant_list(void)
{
    return "proc, hvt, qemu-microvm-kvm, qemu-q35-kvm, qemu-microvm-tcg, qemu-q35-tcg, native, runc, unf-run";
}

/* ---- preparation ------------------------------------------------------------------------- */
static int open_listener(struct ctx *c, char *err, size_t errlen)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
    socklen_t alen = sizeof(a);
    c->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (c->sock < 0 || bind(c->sock, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        getsockname(c->sock, (struct sockaddr *)&a, &alen) < 0) {
        bench_fmt(err, errlen, "listener socket: %s", strerror(errno));
        return -1;
    }
    c->port = ntohs(a.sin_port);
    bench_fmt(c->cmdline, sizeof(c->cmdline), "unf.ip0=%s unf.gw0=%s -- --hello %s:%u", BENCH_TAP_GUEST_CIDR,
              BENCH_TAP_HOST_IP, BENCH_TAP_HOST_IP, c->port);
    bench_fmt(c->hello_ns, sizeof(c->hello_ns), "%s:%u", BENCH_VETH_HOST_IP, c->port);
    bench_fmt(c->hello_unf, sizeof(c->hello_unf), "%s:%u", UNF_HOST_IP, c->port);
    return 0;
}

/* Containers a killed earlier benchmark left in our runc state dir. */
static void remove_stale_containers(struct ctx *c)
{
    char out[4096];
    if (!c->runc[0])
        return;
    const char *list[] = {c->runc, "--root", c->runc_root, "list", "-q", NULL};
    if (bench_cmd(list, out, sizeof(out), 15000) != 0)
        return;
    char *save = NULL;
    for (char *id = strtok_r(out, "\n", &save); id; id = strtok_r(NULL, "\n", &save)) {
        const char *del[] = {c->runc, "--root", c->runc_root, "delete", "--force", id, NULL};
        if (bench_cmd(del, NULL, 0, 15000) != 0)
            fprintf(stderr, "bench: could not remove stale container %s\n", id);
    }
}

/* Instances of `unf run` a killed earlier benchmark left (ours are named unfb-PID-SEQ; only one
 * benchmark runs at a time, so every such instance is a leftover). */
static void remove_stale_instances(struct ctx *c)
{
    char out[16384];
    if (!bench_is_exec(c->unf_bin))
        return;
    const char *ps[] = {c->unf_bin, "ps", "-a", NULL};
    if (bench_cmd(ps, out, sizeof(out), 15000) != 0)
        return;
    char *save = NULL;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64];
        if (sscanf(line, "%63s", name) != 1 || strncmp(name, NAME_PREFIX, strlen(NAME_PREFIX)) != 0)
            continue;
        const char *rm[] = {c->unf_bin, "rm", "-f", name, NULL};
        if (bench_cmd(rm, NULL, 0, 30000) != 0)
            fprintf(stderr, "bench: could not remove stale instance %s\n", name);
    }
}

/* Skips a row: prerequisites are missing. The note starts with "skipped: ". */
static void skip(struct bench_row *row, const char *fmt, const char *arg)
{
    char why[sizeof(row->note)];
    row->skipped = 1;
    bench_fmt(why, sizeof(why), fmt, arg);
    bench_fmt(row->note, sizeof(row->note), "skipped: %s", why);
}

static void append_note(struct bench_row *row, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(row->note);
    if (used + 3 >= sizeof(row->note))
        return;
    if (used > 0) {
        bench_fmt(row->note + used, sizeof(row->note) - used, "; ");
        used += 2;
    }
    bench_fmt(row->note + used, sizeof(row->note) - used, fmt, a, b);
}

/* The argv of driver row v, from the runtime's driver: the launch the runtime would make. */
static int driver_argv_of(const struct ctx *c, int v, struct driver_argv *a)
{
    const struct driver *d = driver_find(variants[v].driver);
    struct driver_launch l = {
        .kernel = c->kernel[v],
        .archive = NULL,
        .cmdline = c->cmdline,
        .mem = (uint64_t)c->mem_mib[v] * MIB,
        .cpus = 1,
        .nics = {{.tap = BENCH_TAP, .mac = BENCH_GUEST_MAC}},
        .nnics = 1,
        .kvm = variants[v].kvm,
    };
    return d && d->build(&l, a) == 0 ? 0 : -1;
}

/* The driver's argv as one line for the report, paths under the repository shortened. */
static void describe_argv(const struct ctx *c, const struct driver_argv *a, char *out, size_t len)
{
    size_t used = 0, root = strlen(c->root);
    out[0] = '\0';
    for (int i = 0; i < a->argc && used + 1 < len; i++) {
        const char *w = a->argv[i];
        if (strncmp(w, c->root, root) == 0 && w[root] == '/')
            w += root + 1;
        const char *q = strchr(w, ' ') || !*w ? "\"" : ""; /* -append's words, romfile= */
        int n = snprintf(out + used, len - used, "%s%s%s%s", i ? " " : "", q, w, q);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

/* Is the launcher of an argv there: a full path (a tender) or a name in PATH (QEMU)? */
static int launcher_present(const char *argv0)
{
    char found[PATH_MAX];
    if (strchr(argv0, '/'))
        return bench_is_exec(argv0);
    return bench_find_in_path(argv0, found, sizeof(found)) == 0;
}

/* A driver row: KVM when it needs it, its kernel, its launcher; what it starts. */
static void prepare_driver_row(struct ctx *c, int v, struct bench_row *row)
{
    struct driver_argv a;
    bench_fmt(row->mem, sizeof(row->mem), "%uM", c->mem_mib[v]);
    bench_fmt(row->accel, sizeof(row->accel), "%s", strcmp(variants[v].driver, "proc") == 0 ? "none"
                                                     : variants[v].kvm ? "kvm" : "tcg");
    if (driver_argv_of(c, v, &a) < 0) {
        skip(row, "the %s driver could not build a command line", variants[v].driver);
        return;
    }
    describe_argv(c, &a, row->what, sizeof(row->what));
    if (variants[v].kvm && !c->kvm_usable) {
        skip(row, "no KVM (/dev/kvm missing or not answering)%s", "");
        return;
    }
    if (!launcher_present(a.argv[0])) {
        skip(row, strchr(a.argv[0], '/') ? "%s missing (make it: the tender of this platform)" : "%s not found in PATH",
             a.argv[0]);
        return;
    }
    if (!bench_is_file(c->kernel[v])) {
        skip(row, "%s missing (make the echo kernel of this platform)", c->kernel[v]);
        return;
    }
    if (variants[v].kvm && !c->kvm_hardware)
        append_note(row, "%s%s", SOFTWARE_KVM_NOTE, "");
}

/* The unf-run row runs `unf run -d` with no --platform: predicts, with the runtime's own
 * driver_select() on the image's kernels, what the runtime will pick (the warm-up then reads it
 * back from `unf inspect`). */
static void prepare_unf_run_row(struct ctx *c, struct bench_row *row)
{
    struct image img;
    char err[256], accel[8] = "";
    if (!bench_is_exec(c->unf_bin)) {
        skip(row, "%s missing", c->unf_bin);
        return;
    }
    if (image_open(c->image, &img, err, sizeof(err)) != 0) {
        skip(row, "%s cannot be opened (make build/images/echo.unf)", c->image);
        return;
    }
    const struct image_kernel *k = NULL;
    const struct driver *d = driver_pick(&img, NULL, "auto", "auto", &k, accel, sizeof(accel), err, sizeof(err));
    image_free(&img);
    bench_fmt(row->what, sizeof(row->what),
              "unf run -d echo.unf (auto platform: %s, accel %s): image unpack, netns, veth, tap, nft, cgroup, monitor",
              d ? d->name : "none", d ? accel : "-");
    if (!d) {
        skip(row, "`unf run` finds no platform for echo.unf here: %s", err);
        return;
    }
    bench_fmt(row->accel, sizeof(row->accel), "%s", accel);
    bench_fmt(row->mem, sizeof(row->mem), "image");
    append_note(row, "platform %s (accel %s): the runtime's auto choice here", d->name, accel);
}

static int is_driver_row(int v) { return variants[v].driver != NULL; }

static void prepare_rows(struct ctx *c, struct bench_boot_result *r)
{
    char err[512];
    struct bench_row *rows = r->rows;
    int want_tap = 0, want_ns = 0;

    for (int v = 0; v < BENCH_V_COUNT; v++) {
        rows[v].id = variants[v].id;
        bench_fmt(rows[v].name, sizeof(rows[v].name), "%s", variants[v].id);
        rows[v].selected = c->o->only == 0 || (c->o->only & BIT(v));
        rows[v].pss_kib = -1;
        if (variants[v].mems)
            c->mem_mib[v] = variants[v].mems[0];
    }
    bench_fmt(rows[BENCH_V_NATIVE].what, sizeof(rows[0].what),
             "build/native/echo (static glibc) forked into a pre-created netns (veth)");
    bench_fmt(rows[BENCH_V_RUNC].what, sizeof(rows[0].what),
             "runc run -d: busybox rootfs + static echo, joins the pre-created netns (veth)");
    bench_fmt(rows[BENCH_V_NATIVE].accel, sizeof(rows[0].accel), "none");
    bench_fmt(rows[BENCH_V_RUNC].accel, sizeof(rows[0].accel), "none");

    /* Files and devices each variant needs. */
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        if (rows[v].selected && is_driver_row(v)) {
            prepare_driver_row(c, v, &rows[v]);
            want_tap |= !rows[v].skipped;
        }
    }
    if (rows[BENCH_V_NATIVE].selected && !bench_is_exec(c->native_echo))
        skip(&rows[BENCH_V_NATIVE], "%s missing (make build/native/echo)", c->native_echo);
    if (rows[BENCH_V_RUNC].selected) {
        if (!c->runc[0])
            skip(&rows[BENCH_V_RUNC], "%s not found in PATH", "runc");
        else if (!bench_is_exec(BENCH_BUSYBOX))
            skip(&rows[BENCH_V_RUNC], "%s missing (package busybox-static)", BENCH_BUSYBOX);
        else if (!bench_is_exec(c->native_echo))
            skip(&rows[BENCH_V_RUNC], "%s missing (make build/native/echo)", c->native_echo);
    }
    if (rows[BENCH_V_UNF_RUN].selected)
        prepare_unf_run_row(c, &rows[BENCH_V_UNF_RUN]);

    /* Networking, once for all runs. */
    if (want_tap) {
        if (bench_net_tap_up(err, sizeof(err)) == 0) {
            c->tap_up = 1;
        } else {
            for (int v = 0; v < BENCH_V_COUNT; v++) {
                if (is_driver_row(v) && rows[v].selected && !rows[v].skipped)
                    skip(&rows[v], "host tap: %s", err);
            }
        }
    }
    for (int v = BENCH_V_NATIVE; v <= BENCH_V_RUNC; v++)
        want_ns |= rows[v].selected && !rows[v].skipped;
    if (want_ns) {
        if (bench_net_ns_up(err, sizeof(err)) == 0) {
            c->ns_up = 1;
        } else {
            for (int v = BENCH_V_NATIVE; v <= BENCH_V_RUNC; v++) {
                if (rows[v].selected && !rows[v].skipped)
                    skip(&rows[v], "namespace: %s", err);
            }
        }
    }
    if (rows[BENCH_V_RUNC].selected && !rows[BENCH_V_RUNC].skipped &&
        bench_runc_bundle(c->bundle, c->native_echo, BENCH_NETNS_PATH, c->hello_ns, err, sizeof(err)) < 0)
        skip(&rows[BENCH_V_RUNC], "bundle: %s", err);
}

/* ---- one launch -------------------------------------------------------------------------- */

static void log_tail(const struct inst *in, char *out, size_t outlen)
{
    char buf[8192];
    out[0] = '\0';
    if (bench_read_file(in->log, buf, sizeof(buf)) <= 0)
        return;
    bench_chomp(buf);
    char *last = strrchr(buf, '\n');
    bench_fmt(out, outlen, "%s", last ? last + 1 : buf);
    for (char *p = out; *p; p++) {
        if (*p == '\r' || *p == '|' || *p == ',')
            *p = ' '; /* keeps the note one clean table/CSV cell */
    }
}

static void status_text(int status, char *out, size_t outlen)
{
    if (WIFEXITED(status))
        bench_fmt(out, outlen, "exit status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        bench_fmt(out, outlen, "killed by signal %d", WTERMSIG(status));
    else
        bench_fmt(out, outlen, "status 0x%x", status);
}

/* argv of one launch of variant v; strings live in c or in in. */
static int build_argv(struct ctx *c, int v, struct inst *in, const char **argv)
{
    int n = 0;

    if (is_driver_row(v)) {
        if (driver_argv_of(c, v, &in->dargv) < 0 || in->dargv.argc >= MAX_ARGS)
            return -1;
        for (; n < in->dargv.argc; n++)
            argv[n] = in->dargv.argv[n];
        argv[n] = NULL;
        return 0;
    }
    switch (v) {
    case BENCH_V_NATIVE:
        argv[n++] = c->native_echo;
        argv[n++] = "--hello";
        argv[n++] = c->hello_ns;
        break;
    case BENCH_V_RUNC:
        bench_fmt(in->name, sizeof(in->name), NAME_PREFIX "%ld-%u", c->run_id, c->seq++);
        argv[n++] = c->runc;
        argv[n++] = "--root";
        argv[n++] = c->runc_root;
        argv[n++] = "run";
        argv[n++] = "-d";
        argv[n++] = "--bundle";
        argv[n++] = c->bundle;
        argv[n++] = in->name;
        break;
    case BENCH_V_UNF_RUN: /* no --platform: what `unf run` picks on this host */
        bench_fmt(in->name, sizeof(in->name), NAME_PREFIX "%ld-%u", c->run_id, c->seq++);
        argv[n++] = c->unf_bin;
        argv[n++] = "run";
        argv[n++] = "-d";
        argv[n++] = "--name";
        argv[n++] = in->name;
        argv[n++] = c->image;
        argv[n++] = "--";
        argv[n++] = "--hello";
        argv[n++] = c->hello_unf;
        break;
    default:
        return -1;
    }
    argv[n] = NULL;
    return 0;
}

static void drain(int sock)
{
    char buf[64];
    while (recv(sock, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
        ;
}

static int reap(struct inst *in, int block)
{
    if (in->pid <= 0 || in->reaped)
        return 1;
    for (;;) {
        pid_t w = waitpid(in->pid, &in->status, block ? 0 : WNOHANG);
        if (w == in->pid) {
            in->reaped = 1;
            return 1;
        }
        if (w == 0)
            return 0;
        if (errno != EINTR) {
            in->reaped = 1; /* not our child any more: nothing left to wait for */
            return 1;
        }
    }
}

/* Datagram from the instance we launched? (unf run picks the guest's address itself.) */
static int from_expected(int v, const struct sockaddr_in *from)
{
    const char *want = v == BENCH_V_NATIVE || v == BENCH_V_RUNC ? BENCH_NS_IP : BENCH_TAP_GUEST_IP;
    if (v == BENCH_V_UNF_RUN)
        return 1;
    struct in_addr a;
    return inet_pton(AF_INET, want, &a) == 1 && a.s_addr == from->sin_addr.s_addr;
}

/*
 * Launches variant v and waits for its hello. On success *ms is the boot time and the instance
 * is left running (the caller measures and stops it); on failure why says what happened and the
 * caller still stops it.
 */
static int launch(struct ctx *c, int v, struct inst *in, double *ms, char *why, size_t whylen)
{
    const char *argv[MAX_ARGS];
    int null_fd = -1, rc = -1;
    char text[256], tail[256];

    memset(in, 0, sizeof(*in));
    in->pid = -1;
    in->pidfd = -1;
    in->log_fd = -1;
    why[0] = '\0';
    bench_fmt(in->log, sizeof(in->log), "%s/%s.log", c->logs, variants[v].id);
    if (build_argv(c, v, in, argv) < 0) {
        bench_fmt(why, whylen, "internal: no command line");
        return -1;
    }
    if (v == BENCH_V_NATIVE || v == BENCH_V_RUNC) {
        if (bench_net_ns_flush_neigh() < 0)
            fprintf(stderr, "bench: warning: could not flush the namespace's neighbour table\n");
    }
    in->log_fd = open(in->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (in->log_fd < 0 || null_fd < 0) {
        bench_fmt(why, whylen, "open %s: %s", in->log, strerror(errno));
        goto cleanup;
    }
    drain(c->sock);

    double t0 = bench_now_ms();
    in->pid = fork();
    if (in->pid < 0) {
        bench_fmt(why, whylen, "fork: %s", strerror(errno));
        goto cleanup;
    }
    if (in->pid == 0)
        bench_child_exec(argv, v == BENCH_V_NATIVE ? BENCH_NETNS : NULL, null_fd, in->log_fd, NULL);
    /* Also set from the parent so a kill(-pid) right after fork cannot miss the group. */
    if (setpgid(in->pid, in->pid) < 0 && errno != EACCES && errno != ESRCH)
        fprintf(stderr, "bench: setpgid: %s\n", strerror(errno));
    in->pidfd = (int)syscall(SYS_pidfd_open, in->pid, 0);
    if (in->pidfd < 0) {
        bench_fmt(why, whylen, "pidfd_open: %s", strerror(errno));
        goto cleanup;
    }

    int detaches = v == BENCH_V_RUNC || v == BENCH_V_UNF_RUN; /* launcher exits 0 when started */
    int watch = 1;
    double deadline = t0 + (double)c->o->timeout_ms;
    for (;;) {
        if (bench_interrupted) {
            bench_fmt(why, whylen, "interrupted");
            goto cleanup;
        }
        double now = bench_now_ms();
        if (now >= deadline) {
            log_tail(in, tail, sizeof(tail));
            bench_fmt(why, whylen, "timeout: no packet within %ld ms%s%s", c->o->timeout_ms,
                     tail[0] ? "; last output: " : "", tail);
            goto cleanup;
        }
        struct pollfd p[2] = {{.fd = c->sock, .events = POLLIN}, {.fd = in->pidfd, .events = POLLIN}};
        int n = poll(p, watch ? 2 : 1, (int)(deadline - now) + 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            bench_fmt(why, whylen, "poll: %s", strerror(errno));
            goto cleanup;
        }
        if (p[0].revents & POLLIN) {
            char buf[64];
            struct sockaddr_in from;
            socklen_t fromlen = sizeof(from);
            ssize_t got = recvfrom(c->sock, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
            double t1 = bench_now_ms();
            if (got == (ssize_t)strlen(HELLO) && memcmp(buf, HELLO, (size_t)got) == 0 && from_expected(v, &from)) {
                *ms = t1 - t0;
                rc = 0;
                goto cleanup;
            }
            continue; /* a stray datagram (a late one of an earlier instance): not ours */
        }
        if (watch && (p[1].revents & POLLIN)) {
            reap(in, 1);
            if (detaches && WIFEXITED(in->status) && WEXITSTATUS(in->status) == 0) {
                watch = 0; /* started in the background; keep waiting for the packet */
                continue;
            }
            status_text(in->status, text, sizeof(text));
            log_tail(in, tail, sizeof(tail));
            bench_fmt(why, whylen, "launcher ended (%s) before the first packet%s%s", text,
                     tail[0] ? ": " : "", tail);
            goto cleanup;
        }
    }
cleanup:
    if (null_fd >= 0)
        close(null_fd);
    return rc;
}

/* Kills what launch() started and waits until it is gone (and, for runc/unf, removed). */
static void stop(struct ctx *c, int v, struct inst *in)
{
    char out[512];
    if (v == BENCH_V_RUNC && in->name[0]) {
        const char *del[] = {c->runc, "--root", c->runc_root, "delete", "--force", in->name, NULL};
        int st = bench_cmd(del, out, sizeof(out), 15000);
        if (st != 0 && !strstr(out, "does not exist"))
            fprintf(stderr, "bench: runc delete %s: %s\n", in->name, bench_chomp(out));
    }
    if (v == BENCH_V_UNF_RUN && in->name[0]) {
        const char *rm[] = {c->unf_bin, "rm", "-f", in->name, NULL};
        int st = bench_cmd(rm, out, sizeof(out), 30000);
        if (st != 0)
            fprintf(stderr, "bench: unf rm -f %s: %s\n", in->name, bench_chomp(out));
    }
    if (in->pid > 0 && !in->reaped) {
        if (kill(-in->pid, SIGKILL) < 0 && errno != ESRCH)
            fprintf(stderr, "bench: kill %d: %s\n", (int)in->pid, strerror(errno));
        reap(in, 1);
    }
    if (in->pidfd >= 0)
        close(in->pidfd);
    if (in->log_fd >= 0)
        close(in->log_fd);
    in->pidfd = in->log_fd = -1;
}

/* ---- memory of an idle instance ---------------------------------------------------------- */

/* The pid of a runc container's init, from `runc state`. */
static pid_t runc_init_pid(struct ctx *c, const char *id)
{
    char out[4096];
    const char *state[] = {c->runc, "--root", c->runc_root, "state", id, NULL};
    if (bench_cmd(state, out, sizeof(out), 15000) != 0)
        return -1;
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    json_t *pid = j ? json_object_get(j, "pid") : NULL;
    pid_t p = json_is_integer(pid) ? (pid_t)json_integer_value(pid) : -1;
    json_decref(j);
    return p;
}

/* What `unf inspect` tells of an instance besides its pids. */
struct unf_facts {
    char platform[32], accel[8];
    unsigned long long mem_bytes;
};

/* From `unf inspect NAME`: the pids of the instance's processes (tender, monitor: every
 * "pid"-like field), and its platform, accelerator and memory. Returns the pid count or -1. */
static int unf_inspect(struct ctx *c, const char *name, pid_t *pids, int max, struct unf_facts *f)
{
    char out[16384];
    const char *inspect[] = {c->unf_bin, "inspect", name, NULL};
    int n = 0;
    if (bench_cmd(inspect, out, sizeof(out), 15000) != 0)
        return -1;
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    if (!j)
        return -1;
    if (json_is_array(j) && json_array_size(j) > 0) {
        json_t *first = json_incref(json_array_get(j, 0));
        json_decref(j);
        j = first;
    }
    const char *key;
    json_t *val;
    json_object_foreach(j, key, val) {
        if (json_is_integer(val) && json_integer_value(val) > 1 && strstr(key, "pid") && n < max)
            pids[n++] = (pid_t)json_integer_value(val);
    }
    const char *p = json_string_value(json_object_get(j, "platform"));
    const char *a = json_string_value(json_object_get(j, "accel"));
    json_t *mem = json_object_get(j, "mem_bytes");
    bench_fmt(f->platform, sizeof(f->platform), "%s", p ? p : "");
    bench_fmt(f->accel, sizeof(f->accel), "%s", a ? a : "");
    f->mem_bytes = json_is_integer(mem) && json_integer_value(mem) > 0 ? (unsigned long long)json_integer_value(mem) : 0;
    json_decref(j);
    return n;
}

/* The unf-run row's instance: checks that it runs where prepare_unf_run_row() said, and takes
 * its guest memory (the image's default). */
static void check_unf_facts(struct bench_row *row, const struct unf_facts *f)
{
    char want[64];
    if (f->mem_bytes)
        bench_fmt(row->mem, sizeof(row->mem), "%lluM", (f->mem_bytes + MIB - 1) / MIB);
    if (!f->platform[0])
        return;
    bench_fmt(want, sizeof(want), "platform %s (accel ", f->platform);
    if (!strstr(row->note, want) || strcmp(row->accel, f->accel) != 0) {
        append_note(row, "`unf inspect` says it ran on %s with accel %s", f->platform, f->accel);
        bench_fmt(row->accel, sizeof(row->accel), "%s", f->accel);
    }
}

/* After IDLE_MS of idling, the PSS summed over every process of the instance. */
static void measure_idle(struct ctx *c, int v, struct inst *in, struct bench_row *row)
{
    enum { MAXP = 64 };
    pid_t roots[8], pids[MAXP];
    int nroots = 0, n = 0;

    if (bench_sleep_ms(IDLE_MS) < 0)
        return;
    if (v == BENCH_V_RUNC) {
        pid_t init = runc_init_pid(c, in->name);
        if (init > 0)
            roots[nroots++] = init;
    } else if (v == BENCH_V_UNF_RUN) {
        struct unf_facts facts;
        int got = unf_inspect(c, in->name, roots, 8, &facts);
        if (got > 0)
            nroots = got;
        if (got >= 0)
            check_unf_facts(row, &facts);
    } else if (!reap(in, 0)) {
        roots[nroots++] = in->pid;
    }
    for (int i = 0; i < nroots && n < MAXP; i++) {
        pid_t tree[MAXP];
        int got = bench_proc_tree(roots[i], tree, MAXP);
        for (int j = 0; j < got && n < MAXP; j++) {
            int dup = 0;
            for (int k = 0; k < n; k++)
                dup |= pids[k] == tree[j];
            if (!dup)
                pids[n++] = tree[j];
        }
    }
    long kib;
    int counted = n > 0 ? bench_pss_sum_kib(pids, n, &kib) : -1;
    if (counted > 0) {
        row->pss_kib = kib;
        row->pss_procs = counted;
    }
}

/* ---- the experiment ---------------------------------------------------------------------- */

/* Warm-up: one untimed launch that must succeed, idles, and gives the memory figure. Rows with
 * several memory sizes try them smallest first and keep the first that boots. */
static int warm_up(struct ctx *c, int v, struct bench_row *row)
{
    const unsigned *mems = variants[v].mems;
    char why[512], size[16];
    struct inst in;
    double ms;

    for (int i = 0;; i++) {
        if (mems)
            c->mem_mib[v] = mems[i];
        bench_fmt(size, sizeof(size), "%uM", c->mem_mib[v]);
        fprintf(stderr, "bench: warm-up %s%s%s\n", row->name, mems ? " mem " : "", mems ? size : "");
        int rc = launch(c, v, &in, &ms, why, sizeof(why));
        if (rc == 0)
            measure_idle(c, v, &in, row);
        stop(c, v, &in);
        if (rc == 0) {
            if (mems)
                bench_fmt(row->mem, sizeof(row->mem), "%s", size);
            return 0;
        }
        if (bench_interrupted)
            return -1;
        if (!mems || !mems[i + 1]) {
            append_note(row, "warm-up launch failed: %s%s", why, "");
            return -1;
        }
        append_note(row, "mem %s failed (%s)", size, why);
    }
}

static void timed_runs(struct ctx *c, struct bench_boot_result *r, const int *active)
{
    int consecutive[BENCH_V_COUNT] = {0};
    char why[512], first_why[BENCH_V_COUNT][512];
    memset(first_why, 0, sizeof(first_why));

    for (int run = 1; run <= c->o->runs && !bench_interrupted; run++) {
        for (int v = 0; v < BENCH_V_COUNT && !bench_interrupted; v++) {
            struct bench_row *row = &r->rows[v];
            if (!active[v] || consecutive[v] >= MAX_CONSECUTIVE_FAILS)
                continue;
            struct inst in;
            double ms = 0;
            int rc = launch(c, v, &in, &ms, why, sizeof(why));
            stop(c, v, &in);
            if (bench_interrupted)
                break;
            if (rc == 0) {
                row->samples[row->ok++] = ms;
                consecutive[v] = 0;
                fprintf(stderr, "bench: run %d/%d %-18s %9.2f ms\n", run, c->o->runs, row->name, ms);
            } else {
                row->failed++;
                consecutive[v]++;
                if (!first_why[v][0])
                    bench_fmt(first_why[v], sizeof(first_why[v]), "%s", why);
                fprintf(stderr, "bench: run %d/%d %-18s FAILED: %s\n", run, c->o->runs, row->name, why);
                if (consecutive[v] == MAX_CONSECUTIVE_FAILS)
                    append_note(row, "stopped after %s consecutive failed launches%s", "3", "");
            }
        }
    }
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        if (first_why[v][0])
            append_note(&r->rows[v], "first failure: %s%s", first_why[v], "");
    }
}

static void measure_sizes(struct ctx *c, struct bench_boot_result *r)
{
    struct {
        const char *what;
        char path[256];
    } items[BENCH_MAX_SIZES] = {{"echo kernel, proc", ""}, {"echo kernel, hvt", ""}, {"echo kernel, virtio", ""},
                                {"echo image (.unf)", ""}, {"native echo (static)", ""},
                                {"runc bundle rootfs", ""}};
    bench_fmt(items[0].path, sizeof(items[0].path), "build/kernels/echo/x86_64-proc");
    bench_fmt(items[1].path, sizeof(items[1].path), "build/kernels/echo/x86_64-hvt");
    bench_fmt(items[2].path, sizeof(items[2].path), "build/kernels/echo/x86_64-virtio");
    bench_fmt(items[3].path, sizeof(items[3].path), "build/images/echo.unf");
    bench_fmt(items[4].path, sizeof(items[4].path), "build/native/echo");
    bench_fmt(items[5].path, sizeof(items[5].path), "%s/rootfs", c->bundle);
    r->nsizes = 0;
    for (int i = 0; i < BENCH_MAX_SIZES; i++) {
        struct bench_size *s = &r->sizes[r->nsizes++];
        char full[PATH_MAX + 300];
        s->what = items[i].what;
        bench_fmt(s->path, sizeof(s->path), "%s", items[i].path);
        bench_fmt(full, sizeof(full), "%s%s%s", items[i].path[0] == '/' ? "" : c->root,
                 items[i].path[0] == '/' ? "" : "/", items[i].path);
        s->present = bench_du(full, &s->apparent, &s->disk) == 0;
    }
}

static void teardown(struct ctx *c)
{
    if (c->runc[0] && c->work_made)
        remove_stale_containers(c);
    remove_stale_instances(c);
    if (bench_net_down() < 0)
        fprintf(stderr, "bench: warning: could not remove all of %s, %s, %s\n", BENCH_TAP, BENCH_NETNS, BENCH_VETH);
    if (c->work_made && bench_rm_rf(WORK_DIR) < 0)
        fprintf(stderr, "bench: warning: could not remove %s: %s\n", WORK_DIR, strerror(errno));
}

int bench_boot_run(const struct bench_boot_opts *o, struct bench_boot_result *r, char *err, size_t errlen)
{
    struct ctx *c = calloc(1, sizeof(*c));
    int rc = -1;
    double start = bench_now_ms();

    memset(r, 0, sizeof(*r));
    r->runs = o->runs;
    if (!c) {
        bench_fmt(err, errlen, "out of memory");
        return -1;
    }
    c->o = o;
    c->sock = -1;
    c->lock_fd = -1;
    if (bench_root(c->root, sizeof(c->root)) < 0) {
        bench_fmt(err, errlen, "cannot find the repository root");
        goto cleanup;
    }
    /* One benchmark at a time: the tap, namespace and state dir have fixed names. */
    c->lock_fd = open(LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (c->lock_fd < 0 || flock(c->lock_fd, LOCK_EX | LOCK_NB) < 0) {
        bench_fmt(err, errlen, "%s: %s", LOCK_FILE,
                 errno == EWOULDBLOCK ? "another unf bench is running" : strerror(errno));
        goto cleanup;
    }
    c->locked = 1;
    if (bench_unf_path(c->unf_bin, sizeof(c->unf_bin)) < 0)
        bench_fmt(c->unf_bin, sizeof(c->unf_bin), "%s/build/bin/unf", c->root);
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        if (variants[v].kernel)
            bench_fmt(c->kernel[v], sizeof(c->kernel[v]), "%s/build/kernels/echo/%s", c->root, variants[v].kernel);
    }
    bench_fmt(c->native_echo, sizeof(c->native_echo), "%s/build/native/echo", c->root);
    bench_fmt(c->image, sizeof(c->image), "%s/build/images/echo.unf", c->root);
    bench_fmt(c->bundle, sizeof(c->bundle), "%s/bundle", WORK_DIR);
    bench_fmt(c->runc_root, sizeof(c->runc_root), "%s/runc", WORK_DIR);
    bench_fmt(c->logs, sizeof(c->logs), "%s/logs", WORK_DIR);
    bench_find_in_path("qemu-system-x86_64", c->qemu, sizeof(c->qemu));
    bench_find_in_path("runc", c->runc, sizeof(c->runc));
    c->kvm_usable = r->kvm_usable = driver_kvm_usable();
    c->kvm_hardware = r->kvm_hardware = c->kvm_usable && driver_kvm_hardware();
    c->run_id = (long)getpid();

    /* Leftovers of a benchmark that was killed outright (SIGKILL, power loss). */
    c->work_made = 1;
    teardown(c);
    if (bench_mkdir_p(c->logs, 0755) < 0 || bench_mkdir_p(c->runc_root, 0700) < 0) {
        bench_fmt(err, errlen, "mkdir %s: %s", WORK_DIR, strerror(errno));
        goto cleanup;
    }
    if (open_listener(c, err, errlen) < 0)
        goto cleanup;
    prepare_rows(c, r);

    int active[BENCH_V_COUNT] = {0};
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        struct bench_row *row = &r->rows[v];
        if (!row->selected || row->skipped)
            continue;
        row->samples = calloc((size_t)o->runs, sizeof(double));
        if (!row->samples) {
            bench_fmt(err, errlen, "out of memory");
            goto cleanup;
        }
        if (bench_interrupted)
            break;
        if (warm_up(c, v, row) == 0) {
            active[v] = 1;
        } else if (!bench_interrupted) {
            if (v == BENCH_V_UNF_RUN) {
                row->skipped = 1; /* `unf run` does not work here (yet): a note, not a failure */
                append_note(row, "skipped: `unf run -d` does not work on this build%s%s", "", "");
            } else {
                row->failed = 1;
            }
        }
    }
    timed_runs(c, r, active);
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        struct bench_row *row = &r->rows[v];
        if (bench_stats_of(row->samples, row->ok, &row->st) < 0) {
            bench_fmt(err, errlen, "out of memory");
            goto cleanup;
        }
    }
    measure_sizes(c, r);
    r->interrupted = bench_interrupted != 0;
    rc = 0;
cleanup:
    if (c->locked)
        teardown(c);
    if (c->sock >= 0)
        close(c->sock);
    if (c->lock_fd >= 0)
        close(c->lock_fd);
    free(c);
    r->seconds = (bench_now_ms() - start) / 1000.0;
    return rc;
}

void bench_boot_free(struct bench_boot_result *r)
{
    for (int v = 0; v < BENCH_V_COUNT; v++) {
        free(r->rows[v].samples);
        r->rows[v].samples = NULL;
    }
}
