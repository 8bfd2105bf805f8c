/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Long mode for the hvt guest, built by the tender (see cpu.h). The guest never runs privileged
 * code on a normal path: on a software KVM (kvm_pvm) CPL0 code is emulated instruction by
 * instruction (~1.7 us a loop iteration) while CPL3 runs natively, and on hardware KVM CPL3
 * costs nothing. Only the exception stubs run at CPL0, once, on the way out.
 */
#include "cpu.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "hvt_abi.h"
#include "tender.h"

/* GDT slots; selectors are slot * 8 (| 3 for the user ones). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UDATA 0x18
#define SEL_UCODE 0x20
#define SEL_TSS   0x28
#define TSS_ADDR  (CPU_GDT_ADDR + 0x80)
/* The TSS's I/O permission bitmap covers ports 0..IOMAP_PORTS-1 (a clear bit allows a port),
 * then the 0xff byte the CPU wants after it. */
#define IOMAP_OFFSET 104
#define IOMAP_PORTS  (HVT_PORT_CONSOLE + 16)
#define TSS_LIMIT    (IOMAP_OFFSET + IOMAP_PORTS / 8 + 1 - 1)
_Static_assert(HVT_PORT_CONSOLE % 8 == 0 && HVT_PORT_NET_READV + 4 <= HVT_PORT_CONSOLE + 16,
               "the hypercall ports must fit the two bitmap bytes cpu.c clears");
#define IDT_VECTORS 32
#define STUB_SIZE   16

/* Flat 64-bit descriptors with the accessed bit preset (the CPU would otherwise write it). */
#define DESC_KCODE 0x00af9b000000ffffULL
#define DESC_KDATA 0x00cf93000000ffffULL
#define DESC_UDATA 0x00cff3000000ffffULL
#define DESC_UCODE 0x00affb000000ffffULL

#define CR0_PE 0x1ULL
#define CR0_MP 0x2ULL
#define CR0_ET 0x10ULL
#define CR0_NE 0x20ULL
#define CR0_WP 0x10000ULL
#define CR0_PG 0x80000000ULL
#define CR4_PAE 0x20ULL
#define EFER_LME 0x100ULL
#define EFER_LMA 0x400ULL
#define EFER_NXE 0x800ULL
#define RFLAGS_FIXED 0x2ULL
#define RFLAGS_IOPL3 0x3000ULL

static const char *const vector_names[IDT_VECTORS] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor segment overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 floating point", "alignment check", "machine check", "SIMD floating point",
    "virtualization", "control protection", "reserved", "reserved", "reserved", "reserved",
    "reserved", "reserved", "hypervisor injection", "VMM communication", "security", "reserved",
};

/* Vectors for which the CPU pushes an error code. */
static int has_error_code(unsigned v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void write_gdt_tss(uint8_t *gdt)
{
    put64(gdt + SEL_KCODE, DESC_KCODE);
    put64(gdt + SEL_KDATA, DESC_KDATA);
    put64(gdt + SEL_UDATA, DESC_UDATA);
    put64(gdt + SEL_UCODE, DESC_UCODE);
    /* A 16-byte available 64-bit TSS descriptor (type 9; KVM_SET_SREGS marks it busy). */
    uint64_t base = TSS_ADDR;
    uint64_t lo = TSS_LIMIT | (base & 0xffffff) << 16 | 0x89ULL << 40 | ((base >> 24) & 0xff) << 56;
    put64(gdt + SEL_TSS, lo);
    put64(gdt + SEL_TSS + 8, base >> 32);
    /* The TSS: RSP0 (the stack exceptions from CPL3 switch to) and the I/O bitmap. */
    uint8_t *tss = gdt + (TSS_ADDR - CPU_GDT_ADDR);
    put64(tss + 4, CPU_STACK0_TOP);
    uint16_t iomap = IOMAP_OFFSET;
    memcpy(tss + 102, &iomap, 2);
    /* IOPL=3 alone should let CPL3 use any port, but kvm_pvm (a software KVM) runs user mode
     * with the hardware IOPL at 0 and checks this bitmap instead: allow the hypercall ports
     * 0x500-0x50f (a 32-bit `out` to 0x506 checks the bits of 0x506-0x509), nothing else. */
    uint8_t *map = tss + IOMAP_OFFSET;
    memset(map, 0xff, IOMAP_PORTS / 8 + 1);
    map[HVT_PORT_CONSOLE / 8] = 0;
    map[HVT_PORT_CONSOLE / 8 + 1] = 0;
}

static void write_idt_stubs(uint8_t *idt, uint8_t *stubs)
{
    for (unsigned v = 0; v < IDT_VECTORS; v++) {
        /* mov $HVT_PORT_FAULT,%dx; mov $v,%al; out %al,(%dx); hlt; jmp .-1 */
        uint8_t code[STUB_SIZE] = {0x66, 0xba, HVT_PORT_FAULT & 0xff, HVT_PORT_FAULT >> 8,
                                   0xb0, (uint8_t)v, 0xee, 0xf4, 0xeb, 0xfd};
        memcpy(stubs + v * STUB_SIZE, code, STUB_SIZE);
        uint64_t off = CPU_STUBS_ADDR + v * STUB_SIZE;
        /* A 64-bit interrupt gate, DPL0 (an `int n` from CPL3 is a #GP), no IST. */
        uint64_t lo = (off & 0xffff) | (uint64_t)SEL_KCODE << 16 | 0x8eULL << 40 |
                      ((off >> 16) & 0xffff) << 48;
        put64(idt + v * 16, lo);
        put64(idt + v * 16 + 8, off >> 32);
    }
}

int cpu_write_tables(struct gmem *m)
{
    uint8_t *low = gmem_ram_ptr(m, 0, CPU_PRIVATE_END);
    if (!low)
        return tender_error("guest memory too small for the CPU tables");
    memset(low + CPU_GDT_ADDR, 0, CPU_STACK0_LOW - CPU_GDT_ADDR);
    write_gdt_tss(low + CPU_GDT_ADDR);
    write_idt_stubs(low + CPU_IDT_ADDR, low + CPU_STUBS_ADDR);
    if (gmem_add(m, CPU_GDT_ADDR, CPU_STUBS_ADDR, GMEM_WRITE) < 0 ||
        gmem_add(m, CPU_STUBS_ADDR, CPU_STACK0_LOW, GMEM_EXEC) < 0 ||
        gmem_add(m, CPU_STACK0_LOW, CPU_STACK0_TOP, GMEM_WRITE) < 0)
        return -1;
    return 0;
}

static struct kvm_segment segment(uint16_t selector, uint8_t type, uint8_t dpl, int code)
{
    struct kvm_segment s = {
        .base = 0, .limit = 0xffffffff, .selector = selector, .type = type, .present = 1,
        .dpl = dpl, .db = code ? 0 : 1, .s = 1, .l = code ? 1 : 0, .g = 1,
    };
    return s;
}

int cpu_enter(int vcpu_fd, uint64_t cr3, uint64_t entry, uint64_t stack, uint64_t arg)
{
    struct kvm_sregs sr;
    struct kvm_regs r;

    if (ioctl(vcpu_fd, KVM_GET_SREGS, &sr) < 0)
        return tender_error("KVM_GET_SREGS: %s", strerror(errno));
    sr.cs = segment(SEL_UCODE | 3, 11, 3, 1);
    sr.ds = sr.es = sr.fs = sr.gs = sr.ss = segment(SEL_UDATA | 3, 3, 3, 0);
    sr.tr = (struct kvm_segment){.base = TSS_ADDR, .limit = TSS_LIMIT, .selector = SEL_TSS,
                                 .type = 11, .present = 1};
    sr.ldt = (struct kvm_segment){.type = 2, .present = 1, .unusable = 1};
    sr.gdt.base = CPU_GDT_ADDR;
    sr.gdt.limit = SEL_TSS + 16 - 1;
    sr.idt.base = CPU_IDT_ADDR;
    sr.idt.limit = IDT_VECTORS * 16 - 1;
    sr.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    sr.cr3 = cr3;
    sr.cr4 = CR4_PAE;
    sr.efer = EFER_LME | EFER_LMA | EFER_NXE;
    if (ioctl(vcpu_fd, KVM_SET_SREGS, &sr) < 0)
        return tender_error("KVM_SET_SREGS: %s", strerror(errno));
    memset(&r, 0, sizeof(r));
    r.rip = entry;
    r.rsp = stack;
    r.rdi = arg;
    r.rflags = RFLAGS_FIXED | RFLAGS_IOPL3; /* IF=0: the guest polls, nothing interrupts it */
    if (ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0)
        return tender_error("KVM_SET_REGS: %s", strerror(errno));
    return 0;
}

uint64_t cpu_rip(int vcpu_fd)
{
    struct kvm_regs r;
    return ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0 ? 0 : r.rip;
}

void cpu_report_fault(int vcpu_fd, const struct gmem *m, unsigned vector)
{
    struct kvm_regs r;
    struct kvm_sregs sr;
    if (vector >= IDT_VECTORS || ioctl(vcpu_fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(vcpu_fd, KVM_GET_SREGS, &sr) < 0) {
        tender_error("guest wrote %u on the fault port", vector);
        return;
    }
    if ((sr.cs.selector & 3) != 0) { /* a stub runs at CPL0; the guest itself cannot */
        tender_error("guest wrote on the fault port at rip 0x%llx", (unsigned long long)r.rip);
        return;
    }
    /* The stub pushed nothing: %rsp points at the frame the CPU pushed (error code first). */
    int err = has_error_code(vector);
    const uint64_t *f = gmem_ram_ptr(m, r.rsp, (err ? 6 : 5) * 8);
    if (!f || r.rsp % 8) {
        tender_error("guest exception %u (%s), frame unreadable (rsp 0x%llx)", vector,
                     vector_names[vector], (unsigned long long)r.rsp);
        return;
    }
    uint64_t code = err ? f[0] : 0;
    f += err;
    char extra[64] = "";
    if (err)
        snprintf(extra, sizeof(extra), ", error 0x%llx", (unsigned long long)code);
    tender_error("guest exception %u (%s) at rip 0x%llx, rsp 0x%llx%s, cr2 0x%llx, rflags 0x%llx",
                 vector, vector_names[vector], (unsigned long long)f[0], (unsigned long long)f[3],
                 extra, (unsigned long long)sr.cr2, (unsigned long long)f[2]);
}
