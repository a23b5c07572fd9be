/*
 * Host program for run.sh: writes a guest assembly file with NBLOCKS blocks.
 * Each block loads V0-V31, FPCR (random RMode/FZ/DN/AHP) and NZCV from its
 * own random state table, sets X0-X27 to known values, runs the
 * instructions gen_fp() produced, stores X0-X30, V0-V31, FPSR and NZCV to
 * `out` and calls report(block) (guest_main.c), which prints a hash.
 * Usage: gen_blocks [SEED] [NBLOCKS] > blocks.S
 */
#include <stdio.h>
#include <stdlib.h>

#include "diff.h"

uint64_t rng_interesting(DiffRng *r) { return rng_next(r); }   /* unused by gen_fp */

/* An FP register lane: special values, moderate and denormal-range numbers. */
static uint64_t lane(DiffRng *r)
{
    static const uint64_t d[] = {0,0x8000000000000000ull,0x7ff0000000000000ull,0xfff0000000000000ull,0x7ff8000000000000ull,0x7ff4000000000000ull,0xfff8000000000001ull,1,0x800fffffffffffffull,0x0010000000000000ull,0x7fefffffffffffffull,0x3ff0000000000000ull,0xbff0000000000000ull,0x4000000000000000ull,0x3fe0000000000000ull,0x43e0000000000000ull,0xc3e0000000000000ull,0x41e0000000000000ull};
    static const uint32_t s[] = {0,0x80000000u,0x7f800000u,0xff800000u,0x7fc00000u,0x7fa00000u,0xffc00001u,1,0x807fffffu,0x00800000u,0x7f7fffffu,0x3f800000u,0xbf800000u,0x40000000u,0x3f000000u,0x4f000000u,0xcf000000u,0x5f000000u,0x3c00, 0x7c01, 0x0001};
    switch (rng_below(r, 6)) {
    case 0: return d[rng_below(r, 18)];
    case 1: return ((uint64_t)s[rng_below(r, 21)] << 32) | s[rng_below(r, 21)];
    case 2: return (rng_next(r) & 0x800fffffffffffffull) | ((uint64_t)(1023 - 20 + rng_below(r, 40)) << 52);
    case 3: { uint64_t lo = (rng_next(r) & 0x807fffffu) | ((uint64_t)(127 - 10 + rng_below(r, 20)) << 23);
              uint64_t hi = (rng_next(r) & 0x807fffffu) | ((uint64_t)(127 - 10 + rng_below(r, 20)) << 23);
              return (hi << 32) | lo; }
    case 4: return (rng_next(r) & 0x800fffffffffffffull) | ((uint64_t)(rng_below(r, 60)) << 52);
    default: return rng_next(r);
    }
}
int main(int argc, char **argv)
{
    int nblocks = argc > 2 ? atoi(argv[2]) : 3000;
    DiffRng r = { argc > 1 ? strtoull(argv[1], 0, 0) : 12345 };
    DiffEnv env = { 1, false, true };
    printf("    .arch armv8.3-a\n    .text\n    .global run_blocks\nrun_blocks:\n");
    printf("    stp x29, x30, [sp, #-16]!\n    stp x19, x20, [sp, #-16]!\n");
    for (int i = 0; i < nblocks; i++) {
        uint32_t code[16];
        size_t n = gen_fp(&r, &env, code, 16);
        printf("    adrp x19, st%d\n    add x19, x19, :lo12:st%d\n", i, i);
        for (int v = 0; v < 32; v += 2) printf("    ldp q%d, q%d, [x19, #%d]\n", v, v + 1, v * 16);
        printf("    ldr x0, [x19, #512]\n    msr fpcr, x0\n    msr fpsr, xzr\n    ldr x0, [x19, #520]\n    msr nzcv, x0\n");
        printf("    adrp x28, save\n    add x28, x28, :lo12:save\n    stp x29, x30, [x28]\n");
        for (int g = 0; g < 28; g++) if (g != 19) printf("    mov x%d, #%d\n", g, (g * 7 + i) & 0xffff);
        printf("    mov x29, #29\n    mov x30, #30\n");
        for (size_t k = 0; k < n; k++) printf("    .word 0x%08x\n", code[k]);
        printf("    adrp x28, out\n    add x28, x28, :lo12:out\n");
        for (int g = 0; g < 28; g += 2) printf("    stp x%d, x%d, [x28, #%d]\n", g, g + 1, g * 8);
        printf("    stp x29, x30, [x28, #224]\n");
        printf("    mrs x0, nzcv\n    str x0, [x28, #760]\n    mrs x0, fpsr\n    str x0, [x28, #752]\n");
        for (int v = 0; v < 32; v += 2) printf("    stp q%d, q%d, [x28, #%d]\n", v, v + 1, 240 + v * 16);
        printf("    adrp x28, save\n    add x28, x28, :lo12:save\n    ldp x29, x30, [x28]\n");
        printf("    mov x0, #%d\n    bl report\n", i);
    }
    printf("    ldp x19, x20, [sp], #16\n    ldp x29, x30, [sp], #16\n    ret\n");
    printf("    .data\n    .balign 16\nsave: .quad 0, 0\n    .global out\nout: .space 768\n    .section .rodata\n");
    DiffRng r2 = { r.s ^ 999 };
    for (int i = 0; i < nblocks; i++) {
        printf("    .balign 16\nst%d:\n", i);
        for (int v = 0; v < 64; v++) printf("    .quad 0x%016llx\n", (unsigned long long)lane(&r2));
        uint64_t fpcr = (rng_next(&r2) & 0x1f) << 22;
        printf("    .quad 0x%llx\n    .quad 0x%llx\n", (unsigned long long)fpcr, (unsigned long long)((rng_next(&r2) & 0xf) << 28));
    }
    return 0;
}
