/*
 * Guest test: SHA-256("abc") (FIPS 180-4 example) computed with the
 * cryptographic extension (SHA256H, SHA256H2, SHA256SU0, SHA256SU1) and
 * AdvSIMD LD1 (multiple registers, post-index), REV32, ADD, MOV, ST1; then
 * a structure load/store round trip (LD4/ST4, LD3R, ADDV, CMEQ, UMINV) and a
 * TBL lookup. Prints the digest words and the checks.
 */
    .arch armv8.1-a+crypto
    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    stp     x19, x20, [sp, #-16]!
    /* CPACR_EL1.FPEN = 0b11: AdvSIMD does not trap at EL1 */
    mrs     x0, cpacr_el1
    orr     x0, x0, #(3 << 20)
    msr     cpacr_el1, x0
    isb

    /* ---- SHA-256 of one padded block ---- */
    adr     x0, h0
    ld1     {v0.4s, v1.4s}, [x0]            /* abcd, efgh */
    mov     v2.16b, v0.16b
    mov     v3.16b, v1.16b
    adr     x1, msg
    ld1     {v4.16b, v5.16b, v6.16b, v7.16b}, [x1]
    rev32   v4.16b, v4.16b                  /* big-endian message words */
    rev32   v5.16b, v5.16b
    rev32   v6.16b, v6.16b
    rev32   v7.16b, v7.16b
    adr     x2, ktab

    .macro group wa, wb, wc, wd, sched
    ld1     {v16.4s}, [x2], #16
    add     v16.4s, v16.4s, \wa\().4s
    mov     v18.16b, v0.16b
    sha256h q0, q1, v16.4s
    sha256h2 q1, q18, v16.4s
    .if \sched
    sha256su0 \wa\().4s, \wb\().4s
    sha256su1 \wa\().4s, \wc\().4s, \wd\().4s
    .endif
    .endm

    .rept 3
    group   v4, v5, v6, v7, 1
    group   v5, v6, v7, v4, 1
    group   v6, v7, v4, v5, 1
    group   v7, v4, v5, v6, 1
    .endr
    group   v4, v5, v6, v7, 0
    group   v5, v6, v7, v4, 0
    group   v6, v7, v4, v5, 0
    group   v7, v4, v5, v6, 0

    add     v0.4s, v0.4s, v2.4s
    add     v1.4s, v1.4s, v3.4s
    adr     x19, digest
    st1     {v0.4s, v1.4s}, [x19]

    mov     x20, #0
1:  adr     x0, name_h
    ldr     w1, [x19, x20, lsl #2]
    bl      putreg
    add     x20, x20, #1
    cmp     x20, #8
    b.ne    1b

    /* ---- LD4/ST4 round trip over bytes 0..63 ---- */
    adr     x0, ramp
    ld4     {v20.16b, v21.16b, v22.16b, v23.16b}, [x0]
    adr     x1, copy
    st4     {v20.16b, v21.16b, v22.16b, v23.16b}, [x1]
    ld1     {v24.16b, v25.16b, v26.16b, v27.16b}, [x0]
    ld1     {v28.16b, v29.16b, v30.16b, v31.16b}, [x1]
    cmeq    v24.16b, v24.16b, v28.16b
    cmeq    v25.16b, v25.16b, v29.16b
    cmeq    v26.16b, v26.16b, v30.16b
    cmeq    v27.16b, v27.16b, v31.16b
    and     v24.16b, v24.16b, v25.16b
    and     v26.16b, v26.16b, v27.16b
    and     v24.16b, v24.16b, v26.16b
    uminv   b24, v24.16b                    /* 0xff when every byte matched */
    umov    w1, v24.b[0]
    adr     x0, name_rt
    bl      putreg
    /* v20 holds bytes 0,4,...,60: ADDV = 4 * (0+1+...+15) = 480 */
    addv    b20, v20.16b                    /* 480 mod 256 = 0xe0 */
    umov    w1, v20.b[0]
    adr     x0, name_addv
    bl      putreg
    /* uaddlv over v21 (bytes 1,5,...,61): 16 + 480 = 496 */
    uaddlv  h21, v21.16b
    umov    w1, v21.h[0]
    adr     x0, name_uaddlv
    bl      putreg
    /* LD3R: three halfwords replicated */
    adr     x0, ramp
    ld3r    {v0.8h, v1.8h, v2.8h}, [x0]
    umov    x1, v2.d[1]                     /* 0x0504 x 4 */
    adr     x0, name_ld3r
    bl      putreg
    /* TBL over 64 table bytes: indices 64 and 255 are out of range (-> 0) */
    adr     x0, ramp
    ld1     {v4.16b, v5.16b, v6.16b, v7.16b}, [x0]
    adr     x0, tblidx
    ld1     {v8.8b}, [x0]
    tbl     v9.8b, {v4.16b, v5.16b, v6.16b, v7.16b}, v8.8b
    umov    x1, v9.d[0]
    adr     x0, name_tbl
    bl      putreg

    mov     w0, #0
    ldp     x19, x20, [sp], #16
    ldp     x29, x30, [sp], #16
    ret

    .section .rodata
name_h:      .asciz "sha256 word"
name_rt:     .asciz "ld4/st4 round trip"
name_addv:   .asciz "addv"
name_uaddlv: .asciz "uaddlv"
name_ld3r:   .asciz "ld3r"
name_tbl:    .asciz "tbl"

    .data
    .balign 16
/* "abc" padded to one 512-bit block (FIPS 180-4 5.1.1): length 24 bits */
msg:
    .byte 0x61, 0x62, 0x63, 0x80
    .fill 59, 1, 0
    .byte 0x18
    .balign 16
ramp:
    .irp i, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    .byte 4*\i, 4*\i+1, 4*\i+2, 4*\i+3
    .endr
tblidx:
    .byte 63, 0, 64, 17, 255, 32, 48, 1
    .balign 16
copy:
    .fill 64, 1, 0
digest:
    .fill 32, 1, 0
    .balign 16
/* H(0) and K of FIPS 180-4 sections 5.3.3 and 4.2.2, generated from their
 * definitions (fractional parts of square / cube roots of the first primes). */
h0:
    .word 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
ktab:
    .word 0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5
    .word 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5
    .word 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3
    .word 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174
    .word 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc
    .word 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da
    .word 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7
    .word 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967
    .word 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13
    .word 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85
    .word 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3
    .word 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070
    .word 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5
    .word 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3
    .word 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208
    .word 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
