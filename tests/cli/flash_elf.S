/* A bare-metal program linked at 0x0, as programs written for QEMU's virt
 * board often are (docs/board.md "Bare-metal images in flash"): it must be
 * loaded into flash and run from there. It checks that it executes at its
 * link address (ADR of _start = 0), that its read-only data is readable in
 * flash, prints through the PL011 and powers off (PSCI SYSTEM_OFF over
 * HVC, the board's conduit at EL1). Any mismatch exits with status 1
 * (the arm83emu OEM call 0x83000001, docs/guest-exit.md). */
    .section .text
    .global _start
_start:
    adr     x4, _start
    cbnz    x4, fail            /* not running at 0x0 */
    adr     x1, msg
    ldr     w5, magic
    movz    w6, #0x3338
    movk    w6, #0x4138, lsl #16 /* "83A8" little-endian word, = magic */
    cmp     w5, w6
    b.ne    fail
    mov     x2, #0x09000000     /* UARTDR */
1:  ldrb    w3, [x1], #1
    cbz     w3, 2f
    str     w3, [x2]
    b       1b
2:  movz    x0, #0x0008
    movk    x0, #0x8400, lsl #16 /* PSCI SYSTEM_OFF */
    hvc     #0
    b       .
fail:
    movz    x0, #0x0001
    movk    x0, #0x8300, lsl #16 /* A83 exit call, x1 = status */
    mov     x1, #1
    hvc     #0
    b       .
    .balign 4
magic:
    .word   0x41383338
msg:
    .asciz  "hello from an ELF linked at 0x0, running in flash\n"
