/*
 * Command lines of the probe benchmark's variants: the runc config of a container running the
 * probe, and the tender / QEMU argv of the probe unikernel in a tap slot. Kept apart from the
 * environment so the experiments share one definition of "the same probe on every platform".
 */
#include "probe_env.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "sys.h"

#define UK_MEM "8M"

/* Appends CAP_NET_RAW to every capability set the spec lists (raw ICMP sockets need it). */
static int add_net_raw(json_t *process)
{
    json_t *caps = json_object_get(process, "capabilities");
    const char *key;
    json_t *set;
    if (!json_is_object(caps))
        return -1;
    json_object_foreach(caps, key, set) {
        if (json_is_array(set) && json_array_append_new(set, json_string("CAP_NET_RAW")) < 0)
            return -1;
    }
    return 0;
}

int penv_runc_config(struct penv *e, const char *dir, const char *rootfs, const char *const args[],
                     const char *cgpath)
{
    char base[PATH_MAX + 16], out[PATH_MAX + 16];
    json_error_t jerr;
    int rc = -1;
    bench_fmt(base, sizeof(base), "%s/config.json", e->bundle);
    bench_fmt(out, sizeof(out), "%s/config.json", dir);
    json_t *config = json_load_file(base, 0, &jerr);
    json_t *argv = json_array();
    if (!config || !argv) {
        fprintf(stderr, "bench: %s: %s\n", base, config ? "out of memory" : jerr.text);
        goto cleanup;
    }
    for (int i = 0; args[i]; i++) {
        if (json_array_append_new(argv, json_string(args[i])) < 0)
            goto cleanup;
    }
    json_t *process = json_object_get(config, "process");
    json_t *root = json_object_get(config, "root");
    json_t *linux_ = json_object_get(config, "linux");
    if (!json_is_object(process) || !json_is_object(root) || !json_is_object(linux_) ||
        json_object_set(process, "args", argv) < 0 || add_net_raw(process) < 0 ||
        json_object_set_new(root, "path", json_string(rootfs)) < 0 ||
        (cgpath && json_object_set_new(linux_, "cgroupsPath", json_string(cgpath)) < 0)) {
        fprintf(stderr, "bench: %s: unexpected layout\n", base);
        goto cleanup;
    }
    if (bench_mkdir_p(dir, 0755) < 0 || json_dump_file(config, out, JSON_COMPACT) < 0) {
        fprintf(stderr, "bench: cannot write %s\n", out);
        goto cleanup;
    }
    rc = 0;
cleanup:
    json_decref(argv);
    json_decref(config);
    return rc;
}

int penv_ok_status(int v, int status)
{
    return v == PV_QEMU ? status == 1 : status == 0;
}

/* Carves a copy of s out of buf; NULL when full. */
static const char *keep(char **buf, size_t *left, const char *s)
{
    size_t n = strlen(s) + 1;
    if (n > *left)
        return NULL;
    memcpy(*buf, s, n);
    const char *kept = *buf;
    *buf += n;
    *left -= n;
    return kept;
}

int penv_uk_argv(struct penv *e, int v, int slot, const char *kernel, const char *archive,
                 const char *const args[], const char **argv, int max, char *buf, size_t buflen)
{
    char ip[20], mac[20], tap[16], tmp[4096];
    int n = 0;
    size_t left = buflen;
    penv_slot(slot, ip, mac, tap);
#define ADD(s)                                         \
    do {                                               \
        const char *s_ = (s);                          \
        if (!s_ || n + 1 >= max)                       \
            return -1;                                 \
        argv[n++] = s_;                                \
    } while (0)
    if (v == PV_PROC) {
        ADD(e->unf_proc);
        ADD("--mem");
        ADD(UK_MEM);
        bench_fmt(tmp, sizeof(tmp), "%s,%s", tap, mac);
        ADD("--net");
        ADD(keep(&buf, &left, tmp));
        if (archive) {
            ADD("--archive");
            ADD(archive);
        }
        ADD(kernel ? kernel : e->kproc);
        bench_fmt(tmp, sizeof(tmp), "unf.ip0=%s/16", ip);
        ADD(keep(&buf, &left, tmp));
        ADD("unf.gw0=" PENV_GW);
        ADD("--");
        for (int i = 0; args[i]; i++)
            ADD(args[i]);
    } else {
        size_t used = (size_t)snprintf(tmp, sizeof(tmp), "unf.ip0=%s/16 unf.gw0=%s --", ip, PENV_GW);
        for (int i = 0; args[i] && used < sizeof(tmp); i++)
            used += (size_t)snprintf(tmp + used, sizeof(tmp) - used, " %s", args[i]);
        if (used >= sizeof(tmp))
            return -1;
        const char *append = keep(&buf, &left, tmp);
        bench_fmt(tmp, sizeof(tmp), "tap,id=n0,ifname=%s,script=no,downscript=no", tap);
        const char *netdev = keep(&buf, &left, tmp);
        bench_fmt(tmp, sizeof(tmp), "virtio-net-device,netdev=n0,mac=%s", mac);
        const char *nic = keep(&buf, &left, tmp);
        const char *fixed[] = {e->qemu, "-M", "microvm,x-option-roms=off,rtc=on,isa-serial=on",
                               "-accel", e->kvm ? "kvm" : "tcg", "-cpu", e->kvm ? "host" : "max",
                               "-m", UK_MEM, "-smp", "1", "-nodefaults", "-no-user-config", "-nographic",
                               "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                               NULL};
        for (int i = 0; fixed[i]; i++)
            ADD(fixed[i]);
        ADD("-kernel");
        ADD(kernel ? kernel : e->kvirtio);
        ADD("-append");
        ADD(append);
        if (archive) {
            ADD("-initrd");
            ADD(archive);
        }
        ADD("-netdev");
        ADD(netdev);
        ADD("-device");
        ADD(nic);
    }
#undef ADD
    argv[n] = NULL;
    return n;
}
