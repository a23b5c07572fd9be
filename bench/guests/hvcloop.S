/* Benchmark 4: a bare-metal hypercall loop. Starts at EL2 (virtualization
 * on), installs an EL2 vector whose synchronous handler returns at once,
 * drops to EL1, and makes 10 million HVC round trips, then powers off
 * through the SMC conduit. */
    .section .text.start, "ax"
    .global _start
_start:
    adr     x0, el2_vectors
    msr     vbar_el2, x0
    mov     x0, #(1 << 31)           /* HCR_EL2.RW: EL1 is AArch64 */
    msr     hcr_el2, x0
    mov     x0, #0x3c5               /* SPSR: EL1h, DAIF masked */
    msr     spsr_el2, x0
    adr     x0, el1_entry
    msr     elr_el2, x0
    isb
    eret
el1_entry:
    movz    x9, #0x0098, lsl #16     /* 10,000,000 round trips */
    movk    x9, #0x9680
1:  hvc     #1
    subs    x9, x9, #1
    b.ne    1b
    movz    x0, #0x8400, lsl #16     /* PSCI SYSTEM_OFF via the SMC conduit */
    movk    x0, #0x0008
    smc     #0
2:  b       2b

    .balign 2048
el2_vectors:
    .rept 8                          /* current EL: sync/irq/fiq/serror, SP0 and SPx */
    b       .
    .balign 128
    .endr
    eret                             /* lower EL, AArch64, synchronous: the HVC */
    .balign 128
    .rept 7
    b       .
    .balign 128
    .endr
