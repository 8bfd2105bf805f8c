/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IDT, local APIC and I/O APIC. Every exception vector gets a stub (traps.S) that ends in
 * intr_exception(): it prints vector, error code and RIP and exits 255, so a crash shows on the
 * console instead of becoming a silent triple fault. Vectors 0x20..0xfe only wake a halted CPU
 * (the stub sends EOI). The 8259 PICs are remapped away from the exception vectors and masked:
 * firmware may have left them live, and their IRQ0 would otherwise arrive as vector 8. The
 * LAPIC timer runs one-shot; its rate is calibrated against the TSC while clock_init() runs.
 */
#include "intr.h"

#include <platform.h>
#include <stddef.h>

#include "clock.h"
#include "console.h"
#include "cpu.h"

#define VECTOR_TIMER 0x20
#define VECTOR_SPURIOUS 0xff

#define LAPIC_ID 0x20
#define LAPIC_TPR 0x80
#define LAPIC_EOI 0xb0
#define LAPIC_SVR 0xf0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR 0x390
#define LAPIC_TIMER_DIV 0x3e0
#define LVT_MASKED (1u << 16)
#define MSR_APIC_BASE 0x1b

#define IOAPIC0_BASE 0xfec00000u
#define IOAPIC1_BASE 0xfec10000u /* QEMU microvm's second I/O APIC, GSIs from 24 */
#define IOAPIC_PINS_FIRST 24

#define MAX_SLEEP_NS 1000000000ull

struct idt_entry {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t zero;
} __attribute__((packed));

struct idt_desc {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

extern char intr_exc_stubs[], intr_irq_stub[], intr_spurious_stub[];
/* Read by intr_irq_stub. */
uintptr_t intr_lapic_eoi;

/* The 64-bit TSS: only its first interrupt stack matters, for faults that may come from a
 * broken stack (double fault, page fault: the guard page under the boot stack, NMI, #MC). */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

#define SEL_TSS 0x20
#define FAULT_STACK_SIZE 8192

extern uint64_t boot_gdt[];
static struct tss tss;
static uint8_t fault_stack[FAULT_STACK_SIZE] __attribute__((aligned(16)));
static struct idt_entry idt[256] __attribute__((aligned(16)));
static uintptr_t lapic_base;
static uint64_t lapic_hz;
static uint64_t calib_tsc;

static uint32_t lapic_read(unsigned reg) { return mmio_read32(lapic_base + reg); }
static void lapic_write(unsigned reg, uint32_t v) { mmio_write32(lapic_base + reg, v); }

static void idt_set(unsigned vector, const void *handler)
{
    uintptr_t a = (uintptr_t)handler;
    idt[vector] = (struct idt_entry){
        .offset_lo = (uint16_t)a,
        .selector = 0x08,
        .type = 0x8e, /* present, interrupt gate: IF stays clear inside handlers */
        .offset_mid = (uint16_t)(a >> 16),
        .offset_hi = (uint32_t)(a >> 32),
    };
}

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
    "device not available", "double fault", "coprocessor overrun", "invalid TSS",
    "segment not present", "stack fault", "general protection", "page fault", "reserved",
    "x87 error", "alignment check", "machine check", "SIMD error", "virtualization",
    "control protection",
};

/* Called by traps.S for vectors 0..31. */
_Noreturn void intr_exception(uint64_t vector, uint64_t error, uint64_t rip, uint64_t rsp);
_Noreturn void intr_exception(uint64_t vector, uint64_t error, uint64_t rip, uint64_t rsp)
{
    uint64_t cr2;
    __asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
    const char *name = vector < 32 && exception_names[vector] ? exception_names[vector] : "reserved";
    console_printf("unf: exception %llu (%s), error code 0x%llx, rip 0x%llx, rsp 0x%llx, cr2 0x%llx\n",
                   (unsigned long long)vector, name, (unsigned long long)error,
                   (unsigned long long)rip, (unsigned long long)rsp, (unsigned long long)cr2);
    plat_exit(255);
}

static void pic_disable(void)
{
    static const uint8_t init[][2] = {
        {0x20, 0x11}, {0xa0, 0x11}, /* ICW1: init, ICW4 follows */
        {0x21, 0xf0}, {0xa1, 0xf8}, /* ICW2: vectors 0xf0..0xff, clear of everything we use */
        {0x21, 0x04}, {0xa1, 0x02}, /* ICW3: cascade on IRQ2 */
        {0x21, 0x01}, {0xa1, 0x01}, /* ICW4: 8086 mode */
        {0x21, 0xff}, {0xa1, 0xff}, /* mask all */
    };
    for (size_t i = 0; i < sizeof(init) / sizeof(init[0]); i++)
        outb(init[i][0], init[i][1]);
}

static void tss_load(void)
{
    tss.ist[0] = (uintptr_t)(fault_stack + FAULT_STACK_SIZE);
    tss.iomap_base = sizeof(tss); /* no I/O bitmap */
    uint64_t base = (uintptr_t)&tss, limit = sizeof(tss) - 1;
    boot_gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
                            (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    boot_gdt[SEL_TSS / 8 + 1] = base >> 32;
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}

void intr_init(void)
{
    tss_load();
    for (unsigned v = 0; v < 32; v++)
        idt_set(v, intr_exc_stubs + 16 * v);
    static const uint8_t on_fault_stack[] = {2, 8, 14, 18}; /* NMI, #DF, #PF, #MC */
    for (size_t i = 0; i < sizeof(on_fault_stack); i++)
        idt[on_fault_stack[i]].ist = 1;
    for (unsigned v = 32; v < 256; v++)
        idt_set(v, v == VECTOR_SPURIOUS ? intr_spurious_stub : intr_irq_stub);
    struct idt_desc desc = {.limit = sizeof(idt) - 1, .base = (uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(desc));

    pic_disable();
    lapic_base = (uintptr_t)(rdmsr(MSR_APIC_BASE) & 0xfffff000u);
    intr_lapic_eoi = lapic_base + LAPIC_EOI;
    lapic_write(LAPIC_SVR, 0x100 | VECTOR_SPURIOUS); /* software enable */
    lapic_write(LAPIC_TPR, 0);
    lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
    lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
    lapic_write(LAPIC_TIMER_DIV, 0x0b); /* divide by 1 */
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_TIMER);
    calib_tsc = rdtsc();
    lapic_write(LAPIC_TIMER_INIT, 0xffffffffu);
}

void intr_calibrate(void)
{
    uint32_t left = lapic_read(LAPIC_TIMER_CUR);
    uint64_t tsc_ticks = rdtsc() - calib_tsc;
    lapic_write(LAPIC_TIMER_INIT, 0);
    uint64_t counted = 0xffffffffu - left;
    uint64_t ns = clock_tsc_to_ns(tsc_ticks);
    lapic_hz = ns ? counted * 1000000000ull / ns : 0;
    if (lapic_hz < 1000000) { /* implausible: assume QEMU's 1 GHz APIC bus */
        console_printf("unf: LAPIC timer calibration failed, assuming 1 GHz\n");
        lapic_hz = 1000000000ull;
    }
    lapic_write(LAPIC_LVT_TIMER, VECTOR_TIMER); /* one-shot, unmasked; armed per halt */
}

static uint32_t ioapic_read(uintptr_t base, unsigned reg)
{
    mmio_write32(base, reg);
    return mmio_read32(base + 0x10);
}

static void ioapic_write(uintptr_t base, unsigned reg, uint32_t v)
{
    mmio_write32(base, reg);
    mmio_write32(base + 0x10, v);
}

/* The I/O APIC serving `gsi` and its input pin; 0 when there is none (a missing I/O APIC reads
 * as all ones or all zeros, a real one has version 0x1X or 0x20). */
static uintptr_t ioapic_for(unsigned gsi, unsigned *pin)
{
    uintptr_t base = gsi < IOAPIC_PINS_FIRST ? IOAPIC0_BASE : IOAPIC1_BASE;
    *pin = gsi < IOAPIC_PINS_FIRST ? gsi : gsi - IOAPIC_PINS_FIRST;
    uint32_t version = ioapic_read(base, 0x01);
    if ((version & 0xff) < 0x10 || (version & 0xff) > 0x2f || *pin > ((version >> 16) & 0xff))
        return 0;
    return base;
}

int intr_has_gsi(unsigned gsi)
{
    unsigned pin;
    return ioapic_for(gsi, &pin) != 0;
}

int intr_route_gsi(unsigned gsi)
{
    unsigned pin;
    uintptr_t base = ioapic_for(gsi, &pin);
    if (!base)
        return -1;
    uint32_t apic_id = lapic_read(LAPIC_ID) >> 24;
    /* Edge-triggered: the driver acknowledges the device before it checks its rings and halts,
     * so a new rising edge always follows work it has not seen. */
    ioapic_write(base, 0x10 + 2 * pin + 1, apic_id << 24);
    ioapic_write(base, 0x10 + 2 * pin, INTR_VECTOR_DEVICE);
    return 0;
}

void intr_msi_message(uint64_t *address, uint32_t *data)
{
    *address = 0xfee00000u | ((lapic_read(LAPIC_ID) >> 24) << 12);
    *data = INTR_VECTOR_DEVICE; /* fixed delivery, edge */
}

void intr_halt(uint64_t timeout_ns)
{
    if (timeout_ns > MAX_SLEEP_NS)
        timeout_ns = MAX_SLEEP_NS;
    uint64_t ticks = timeout_ns * lapic_hz / 1000000000ull;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
    /* sti's one-instruction shadow: an interrupt already pending wakes hlt, it cannot slip in
     * before it. */
    __asm__ volatile("sti; hlt; cli" : : : "memory");
    lapic_write(LAPIC_TIMER_INIT, 0);
}
