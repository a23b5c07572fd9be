/*
 * Straightforward reference models of Arm ARM pseudocode, written bit by
 * bit (independently of the optimised helpers in src/cpu/dp_util.h), for the
 * integer data-processing unit tests.
 */
#ifndef DP_REF_H
#define DP_REF_H

#include <stdbool.h>
#include <stdint.h>

/* DecodeBitMasks(immN, imms, immr, immediate) for datasize M (32 or 64),
 * Arm ARM J1 aarch64/instrs/integer/bitmasks/DecodeBitMasks, one bit at a
 * time: returns false where the pseudocode is UNDEFINED. */
static inline bool ref_decode_bit_masks(unsigned M, unsigned immN, unsigned imms, unsigned immr,
                                        bool immediate, uint64_t *wmask, uint64_t *tmask)
{
    /* len = HighestSetBit(immN:NOT(imms)) */
    unsigned bits7 = (immN << 6) | (~imms & 63);
    int len = -1;
    for (int i = 6; i >= 0; i--)
        if ((bits7 >> i) & 1) { len = i; break; }
    if (len < 1)
        return false;
    if ((1u << len) > M)
        return false;   /* the pseudocode asserts M >= (1 << len): callers never pass this */
    unsigned levels = 0;
    for (int i = 0; i < len; i++)
        levels |= 1u << i;
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned S = imms & levels, R = immr & levels;
    unsigned diff = (S - R) & 63;
    unsigned esize = 1u << len;
    unsigned d = diff & levels;           /* diff<len-1:0> */
    uint8_t welem[64] = {0}, telem[64] = {0}, wrot[64];
    for (unsigned i = 0; i <= S; i++) welem[i] = 1;
    for (unsigned i = 0; i <= d; i++) telem[i] = 1;
    /* ROR(welem, R): result bit i = welem bit (i + R) mod esize */
    for (unsigned i = 0; i < esize; i++) wrot[i] = welem[(i + R) % esize];
    uint64_t w = 0, t = 0;
    for (unsigned i = 0; i < M; i++) {
        if (wrot[i % esize]) w |= 1ull << i;
        if (telem[i % esize]) t |= 1ull << i;
    }
    *wmask = w;
    *tmask = t;
    return true;
}

static inline uint64_t ref_mask(unsigned M) { return M == 64 ? ~0ull : (1ull << M) - 1; }

static inline uint64_t ref_ror(uint64_t v, unsigned n, unsigned M)
{
    v &= ref_mask(M);
    n %= M;
    if (!n) return v;
    return ((v >> n) | (v << (M - n))) & ref_mask(M);
}

/* SBFM/BFM/UBFM per the Arm ARM pseudocode (C6.2.248, C6.2.30, C6.2.330):
 * opc 0 = SBFM (inzero, extend), 1 = BFM, 2 = UBFM (inzero). */
static inline uint64_t ref_bitfield(unsigned M, unsigned opc, unsigned immr, unsigned imms,
                                    uint64_t src, uint64_t dst_in)
{
    uint64_t wmask = 0, tmask = 0;
    ref_decode_bit_masks(M, M == 64, imms, immr, false, &wmask, &tmask);
    bool inzero = opc != 1, extend = opc == 0;
    uint64_t dst = inzero ? 0 : dst_in & ref_mask(M);
    src &= ref_mask(M);
    uint64_t bot = (dst & ~wmask) | (ref_ror(src, immr, M) & wmask);
    uint64_t top = extend ? (((src >> imms) & 1) ? ref_mask(M) : 0) : dst;
    return ((top & ~tmask) | (bot & tmask)) & ref_mask(M);
}

/* The pseudocode: unsigned_sum = UInt(x) + UInt(y) + UInt(carry_in);
 * signed_sum = SInt(x) + SInt(y) + UInt(carry_in); result = unsigned_sum<N-1:0>;
 * n = result<N-1>; z = IsZero(result); c = UInt(result) != unsigned_sum;
 * v = SInt(result) != signed_sum. */
static inline uint32_t ref_awc64(uint64_t x, uint64_t y, unsigned cin, uint64_t *res)
{
    unsigned __int128 us = (unsigned __int128)x + y + cin;
    __int128 ss = (__int128)(int64_t)x + (int64_t)y + cin;
    uint64_t r = (uint64_t)us;
    *res = r;
    uint32_t n = r >> 63, z = r == 0, c = (unsigned __int128)r != us, v = (__int128)(int64_t)r != ss;
    return n << 31 | z << 30 | c << 29 | v << 28;
}
static inline uint32_t ref_awc32(uint32_t x, uint32_t y, unsigned cin, uint32_t *res)
{
    uint64_t us = (uint64_t)x + y + cin;
    int64_t ss = (int64_t)(int32_t)x + (int32_t)y + cin;
    uint32_t r = (uint32_t)us;
    *res = r;
    uint32_t n = r >> 31, z = r == 0, c = (uint64_t)r != us, v = (int64_t)(int32_t)r != ss;
    return n << 31 | z << 30 | c << 29 | v << 28;
}

/* ConditionHolds as the pseudocode writes it. */
static inline bool ref_cond(unsigned cond, unsigned n, unsigned z, unsigned c, unsigned v)
{
    bool result;
    switch (cond >> 1) {
    case 0: result = z == 1; break;                 /* EQ or NE */
    case 1: result = c == 1; break;                 /* CS or CC */
    case 2: result = n == 1; break;                 /* MI or PL */
    case 3: result = v == 1; break;                 /* VS or VC */
    case 4: result = c == 1 && z == 0; break;       /* HI or LS */
    case 5: result = n == v; break;                 /* GE or LT */
    case 6: result = n == v && z == 0; break;       /* GT or LE */
    default: result = true; break;                  /* AL */
    }
    /* cond<0> == '1' && cond != '1111' inverts */
    if ((cond & 1) && cond != 15)
        result = !result;
    return result;
}

#endif
