/*
 * Hypervisor drivers: how an instance's kernel is started on each platform, as a table (proc,
 * qemu-microvm, qemu-q35; later firecracker) rather than if-chains. A driver turns a launch
 * description into an argv, says whether it can run on this host, and decodes the exit of what
 * it started into the guest's exit status and a reason.
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
        const char *tap;        /* tap device in the namespace the driver runs in */
        const char *mac;        /* NULL: the platform picks one (proc only) */
    } nics[DRIVER_MAX_NICS];    /* NIC i of the guest, in order */
    int nnics;
    int kvm;                    /* use KVM (QEMU drivers) */
};

struct driver_argv {
    char *argv[DRIVER_MAX_ARGS];
    int argc;
    char store[8192];           /* the argument strings */
    size_t used;
};

struct driver {
    const char *name;           /* --platform value */
    const char *kernel_platform;/* the image kernel it boots: "proc" or "virtio" */
    uint64_t overhead;          /* host memory beyond the guest's, for the cgroup limit */
    int (*build)(const struct driver_launch *l, struct driver_argv *a);
    /* Exit of the started process -> guest status (0..255) or -1, and a reason when not a
     * plain guest exit. */
    int (*decode)(int wait_status, char *reason, size_t len);
};

/* The driver named `name` ("qemu" means qemu-microvm), or NULL. */
const struct driver *driver_find(const char *name);
/* "proc, qemu, qemu-microvm, qemu-q35" for messages. */
const char *driver_names(void);
/* /dev/kvm is there and answers KVM_GET_API_VERSION. */
int driver_kvm_usable(void);
/* The best driver for an image offering these kernel platforms (bitmask: 1 proc, 2 virtio). */
const struct driver *driver_auto(int have_proc, int have_virtio);

#endif
