/*
 * The translator: MRS of a system register whose read is a plain load
 * (jit_inline.h jit_inline_mrs(); cpu/exec.h exec_mrs_fast()), and the
 * data cache operations DC ZVA, DC CVAC and DC CIVAC at EL2
 * (jit_inline_dc(), below).
 *
 * The hypervisors and kernels read a few registers all the time: Linux's
 * `current` is SP_EL0, its per-CPU offset TPIDR_EL1 (TPIDR_EL2 under VHE),
 * Xen's per-CPU offset TPIDR_EL2, and both save DAIF around every
 * critical section. Through the handler each such MRS was a
 * call and, being a system instruction, the end of its block. For the
 * registers exec_mrs_fast() accepts, translated code tests the conditions
 * under which the handler would only load the value (PSTATE.EL, PSTATE.SP
 * for SP_EL0, the fine-grained read traps below EL2, no SYSREG hook) and
 * loads it; anything else goes to the handler through the slow stub, which
 * decides (UNDEFINED, a trap, a redirect, the hook) exactly as before.
 */
#include "jit/jit_inline.h"

#include <stddef.h>

#include "core/machine.h"
#include "cpu/cpu.h"
#include "cpu/exec.h"
#include "mmu/mem.h"
#include "mmu/mmu.h"

#define COFF(f) ((int32_t)offsetof(CPUState, f))
#define EOFF(f) ((int32_t)offsetof(TLBEntry, f))
_Static_assert(TLB_INFO_ATTRS_SHIFT % 8 == 0 && MATTR_DEVICE < 256, "the attrs' low byte is one byte of info");
#define MOFF(f) ((int32_t)offsetof(Machine, f))

void jit_inline_mrs(JitRegs *r, uint32_t insn, const SysRegFastRead *f, uint8_t **slow,
                    unsigned *nslow)
{
    X86Buf *b = r->b;
    unsigned rt = insn & 31;
    *nslow = 0;
    if (f->el_min == 2) {
        x86_cmp_m8_imm8(b, X86_RBX, COFF(el), 2);
        slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    } else if (f->el_min == 1) {
        x86_cmp_m8_imm8(b, X86_RBX, COFF(el), 0);
        slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_E, b->p);
    }
    if (f->spsel) {
        x86_cmp_m8_imm8(b, X86_RBX, COFF(spsel), 0);
        slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_E, b->p);
    }
    if (f->fgt_off >= 0) {
        /* below EL2 only: at EL2 no fine-grained trap applies */
        x86_cmp_m8_imm8(b, X86_RBX, COFF(el), 2);
        uint8_t *el2 = x86_jcc_rel8(b, X86_CC_E);
        x86_cmp_m64_imm32(b, X86_RBX, f->fgt_off, 0);
        slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
        x86_land_rel8(b, el2);
    }
    /* an installed A83_HOOK_SYSREG hook sees every access (hooks_sysreg()) */
    x86_mov_r64_m64(b, X86_RAX, X86_RBX, COFF(m));
    x86_test_m8_imm8(b, X86_RAX, (int32_t)(offsetof(Machine, hook_mask) + A83_HOOK_SYSREG / 8),
                     (uint8_t)(1u << (A83_HOOK_SYSREG % 8)));
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    if (rt != 31) {     /* MRS to XZR: the value goes nowhere */
        unsigned h = jr_dst(r, rt);
        if (f->byte) {
            x86_movzx_r32_m8(b, h, X86_RBX, f->off);
            if (f->shift)
                x86_shift_ri(b, X86_SHL, false, h, f->shift);
        } else {
            x86_mov_r64_m64(b, h, X86_RBX, f->off);
        }
    }
}

/* The handler's own charge (f->extra), on the fast path only: the slow
 * path's handler makes it, and goes on to the fast path's end with it
 * (jit_slow_call() takes back only the deferred accounting), so it is not
 * part of the block's deferred cycles. */
static void charge_extra(X86Buf *b, const DcFast *f)
{
    if (f->extra)
        x86_add_m64_imm32(b, X86_RBX, COFF(cycles), (int32_t)f->extra);
}

/*
 * DC ZVA, DC CVAC, DC CIVAC at EL2 (cpu/exec.h exec_dc_fast(): no trap
 * applies there, and the handler only charges f->extra and does the
 * operation). Xen scrubs and cleans its RAM with loops of them.
 *  - DC CVAC/CIVAC: the handler's mem_translate() as a read returns at
 *    once on a host-TLB hit (the model's L1 holds the page, nothing to
 *    charge); there is no cache to maintain. The inline code tests for the
 *    plain read tag, as a byte load's fast path does.
 *  - DC ZVA: mmu_dc_zva()'s own fast tests, in its order: Normal memory
 *    and no exclusive monitor of this CPU, then either the write tag is
 *    plain (RAM that is neither code nor monitored: the 64-byte block is
 *    stored as zeros) or it is slow only for its page's flags
 *    (TLB_FLAG_SLOW | TLB_FLAG_PAGE) and the page has nothing but PF_ZERO
 *    among them (never written: the block is zero already and nothing
 *    else happens).
 * Anything else, and any other EL, calls the handler through the slow path.
 */
void jit_inline_dc(JitRegs *r, const DcFast *f, uint8_t **slow, unsigned *nslow)
{
    X86Buf *b = r->b;
    *nslow = 0;
    x86_cmp_m8_imm8(b, X86_RBX, COFF(el), 2);
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    if (f->zva) {
        x86_cmp_m8_imm8(b, X86_RBX, COFF(excl_valid), 0);
        slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    }
    jr_peek(r, X86_RAX, f->rt);
    if (f->zva)
        x86_alu_ri(b, X86_AND, true, X86_RAX, -(int32_t)DCZ_BLOCK);
    /* rdx = &c->tlb[(va >> PAGE_BITS) & (TLB_SIZE - 1)] (as for a load:
     * jit_inline_mem.c), rcx = the VA's page */
    jit_emit_tlb_entry(b, COFF(tlb));
    x86_mov_r64_r64(b, X86_RCX, X86_RAX);
    x86_alu_ri(b, X86_AND, true, X86_RCX, (int32_t)PAGE_MASK);
    if (!f->zva) {
        x86_cmp_r64_m64(b, X86_RCX, X86_RDX, EOFF(tag_r));
        slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
        charge_extra(b, f);
        return;
    }
    x86_test_m8_imm8(b, X86_RDX, EOFF(info) + TLB_INFO_ATTRS_SHIFT / 8, MATTR_DEVICE);
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    x86_cmp_r64_m64(b, X86_RCX, X86_RDX, EOFF(tag_w));
    uint8_t *flagged = x86_jcc_rel32(b, X86_CC_NE, b->p);
    x86_mov_r64_m64(b, X86_RDX, X86_RDX, EOFF(addend));
    x86_alu_rr(b, X86_XOR, false, X86_RCX, X86_RCX);
    for (unsigned k = 0; k < DCZ_BLOCK; k += 8)
        x86_store_bi(b, 8, X86_RCX, X86_RAX, X86_RDX, (int8_t)k);
    uint8_t *done = x86_jmp_rel32(b, b->p);
    if (flagged)
        x86_patch_rel32(flagged, flagged, b->p);
    x86_alu_ri(b, X86_OR, true, X86_RCX, TLB_FLAG_SLOW | TLB_FLAG_PAGE);
    x86_cmp_r64_m64(b, X86_RCX, X86_RDX, EOFF(tag_w));
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    /* page_only_zero(): the entry's PA page in guest RAM, its PF_WRITE_SLOW
     * flags exactly PF_ZERO */
    x86_mov_r64_m64(b, X86_RSI, X86_RDX, EOFF(info));
    x86_shift_ri(b, X86_SHL, true, X86_RSI, 64 - TLB_INFO_ATTRS_SHIFT);   /* tlb_pa_page() */
    x86_shift_ri(b, X86_SHR, true, X86_RSI, 64 - TLB_INFO_ATTRS_SHIFT);
    x86_alu_ri(b, X86_AND, true, X86_RSI, (int32_t)PAGE_MASK);
    x86_mov_r64_m64(b, X86_RCX, X86_RBX, COFF(m));
    x86_mov_r64_m64(b, X86_RDX, X86_RCX, MOFF(ram.base));
    x86_alu_rr(b, X86_SUB, true, X86_RSI, X86_RDX);
    x86_cmp_r64_m64(b, X86_RSI, X86_RCX, MOFF(ram.size));
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_AE, b->p);
    x86_shift_ri(b, X86_SHR, true, X86_RSI, PAGE_BITS);
    x86_mov_r64_m64(b, X86_RCX, X86_RCX, MOFF(ram.pflags));
    x86_load_bi(b, 1, false, false, X86_RCX, X86_RCX, X86_RSI, 0);
    x86_alu_ri(b, X86_AND, false, X86_RCX, PF_WRITE_SLOW);
    x86_alu_ri(b, X86_CMP, false, X86_RCX, PF_ZERO);
    slow[(*nslow)++] = x86_jcc_rel32(b, X86_CC_NE, b->p);
    if (done)
        x86_patch_rel32(done, done, b->p);
    charge_extra(b, f);
}
