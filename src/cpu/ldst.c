/*
 * A64 loads and stores: the decode table fragment (Arm ARM C4.1.x, "Loads
 * and Stores" encoding group). Handlers live in ldst_imm.c (immediate and
 * literal), ldst_reg.c (register offset), ldst_pair.c (pairs) and
 * ldst_excl.c (exclusive and ordered); the FEAT_LSE atomics, CAS/CASP and
 * LDAPR are in atomic.c (a64_atomic_patterns). AdvSIMD structure loads and
 * stores (LD1..LD4, ST1..ST4) belong to the simd group.
 *
 * Bit legend: s size, o opc, v fixed V bit, i immediate, m Rm, x option,
 * S scale, p index kind, L load, u Rt2, n Rn, t Rt, r Rs.
 */
#include "cpu/ldst_util.h"

/* One pattern per (size, opc) for the general-register forms. */
#define PAT_UIMM(sz, op)                                                                \
    { "LDST_uimm_" #sz #op, LS_B2_##sz "111001" LS_B2_##op "iiiiii iiiiiinn nnnttttt",  \
      h_uimm_##sz##op, (op) == 0 ? CLS_STORE : CLS_LOAD, 0 },
#define PAT_IMM9(sz, op)                                                                \
    { "LDUR_STUR_" #sz #op, LS_B2_##sz "111000" LS_B2_##op "0iiiii iiii00nn nnnttttt", \
      h_imm9_##sz##op, (op) == 0 ? CLS_STORE : CLS_LOAD, 0 },                           \
    { "LDST_post_" #sz #op, LS_B2_##sz "111000" LS_B2_##op "0iiiii iiii01nn nnnttttt", \
      h_imm9_##sz##op, (op) == 0 ? CLS_STORE : CLS_LOAD, 0 },                           \
    { "LDST_pre_" #sz #op, LS_B2_##sz "111000" LS_B2_##op "0iiiii iiii11nn nnnttttt",  \
      h_imm9_##sz##op, (op) == 0 ? CLS_STORE : CLS_LOAD, 0 },
/* The generic register-offset entry, plus one higher-priority entry per
 * allocated (option, S) with its specialised handler (ldst_reg.c). */
#define PAT_REG1(sz, op, OPT, S, SUF)                                                   \
    { "LDST_reg_" #sz #op, LS_B2_##sz "111000" LS_B2_##op "1mmmmm " OPT S "10nn nnnttttt", \
      h_reg_##sz##op##_##SUF, (op) == 0 ? CLS_STORE : CLS_LOAD, 1 },
#define PAT_REG(sz, op)                                                                 \
    { "LDST_reg_" #sz #op, LS_B2_##sz "111000" LS_B2_##op "1mmmmm xxxS10nn nnnttttt",  \
      h_reg_##sz##op, (op) == 0 ? CLS_STORE : CLS_LOAD, 0 },                            \
    PAT_REG1(sz, op, "010", "0", 20) PAT_REG1(sz, op, "010", "1", 21)                   \
    PAT_REG1(sz, op, "011", "0", 30) PAT_REG1(sz, op, "011", "1", 31)                   \
    PAT_REG1(sz, op, "110", "0", 60) PAT_REG1(sz, op, "110", "1", 61)                   \
    PAT_REG1(sz, op, "111", "0", 70) PAT_REG1(sz, op, "111", "1", 71)

const DecodePattern a64_ldst_patterns[] = {
    /* Load/store register (unsigned immediate) */
    LS_GPR_FORMS(PAT_UIMM)
    { "PRFM_uimm",      "11111001 10iiiiii iiiiiinn nnnttttt", h_prfm, CLS_LOAD, 0 },
    { "LDST_uimm_st_v", "ss111101 o0iiiiii iiiiiinn nnnttttt", h_ldst_uimm_v, CLS_STORE, 0 },
    { "LDST_uimm_ld_v", "ss111101 o1iiiiii iiiiiinn nnnttttt", h_ldst_uimm_v, CLS_LOAD, 0 },
    /* Load/store register (unscaled immediate / post-index / pre-index) */
    LS_GPR_FORMS(PAT_IMM9)
    { "PRFUM",          "11111000 100iiiii iiii00nn nnnttttt", h_prfm, CLS_LOAD, 0 },
    { "LDUR_STUR_st_v", "ss111100 o00iiiii iiii00nn nnnttttt", h_ldst_imm9_v, CLS_STORE, 0 },
    { "LDUR_STUR_ld_v", "ss111100 o10iiiii iiii00nn nnnttttt", h_ldst_imm9_v, CLS_LOAD, 0 },
    { "LDST_post_st_v", "ss111100 o00iiiii iiii01nn nnnttttt", h_ldst_imm9_v, CLS_STORE, 0 },
    { "LDST_post_ld_v", "ss111100 o10iiiii iiii01nn nnnttttt", h_ldst_imm9_v, CLS_LOAD, 0 },
    { "LDST_pre_st_v",  "ss111100 o00iiiii iiii11nn nnnttttt", h_ldst_imm9_v, CLS_STORE, 0 },
    { "LDST_pre_ld_v",  "ss111100 o10iiiii iiii11nn nnnttttt", h_ldst_imm9_v, CLS_LOAD, 0 },
    /* Load/store register (unprivileged): LDTR/STTR family (no SIMD&FP form) */
    { "LDTR_STTR_st",   "ss111000 000iiiii iiii10nn nnnttttt", h_ldst_unpriv, CLS_STORE, 0 },
    { "LDTR_STTR_ld",   "ss111000 010iiiii iiii10nn nnnttttt", h_ldst_unpriv, CLS_LOAD, 0 },
    { "LDTR_STTR_lds",  "ss111000 1o0iiiii iiii10nn nnnttttt", h_ldst_unpriv, CLS_LOAD, 0 },
    /* Load/store register (register offset) */
    LS_GPR_FORMS(PAT_REG)
    { "PRFM_reg",       "11111000 101mmmmm xxxS10nn nnnttttt", h_prfm_reg, CLS_LOAD, 0 },
    { "LDST_reg_st_v",  "ss111100 o01mmmmm xxxS10nn nnnttttt", h_ldst_reg_v, CLS_STORE, 0 },
    { "LDST_reg_ld_v",  "ss111100 o11mmmmm xxxS10nn nnnttttt", h_ldst_reg_v, CLS_LOAD, 0 },
    /* Load register (literal): opc 00 W, 01 X, 10 SW, 11 PRFM */
    { "LDR_lit",        "0o011000 iiiiiiii iiiiiiii iiittttt", h_ldr_lit, CLS_LOAD, 0 },
    { "LDRSW_lit",      "10011000 iiiiiiii iiiiiiii iiittttt", h_ldr_lit, CLS_LOAD, 0 },
    { "PRFM_lit",       "11011000 iiiiiiii iiiiiiii iiittttt", h_prfm, CLS_LOAD, 0 },
    { "LDR_lit_v",      "oo011100 iiiiiiii iiiiiiii iiittttt", h_ldr_lit_v, CLS_LOAD, 0 },
    /* Load/store pair: no-allocate offset / post-index / offset / pre-index.
     * opc 01 with L = 0 (STPSW) and opc 11 are unallocated. */
    { "STP_w",          "0010100p p0iiiiii iuuuuunn nnnttttt", h_stp_w, CLS_STORE, 0 },
    { "LDP_w",          "0010100p p1iiiiii iuuuuunn nnnttttt", h_ldp_w, CLS_LOAD, 0 },
    { "LDPSW",          "0110100p p1iiiiii iuuuuunn nnnttttt", h_ldpsw, CLS_LOAD, 0 },
    { "STP_x",          "1010100p p0iiiiii iuuuuunn nnnttttt", h_stp_x, CLS_STORE, 0 },
    { "LDP_x",          "1010100p p1iiiiii iuuuuunn nnnttttt", h_ldp_x, CLS_LOAD, 0 },
    { "LDSTP_st_v",     "oo10110p p0iiiiii iuuuuunn nnnttttt", h_ldst_pair_v, CLS_STORE, 0 },
    { "LDSTP_ld_v",     "oo10110p p1iiiiii iuuuuunn nnnttttt", h_ldst_pair_v, CLS_LOAD, 0 },
    /* Load/store exclusive register, exclusive pair, ordered */
    { "LDST_excl_st",   "ss001000 000rrrrr ouuuuunn nnnttttt", h_ldst_excl, CLS_STORE, 0 },
    { "LDST_excl_ld",   "ss001000 010rrrrr ouuuuunn nnnttttt", h_ldst_excl, CLS_LOAD, 0 },
    { "LDST_exclp_st",  "1z001000 001rrrrr ouuuuunn nnnttttt", h_ldst_excl_pair, CLS_STORE, 0 },
    { "LDST_exclp_ld",  "1z001000 011rrrrr ouuuuunn nnnttttt", h_ldst_excl_pair, CLS_LOAD, 0 },
    { "LDST_ordered_st","ss001000 100rrrrr ouuuuunn nnnttttt", h_ldst_ordered, CLS_STORE, 0 },
    { "LDST_ordered_ld","ss001000 110rrrrr ouuuuunn nnnttttt", h_ldst_ordered, CLS_LOAD, 0 },
    /* Not implemented (features not advertised): LDAPUR/STLUR (FEAT_LRCPC2),
     * MTE tag loads/stores (FEAT_MTE), LD64B/ST64B (FEAT_LS64). */
    { NULL, NULL, NULL, 0, 0 },
};
