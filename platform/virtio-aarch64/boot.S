/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry of an aarch64 virtio kernel and its exception vectors. QEMU's virt machine (without
 * virtualization=on or secure=on) starts us at EL1 with the MMU and caches off and interrupts
 * masked; x0 holds the device tree's address when QEMU booted us as a Linux image and is 0 for
 * an ELF kernel (the device tree is then at the base of RAM: start.c looks for it). We set the
 * stack, zero .bss, install the vectors and call virt_start(x0).
 *
 * Every exception is fatal: each of the 16 vector entries passes its index and the syndrome
 * (ESR_EL1), the return address (ELR_EL1) and the fault address (FAR_EL1) to virt_exception(),
 * on a stack of its own so that a stack overflow is still reported.
 */
    .section .text.boot, "ax"
    .globl _start
_start:
    mov x19, x0
    adrp x1, boot_stack_top
    add x1, x1, :lo12:boot_stack_top
    mov sp, x1
    adrp x1, __bss_start
    add x1, x1, :lo12:__bss_start
    adrp x2, __bss_end
    add x2, x2, :lo12:__bss_end
1:  cmp x1, x2
    b.hs 2f
    str xzr, [x1], #8
    b 1b
2:  adrp x1, virt_vectors
    add x1, x1, :lo12:virt_vectors
    msr vbar_el1, x1
    isb
    mov x0, x19
    bl virt_start
3:  wfi
    b 3b

.macro VECTOR index
    .balign 0x80
    mov x0, #\index
    b exc_common
.endm

    .text
    .balign 0x800
    .globl virt_vectors
virt_vectors:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    VECTOR \i
    .endr

exc_common:
    mrs x1, esr_el1
    mrs x2, elr_el1
    mrs x3, far_el1
    mov x4, sp
    adrp x5, exc_stack_top
    add x5, x5, :lo12:exc_stack_top
    mov sp, x5
    bl virt_exception
4:  wfi
    b 4b

    .bss
    .balign 16
boot_stack:
    .skip 65536
boot_stack_top:
    .skip 8192
exc_stack_top:

    .section .note.GNU-stack, "", @progbits
