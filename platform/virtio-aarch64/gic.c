/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The GIC of QEMU's virt machine, only so that WFI wakes up: interrupts stay masked in PSTATE and
 * have no handlers, but a PE in WFI wakes when an interrupt is pending at its CPU interface,
 * whatever PSTATE.I says. So the distributor forwards the interrupts we wait for (the virtual
 * timer's PPI, the NICs' SPIs), all level-sensitive, and nothing is ever acknowledged: their
 * sources drop the lines (the timer is disarmed, the device's InterruptStatus acknowledged).
 * GICv2 (virt's default under TCG): memory-mapped distributor and CPU interface. GICv3 (KVM on
 * most arm64 hosts, or gic-version=3): distributor with affinity routing, the CPU's
 * redistributor (woken up first) for PPIs, and the CPU interface's system registers; the
 * interrupts go in group 1. One CPU, no security extensions (virt without secure=on).
 */
#include "gic.h"

#include "virtio/cpu.h"

#define GICD_CTLR 0x000
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICPENDR 0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800 /* v2 */
#define GICD_ICFGR 0xc00
#define GICD_IROUTER 0x6000 /* v3 */
#define GICD_CTLR_ENABLE_GRP0 1u
#define GICD_CTLR_ENABLE_GRP1 2u
#define GICD_CTLR_ARE 0x10u /* v3: affinity routing */
#define GICC_CTLR 0x000      /* v2 */
#define GICC_PMR 0x004
#define GICR_WAKER 0x014 /* v3, in the redistributor's RD frame */
#define GICR_WAKER_PROCESSOR_SLEEP 2u
#define GICR_WAKER_CHILDREN_ASLEEP 4u
#define GICR_SGI_FRAME 0x10000 /* the SGI/PPI registers, at the distributor's offsets */
#define INTID_SPI0 32
#define PRIORITY 0x80
#define WAKE_SPINS 1000000

static int version;
static uintptr_t gicd, gicc, gicr;

int gic_present(void) { return version != 0; }

int gic_init(int v, uint64_t dist, uint64_t cpu_or_redist)
{
    gicd = (uintptr_t)dist;
    if (v == 2) {
        gicc = (uintptr_t)cpu_or_redist;
        mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
        mmio_write32(gicc + GICC_PMR, 0xff);
        mmio_write32(gicc + GICC_CTLR, 1);
    } else if (v == 3) {
        gicr = (uintptr_t)cpu_or_redist;
        mmio_write32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_GRP0 | GICD_CTLR_ENABLE_GRP1);
        mmio_write32(gicr + GICR_WAKER, mmio_read32(gicr + GICR_WAKER) & ~GICR_WAKER_PROCESSOR_SLEEP);
        for (int i = 0; i < WAKE_SPINS && (mmio_read32(gicr + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP); i++)
            cpu_relax();
        uint64_t sre;
        __asm__ volatile("mrs %0, icc_sre_el1" : "=r"(sre));
        __asm__ volatile("msr icc_sre_el1, %0; isb" : : "r"(sre | 1)); /* system register interface */
        __asm__ volatile("msr icc_pmr_el1, %0; msr icc_igrpen1_el1, %1; isb" : : "r"(0xffull), "r"(1ull));
    } else {
        return 0;
    }
    version = v;
    return 1;
}

void gic_enable(unsigned intid)
{
    if (!version)
        return;
    /* v3 keeps the SGI/PPI registers in the redistributor, at the distributor's offsets. */
    uintptr_t base = version == 3 && intid < INTID_SPI0 ? gicr + GICR_SGI_FRAME : gicd;
    uint32_t bit = 1u << (intid % 32);
    uintptr_t word = 4 * (intid / 32);
    if (version == 3) /* group 1, what ICC_IGRPEN1_EL1 enables (v2 leaves all in group 0) */
        mmio_write32(base + GICD_IGROUPR + word, mmio_read32(base + GICD_IGROUPR + word) | bit);
    mmio_write8(base + GICD_IPRIORITYR + intid, PRIORITY);
    if (intid >= INTID_SPI0) {
        if (version == 2) {
            mmio_write8(gicd + GICD_ITARGETSR + intid, 1); /* CPU 0 */
        } else { /* affinity 0.0.0.0, this CPU */
            mmio_write32(gicd + GICD_IROUTER + 8 * intid, 0);
            mmio_write32(gicd + GICD_IROUTER + 8 * intid + 4, 0);
        }
        uintptr_t cfg = gicd + GICD_ICFGR + 4 * (intid / 16);
        mmio_write32(cfg, mmio_read32(cfg) & ~(3u << (2 * (intid % 16)))); /* level */
    }
    mmio_write32(base + GICD_ICPENDR + word, bit);
    mmio_write32(base + GICD_ISENABLER + word, bit);
}
