/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry of a proc or hvt guest (shared by both bindings). The tender enters here on a fresh stack
 * with its boot info's address in %rdi (platform/proc/proc_abi.h, platform/hvt/hvt_abi.h); there
 * is no return address. We clear the frame pointer so backtraces end here, align the stack as
 * the SysV ABI wants at a call, and hand over to the platform's bindings_entry() in C.
 */
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call bindings_entry
    ud2                     /* bindings_entry never returns */
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
