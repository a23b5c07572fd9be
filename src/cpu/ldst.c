/*
 * A64 loads and stores: the decode table fragment (Arm ARM C4.1.x, "Loads
 * and Stores" encoding group). Handlers live in ldst_imm.c (immediate and
 * literal), ldst_reg.c (register offset), ldst_pair.c (pairs) and
 * ldst_excl.c (exclusive and ordered); the FEAT_LSE atomics, CAS/CASP and
 * LDAPR are in atomic.c (a64_atomic_patterns). AdvSIMD structure loads and
 * stores (LD1..LD4, ST1..ST4) belong to the simd group.
 *
 * Bit legend: s size, o opc, v fixed V bit, i immediate, m Rm, x option,
 * S scale, p index kind, L load, u Rt2, n Rn, t Rt.
 */
#include "cpu/ldst_util.h"

const DecodePattern a64_ldst_patterns[] = {
    /* Load/store register (unsigned immediate) */
    { "LDST_uimm_st",   "ss111001 00iiiiii iiiiiinn nnnttttt", h_ldst_uimm, CLS_STORE, 0 },
    { "LDST_uimm_ld",   "ss111001 01iiiiii iiiiiinn nnnttttt", h_ldst_uimm, CLS_LOAD, 0 },
    { "LDST_uimm_lds",  "ss111001 1oiiiiii iiiiiinn nnnttttt", h_ldst_uimm, CLS_LOAD, 0 },
    { "LDST_uimm_st_v", "ss111101 o0iiiiii iiiiiinn nnnttttt", h_ldst_uimm_v, CLS_STORE, 0 },
    { "LDST_uimm_ld_v", "ss111101 o1iiiiii iiiiiinn nnnttttt", h_ldst_uimm_v, CLS_LOAD, 0 },
    /* Load/store register (unscaled immediate / post-index / pre-index) */
    { "LDUR_STUR_st",   "ss111000 000iiiii iiii00nn nnnttttt", h_ldst_imm9, CLS_STORE, 0 },
    { "LDUR_STUR_ld",   "ss111000 010iiiii iiii00nn nnnttttt", h_ldst_imm9, CLS_LOAD, 0 },
    { "LDUR_STUR_lds",  "ss111000 1o0iiiii iiii00nn nnnttttt", h_ldst_imm9, CLS_LOAD, 0 },
    { "LDST_post_st",   "ss111000 000iiiii iiii01nn nnnttttt", h_ldst_imm9, CLS_STORE, 0 },
    { "LDST_post_ld",   "ss111000 010iiiii iiii01nn nnnttttt", h_ldst_imm9, CLS_LOAD, 0 },
    { "LDST_post_lds",  "ss111000 1o0iiiii iiii01nn nnnttttt", h_ldst_imm9, CLS_LOAD, 0 },
    { "LDST_pre_st",    "ss111000 000iiiii iiii11nn nnnttttt", h_ldst_imm9, CLS_STORE, 0 },
    { "LDST_pre_ld",    "ss111000 010iiiii iiii11nn nnnttttt", h_ldst_imm9, CLS_LOAD, 0 },
    { "LDST_pre_lds",   "ss111000 1o0iiiii iiii11nn nnnttttt", h_ldst_imm9, CLS_LOAD, 0 },
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
    { "LDST_reg_st",    "ss111000 001mmmmm xxxS10nn nnnttttt", h_ldst_reg, CLS_STORE, 0 },
    { "LDST_reg_ld",    "ss111000 011mmmmm xxxS10nn nnnttttt", h_ldst_reg, CLS_LOAD, 0 },
    { "LDST_reg_lds",   "ss111000 1o1mmmmm xxxS10nn nnnttttt", h_ldst_reg, CLS_LOAD, 0 },
    { "LDST_reg_st_v",  "ss111100 o01mmmmm xxxS10nn nnnttttt", h_ldst_reg_v, CLS_STORE, 0 },
    { "LDST_reg_ld_v",  "ss111100 o11mmmmm xxxS10nn nnnttttt", h_ldst_reg_v, CLS_LOAD, 0 },
    /* Load register (literal) */
    { "LDR_lit",       "oo011000 iiiiiiii iiiiiiii iiittttt", h_ldr_lit, CLS_LOAD, 0 },
    { "LDR_lit_v",     "oo011100 iiiiiiii iiiiiiii iiittttt", h_ldr_lit_v, CLS_LOAD, 0 },
    /* Load/store pair: no-allocate offset / post-index / offset / pre-index */
    { "LDSTP_st",       "oo10100p p0iiiiii iuuuuunn nnnttttt", h_ldst_pair, CLS_STORE, 0 },
    { "LDSTP_ld",       "oo10100p p1iiiiii iuuuuunn nnnttttt", h_ldst_pair, CLS_LOAD, 0 },
    { "LDSTP_st_v",     "oo10110p p0iiiiii iuuuuunn nnnttttt", h_ldst_pair_v, CLS_STORE, 0 },
    { "LDSTP_ld_v",     "oo10110p p1iiiiii iuuuuunn nnnttttt", h_ldst_pair_v, CLS_LOAD, 0 },
    /* Load/store exclusive register, exclusive pair, ordered */
    { "LDST_excl_st",   "ss001000 000sssss ouuuuunn nnnttttt", h_ldst_excl, CLS_STORE, 0 },
    { "LDST_excl_ld",   "ss001000 010sssss ouuuuunn nnnttttt", h_ldst_excl, CLS_LOAD, 0 },
    { "LDST_excl_pair_st", "1z001000 001sssss ouuuuunn nnnttttt", h_ldst_excl_pair, CLS_STORE, 0 },
    { "LDST_excl_pair_ld", "1z001000 011sssss ouuuuunn nnnttttt", h_ldst_excl_pair, CLS_LOAD, 0 },
    { "LDST_ordered_st", "ss001000 100sssss ouuuuunn nnnttttt", h_ldst_ordered, CLS_STORE, 0 },
    { "LDST_ordered_ld", "ss001000 110sssss ouuuuunn nnnttttt", h_ldst_ordered, CLS_LOAD, 0 },
    /* Not implemented (features not advertised): LDAPUR/STLUR (FEAT_LRCPC2),
     * MTE tag loads/stores (FEAT_MTE), LD64B/ST64B (FEAT_LS64). */
    { NULL, NULL, NULL, 0, 0 },
};

