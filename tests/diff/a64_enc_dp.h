/*
 * Encoders for the A64 integer data-processing and branch instructions,
 * one per Arm ARM encoding class, with the fields in the order of the Arm
 * ARM encoding diagrams (C4.1.2 Data Processing -- Immediate, C4.1.3
 * Branches, C4.1.6 Data Processing -- Register). Used by the differential
 * generator (gen_dp.c) and by the unit tests (tests/unit/test_dp_*.c).
 * Header-only; fields are masked to their widths.
 */
#ifndef A64_ENC_DP_H
#define A64_ENC_DP_H

#include <stdint.h>

#define ENC_F(v, w, lsb) (((uint32_t)(v) & ((1u << (w)) - 1)) << (lsb))

/* ---- Data processing (immediate) ---- */

/* PC-rel. addressing: op immlo 10000 immhi Rd (op 0 = ADR, 1 = ADRP) */
static inline uint32_t enc_adr(unsigned op, int32_t imm21, unsigned rd)
{
    return ENC_F(op, 1, 31) | ENC_F(imm21, 2, 29) | 0x10000000u | ENC_F((uint32_t)imm21 >> 2, 19, 5) |
           ENC_F(rd, 5, 0);
}
/* Add/subtract (immediate): sf op S 100010 sh imm12 Rn Rd */
static inline uint32_t enc_addsub_imm(unsigned sf, unsigned op, unsigned S, unsigned sh, unsigned imm12,
                                      unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(op, 1, 30) | ENC_F(S, 1, 29) | (0x22u << 23) | ENC_F(sh, 1, 22) |
           ENC_F(imm12, 12, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Logical (immediate): sf opc 100100 N immr imms Rn Rd (opc: AND ORR EOR ANDS) */
static inline uint32_t enc_logic_imm(unsigned sf, unsigned opc, unsigned N, unsigned immr, unsigned imms,
                                     unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(opc, 2, 29) | (0x24u << 23) | ENC_F(N, 1, 22) | ENC_F(immr, 6, 16) |
           ENC_F(imms, 6, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Move wide (immediate): sf opc 100101 hw imm16 Rd (opc: MOVN=00, MOVZ=10, MOVK=11) */
static inline uint32_t enc_movw(unsigned sf, unsigned opc, unsigned hw, unsigned imm16, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(opc, 2, 29) | (0x25u << 23) | ENC_F(hw, 2, 21) | ENC_F(imm16, 16, 5) |
           ENC_F(rd, 5, 0);
}
/* Bitfield: sf opc 100110 N immr imms Rn Rd (opc: SBFM=00, BFM=01, UBFM=10) */
static inline uint32_t enc_bitfield(unsigned sf, unsigned opc, unsigned N, unsigned immr, unsigned imms,
                                    unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(opc, 2, 29) | (0x26u << 23) | ENC_F(N, 1, 22) | ENC_F(immr, 6, 16) |
           ENC_F(imms, 6, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Extract: sf op21=00 100111 N o0=0 Rm imms Rn Rd */
static inline uint32_t enc_extr(unsigned sf, unsigned N, unsigned rm, unsigned imms, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | (0x27u << 23) | ENC_F(N, 1, 22) | ENC_F(rm, 5, 16) | ENC_F(imms, 6, 10) |
           ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}

/* ---- Data processing (register) ---- */

/* Logical (shifted register): sf opc 01010 shift N imm6 Rm Rn Rd */
static inline uint32_t enc_logic_sr(unsigned sf, unsigned opc, unsigned shift, unsigned N, unsigned rm,
                                    unsigned imm6, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(opc, 2, 29) | (0x0Au << 24) | ENC_F(shift, 2, 22) | ENC_F(N, 1, 21) |
           ENC_F(rm, 5, 16) | ENC_F(imm6, 6, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd */
static inline uint32_t enc_addsub_sr(unsigned sf, unsigned op, unsigned S, unsigned shift, unsigned rm,
                                     unsigned imm6, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(op, 1, 30) | ENC_F(S, 1, 29) | (0x0Bu << 24) | ENC_F(shift, 2, 22) |
           ENC_F(rm, 5, 16) | ENC_F(imm6, 6, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Add/subtract (extended register): sf op S 01011 00 1 Rm option imm3 Rn Rd */
static inline uint32_t enc_addsub_er(unsigned sf, unsigned op, unsigned S, unsigned rm, unsigned option,
                                     unsigned imm3, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(op, 1, 30) | ENC_F(S, 1, 29) | (0x0Bu << 24) | (1u << 21) |
           ENC_F(rm, 5, 16) | ENC_F(option, 3, 13) | ENC_F(imm3, 3, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Add/subtract (with carry): sf op S 11010000 Rm 000000 Rn Rd */
static inline uint32_t enc_adc(unsigned sf, unsigned op, unsigned S, unsigned rm, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(op, 1, 30) | ENC_F(S, 1, 29) | (0xD0u << 21) | ENC_F(rm, 5, 16) |
           ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Conditional compare: sf op 1 11010010 Rm|imm5 cond imm 0 Rn 0 nzcv (op: CCMN=0, CCMP=1) */
static inline uint32_t enc_ccmp(unsigned sf, unsigned op, unsigned imm_form, unsigned rm_imm5, unsigned cond,
                                unsigned rn, unsigned nzcv)
{
    return ENC_F(sf, 1, 31) | ENC_F(op, 1, 30) | (1u << 29) | (0xD2u << 21) | ENC_F(rm_imm5, 5, 16) |
           ENC_F(cond, 4, 12) | ENC_F(imm_form, 1, 11) | ENC_F(rn, 5, 5) | ENC_F(nzcv, 4, 0);
}
/* Conditional select: sf op 0 11010100 Rm cond op2 Rn Rd (op:op2 CSEL 0:00 CSINC 0:01 CSINV 1:00 CSNEG 1:01) */
static inline uint32_t enc_csel(unsigned sf, unsigned op, unsigned op2, unsigned rm, unsigned cond, unsigned rn,
                                unsigned rd)
{
    return ENC_F(sf, 1, 31) | ENC_F(op, 1, 30) | (0xD4u << 21) | ENC_F(rm, 5, 16) | ENC_F(cond, 4, 12) |
           ENC_F(op2, 2, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}
/* Data-processing (1 source): sf 1 0 11010110 00000 opcode Rn Rd */
static inline uint32_t enc_dp1(unsigned sf, unsigned opcode, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | (1u << 30) | (0xD6u << 21) | ENC_F(opcode, 6, 10) | ENC_F(rn, 5, 5) |
           ENC_F(rd, 5, 0);
}
/* Data-processing (2 source): sf 0 0 11010110 Rm opcode Rn Rd */
static inline uint32_t enc_dp2(unsigned sf, unsigned rm, unsigned opcode, unsigned rn, unsigned rd)
{
    return ENC_F(sf, 1, 31) | (0xD6u << 21) | ENC_F(rm, 5, 16) | ENC_F(opcode, 6, 10) | ENC_F(rn, 5, 5) |
           ENC_F(rd, 5, 0);
}
/* Data-processing (3 source): sf 00 11011 op31 Rm o0 Ra Rn Rd */
static inline uint32_t enc_dp3(unsigned sf, unsigned op31, unsigned rm, unsigned o0, unsigned ra, unsigned rn,
                               unsigned rd)
{
    return ENC_F(sf, 1, 31) | (0x1Bu << 24) | ENC_F(op31, 3, 21) | ENC_F(rm, 5, 16) | ENC_F(o0, 1, 15) |
           ENC_F(ra, 5, 10) | ENC_F(rn, 5, 5) | ENC_F(rd, 5, 0);
}

/* dp2 opcodes */
enum { DP2_UDIV = 0x02, DP2_SDIV = 0x03, DP2_LSLV = 0x08, DP2_LSRV = 0x09, DP2_ASRV = 0x0A, DP2_RORV = 0x0B,
       DP2_CRC32B = 0x10, DP2_CRC32CB = 0x14 };
/* dp1 opcodes */
enum { DP1_RBIT = 0, DP1_REV16 = 1, DP1_REV32 = 2, DP1_REV = 3, DP1_CLZ = 4, DP1_CLS = 5 };

/* ---- Branches (offsets in instructions, i.e. bytes / 4) ---- */

/* Unconditional branch (immediate): op 00101 imm26 (op: B=0, BL=1) */
static inline uint32_t enc_b(unsigned op, int32_t imm26)
{
    return ENC_F(op, 1, 31) | (0x05u << 26) | ENC_F(imm26, 26, 0);
}
/* Compare and branch: sf 011010 op imm19 Rt (op: CBZ=0, CBNZ=1) */
static inline uint32_t enc_cb(unsigned sf, unsigned op, int32_t imm19, unsigned rt)
{
    return ENC_F(sf, 1, 31) | (0x1Au << 25) | ENC_F(op, 1, 24) | ENC_F(imm19, 19, 5) | ENC_F(rt, 5, 0);
}
/* Test and branch: b5 011011 op b40 imm14 Rt (op: TBZ=0, TBNZ=1) */
static inline uint32_t enc_tb(unsigned bit, unsigned op, int32_t imm14, unsigned rt)
{
    return ENC_F(bit >> 5, 1, 31) | (0x1Bu << 25) | ENC_F(op, 1, 24) | ENC_F(bit, 5, 19) | ENC_F(imm14, 14, 5) |
           ENC_F(rt, 5, 0);
}
/* Conditional branch: 0101010 0 imm19 0 cond */
static inline uint32_t enc_bcond(int32_t imm19, unsigned cond)
{
    return (0x54u << 24) | ENC_F(imm19, 19, 5) | ENC_F(cond, 4, 0);
}
/* Unconditional branch (register): 1101011 opc 11111 000000 Rn 00000 (opc: BR=0, BLR=1, RET=2) */
static inline uint32_t enc_br(unsigned opc, unsigned rn)
{
    return (0x6Bu << 25) | ENC_F(opc, 4, 21) | (0x1Fu << 16) | ENC_F(rn, 5, 5);
}

#endif
