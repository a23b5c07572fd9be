/*
 * Differential generator "dp": random sequences of A64 integer
 * data-processing and branch instructions (Arm ARM C4.1.2 Data Processing
 * -- Immediate, C4.1.3 branches, C4.1.6 Data Processing -- Register), with
 * random fields, both widths and random conditions.
 *
 * Follows the rules of diff.h: only allocated ARMv8.0 encodings; never
 * writes SP or x28 (register 31 as a destination only where it is XZR);
 * branches only forward, to an instruction of the sequence or to the word
 * just after it. Register branches (BR/BLR/RET) are emitted as an ADR of a
 * forward target followed by the branch.
 */
#include "a64_enc_dp.h"
#include "diff.h"

#define DIFF_GEN_MAX 256   /* longest sequence this generator plans */

/* Destination where 31 is XZR: anything but x28. */
static unsigned rd_zr(DiffRng *r)
{
    unsigned d;
    do
        d = rng_below(r, 32);
    while (d == DIFF_BASE_REG);
    return d;
}

/* Destination where 31 is SP: neither SP nor x28. */
static unsigned rd_nosp(DiffRng *r)
{
    unsigned d;
    do
        d = rng_below(r, 31);
    while (d == DIFF_BASE_REG);
    return d;
}

/* Any source register (31 is XZR or SP per encoding; both readable). */
static unsigned rs(DiffRng *r) { return rng_below(r, 32); }

/* A valid (N, immr, imms) for a logical immediate of the given width:
 * DecodeBitMasks with immediate = TRUE must not be UNDEFINED (len >= 1 and
 * the element is not all ones), and N = 0 for 32-bit. */
static void logic_imm_fields(DiffRng *r, unsigned sf, unsigned *N, unsigned *immr, unsigned *imms)
{
    for (;;) {
        *N = sf ? rng_below(r, 2) : 0;
        *immr = rng_below(r, 64);
        *imms = rng_below(r, 64);
        unsigned v = (*N << 6) | (~*imms & 63), len = 0;
        for (unsigned b = 6; b > 0; b--)
            if ((v >> b) & 1) { len = b; break; }
        if (len < 1)
            continue;
        unsigned levels = (1u << len) - 1;
        if ((*imms & levels) == levels)
            continue;
        if (!sf && (*immr & 32))
            *immr &= 31;            /* immr<5> is ignored for esize <= 32 but keep it canonical */
        return;
    }
}

/* A forward branch offset, in instructions, from position i in a sequence
 * of n: lands on i+1 .. n (n = the word just after the sequence), never on
 * the second word of an ADR + BR pair (that would use a stale target
 * register). Short offsets are favoured so that more of the sequence runs. */
static int32_t fwd(DiffRng *r, size_t i, size_t n, const unsigned char *no_target)
{
    size_t room = n - i;           /* >= 1 */
    for (int tries = 0; tries < 8; tries++) {
        size_t lim = room > 4 && rng_below(r, 4) ? 4 : room;
        size_t t = i + 1 + rng_below(r, (uint32_t)lim);
        if (t == n || !no_target[t])
            return (int32_t)(t - i);
    }
    return (int32_t)room;
}

enum {
    K_ADR, K_ADDSUB_IMM, K_LOGIC_IMM, K_MOVW, K_BITFIELD, K_EXTR,
    K_LOGIC_SR, K_ADDSUB_SR, K_ADDSUB_ER, K_ADC, K_CCMP, K_CSEL, K_DP1, K_DP2, K_CRC, K_DP3,
    K_B, K_BCOND, K_CB, K_TB, K_BREG,
    K__COUNT
};

size_t gen_dp(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max)
{
    (void)env;                      /* every instruction here behaves the same at EL0 and EL1 */
    size_t n = max > DIFF_GEN_MAX ? DIFF_GEN_MAX : max, i;
    /* Plan the kinds first, so branches know which words are not targets. */
    unsigned char kind[DIFF_GEN_MAX], no_target[DIFF_GEN_MAX + 1] = { 0 };
    for (i = 0; i < n; i++) {
        kind[i] = (unsigned char)rng_below(r, K__COUNT);
        if (kind[i] == K_BREG) {
            if (i + 1 < n) {
                kind[++i] = K__COUNT;   /* the BR/BLR/RET word */
                no_target[i] = 1;
            } else {
                kind[i] = K_B;
            }
        }
    }
    i = 0;
    while (i < n) {
        unsigned sf = rng_below(r, 2);
        uint32_t w;
        switch (kind[i]) {
        case K_ADR:
            w = enc_adr(rng_below(r, 2), (int32_t)(rng_next(r) & 0x1fffff) - 0x100000, rd_zr(r));
            break;
        case K_ADDSUB_IMM: {
            unsigned S = rng_below(r, 2);
            w = enc_addsub_imm(sf, rng_below(r, 2), S, rng_below(r, 2), rng_below(r, 4096), rs(r),
                               S ? rd_zr(r) : rd_nosp(r));
            break;
        }
        case K_LOGIC_IMM: {
            unsigned N, immr, imms, opc = rng_below(r, 4);
            logic_imm_fields(r, sf, &N, &immr, &imms);
            /* AND/ORR/EOR write SP at 31; ANDS writes XZR */
            w = enc_logic_imm(sf, opc, N, immr, imms, rs(r), opc == 3 ? rd_zr(r) : rd_nosp(r));
            break;
        }
        case K_MOVW: {
            static const unsigned opcs[3] = { 0, 2, 3 };   /* MOVN, MOVZ, MOVK */
            w = enc_movw(sf, opcs[rng_below(r, 3)], rng_below(r, sf ? 4 : 2), rng_below(r, 65536), rd_zr(r));
            break;
        }
        case K_BITFIELD: {
            unsigned lim = sf ? 64 : 32;
            w = enc_bitfield(sf, rng_below(r, 3), sf, rng_below(r, lim), rng_below(r, lim), rs(r), rd_zr(r));
            break;
        }
        case K_EXTR:
            w = enc_extr(sf, sf, rs(r), rng_below(r, sf ? 64 : 32), rs(r), rd_zr(r));
            break;
        case K_LOGIC_SR:
            w = enc_logic_sr(sf, rng_below(r, 4), rng_below(r, 4), rng_below(r, 2), rs(r),
                             rng_below(r, sf ? 64 : 32), rs(r), rd_zr(r));
            break;
        case K_ADDSUB_SR:
            w = enc_addsub_sr(sf, rng_below(r, 2), rng_below(r, 2), rng_below(r, 3), rs(r),
                              rng_below(r, sf ? 64 : 32), rs(r), rd_zr(r));
            break;
        case K_ADDSUB_ER: {
            unsigned S = rng_below(r, 2);
            w = enc_addsub_er(sf, rng_below(r, 2), S, rs(r), rng_below(r, 8), rng_below(r, 5), rs(r),
                              S ? rd_zr(r) : rd_nosp(r));
            break;
        }
        case K_ADC:
            w = enc_adc(sf, rng_below(r, 2), rng_below(r, 2), rs(r), rs(r), rd_zr(r));
            break;
        case K_CCMP: {
            unsigned immf = rng_below(r, 2);
            w = enc_ccmp(sf, rng_below(r, 2), immf, rng_below(r, 32), rng_below(r, 16), rs(r), rng_below(r, 16));
            break;
        }
        case K_CSEL:
            w = enc_csel(sf, rng_below(r, 2), rng_below(r, 2), rs(r), rng_below(r, 16), rs(r), rd_zr(r));
            break;
        case K_DP1: {
            static const unsigned ops32[5] = { DP1_RBIT, DP1_REV16, DP1_REV32, DP1_CLZ, DP1_CLS };
            unsigned opc = sf ? rng_below(r, 6) : ops32[rng_below(r, 5)];
            w = enc_dp1(sf, opc, rs(r), rd_zr(r));
            break;
        }
        case K_DP2: {
            static const unsigned ops[6] = { DP2_UDIV, DP2_SDIV, DP2_LSLV, DP2_LSRV, DP2_ASRV, DP2_RORV };
            w = enc_dp2(sf, rs(r), ops[rng_below(r, 6)], rs(r), rd_zr(r));
            break;
        }
        case K_CRC: {
            /* CRC32{,C}{B,H,W} with sf = 0, CRC32{,C}X with sf = 1 */
            unsigned sz = sf ? 3 : rng_below(r, 3);
            w = enc_dp2(sf, rs(r), DP2_CRC32B | (rng_below(r, 2) << 2) | sz, rs(r), rd_zr(r));
            break;
        }
        case K_DP3: {
            /* op31:o0 -> MADD MSUB (both widths); SMADDL SMSUBL UMADDL UMSUBL SMULH UMULH (64) */
            static const unsigned long_ops[6][2] = { { 1, 0 }, { 1, 1 }, { 5, 0 }, { 5, 1 }, { 2, 0 }, { 6, 0 } };
            unsigned op31 = 0, o0 = rng_below(r, 2), ra = rs(r);
            if (sf && rng_below(r, 2)) {
                unsigned k = rng_below(r, 6);
                op31 = long_ops[k][0];
                o0 = long_ops[k][1];
                if (k >= 4)
                    ra = 31;        /* SMULH/UMULH: Ra is (1)(1)(1)(1)(1) */
            }
            w = enc_dp3(sf, op31, rs(r), o0, ra, rs(r), rd_zr(r));
            break;
        }
        case K_B:
            w = enc_b(rng_below(r, 2), fwd(r, i, n, no_target));    /* B or BL (BL writes x30) */
            break;
        case K_BCOND:
            w = enc_bcond(fwd(r, i, n, no_target), rng_below(r, 16));
            break;
        case K_CB:
            w = enc_cb(sf, rng_below(r, 2), fwd(r, i, n, no_target), rs(r));
            break;
        case K_TB:
            w = enc_tb(rng_below(r, 64), rng_below(r, 2), fwd(r, i, n, no_target), rs(r));
            break;
        case K_BREG: {
            /* adr xT, target; br/blr/ret xT -- target in i+2 .. n */
            unsigned t = rd_nosp(r);
            int32_t off = 1 + fwd(r, i + 1, n, no_target);   /* from the ADR */
            out[i++] = enc_adr(0, off * 4, t);
            w = enc_br(rng_below(r, 3), t);
            break;
        }
        default:
            w = enc_b(0, 1);
            break;
        }
        out[i++] = w;
    }
    return n;
}
