/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PVH entry of a virtio kernel. QEMU (-kernel, microvm or q35) finds the Xen ELF note below,
 * loads the ELF at its link address (1 MiB) and enters pvh_entry in 32-bit protected mode,
 * paging off, with the physical address of struct hvm_start_info in %ebx. This code zeroes
 * .bss, builds identity page tables for the first 4 GiB (2 MiB pages, 4 KiB in the first 2 MiB
 * for a guard page under the stack; above 3 GiB uncached, that is where the MMIO lives), enters long mode, enables SSE (the compiler may use it) and
 * calls virtio_start(start_info) in C on the boot stack.
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define SEL_CODE64 0x08
#define SEL_DATA 0x10
#define SEL_CODE32 0x18
#define BOOT_STACK_SIZE 65536

/* QEMU reads the descriptor as a 64-bit value after a name padded to the note's alignment (4). */
    .section .note.Xen, "a", @note
    .balign 4
    .long 4
    .long 8
    .long XEN_ELFNOTE_PHYS32_ENTRY
    .asciz "Xen"
    .balign 4
    .quad pvh_entry
    .balign 4

    .section .text.boot32, "ax"
    .code32
    .globl pvh_entry
pvh_entry:
    cli
    cld
    movl %ebx, %esi                 /* start info, kept in %esi until C gets it */
    lgdt gdt_desc
    ljmp $SEL_CODE32, $1f
1:  movl $SEL_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl %eax, %fs
    movl %eax, %gs

    /* .bss (which holds the page tables and the stack) starts out zeroed. */
    movl $__bss_start, %edi
    movl $__bss_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    /* PML4[0] -> PDPT; PDPT[0..3] -> PD0..PD3; 2048 2 MiB entries cover 0..4 GiB. */
    movl $boot_pdpt, %eax
    orl $0x3, %eax
    movl %eax, boot_pml4
    xorl %ecx, %ecx
2:  movl %ecx, %eax
    shll $12, %eax
    addl $boot_pd, %eax
    orl $0x3, %eax
    movl %eax, boot_pdpt(, %ecx, 8)
    incl %ecx
    cmpl $4, %ecx
    jne 2b
    xorl %ecx, %ecx
3:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax                 /* present, writable, 2 MiB page */
    cmpl $1536, %ecx                /* 3 GiB and up: PCD|PWT, device memory */
    jb 4f
    orl $0x18, %eax
4:  movl %eax, boot_pd(, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jne 3b

    /* The first 2 MiB in 4 KiB pages, so the page below the boot stack can be left out: a
     * stack overflow faults (and reaches the exception handler on its own stack). */
    xorl %ecx, %ecx
5:  movl %ecx, %eax
    shll $12, %eax
    orl $0x3, %eax
    movl %eax, boot_pt(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jne 5b
    movl $boot_stack_guard, %ecx
    shrl $12, %ecx
    cmpl $512, %ecx
    jae 6f
    movl $0, boot_pt(, %ecx, 8)
6:  movl $boot_pt, %eax
    orl $0x3, %eax
    movl %eax, boot_pd

    movl %cr4, %eax
    orl $(1 << 5), %eax             /* PAE */
    movl %eax, %cr4
    movl $boot_pml4, %eax
    movl %eax, %cr3
    movl $0xc0000080, %ecx          /* EFER.LME */
    rdmsr
    orl $(1 << 8), %eax
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | 1), %eax      /* PG | PE */
    movl %eax, %cr0
    ljmp $SEL_CODE64, $long_mode

    .code64
long_mode:
    movl $SEL_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    leaq boot_stack_top(%rip), %rsp

    movq %cr0, %rax
    andq $~(1 << 2), %rax           /* EM off */
    orq $(1 << 1), %rax             /* MP on */
    movq %rax, %cr0
    movq %cr4, %rax
    orq $((1 << 9) | (1 << 10)), %rax /* OSFXSR | OSXMMEXCPT */
    movq %rax, %cr4

    movl %esi, %edi
    xorl %ebp, %ebp
    call virtio_start
7:  cli
    hlt
    jmp 7b

    /* Writable: ltr marks the TSS descriptor (0x20, filled in by intr.c) busy. */
    .section .data.boot, "aw"
    .balign 16
    .globl boot_gdt
boot_gdt:
gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
    .quad 0x00cf9a000000ffff        /* 0x18: 32-bit code */
    .quad 0, 0                      /* 0x20: 64-bit TSS */
gdt_end:
    .globl gdt_desc
gdt_desc:
    .word gdt_end - gdt - 1
    .quad gdt

    .section .bss.boot, "aw", @nobits
    .balign 4096
    .globl boot_pml4, boot_pdpt, boot_pd
boot_pml4:
    .skip 4096
boot_pdpt:
    .skip 4096
boot_pd:
    .skip 4 * 4096
boot_pt:
    .skip 4096
boot_stack_guard:
    .skip 4096
boot_stack:
    .skip BOOT_STACK_SIZE
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
