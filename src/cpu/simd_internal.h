/*
 * Shared helpers of the AdvSIMD integer, permute, structure load/store and
 * crypto handlers (src/cpu/simd_*.c). Internal to the simd group.
 *
 * Handlers copy their source registers into local Vec values first (a
 * destination may alias a source), compute the result into a local Vec and
 * write it back with vreg_set() (which zeroes bits 127:64 for 64-bit
 * vectors, Arm ARM V[] write).
 */
#ifndef A83_SIMD_INTERNAL_H
#define A83_SIMD_INTERNAL_H

#include "cpu/cpu.h"
#include "cpu/exception.h"
#include "cpu/fpaccess.h"
#include "cpu/vreg.h"

/** FPSR.QC, the cumulative saturation bit (Arm ARM C5.2.8). */
#define FPSR_QC (1u << 27)

/** A 128-bit vector value, [0] = bits 63:0. */
typedef struct Vec { uint64_t d[2]; } Vec;

/* GCC/Clang vector-extension views of a 128-bit register, used by the fast
 * paths of the common element-wise operations. */
typedef uint8_t vu8 __attribute__((vector_size(16)));
typedef int8_t vs8 __attribute__((vector_size(16)));
typedef uint16_t vu16 __attribute__((vector_size(16)));
typedef int16_t vs16 __attribute__((vector_size(16)));
typedef uint32_t vu32 __attribute__((vector_size(16)));
typedef int32_t vs32 __attribute__((vector_size(16)));
typedef uint64_t vu64 __attribute__((vector_size(16)));
typedef int64_t vs64 __attribute__((vector_size(16)));

typedef union VU {
    Vec v;
    vu8 u8; vs8 s8; vu16 u16; vs16 s16; vu32 u32; vs32 s32; vu64 u64; vs64 s64;
} VU;

/** Expands F(unsigned view, signed view) for the element size `size`
 *  (0 = 8 bits ... 3 = 64 bits), which must be in scope. */
#define EACH_SIZE(F) do { switch (size) { \
    case 0: F(u8, s8); break; case 1: F(u16, s16); break; \
    case 2: F(u32, s32); break; default: F(u64, s64); break; } } while (0)

#define T_(V) __typeof__(V)

static inline VU vuread(const CPUState *c, unsigned n)
{
    VU v;
    v.v.d[0] = c->v[n][0];
    v.v.d[1] = c->v[n][1];
    return v;
}

static inline Vec vread(const CPUState *c, unsigned n)
{
    Vec v = { { c->v[n][0], c->v[n][1] } };
    return v;
}

/** Element e of ebits (8, 16, 32, 64) bits, zero-extended (Elem[] read). */
static inline uint64_t vget(const Vec *v, unsigned e, unsigned ebits)
{
    if (ebits == 64)
        return v->d[e & 1];
    unsigned bit = e * ebits;
    return (v->d[bit >> 6] >> (bit & 63)) & ((1ull << ebits) - 1);
}

/** Element e of ebits bits, sign-extended. */
static inline int64_t vgets(const Vec *v, unsigned e, unsigned ebits)
{
    return sext64(vget(v, e, ebits), ebits);
}

/** Sets element e of ebits bits (Elem[] write). */
static inline void vput(Vec *v, unsigned e, unsigned ebits, uint64_t x)
{
    if (ebits == 64) {
        v->d[e & 1] = x;
        return;
    }
    unsigned bit = e * ebits;
    uint64_t m = ((1ull << ebits) - 1) << (bit & 63);
    v->d[bit >> 6] = (v->d[bit >> 6] & ~m) | ((x << (bit & 63)) & m);
}

/** Writes a whole vector result (64-bit forms clear bits 127:64). */
static inline void vwrite(CPUState *c, unsigned d, const Vec *v, bool q)
{
    vreg_set(c, d, v->d[0], v->d[1], q);
}

static inline uint64_t ones(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }

/** SignedSatQ(i, N): clamps to the N-bit signed range, setting FPSR.QC on
 *  saturation; returns the N-bit result zero-extended. */
static inline uint64_t ssatq(CPUState *c, __int128 i, unsigned n)
{
    __int128 max = ((__int128)1 << (n - 1)) - 1, min = -((__int128)1 << (n - 1));
    if (i > max) {
        c->fpsr |= FPSR_QC;
        i = max;
    } else if (i < min) {
        c->fpsr |= FPSR_QC;
        i = min;
    }
    return (uint64_t)i & ones(n);
}

/** UnsignedSatQ(i, N). */
static inline uint64_t usatq(CPUState *c, __int128 i, unsigned n)
{
    __int128 max = ((__int128)1 << n) - 1;
    if (i > max) {
        c->fpsr |= FPSR_QC;
        i = max;
    } else if (i < 0) {
        c->fpsr |= FPSR_QC;
        i = 0;
    }
    return (uint64_t)i;
}

/** SatQ(i, N, unsigned). */
static inline uint64_t satq(CPUState *c, __int128 i, unsigned n, bool uns)
{
    return uns ? usatq(c, i, n) : ssatq(c, i, n);
}

/** Element value as a wide integer: signed or unsigned interpretation. */
static inline __int128 vint(const Vec *v, unsigned e, unsigned ebits, bool uns)
{
    return uns ? (__int128)vget(v, e, ebits) : (__int128)vgets(v, e, ebits);
}

/** Shifts a wide integer right (negative sh: left) with optional rounding
 *  (Arm ARM shift pseudocode: (x + round) >> sh in infinite precision).
 *  sh is clamped so the result stays exact for 64-bit operands. */
static inline __int128 wide_shift(__int128 x, int sh, bool round)
{
    if (sh <= 0) {
        if (sh <= -64)   /* any non-zero operand leaves every element range */
            return x == 0 ? 0 : x > 0 ? (__int128)1 << 126 : -((__int128)1 << 126);
        return x * ((__int128)1 << -sh);
    }
    if (sh > 100)
        sh = 100;
    if (round)
        x += (__int128)1 << (sh - 1);
    return x >> sh;
}

/* Handlers (one per Arm ARM encoding group), listed in src/cpu/simd.c. */
/* three same, one handler per row (simd_3same.c) */
int simd_shadd_v(CPUState *c, uint32_t insn);
int simd_uhadd_v(CPUState *c, uint32_t insn);
int simd_sqadd_v(CPUState *c, uint32_t insn);
int simd_uqadd_v(CPUState *c, uint32_t insn);
int simd_srhadd_v(CPUState *c, uint32_t insn);
int simd_urhadd_v(CPUState *c, uint32_t insn);
int simd_shsub_v(CPUState *c, uint32_t insn);
int simd_uhsub_v(CPUState *c, uint32_t insn);
int simd_sqsub_v(CPUState *c, uint32_t insn);
int simd_uqsub_v(CPUState *c, uint32_t insn);
int simd_sshl_v(CPUState *c, uint32_t insn);
int simd_ushl_v(CPUState *c, uint32_t insn);
int simd_sqshl_v(CPUState *c, uint32_t insn);
int simd_uqshl_v(CPUState *c, uint32_t insn);
int simd_srshl_v(CPUState *c, uint32_t insn);
int simd_urshl_v(CPUState *c, uint32_t insn);
int simd_sqrshl_v(CPUState *c, uint32_t insn);
int simd_uqrshl_v(CPUState *c, uint32_t insn);
int simd_sabd_v(CPUState *c, uint32_t insn);
int simd_uabd_v(CPUState *c, uint32_t insn);
int simd_saba_v(CPUState *c, uint32_t insn);
int simd_uaba_v(CPUState *c, uint32_t insn);
int simd_pmul_v(CPUState *c, uint32_t insn);
int simd_sqdmulh_v(CPUState *c, uint32_t insn);
int simd_sqrdmulh_v(CPUState *c, uint32_t insn);
int simd_sqadd_s(CPUState *c, uint32_t insn);
int simd_uqadd_s(CPUState *c, uint32_t insn);
int simd_sqsub_s(CPUState *c, uint32_t insn);
int simd_uqsub_s(CPUState *c, uint32_t insn);
int simd_cmgt_s(CPUState *c, uint32_t insn);
int simd_cmhi_s(CPUState *c, uint32_t insn);
int simd_cmge_s(CPUState *c, uint32_t insn);
int simd_cmhs_s(CPUState *c, uint32_t insn);
int simd_sshl_s(CPUState *c, uint32_t insn);
int simd_ushl_s(CPUState *c, uint32_t insn);
int simd_sqshl_s(CPUState *c, uint32_t insn);
int simd_uqshl_s(CPUState *c, uint32_t insn);
int simd_srshl_s(CPUState *c, uint32_t insn);
int simd_urshl_s(CPUState *c, uint32_t insn);
int simd_sqrshl_s(CPUState *c, uint32_t insn);
int simd_uqrshl_s(CPUState *c, uint32_t insn);
int simd_add_s(CPUState *c, uint32_t insn);
int simd_sub_s(CPUState *c, uint32_t insn);
int simd_cmtst_s(CPUState *c, uint32_t insn);
int simd_cmeq_s(CPUState *c, uint32_t insn);
int simd_sqdmulh_s(CPUState *c, uint32_t insn);
int simd_sqrdmulh_s(CPUState *c, uint32_t insn);
/* Dedicated three-same handlers (decode priority 2), simd_3same.c */
int simd_add_v(CPUState *c, uint32_t insn);
int simd_sub_v(CPUState *c, uint32_t insn);
int simd_cmeq_v(CPUState *c, uint32_t insn);
int simd_cmtst_v(CPUState *c, uint32_t insn);
int simd_cmgt_v(CPUState *c, uint32_t insn);
int simd_cmhi_v(CPUState *c, uint32_t insn);
int simd_cmge_v(CPUState *c, uint32_t insn);
int simd_cmhs_v(CPUState *c, uint32_t insn);
int simd_smax_v(CPUState *c, uint32_t insn);
int simd_umax_v(CPUState *c, uint32_t insn);
int simd_smin_v(CPUState *c, uint32_t insn);
int simd_umin_v(CPUState *c, uint32_t insn);
int simd_mul_v(CPUState *c, uint32_t insn);
int simd_mla_v(CPUState *c, uint32_t insn);
int simd_mls_v(CPUState *c, uint32_t insn);
int simd_and_v(CPUState *c, uint32_t insn);
int simd_bic_v(CPUState *c, uint32_t insn);
int simd_orr_v(CPUState *c, uint32_t insn);
int simd_orn_v(CPUState *c, uint32_t insn);
int simd_eor_v(CPUState *c, uint32_t insn);
int simd_bsl_v(CPUState *c, uint32_t insn);
int simd_bit_v(CPUState *c, uint32_t insn);
int simd_bif_v(CPUState *c, uint32_t insn);
int simd_addp_v(CPUState *c, uint32_t insn);
int simd_smaxp_v(CPUState *c, uint32_t insn);
int simd_umaxp_v(CPUState *c, uint32_t insn);
int simd_sminp_v(CPUState *c, uint32_t insn);
int simd_uminp_v(CPUState *c, uint32_t insn);
int simd_3same_rdm(CPUState *c, uint32_t insn);
int simd_3same_rdm_s(CPUState *c, uint32_t insn);
int simd_3diff(CPUState *c, uint32_t insn);
int simd_sqdmlal_s(CPUState *c, uint32_t insn);   /* SQDMLAL, SQDMLSL (scalar) */
int simd_sqdmull_s(CPUState *c, uint32_t insn);
/* two-register misc, one handler per row (simd_2misc.c) */
int simd_rev64_v(CPUState *c, uint32_t insn);
int simd_rev32_v(CPUState *c, uint32_t insn);
int simd_rev16_v(CPUState *c, uint32_t insn);
int simd_saddlp_v(CPUState *c, uint32_t insn);
int simd_uaddlp_v(CPUState *c, uint32_t insn);
int simd_suqadd_v(CPUState *c, uint32_t insn);
int simd_usqadd_v(CPUState *c, uint32_t insn);
int simd_cls_v(CPUState *c, uint32_t insn);
int simd_clz_v(CPUState *c, uint32_t insn);
int simd_cnt_v(CPUState *c, uint32_t insn);
int simd_rbit_v(CPUState *c, uint32_t insn);
int simd_sadalp_v(CPUState *c, uint32_t insn);
int simd_uadalp_v(CPUState *c, uint32_t insn);
int simd_sqabs_v(CPUState *c, uint32_t insn);
int simd_sqneg_v(CPUState *c, uint32_t insn);
int simd_xtn_v(CPUState *c, uint32_t insn);
int simd_sqxtun_v(CPUState *c, uint32_t insn);
int simd_shll_v(CPUState *c, uint32_t insn);
int simd_sqxtn_v(CPUState *c, uint32_t insn);
int simd_uqxtn_v(CPUState *c, uint32_t insn);
int simd_suqadd_s(CPUState *c, uint32_t insn);
int simd_usqadd_s(CPUState *c, uint32_t insn);
int simd_sqabs_s(CPUState *c, uint32_t insn);
int simd_sqneg_s(CPUState *c, uint32_t insn);
int simd_cmgt0_s(CPUState *c, uint32_t insn);
int simd_cmge0_s(CPUState *c, uint32_t insn);
int simd_cmeq0_s(CPUState *c, uint32_t insn);
int simd_cmle0_s(CPUState *c, uint32_t insn);
int simd_cmlt0_s(CPUState *c, uint32_t insn);
int simd_abs_s(CPUState *c, uint32_t insn);
int simd_neg_s(CPUState *c, uint32_t insn);
int simd_sqxtun_s(CPUState *c, uint32_t insn);
int simd_sqxtn_s(CPUState *c, uint32_t insn);
int simd_uqxtn_s(CPUState *c, uint32_t insn);
/* Dedicated two-reg misc handlers (decode priority 2), simd_2misc.c */
int simd_cmgt0_v(CPUState *c, uint32_t insn);
int simd_cmge0_v(CPUState *c, uint32_t insn);
int simd_cmeq0_v(CPUState *c, uint32_t insn);
int simd_cmle0_v(CPUState *c, uint32_t insn);
int simd_cmlt0_v(CPUState *c, uint32_t insn);
int simd_abs_v(CPUState *c, uint32_t insn);
int simd_neg_v(CPUState *c, uint32_t insn);
int simd_not_v(CPUState *c, uint32_t insn);
/* shift by immediate, one handler per row (simd_shift.c) */
int simd_sshr_v(CPUState *c, uint32_t insn);
int simd_ushr_v(CPUState *c, uint32_t insn);
int simd_ssra_v(CPUState *c, uint32_t insn);
int simd_usra_v(CPUState *c, uint32_t insn);
int simd_srshr_v(CPUState *c, uint32_t insn);
int simd_urshr_v(CPUState *c, uint32_t insn);
int simd_srsra_v(CPUState *c, uint32_t insn);
int simd_ursra_v(CPUState *c, uint32_t insn);
int simd_sri_v(CPUState *c, uint32_t insn);
int simd_shl_v(CPUState *c, uint32_t insn);
int simd_sli_v(CPUState *c, uint32_t insn);
int simd_sqshlu_v(CPUState *c, uint32_t insn);
int simd_sqshl_imm_v(CPUState *c, uint32_t insn);
int simd_uqshl_imm_v(CPUState *c, uint32_t insn);
int simd_shrn_v(CPUState *c, uint32_t insn);
int simd_sqshrun_v(CPUState *c, uint32_t insn);
int simd_rshrn_v(CPUState *c, uint32_t insn);
int simd_sqrshrun_v(CPUState *c, uint32_t insn);
int simd_sqshrn_v(CPUState *c, uint32_t insn);
int simd_uqshrn_v(CPUState *c, uint32_t insn);
int simd_sqrshrn_v(CPUState *c, uint32_t insn);
int simd_uqrshrn_v(CPUState *c, uint32_t insn);
int simd_sshll_v(CPUState *c, uint32_t insn);
int simd_ushll_v(CPUState *c, uint32_t insn);
int simd_sshr_s(CPUState *c, uint32_t insn);
int simd_ushr_s(CPUState *c, uint32_t insn);
int simd_ssra_s(CPUState *c, uint32_t insn);
int simd_usra_s(CPUState *c, uint32_t insn);
int simd_srshr_s(CPUState *c, uint32_t insn);
int simd_urshr_s(CPUState *c, uint32_t insn);
int simd_srsra_s(CPUState *c, uint32_t insn);
int simd_ursra_s(CPUState *c, uint32_t insn);
int simd_sri_s(CPUState *c, uint32_t insn);
int simd_shl_s(CPUState *c, uint32_t insn);
int simd_sli_s(CPUState *c, uint32_t insn);
int simd_sqshlu_s(CPUState *c, uint32_t insn);
int simd_sqshl_imm_s(CPUState *c, uint32_t insn);
int simd_uqshl_imm_s(CPUState *c, uint32_t insn);
int simd_sqshrun_s(CPUState *c, uint32_t insn);
int simd_sqrshrun_s(CPUState *c, uint32_t insn);
int simd_sqshrn_s(CPUState *c, uint32_t insn);
int simd_uqshrn_s(CPUState *c, uint32_t insn);
int simd_sqrshrn_s(CPUState *c, uint32_t insn);
int simd_uqrshrn_s(CPUState *c, uint32_t insn);
/* across lanes, one handler per row (simd_across.c) */
int simd_saddlv(CPUState *c, uint32_t insn);
int simd_uaddlv(CPUState *c, uint32_t insn);
int simd_smaxv(CPUState *c, uint32_t insn);
int simd_umaxv(CPUState *c, uint32_t insn);
int simd_sminv(CPUState *c, uint32_t insn);
int simd_uminv(CPUState *c, uint32_t insn);
int simd_addv(CPUState *c, uint32_t insn);
int simd_addp_scalar(CPUState *c, uint32_t insn);
int simd_elem(CPUState *c, uint32_t insn);
/* scalar by element, one handler per row (simd_elem.c) */
int simd_sqdmlal_elem_s(CPUState *c, uint32_t insn);
int simd_sqdmull_elem_s(CPUState *c, uint32_t insn);
int simd_sqdmulh_elem_s(CPUState *c, uint32_t insn);
int simd_sqrdmlah_elem_s(CPUState *c, uint32_t insn);
int simd_copy(CPUState *c, uint32_t insn);
int simd_ins_elem(CPUState *c, uint32_t insn);
/* Dedicated copy handlers (decode priority 2), simd_copy.c */
int simd_umov(CPUState *c, uint32_t insn);
int simd_dup_gen(CPUState *c, uint32_t insn);
int simd_dup_elem(CPUState *c, uint32_t insn);
int simd_ins_gen(CPUState *c, uint32_t insn);
int simd_dup_scalar(CPUState *c, uint32_t insn);
int simd_modimm(CPUState *c, uint32_t insn);
int simd_perm(CPUState *c, uint32_t insn);
int simd_ext(CPUState *c, uint32_t insn);
int simd_tbl(CPUState *c, uint32_t insn);
/* structure loads/stores, one handler per row (simd_ldst.c) */
int simd_ld_multi(CPUState *c, uint32_t insn);
int simd_st_multi(CPUState *c, uint32_t insn);
int simd_ld_multi_post(CPUState *c, uint32_t insn);
int simd_st_multi_post(CPUState *c, uint32_t insn);
int simd_ld_single(CPUState *c, uint32_t insn);
int simd_st_single(CPUState *c, uint32_t insn);
int simd_ld_single_post(CPUState *c, uint32_t insn);
int simd_st_single_post(CPUState *c, uint32_t insn);
/* crypto, one handler per row (simd_crypto.c) */
int simd_aese(CPUState *c, uint32_t insn);
int simd_aesd(CPUState *c, uint32_t insn);
int simd_aesmc(CPUState *c, uint32_t insn);
int simd_aesimc(CPUState *c, uint32_t insn);
int simd_sha1c(CPUState *c, uint32_t insn);
int simd_sha1p(CPUState *c, uint32_t insn);
int simd_sha1m(CPUState *c, uint32_t insn);
int simd_sha1su0(CPUState *c, uint32_t insn);
int simd_sha256h(CPUState *c, uint32_t insn);
int simd_sha256h2(CPUState *c, uint32_t insn);
int simd_sha256su1(CPUState *c, uint32_t insn);
int simd_sha1h(CPUState *c, uint32_t insn);
int simd_sha1su1(CPUState *c, uint32_t insn);
int simd_sha256su0(CPUState *c, uint32_t insn);

/** "Three different" opcodes (bits 15:12) of the long multiply family, shared
 *  with the by-element forms (Arm ARM C4.1 "Advanced SIMD three different"). */
enum SimdLongOp {
    D_MLAL = 8, D_QDMLAL = 9, D_MLSL = 10, D_QDMLSL = 11, D_MULL = 12, D_QDMULL = 13,
};

/** SMLAL/UMLAL/SMLSL/UMLSL/SMULL/UMULL of one eb-bit element pair: the
 *  2*eb-bit product (signed or unsigned per u) added to / subtracted from
 *  acc, or alone for MULL. Result in the low 2*eb bits. */
uint64_t simd_mull_elem(unsigned op, bool u, unsigned eb, uint64_t a, uint64_t b, uint64_t acc);

/** SQDMULL/SQDMLAL/SQDMLSL of one element pair: SignedSatQ(2*a*b, 2*eb),
 *  then for the accumulating forms SignedSatQ(acc +/- product, 2*eb).
 *  Sets FPSR.QC on saturation. */
uint64_t simd_qdmlal_elem(CPUState *c, unsigned op, unsigned eb, uint64_t a, uint64_t b,
                          uint64_t acc);

/** SQDMULH (round false) / SQRDMULH (round true) of one element pair:
 *  SignedSatQ((2*a*b + round_const) >> eb, eb). Sets FPSR.QC. */
uint64_t simd_qdmulh_elem(CPUState *c, bool round, unsigned eb, uint64_t a, uint64_t b);

/** SQRDMLAH (sub false) / SQRDMLSH (sub true) of one element (FEAT_RDM):
 *  SignedSatQ(((acc << eb) +/- 2*a*b + (1 << (eb-1))) >> eb, eb). */
uint64_t simd_rdm_elem(CPUState *c, bool sub, unsigned eb, uint64_t a, uint64_t b, uint64_t acc);

/** Polynomial (carry-less) multiply of two ebits-bit values; the result
 *  has 2*ebits bits (PolynomialMult()). For ebits == 64 the high half is
 *  returned through hi. */
uint64_t simd_pmul(uint64_t a, uint64_t b, unsigned ebits, uint64_t *hi);

#endif
