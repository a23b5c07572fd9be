/*
 * Soft-float with exact Arm semantics (see fpcore.h). Every function mirrors
 * the Arm ARM pseudocode function named in its comment (Arm ARM DDI 0487,
 * shared/functions/float/...). Real values of the pseudocode are represented
 * exactly as sig * 2^exp with an unsigned integer sig; FPRoundBase turns one
 * into the N-bit result. Only integer arithmetic is used.
 */
#include "cpu/fpcore.h"

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

typedef unsigned __int128 u128;

/* The hot helpers are forced inline so that each public entry point, which
 * dispatches on N to a constant, gets code specialised for one format. */
#define AI static inline __attribute__((always_inline))

/* FPType */
enum { FPT_ZERO, FPT_NONZERO, FPT_INF, FPT_QNAN, FPT_SNAN };

/* The result of FPUnpack: value = (-1)^sign * sig * 2^exp (sig = 0 for zero). */
typedef struct FPUnpacked {
    int type;
    bool sign;
    int exp;
    uint64_t sig;
} FPUnpacked;

static inline unsigned fmt_E(unsigned N) { return N == 16 ? 5 : N == 32 ? 8 : 11; }
static inline unsigned fmt_F(unsigned N) { return N - fmt_E(N) - 1; }
static inline int fmt_bias(unsigned N) { return (1 << (fmt_E(N) - 1)) - 1; }
static inline uint64_t fmt_mask(unsigned N) { return N == 64 ? ~0ull : (1ull << N) - 1; }
static inline uint64_t sign_bit(unsigned N, bool s) { return (uint64_t)s << (N - 1); }

static inline int msb64(uint64_t v) { return 63 - __builtin_clzll(v); }

/* v >> s, OR-ing every bit shifted out into bit 0 ("sticky"). */
static inline uint64_t shr_sticky(uint64_t v, int s)
{
    if (s <= 0)
        return v;
    if (s >= 64)
        return v != 0;
    return (v >> s) | ((v << (64 - s)) != 0);
}

static inline u128 shr_sticky128(u128 v, int s)
{
    if (s <= 0)
        return v;
    if (s >= 128)
        return v != 0;
    return (v >> s) | ((v << (128 - s)) != 0);
}

/* ---- Constants ----------------------------------------------------------- */

uint64_t fp_default_nan(unsigned N)
{
    unsigned F = fmt_F(N);
    return ((((1ull << fmt_E(N)) - 1) << F) | (1ull << (F - 1)));
}

uint64_t fp_infinity(unsigned N, bool sign)
{
    return sign_bit(N, sign) | (((1ull << fmt_E(N)) - 1) << fmt_F(N));
}

uint64_t fp_zero(unsigned N, bool sign) { return sign_bit(N, sign); }

uint64_t fp_max_normal(unsigned N, bool sign)
{
    return sign_bit(N, sign) | ((((1ull << fmt_E(N)) - 2) << fmt_F(N)) | ((1ull << fmt_F(N)) - 1));
}

bool fp_is_nan(unsigned N, uint64_t op)
{
    unsigned F = fmt_F(N);
    uint64_t emax = (1ull << fmt_E(N)) - 1;
    return ((op >> F) & emax) == emax && (op & ((1ull << F) - 1)) != 0;
}

/* ---- FPUnpack / FPRound --------------------------------------------------- */

/* FPUnpackBase(fpval, fpcr, fpexc=TRUE). FZ flushes single and double
 * denormal inputs (with IDC); half precision is never flushed (FZ16 is not
 * implemented) and with FPCR.AHP has no infinities or NaNs. */
AI FPUnpacked fp_unpack(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr)
{
    unsigned F = fmt_F(N);
    unsigned emax = (1u << fmt_E(N)) - 1;
    FPUnpacked u;
    u.sign = (op >> (N - 1)) & 1;
    unsigned ex = (unsigned)(op >> F) & emax;
    uint64_t frac = op & ((1ull << F) - 1);
    if (likely(ex != 0 && ex != emax) || (ex == emax && N == 16 && (fpcr & FPCR_AHP))) {
        u.type = FPT_NONZERO;
        u.sig = frac | (1ull << F);
        u.exp = (int)ex - fmt_bias(N) - (int)F;
    } else if (ex == 0) {
        u.exp = 1 - fmt_bias(N) - (int)F;
        if (frac == 0) {
            u.type = FPT_ZERO;
            u.sig = 0;
        } else if ((fpcr & FPCR_FZ) && N != 16) {
            u.type = FPT_ZERO;     /* Denormalized input flushed to zero */
            u.sig = 0;
            *fpsr |= FPSR_IDC;
        } else {
            u.type = FPT_NONZERO;
            u.sig = frac;
        }
    } else {
        u.exp = 0;
        u.sig = 0;
        if (frac == 0)
            u.type = FPT_INF;
        else
            u.type = ((frac >> (F - 1)) & 1) ? FPT_QNAN : FPT_SNAN;
    }
    return u;
}

/*
 * FPRoundBase(op, fpcr, rounding) for op = (-1)^sign * sig * 2^exp, sig != 0.
 * Tininess is detected before rounding and Underflow is only signalled when
 * the result is also inexact; with FZ a tiny result is flushed to zero with
 * UFC (and no IXC); overflow gives infinity or the largest normal by rounding
 * mode, with OFC and IXC; with AHP half precision saturates with IOC.
 */
AI uint64_t fp_round_base(unsigned N, bool sign, int exp, uint64_t sig, uint32_t fpcr,
                              FPRounding rnd, uint32_t *fpsr)
{
    unsigned E = fmt_E(N), F = fmt_F(N);
    int bias = fmt_bias(N);
    int lz = __builtin_clzll(sig);
    uint64_t m = sig << lz;               /* 1.xxx in bit 63 */
    int e = exp - lz + 63;                /* unbiased exponent of the value */
    if (unlikely((fpcr & FPCR_FZ) && N != 16 && e < 1 - bias)) {
        *fpsr |= FPSR_UFC;
        return fp_zero(N, sign);
    }
    int be = e + bias;                    /* biased_exp */
    if (unlikely(be <= 0)) {
        m = shr_sticky(m, 1 - be);
        be = 0;
    }
    unsigned rs = 63 - F;
    uint64_t im = m >> rs;                /* int_mant */
    uint64_t rem = m & ((1ull << rs) - 1);
    uint64_t half = 1ull << (rs - 1);
    bool inexact = rem != 0;
    if (be == 0 && inexact)
        *fpsr |= FPSR_UFC;
    bool up, ovinf;
    switch (rnd) {
    case FPRounding_TIEEVEN:
        up = rem > half || (rem == half && (im & 1));
        ovinf = true;
        break;
    case FPRounding_POSINF:
        up = inexact && !sign;
        ovinf = !sign;
        break;
    case FPRounding_NEGINF:
        up = inexact && sign;
        ovinf = sign;
        break;
    case FPRounding_TIEAWAY:
        up = rem >= half;
        ovinf = true;
        break;
    default: /* ZERO, ODD */
        up = false;
        ovinf = false;
        break;
    }
    if (up) {
        im++;
        if (im == (1ull << F))
            be = 1;                       /* rounded up from denormal to normal */
        if (im == (2ull << F)) {
            be++;
            im >>= 1;
        }
    }
    if (inexact && rnd == FPRounding_ODD)
        im |= 1;
    uint64_t res;
    if (N != 16 || !(fpcr & FPCR_AHP)) {
        if (unlikely(be >= (int)(1u << E) - 1)) {
            res = ovinf ? fp_infinity(N, sign) : fp_max_normal(N, sign);
            *fpsr |= FPSR_OFC;
            inexact = true;
        } else {
            res = sign_bit(N, sign) | ((uint64_t)be << F) | (im & ((1ull << F) - 1));
        }
    } else {
        if (be >= (int)(1u << E)) {
            res = sign_bit(N, sign) | 0x7fff;
            *fpsr |= FPSR_IOC;
            inexact = false;
        } else {
            res = sign_bit(N, sign) | ((uint64_t)be << F) | (im & ((1ull << F) - 1));
        }
    }
    if (inexact)
        *fpsr |= FPSR_IXC;
    return res;
}

/* FPRoundBase for a 128-bit significand: folds the low bits into a sticky bit. */
AI uint64_t fp_round128(unsigned N, bool sign, int exp, u128 sig, uint32_t fpcr,
                            FPRounding rnd, uint32_t *fpsr)
{
    uint64_t hi = (uint64_t)(sig >> 64);
    if (hi) {
        int lz = __builtin_clzll(hi);
        sig <<= lz;
        hi = (uint64_t)(sig >> 64);
        return fp_round_base(N, sign, exp - lz + 64, hi | ((uint64_t)sig != 0), fpcr, rnd, fpsr);
    }
    return fp_round_base(N, sign, exp, (uint64_t)sig, fpcr, rnd, fpsr);
}

/* FPProcessNaN: quiets a signalling NaN (with IOC); DN gives the default NaN. */
static uint64_t fp_process_nan(unsigned N, int type, uint64_t op, uint32_t fpcr, uint32_t *fpsr)
{
    op &= fmt_mask(N);
    if (type == FPT_SNAN) {
        op |= 1ull << (fmt_F(N) - 1);
        *fpsr |= FPSR_IOC;
    }
    if (fpcr & FPCR_DN)
        return fp_default_nan(N);
    return op;
}

static inline bool is_nan_type(int t) { return t >= FPT_QNAN; }

/* FPProcessNaNs: the first signalling NaN, else the first quiet NaN. */
static bool fp_process_nans(unsigned N, const FPUnpacked *a, const FPUnpacked *b, uint64_t op1,
                            uint64_t op2, uint32_t fpcr, uint32_t *fpsr, uint64_t *res)
{
    if (likely(!is_nan_type(a->type) && !is_nan_type(b->type)))
        return false;
    if (a->type == FPT_SNAN)
        *res = fp_process_nan(N, a->type, op1, fpcr, fpsr);
    else if (b->type == FPT_SNAN)
        *res = fp_process_nan(N, b->type, op2, fpcr, fpsr);
    else if (a->type == FPT_QNAN)
        *res = fp_process_nan(N, a->type, op1, fpcr, fpsr);
    else
        *res = fp_process_nan(N, b->type, op2, fpcr, fpsr);
    return true;
}

/* FPProcessNaNs3 */
static bool fp_process_nans3(unsigned N, const FPUnpacked *a, const FPUnpacked *b,
                             const FPUnpacked *c, uint64_t op1, uint64_t op2, uint64_t op3,
                             uint32_t fpcr, uint32_t *fpsr, uint64_t *res)
{
    if (likely(!is_nan_type(a->type) && !is_nan_type(b->type) && !is_nan_type(c->type)))
        return false;
    if (a->type == FPT_SNAN)
        *res = fp_process_nan(N, a->type, op1, fpcr, fpsr);
    else if (b->type == FPT_SNAN)
        *res = fp_process_nan(N, b->type, op2, fpcr, fpsr);
    else if (c->type == FPT_SNAN)
        *res = fp_process_nan(N, c->type, op3, fpcr, fpsr);
    else if (a->type == FPT_QNAN)
        *res = fp_process_nan(N, a->type, op1, fpcr, fpsr);
    else if (b->type == FPT_QNAN)
        *res = fp_process_nan(N, b->type, op2, fpcr, fpsr);
    else
        *res = fp_process_nan(N, c->type, op3, fpcr, fpsr);
    return true;
}

static uint64_t invalid(unsigned N, uint32_t *fpsr)
{
    *fpsr |= FPSR_IOC;
    return fp_default_nan(N);
}

/* ---- Exact real arithmetic followed by one rounding ------------------------ */

/* Rounds the exact sum (-1)^sa*a*2^ea + (-1)^sb*b*2^eb (128-bit significands
 * up to 2^126). An exact zero sum gets +0, or -0 when rounding toward -inf
 * (FPAdd, FPMulAdd: "Sign of exact zero result depends on rounding mode"). */
AI uint64_t round_sum128(unsigned N, bool sa, int ea, u128 a, bool sb, int eb, u128 b,
                             uint32_t fpcr, FPRounding rnd, uint32_t *fpsr)
{
    if (a == 0) {
        if (b == 0)
            return fp_zero(N, rnd == FPRounding_NEGINF);
        return fp_round128(N, sb, eb, b, fpcr, rnd, fpsr);
    }
    if (b == 0)
        return fp_round128(N, sa, ea, a, fpcr, rnd, fpsr);
    /* Normalise both to bit 125, leaving headroom for the carry. */
    int la = (a >> 64) ? __builtin_clzll((uint64_t)(a >> 64)) : 64 + __builtin_clzll((uint64_t)a);
    int lb = (b >> 64) ? __builtin_clzll((uint64_t)(b >> 64)) : 64 + __builtin_clzll((uint64_t)b);
    a <<= la - 2;
    ea -= la - 2;
    b <<= lb - 2;
    eb -= lb - 2;
    if (ea < eb || (ea == eb && a < b)) {
        u128 t = a; a = b; b = t;
        int te = ea; ea = eb; eb = te;
        bool ts = sa; sa = sb; sb = ts;
    }
    b = shr_sticky128(b, ea - eb);
    u128 s = sa == sb ? a + b : a - b;
    if (s == 0)
        return fp_zero(N, rnd == FPRounding_NEGINF);
    return fp_round128(N, sa, ea, s, fpcr, rnd, fpsr);
}

/* The 64-bit version for FPAdd (significands of at most 53 bits). */
AI uint64_t round_sum64(unsigned N, bool sa, int ea, uint64_t a, bool sb, int eb, uint64_t b,
                            uint32_t fpcr, FPRounding rnd, uint32_t *fpsr)
{
    if (a == 0) {
        if (b == 0)
            return fp_zero(N, rnd == FPRounding_NEGINF);
        return fp_round_base(N, sb, eb, b, fpcr, rnd, fpsr);
    }
    if (b == 0)
        return fp_round_base(N, sa, ea, a, fpcr, rnd, fpsr);
    int la = __builtin_clzll(a) - 2, lb = __builtin_clzll(b) - 2;
    a <<= la;
    ea -= la;
    b <<= lb;
    eb -= lb;
    if (ea < eb || (ea == eb && a < b)) {
        uint64_t t = a; a = b; b = t;
        int te = ea; ea = eb; eb = te;
        bool ts = sa; sa = sb; sb = ts;
    }
    b = shr_sticky(b, ea - eb);
    uint64_t s = sa == sb ? a + b : a - b;
    if (s == 0)
        return fp_zero(N, rnd == FPRounding_NEGINF);
    return fp_round_base(N, sa, ea, s, fpcr, rnd, fpsr);
}

/* ---- FPAdd / FPSub ----------------------------------------------------------- */

AI uint64_t fp_addsub(unsigned N, uint64_t op1, uint64_t op2, bool sub, uint32_t fpcr,
                          uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    FPRounding rnd = fp_rounding_mode(fpcr);
    bool sb = b.sign ^ sub;
    if (likely(a.type == FPT_NONZERO && b.type == FPT_NONZERO))
        return round_sum64(N, a.sign, a.exp, a.sig, sb, b.exp, b.sig, fpcr, rnd, fpsr);
    uint64_t res;
    if (fp_process_nans(N, &a, &b, op1, op2, fpcr, fpsr, &res))
        return res;
    bool inf1 = a.type == FPT_INF, inf2 = b.type == FPT_INF;
    if (inf1 && inf2 && a.sign != sb)
        return invalid(N, fpsr);
    if ((inf1 && !a.sign) || (inf2 && !sb))
        return fp_infinity(N, false);
    if ((inf1 && a.sign) || (inf2 && sb))
        return fp_infinity(N, true);
    if (a.type == FPT_ZERO && b.type == FPT_ZERO && a.sign == sb)
        return fp_zero(N, a.sign);
    return round_sum64(N, a.sign, a.exp, a.sig, sb, b.exp, b.sig, fpcr, rnd, fpsr);
}

/* Calls f with N as a compile-time constant (format specialisation). */
#define SPECIALISE(N, f, ...) \
    ((N) == 64 ? f(64, __VA_ARGS__) : (N) == 32 ? f(32, __VA_ARGS__) : f(16, __VA_ARGS__))

uint64_t fp_add(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return SPECIALISE(N, fp_addsub, op1, op2, false, fpcr, fpsr);
}

uint64_t fp_sub(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return SPECIALISE(N, fp_addsub, op1, op2, true, fpcr, fpsr);
}

/* ---- FPMul / FPMulX ------------------------------------------------------------ */

AI uint64_t fp_mul_common(unsigned N, uint64_t op1, uint64_t op2, bool mulx, uint32_t fpcr,
                              uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    bool sign = a.sign ^ b.sign;
    if (likely(a.type == FPT_NONZERO && b.type == FPT_NONZERO)) {
        if (N != 64)
            return fp_round_base(N, sign, a.exp + b.exp, a.sig * b.sig, fpcr,
                                 fp_rounding_mode(fpcr), fpsr);
        return fp_round128(N, sign, a.exp + b.exp, (u128)a.sig * b.sig, fpcr,
                           fp_rounding_mode(fpcr), fpsr);
    }
    uint64_t res;
    if (fp_process_nans(N, &a, &b, op1, op2, fpcr, fpsr, &res))
        return res;
    bool inf1 = a.type == FPT_INF, inf2 = b.type == FPT_INF;
    bool zero1 = a.type == FPT_ZERO, zero2 = b.type == FPT_ZERO;
    if ((inf1 && zero2) || (zero1 && inf2)) {
        if (mulx)  /* FPMulX: FPTwo(sign1 EOR sign2) */
            return sign_bit(N, sign) | ((uint64_t)fmt_bias(N) + 1) << fmt_F(N);
        return invalid(N, fpsr);
    }
    if (inf1 || inf2)
        return fp_infinity(N, sign);
    return fp_zero(N, sign);
}

uint64_t fp_mul(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return SPECIALISE(N, fp_mul_common, op1, op2, false, fpcr, fpsr);
}

uint64_t fp_mulx(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return SPECIALISE(N, fp_mul_common, op1, op2, true, fpcr, fpsr);
}

/* ---- FPMulAdd --------------------------------------------------------------------- */

AI uint64_t fp_muladd_n(unsigned N, uint64_t addend, uint64_t op1, uint64_t op2, uint32_t fpcr,
                       uint32_t *fpsr)
{
    FPUnpacked ua = fp_unpack(N, addend, fpcr, fpsr);
    FPUnpacked u1 = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked u2 = fp_unpack(N, op2, fpcr, fpsr);
    FPRounding rnd = fp_rounding_mode(fpcr);
    bool signP = u1.sign ^ u2.sign;
    if (likely(u1.type == FPT_NONZERO && u2.type == FPT_NONZERO &&
               (ua.type == FPT_NONZERO || ua.type == FPT_ZERO)))
        return round_sum128(N, ua.sign, ua.exp, ua.sig, signP, u1.exp + u2.exp,
                            (u128)u1.sig * u2.sig, fpcr, rnd, fpsr);
    bool inf1 = u1.type == FPT_INF, inf2 = u2.type == FPT_INF;
    bool zero1 = u1.type == FPT_ZERO, zero2 = u2.type == FPT_ZERO;
    uint64_t res;
    bool done = fp_process_nans3(N, &ua, &u1, &u2, addend, op1, op2, fpcr, fpsr, &res);
    /* A quiet NaN addend with Inf * 0 is an Invalid Operation. */
    if (ua.type == FPT_QNAN && ((inf1 && zero2) || (zero1 && inf2)))
        return invalid(N, fpsr);
    if (done)
        return res;
    bool infA = ua.type == FPT_INF, zeroA = ua.type == FPT_ZERO;
    bool infP = inf1 || inf2, zeroP = zero1 || zero2;
    if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && ua.sign != signP))
        return invalid(N, fpsr);
    if ((infA && !ua.sign) || (infP && !signP))
        return fp_infinity(N, false);
    if ((infA && ua.sign) || (infP && signP))
        return fp_infinity(N, true);
    if (zeroA && zeroP && ua.sign == signP)
        return fp_zero(N, ua.sign);
    return round_sum128(N, ua.sign, ua.exp, ua.sig, signP, u1.exp + u2.exp,
                        (u128)u1.sig * u2.sig, fpcr, rnd, fpsr);
}

uint64_t fp_muladd(unsigned N, uint64_t addend, uint64_t op1, uint64_t op2, uint32_t fpcr,
                   uint32_t *fpsr)
{
    return SPECIALISE(N, fp_muladd_n, addend, op1, op2, fpcr, fpsr);
}

/* ---- FPDiv ---------------------------------------------------------------------------- */

AI uint64_t fp_div_n(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    bool sign = a.sign ^ b.sign;
    if (likely(a.type == FPT_NONZERO && b.type == FPT_NONZERO)) {
        int la = __builtin_clzll(a.sig), lb = __builtin_clzll(b.sig);
        uint64_t na = a.sig << la, nb = b.sig << lb;
        if (N != 64) {
            /* 64-bit quotient of (na >> 1) / (nb >> 32): at least 30 bits. */
            uint64_t d = nb >> 32;
            uint64_t q = na / d, r = na % d;
            return fp_round_base(N, sign, a.exp - la - (b.exp - lb + 32), q | (r != 0), fpcr,
                                 fp_rounding_mode(fpcr), fpsr);
        }
        u128 n = (u128)na << 64;
        u128 q = n / nb;
        bool r = (n - q * nb) != 0;
        return fp_round128(N, sign, a.exp - la - 64 - (b.exp - lb), q | r, fpcr,
                           fp_rounding_mode(fpcr), fpsr);
    }
    uint64_t res;
    if (fp_process_nans(N, &a, &b, op1, op2, fpcr, fpsr, &res))
        return res;
    bool inf1 = a.type == FPT_INF, inf2 = b.type == FPT_INF;
    bool zero1 = a.type == FPT_ZERO, zero2 = b.type == FPT_ZERO;
    if ((inf1 && inf2) || (zero1 && zero2))
        return invalid(N, fpsr);
    if (inf1 || zero2) {
        if (!inf1)
            *fpsr |= FPSR_DZC;
        return fp_infinity(N, sign);
    }
    return fp_zero(N, sign);
}

uint64_t fp_div(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return SPECIALISE(N, fp_div_n, op1, op2, fpcr, fpsr);
}

/* ---- FPSqrt ------------------------------------------------------------------------------- */

/* floor(sqrt(n)) for a 64-bit n, by Newton's iteration from above. */
static uint64_t isqrt64(uint64_t n)
{
    if (n < 2)
        return n;
    uint64_t x = 1ull << ((msb64(n) >> 1) + 1);   /* > sqrt(n) */
    for (;;) {
        uint64_t y = (x + n / x) >> 1;
        if (y >= x)
            return x;
        x = y;
    }
}

/* floor(sqrt(n)) for a 128-bit n whose top set bit is bit 124 or 125 (so the
 * root has 62-63 bits); *exact when the remainder is zero. A 32-bit root of
 * the top half, one Newton step in 128-bit arithmetic (which lands at or
 * above the root), then a downward correction. */
static uint64_t isqrt128(u128 n, bool *exact)
{
    uint64_t r = (isqrt64((uint64_t)(n >> 64)) + 1) << 32;   /* > sqrt(n) */
    r = (uint64_t)(((u128)r + n / r) >> 1);
    while ((u128)r * r > n)
        r--;
    *exact = (u128)r * r == n;
    return r;
}

uint64_t fp_sqrt(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);
    if (is_nan_type(u.type))
        return fp_process_nan(N, u.type, op, fpcr, fpsr);
    if (u.type == FPT_ZERO)
        return fp_zero(N, u.sign);
    if (u.type == FPT_INF && !u.sign)
        return fp_infinity(N, false);
    if (u.sign)
        return invalid(N, fpsr);
    /* Radicand sig * 2^exp with sig shifted up to bit 124/125 by an even amount
     * together with an even exponent, so the root has 62-63 bits. */
    int lz = 64 + __builtin_clzll(u.sig);      /* leading zeros as a 128-bit value */
    int sh = lz - 3;
    int e = u.exp - sh;
    if (e & 1) {
        sh++;
        e--;
    }
    bool exact;
    uint64_t r = isqrt128((u128)u.sig << sh, &exact);
    return fp_round_base(N, false, e / 2, r | !exact, fpcr, fp_rounding_mode(fpcr), fpsr);
}

/* ---- FPMax / FPMin / FPMaxNum / FPMinNum ------------------------------------ */

/* A signed key that orders the values of two unpacked operands (not NaNs). */
static inline int64_t value_key(unsigned N, const FPUnpacked *u, uint64_t op)
{
    if (u->type == FPT_ZERO)
        return 0;
    int64_t mag = (int64_t)(op & (fmt_mask(N) >> 1));
    return u->sign ? -mag : mag;
}

static uint64_t fp_maxmin(unsigned N, uint64_t op1, uint64_t op2, bool is_max, uint32_t fpcr,
                          uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    uint64_t res;
    if (fp_process_nans(N, &a, &b, op1, op2, fpcr, fpsr, &res))
        return res;
    int64_t k1 = value_key(N, &a, op1), k2 = value_key(N, &b, op2);
    bool pick1 = is_max ? k1 > k2 : k1 < k2;
    const FPUnpacked *p = pick1 ? &a : &b;
    if (p->type == FPT_ZERO)   /* most positive (max) / most negative (min) zero */
        return fp_zero(N, is_max ? (a.sign && b.sign) : (a.sign || b.sign));
    /* Infinity, or FPRound of a value that is exactly representable. */
    return (pick1 ? op1 : op2) & fmt_mask(N);
}

uint64_t fp_max(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_maxmin(N, op1, op2, true, fpcr, fpsr);
}

uint64_t fp_min(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_maxmin(N, op1, op2, false, fpcr, fpsr);
}

/* FPMaxNum/FPMinNum: a single quiet NaN operand is replaced by -Inf (max) or
 * +Inf (min) before FPMax/FPMin. */
static uint64_t fp_maxminnum(unsigned N, uint64_t op1, uint64_t op2, bool is_max, uint32_t fpcr,
                             uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    if (a.type == FPT_QNAN && b.type != FPT_QNAN)
        op1 = fp_infinity(N, is_max);
    else if (a.type != FPT_QNAN && b.type == FPT_QNAN)
        op2 = fp_infinity(N, is_max);
    return fp_maxmin(N, op1, op2, is_max, fpcr, fpsr);
}

uint64_t fp_maxnum(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_maxminnum(N, op1, op2, true, fpcr, fpsr);
}

uint64_t fp_minnum(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_maxminnum(N, op1, op2, false, fpcr, fpsr);
}

/* ---- Comparisons ---------------------------------------------------------------- */

unsigned fp_compare(unsigned N, uint64_t op1, uint64_t op2, bool signal_nans, uint32_t fpcr,
                    uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    if (is_nan_type(a.type) || is_nan_type(b.type)) {
        if (a.type == FPT_SNAN || b.type == FPT_SNAN || signal_nans)
            *fpsr |= FPSR_IOC;
        return 0x3;
    }
    int64_t k1 = value_key(N, &a, op1), k2 = value_key(N, &b, op2);
    if (k1 == k2)
        return 0x6;
    return k1 < k2 ? 0x8 : 0x2;
}

bool fp_compare_eq(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    if (is_nan_type(a.type) || is_nan_type(b.type)) {
        if (a.type == FPT_SNAN || b.type == FPT_SNAN)
            *fpsr |= FPSR_IOC;
        return false;
    }
    return value_key(N, &a, op1) == value_key(N, &b, op2);
}

static int fp_compare_ordered(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr,
                              uint32_t *fpsr, bool *unordered)
{
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    if (is_nan_type(a.type) || is_nan_type(b.type)) {
        *fpsr |= FPSR_IOC;
        *unordered = true;
        return 0;
    }
    *unordered = false;
    int64_t k1 = value_key(N, &a, op1), k2 = value_key(N, &b, op2);
    return k1 == k2 ? 0 : k1 < k2 ? -1 : 1;
}

bool fp_compare_ge(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    bool un;
    int r = fp_compare_ordered(N, op1, op2, fpcr, fpsr, &un);
    return !un && r >= 0;
}

bool fp_compare_gt(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    bool un;
    int r = fp_compare_ordered(N, op1, op2, fpcr, fpsr, &un);
    return !un && r > 0;
}

/* ---- Estimates and Newton-Raphson steps ------------------------------------------ */

/* RecipEstimate(a): a in [256, 511] represents a/512 in [0.5, 1.0); the
 * result in [256, 511] represents result/256 in [1.0, 2.0). */
static unsigned recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate(a): a in [128, 511] represents a/512 in [0.25, 1.0). */
static unsigned recip_sqrt_estimate(unsigned a)
{
    if (a < 256)
        a = a * 2 + 1;
    else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    unsigned b = 512;
    while ((uint64_t)a * (b + 1) * (b + 1) < (1ull << 28))
        b++;
    return (b + 1) / 2;
}

/* The 52-bit fraction field and exponent field of op, as the estimate
 * pseudocode extracts them ("fraction = operand<22:0> : Zeros(29)"). */
static inline void est_fields(unsigned N, uint64_t op, uint64_t *fraction, int *exp)
{
    unsigned F = fmt_F(N);
    *fraction = (op & ((1ull << F) - 1)) << (52 - F);
    *exp = (int)((op >> F) & ((1u << fmt_E(N)) - 1));
}

uint64_t fp_recip_estimate(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);
    if (is_nan_type(u.type))
        return fp_process_nan(N, u.type, op, fpcr, fpsr);
    if (u.type == FPT_INF)
        return fp_zero(N, u.sign);
    if (u.type == FPT_ZERO) {
        *fpsr |= FPSR_DZC;
        return fp_infinity(N, u.sign);
    }
    int vexp = msb64(u.sig) + u.exp;           /* floor(log2(|value|)) */
    int tiny = N == 16 ? -16 : N == 32 ? -128 : -1024;
    if (vexp < tiny) {
        bool ovinf;
        switch (fp_rounding_mode(fpcr)) {
        case FPRounding_TIEEVEN: ovinf = true; break;
        case FPRounding_POSINF: ovinf = !u.sign; break;
        case FPRounding_NEGINF: ovinf = u.sign; break;
        default: ovinf = false; break;
        }
        *fpsr |= FPSR_OFC | FPSR_IXC;
        return ovinf ? fp_infinity(N, u.sign) : fp_max_normal(N, u.sign);
    }
    int big = N == 16 ? 14 : N == 32 ? 126 : 1022;
    if ((fpcr & FPCR_FZ) && N != 16 && vexp >= big) {
        *fpsr |= FPSR_UFC;                    /* result flushed to zero */
        return fp_zero(N, u.sign);
    }
    uint64_t fraction;
    int exp;
    est_fields(N, op, &fraction, &exp);
    if (exp == 0) {
        if (!((fraction >> 51) & 1)) {
            exp = -1;
            fraction = (fraction << 2) & ((1ull << 52) - 1);
        } else {
            fraction = (fraction << 1) & ((1ull << 52) - 1);
        }
    }
    unsigned scaled = 0x100 | (unsigned)(fraction >> 44);
    int result_exp = (N == 16 ? 29 : N == 32 ? 253 : 2045) - exp;
    unsigned estimate = recip_estimate(scaled);
    fraction = (uint64_t)(estimate & 0xff) << 44;
    if (result_exp == 0) {
        fraction = (1ull << 51) | (fraction >> 1);
    } else if (result_exp == -1) {
        fraction = (1ull << 50) | (fraction >> 2);
        result_exp = 0;
    }
    unsigned F = fmt_F(N);
    return sign_bit(N, u.sign) | ((uint64_t)result_exp << F) | (fraction >> (52 - F));
}

uint64_t fp_rsqrt_estimate(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);
    if (is_nan_type(u.type))
        return fp_process_nan(N, u.type, op, fpcr, fpsr);
    if (u.type == FPT_ZERO) {
        *fpsr |= FPSR_DZC;
        return fp_infinity(N, u.sign);
    }
    if (u.sign)
        return invalid(N, fpsr);
    if (u.type == FPT_INF)
        return fp_zero(N, false);
    uint64_t fraction;
    int exp;
    est_fields(N, op, &fraction, &exp);
    const uint64_t m52 = (1ull << 52) - 1;
    if (exp == 0) {
        while (!((fraction >> 51) & 1)) {
            fraction = (fraction << 1) & m52;
            exp--;
        }
        fraction = (fraction << 1) & m52;
    }
    unsigned scaled;
    if (!(exp & 1))
        scaled = 0x100 | (unsigned)(fraction >> 44);
    else
        scaled = 0x80 | (unsigned)(fraction >> 45);
    int base = N == 16 ? 44 : N == 32 ? 380 : 3068;
    int result_exp = (base - exp) / 2;       /* base - exp >= 0 here */
    unsigned estimate = recip_sqrt_estimate(scaled);
    unsigned F = fmt_F(N);
    return ((uint64_t)result_exp << F) | ((uint64_t)(estimate & 0xff) << (F - 8));
}

uint64_t fp_recpx(unsigned N, uint64_t op, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);
    if (is_nan_type(u.type))
        return fp_process_nan(N, u.type, op, fpcr, fpsr);
    unsigned F = fmt_F(N);
    uint64_t emask = (1ull << fmt_E(N)) - 1;
    uint64_t exp = (op >> F) & emask;
    uint64_t rexp = exp == 0 ? emask - 1 : (~exp & emask);
    return sign_bit(N, u.sign) | (rexp << F);
}

/* FPRecipStepFused / FPRSqrtStepFused: op1 is negated first (also a NaN). */
static uint64_t fp_step_fused(unsigned N, uint64_t op1, uint64_t op2, bool rsqrt, uint32_t fpcr,
                              uint32_t *fpsr)
{
    op1 = fp_neg(N, op1);
    FPUnpacked a = fp_unpack(N, op1, fpcr, fpsr);
    FPUnpacked b = fp_unpack(N, op2, fpcr, fpsr);
    uint64_t res;
    if (fp_process_nans(N, &a, &b, op1, op2, fpcr, fpsr, &res))
        return res;
    bool inf1 = a.type == FPT_INF, inf2 = b.type == FPT_INF;
    bool zero1 = a.type == FPT_ZERO, zero2 = b.type == FPT_ZERO;
    unsigned F = fmt_F(N);
    uint64_t one_exp = (uint64_t)fmt_bias(N) << F;
    if ((inf1 && zero2) || (zero1 && inf2))   /* FPTwo('0') / FPOnePointFive('0') */
        return rsqrt ? one_exp | (1ull << (F - 1)) : one_exp + (1ull << F);
    if (inf1 || inf2)
        return fp_infinity(N, a.sign ^ b.sign);
    /* 2.0 + op1*op2, or (3.0 + op1*op2) / 2.0, rounded once. */
    int adj = rsqrt ? -1 : 0;
    return round_sum128(N, false, (rsqrt ? 0 : 1) + adj, rsqrt ? 3 : 1, a.sign ^ b.sign,
                        a.exp + b.exp + adj, (u128)a.sig * b.sig, fpcr, fp_rounding_mode(fpcr),
                        fpsr);
}

uint64_t fp_recip_step_fused(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_step_fused(N, op1, op2, false, fpcr, fpsr);
}

uint64_t fp_rsqrt_step_fused(unsigned N, uint64_t op1, uint64_t op2, uint32_t fpcr, uint32_t *fpsr)
{
    return fp_step_fused(N, op1, op2, true, fpcr, fpsr);
}

uint32_t fp_unsigned_recip_estimate(uint32_t op)
{
    if (!(op >> 31))
        return 0xffffffffu;
    return (uint32_t)recip_estimate(op >> 23) << 23;
}

uint32_t fp_unsigned_rsqrt_estimate(uint32_t op)
{
    if (!(op >> 30))
        return 0xffffffffu;
    return (uint32_t)recip_sqrt_estimate(op >> 23) << 23;
}

/* ---- Rounding to integral, conversions ------------------------------------------- */

/* Splits |value| * 2^scale = sig * 2^(exp+scale) into its integer part (*ip,
 * saturated to 2^64+ when too large: *big) and the fraction relative to one
 * half: returns -1 (< 0.5), 0 (== 0.5), 1 (> 0.5), with *inexact. */
static int split_int(uint64_t sig, int exp, uint64_t *ip, bool *big, bool *inexact)
{
    *big = false;
    if (exp >= 0) {
        *inexact = false;
        if (exp + msb64(sig) >= 64) {
            *big = true;
            *ip = ~0ull;
        } else {
            *ip = sig << exp;
        }
        return -1;
    }
    int s = -exp;
    if (s > 64) {
        *ip = 0;
        *inexact = true;
        return -1;                            /* sig < 2^53 so the value is < 2^-11 */
    }
    u128 v = (u128)sig << 64 >> s;          /* 64 fraction bits */
    *ip = (uint64_t)(v >> 64);
    uint64_t fr = (uint64_t)v;
    *inexact = fr != 0;
    const uint64_t half = 1ull << 63;
    return fr < half ? -1 : fr == half ? 0 : 1;
}

/* Whether rounding the magnitude up (away from zero) is required. */
static bool round_mag_up(FPRounding rnd, bool sign, uint64_t ip, int half_cmp, bool inexact)
{
    switch (rnd) {
    case FPRounding_TIEEVEN: return half_cmp > 0 || (half_cmp == 0 && (ip & 1));
    case FPRounding_TIEAWAY: return half_cmp >= 0;
    case FPRounding_POSINF: return inexact && !sign;
    case FPRounding_NEGINF: return inexact && sign;
    default: return false;
    }
}

uint64_t fp_round_int(unsigned N, uint64_t op, FPRounding rounding, bool exact, uint32_t fpcr,
                      uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);
    if (is_nan_type(u.type))
        return fp_process_nan(N, u.type, op, fpcr, fpsr);
    if (u.type == FPT_INF)
        return fp_infinity(N, u.sign);
    if (u.type == FPT_ZERO)
        return fp_zero(N, u.sign);
    if (u.exp >= 0)
        return op & fmt_mask(N);              /* already integral */
    uint64_t ip;
    bool big, inexact;
    int hc = split_int(u.sig, u.exp, &ip, &big, &inexact);
    if (round_mag_up(rounding, u.sign, ip, hc, inexact))
        ip++;
    uint64_t res = ip == 0 ? fp_zero(N, u.sign)
                           : fp_round_base(N, u.sign, 0, ip, fpcr, FPRounding_ZERO, fpsr);
    if (inexact && exact)
        *fpsr |= FPSR_IXC;
    return res;
}

uint64_t fp_to_fixed(unsigned N, uint64_t op, unsigned fbits, bool is_unsigned, FPRounding rounding,
                     unsigned M, uint32_t fpcr, uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);
    if (is_nan_type(u.type)) {
        *fpsr |= FPSR_IOC;                    /* NaN converts as 0.0 */
        return 0;
    }
    if (u.type == FPT_ZERO)
        return 0;
    uint64_t ip = 0;
    bool big = u.type == FPT_INF, inexact = false;
    if (!big) {
        int hc = split_int(u.sig, u.exp + (int)fbits, &ip, &big, &inexact);
        if (!big && round_mag_up(rounding, u.sign, ip, hc, inexact)) {
            ip++;
            big = ip == 0;
        }
    }
    uint64_t mmask = M == 64 ? ~0ull : (1ull << M) - 1;
    uint64_t res;
    bool overflow;
    if (is_unsigned) {
        if (u.sign) {
            overflow = ip != 0 || big;
            res = 0;
        } else {
            overflow = big || ip > mmask;
            res = overflow ? mmask : ip;
        }
    } else {
        uint64_t lim = 1ull << (M - 1);       /* |INT_MIN| */
        if (u.sign) {
            overflow = big || ip > lim;
            res = overflow ? lim : (0 - ip) & mmask;
            if (overflow)
                res = lim;                    /* INT_MIN as an M-bit pattern */
        } else {
            overflow = big || ip > lim - 1;
            res = overflow ? lim - 1 : ip;
        }
    }
    if (overflow)
        *fpsr |= FPSR_IOC;
    else if (inexact)
        *fpsr |= FPSR_IXC;
    return res & mmask;
}

uint64_t fp_fixed_to_fp(unsigned N, uint64_t op, unsigned M, unsigned fbits, bool is_unsigned,
                        FPRounding rounding, uint32_t fpcr, uint32_t *fpsr)
{
    uint64_t mmask = M == 64 ? ~0ull : (1ull << M) - 1;
    op &= mmask;
    bool sign = false;
    if (!is_unsigned && ((op >> (M - 1)) & 1)) {
        sign = true;
        op = (0 - op) & mmask;
    }
    if (op == 0)
        return fp_zero(N, false);
    return fp_round_base(N, sign, -(int)fbits, op, fpcr, rounding, fpsr);
}

uint64_t fp_convert(unsigned M, unsigned N, uint64_t op, FPRounding rounding, uint32_t fpcr,
                    uint32_t *fpsr)
{
    FPUnpacked u = fp_unpack(N, op, fpcr, fpsr);   /* FPUnpackCV: FZ16 = 0 */
    bool alt = M == 16 && (fpcr & FPCR_AHP);
    if (is_nan_type(u.type)) {
        uint64_t res;
        if (alt) {
            res = fp_zero(M, u.sign);
        } else if (fpcr & FPCR_DN) {
            res = fp_default_nan(M);
        } else {
            /* FPConvertNaN: quiet, keep the top fraction bits below the quiet bit. */
            unsigned Fn = fmt_F(N), Fm = fmt_F(M);
            uint64_t frac51 = (op & ((1ull << (Fn - 1)) - 1)) << (51 - (Fn - 1));
            res = fp_infinity(M, u.sign) | (1ull << (Fm - 1)) | (frac51 >> (51 - (Fm - 1)));
        }
        if (u.type == FPT_SNAN || alt)
            *fpsr |= FPSR_IOC;
        return res;
    }
    if (u.type == FPT_INF) {
        if (alt) {
            *fpsr |= FPSR_IOC;
            return sign_bit(M, u.sign) | 0x7fff;
        }
        return fp_infinity(M, u.sign);
    }
    if (u.type == FPT_ZERO)
        return fp_zero(M, u.sign);
    return fp_round_base(M, u.sign, u.exp, u.sig, fpcr, rounding, fpsr);
}

uint32_t fp_to_fixed_js(uint64_t op, uint32_t fpcr, uint32_t *fpsr, bool *z)
{
    FPUnpacked u = fp_unpack(64, op, fpcr, fpsr);
    bool Z = true;
    if (is_nan_type(u.type)) {
        *fpsr |= FPSR_IOC;
        *z = false;
        return 0;
    }
    if (u.type == FPT_INF) {
        *fpsr |= FPSR_IOC;                    /* out of range; result 0 */
        *z = false;
        return 0;
    }
    uint64_t low = 0;                         /* |int_result| modulo 2^64 */
    bool overflow = false, inexact = false;
    if (u.type == FPT_NONZERO) {
        if (u.exp >= 0) {
            low = u.exp >= 64 ? 0 : u.sig << u.exp;
            overflow = u.exp + msb64(u.sig) >= 32 ||
                       (u.sign ? low > (1ull << 31) : low > 0x7fffffffull);
        } else {
            int s = -u.exp;
            low = s >= 64 ? 0 : u.sig >> s;
            inexact = s >= 64 ? true : (u.sig & ((1ull << s) - 1)) != 0;
            overflow = u.sign ? low > (1ull << 31) : low > 0x7fffffffull;
        }
    }
    uint32_t res = (uint32_t)(u.sign ? 0 - low : low);
    if (overflow) {
        *fpsr |= FPSR_IOC;
        Z = false;
    } else if (inexact) {
        *fpsr |= FPSR_IXC;
        Z = false;
    } else if (u.sign && u.type == FPT_ZERO) {
        Z = false;                            /* -0.0, or a flushed negative denormal */
    } else if (!u.sign && u.type == FPT_ZERO && (op & ((1ull << 52) - 1)) != 0) {
        Z = false;                            /* a flushed positive denormal */
    }
    *z = Z;
    return res;
}

uint64_t fp_expand_imm(unsigned N, uint8_t imm8)
{
    unsigned E = fmt_E(N), F = fmt_F(N);
    uint64_t sign = (imm8 >> 7) & 1, b6 = (imm8 >> 6) & 1;
    uint64_t exp = ((b6 ^ 1) << (E - 1)) | ((b6 ? (1ull << (E - 3)) - 1 : 0) << 2) |
                   ((imm8 >> 4) & 3);
    uint64_t frac = (uint64_t)(imm8 & 15) << (F - 4);
    return (sign << (N - 1)) | (exp << F) | frac;
}
