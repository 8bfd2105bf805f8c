/*
 * Entry of a proc guest. The tender jumps here on a fresh stack with the boot info in %rdi
 * (platform/proc/proc_abi.h); there is no return address. We clear the frame pointer so
 * backtraces end here, align the stack as the SysV ABI wants at a call, and hand over to C.
 */
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call proc_start
    ud2                     /* proc_start never returns */
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
