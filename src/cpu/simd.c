/*
 * A64 instruction group "simd": the decode table fragment of the AdvSIMD
 * integer instructions, permutes, structure loads/stores and the crypto
 * extension (Arm ARM C4.1 "Data Processing -- Scalar Floating-Point and
 * Advanced SIMD" and "Loads and Stores" encoding tables). The handlers are
 * in src/cpu/simd_*.c, one file per Arm ARM encoding group.
 *
 * Patterns are exact: they fix the opcode/size bits that separate the
 * integer encodings from the floating-point ones sharing the same class
 * (those belong to src/cpu/fp_*.c). Variable fields: Q, U, s (size), m/n/d/t
 * (registers), o (opcode bits), h/b (immh/immb), i/j (imm5/imm4).
 * Modified immediate has priority 1 over shift by immediate, which shares
 * its space when immh == 0000.
 *
 * Not implemented (kept out of the table, so UNDEFINED): v8.2 SDOT/UDOT,
 * v8.2 SHA512/SHA3/SM3/SM4.
 */
#include "cpu/decode.h"
#include "cpu/fp_insn.h"        /* h_fp_unalloc: the catch-all rows */
#include "cpu/simd_internal.h"

#define RD "nnnnnddddd"

const DecodePattern a64_simd_patterns[] = {
    /* Advanced SIMD three same (integer opcodes 00000-10111) */
    /* Advanced SIMD three same (integer opcodes 00000-10111): one row per
     * operation (U and opcode fixed), simd_3same.c; the dedicated rows of
     * priority 2 below cover the rest. */
    { "SHADD_v", "0Q001110ss1mmmmm000001" RD, simd_shadd_v, CLS_SIMD, 0 },
    { "UHADD_v", "0Q101110ss1mmmmm000001" RD, simd_uhadd_v, CLS_SIMD, 0 },
    { "SQADD_v", "0Q001110ss1mmmmm000011" RD, simd_sqadd_v, CLS_SIMD, 0 },
    { "UQADD_v", "0Q101110ss1mmmmm000011" RD, simd_uqadd_v, CLS_SIMD, 0 },
    { "SRHADD_v", "0Q001110ss1mmmmm000101" RD, simd_srhadd_v, CLS_SIMD, 0 },
    { "URHADD_v", "0Q101110ss1mmmmm000101" RD, simd_urhadd_v, CLS_SIMD, 0 },
    { "SHSUB_v", "0Q001110ss1mmmmm001001" RD, simd_shsub_v, CLS_SIMD, 0 },
    { "UHSUB_v", "0Q101110ss1mmmmm001001" RD, simd_uhsub_v, CLS_SIMD, 0 },
    { "SQSUB_v", "0Q001110ss1mmmmm001011" RD, simd_sqsub_v, CLS_SIMD, 0 },
    { "UQSUB_v", "0Q101110ss1mmmmm001011" RD, simd_uqsub_v, CLS_SIMD, 0 },
    { "SSHL_v", "0Q001110ss1mmmmm010001" RD, simd_sshl_v, CLS_SIMD, 0 },
    { "USHL_v", "0Q101110ss1mmmmm010001" RD, simd_ushl_v, CLS_SIMD, 0 },
    { "SQSHL_v", "0Q001110ss1mmmmm010011" RD, simd_sqshl_v, CLS_SIMD, 0 },
    { "UQSHL_v", "0Q101110ss1mmmmm010011" RD, simd_uqshl_v, CLS_SIMD, 0 },
    { "SRSHL_v", "0Q001110ss1mmmmm010101" RD, simd_srshl_v, CLS_SIMD, 0 },
    { "URSHL_v", "0Q101110ss1mmmmm010101" RD, simd_urshl_v, CLS_SIMD, 0 },
    { "SQRSHL_v", "0Q001110ss1mmmmm010111" RD, simd_sqrshl_v, CLS_SIMD, 0 },
    { "UQRSHL_v", "0Q101110ss1mmmmm010111" RD, simd_uqrshl_v, CLS_SIMD, 0 },
    { "SABD_v", "0Q001110ss1mmmmm011101" RD, simd_sabd_v, CLS_SIMD, 0 },
    { "UABD_v", "0Q101110ss1mmmmm011101" RD, simd_uabd_v, CLS_SIMD, 0 },
    { "SABA_v", "0Q001110ss1mmmmm011111" RD, simd_saba_v, CLS_SIMD, 0 },
    { "UABA_v", "0Q101110ss1mmmmm011111" RD, simd_uaba_v, CLS_SIMD, 0 },
    { "PMUL_v", "0Q101110ss1mmmmm100111" RD, simd_pmul_v, CLS_SIMD, 0 },
    { "SQDMULH_v", "0Q001110ss1mmmmm101101" RD, simd_sqdmulh_v, CLS_SIMD, 0 },
    { "SQRDMULH_v", "0Q101110ss1mmmmm101101" RD, simd_sqrdmulh_v, CLS_SIMD, 0 },
    { "SQADD_s", "01011110ss1mmmmm000011" RD, simd_sqadd_s, CLS_SIMD, 0 },
    { "UQADD_s", "01111110ss1mmmmm000011" RD, simd_uqadd_s, CLS_SIMD, 0 },
    { "SQSUB_s", "01011110ss1mmmmm001011" RD, simd_sqsub_s, CLS_SIMD, 0 },
    { "UQSUB_s", "01111110ss1mmmmm001011" RD, simd_uqsub_s, CLS_SIMD, 0 },
    { "CMGT_s", "01011110ss1mmmmm001101" RD, simd_cmgt_s, CLS_SIMD, 0 },
    { "CMHI_s", "01111110ss1mmmmm001101" RD, simd_cmhi_s, CLS_SIMD, 0 },
    { "CMGE_s", "01011110ss1mmmmm001111" RD, simd_cmge_s, CLS_SIMD, 0 },
    { "CMHS_s", "01111110ss1mmmmm001111" RD, simd_cmhs_s, CLS_SIMD, 0 },
    { "SSHL_s", "01011110ss1mmmmm010001" RD, simd_sshl_s, CLS_SIMD, 0 },
    { "USHL_s", "01111110ss1mmmmm010001" RD, simd_ushl_s, CLS_SIMD, 0 },
    { "SQSHL_s", "01011110ss1mmmmm010011" RD, simd_sqshl_s, CLS_SIMD, 0 },
    { "UQSHL_s", "01111110ss1mmmmm010011" RD, simd_uqshl_s, CLS_SIMD, 0 },
    { "SRSHL_s", "01011110ss1mmmmm010101" RD, simd_srshl_s, CLS_SIMD, 0 },
    { "URSHL_s", "01111110ss1mmmmm010101" RD, simd_urshl_s, CLS_SIMD, 0 },
    { "SQRSHL_s", "01011110ss1mmmmm010111" RD, simd_sqrshl_s, CLS_SIMD, 0 },
    { "UQRSHL_s", "01111110ss1mmmmm010111" RD, simd_uqrshl_s, CLS_SIMD, 0 },
    { "ADD_s", "01011110ss1mmmmm100001" RD, simd_add_s, CLS_SIMD, 0 },
    { "SUB_s", "01111110ss1mmmmm100001" RD, simd_sub_s, CLS_SIMD, 0 },
    { "CMTST_s", "01011110ss1mmmmm100011" RD, simd_cmtst_s, CLS_SIMD, 0 },
    { "CMEQ_s", "01111110ss1mmmmm100011" RD, simd_cmeq_s, CLS_SIMD, 0 },
    { "SQDMULH_s", "01011110ss1mmmmm101101" RD, simd_sqdmulh_s, CLS_SIMD, 0 },
    { "SQRDMULH_s", "01111110ss1mmmmm101101" RD, simd_sqrdmulh_s, CLS_SIMD, 0 },
    /* the reserved opcodes (ADDP with U=1, the scalar ones without a scalar
     * form): UNDEFINED, with the group's timing class */
    { "SIMD_3same", "0QU01110ss1mmmmm10ooo1" RD, h_fp_unalloc, CLS_SIMD, -1 },
    { "SIMD_3same_scalar", "01U11110ss1mmmmm0oooo1" RD, h_fp_unalloc, CLS_SIMD, -1 },
    { "SIMD_3same_scalar", "01U11110ss1mmmmm10ooo1" RD, h_fp_unalloc, CLS_SIMD, -1 },
    /* Frequent three-same instructions with dedicated handlers (priority 2
     * over the group patterns above, which also cover them) */
    { "ADD_v", "0Q001110ss1mmmmm100001" RD, simd_add_v, CLS_SIMD, 2 },
    { "SUB_v", "0Q101110ss1mmmmm100001" RD, simd_sub_v, CLS_SIMD, 2 },
    { "CMTST_v", "0Q001110ss1mmmmm100011" RD, simd_cmtst_v, CLS_SIMD, 2 },
    { "CMEQ_v", "0Q101110ss1mmmmm100011" RD, simd_cmeq_v, CLS_SIMD, 2 },
    { "CMGT_v", "0Q001110ss1mmmmm001101" RD, simd_cmgt_v, CLS_SIMD, 2 },
    { "CMHI_v", "0Q101110ss1mmmmm001101" RD, simd_cmhi_v, CLS_SIMD, 2 },
    { "CMGE_v", "0Q001110ss1mmmmm001111" RD, simd_cmge_v, CLS_SIMD, 2 },
    { "CMHS_v", "0Q101110ss1mmmmm001111" RD, simd_cmhs_v, CLS_SIMD, 2 },
    { "SMAX_v", "0Q001110ss1mmmmm011001" RD, simd_smax_v, CLS_SIMD, 2 },
    { "UMAX_v", "0Q101110ss1mmmmm011001" RD, simd_umax_v, CLS_SIMD, 2 },
    { "SMIN_v", "0Q001110ss1mmmmm011011" RD, simd_smin_v, CLS_SIMD, 2 },
    { "UMIN_v", "0Q101110ss1mmmmm011011" RD, simd_umin_v, CLS_SIMD, 2 },
    { "MUL_v", "0Q001110ss1mmmmm100111" RD, simd_mul_v, CLS_SIMD, 2 },
    { "MLA_v", "0Q001110ss1mmmmm100101" RD, simd_mla_v, CLS_SIMD, 2 },
    { "MLS_v", "0Q101110ss1mmmmm100101" RD, simd_mls_v, CLS_SIMD, 2 },
    { "ADDP_v", "0Q001110ss1mmmmm101111" RD, simd_addp_v, CLS_SIMD, 2 },
    { "SMAXP_v", "0Q001110ss1mmmmm101001" RD, simd_smaxp_v, CLS_SIMD, 2 },
    { "UMAXP_v", "0Q101110ss1mmmmm101001" RD, simd_umaxp_v, CLS_SIMD, 2 },
    { "SMINP_v", "0Q001110ss1mmmmm101011" RD, simd_sminp_v, CLS_SIMD, 2 },
    { "UMINP_v", "0Q101110ss1mmmmm101011" RD, simd_uminp_v, CLS_SIMD, 2 },
    { "AND_v", "0Q001110001mmmmm000111" RD, simd_and_v, CLS_SIMD, 2 },
    { "BIC_v", "0Q001110011mmmmm000111" RD, simd_bic_v, CLS_SIMD, 2 },
    { "ORR_v", "0Q001110101mmmmm000111" RD, simd_orr_v, CLS_SIMD, 2 },
    { "ORN_v", "0Q001110111mmmmm000111" RD, simd_orn_v, CLS_SIMD, 2 },
    { "EOR_v", "0Q101110001mmmmm000111" RD, simd_eor_v, CLS_SIMD, 2 },
    { "BSL_v", "0Q101110011mmmmm000111" RD, simd_bsl_v, CLS_SIMD, 2 },
    { "BIT_v", "0Q101110101mmmmm000111" RD, simd_bit_v, CLS_SIMD, 2 },
    { "BIF_v", "0Q101110111mmmmm000111" RD, simd_bif_v, CLS_SIMD, 2 },
    /* Three same extra: SQRDMLAH / SQRDMLSH (FEAT_RDM) */
    { "SQRDMLAH_SH_v", "0Q101110ss0mmmmm1000o1" RD, simd_3same_rdm, CLS_SIMD, 0 },
    { "SQRDMLAH_SH_s", "01111110ss0mmmmm1000o1" RD, simd_3same_rdm_s, CLS_SIMD, 0 },
    /* Three different */
    { "SIMD_3diff", "0QU01110ss1mmmmmoooo00" RD, simd_3diff, CLS_SIMD, 0 },
    { "SQDMLAL_SL_s", "01011110ss1mmmmm10o100" RD, simd_3diff_scalar, CLS_SIMD, 0 },
    { "SQDMULL_s", "01011110ss1mmmmm110100" RD, simd_3diff_scalar, CLS_SIMD, 0 },
    /* Two-register miscellaneous (integer opcodes) */
    { "SIMD_2misc", "0QU01110ss1000000ooo10" RD, simd_2misc, CLS_SIMD, 0 },
    { "SIMD_2misc", "0QU01110ss10000010oo10" RD, simd_2misc, CLS_SIMD, 0 },
    { "SIMD_2misc", "0QU01110ss100001001o10" RD, simd_2misc, CLS_SIMD, 0 },
    { "SIMD_2misc", "0QU01110ss1000010100" "10" RD, simd_2misc, CLS_SIMD, 0 },
    { "CMGT0_v", "0Q001110ss10000" "01000" "10" RD, simd_cmgt0_v, CLS_SIMD, 2 },
    { "CMGE0_v", "0Q101110ss10000" "01000" "10" RD, simd_cmge0_v, CLS_SIMD, 2 },
    { "CMEQ0_v", "0Q001110ss10000" "01001" "10" RD, simd_cmeq0_v, CLS_SIMD, 2 },
    { "CMLE0_v", "0Q101110ss10000" "01001" "10" RD, simd_cmle0_v, CLS_SIMD, 2 },
    { "CMLT0_v", "0Q001110ss10000" "01010" "10" RD, simd_cmlt0_v, CLS_SIMD, 2 },
    { "ABS_v", "0Q001110ss10000" "01011" "10" RD, simd_abs_v, CLS_SIMD, 2 },
    { "NEG_v", "0Q101110ss10000" "01011" "10" RD, simd_neg_v, CLS_SIMD, 2 },
    { "NOT_v", "0Q10111000100000" "0101" "10" RD, simd_not_v, CLS_SIMD, 2 },
    { "SIMD_2misc_scalar", "01U11110ss10000" "00o11" "10" RD, simd_2misc_scalar, CLS_SIMD, 0 },
    { "SIMD_2misc_scalar", "01U11110ss10000" "010oo" "10" RD, simd_2misc_scalar, CLS_SIMD, 0 },
    { "SIMD_2misc_scalar", "01U11110ss10000" "10010" "10" RD, simd_2misc_scalar, CLS_SIMD, 0 },
    { "SIMD_2misc_scalar", "01U11110ss10000" "10100" "10" RD, simd_2misc_scalar, CLS_SIMD, 0 },
    /* Across lanes: SADDLV/UADDLV, SMAXV/UMAXV, SMINV/UMINV, ADDV */
    { "SIMD_across", "0QU01110ss11000" "00011" "10" RD, simd_across, CLS_SIMD, 0 },
    { "SIMD_across", "0QU01110ss11000" "01010" "10" RD, simd_across, CLS_SIMD, 0 },
    { "SIMD_across", "0QU01110ss11000" "11010" "10" RD, simd_across, CLS_SIMD, 0 },
    { "SIMD_across", "0QU01110ss11000" "11011" "10" RD, simd_across, CLS_SIMD, 0 },
    { "ADDP_s", "01011110ss11000" "11011" "10" RD, simd_addp_scalar, CLS_SIMD, 0 },
    /* Shift by immediate (integer opcodes; immh == 0000 is modified immediate) */
    { "SIMD_shift", "0QU011110hhhhbbb" "0ooo0" "1" RD, simd_shift, CLS_SIMD, 0 },
    { "SIMD_shift", "0QU011110hhhhbbb" "100oo" "1" RD, simd_shift, CLS_SIMD, 0 },
    { "SIMD_shift", "0QU011110hhhhbbb" "10100" "1" RD, simd_shift, CLS_SIMD, 0 },
    { "SIMD_shift_scalar", "01U111110hhhhbbb" "0ooo0" "1" RD, simd_shift_scalar, CLS_SIMD, 0 },
    { "SIMD_shift_scalar", "01U111110hhhhbbb" "100oo" "1" RD, simd_shift_scalar, CLS_SIMD, 0 },
    /* Modified immediate MOVI/MVNI/ORR/BIC (cmode != 1111, o2 == 0) */
    { "SIMD_modimm", "0Qo0111100000iii" "0ccc" "01" "iiiiiddddd", simd_modimm, CLS_SIMD, 1 },
    { "SIMD_modimm", "0Qo0111100000iii" "10cc" "01" "iiiiiddddd", simd_modimm, CLS_SIMD, 1 },
    { "SIMD_modimm", "0Qo0111100000iii" "110c" "01" "iiiiiddddd", simd_modimm, CLS_SIMD, 1 },
    { "SIMD_modimm", "0Qo0111100000iii" "1110" "01" "iiiiiddddd", simd_modimm, CLS_SIMD, 1 },
    /* Vector x indexed element (integer) */
    { "SIMD_elem", "0QU01111ssLMmmmm" "o010" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0QU01111ssLMmmmm" "0110" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0Q101111ssLMmmmm" "0o00" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0Q101111ssLMmmmm" "11o1" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0Q001111ssLMmmmm" "0o11" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0Q001111ssLMmmmm" "1000" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0Q001111ssLMmmmm" "1011" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem", "0Q001111ssLMmmmm" "110o" "H0" RD, simd_elem, CLS_SIMD, 0 },
    { "SIMD_elem_scalar", "01011111ssLMmmmm" "0o11" "H0" RD, simd_elem_scalar, CLS_SIMD, 0 },
    { "SIMD_elem_scalar", "01011111ssLMmmmm" "1011" "H0" RD, simd_elem_scalar, CLS_SIMD, 0 },
    { "SIMD_elem_scalar", "01011111ssLMmmmm" "110o" "H0" RD, simd_elem_scalar, CLS_SIMD, 0 },
    { "SIMD_elem_scalar", "01111111ssLMmmmm" "11o1" "H0" RD, simd_elem_scalar, CLS_SIMD, 0 },
    /* Copy */
    { "SIMD_copy", "0Q001110000iiiii0jjjj1" RD, simd_copy, CLS_SIMD, 0 },
    { "UMOV", "0Q001110000iiiii001111" RD, simd_umov, CLS_SIMD, 2 },
    { "DUP_gen", "0Q001110000iiiii000011" RD, simd_dup_gen, CLS_SIMD, 2 },
    { "DUP_elem", "0Q001110000iiiii000001" RD, simd_dup_elem, CLS_SIMD, 2 },
    { "INS_gen", "01001110000iiiii000111" RD, simd_ins_gen, CLS_SIMD, 2 },
    { "INS_elem", "01101110000iiiii0jjjj1" RD, simd_ins_elem, CLS_SIMD, 0 },
    { "DUP_elem_s", "01011110000iiiii000001" RD, simd_dup_scalar, CLS_SIMD, 0 },
    /* Permute, extract, table lookup */
    { "SIMD_perm", "0Q001110ss0mmmmm0ooo10" RD, simd_perm, CLS_SIMD, 0 },
    { "EXT", "0Q101110000mmmmm0iiii0" RD, simd_ext, CLS_SIMD, 0 },
    { "TBL_TBX", "0Q001110000mmmmm0llo00" RD, simd_tbl, CLS_SIMD, 0 },
    /* Structure loads/stores */
    { "SIMD_ld_multi", "0Q00110001000000oooossnnnnnttttt", simd_ldst_multi, CLS_LOAD, 0 },
    { "SIMD_st_multi", "0Q00110000000000oooossnnnnnttttt", simd_ldst_multi, CLS_STORE, 0 },
    { "SIMD_ld_multi_post", "0Q001100110mmmmmoooossnnnnnttttt", simd_ldst_multi, CLS_LOAD, 0 },
    { "SIMD_st_multi_post", "0Q001100100mmmmmoooossnnnnnttttt", simd_ldst_multi, CLS_STORE, 0 },
    { "SIMD_ld_single", "0Q00110101R00000oooSzznnnnnttttt", simd_ldst_single, CLS_LOAD, 0 },
    { "SIMD_st_single", "0Q00110100R00000oooSzznnnnnttttt", simd_ldst_single, CLS_STORE, 0 },
    { "SIMD_ld_single_post", "0Q00110111Rmmmmmoooszznnnnnttttt", simd_ldst_single, CLS_LOAD, 0 },
    { "SIMD_st_single_post", "0Q00110110Rmmmmmoooszznnnnnttttt", simd_ldst_single, CLS_STORE, 0 },
    /* Cryptographic extension */
    { "AES", "010011100010100" "001oo" "10" RD, simd_aes, CLS_CRYPTO, 0 },
    { "SHA_3reg", "01011110000mmmmm0ooo00" RD, simd_sha3, CLS_CRYPTO, 0 },
    { "SHA_2reg", "010111100010100" "000oo" "10" RD, simd_sha2, CLS_CRYPTO, 0 },
    { NULL, NULL, NULL, 0, 0 },
};
