/*
 * Entry of an hvt guest. The tender enters here at CPL3 with %rsp = HVT_STACK_TOP (the top of
 * the stack it mapped below the kernel) and the boot info's address in %rdi
 * (platform/hvt/hvt_abi.h); there is no return address. We clear the frame pointer so
 * backtraces end here, align the stack as the SysV ABI wants at a call, and hand over to C.
 */
    .section .text._start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call hvt_start
    ud2                     /* hvt_start never returns; a #UD here is reported by the tender */
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
