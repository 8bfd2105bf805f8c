/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console, exit and fault reports of the aarch64 virtio bindings. Output goes byte by byte to
 * the virt machine's PL011 UART at 0x09000000, waiting while its transmit FIFO is full (QEMU's
 * needs no set-up: it is enabled at reset). Exit first asks QEMU through semihosting
 * (SYS_EXIT_EXTENDED: QEMU ends with the guest's status, which needs
 * `-semihosting-config enable=on,target=native`); without semihosting the HLT traps, and the
 * fallback is PSCI SYSTEM_OFF through the conduit the device tree names (QEMU then ends with
 * status 0: the status is lost, the guest is off).
 */
#include "virt.h"

#include <platform.h>
#include <stdarg.h>
#include <stdio.h>

#include "virtio/console.h"
#include "virtio/cpu.h"
#include "virtio/net.h"

#define PL011_BASE 0x09000000u
#define PL011_DR 0x000
#define PL011_FR 0x018
#define FR_TXFF (1u << 5)
#define TXFF_SPINS 100000 /* a stuck UART must not hang us */

#define SEMIHOSTING_SYS_EXIT_EXTENDED 0x20
#define ADP_STOPPED_APPLICATION_EXIT 0x20026
#define PSCI_SYSTEM_OFF 0x84000008u

int virt_psci_smc; /* set by start.c from /psci "method" */
static volatile int exiting;

void console_init(void) {}

void console_putc(char c)
{
    for (int i = 0; i < TXFF_SPINS && (mmio_read32(PL011_BASE + PL011_FR) & FR_TXFF); i++)
        cpu_relax();
    mmio_write32(PL011_BASE + PL011_DR, (uint8_t)c);
}

static _Noreturn void psci_off(void)
{
    register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;
    if (virt_psci_smc)
        __asm__ volatile("smc #0" : "+r"(x0) : : "memory");
    else
        __asm__ volatile("hvc #0" : "+r"(x0) : : "memory");
    for (;;)
        __asm__ volatile("msr daifset, #0xf; wfi");
}

_Noreturn void plat_exit(int status)
{
    vnet_flush();
    if (exiting) /* semihosting trapped (it is off): power off instead */
        psci_off();
    exiting = 1;
    uint64_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint64_t)status & 0xff};
    register uint64_t x0 __asm__("x0") = SEMIHOSTING_SYS_EXIT_EXTENDED;
    register uint64_t x1 __asm__("x1") = (uintptr_t)block;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    psci_off();
}

_Noreturn void plat_abort(const char *why)
{
    console_printf("unf: abort: %s\n", why ? why : "(no reason)");
    plat_exit(255);
}

static const char *class_name(unsigned ec)
{
    switch (ec) {
    case 0x00: return "unknown instruction";
    case 0x07: return "FP/SIMD access";
    case 0x0e: return "illegal execution state";
    case 0x15: return "svc";
    case 0x18: return "system register access";
    case 0x20: case 0x21: return "instruction abort";
    case 0x22: return "PC alignment";
    case 0x24: case 0x25: return "data abort";
    case 0x26: return "SP alignment";
    case 0x3c: return "brk";
    default: return "other";
    }
}

/* Called by boot.S's vectors; index 0-3 current EL with SP_EL0, 4-7 with SP_ELx, 8-15 lower
 * ELs; within each group synchronous, IRQ, FIQ, SError. */
_Noreturn void virt_exception(uint64_t index, uint64_t esr, uint64_t elr, uint64_t far, uint64_t sp);
_Noreturn void virt_exception(uint64_t index, uint64_t esr, uint64_t elr, uint64_t far, uint64_t sp)
{
    if (exiting) /* the semihosting HLT of plat_exit trapped */
        psci_off();
    static const char *const kinds[4] = {"synchronous", "IRQ", "FIQ", "SError"};
    unsigned ec = (unsigned)(esr >> 26) & 0x3f;
    console_printf("unf: exception class 0x%02x (%s, %s), esr 0x%llx, elr 0x%llx, far 0x%llx, sp 0x%llx\n", ec,
                   (index & 3) == 0 ? class_name(ec) : "-", kinds[index & 3], (unsigned long long)esr,
                   (unsigned long long)elr, (unsigned long long)far, (unsigned long long)sp);
    plat_exit(255);
}
