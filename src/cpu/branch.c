/*
 * A64 branches (Arm ARM C4.1.3 "Branches, Exception Generating and System
 * instructions", the branch classes): unconditional branch (immediate) B,
 * BL; compare and branch CBZ, CBNZ; test and branch TBZ, TBNZ; conditional
 * branch B.cond; unconditional branch (register) BR, BLR, RET.
 *
 * Taken branches set c->pc and return EXEC_JUMP; a conditional branch that
 * is not taken returns EXEC_NEXT so the loop stays on the sequential path.
 * PAuth forms (BRAA, BLRAA, RETAA, ...), ERET and DRPS are not claimed
 * here (pauth/sys fragments).
 *
 * Register branch targets go through AArch64.BranchAddr(): with the top
 * byte ignored for instruction addresses (TBI without TBID), the tag is
 * replaced by the sign extension of bit 55 (EL0/EL1/EL2&0 host) or by
 * zeros (EL2 without E2H). Immediate branches stay within +-128 MiB of a
 * canonical PC and need no clean-up.
 */
#include "cpu/decode.h"
#include "cpu/decode_fields.h"
#include "cpu/dp_util.h"
#include "mmu/tcr.h"

/* ---- Unconditional branch (immediate) (C6.2.26 B, C6.2.34 BL) ------------ */

/* SignExtend(imm:'00', 64) of an immediate of `bits` bits. */
static inline uint64_t branch_offset(uint32_t imm, unsigned bits)
{
    return (uint64_t)sext64((uint64_t)imm << 2, bits + 2);
}

static int h_b(CPUState *c, uint32_t insn)
{
    c->pc += branch_offset(FIELD(h_b, i, insn), 26);
    return EXEC_JUMP;
}

static int h_bl(CPUState *c, uint32_t insn)
{
    c->x[30] = c->pc + 4;
    c->pc += branch_offset(FIELD(h_bl, i, insn), 26);
    return EXEC_JUMP;
}

/* ---- Conditional branch / compare and branch (imm19 at bits [23:5]) ------- */

/* C6.2.25 B.cond. */
static int h_bcond(CPUState *c, uint32_t insn)
{
    if (!ConditionHolds(FIELD(h_bcond, c, insn), c->nzcv))
        return EXEC_NEXT;
    c->pc += branch_offset(FIELD(h_bcond, i, insn), 19);
    return EXEC_JUMP;
}

/* C6.2.47 CBZ, C6.2.46 CBNZ: sf selects Xt/Wt. */
static int h_cbz(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[FIELD(h_cbz, t, insn)];
    if (!FIELD(h_cbz, z, insn))
        v = (uint32_t)v;
    if (v != 0)
        return EXEC_NEXT;
    c->pc += branch_offset(FIELD(h_cbz, i, insn), 19);
    return EXEC_JUMP;
}

static int h_cbnz(CPUState *c, uint32_t insn)
{
    uint64_t v = c->x[FIELD(h_cbnz, t, insn)];
    if (!FIELD(h_cbnz, z, insn))
        v = (uint32_t)v;
    if (v == 0)
        return EXEC_NEXT;
    c->pc += branch_offset(FIELD(h_cbnz, i, insn), 19);
    return EXEC_JUMP;
}

/* ---- Test and branch (C6.2.331 TBZ, TBNZ): field b is b5:b40, the bit
 *      number. ------------------------------------------------------------- */

static int h_tbz(CPUState *c, uint32_t insn)
{
    if ((c->x[FIELD(h_tbz, t, insn)] >> FIELD(h_tbz, b, insn)) & 1)
        return EXEC_NEXT;
    c->pc += branch_offset(FIELD(h_tbz, i, insn), 14);
    return EXEC_JUMP;
}

static int h_tbnz(CPUState *c, uint32_t insn)
{
    if (!((c->x[FIELD(h_tbnz, t, insn)] >> FIELD(h_tbnz, b, insn)) & 1))
        return EXEC_NEXT;
    c->pc += branch_offset(FIELD(h_tbnz, i, insn), 14);
    return EXEC_JUMP;
}

/* ---- Unconditional branch (register) (C6.2.37 BR, C6.2.35 BLR, C6.2.227 RET) */

/* TCR_ELx fields read by AddrTop(): mmu/tcr.h (Arm ARM D17.2.131, D17.2.132) */

/* AArch64.BranchAddr(target) for a target whose top byte is not simply
 * the extension of bit 55 (two ranges) or zero (EL2 without E2H, one
 * range): AddrTop(target, TRUE, PSTATE.EL) decides whether bits [63:56]
 * are a tag (Arm ARM J1 aarch64/functions/memory/AArch64.BranchAddr,
 * AddrTop). */
static uint64_t branch_addr_slow(const CPUState *c, uint64_t target)
{
    bool two_ranges = c->cur_mmuidx != MMUIDX_E2;   /* EL0, EL1 or IsInHost() */
    uint64_t tcr = c->cur_mmuidx <= MMUIDX_E10_1_PAN ? c->sr[SR_TCR_EL1] : c->sr[SR_TCR_EL2];
    bool tbi, tbid, hi = (target >> 55) & 1;
    if (two_ranges) {
        tbi = tcr & (hi ? TCR_TBI1 : TCR_TBI0);
        tbid = tcr & (hi ? TCR_TBID1 : TCR_TBID0);
    } else {
        tbi = tcr & TCR_EL2_TBI;
        tbid = tcr & TCR_EL2_TBID;
    }
    if (!has_feat(c, FEAT_PAuth))
        tbid = false;
    if (!tbi || tbid)
        return target;                          /* AddrTop = 63 */
    if (two_ranges && hi)
        return (uint64_t)sext64(target, 56);
    return target & ((1ull << 56) - 1);
}

static inline uint64_t BranchAddr(const CPUState *c, uint64_t target)
{
    /* Fast path: the target comes back unchanged whatever TCR_ELx.TBI and
     * TBID say. In a two-range regime that is when bits [63:56] already
     * equal bit 55 (the sign extension of bit 55 changes nothing); at EL2
     * without E2H (one range) when they are zero (ZeroExtend(target<55:0>)
     * changes nothing). */
    if (likely(c->cur_mmuidx != MMUIDX_E2 ? (uint64_t)sext64(target, 56) == target
                                          : !(target >> 56)))
        return target;
    return branch_addr_slow(c, target);
}

static int h_br(CPUState *c, uint32_t insn)
{
    c->pc = BranchAddr(c, c->x[FIELD(h_br, n, insn)]);
    return EXEC_JUMP;
}

static int h_blr(CPUState *c, uint32_t insn)
{
    uint64_t target = c->x[FIELD(h_blr, n, insn)];   /* read before X30 is written (BLR X30) */
    c->x[30] = c->pc + 4;
    c->pc = BranchAddr(c, target);
    return EXEC_JUMP;
}

/* RET's Rn defaults to X30 in the assembler; the encoding always carries it. */
#define h_ret h_br

/* ---- Decode table (Arm ARM C4.1.3) ---------------------------------------- */

const DecodePattern a64_branch_patterns[] = {
    /* Unconditional branch (immediate): op 00101 imm26 */
    { "B",         "000101ii iiiiiiii iiiiiiii iiiiiiii", h_b, CLS_BRANCH },
    { "BL",        "100101ii iiiiiiii iiiiiiii iiiiiiii", h_bl, CLS_BRANCH },
    /* Compare and branch (immediate): sf 011010 op imm19 Rt */
    { "CBZ",       "z0110100 iiiiiiii iiiiiiii iiittttt", h_cbz, CLS_BRANCH },
    { "CBNZ",      "z0110101 iiiiiiii iiiiiiii iiittttt", h_cbnz, CLS_BRANCH },
    /* Test and branch (immediate): b5 011011 op b40 imm14 Rt */
    { "TBZ",       "b0110110 bbbbbiii iiiiiiii iiittttt", h_tbz, CLS_BRANCH },
    { "TBNZ",      "b0110111 bbbbbiii iiiiiiii iiittttt", h_tbnz, CLS_BRANCH },
    /* Conditional branch (immediate): 0101010 o1=0 imm19 o0=0 cond (o0=1 is v8.8 BC.cond) */
    { "B_cond",    "01010100 iiiiiiii iiiiiiii iii0cccc", h_bcond, CLS_BRANCH },
    /* Unconditional branch (register): 1101011 opc op2=11111 op3=000000 Rn op4=00000 */
    { "BR",        "11010110 00011111 000000nn nnn00000", h_br, CLS_BRANCH },
    { "BLR",       "11010110 00111111 000000nn nnn00000", h_blr, CLS_BRANCH },
    { "RET",       "11010110 01011111 000000nn nnn00000", h_ret, CLS_BRANCH },
    /* ERET (opc 0100), DRPS (0101): sys fragment. BRAA/BRAB/BLRAA/BLRAB/RETAA/RETAB,
     * BRAAZ/BRABZ/BLRAAZ/BLRABZ (op3 = 00001x, opc 1000/1001): pauth fragment. */
    { NULL, NULL, NULL, 0, 0 },
};
