/*
 * The one place where a translation or access fault becomes an exception:
 * routing, ESR_ELx (EC, IL, ISS), FAR_ELx and HPFAR_EL2.
 * Arm ARM D17.2.37 (ESR_ELx ISS encodings for EC 0x20/0x21/0x24/0x25).
 */
#include "core/machine.h"
#include "cpu/exception.h"
#include "mmu/mem.h"

/* Fault status code (DFSC/IFSC) for a fault record. */
static uint32_t fault_status(const FaultRecord *fr)
{
    unsigned lvl = fr->level < 0 ? 0 : (unsigned)fr->level & 3;
    switch (fr->type) {
    case FAULT_ADDRSIZE: return 0x00 | lvl;
    case FAULT_TRANSLATION: return 0x04 | lvl;
    case FAULT_ACCESSFLAG: return 0x08 | lvl;
    case FAULT_PERMISSION: return 0x0C | lvl;
    case FAULT_SYNCEXT: return 0x10;
    case FAULT_SYNCEXT_WALK: return 0x14 | lvl;
    case FAULT_ALIGNMENT: return 0x21;
    case FAULT_TLBCONFLICT: return 0x30;
    default: return 0x10;
    }
}

_Noreturn void mmu_raise_abort(CPUState *c, uint64_t va, const FaultRecord *fr, unsigned acc,
                               unsigned size, uint32_t flags)
{
    unsigned target = fr->stage2 ? 2 : cpu_default_target_el(c);
    bool lower = target > c->el;
    ExceptionRecord e = { .il = true, .far_valid = true, .far = va };
    uint32_t iss = fault_status(fr);
    if (fr->s1ptw)
        iss |= 1u << 7;
    if (acc == ACC_EXEC) {
        e.ec = lower ? EC_IABT_LOWER : EC_IABT_CUR;
    } else {
        e.ec = lower ? EC_DABT_LOWER : EC_DABT_CUR;
        if (fr->write || (flags & MEMF_CM))
            iss |= 1u << 6;                    /* WnR */
        if (flags & MEMF_CM)
            iss |= 1u << 8;                    /* CM */
        /* ISV and the instruction syndrome: only for stage-2 aborts on a
         * single GPR load/store, not on a stage-1 walk (Arm ARM D17.2.37,
         * ISV; the same choice as QEMU). */
        if (fr->stage2 && !fr->s1ptw && (flags & MEMF_ISV)) {
            unsigned sas = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
            iss |= 1u << 24 | sas << 22 | ((flags & MEMF_SSE) ? 1u << 21 : 0) |
                   (uint32_t)MEMF_SRT(flags) << 16 | ((flags & MEMF_SF) ? 1u << 15 : 0) |
                   ((flags & MEMF_AR) ? 1u << 14 : 0);
        }
    }
    e.iss = iss;
    if (fr->stage2 && target == 2 && fr->type != FAULT_SYNCEXT) {
        e.ipa_valid = true;
        e.ipa = fr->ipa;
    }
    cpu_raise_sync(c, target, &e);
}
