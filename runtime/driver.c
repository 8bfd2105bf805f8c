/*
 * The driver table (see driver.h). proc runs the tender build/bin/unf-proc next to the unf
 * binary; the QEMU drivers run qemu-system-x86_64 with the command line of the virtio
 * contract in docs/ARCHITECTURE.md, with KVM when /dev/kvm is usable and TCG otherwise.
 */
#include "driver.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"

#define MIB (1024ull * 1024)
#define TENDER_ERROR 125

static int add(struct driver_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add(struct driver_argv *a, const char *fmt, ...)
{
    if (a->argc + 1 >= DRIVER_MAX_ARGS)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(a->store + a->used, sizeof(a->store) - a->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(a->store) - a->used)
        return -1;
    a->argv[a->argc++] = a->store + a->used;
    a->argv[a->argc] = NULL;
    a->used += (size_t)n + 1;
    return 0;
}

static int proc_build(const struct driver_launch *l, struct driver_argv *a)
{
    char tender[PATH_MAX];
    a->argc = 0;
    a->used = 0;
    if (cmd_sibling_path("unf-proc", tender, sizeof(tender)) < 0) /* installed next to unf */
        return -1;
    int rc = add(a, "%s", tender) | add(a, "--mem") | add(a, "%llu", (unsigned long long)l->mem);
    for (int i = 0; i < l->nnics; i++) {
        rc |= add(a, "--net");
        rc |= l->nics[i].mac ? add(a, "%s,%s", l->nics[i].tap, l->nics[i].mac) : add(a, "%s", l->nics[i].tap);
    }
    if (l->archive)
        rc |= add(a, "--archive") | add(a, "%s", l->archive);
    rc |= add(a, "--") | add(a, "%s", l->kernel) | add(a, "%s", l->cmdline);
    return rc ? -1 : 0;
}

static int signal_reason(int wait_status, char *reason, size_t len)
{
    int sig = WTERMSIG(wait_status);
    if (sig == SIGSYS)
        snprintf(reason, len, "killed by the sandbox (forbidden system call)");
    else
        snprintf(reason, len, "killed by signal %d (%s)", sig, strsignal(sig));
    return 128 + sig;
}

static int proc_decode(int wait_status, char *reason, size_t len)
{
    reason[0] = '\0';
    if (WIFSIGNALED(wait_status))
        return signal_reason(wait_status, reason, len);
    int code = WEXITSTATUS(wait_status);
    if (code == TENDER_ERROR)
        snprintf(reason, len, "the proc tender could not start the guest (status 125)");
    return code;
}

static int qemu_build(const struct driver_launch *l, struct driver_argv *a, int q35)
{
    a->argc = 0;
    a->used = 0;
    int rc = add(a, "qemu-system-x86_64") | add(a, "-M") |
             add(a, "%s", q35 ? "q35" : "microvm,x-option-roms=off,rtc=on,isa-serial=on");
    if (l->kvm)
        rc |= add(a, "-accel") | add(a, "kvm") | add(a, "-cpu") | add(a, "host");
    else /* a small translation cache: guests are tiny, and the cgroup counts it */
        rc |= add(a, "-accel") | add(a, "tcg,tb-size=32") | add(a, "-cpu") | add(a, "max");
    rc |= add(a, "-m") | add(a, "%lluM", (unsigned long long)((l->mem + MIB - 1) / MIB)) |
          add(a, "-smp") | add(a, "%d", l->cpus > 0 ? l->cpus : 1) | add(a, "-nodefaults") |
          add(a, "-no-user-config") | add(a, "-display") | add(a, "none") | add(a, "-no-reboot") |
          add(a, "-kernel") | add(a, "%s", l->kernel) | add(a, "-append") | add(a, "%s", l->cmdline) |
          add(a, "-serial") | add(a, "stdio") | add(a, "-device") |
          add(a, "isa-debug-exit,iobase=0xf4,iosize=0x04");
    if (l->archive)
        rc |= add(a, "-initrd") | add(a, "%s", l->archive);
    for (int i = 0; i < l->nnics; i++) {
        /* QEMU numbers NICs in -device order, which is the guest's NIC order on both machines. */
        char mac[32] = "";
        if (l->nics[i].mac)
            snprintf(mac, sizeof(mac), ",mac=%s", l->nics[i].mac);
        rc |= add(a, "-netdev") | add(a, "tap,id=n%d,ifname=%s,script=no,downscript=no", i, l->nics[i].tap) |
              add(a, "-device");
        if (q35)
            rc |= add(a, "virtio-net-pci,netdev=n%d%s,disable-legacy=on,romfile=", i, mac);
        else
            rc |= add(a, "virtio-net-device,netdev=n%d%s", i, mac);
    }
    return rc ? -1 : 0;
}

static int microvm_build(const struct driver_launch *l, struct driver_argv *a) { return qemu_build(l, a, 0); }
static int q35_build(const struct driver_launch *l, struct driver_argv *a) { return qemu_build(l, a, 1); }

/* isa-debug-exit turns guest status s into QEMU status (s << 1) | 1; anything else is QEMU's. */
static int qemu_decode(int wait_status, char *reason, size_t len)
{
    reason[0] = '\0';
    if (WIFSIGNALED(wait_status))
        return signal_reason(wait_status, reason, len);
    int code = WEXITSTATUS(wait_status);
    if (code & 1)
        return code >> 1;
    if (code == 0)
        snprintf(reason, len, "QEMU ended without a guest exit status (stopped or reset)");
    else
        snprintf(reason, len, "QEMU failed (status %d)", code);
    return -1;
}

static const struct driver drivers[] = {
    {"proc", "proc", 16 * MIB, proc_build, proc_decode},
    {"qemu-microvm", "virtio", 160 * MIB, microvm_build, qemu_decode},
    {"qemu-q35", "virtio", 192 * MIB, q35_build, qemu_decode},
};

const struct driver *driver_find(const char *name)
{
    if (strcmp(name, "qemu") == 0)
        name = "qemu-microvm";
    for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
        if (strcmp(drivers[i].name, name) == 0)
            return &drivers[i];
    return NULL;
}

const char *driver_names(void) { return "auto, proc, qemu, qemu-microvm, qemu-q35"; }

int driver_kvm_usable(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int version = ioctl(fd, KVM_GET_API_VERSION, 0);
    close(fd);
    return version == KVM_API_VERSION;
}

/* Hardware virtualization first; without it a process sandbox beats software emulation. */
const struct driver *driver_auto(int have_proc, int have_virtio)
{
    if (have_virtio && driver_kvm_usable())
        return driver_find("qemu-microvm");
    if (have_proc)
        return driver_find("proc");
    if (have_virtio)
        return driver_find("qemu-microvm");
    return NULL;
}
