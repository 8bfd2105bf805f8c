/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Wiring the guest into the engine's network namespace (see network.h). The interface and its
 * address come from `ip -j` (JSON, parsed with jansson); changes are made with ip and tc, one
 * command each, in an order that keeps the namespace consistent if any step fails: tap, then
 * the two redirects, and only then the address is taken away from the interface.
 */
#include "network.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

#define TOOL_TIMEOUT_MS 5000

/* Runs argv; on failure writes "WHAT: first line of the tool's output" to err. */
static int run(const char *what, const char *const argv[], char *err, size_t errlen)
{
    char out[1024] = "";
    int rc = cmd_run(argv, NULL, out, sizeof(out), TOOL_TIMEOUT_MS);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", what, out[0] ? cmd_first_line(out) : "failed");
        return -1;
    }
    return 0;
}

static void run_quiet(const char *const argv[])
{
    char out[512];
    cmd_run(argv, NULL, out, sizeof(out), TOOL_TIMEOUT_MS);
}

static json_t *ip_json(const char *const argv[], char *err, size_t errlen)
{
    static char out[256 * 1024];
    int rc = cmd_run(argv, NULL, out, sizeof(out), TOOL_TIMEOUT_MS);
    if (rc != 0) {
        snprintf(err, errlen, "ip: %s", cmd_first_line(out));
        return NULL;
    }
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    if (!json_is_array(j)) {
        snprintf(err, errlen, "ip -j printed no JSON array (%s)", jerr.text);
        json_decref(j);
        return NULL;
    }
    return j;
}

/* Fills ifname, mac, mtu, addr, prefix from the link `want` (or the first non-loopback link
 * with an IPv4 address when want is ""). 0 found, 1 none, -1 error. */
static int find_interface(struct oci_net *n, const char *want, char *err, size_t errlen)
{
    const char *argv[] = {"ip", "-j", "addr", "show", NULL};
    json_t *links = ip_json(argv, err, errlen);
    if (!links)
        return -1;
    int found = 1;
    size_t i;
    json_t *link;
    json_array_foreach(links, i, link) {
        const char *name = json_string_value(json_object_get(link, "ifname"));
        const char *type = json_string_value(json_object_get(link, "link_type"));
        if (!name || (type && strcmp(type, "loopback") == 0) || strcmp(name, OCI_TAP) == 0)
            continue;
        if (*want && strcmp(name, want) != 0)
            continue;
        size_t k;
        json_t *ai;
        json_array_foreach(json_object_get(link, "addr_info"), k, ai) {
            const char *fam = json_string_value(json_object_get(ai, "family"));
            const char *local = json_string_value(json_object_get(ai, "local"));
            if (!fam || strcmp(fam, "inet") != 0 || !local)
                continue;
            const char *mac = json_string_value(json_object_get(link, "address"));
            snprintf(n->ifname, sizeof(n->ifname), "%s", name);
            snprintf(n->mac, sizeof(n->mac), "%s", mac ? mac : "");
            snprintf(n->addr, sizeof(n->addr), "%s", local);
            n->prefix = (int)json_integer_value(json_object_get(ai, "prefixlen"));
            n->mtu = (int)json_integer_value(json_object_get(link, "mtu"));
            found = 0;
            break;
        }
        if (found == 0)
            break;
    }
    json_decref(links);
    return found;
}

/* The default route's device and gateway, when there is one. */
static void find_default_route(char *dev, size_t devlen, char *gw, size_t gwlen)
{
    char err[256];
    const char *argv[] = {"ip", "-j", "-4", "route", "show", "default", NULL};
    dev[0] = gw[0] = '\0';
    json_t *routes = ip_json(argv, err, sizeof(err));
    json_t *r = routes ? json_array_get(routes, 0) : NULL;
    const char *d = json_string_value(json_object_get(r, "dev"));
    const char *g = json_string_value(json_object_get(r, "gateway"));
    snprintf(dev, devlen, "%s", d ? d : "");
    snprintf(gw, gwlen, "%s", g ? g : "");
    json_decref(routes);
}

static int redirect(const char *from, const char *to, char *err, size_t errlen)
{
    const char *qdisc[] = {"tc", "qdisc", "add", "dev", from, "ingress", NULL};
    const char *filter[] = {"tc", "filter", "add", "dev", from, "parent", "ffff:", "protocol", "all",
                            "u32", "match", "u32", "0", "0", "action", "mirred", "egress",
                            "redirect", "dev", to, NULL};
    if (run("tc qdisc add ingress", qdisc, err, errlen) < 0)
        return -1;
    return run("tc filter add mirred", filter, err, errlen);
}

int oci_net_wire(struct oci_net *n, char *err, size_t errlen)
{
    memset(n, 0, sizeof(*n));
    const char *lo[] = {"ip", "link", "set", "lo", "up", NULL};
    run_quiet(lo);
    char dev[32];
    find_default_route(dev, sizeof(dev), n->gw, sizeof(n->gw));
    int found = find_interface(n, dev, err, errlen);
    if (found == 1 && dev[0]) /* the route's device has no IPv4: take any interface */
        found = find_interface(n, "", err, errlen);
    if (found < 0)
        return -1;
    if (found == 0 && strcmp(dev, n->ifname) != 0)
        n->gw[0] = '\0'; /* the default route leaves by another interface: not the guest's */
    char mtu[16];
    snprintf(mtu, sizeof(mtu), "%d", n->mtu > 0 ? n->mtu : 1500);
    const char *tap_add[] = {"ip", "tuntap", "add", "dev", OCI_TAP, "mode", "tap", NULL};
    const char *tap_up[] = {"ip", "link", "set", "dev", OCI_TAP, "mtu", mtu, "up", NULL};
    if (run("cannot create " OCI_TAP, tap_add, err, errlen) < 0)
        return -1;
    n->tap = 1;
    if (run("cannot bring " OCI_TAP " up", tap_up, err, errlen) < 0)
        goto fail;
    if (found == 1) /* no engine interface: the guest gets an unconnected NIC */
        return 0;
    n->mirred = 1;
    if (redirect(n->ifname, OCI_TAP, err, errlen) < 0 || redirect(OCI_TAP, n->ifname, err, errlen) < 0)
        goto fail;
    char cidr[32];
    snprintf(cidr, sizeof(cidr), "%s/%d", n->addr, n->prefix);
    const char *del[] = {"ip", "addr", "del", cidr, "dev", n->ifname, NULL};
    if (run("cannot take the address from the interface", del, err, errlen) < 0)
        goto fail;
    n->addr_removed = 1;
    n->gw_removed = n->gw[0] != '\0'; /* the kernel dropped the route with the address */
    return 0;
fail:
    oci_net_unwire(n);
    memset(n, 0, sizeof(*n)); /* nothing left to undo */
    return -1;
}

void oci_net_unwire(const struct oci_net *n)
{
    if (n->mirred) {
        const char *q[] = {"tc", "qdisc", "del", "dev", n->ifname, "ingress", NULL};
        run_quiet(q);
    }
    if (n->tap) { /* its own ingress qdisc goes with it */
        const char *del[] = {"ip", "link", "del", "dev", OCI_TAP, NULL};
        run_quiet(del);
    }
    if (n->addr_removed) {
        char cidr[32];
        snprintf(cidr, sizeof(cidr), "%s/%d", n->addr, n->prefix);
        const char *add[] = {"ip", "addr", "add", cidr, "dev", n->ifname, NULL};
        run_quiet(add);
    }
    if (n->gw_removed) {
        const char *route[] = {"ip", "route", "replace", "default", "via", n->gw, "dev", n->ifname, NULL};
        run_quiet(route);
    }
}

int oci_net_enter(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open network namespace %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = setns(fd, CLONE_NEWNET);
    int saved = errno;
    close(fd);
    if (rc < 0) {
        snprintf(err, errlen, "cannot enter network namespace %s: %s", path, strerror(saved));
        return -1;
    }
    return 0;
}
