/*
 * Guest test fp/arith: scalar and AdvSIMD floating point with exact printed
 * results and FPSR flags. Expected values were checked against IEEE 754
 * (host) and qemu-system-aarch64 -cpu max. Covers FADD/FDIV/FSQRT/FMADD
 * (fused), rounding modes via FPCR.RMode, FPCR.FZ flush (UFC/IDC), FPCR.DN,
 * FCVTZS saturation (IOC), FCMP/FCSEL, FCVT to half (IEEE and AHP),
 * FJCVTZS, FRECPE+FRECPS Newton-Raphson, FADDP/FMAXNMV/FMLA by element,
 * SCVTF/UCVTF fixed point, FRINTA/FRINTN ties.
 */
    .arch armv8.3-a
    .text
    .global main

    /* print name, Dreg bits */
    .macro pd name, reg
    adr     x0, \name
    fmov    x1, \reg
    bl      putreg
    .endm
    /* print name, Xreg */
    .macro px name, reg
    mov     x1, \reg
    adr     x0, \name
    bl      putreg
    .endm
    /* print and clear FPSR */
    .macro pfpsr name
    mrs     x1, fpsr
    msr     fpsr, xzr
    adr     x0, \name
    bl      putreg
    .endm

main:
    stp     x29, x30, [sp, #-16]!
    stp     x19, x20, [sp, #-16]!
    mrs     x0, cpacr_el1
    orr     x0, x0, #(3 << 20)          /* CPACR_EL1.FPEN = 0b11 */
    msr     cpacr_el1, x0
    isb
    msr     fpcr, xzr
    msr     fpsr, xzr

    /* 0.1 + 0.2 (double) = 0x3fd3333333333334 */
    adr     x9, consts
    ldp     d0, d1, [x9]                /* 0.1, 0.2 */
    fadd    d2, d0, d1
    pd      n_add, d2
    pfpsr   n_fpsr
    /* 1/3 in RN and RP (FPCR.RMode = 0b01) */
    fmov    d3, #1.0
    fmov    d4, #3.0
    fdiv    d5, d3, d4
    pd      n_div_rn, d5
    mov     x0, #(1 << 22)
    msr     fpcr, x0
    fdiv    d5, d3, d4
    pd      n_div_rp, d5
    msr     fpcr, xzr
    pfpsr   n_fpsr
    /* sqrt(2) */
    fmov    d6, #2.0
    fsqrt   d7, d6
    pd      n_sqrt, d7
    /* fused multiply-add: -1 + (1+2^-23)(1-2^-23) = -2^-46 (single) */
    ldp     s8, s9, [x9, #16]
    fmov    s10, #-1.0
    fmadd   s11, s8, s9, s10
    fmov    w1, s11
    adr     x0, n_fma
    bl      putreg
    pfpsr   n_fpsr
    /* division by zero: -inf, DZC */
    movi    d12, #0
    fdiv    d13, d4, d12
    fneg    d13, d13
    pd      n_divz, d13
    pfpsr   n_fpsr
    /* FZ: min normal * 0.5 flushes to 0 with UFC; a denormal input sets IDC */
    mov     x0, #(1 << 24)
    msr     fpcr, x0
    ldr     s14, [x9, #24]              /* 0x00800000 */
    fmov    s15, #0.5
    fmul    s16, s14, s15
    fmov    w1, s16
    adr     x0, n_ftz
    bl      putreg
    pfpsr   n_fpsr
    ldr     s14, [x9, #28]              /* 0x00000001 */
    fadd    s16, s14, s15
    fmov    w1, s16
    adr     x0, n_daz
    bl      putreg
    pfpsr   n_fpsr
    msr     fpcr, xzr
    /* without FZ: an inexact denormal result sets UFC and IXC */
    ldr     s14, [x9, #32]              /* 0x00000003 */
    fmul    s16, s14, s15
    fmov    w1, s16
    adr     x0, n_denorm
    bl      putreg
    pfpsr   n_fpsr
    /* NaN propagation: SNaN quieted (IOC), DN gives the default NaN */
    ldr     s17, [x9, #36]              /* 0x7f800002 */
    fadd    s18, s15, s17
    fmov    w1, s18
    adr     x0, n_snan
    bl      putreg
    pfpsr   n_fpsr
    mov     x0, #(1 << 25)
    msr     fpcr, x0
    fadd    s18, s15, s17
    fmov    w1, s18
    adr     x0, n_dnan
    bl      putreg
    msr     fpcr, xzr
    pfpsr   n_fpsr
    /* FCVTZS saturation: 1e10 -> 0x7fffffff with IOC; -2.5 FCVTAS -> -3 */
    ldr     d19, [x9, #40]              /* 1e10 */
    fcvtzs  w1, d19
    adr     x0, n_cvt_sat
    bl      putreg
    pfpsr   n_fpsr
    fmov    d20, #-2.5
    fcvtas  x1, d20
    adr     x0, n_fcvtas
    bl      putreg
    frinta  d21, d20
    pd      n_frinta, d21
    frintn  d21, d20
    pd      n_frintn, d21
    pfpsr   n_fpsr
    /* FCMP / FCSEL: min(2.0, 3.0) via compare */
    fcmp    d6, d4
    mrs     x19, nzcv                   /* before putreg changes the flags */
    fcsel   d22, d6, d4, mi
    pd      n_fcsel, d22
    px      n_nzcv, x19
    /* FCVT single -> half: 65536 overflows IEEE half (inf, OFC|IXC), AHP keeps it */
    ldr     s23, [x9, #48]              /* 65536.0f */
    fcvt    h24, s23
    fmov    w1, s24
    adr     x0, n_half
    bl      putreg
    pfpsr   n_fpsr
    mov     x0, #(1 << 26)
    msr     fpcr, x0
    fcvt    h24, s23
    fmov    w1, s24
    adr     x0, n_ahp
    bl      putreg
    msr     fpcr, xzr
    pfpsr   n_fpsr
    /* FJCVTZS: -3.0 -> 0xfffffffd, Z=1; 2^32+80 -> 0x50, Z=0 */
    fmov    d25, #-3.0
    fjcvtzs w20, d25
    mrs     x19, nzcv
    px      n_js, x20
    px      n_nzcv, x19
    ldr     d25, [x9, #56]
    fjcvtzs w20, d25
    mrs     x19, nzcv
    px      n_js, x20
    px      n_nzcv, x19
    pfpsr   n_fpsr

    /* ---- AdvSIMD ---- */
    adr     x10, vec
    ldr     q0, [x10]                   /* {1.5, -2.0, 3.25, 10.0} */
    ldr     q1, [x10, #16]              /* {4.0, 0.5, -1.0, 2.0} */
    faddp   v2.4s, v0.4s, v1.4s         /* {-0.5, 13.25, 4.5, 1.0} */
    faddp   v3.4s, v2.4s, v2.4s
    faddp   s3, v3.2s                   /* 18.25 */
    fmov    w1, s3
    adr     x0, n_sum
    bl      putreg
    fmaxnmv s4, v0.4s
    fmov    w1, s4
    adr     x0, n_maxv
    bl      putreg
    mov     v5.16b, v0.16b
    fmla    v5.4s, v1.4s, v0.s[3]       /* v0 + v1 * 10 */
    mov     x1, v5.d[0]
    adr     x0, n_fmla_lo
    bl      putreg
    mov     x1, v5.d[1]
    adr     x0, n_fmla_hi
    bl      putreg
    /* reciprocal of 3.0 by FRECPE + two FRECPS steps (single) */
    fmov    s6, #3.0
    frecpe  s7, s6
    fmov    w1, s7
    adr     x0, n_recpe
    bl      putreg
    frecps  s8, s6, s7
    fmul    s7, s7, s8
    frecps  s8, s6, s7
    fmul    s7, s7, s8
    fmov    w1, s7
    adr     x0, n_recip
    bl      putreg
    /* fixed point: SCVTF with 8 fraction bits, UCVTF of -1 as unsigned */
    mov     w2, #0x180                  /* 1.5 in Q8 */
    scvtf   s9, w2, #8
    fmov    w1, s9
    adr     x0, n_scvtf
    bl      putreg
    mov     x2, #-1
    ucvtf   d10, x2
    pd      n_ucvtf, d10
    pfpsr   n_fpsr
    /* vector compare against zero and FCVTZU vector fixed point */
    fcmge   v11.4s, v0.4s, #0.0
    mov     x1, v11.d[0]
    adr     x0, n_cmge
    bl      putreg
    fcvtzu  v12.4s, v0.4s, #2
    mov     x1, v12.d[1]
    adr     x0, n_fcvtzu
    bl      putreg
    pfpsr   n_fpsr

    mov     w0, #0
    ldp     x19, x20, [sp], #16
    ldp     x29, x30, [sp], #16
    ret

    .section .rodata
    .balign 16
consts:
    .quad   0x3fb999999999999a          /* 0:  0.1 */
    .quad   0x3fc999999999999a          /* 8:  0.2 */
    .word   0x3f800001                  /* 16: 1 + 2^-23 */
    .word   0x3f7ffffe                  /* 20: 1 - 2^-23 */
    .word   0x00800000                  /* 24: min normal */
    .word   0x00000001                  /* 28: min denormal */
    .word   0x00000003                  /* 32 */
    .word   0x7f800002                  /* 36: SNaN */
    .quad   0x4202a05f20000000          /* 40: 1e10 */
    .word   0x47800000                  /* 48: 65536.0f */
    .word   0
    .quad   0x41f0000005000000          /* 56: 2^32 + 80 */
    .balign 16
vec:
    .word   0x3fc00000, 0xc0000000, 0x40500000, 0x41200000
    .word   0x40800000, 0x3f000000, 0xbf800000, 0x40000000
n_add:      .asciz "fadd 0.1+0.2"
n_fpsr:     .asciz "  fpsr"
n_div_rn:   .asciz "fdiv 1/3 RN"
n_div_rp:   .asciz "fdiv 1/3 RP"
n_sqrt:     .asciz "fsqrt 2"
n_fma:      .asciz "fmadd fused"
n_divz:     .asciz "-(3/0)"
n_ftz:      .asciz "FZ min_normal*0.5"
n_daz:      .asciz "FZ denormal+0.5"
n_denorm:   .asciz "3*2^-149 * 0.5"
n_snan:     .asciz "0.5 + SNaN"
n_dnan:     .asciz "DN 0.5 + SNaN"
n_cvt_sat:  .asciz "fcvtzs w, 1e10"
n_fcvtas:   .asciz "fcvtas -2.5"
n_frinta:   .asciz "frinta -2.5"
n_frintn:   .asciz "frintn -2.5"
n_fcsel:    .asciz "fcsel min(2,3)"
n_nzcv:     .asciz "  nzcv"
n_half:     .asciz "fcvt h, 65536"
n_ahp:      .asciz "AHP fcvt h, 65536"
n_js:       .asciz "fjcvtzs"
n_sum:      .asciz "faddp sum"
n_maxv:     .asciz "fmaxnmv"
n_fmla_lo:  .asciz "fmla elem lo"
n_fmla_hi:  .asciz "fmla elem hi"
n_recpe:    .asciz "frecpe 3"
n_recip:    .asciz "1/3 newton"
n_scvtf:    .asciz "scvtf #8"
n_ucvtf:    .asciz "ucvtf -1"
n_cmge:     .asciz "fcmge #0 lo"
n_fcvtzu:   .asciz "fcvtzu #2 hi"
