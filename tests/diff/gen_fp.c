/*
 * Differential generator "fp": random scalar floating-point and AdvSIMD
 * floating-point instructions (the set of src/cpu/fp.c), only in encodings
 * that are allocated and not UNPREDICTABLE. The harness fills V0-V31 with
 * random and special values (zeros, infinities, QNaN/SNaN, denormals,
 * extremes) and FPCR with random RMode/FZ/DN, and compares V0-V31, FPSR,
 * NZCV and X registers afterwards.
 *
 * Instructions writing general registers never target x28 (DIFF_BASE_REG).
 * Half-precision arithmetic (FEAT_FP16) is not generated: arm83emu does not
 * implement it (Unicorn's "max" CPU does).
 */
#include "diff.h"

static uint32_t R(DiffRng *r, unsigned bits) { return (uint32_t)rng_next(r) & ((1u << bits) - 1); }

/* A general register destination other than x28 (x31 = XZR is fine). */
static uint32_t gpr_rd(DiffRng *r)
{
    uint32_t d;
    do
        d = R(r, 5);
    while (d == DIFF_BASE_REG);
    return d;
}

static uint32_t regs(DiffRng *r) { return (R(r, 5) << 5) | R(r, 5); }  /* Rn, Rd */

static uint32_t ftype01(DiffRng *r) { return R(r, 1); }

/* Scalar floating point (C4.1.96). */
static uint32_t gen_scalar(DiffRng *r)
{
    uint32_t t = ftype01(r) << 22;
    switch (rng_below(r, 10)) {
    case 0: {   /* FP data-processing (1 source) */
        static const uint8_t ops[] = { 0, 1, 2, 3, 8, 9, 10, 11, 12, 14, 15 };
        if (rng_below(r, 4) == 0) {  /* FCVT between half/single/double */
            static const uint8_t ty[3] = { 0, 1, 3 };
            uint32_t from = ty[rng_below(r, 3)], to;
            do
                to = ty[rng_below(r, 3)];
            while (to == from);
            return 0x1e204000u | (from << 22) | ((4 | to) << 15) | regs(r);
        }
        return 0x1e204000u | t | ((uint32_t)ops[rng_below(r, sizeof ops)] << 15) | regs(r);
    }
    case 1:     /* FP data-processing (2 source) */
        return 0x1e200800u | t | (R(r, 5) << 16) | (rng_below(r, 9) << 12) | regs(r);
    case 2:     /* FP data-processing (3 source) */
        return 0x1f000000u | t | (R(r, 1) << 21) | (R(r, 5) << 16) | (R(r, 1) << 15) |
               (R(r, 5) << 10) | regs(r);
    case 3: {   /* FCMP/FCMPE (register or #0.0) */
        uint32_t opc = R(r, 2) << 3;
        uint32_t rm = (opc & 8) ? 0 : R(r, 5);
        return 0x1e202000u | t | (rm << 16) | (R(r, 5) << 5) | opc;
    }
    case 4:     /* FCCMP/FCCMPE */
        return 0x1e200400u | t | (R(r, 5) << 16) | (R(r, 4) << 12) | (R(r, 5) << 5) |
               (R(r, 1) << 4) | R(r, 4);
    case 5:     /* FCSEL */
        return 0x1e200c00u | t | (R(r, 5) << 16) | (R(r, 4) << 12) | regs(r);
    case 6:     /* FMOV (scalar, immediate) */
        return 0x1e201000u | t | (R(r, 8) << 13) | R(r, 5);
    case 7: {   /* conversion to/from integer, FMOV (general) */
        static const uint8_t rmop[][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 }, { 2, 0 },
                                           { 2, 1 }, { 3, 0 }, { 3, 1 }, { 0, 2 }, { 0, 3 },
                                           { 0, 4 }, { 0, 5 } };
        uint32_t sf = R(r, 1);
        if (rng_below(r, 5) == 0) {   /* FMOV general */
            uint32_t to_fp = R(r, 1);
            uint32_t rd = to_fp ? R(r, 5) : gpr_rd(r);
            if (rng_below(r, 3) == 0)  /* top half: sf=1 ftype=10 rmode=01 */
                return 0x9eae0000u | (to_fp << 16) | (R(r, 5) << 5) | rd;
            return 0x1e260000u | (sf << 31) | (sf << 22) | (to_fp << 16) | (R(r, 5) << 5) | rd;
        }
        unsigned k = rng_below(r, 12);
        bool to_fp = rmop[k][1] == 2 || rmop[k][1] == 3;
        uint32_t rd = to_fp ? R(r, 5) : gpr_rd(r);
        return 0x1e200000u | (sf << 31) | t | ((uint32_t)rmop[k][0] << 19) |
               ((uint32_t)rmop[k][1] << 16) | (R(r, 5) << 5) | rd;
    }
    case 8: {   /* conversion to/from fixed point */
        static const uint8_t rmop[][2] = { { 3, 0 }, { 3, 1 }, { 0, 2 }, { 0, 3 } };
        uint32_t sf = R(r, 1);
        unsigned k = rng_below(r, 4);
        uint32_t scale = sf ? R(r, 6) : 32 + R(r, 5);
        uint32_t rd = k >= 2 ? R(r, 5) : gpr_rd(r);
        return 0x1e000000u | (sf << 31) | t | ((uint32_t)rmop[k][0] << 19) |
               ((uint32_t)rmop[k][1] << 16) | (scale << 10) | (R(r, 5) << 5) | rd;
    }
    default:    /* FJCVTZS (FEAT_JSCVT): emitted by gen_fp with a preceding FADD */
        return 0x1e602800u | (R(r, 5) << 16) | regs(r);      /* FADD Dd, Dn, Dm */

    }
}

/* AdvSIMD three same, FP: {U, a, opcode<2:0>, scalar allowed} */
static const uint8_t three_same[][4] = {
    { 0, 0, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 2, 0 }, { 0, 0, 3, 1 }, { 0, 0, 4, 1 }, { 0, 0, 6, 0 },
    { 0, 0, 7, 1 }, { 0, 1, 0, 0 }, { 0, 1, 1, 0 }, { 0, 1, 2, 0 }, { 0, 1, 6, 0 }, { 0, 1, 7, 1 },
    { 1, 0, 0, 0 }, { 1, 0, 2, 0 }, { 1, 0, 3, 0 }, { 1, 0, 4, 1 }, { 1, 0, 5, 1 }, { 1, 0, 6, 0 },
    { 1, 0, 7, 0 }, { 1, 1, 0, 0 }, { 1, 1, 2, 1 }, { 1, 1, 4, 1 }, { 1, 1, 5, 1 }, { 1, 1, 6, 0 },
};

/* AdvSIMD two-register misc, FP: {U, a, opcode, flags} flags: 1 vector,
 * 2 scalar, 4 sz must be 0, 8 sz must be 1, 16 narrow/widen (Q free). */
static const uint8_t two_misc[][4] = {
    { 0, 0, 0x16, 1 | 16 }, { 0, 0, 0x17, 1 | 16 }, { 0, 0, 0x18, 1 }, { 0, 0, 0x19, 1 },
    { 0, 0, 0x1a, 3 }, { 0, 0, 0x1b, 3 }, { 0, 0, 0x1c, 3 }, { 0, 0, 0x1d, 3 },
    { 0, 1, 0x0c, 3 }, { 0, 1, 0x0d, 3 }, { 0, 1, 0x0e, 3 }, { 0, 1, 0x0f, 1 },
    { 0, 1, 0x18, 1 }, { 0, 1, 0x19, 1 }, { 0, 1, 0x1a, 3 }, { 0, 1, 0x1b, 3 },
    { 0, 1, 0x1c, 1 | 4 }, { 0, 1, 0x1d, 3 }, { 0, 1, 0x1f, 2 },
    { 1, 0, 0x16, 3 | 8 | 16 }, { 1, 0, 0x18, 1 }, { 1, 0, 0x19, 1 }, { 1, 0, 0x1a, 3 },
    { 1, 0, 0x1b, 3 }, { 1, 0, 0x1c, 3 }, { 1, 0, 0x1d, 3 },
    { 1, 1, 0x0c, 3 }, { 1, 1, 0x0d, 3 }, { 1, 1, 0x0f, 1 }, { 1, 1, 0x19, 1 },
    { 1, 1, 0x1a, 3 }, { 1, 1, 0x1b, 3 }, { 1, 1, 0x1c, 1 | 4 }, { 1, 1, 0x1d, 3 },
    { 1, 1, 0x1f, 1 },
};

static uint32_t gen_simd_fp(DiffRng *r)
{
    uint32_t q = R(r, 1), sz = R(r, 1);
    switch (rng_below(r, 9)) {
    case 0: {   /* three same, vector or scalar */
        const uint8_t *e = three_same[rng_below(r, 24)];
        bool scalar = e[3] && R(r, 1);
        if (!scalar && sz)
            q = 1;
        uint32_t base = scalar ? 0x5e20c400u : 0x0e20c400u;
        return base | (scalar ? 0 : q << 30) | ((uint32_t)e[0] << 29) | ((uint32_t)e[1] << 23) |
               (sz << 22) | (R(r, 5) << 16) | ((uint32_t)e[2] << 11) | regs(r);
    }
    case 1: {   /* two-register misc */
        const uint8_t *e = two_misc[rng_below(r, sizeof two_misc / 4)];
        unsigned f = e[3];
        bool scalar = (f & 2) && (!(f & 1) || R(r, 1));
        if (f & 4) sz = 0;
        if (f & 8) sz = 1;
        if (!scalar && sz && !(f & 16))
            q = 1;
        uint32_t base = scalar ? 0x5e200800u : 0x0e200800u;
        return base | (scalar ? 0 : q << 30) | ((uint32_t)e[0] << 29) | ((uint32_t)e[1] << 23) |
               (sz << 22) | ((uint32_t)e[2] << 12) | regs(r);
    }
    case 2: {   /* across lanes (4S) */
        uint32_t opc = R(r, 1) ? 0x0c : 0x0f;
        return 0x6e300800u | (R(r, 1) << 23) | (opc << 12) | regs(r);
    }
    case 3: {   /* scalar pairwise */
        static const uint8_t pw[][2] = { { 0, 0x0d }, { 0, 0x0c }, { 1, 0x0c }, { 0, 0x0f }, { 1, 0x0f } };
        const uint8_t *e = pw[rng_below(r, 5)];
        return 0x7e300800u | ((uint32_t)e[0] << 23) | (sz << 22) | ((uint32_t)e[1] << 12) | regs(r);
    }
    case 4: {   /* by element, vector or scalar */
        static const uint8_t el[][2] = { { 0, 1 }, { 0, 5 }, { 0, 9 }, { 1, 9 } };
        const uint8_t *e = el[rng_below(r, 4)];
        bool scalar = R(r, 1);
        uint32_t L = R(r, 1), H = R(r, 1);
        if (sz) {
            L = 0;
            if (!scalar)
                q = 1;
        }
        uint32_t base = scalar ? 0x5f800000u : 0x0f800000u;
        return base | (scalar ? 0 : q << 30) | ((uint32_t)e[0] << 29) | (sz << 22) | (L << 21) |
               (R(r, 5) << 16) | ((uint32_t)e[1] << 12) | (H << 11) | regs(r);
    }
    case 5: {   /* FMOV (vector, immediate) */
        uint32_t op = R(r, 1);
        if (op)
            q = 1;
        uint32_t imm8 = R(r, 8);
        return 0x0f00f400u | (q << 30) | (op << 29) | ((imm8 >> 5) << 16) | ((imm8 & 31) << 5) |
               R(r, 5);
    }
    case 6: {   /* fixed-point conversions, shift by immediate */
        bool scalar = R(r, 1);
        uint32_t immhb = sz ? 64 + R(r, 6) : 32 + R(r, 5);   /* 1xxxxxx or 01xxxxx */
        if (sz && !scalar)
            q = 1;
        uint32_t opc = R(r, 1) ? 0x1c : 0x1f;
        uint32_t base = scalar ? 0x5f000400u : 0x0f000400u;
        return base | (scalar ? 0 : q << 30) | (R(r, 1) << 29) | (immhb << 16) | (opc << 11) | regs(r);
    }
    case 7: {   /* FCMLA / FCADD (vector) */
        if (sz)
            q = 1;
        uint32_t w = 0x2e000400u | (q << 30) | ((2 + sz) << 22) | (R(r, 5) << 16) | regs(r);
        if (R(r, 1))
            return w | (0x18u << 11) | (R(r, 2) << 11);   /* FCMLA: 110 rot 1 */
        return w | (0x1cu << 11) | (R(r, 1) << 12);       /* FCADD: 111 rot 0 1 */
    }
    default:    /* FCMLA (by element), single precision 4S */
        return 0x6f801000u | (R(r, 5) << 16) | (R(r, 2) << 13) | (R(r, 1) << 11) | regs(r);
    }
}

size_t gen_fp(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max)
{
    (void)env;
    size_t n = 1 + rng_below(r, 8);
    if (n > max)
        n = max;
    size_t k = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        if (rng_below(r, 20) == 0 && k + 2 <= max) {
            /* FJCVTZS Wd, Dt after FADD Dt, Dn, Dm: the source is never a
             * denormal while FPCR.FZ=1 (results are flushed). Unicorn 2.0.1
             * (QEMU 5) sets Z=1 for a flushed positive denormal input, which
             * the Arm ARM FPToFixedJS pseudocode clears ("sign == '0' &&
             * value == 0.0 && !IsZero(op<51:0>)"); see docs/fp.md. */
            uint32_t t = R(r, 5);
            out[k++] = 0x1e602800u | (R(r, 5) << 16) | (R(r, 5) << 5) | t;
            out[k++] = 0x1e7e0000u | (t << 5) | gpr_rd(r);
            continue;
        }
        out[k++] = rng_below(r, 5) < 2 ? gen_scalar(r) : gen_simd_fp(r);
    }
    return k;
}
