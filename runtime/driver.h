/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hypervisor drivers: how an instance's kernel is started on each platform, as a table (proc,
 * hvt, qemu-microvm, qemu-q35; later firecracker) rather than if-chains. A driver turns a launch
 * description into an argv and decodes the exit of what it started into the guest's exit status
 * and a reason. driver_select() is the one place that decides platform and accelerator for a
 * host: the CLI, the testbeds and the benchmarks all go through it, so they launch the same way.
 */
#ifndef RUNTIME_DRIVER_H
#define RUNTIME_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#define DRIVER_MAX_ARGS 64
#define DRIVER_MAX_NICS 4

struct driver_launch {
    const char *kernel;         /* kernel file on the host */
    const char *archive;        /* the guest's file archive, or NULL */
    const char *cmdline;        /* guest command line */
    uint64_t mem;               /* guest memory, bytes */
    int cpus;                   /* virtual CPUs (QEMU) */
    struct {
        const char *tap;        /* tap device in the namespace the driver runs in, or
                                   "packet:IFACE" for a driver with packet_links */
        const char *mac;        /* NULL: the platform picks one (proc only) */
    } nics[DRIVER_MAX_NICS];    /* NIC i of the guest, in order */
    int nnics;
    int kvm;                    /* use KVM (QEMU drivers; hvt always does) */
};

struct driver_argv {
    char *argv[DRIVER_MAX_ARGS];
    int argc;
    char store[8192];           /* the argument strings */
    size_t used;
};

/* Accelerators a driver can use (struct driver.accels). */
#define DRIVER_ACCEL_NONE 1u    /* no hypervisor: proc */
#define DRIVER_ACCEL_KVM  2u
#define DRIVER_ACCEL_TCG  4u

/* Kernel platforms an image offers (bitmask for driver_select). */
#define DRIVER_HAVE_PROC   1u
#define DRIVER_HAVE_HVT    2u
#define DRIVER_HAVE_VIRTIO 4u

struct driver {
    const char *name;           /* --platform value */
    const char *kernel_platform;/* the image kernel it boots: "proc", "hvt" or "virtio" */
    unsigned accels;            /* DRIVER_ACCEL_* it can run with */
    uint64_t overhead;          /* host memory beyond the guest's, for the cgroup limit */
    int (*build)(const struct driver_launch *l, struct driver_argv *a);
    /* Exit of the started process -> guest status (0..255) or -1, and a reason when not a
     * plain guest exit. */
    int (*decode)(int wait_status, char *reason, size_t len);
    const char *arch;           /* the architecture of the kernels it boots: "x86_64", "aarch64" */
    /* Its own start-up failures can read as a guest status (QEMU's error exit 1 is guest status 0
     * through isa-debug-exit): the monitor then also judges by whether the guest spoke. A tender
     * has no such overlap (its own errors are 125, decoded as -1). */
    int status_ambiguous;
    /* Its NICs can be a link of the namespace reached by a packet socket ("packet:IFACE" as the
     * nic's tap): the instance then gets the packet layout (net.h), no bridge and no tap. */
    int packet_links;
};

/* The driver named `name` ("qemu" means qemu-microvm), or NULL. */
const struct driver *driver_find(const char *name);
/* "auto, proc, hvt, qemu, ..." for messages. */
const char *driver_names(void);
/* /dev/kvm is there and answers KVM_GET_API_VERSION. */
int driver_kvm_usable(void);
/* The CPU shows vmx or svm: KVM runs guest code in hardware. Without it a /dev/kvm is a
 * software hypervisor (e.g. kvm_pvm) that emulates guest ring 0, slower than TCG. */
int driver_kvm_hardware(void);

struct image;
/* The DRIVER_HAVE_* bits of the kernels an image offers for arch. */
unsigned driver_kernels_offered(const struct image *img, const char *arch);

/* The driver and accelerator for an image offering the kernel platforms `have` (DRIVER_HAVE_*).
 * platform: "auto" or a driver name; accel: "auto", "kvm" or "tcg". Auto prefers, with hardware
 * KVM: hvt, QEMU microvm on KVM, proc; without: proc, QEMU microvm on TCG (a software /dev/kvm is
 * used only when asked for). Writes "kvm", "tcg" or "none" to accel_out; NULL and a one-line
 * reason in err when nothing fits. */
const struct driver *driver_select(const char *platform, const char *accel, unsigned have,
                                   char *accel_out, size_t accel_len, char *err, size_t errlen);

/* The host's architecture as kernels are named ("x86_64", "aarch64"; uname's machine). */
const char *driver_host_arch(void);
/* driver_select for kernels of `arch` (`have`: what the image offers for that arch): only
 * drivers booting that arch qualify, and on a host of another arch only emulation (TCG), e.g.
 * aarch64 kernels on x86_64 run on qemu-virt with TCG. driver_select() is this with the host's
 * arch. */
const struct driver *driver_select_arch(const char *arch, const char *platform, const char *accel, unsigned have,
                                        char *accel_out, size_t accel_len, char *err, size_t errlen);

struct image_kernel;
/* What `unf run` boots: the driver, accelerator and kernel for img's kernels of arch (NULL: the
 * host's), platform and accel as the CLI takes them ("auto", a driver name; "auto", "kvm",
 * "tcg"). The one chooser behind `unf run`, `unf testbed` and `unf-bench`; NULL with one line in
 * err (without the image's name) when nothing fits. */
const struct driver *driver_pick(const struct image *img, const char *arch, const char *platform, const char *accel,
                                 const struct image_kernel **kernel, char *accel_out, size_t accel_len, char *err,
                                 size_t errlen);

#endif
