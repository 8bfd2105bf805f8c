/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt entry points. Exceptions (vectors 0..31) are always fatal: each 16-byte stub pushes
 * a dummy error code when the CPU does not push one, then the vector, and intr_exception() in
 * C prints them with the faulting RIP and exits. Every other vector is a wake-up: the guest only
 * enables interrupts inside `sti; hlt`, so the handler just signals end-of-interrupt to the
 * LAPIC (its EOI register address is in intr_lapic_eoi) and returns; the spurious vector 0xff
 * must not be EOI'd.
 */
    .text
    .code64

.macro EXC vec
    .balign 16
    .if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
    .else
    pushq $0
    .endif
    pushq $\vec
    jmp exc_common
.endm

    .balign 16
    .globl intr_exc_stubs
intr_exc_stubs:
    .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    EXC \v
    .endr

exc_common:
    movq 0(%rsp), %rdi              /* vector */
    movq 8(%rsp), %rsi              /* error code */
    movq 16(%rsp), %rdx             /* RIP */
    movq 40(%rsp), %rcx             /* RSP at the fault */
    andq $-16, %rsp
    call intr_exception
1:  cli
    hlt
    jmp 1b

    .globl intr_irq_stub
intr_irq_stub:
    pushq %rax
    movq intr_lapic_eoi(%rip), %rax
    movl $0, (%rax)
    popq %rax
    iretq

    .globl intr_spurious_stub
intr_spurious_stub:
    iretq

    .section .note.GNU-stack, "", @progbits
