/*
 * The translator: MRS of a system register whose read is a plain load
 * (jit_inline.h jit_inline_mrs(); cpu/exec.h exec_mrs_fast()).
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

#define COFF(f) ((int32_t)offsetof(CPUState, f))

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
