/* Benchmark 3: a bare-metal integer loop. 100 million iterations of a
 * 10-instruction body (ALU, shifts, a multiply, compare-and-branch), then
 * PSCI SYSTEM_OFF. Run at EL1 (virtualization off: HVC conduit). */
    .section .text.start, "ax"
    .global _start
_start:
    mov     x0, #0
    mov     x1, #1
    mov     x2, #3
    movz    x9, #0x05f5, lsl #16     /* 100,000,000 iterations */
    movk    x9, #0xe100
1:  add     x0, x0, x1
    eor     x1, x1, x0, lsl #3
    add     x2, x2, x0, lsr #7
    orr     x3, x2, x1
    mul     x4, x3, x2
    and     x5, x4, #0x00ff00ff00ff00ff
    sub     x1, x1, x5
    add     x6, x6, #1
    subs    x9, x9, #1
    b.ne    1b
    movz    x0, #0x8400, lsl #16     /* PSCI SYSTEM_OFF = 0x84000008 */
    movk    x0, #0x0008
    hvc     #0
2:  b       2b
