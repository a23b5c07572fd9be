/*
 * Guest test fp/rmode: FPCR.RMode (RN, RP, RM, RZ) applied to arithmetic
 * (FADD single tie, FDIV double, FMADD), FRINTI/FRINTX, SCVTF/UCVTF and
 * FCVT narrowing, while FCVTZS and FRINTA ignore it. One line per mode with
 * the FPSR flags. Expected output checked against qemu-system-aarch64.
 */
    .arch armv8-a
    .text
    .global main

    .macro pw name, wreg
    fmov    w1, \wreg
    adr     x0, \name
    bl      putreg
    .endm
    .macro pd name, dreg
    fmov    x1, \dreg
    adr     x0, \name
    bl      putreg
    .endm

main:
    stp     x29, x30, [sp, #-16]!
    stp     x19, x20, [sp, #-16]!
    mrs     x0, cpacr_el1
    orr     x0, x0, #(3 << 20)
    msr     cpacr_el1, x0
    isb
    adr     x20, data
    ldp     s16, s17, [x20]             /* 1.0f, 2^-24 */
    ldp     d18, d19, [x20, #8]         /* -1.0, 3.0 */
    ldr     d20, [x20, #24]             /* -2.5 */
    ldr     d21, [x20, #32]             /* 1 + 2^-24 + 2^-30 (double) */
    mov     x19, #0
1:  lsl     x0, x19, #22
    msr     fpcr, x0
    msr     fpsr, xzr
    mov     x1, x19
    adr     x0, n_mode
    bl      putreg
    fadd    s0, s16, s17
    pw      n_fadd, s0
    fdiv    d1, d18, d19
    pd      n_fdiv, d1
    fmadd   d2, d19, d19, d21           /* 9 + (1 + 2^-24 + 2^-30): inexact */
    pd      n_fmadd, d2
    frinti  d3, d20
    pd      n_frinti, d3
    frintx  d4, d20
    pd      n_frintx, d4
    frinta  d5, d20
    pd      n_frinta, d5
    fcvtzs  x1, d20
    adr     x0, n_fcvtzs
    bl      putreg
    mov     w2, #0x7fffffff
    scvtf   s6, w2
    pw      n_scvtf, s6
    mov     x2, #-1
    ucvtf   s7, x2, #40
    pw      n_ucvtf, s7
    fcvt    s8, d21
    pw      n_fcvt, s8
    fcvt    h9, d21
    fmov    w1, s9
    adr     x0, n_fcvth
    bl      putreg
    mrs     x1, fpsr
    adr     x0, n_fpsr
    bl      putreg
    add     x19, x19, #1
    cmp     x19, #4
    b.ne    1b
    msr     fpcr, xzr
    mov     w0, #0
    ldp     x19, x20, [sp], #16
    ldp     x29, x30, [sp], #16
    ret

    .section .rodata
    .balign 8
data:
    .word   0x3f800000, 0x33800000      /* 1.0f, 2^-24 */
    .quad   0xbff0000000000000          /* -1.0 */
    .quad   0x4008000000000000          /* 3.0 */
    .quad   0xc004000000000000          /* -2.5 */
    .quad   0x3ff0000010400000          /* 1 + 2^-24 + 2^-30 */
n_mode:   .asciz "RMode"
n_fadd:   .asciz "  fadd 1+2^-24 (s)"
n_fdiv:   .asciz "  fdiv -1/3"
n_fmadd:  .asciz "  fmadd 3*3+x"
n_frinti: .asciz "  frinti -2.5"
n_frintx: .asciz "  frintx -2.5"
n_frinta: .asciz "  frinta -2.5"
n_fcvtzs: .asciz "  fcvtzs -2.5"
n_scvtf:  .asciz "  scvtf 0x7fffffff"
n_ucvtf:  .asciz "  ucvtf 2^64-1 #40"
n_fcvt:   .asciz "  fcvt s, x"
n_fcvth:  .asciz "  fcvt h, x"
n_fpsr:   .asciz "  fpsr"
