/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The benchmarks' namespaces and links (see netns.h). These commands run outside the timed
 * regions, once per experiment, so spawning iproute2 through the runtime's cmd_run is simpler
 * than netlink and costs nothing that is measured. Link names of veths created in the host are
 * temporary (ubtmpN) and renamed when moved, so two experiments never collide on them.
 */
#include "netns.h"

#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../runtime/cmd.h"
#include "sys.h"

#define IP_TIMEOUT_MS 15000

static int exists(const char *fmt, const char *name)
{
    char path[256];
    struct stat st;
    snprintf(path, sizeof(path), fmt, name);
    return stat(path, &st) == 0;
}

int bench_ip_batch(const char *ns, char *err, size_t errlen, const char *fmt, ...)
{
    char *text = NULL, out[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0) {
        bench_fmt(err, errlen, "out of memory");
        return -1;
    }
    const char *with_ns[] = {"ip", "-n", ns, "-batch", "-", NULL};
    const char *host[] = {"ip", "-batch", "-", NULL};
    int rc = cmd_run(ns ? with_ns : host, text, out, sizeof(out), IP_TIMEOUT_MS);
    free(text);
    if (rc == 0)
        return 0;
    if (err && errlen)
        bench_fmt(err, errlen, "ip%s%s -batch (status %d): %s", ns ? " -n " : "", ns ? ns : "", rc,
                  cmd_first_line(out));
    return -1;
}

int bench_ns_del(const char *ns)
{
    if (!exists("/var/run/netns/%s", ns))
        return 0;
    const char *del[] = {"ip", "netns", "del", ns, NULL};
    return cmd_run(del, NULL, NULL, 0, IP_TIMEOUT_MS) == 0 ? 0 : -1;
}

int bench_ns_add(const char *ns, char *err, size_t errlen)
{
    char out[512];
    bench_ns_del(ns);
    const char *add[] = {"ip", "netns", "add", ns, NULL};
    int rc = cmd_run(add, NULL, out, sizeof(out), IP_TIMEOUT_MS);
    if (rc != 0) {
        bench_fmt(err, errlen, "ip netns add %s (status %d): %s", ns, rc, cmd_first_line(out));
        return -1;
    }
    return bench_ip_batch(ns, err, errlen, "link set lo up\n");
}

int bench_link_del(const char *dev)
{
    /* The kernel dismantles a deleted namespace asynchronously: give its veth a moment to go. */
    for (int i = 0; i < 100 && exists("/sys/class/net/%s", dev); i++)
        bench_sleep_ms(10);
    if (!exists("/sys/class/net/%s", dev))
        return 0;
    const char *del[] = {"ip", "link", "del", dev, NULL};
    return cmd_run(del, NULL, NULL, 0, IP_TIMEOUT_MS) == 0 ? 0 : -1;
}

int bench_veth_host(const char *host_dev, const char *host_cidr, const char *ns, const char *ns_cidr, char *err,
                    size_t errlen)
{
    if (bench_ip_batch(NULL, err, errlen,
                       "link add %s type veth peer name eth0 netns %s\n"
                       "addr add %s dev %s\n"
                       "link set %s up\n",
                       host_dev, ns, host_cidr, host_dev, host_dev) < 0)
        return -1;
    return bench_ip_batch(ns, err, errlen, "addr add %s dev eth0\nlink set eth0 up\n", ns_cidr);
}

int bench_veth_pair(const char *ns1, const char *dev1, const char *ns2, const char *dev2, char *err, size_t errlen)
{
    /* Created under temporary names in the host, then moved and renamed in one batch. */
    char a[16], b[16];
    snprintf(a, sizeof(a), "ubtmp%d", (int)getpid() % 100000);
    snprintf(b, sizeof(b), "ubtmq%d", (int)getpid() % 100000);
    return bench_ip_batch(NULL, err, errlen,
                          "link add %s type veth peer name %s\n"
                          "link set %s netns %s name %s\n"
                          "link set %s netns %s name %s\n",
                          a, b, a, ns1, dev1, b, ns2, dev2);
}

int bench_ns_sysctl(const char *ns, const char *const settings[], char *err, size_t errlen)
{
    const char *argv[24] = {"ip", "netns", "exec", ns, "sysctl", "-q", "-w"};
    int n = 7;
    for (int i = 0; settings[i] && n < 23; i++)
        argv[n++] = settings[i];
    argv[n] = NULL;
    char out[512];
    int rc = cmd_run(argv, NULL, out, sizeof(out), IP_TIMEOUT_MS);
    if (rc != 0) {
        bench_fmt(err, errlen, "sysctl in %s (status %d): %s", ns, rc, cmd_first_line(out));
        return -1;
    }
    return 0;
}

int bench_ns_enter(const char *ns)
{
    char path[256];
    snprintf(path, sizeof(path), "/var/run/netns/%s", ns);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = setns(fd, CLONE_NEWNET);
    close(fd);
    return rc;
}
