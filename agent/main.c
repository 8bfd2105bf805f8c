/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * unfd, the node agent: options, its state directory (with the runtime's state root under it,
 * exported as UNF_ROOT so every `unf` it runs and every monitor sees only this agent's
 * instances), the listening socket, and a graceful stop on SIGTERM/SIGINT that leaves the
 * instances running for the next unfd to re-adopt (`unfd --cleanup` removes them).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "../runtime/cmd.h"
#include "../runtime/driver.h"
#include "api.h"
#include "fetch.h"
#include "instances.h"
#include "launch.h"
#include "node.h"
#include "watch.h"

#define UNFD_VERSION "0.1.0"
#define NAME_MAX_LEN 24         /* ids are NAME-NNNNNN and must stay runtime names (40) */

struct opts {
    const char *name, *arch, *socket, *listen, *token_file, *state, *cache, *platform, *accel;
    unsigned memory_mib, vcpus;
    int cleanup;
};

static volatile sig_atomic_t stop_signal;
static void on_signal(int sig) { stop_signal = sig; }

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "unfd: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (usage: unfd [--name N] [--arch x86_64|aarch64] [--memory MiB] [--vcpus N] "
                    "[--socket PATH | --listen ADDR:PORT --token-file F] [--state DIR] [--cache DIR] "
                    "[--platform P] [--accel auto|kvm|tcg] [--cleanup])\n");
    return 2;
}

static int parse_uint(const char *v, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (errno || end == v || *end || x < 1 || x > max || v[0] == '-')
        return -1;
    *out = (unsigned)x;
    return 0;
}

static int name_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > NAME_MAX_LEN)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
              (i > 0 && s[i] == '-')))
            return 0;
    return 1;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            printf("usage: unfd [--name N] [--arch x86_64|aarch64] [--memory MiB] [--vcpus N]\n"
                   "            [--socket PATH | --listen ADDR:PORT --token-file F] [--state DIR] [--cache DIR]\n"
                   "            [--platform P] [--accel auto|kvm|tcg] [--cleanup]\n"
                   "The unf node agent: REST API v1 over a unix socket (default /run/unfd/unfd.sock) or TCP\n"
                   "with a bearer token; see docs/ORCHESTRATION.md.\n");
            return 0;
        }
        if (strcmp(a, "--cleanup") == 0) {
            o->cleanup = 1;
            continue;
        }
        const char **dst = strcmp(a, "--name") == 0 ? &o->name : strcmp(a, "--arch") == 0 ? &o->arch
                         : strcmp(a, "--socket") == 0 ? &o->socket : strcmp(a, "--listen") == 0 ? &o->listen
                         : strcmp(a, "--token-file") == 0 ? &o->token_file : strcmp(a, "--state") == 0 ? &o->state
                         : strcmp(a, "--cache") == 0 ? &o->cache : strcmp(a, "--platform") == 0 ? &o->platform
                         : strcmp(a, "--accel") == 0 ? &o->accel : NULL;
        int num = strcmp(a, "--memory") == 0 || strcmp(a, "--vcpus") == 0;
        if (!dst && !num)
            return usage("unknown option '%s'", a);
        if (!v)
            return usage("option '%s' needs a value", a);
        i++;
        if (dst)
            *dst = v;
        else if (strcmp(a, "--memory") == 0 ? parse_uint(v, 1u << 24, &o->memory_mib)
                                            : parse_uint(v, 4096, &o->vcpus))
            return usage("bad number '%s'", v);
    }
    if (!name_ok(o->name))
        return usage("bad name '%s' (letters, digits and '-', at most 24)", o->name);
    if (strcmp(o->arch, "x86_64") && strcmp(o->arch, "aarch64"))
        return usage("bad --arch '%s' (x86_64 or aarch64)", o->arch);
    if (strcmp(o->accel, "auto") && strcmp(o->accel, "kvm") && strcmp(o->accel, "tcg"))
        return usage("bad --accel '%s' (auto, kvm or tcg)", o->accel);
    if (strcmp(o->platform, "auto") && !driver_find(o->platform))
        return usage("unknown --platform '%s'", o->platform);
    if (o->listen && o->socket)
        return usage("%s", "--socket and --listen exclude each other");
    if (o->listen && !o->token_file)
        return usage("%s", "--listen needs --token-file (TCP is never open without a token)");
    if (o->state[0] != '/' || o->cache[0] != '/')
        return usage("%s", "--state and --cache need absolute paths");
    return -1;
}

static int mkdirs(const char *path)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof(buf), "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, 0755) < 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static char *read_token(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char buf[512] = "";
    char *ok = fgets(buf, sizeof(buf), f);
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return ok && buf[0] ? strdup(buf) : NULL;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "unfd: socket path too long: %s\n", path);
        return -1;
    }
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdirs(dir);
    }
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) /* a stale one: the state lock says it is ours */
        unlink(path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(path, 0660) < 0 || listen(fd, 64) < 0) {
        fprintf(stderr, "unfd: cannot listen on %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int listen_tcp(const char *spec)
{
    char host[64];
    const char *colon = strrchr(spec, ':');
    char *end;
    long port = colon ? strtol(colon + 1, &end, 10) : 0;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (!colon || (size_t)(colon - spec) >= sizeof(host) || *end || port < 1 || port > 65535) {
        fprintf(stderr, "unfd: bad --listen '%s' (ADDR:PORT)\n", spec);
        return -1;
    }
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "unfd: bad --listen address '%s' (an IPv4 address)\n", host);
        return -1;
    }
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        fprintf(stderr, "unfd: cannot listen on %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* One agent per state directory: a second one would fight over the instances. */
static int lock_state(const char *state)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/.lock", state);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
        fprintf(stderr, "unfd: %s is in use by another unfd\n", state);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

int main(int argc, char **argv)
{
    static char host[64], state_buf[PATH_MAX], root[PATH_MAX], sock_buf[PATH_MAX];
    struct opts o = {.arch = driver_host_arch(), .cache = "/var/cache/unfd", .platform = "auto", .accel = "auto"};
    if (gethostname(host, sizeof(host)) < 0 || !name_ok(host))
        snprintf(host, sizeof(host), "node");
    host[strcspn(host, ".")] = '\0';
    o.name = host;
    o.memory_mib = node_host_memory_mib();
    o.vcpus = node_host_vcpus();
    int rc = parse_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (!o.state) {
        snprintf(state_buf, sizeof(state_buf), "/run/unfd/%s", o.name);
        o.state = state_buf;
    }
    if (!o.socket && !o.listen) {
        snprintf(sock_buf, sizeof(sock_buf), "/run/unfd/unfd.sock");
        o.socket = sock_buf;
    }
    snprintf(root, sizeof(root), "%s/unf", o.state);
    if (strlen(root) >= 150) {
        fprintf(stderr, "unfd: --state path too long (at most 145 bytes)\n");
        return 1;
    }
    if (mkdirs(o.state) < 0 || mkdirs(root) < 0) {
        fprintf(stderr, "unfd: cannot create %s: %s\n", root, strerror(errno));
        return 1;
    }
    int lock = lock_state(o.state);
    if (lock < 0)
        return 1;
    setenv("UNF_ROOT", root, 1); /* before any thread: the runtime reads it on every path */

    struct launch_config lc = {0};
    snprintf(lc.name, sizeof(lc.name), "%s", o.name);
    snprintf(lc.arch, sizeof(lc.arch), "%s", o.arch);
    snprintf(lc.cache_dir, sizeof(lc.cache_dir), "%s", o.cache);
    snprintf(lc.platform, sizeof(lc.platform), "%s", o.platform);
    snprintf(lc.accel, sizeof(lc.accel), "%s", o.accel);
    char err[512];
    if (cmd_sibling_path("unf", lc.unf, sizeof(lc.unf)) < 0 || access(lc.unf, X_OK) < 0) {
        fprintf(stderr, "unfd: cannot find the unf binary beside unfd\n");
        return 1;
    }
    if (fetch_global_init() < 0 || mkdirs(o.cache) < 0) {
        fprintf(stderr, "unfd: cannot set up the image cache %s\n", o.cache);
        return 1;
    }
    node_init(o.memory_mib, o.vcpus);
    if (instances_init(o.state, err, sizeof(err)) < 0) {
        fprintf(stderr, "unfd: %s\n", err);
        return 1;
    }
    launch_init(&lc);
    launch_adopt();
    if (o.cleanup) {
        int failed = launch_cleanup_all();
        fprintf(stderr, "unfd: cleanup %s\n", failed ? "left some instances (see above)" : "done");
        return failed ? 1 : 0;
    }

    char *token = NULL;
    if (o.token_file && !(token = read_token(o.token_file))) {
        fprintf(stderr, "unfd: cannot read a token from %s\n", o.token_file);
        return 1;
    }
    struct sigaction sa = {.sa_handler = on_signal, .sa_flags = SA_RESTART};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN); /* a client that hangs up must not kill the agent */
    int fd = o.listen ? listen_tcp(o.listen) : listen_unix(o.socket);
    if (fd < 0) {
        free(token);
        return 1;
    }
    struct api_config ac = {.listen_fd = fd, .token = token, .name = o.name, .arch = o.arch, .version = UNFD_VERSION};
    if (api_start(&ac) < 0 || watch_start() < 0) {
        api_stop();
        close(fd);
        free(token);
        return 1;
    }
    fprintf(stderr, "unfd: %s (%s, %u MiB, %u vcpus) listening on %s\n", o.name, o.arch, o.memory_mib, o.vcpus,
            o.listen ? o.listen : o.socket);
    while (!stop_signal)
        usleep(100000); /* signals may land on any thread; the flag is what counts */
    fprintf(stderr, "unfd: stopping on signal %d; instances keep running\n", (int)stop_signal);
    api_stop();
    watch_stop();
    if (!o.listen)
        unlink(o.socket);
    close(fd);
    close(lock);
    free(token);
    return 0;
}
