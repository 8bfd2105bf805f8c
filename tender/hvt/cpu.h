/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hvt guest's CPU, set up entirely by the tender before the first KVM_RUN: 64-bit long mode
 * (CR0.PG|PE, CR4.PAE, EFER.LME|LMA|NXE), a GDT with kernel and user segments and a TSS, an IDT
 * whose 32 exception vectors lead through the TSS's RSP0 stack to tiny CPL0 stubs that report
 * the vector on HVT_PORT_FAULT, and the guest itself at CPL3 with IOPL=3 (port I/O hypercalls
 * are allowed, interrupts are off). The structures live in supervisor-only pages below the boot
 * info, so the guest can neither read nor change them.
 */
#ifndef UNF_TENDER_HVT_CPU_H
#define UNF_TENDER_HVT_CPU_H

#include <stdint.h>

#include "guest_mem.h"

/* The tender's private low pages (GPA); page 0 stays unmapped to catch NULL pointers. */
#define CPU_GDT_ADDR    0x1000ULL /* GDT, then the TSS in the same page */
#define CPU_IDT_ADDR    0x2000ULL
#define CPU_STUBS_ADDR  0x3000ULL
#define CPU_STACK0_LOW  0x4000ULL /* the CPL0 stack exceptions are delivered on */
#define CPU_STACK0_TOP  0x8000ULL
#define CPU_PRIVATE_END 0x8000ULL

/* Writes GDT, TSS, IDT and the stubs into guest RAM and declares their regions. */
int cpu_write_tables(struct gmem *m);
/* Sets the vCPU's registers: long mode with paging at cr3, CPL3 at entry with %rsp = stack and
 * %rdi = arg. -1 (reported) on failure. */
int cpu_enter(int vcpu_fd, uint64_t cr3, uint64_t entry, uint64_t stack, uint64_t arg);
/* Prints the one-line report of a guest exception whose stub just wrote `vector` on the fault
 * port: "unf-hvt: guest exception N (name) at rip ..., rsp ..., error ..., cr2 ...". */
void cpu_report_fault(int vcpu_fd, const struct gmem *m, unsigned vector);
/* The guest's %rip now, for error reports; 0 when it cannot be read. */
uint64_t cpu_rip(int vcpu_fd);

#endif
