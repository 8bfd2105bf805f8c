/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver table (see driver.h). proc and hvt run the tenders build/bin/unf-proc and
 * build/bin/unf-hvt next to the unf binary (same command line contract); the QEMU drivers run
 * qemu-system-x86_64 (qemu-microvm, qemu-q35) or qemu-system-aarch64 (qemu-virt) with the
 * command lines of the virtio contracts in docs/ARCHITECTURE.md.
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
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "image.h"

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

/* The tenders share one command line: TENDER [--mem B] [--net TAP[,MAC]]... [--archive F] -- KERNEL CMDLINE */
static int tender_build(const char *tender_name, const struct driver_launch *l, struct driver_argv *a)
{
    char tender[PATH_MAX];
    a->argc = 0;
    a->used = 0;
    if (cmd_sibling_path(tender_name, tender, sizeof(tender)) < 0) /* installed next to unf */
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

static int proc_build(const struct driver_launch *l, struct driver_argv *a) { return tender_build("unf-proc", l, a); }
static int hvt_build(const struct driver_launch *l, struct driver_argv *a) { return tender_build("unf-hvt", l, a); }

static int signal_reason(int wait_status, char *reason, size_t len)
{
    int sig = WTERMSIG(wait_status);
    if (sig == SIGSYS)
        snprintf(reason, len, "killed by the sandbox (forbidden system call)");
    else
        snprintf(reason, len, "killed by signal %d (%s)", sig, strsignal(sig));
    return 128 + sig;
}

static int tender_decode(const char *tender, int wait_status, char *reason, size_t len)
{
    reason[0] = '\0';
    if (WIFSIGNALED(wait_status))
        return signal_reason(wait_status, reason, len);
    int code = WEXITSTATUS(wait_status);
    if (code == TENDER_ERROR) {
        snprintf(reason, len, "the %s tender could not start the guest (status 125)", tender);
        return -1;
    }
    return code;
}

static int proc_decode(int wait_status, char *reason, size_t len) { return tender_decode("proc", wait_status, reason, len); }
static int hvt_decode(int wait_status, char *reason, size_t len) { return tender_decode("hvt", wait_status, reason, len); }

static int qemu_build(const struct driver_launch *l, struct driver_argv *a, int q35)
{
    a->argc = 0;
    a->used = 0;
    int rc = add(a, "qemu-system-x86_64") | add(a, "-M") |
             add(a, "%s", q35 ? "q35" : "microvm,x-option-roms=off,rtc=on,isa-serial=on");
    /* QEMU 7.2's "host" (and "max") model writes IA32_ARCH_CAPABILITIES, which some KVM hosts
     * (nested, AMD) refuse, aborting QEMU; the guest never reads it. */
    if (l->kvm)
        rc |= add(a, "-accel") | add(a, "kvm") | add(a, "-cpu") | add(a, "host,-arch-capabilities");
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
    if (WIFSIGNALED(wait_status)) { /* QEMU itself died (an abort, the OOM killer): no guest status */
        signal_reason(wait_status, reason, len);
        return -1;
    }
    int code = WEXITSTATUS(wait_status);
    if (code & 1)
        return code >> 1;
    if (code == 0)
        snprintf(reason, len, "QEMU ended without a guest exit status (stopped or reset)");
    else
        snprintf(reason, len, "QEMU failed (status %d)", code);
    return -1;
}

/* aarch64 virtio kernels on QEMU's virt machine (the aarch64 QEMU contract). The archive goes
 * in with the guest-loader device, which names it in the device tree (/chosen/module@ADDR):
 * QEMU loads -initrd only for Linux images, and our kernels are ELF. It sits at the top of RAM,
 * page-aligned, so the guest's heap is the RAM between the kernel and it. */
#define VIRT_RAM_BASE 0x40000000ull
#define VIRT_KERNEL_ROOM (4 * MIB) /* device tree, kernel and a minimal heap below the archive */

static int virt_build(const struct driver_launch *l, struct driver_argv *a)
{
    a->argc = 0;
    a->used = 0;
    /* Under KVM the GIC must be one the host has: many arm64 hosts have no GICv2 emulation (the
     * guest then idles by polling, see the contract). */
    int rc = add(a, "qemu-system-aarch64") | add(a, "-M") | add(a, "%s", l->kvm ? "virt,gic-version=host" : "virt");
    if (l->kvm) /* an arm64 host */
        rc |= add(a, "-accel") | add(a, "kvm") | add(a, "-cpu") | add(a, "host");
    else
        rc |= add(a, "-accel") | add(a, "tcg,tb-size=32") | add(a, "-cpu") | add(a, "cortex-a57");
    rc |= add(a, "-m") | add(a, "%lluM", (unsigned long long)((l->mem + MIB - 1) / MIB)) |
          add(a, "-smp") | add(a, "%d", l->cpus > 0 ? l->cpus : 1) | add(a, "-nodefaults") |
          add(a, "-no-user-config") | add(a, "-display") | add(a, "none") | add(a, "-no-reboot") |
          add(a, "-semihosting-config") | add(a, "enable=on,target=native") |
          add(a, "-kernel") | add(a, "%s", l->kernel) | add(a, "-append") | add(a, "%s", l->cmdline) |
          add(a, "-serial") | add(a, "stdio");
    if (l->archive) {
        struct stat st;
        uint64_t mem = (l->mem + MIB - 1) / MIB * MIB;
        if (stat(l->archive, &st) < 0 || (uint64_t)st.st_size + VIRT_KERNEL_ROOM > mem)
            return -1;
        if (st.st_size > 0) {
            uint64_t at = (VIRT_RAM_BASE + mem - (uint64_t)st.st_size) & ~0xfffull;
            rc |= add(a, "-device") | add(a, "guest-loader,addr=0x%llx,initrd=%s", (unsigned long long)at, l->archive);
        }
    }
    for (int i = 0; i < l->nnics; i++) {
        char mac[32] = "";
        if (l->nics[i].mac)
            snprintf(mac, sizeof(mac), ",mac=%s", l->nics[i].mac);
        rc |= add(a, "-netdev") | add(a, "tap,id=n%d,ifname=%s,script=no,downscript=no", i, l->nics[i].tap) |
              add(a, "-device") | add(a, "virtio-net-device,netdev=n%d%s", i, mac);
    }
    return rc ? -1 : 0;
}

/* Semihosting's SYS_EXIT_EXTENDED makes the guest's status QEMU's. A guest that powered off
 * through PSCI (semihosting off) ends QEMU with 0; QEMU's own start-up errors are status 1,
 * the same as a guest's 1: its message on the console tells them apart. */
static int virt_decode(int wait_status, char *reason, size_t len)
{
    reason[0] = '\0';
    if (WIFSIGNALED(wait_status)) {
        signal_reason(wait_status, reason, len);
        return -1;
    }
    return WEXITSTATUS(wait_status);
}

static const struct driver drivers[] = {
    {"proc", "proc", DRIVER_ACCEL_NONE, 16 * MIB, proc_build, proc_decode, "x86_64", 0, 1},
    {"hvt", "hvt", DRIVER_ACCEL_KVM, 16 * MIB, hvt_build, hvt_decode, "x86_64", 0, 1},
    {"qemu-microvm", "virtio", DRIVER_ACCEL_KVM | DRIVER_ACCEL_TCG, 160 * MIB, microvm_build, qemu_decode, "x86_64", 1, 0},
    {"qemu-q35", "virtio", DRIVER_ACCEL_KVM | DRIVER_ACCEL_TCG, 192 * MIB, q35_build, qemu_decode, "x86_64", 1, 0},
    {"qemu-virt", "virtio", DRIVER_ACCEL_KVM | DRIVER_ACCEL_TCG, 192 * MIB, virt_build, virt_decode, "aarch64", 1, 0},
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

const char *driver_names(void) { return "auto, proc, hvt, qemu, qemu-microvm, qemu-q35, qemu-virt"; }

int driver_kvm_usable(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int version = ioctl(fd, KVM_GET_API_VERSION, 0);
    close(fd);
    return version == KVM_API_VERSION;
}

const char *driver_host_arch(void)
{
    static struct utsname u;
    return uname(&u) == 0 ? u.machine : "x86_64";
}

int driver_kvm_hardware(void)
{
    if (strcmp(driver_host_arch(), "x86_64") != 0) /* arm64 KVM always runs guests in hardware */
        return 1;
    FILE *f = fopen("/proc/cpuinfo", "re");
    if (!f)
        return 0;
    char line[8192];
    int found = 0;
    while (!found && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        for (char *save = NULL, *w = strtok_r(strchr(line, ':'), " :\t\n", &save); w;
             w = strtok_r(NULL, " \t\n", &save))
            if (strcmp(w, "vmx") == 0 || strcmp(w, "svm") == 0)
                found = 1;
        break; /* every CPU shows the same flags */
    }
    fclose(f);
    return found;
}

static unsigned have_bit(const char *kernel_platform)
{
    return strcmp(kernel_platform, "proc") == 0 ? DRIVER_HAVE_PROC
         : strcmp(kernel_platform, "hvt") == 0 ? DRIVER_HAVE_HVT : DRIVER_HAVE_VIRTIO;
}

unsigned driver_kernels_offered(const struct image *img, const char *arch)
{
    unsigned have = 0;
    for (int i = 0; i < img->nkernels; i++)
        if (strcmp(img->kernels[i].arch, arch) == 0)
            have |= have_bit(img->kernels[i].platform);
    return have;
}

static const char *have_name(unsigned have)
{
    return have & DRIVER_HAVE_HVT ? "hvt" : have & DRIVER_HAVE_PROC ? "proc" : "virtio";
}

/* Auto platform: the first driver in preference order whose kernel the image has. Other
 * architectures than x86_64 have one candidate order: the table's. */
static const struct driver *auto_driver(const char *arch, unsigned want_accel, int kvm_hw, unsigned have)
{
    if (strcmp(arch, "x86_64") != 0) {
        for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
            if (strcmp(drivers[i].arch, arch) == 0 && (have & have_bit(drivers[i].kernel_platform)) &&
                (!want_accel || (drivers[i].accels & want_accel)))
                return &drivers[i];
        return NULL;
    }
    static const char *const with_hw[] = {"hvt", "qemu-microvm", "proc", NULL};
    static const char *const without[] = {"proc", "qemu-microvm", NULL};
    const char *const *order = want_accel == DRIVER_ACCEL_KVM ? (const char *const[]){"hvt", "qemu-microvm", NULL}
                             : want_accel == DRIVER_ACCEL_TCG ? (const char *const[]){"qemu-microvm", NULL}
                             : kvm_hw ? with_hw : without;
    for (; *order; order++) {
        const struct driver *d = driver_find(*order);
        if (have & have_bit(d->kernel_platform))
            return d;
    }
    return NULL;
}

const struct driver *driver_select(const char *platform, const char *accel, unsigned have,
                                   char *accel_out, size_t accel_len, char *err, size_t errlen)
{
    return driver_select_arch(driver_host_arch(), platform, accel, have, accel_out, accel_len, err, errlen);
}

const struct driver *driver_select_arch(const char *arch, const char *platform, const char *accel, unsigned have,
                                        char *accel_out, size_t accel_len, char *err, size_t errlen)
{
    unsigned want = strcmp(accel, "kvm") == 0 ? DRIVER_ACCEL_KVM : strcmp(accel, "tcg") == 0 ? DRIVER_ACCEL_TCG : 0;
    int foreign = strcmp(arch, driver_host_arch()) != 0;
    if (foreign && want == DRIVER_ACCEL_KVM) {
        snprintf(err, errlen, "--accel kvm cannot run %s kernels on this %s host", arch, driver_host_arch());
        return NULL;
    }
    if (foreign) /* emulation is all there is */
        want = DRIVER_ACCEL_TCG;
    int kvm_ok = !foreign && driver_kvm_usable();
    int kvm_hw = kvm_ok && driver_kvm_hardware();
    const struct driver *d =
        strcmp(platform, "auto") == 0 ? auto_driver(arch, want, kvm_hw, have) : driver_find(platform);
    if (!d) {
        if (strcmp(platform, "auto") != 0)
            snprintf(err, errlen, "unknown platform '%s' (%s)", platform, driver_names());
        else
            snprintf(err, errlen, "no kernel in the image can run with --accel %s (it has a %s kernel)", accel, have_name(have));
        return NULL;
    }
    if (strcmp(d->arch, arch) != 0) {
        snprintf(err, errlen, "platform %s boots %s kernels, not %s", d->name, d->arch, arch);
        return NULL;
    }
    if (!(have & have_bit(d->kernel_platform))) {
        snprintf(err, errlen, "platform %s needs a %s kernel, which the image does not have", d->name, d->kernel_platform);
        return NULL;
    }
    if (want && !(d->accels & want)) {
        snprintf(err, errlen, "platform %s cannot use --accel %s", d->name, accel);
        return NULL;
    }
    if (!want) /* the driver's best on this host: KVM only when it runs in hardware, or is all it has */
        want = d->accels & DRIVER_ACCEL_NONE ? DRIVER_ACCEL_NONE
             : (d->accels & DRIVER_ACCEL_KVM) && (kvm_hw || !(d->accels & DRIVER_ACCEL_TCG)) ? DRIVER_ACCEL_KVM
             : DRIVER_ACCEL_TCG;
    if (want == DRIVER_ACCEL_KVM && !kvm_ok) {
        snprintf(err, errlen, "platform %s with KVM: /dev/kvm is missing or does not answer here", d->name);
        return NULL;
    }
    snprintf(accel_out, accel_len, "%s", want == DRIVER_ACCEL_KVM ? "kvm" : want == DRIVER_ACCEL_TCG ? "tcg" : "none");
    return d;
}

const struct driver *driver_pick(const struct image *img, const char *arch, const char *platform, const char *accel,
                                 const struct image_kernel **kernel, char *accel_out, size_t accel_len, char *err,
                                 size_t errlen)
{
    if (!arch)
        arch = driver_host_arch();
    unsigned have = driver_kernels_offered(img, arch);
    if (!have) {
        char list[256] = "";
        for (int i = 0; i < img->nkernels; i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s-%s", i ? ", " : "",
                     img->kernels[i].arch, img->kernels[i].platform);
        snprintf(err, errlen, "no kernel for %s (the image has: %s)", arch, list);
        return NULL;
    }
    const struct driver *d = driver_select_arch(arch, platform, accel, have, accel_out, accel_len, err, errlen);
    if (!d)
        return NULL;
    /* Found by hand rather than image_find_kernel(): unf-monitor links this file without image.c. */
    for (int i = 0; i < img->nkernels; i++)
        if (strcmp(img->kernels[i].arch, arch) == 0 && strcmp(img->kernels[i].platform, d->kernel_platform) == 0) {
            *kernel = &img->kernels[i];
            return d;
        }
    snprintf(err, errlen, "no %s-%s kernel in the image", arch, d->kernel_platform);
    return NULL;
}
