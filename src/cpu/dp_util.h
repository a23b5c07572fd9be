/*
 * Shared helpers of the A64 integer data-processing and branch groups
 * (dp_imm.c, dp_reg.c, dp_reg_mul.c, branch.c). They mirror the Arm ARM
 * shared pseudocode functions of the same names (Arm ARM J1 "Shared
 * pseudocode"): AddWithCarry, DecodeBitMasks, ConditionHolds, ShiftReg,
 * ExtendReg. All are inline: they sit on the hot path of every ALU
 * instruction.
 */
#ifndef A83_DP_UTIL_H
#define A83_DP_UTIL_H

#include "cpu/cpu.h"

/* ---- Instruction fields (Arm ARM C4 encoding diagrams) ----------------- */

#define F_RD(i) ((i) & 31u)                 /* Rd / Rt, bits [4:0] */
#define F_RN(i) (((i) >> 5) & 31u)          /* Rn, bits [9:5] */
#define F_RA(i) (((i) >> 10) & 31u)         /* Ra, bits [14:10] */
#define F_RM(i) (((i) >> 16) & 31u)         /* Rm, bits [20:16] */
#define F_SF(i) ((i) >> 31)                 /* sf, bit 31: 1 = 64-bit */
#define F_COND_12(i) (((i) >> 12) & 15u)    /* cond, bits [15:12] (CSEL, CCMP) */

/* ---- Condition evaluation ---------------------------------------------- */

/* Condition codes (Arm ARM C1.2.4, Table C1-1). */
enum {
    COND_EQ = 0, COND_NE, COND_CS, COND_CC, COND_MI, COND_PL, COND_VS, COND_VC,
    COND_HI, COND_LS, COND_GE, COND_LT, COND_GT, COND_LE, COND_AL, COND_NV
};

/* For each condition, a 16-bit set over the 16 NZCV values (bit index =
 * N:Z:C:V as a 4-bit number) of those for which the condition holds.
 * Built from: Z = 0xF0F0, N = 0xFF00, C = 0xCCCC, V = 0xAAAA.
 * tests/unit/test_dp_util.c checks it against the ConditionHolds()
 * pseudocode written out case by case. */
static const uint16_t cond_holds_table[16] = {
    0xF0F0, 0x0F0F,   /* EQ: Z == 1        NE */
    0xCCCC, 0x3333,   /* CS: C == 1        CC */
    0xFF00, 0x00FF,   /* MI: N == 1        PL */
    0xAAAA, 0x5555,   /* VS: V == 1        VC */
    0x0C0C, 0xF3F3,   /* HI: C == 1 && Z == 0   LS */
    0xAA55, 0x55AA,   /* GE: N == V        LT */
    0x0A05, 0xF5FA,   /* GT: Z == 0 && N == V   LE */
    0xFFFF, 0xFFFF,   /* AL, NV: always (Arm ARM: cond<3:1> == '111' -> TRUE) */
};

/** ConditionHolds(cond) (Arm ARM J1 shared/functions/system/ConditionHolds)
 *  for the NZCV value nzcv (bits [31:28], as in CPUState.nzcv). */
static inline bool ConditionHolds(unsigned cond, uint32_t nzcv)
{
    return (cond_holds_table[cond & 15] >> (nzcv >> 28)) & 1;
}

/* ADR/ADRP (C6.2.10, C6.2.11): imm = SignExtend(immhi:immlo, 64). */
static inline int64_t adr_imm(uint32_t immhi, uint32_t immlo)
{
    return sext64(((uint64_t)immhi << 2) | immlo, 21);
}

/* ---- AddWithCarry -------------------------------------------------------- */

/** AddWithCarry(x, y, carry_in) for N = 64 (Arm ARM J1
 *  shared/functions/integer/AddWithCarry): returns the sum and, in *nzcv,
 *  the flags in bits [31:28]. */
static inline uint64_t AddWithCarry64(uint64_t x, uint64_t y, unsigned carry_in, uint32_t *nzcv)
{
    uint64_t r = x + y + carry_in;
    /* Unsigned carry out: the true sum is >= 2^64. */
    uint32_t cf = carry_in ? (r <= x) : (r < x);
    /* Signed overflow: x and y have the same sign and r differs from it. */
    uint32_t vf = (uint32_t)(((x ^ r) & (y ^ r)) >> 63);
    *nzcv = ((uint32_t)(r >> 63) << 31) | ((uint32_t)(r == 0) << 30) | (cf << 29) | (vf << 28);
    return r;
}

/** AddWithCarry(x, y, carry_in) for N = 32. See AddWithCarry64. */
static inline uint32_t AddWithCarry32(uint32_t x, uint32_t y, unsigned carry_in, uint32_t *nzcv)
{
    uint64_t wide = (uint64_t)x + y + carry_in;
    uint32_t r = (uint32_t)wide;
    uint32_t cf = (uint32_t)(wide >> 32);
    uint32_t vf = ((x ^ r) & (y ^ r)) >> 31;
    *nzcv = ((r >> 31) << 31) | ((uint32_t)(r == 0) << 30) | (cf << 29) | (vf << 28);
    return r;
}

/** NZCV for a logical result (ANDS/BICS/TST): N and Z from the result, C = V = 0. */
static inline uint32_t nzcv_logic64(uint64_t r)
{
    return ((uint32_t)(r >> 63) << 31) | ((uint32_t)(r == 0) << 30);
}
static inline uint32_t nzcv_logic32(uint32_t r)
{
    return ((r >> 31) << 31) | ((uint32_t)(r == 0) << 30);
}

/* ---- ShiftReg / ExtendReg ------------------------------------------------ */

/* ShiftType (Arm ARM J1 DecodeShift) */
enum { SHIFT_LSL = 0, SHIFT_LSR = 1, SHIFT_ASR = 2, SHIFT_ROR = 3 };

static inline uint64_t ror64(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v >> n) | (v << (64 - n)) : v;
}
static inline uint32_t ror32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? (v >> n) | (v << (32 - n)) : v;
}

/** ShiftReg(reg, type, amount) for a 64-bit value; amount < 64.
 *  Arm ARM J1 aarch64/instrs/integer/shiftreg/ShiftReg. */
static inline uint64_t ShiftReg64(uint64_t v, unsigned type, unsigned amount)
{
    switch (type) {
    case SHIFT_LSL: return v << amount;
    case SHIFT_LSR: return v >> amount;
    case SHIFT_ASR: return (uint64_t)((int64_t)v >> amount);
    default: return ror64(v, amount);
    }
}

/** ShiftReg for a 32-bit value; amount < 32. */
static inline uint32_t ShiftReg32(uint32_t v, unsigned type, unsigned amount)
{
    switch (type) {
    case SHIFT_LSL: return v << amount;
    case SHIFT_LSR: return v >> amount;
    case SHIFT_ASR: return (uint32_t)((int32_t)v >> amount);
    default: return ror32(v, amount);
    }
}

/* ExtendType (Arm ARM J1 DecodeRegExtend): option<2> = signed, option<1:0> = log2(bytes) */
enum { EXT_UXTB = 0, EXT_UXTH, EXT_UXTW, EXT_UXTX, EXT_SXTB, EXT_SXTH, EXT_SXTW, EXT_SXTX };

/** ExtendReg(reg, type, shift) with the register value v; shift 0..4.
 *  The result is 64 bits; 32-bit users truncate it.
 *  Arm ARM J1 aarch64/instrs/extendreg/ExtendReg. */
static inline uint64_t ExtendReg(uint64_t v, unsigned type, unsigned shift)
{
    unsigned len = 8u << (type & 3);          /* 8, 16, 32, 64 */
    uint64_t e;
    if (len == 64)
        e = v;
    else if (type & 4)
        e = (uint64_t)sext64(v, len);
    else
        e = v & ((1ull << len) - 1);
    return e << shift;
}

/* ---- DecodeBitMasks -------------------------------------------------------- */

/** Ones(n) as a 64-bit value, n = 0..64. */
static inline uint64_t ones64(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

/* Multipliers that replicate an element of 2^len bits across 64 bits:
 * sum over k of 2^(k * 2^len), indexed by len (1..6). */
static const uint64_t replicate_mult[7] = {
    0, 0x5555555555555555ull, 0x1111111111111111ull, 0x0101010101010101ull,
    0x0001000100010001ull, 0x0000000100000001ull, 0x0000000000000001ull,
};

/**
 * DecodeBitMasks(immN, imms, immr, immediate) (Arm ARM J1
 * aarch64/instrs/integer/bitmasks/DecodeBitMasks), computed for M = 64;
 * a 32-bit user takes the low 32 bits (the element size is at most 32
 * then, so the pattern repeats). Returns false where the pseudocode says
 * UNDEFINED: len < 1, or immediate and (imms AND levels) == levels.
 * tmask may be NULL when only wmask is wanted.
 */
static inline bool DecodeBitMasks(unsigned immN, unsigned imms, unsigned immr, bool immediate,
                                  uint64_t *wmask, uint64_t *tmask)
{
    unsigned v = ((immN & 1) << 6) | (~imms & 0x3f);
    if (v < 2)
        return false;                       /* HighestSetBit < 1 */
    unsigned len = 31 - (unsigned)__builtin_clz(v);
    unsigned levels = (1u << len) - 1;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned S = imms & levels, R = immr & levels;
    unsigned esize = 1u << len;
    unsigned d = (S - R) & levels;
    uint64_t emask = ~0ull >> (64 - esize);
    uint64_t welem = (2ull << S) - 1;        /* Ones(S + 1); S = 63 wraps to all ones */
    /* ROR(welem, R) within esize bits; R = 0 shifts by esize (masked off) or by 0 (64) */
    uint64_t rot = ((welem >> R) | (welem << ((esize - R) & 63))) & emask;
    *wmask = rot * replicate_mult[len];
    if (tmask)
        *tmask = ((2ull << d) - 1) * replicate_mult[len];
    return true;
}

#endif
