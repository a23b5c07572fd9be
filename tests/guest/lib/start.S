/* Entry point of bare-metal guest tests: stack, BSS, main, exit. */
    .section .text.start, "ax"
    .global _start
_start:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xff
    ldr     x10, =__stack_top
    mov     x11, #0x4000
    madd    x10, x9, x11, x10
    mov     sp, x10
    cbnz    x9, 2f                  /* secondaries skip BSS clearing */
    ldr     x0, =__bss_start
    ldr     x1, =__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:  bl      main
    bl      guest_exit
