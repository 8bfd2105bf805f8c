/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Creating the VM and its vCPU (see vm.h). The vCPU gets the CPUID KVM supports (so long mode
 * and NX are what the guest CPU claims) and reports its TSC frequency, which the guest needs for
 * its clock. /dev/kvm and the VM fd are closed at the end: nothing after the seal needs them.
 */
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tender.h"

#define CPUID_ENTRIES 256

static int add_slot(int vm, uint32_t slot, uint64_t gpa, uint64_t size, const void *host,
                    uint32_t flags)
{
    struct kvm_userspace_memory_region r = {
        .slot = slot, .flags = flags, .guest_phys_addr = gpa, .memory_size = size,
        .userspace_addr = (uint64_t)(uintptr_t)host,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        return tender_error("KVM_SET_USER_MEMORY_REGION (slot %u): %s", slot, strerror(errno));
    return 0;
}

static int set_cpuid(int kvm, int vcpu)
{
    size_t size = sizeof(struct kvm_cpuid2) + CPUID_ENTRIES * sizeof(struct kvm_cpuid_entry2);
    struct kvm_cpuid2 *c = calloc(1, size);
    int rc = -1;
    if (!c)
        return tender_error("out of memory");
    c->nent = CPUID_ENTRIES;
    if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) < 0)
        tender_error("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
    else if (ioctl(vcpu, KVM_SET_CPUID2, c) < 0)
        tender_error("KVM_SET_CPUID2: %s", strerror(errno));
    else
        rc = 0;
    free(c);
    return rc;
}

int vm_open(struct vm *vm, const struct gmem *m)
{
    int kvm = -1, fd = -1, rc = -1;
    memset(vm, 0, sizeof(*vm));
    vm->vcpu = -1;

    kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0)
        return tender_error("/dev/kvm: %s", strerror(errno));
    int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) {
        tender_error("/dev/kvm: unsupported KVM API version %d", api);
        goto out;
    }
    fd = ioctl(kvm, KVM_CREATE_VM, 0);
    if (fd < 0) {
        tender_error("KVM_CREATE_VM: %s", strerror(errno));
        goto out;
    }
    if (add_slot(fd, 0, 0, m->size, m->base, 0) < 0)
        goto out;
    if (m->rom && add_slot(fd, 1, m->rom_gpa, (m->rom_size + 4095) & ~4095ULL, m->rom,
                           KVM_MEM_READONLY) < 0)
        goto out;
    int mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (mmap_size < (int)sizeof(struct kvm_run)) {
        tender_error("KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
        goto out;
    }
    vm->vcpu = ioctl(fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu < 0) {
        tender_error("KVM_CREATE_VCPU: %s", strerror(errno));
        goto out;
    }
    if (set_cpuid(kvm, vm->vcpu) < 0)
        goto out;
    int khz = ioctl(vm->vcpu, KVM_GET_TSC_KHZ, 0);
    if (khz <= 0) {
        tender_error("KVM_GET_TSC_KHZ: %s", khz < 0 ? strerror(errno) : "zero");
        goto out;
    }
    vm->tsc_khz = (uint64_t)khz;
    void *run = mmap(NULL, (size_t)mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
    if (run == MAP_FAILED) {
        tender_error("mmap of kvm_run: %s", strerror(errno));
        goto out;
    }
    vm->run = run;
    vm->run_size = (size_t)mmap_size;
    rc = 0;
out:
    if (rc < 0 && vm->vcpu >= 0) {
        close(vm->vcpu);
        vm->vcpu = -1;
    }
    if (fd >= 0)
        close(fd);
    close(kvm);
    return rc;
}
