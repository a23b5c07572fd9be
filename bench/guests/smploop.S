/* Benchmark "switch": two CPUs each run 50 million iterations of a
 * 13-instruction loop body (ALU, a multiply, a load and a store in a page of
 * their own), CPU 1 started by PSCI CPU_ON; CPU 0 waits for CPU 1's flag and
 * powers off (PSCI SYSTEM_OFF). Run at EL1, virtualization off (HVC
 * conduit). The CPUs never wait for each other while they loop, so the
 * instructions retired are the same with any quantum: the difference in
 * CPU time between --quantum 1000 and --quantum 1000000 is what switching
 * between two busy CPUs every round costs (docs/performance.md). */
    .section .text.start, "ax"
    .global _start
_start:
    mrs     x10, mpidr_el1
    and     x10, x10, #0xff          /* Aff0: the CPU number */
    cbnz    x10, 1f
    movz    x0, #0xc400, lsl #16     /* PSCI CPU_ON (64-bit) = 0xc4000003 */
    movk    x0, #0x0003
    mov     x1, #1                   /* target: MPIDR Aff0 = 1 */
    adr     x2, _start               /* entry point */
    mov     x3, #0                   /* context id */
    hvc     #0
1:  mov     x0, #0
    mov     x1, #1
    mov     x2, #3
    mov     x6, #0
    movz    x9, #0x02fa, lsl #16     /* 50,000,000 iterations */
    movk    x9, #0xf080
    adr     x12, buf
    add     x12, x12, x10, lsl #12   /* a page per CPU */
2:  add     x0, x0, x1
    eor     x1, x1, x0, lsl #3
    ldr     x7, [x12, x6, lsl #3]
    and     x6, x6, #511
    add     x2, x2, x0, lsr #7
    orr     x3, x2, x7
    str     x3, [x12, x6, lsl #3]
    mul     x4, x3, x2
    and     x5, x4, #0x00ff00ff00ff00ff
    sub     x1, x1, x5
    add     x6, x6, #1
    subs    x9, x9, #1
    b.ne    2b
    adr     x11, done
    mov     x8, #1
    str     x8, [x11, x10, lsl #3]
    cbnz    x10, 4f
3:  ldr     x8, [x11, #8]            /* CPU 0: wait for CPU 1 */
    cbz     x8, 3b
    movz    x0, #0x8400, lsl #16     /* PSCI SYSTEM_OFF = 0x84000008 */
    movk    x0, #0x0008
    hvc     #0
4:  wfi                              /* CPU 1: done */
    b       4b
    .balign 8
done:
    .quad   0, 0
    .balign 4096
buf:
    .skip   8192
