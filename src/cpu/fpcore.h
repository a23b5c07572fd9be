/*
 * The Arm floating-point arithmetic library: a soft-float written only in
 * integer operations, mirroring the Arm ARM pseudocode (shared/functions/
 * float/...: FPUnpack, FPRoundBase, FPProcessNaNs, FPAdd, FPMulAdd, ...)
 * so that results and FPSR flags are bit-exact and identical on every host.
 * No host floating point is used, so the host's rounding mode and flags can
 * neither leak into nor be disturbed by guest arithmetic.
 *
 * Conventions for every function:
 *  - Operands and results are raw IEEE bit patterns of N bits (N = 16, 32
 *    or 64) held in the low bits of a uint64_t; bits above N are ignored in
 *    operands and zero in results.
 *  - `fpcr` is the FPCR value whose DN, FZ, AHP and RMode fields apply.
 *  - `*fpsr` receives the cumulative exception flags (FPSR.IOC/DZC/OFC/UFC/
 *    IXC/IDC), OR-ed in. Trapping is not implemented (FPCR.xxE are RAZ/WI),
 *    so FPProcessException always just sets the cumulative flag.
 *  - Half precision (N = 16) is supported only where Armv8.0 needs it:
 *    conversions (fp_convert, AHP). FEAT_FP16 arithmetic is not provided.
 */
#ifndef A83_FPCORE_H
#define A83_FPCORE_H

#include <stdbool.h>
#include <stdint.h>

/* FPCR fields (Arm ARM D17.2.55 FPCR) */
#define FPCR_AHP   (1u << 26)
#define FPCR_DN    (1u << 25)
#define FPCR_FZ    (1u << 24)
#define FPCR_RMODE_SHIFT 22
#define FPCR_RMODE_MASK  (3u << FPCR_RMODE_SHIFT)
#define FPCR_FZ16  (1u << 19)
/* Bits an MSR FPCR can set: the trap enables IOE..IDE and FZ16 are RAZ/WI
 * (trapping and FEAT_FP16 are not implemented). */
#define FPCR_WRITABLE (FPCR_AHP | FPCR_DN | FPCR_FZ | FPCR_RMODE_MASK)

/* FPSR fields (Arm ARM D17.2.60 FPSR) */
#define FPSR_IOC (1u << 0)    /* Invalid Operation */
#define FPSR_DZC (1u << 1)    /* Divide by Zero */
#define FPSR_OFC (1u << 2)    /* Overflow */
#define FPSR_UFC (1u << 3)    /* Underflow */
#define FPSR_IXC (1u << 4)    /* Inexact */
#define FPSR_IDC (1u << 7)    /* Input Denormal (flushed to zero) */
#define FPSR_QC  (1u << 27)   /* saturation (AdvSIMD) */
#define FPSR_WRITABLE (FPSR_IOC | FPSR_DZC | FPSR_OFC | FPSR_UFC | FPSR_IXC | FPSR_IDC | FPSR_QC)

/* FPRounding (Arm ARM shared/functions/float/fprounding). The first four
 * values equal the FPCR.RMode encoding. */
typedef enum FPRounding {
    FPRounding_TIEEVEN = 0,
    FPRounding_POSINF = 1,
    FPRounding_NEGINF = 2,
    FPRounding_ZERO = 3,
    FPRounding_TIEAWAY = 4,
    FPRounding_ODD = 5,
} FPRounding;

/** FPRoundingMode(fpcr): the rounding mode FPCR.RMode selects. */
static inline FPRounding fp_rounding_mode(uint32_t fpcr)
{
    return (FPRounding)((fpcr & FPCR_RMODE_MASK) >> FPCR_RMODE_SHIFT);
}

/* ---- Constants ----------------------------------------------------------- */

/** FPDefaultNaN(): sign 0, exponent all ones, fraction top bit only. */
uint64_t fp_default_nan(unsigned N);
/** FPInfinity(sign), FPZero(sign), FPMaxNormal(sign). */
uint64_t fp_infinity(unsigned N, bool sign);
uint64_t fp_zero(unsigned N, bool sign);
uint64_t fp_max_normal(unsigned N, bool sign);
/** True if op is a NaN (quiet or signalling) of N bits. */
bool fp_is_nan(unsigned N, uint64_t op);

/* ---- Arithmetic (FPCR rounding mode) -------------------------------------- */

/** FPAdd / FPSub / FPMul / FPDiv / FPMulX (Arm ARM pseudocode of the same name). */
uint64_t fp_add(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_sub(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_mul(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_div(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_mulx(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
/** FPMulAdd(addend, op1, op2): addend + op1 * op2 with a single rounding. */
uint64_t fp_muladd(unsigned N, uint64_t addend, uint64_t op1, uint64_t op2, uint32_t fpcr,
                   uint32_t *fpsr);
/** FPSqrt(op). */
uint64_t fp_sqrt(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr);
/** FPMax, FPMin, FPMaxNum, FPMinNum. */
uint64_t fp_max(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_min(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_maxnum(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_minnum(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
/** FPAbs / FPNeg: sign-bit operations, no exceptions, NaNs unchanged otherwise. */
static inline uint64_t fp_abs(unsigned N, uint64_t op) { return op & ~(1ull << (N - 1)); }
static inline uint64_t fp_neg(unsigned N, uint64_t op) { return op ^ (1ull << (N - 1)); }

/** FPRecipEstimate, FPRSqrtEstimate, FPRecpX (FRECPE, FRSQRTE, FRECPX). */
uint64_t fp_recip_estimate(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_rsqrt_estimate(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_recpx(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr);
/** FPRecipStepFused: 2.0 - op1*op2; FPRSqrtStepFused: (3.0 - op1*op2)/2. */
uint64_t fp_recip_step_fused(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
uint64_t fp_rsqrt_step_fused(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
/** UnsignedRecipEstimate / UnsignedRSqrtEstimate (URECPE, URSQRTE), 32-bit. */
uint32_t fp_unsigned_recip_estimate(uint32_t op);
uint32_t fp_unsigned_rsqrt_estimate(uint32_t op);

/* ---- Comparisons ---------------------------------------------------------- */

/** FPCompare(op1, op2, signal_nans): returns NZCV in bits [3:0]
 *  (0b0110 equal, 0b1000 less, 0b0010 greater, 0b0011 unordered). */
unsigned fp_compare(unsigned N, uint64_t op1, uint64_t op2, bool signal_nans, uint32_t fpcr,
                    uint32_t *fpsr);
/** FPCompareEQ / GE / GT: the AdvSIMD compares (GE/GT signal on any NaN). */
bool fp_compare_eq(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
bool fp_compare_ge(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);
bool fp_compare_gt(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr);

/* ---- Rounding and conversions -------------------------------------------- */

/** FPRoundInt(op, fpcr, rounding, exact): FRINT*; exact sets IXC when the
 *  result differs from op (FRINTX). */
uint64_t fp_round_int(unsigned N, uint64_t op, FPRounding rounding, bool exact, uint32_t fpcr,
                      uint32_t *fpsr);
/** FPToFixed(op, fbits, unsigned, fpcr, rounding) to an M-bit integer
 *  (M = 32 or 64), saturating with IOC. Result zero-extended to 64 bits
 *  (sign bits above M cleared). */
uint64_t fp_to_fixed(unsigned N, uint64_t op, unsigned fbits, bool is_unsigned, FPRounding rounding,
                     unsigned M, uint32_t fpcr, uint32_t *fpsr);
/** FixedToFP(op, fbits, unsigned, fpcr, rounding): op is an M-bit integer
 *  (M = 32 or 64) in the low bits. */
uint64_t fp_fixed_to_fp(unsigned N, uint64_t op, unsigned M, unsigned fbits, bool is_unsigned,
                        FPRounding rounding, uint32_t fpcr, uint32_t *fpsr);
/** FPConvert(op, fpcr, rounding) from N to M bits (16/32/64), with AHP for
 *  half precision. */
uint64_t fp_convert(unsigned M, unsigned N, uint64_t op, FPRounding rounding, uint32_t fpcr,
                    uint32_t *fpsr);
/** FPToFixedJS(op, fpcr) for FJCVTZS: double to int32 modulo 2^32, round
 *  toward zero; *z is the Z flag the pseudocode returns. */
uint32_t fp_to_fixed_js(uint64_t op, uint32_t fpcr, uint32_t *fpsr, bool *z);

/** VFPExpandImm(imm8) for FMOV (immediate): the N-bit value. */
uint64_t fp_expand_imm(unsigned N, uint8_t imm8);

#endif
