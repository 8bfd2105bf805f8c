/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CPU primitives the virtio bindings share: memory-mapped I/O, a free-running counter and the
 * memory barriers the virtio spec asks for, plus (x86_64) port I/O, the TSC, CPUID and MSRs.
 * Header-only (static inline) so every access compiles to the single instruction it stands for.
 * The arch-neutral virtio code (virtq.c, virtio_mmio.c, net.c, physmem.c) is also built into the
 * aarch64 bindings (platform/virtio-aarch64/), which is why the aarch64 half is here.
 */
#ifndef VIRTIO_CPU_H
#define VIRTIO_CPU_H

#include <stdint.h>

/* MMIO through volatile pointers: the compiler neither merges, splits nor reorders them. */
static inline uint8_t mmio_read8(uintptr_t a) { return *(volatile uint8_t *)a; }
static inline uint16_t mmio_read16(uintptr_t a) { return *(volatile uint16_t *)a; }
static inline uint32_t mmio_read32(uintptr_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write8(uintptr_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline void mmio_write16(uintptr_t a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void mmio_write32(uintptr_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void cpu_compiler_barrier(void) { __asm__ volatile("" : : : "memory"); }

#if defined(__aarch64__)

/* The virtual counter (CNTVCT_EL0): what the shared code uses where x86 reads the TSC. */
static inline uint64_t rdtsc(void)
{
    uint64_t v;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

/* Arm orders nothing by default: the virtio barriers are real ones. Outer-shareable (osh)
 * because the device is another agent, not just another CPU of this cluster. */
static inline void cpu_wmb(void) { __asm__ volatile("dmb oshst" : : : "memory"); }
static inline void cpu_rmb(void) { __asm__ volatile("dmb oshld" : : : "memory"); }
static inline void cpu_mb(void) { __asm__ volatile("dmb osh" : : : "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("yield" : : : "memory"); }

#else /* x86_64 */

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}

/* x86 keeps stores ordered with stores and loads with loads (TSO), so the virtio "wmb"/"rmb"
 * only need to stop the compiler; store-then-load ordering needs a real fence. */
static inline void cpu_wmb(void) { cpu_compiler_barrier(); }
static inline void cpu_rmb(void) { cpu_compiler_barrier(); }
static inline void cpu_mb(void) { __asm__ volatile("mfence" : : : "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" : : : "memory"); }

#endif /* x86_64 */

#endif
