/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * build, ps, logs, stop, rm, inspect and info (see commands.h). Every command first reaps instances
 * whose monitor died, so what `ps` shows is true and nothing stays allocated behind it.
 */
#include "commands.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "driver.h"
#include "image.h"
#include "instance.h"

#define STOP_WAIT_MS 10000

static int fail(const char *fmt, const char *arg)
{
    fprintf(stderr, "unf: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 1;
}

static int usage(const char *text)
{
    fprintf(stderr, "unf: usage: %s\n", text);
    return 2;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* `--oci DIR`: the image also as an OCI image layout (index, one manifest per kernel), written
 * by the OCI runtime's own writer so that there is one (unf-oci oci-image, docs/OCI.md). */
static int write_oci_layout(const char *image, const char *dir)
{
    char oci[4096];
    if (cmd_sibling_path("unf-oci", oci, sizeof(oci)) < 0)
        return fail("--oci: %s", "unf-oci not found next to unf");
    const char *argv[] = {oci, "oci-image", image, dir, NULL};
    char out[1024];
    if (cmd_run(argv, NULL, out, sizeof(out), 60000) != 0)
        return fail("--oci: %s", out[0] ? cmd_first_line(out) : "unf-oci oci-image failed");
    printf("%s\n", dir);
    return 0;
}

static int cmd_build(int argc, char **argv)
{
    static const char *const use = "unf build APP_DIR [-o IMAGE] [--kernels DIR] [--oci LAYOUT_DIR]";
    const char *dir = NULL, *out = NULL, *kernels = NULL, *oci = NULL;
    for (int i = 1; i < argc; i++) {
        const char **opt = strcmp(argv[i], "-o") == 0 ? &out : strcmp(argv[i], "--kernels") == 0 ? &kernels
                         : strcmp(argv[i], "--oci") == 0 ? &oci : NULL;
        if (opt && i + 1 < argc) {
            *opt = argv[++i];
        } else if (argv[i][0] == '-' || dir) {
            return usage(use);
        } else {
            dir = argv[i];
        }
    }
    if (!dir)
        return usage(use);
    char copy[4096], kdir[4200], opath[4200], err[1024];
    snprintf(copy, sizeof(copy), "%s", dir);
    size_t len = strlen(copy);
    while (len > 1 && copy[len - 1] == '/')
        copy[--len] = '\0';
    const char *app = basename(copy);
    snprintf(kdir, sizeof(kdir), "build/kernels/%s", app);
    snprintf(opath, sizeof(opath), "build/images/%s.unf", app);
    if (!out) {
        mkdir("build", 0755);
        mkdir("build/images", 0755);
    }
    if (image_build(dir, kernels ? kernels : kdir, out ? out : opath, err, sizeof(err)) < 0)
        return fail("%s", err);
    printf("%s\n", out ? out : opath);
    return oci ? write_oci_layout(out ? out : opath, oci) : 0;
}

static void age(long long since_ms, char *buf, size_t len)
{
    long long s = since_ms ? (long long)time(NULL) - since_ms / 1000 : 0;
    if (s < 120)
        snprintf(buf, len, "%llds", s);
    else if (s < 7200)
        snprintf(buf, len, "%lldm", s / 60);
    else
        snprintf(buf, len, "%lldh", s / 3600);
}

static int cmd_ps(int argc, char **argv)
{
    int all = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-a") == 0 || strcmp(argv[i], "--all") == 0)
            all = 1;
        else
            return usage("unf ps [-a]");
    }
    char **names;
    int n = instance_list(&names);
    printf("%-24s %-17s %-8s %-14s %-8s %s\n", "NAME", "PLATFORM", "STATE", "IP", "AGE", "IMAGE / STATUS");
    for (int i = 0; i < n; i++) {
        struct instance in;
        char err[256], when[32], status[320];
        if (instance_load(names[i], &in, err, sizeof(err)) < 0)
            continue;
        int exited = strcmp(in.state, "exited") == 0;
        if (!all && exited)
            continue;
        age(exited ? in.finished_ms : in.created_ms, when, sizeof(when));
        if (exited && in.exit_code < 0)
            snprintf(status, sizeof(status), "%s", in.reason);
        else if (exited)
            snprintf(status, sizeof(status), "exit %d%s%s", in.exit_code, in.reason[0] ? ": " : "", in.reason);
        else
            snprintf(status, sizeof(status), "%s", in.image_name);
        char platform[24];
        int shown = in.accel[0] && strcmp(in.accel, "none") != 0;
        snprintf(platform, sizeof(platform), "%s%s%s", in.platform, shown ? "/" : "", shown ? in.accel : "");
        printf("%-24s %-17s %-8s %-14s %-8s %s\n", in.name, platform, in.state, in.net.ip, when, status);
    }
    instance_list_free(names, n);
    return 0;
}

static int cmd_logs(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return usage("unf logs NAME");
    if (!instance_exists(argv[1]))
        return fail("no such instance: %s", argv[1]);
    char path[256], buf[8192];
    instance_path(argv[1], "console.log", path, sizeof(path));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0; /* nothing printed yet */
    ssize_t r;
    while ((r = read(fd, buf, sizeof(buf))) > 0)
        if (fwrite(buf, 1, (size_t)r, stdout) != (size_t)r)
            break;
    close(fd);
    return 0;
}

/* Asks the monitor to stop the guest and waits until the instance is exited and its teardown
 * done: a stopped instance holds no address, port, namespace or cgroup any more. */
static int stop_one(const char *name)
{
    struct instance in;
    char err[256];
    if (instance_load(name, &in, err, sizeof(err)) < 0)
        return fail("%s", err);
    if (strcmp(in.state, "exited") != 0 && instance_proc_alive(in.monitor_pid, in.monitor_start))
        kill(in.monitor_pid, SIGTERM);
    for (int waited = 0; waited < STOP_WAIT_MS; waited += 10) {
        if (instance_load(name, &in, err, sizeof(err)) < 0 || instance_settled(&in))
            return 0;
        if (strcmp(in.state, "exited") == 0)
            return instance_wait_settled(name, STOP_WAIT_MS - waited) == 0 ? 0
                   : fail("instance %s: its teardown did not end in time", name);
        if (!instance_proc_alive(in.monitor_pid, in.monitor_start)) {
            instance_reap_all();
            return 0;
        }
        sleep_ms(10);
    }
    return fail("instance %s did not stop in time", name);
}

static int cmd_stop(int argc, char **argv)
{
    if (argc < 2)
        return usage("unf stop NAME...");
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!instance_exists(argv[i]))
            rc |= fail("no such instance: %s", argv[i]);
        else if (stop_one(argv[i]) == 0)
            printf("%s\n", argv[i]);
        else
            rc = 1;
    }
    return rc;
}

static int cmd_rm(int argc, char **argv)
{
    int force = 0, first = 1, rc = 0;
    if (argc > 1 && strcmp(argv[1], "-f") == 0)
        force = first = 2;
    if (argc <= first)
        return usage("unf rm [-f] NAME...");
    for (int i = first; i < argc; i++) {
        struct instance in;
        char err[256];
        if (argv[i][0] == '-')
            return usage("unf rm [-f] NAME...");
        if (instance_load(argv[i], &in, err, sizeof(err)) < 0) {
            rc |= fail("%s", err);
            continue;
        }
        if (strcmp(in.state, "exited") != 0) {
            if (!force) {
                rc |= fail("instance %s is running (unf stop it first, or unf rm -f)", argv[i]);
                continue;
            }
            if (stop_one(argv[i]) != 0) {
                rc = 1;
                continue;
            }
        } else if (instance_wait_settled(argv[i], STOP_WAIT_MS) < 0) {
            /* its monitor still tears it down: removing the state now would race with it */
            rc |= fail("instance %s: its teardown did not end in time", argv[i]);
            continue;
        }
        int lock = instance_lock();
        instance_teardown(&in); /* idempotent: catches anything a crash left */
        int gone = instance_remove_state(argv[i]);
        instance_unlock(lock);
        if (gone < 0)
            rc |= fail("cannot remove the state of %s", argv[i]);
        else
            printf("%s\n", argv[i]);
    }
    return rc;
}

static int inspect_image(const char *path)
{
    struct image img;
    char err[1024];
    if (image_open(path, &img, err, sizeof(err)) < 0)
        return fail("%s", err);
    int rc = image_print_manifest(&img, stdout, err, sizeof(err));
    image_free(&img);
    return rc < 0 ? fail("%s", err) : 0;
}

static int cmd_inspect(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-')
        return usage("unf inspect NAME|IMAGE");
    const char *what = argv[1];
    if (!instance_exists(what)) {
        if (access(what, F_OK) == 0)
            return inspect_image(what);
        return fail("no such instance or image: %s", what);
    }
    struct instance in;
    char err[256];
    if (instance_load(what, &in, err, sizeof(err)) < 0)
        return fail("%s", err);
    char *json = instance_to_json(&in);
    if (!json)
        return fail("out of memory%s", "");
    printf("%s\n", json);
    free(json);
    return 0;
}

/* What this host offers, as JSON: the facts behind `unf run --platform auto` (tests read it to
 * decide what they can exercise here). Each platform is asked for with the architecture of the
 * kernels it boots, so qemu-virt shows "tcg" on an x86_64 host (`unf run --arch aarch64`). */
static int cmd_info(int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return usage("unf info");
    static const char *const platforms[] = {"proc", "hvt", "qemu-microvm", "qemu-q35", "qemu-virt"};
    unsigned all = DRIVER_HAVE_PROC | DRIVER_HAVE_HVT | DRIVER_HAVE_VIRTIO;
    char accel[8], err[256];
    int usable = driver_kvm_usable(), hardware = driver_kvm_hardware();
    printf("{\n  \"kvm\": {\"device\": %s, \"usable\": %s, \"hardware\": %s},\n",
           access("/dev/kvm", F_OK) == 0 ? "true" : "false", usable ? "true" : "false", hardware ? "true" : "false");
    printf("  \"platforms\": {");
    for (size_t i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++) {
        const struct driver *d = driver_select_arch(driver_find(platforms[i])->arch, platforms[i], "auto", all, accel,
                                                    sizeof(accel), err, sizeof(err));
        printf("%s\"%s\": %s%s%s", i ? ", " : "", platforms[i], d ? "\"" : "null", d ? accel : "", d ? "\"" : "");
    }
    const struct driver *d = driver_select("auto", "auto", all, accel, sizeof(accel), err, sizeof(err));
    printf("},\n  \"auto\": {\"platform\": \"%s\", \"accel\": \"%s\"}\n}\n", d ? d->name : "", d ? accel : "");
    return 0;
}

int commands_main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
        int reap;
    } table[] = {
        {"build", cmd_build, 0}, {"ps", cmd_ps, 1},   {"logs", cmd_logs, 1},
        {"stop", cmd_stop, 1},   {"rm", cmd_rm, 1},   {"inspect", cmd_inspect, 1},
        {"info", cmd_info, 0},
    };
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(argv[0], table[i].name) != 0)
            continue;
        if (table[i].reap)
            instance_reap_all();
        return table[i].fn(argc, argv);
    }
    return COMMANDS_UNKNOWN;
}
