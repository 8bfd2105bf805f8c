/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The KVM objects of one hvt guest: the VM with its memory slots (guest RAM at GPA 0, the
 * archive as a read-only slot above it) and its single vCPU with the mmap'ed kvm_run. After
 * vm_open() only the vCPU fd stays open: the VM lives as long as its vCPU does.
 */
#ifndef UNF_TENDER_HVT_VM_H
#define UNF_TENDER_HVT_VM_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

#include "guest_mem.h"

struct vm {
    int vcpu;             /* -1 when closed */
    struct kvm_run *run;  /* shared with the kernel: exit reason and I/O data */
    size_t run_size;
    uint64_t tsc_khz;
};

/* Creates the VM with m's RAM (and read-only range, if any) and its vCPU. -1 (reported). */
int vm_open(struct vm *vm, const struct gmem *m);

#endif
