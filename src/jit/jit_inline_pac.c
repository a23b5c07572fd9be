/*
 * The translator: the PAC hints on X30 (PACIASP, AUTIASP, PACIAZ, ...;
 * jit_inline.h jit_inline_pac_hint()).
 *
 * The handler (cpu/pauth.c h_pac_hint_lr(), pac_hint_memo()) answers most
 * hints from the near level of its memo: the entries of the last hints at
 * the same stack slot, tagged with the hint and the id of the context the
 * result depends on (the key, PSTATE.EL, HCR_EL2, the regime's SCTLR and
 * TCR). The memo is a pure cache: an entry holds what the pseudocode gives
 * for its inputs, and a trapped hint never gets one. So translated code may
 * read it too, and return the same X30 as the handler, without changing it:
 *
 *  - the context id is CPUState.pac_hint_cur[key], which the CPU drops on
 *    every change of an input (cpu_pac_hint_drop()); not known: slow path;
 *  - the set is pac_hint_near[pac_hint_near_set(modifier, X30, id)], the
 *    modifier SP (the *SP forms) or zero (the *Z forms); its two ways are
 *    read in the handler's order (without its move of a second-way hit to
 *    the front); the far level and the pseudocode are the slow path's,
 *    which calls the handler;
 *  - a hit is the entry for this hint on this X30 (tag without the reverse
 *    bit equal, x equal: X30 = out), or the opposite hint's entry that
 *    reverses (tag equal to this tag ^ AUT ^ REVERSE, out equal: X30 = x).
 *
 * A hint whose key is disabled in the regime (CPUState.pac_hint_keys) is a
 * NOP, as the handler makes it (AddPAC/Auth give the pointer back).
 */
#include "jit/jit_inline.h"

#include <stddef.h>

#include "cpu/cpu.h"

#define COFF(f) ((int32_t)offsetof(CPUState, f))
#define NOFF(f) ((int32_t)offsetof(struct PACHintMemo, f))

_Static_assert(sizeof(struct PACHintMemo) * PAC_HINT_NEAR_WAYS == 64,
               "a near set is one 64-byte line: the probe scales the set index by 64");
_Static_assert(PAC_HINT_NEAR_SETS == 1024, "the probe's set index is bits 13:4 of a sum");

/* rax = the tag this hint's entry has, VALID | op2 << 1 | id << 5, from
 * rax = the context id (the shift drops PAC_HINT_CUR_VALID) */
static void emit_tag(X86Buf *b, unsigned op2)
{
    x86_shift_ri(b, X86_SHL, true, X86_RAX, PAC_TAG_ID_SHIFT);
    x86_alu_ri(b, X86_OR, true, X86_RAX, (int32_t)(PAC_TAG_VALID | op2 << PAC_TAG_OP2_SHIFT));
}

/* rsi = the modifier: SP (the *SP forms) or zero (the *Z forms) */
static void emit_modifier(JitRegs *r, unsigned op2)
{
    if (op2 & 1)
        jr_peek(r, X86_RSI, JR_SP);
    else
        x86_alu_rr(r->b, X86_XOR, false, X86_RSI, X86_RSI);
}

void jit_inline_pac_hint(JitRegs *r, uint32_t insn, uint8_t key_bit, uint8_t **slow,
                         unsigned *nslow)
{
    X86Buf *b = r->b;
    unsigned op2 = (insn >> 5) & 7;     /* CRm = 0011: op2<2> AUT, <1> key B, <0> SP */
    *nslow = 0;
    /* rcx = X30, the result when the key is disabled (a NOP) */
    jr_peek(r, X86_RCX, 30);
    x86_test_m8_imm8(b, X86_RBX, COFF(pac_hint_keys), key_bit);
    uint8_t *disabled = x86_jcc_rel32(b, X86_CC_E, b->p);
    /* rax = the context id, then this hint's tag */
    int32_t cur_off = COFF(pac_hint_cur) + (int32_t)(key_bit == 2 ? sizeof(uint64_t) : 0);
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, cur_off);
    x86_alu_ri(b, X86_CMP, true, X86_RAX, 0);
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_E, b->p);
    x86_imul_rri(b, false, X86_RDX, X86_RAX, (int32_t)PAC_HINT_NEAR_MIX);   /* id * MIX */
    emit_tag(b, op2);
    /* rsi = the modifier; rdx = its near set's first way, set = bits
     * 13:4 of mod + X30 * 4 + (id * MIX << 4) (pac_hint_near_set()),
     * computed as ((id * MIX << 4) + mod + X30 * 4) & 0x3ff0, times 4 */
    emit_modifier(r, op2);
    x86_shift_ri(b, X86_SHL, false, X86_RDX, 4);
    x86_alu_rr(b, X86_ADD, false, X86_RDX, X86_RSI);
    x86_lea_r64_bis(b, X86_RDX, X86_RDX, X86_RCX, 2);      /* + X30 * 4 */
    x86_alu_ri(b, X86_AND, false, X86_RDX, (int32_t)((PAC_HINT_NEAR_SETS - 1) << 4));
    x86_lea_r64_bis(b, X86_RDX, X86_RBX, X86_RDX, 2);      /* rbx + set * 64 */
    x86_alu_ri(b, X86_ADD, true, X86_RDX, COFF(pac_hint_near));
    /* each way in turn, as the handler looks (it also moves a second-way
     * hit to the front, which this probe leaves to it): a miss of the first
     * goes on to the second, a miss of the second to the slow path */
    uint8_t *ends[2 * PAC_HINT_NEAR_WAYS];
    unsigned nends = 0;
    for (unsigned w = 0; w < PAC_HINT_NEAR_WAYS; w++) {
        int32_t wo = (int32_t)(w * sizeof(struct PACHintMemo));
        bool lastw = w + 1 == PAC_HINT_NEAR_WAYS;
        uint8_t *miss[3];
        if (w) {
            /* rax = this hint's tag, rsi = the modifier, again (the first
             * way's tests changed them, depending on where they failed) */
            x86_mov_r64_m64(b, X86_RAX, X86_RBX, cur_off);
            emit_tag(b, op2);
            emit_modifier(r, op2);
        }
        x86_cmp_r64_m64(b, X86_RSI, X86_RDX, wo + NOFF(mod));
        miss[0] = x86_jcc_rel32(b, X86_CC_NE, b->p);
        /* this hint's entry: tag & ~REVERSE == rax, x == X30 -> out */
        x86_mov_r64_m64(b, X86_RSI, X86_RDX, wo + NOFF(tag));
        x86_alu_ri(b, X86_AND, true, X86_RSI, ~(int32_t)PAC_TAG_REVERSE);
        x86_alu_rr(b, X86_CMP, true, X86_RSI, X86_RAX);
        uint8_t *rev1 = x86_jcc_rel8(b, X86_CC_NE);
        x86_cmp_r64_m64(b, X86_RCX, X86_RDX, wo + NOFF(x));
        uint8_t *rev2 = x86_jcc_rel8(b, X86_CC_NE);
        x86_mov_r64_m64(b, X86_RCX, X86_RDX, wo + NOFF(out));
        ends[nends++] = x86_jmp_rel32(b, b->p);
        x86_land_rel8(b, rev1);
        x86_land_rel8(b, rev2);
        /* the opposite hint's entry that reverses: tag == rax ^ AUT ^
         * REVERSE, out == X30 -> x */
        x86_alu_ri(b, X86_XOR, true, X86_RAX, (int32_t)(PAC_TAG_AUT | PAC_TAG_REVERSE));
        x86_cmp_r64_m64(b, X86_RAX, X86_RDX, wo + NOFF(tag));
        miss[1] = x86_jcc_rel32(b, X86_CC_NE, b->p);
        x86_cmp_r64_m64(b, X86_RCX, X86_RDX, wo + NOFF(out));
        miss[2] = x86_jcc_rel32(b, X86_CC_NE, b->p);
        x86_mov_r64_m64(b, X86_RCX, X86_RDX, wo + NOFF(x));
        if (lastw) {
            for (int k = 0; k < 3; k++)
                slow[(*nslow)++] = miss[k];
        } else {
            ends[nends++] = x86_jmp_rel32(b, b->p);
            for (int k = 0; k < 3; k++)
                if (miss[k])
                    x86_patch_rel32(miss[k], miss[k], b->p);
        }
    }
    for (unsigned k = 0; k < nends; k++)
        if (ends[k])
            x86_patch_rel32(ends[k], ends[k], b->p);
    if (disabled)
        x86_patch_rel32(disabled, disabled, b->p);
    jr_write(r, 30, X86_RCX);
}
