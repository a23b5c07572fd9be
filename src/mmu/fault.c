/*
 * The one place where a translation or access fault becomes an exception:
 * routing, ESR_ELx (EC, IL, ISS), FAR_ELx and HPFAR_EL2.
 * Arm ARM D17.2.37 (ESR_ELx ISS encodings for EC 0x20/0x21/0x24/0x25).
 */
#include "core/machine.h"
#include "cpu/exception.h"
#include "mmu/mem.h"
#include "mmu/mmu_internal.h"

/* Fault status code (DFSC/IFSC) for a fault record. */
uint32_t mmu_fault_status(const FaultRecord *fr)
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

/* ISS bits of data and instruction aborts (Arm ARM D17.2.37) */
#define ISS_ISV      (1u << 24)
#define ISS_SAS(s)   ((uint32_t)(s) << 22)
#define ISS_SSE      (1u << 21)
#define ISS_SRT(r)   ((uint32_t)(r) << 16)
#define ISS_SF       (1u << 15)
#define ISS_AR       (1u << 14)
#define ISS_FNV      (1u << 10)
#define ISS_EA       (1u << 9)
#define ISS_CM       (1u << 8)
#define ISS_S1PTW    (1u << 7)
#define ISS_WNR      (1u << 6)

/* Faults for which HPFAR_EL2 holds the faulting IPA: stage-2 translation,
 * access flag, permission and address size faults, including those on a
 * stage-1 walk (Arm ARM D17.2.58, HPFAR_EL2). */
static bool hpfar_valid(const FaultRecord *fr)
{
    return fr->stage2 && (fr->type == FAULT_TRANSLATION || fr->type == FAULT_ACCESSFLAG ||
                          fr->type == FAULT_PERMISSION || fr->type == FAULT_ADDRSIZE);
}

_Noreturn void mmu_raise_abort(CPUState *c, uint64_t va, const FaultRecord *fr, unsigned acc,
                               unsigned size, uint32_t flags)
{
    /* Routing: stage-2 faults (and external aborts on stage-2 walks) go to
     * EL2; stage-1 faults to the default target (EL2 for EL0 with
     * HCR_EL2.TGE = 1, or when at EL2). */
    unsigned target = fr->stage2 ? 2 : cpu_default_target_el(c);
    bool lower = target > c->el;
    /* FAR_ELx always holds the VA here, so FnV = 0; EA = 0 (external
     * aborts are not classified). */
    ExceptionRecord e = { .il = true, .far_valid = true, .far = va };
    uint32_t iss = mmu_fault_status(fr);
    if (fr->s1ptw)
        iss |= ISS_S1PTW;
    if (acc == ACC_EXEC) {
        e.ec = lower ? EC_IABT_LOWER : EC_IABT_CUR;
    } else {
        e.ec = lower ? EC_DABT_LOWER : EC_DABT_CUR;
        /* WnR: 1 for cache maintenance and AT (CM set, and DC ZVA, which
         * is a write); for a stage-2 fault on a stage-1 walk it is 0, the
         * walk being a read (no hardware AF/dirty updates); else the
         * direction of the access. */
        if (flags & MEMF_CM)
            iss |= ISS_WNR | ISS_CM;
        else if (fr->write && !fr->s1ptw)
            iss |= ISS_WNR;
        /* ISV and the instruction syndrome: only for stage-2 aborts on a
         * single GPR load/store without writeback that is not an
         * exclusive or atomic, and not on a stage-1 walk (Arm ARM
         * D17.2.37, ISV). */
        if (fr->stage2 && !fr->s1ptw && (flags & MEMF_ISV) &&
            !(flags & (MEMF_EXCL | MEMF_ATOMIC | MEMF_CM)) && fr->type != FAULT_SYNCEXT &&
            fr->type != FAULT_SYNCEXT_WALK) {
            unsigned sas = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
            iss |= ISS_ISV | ISS_SAS(sas) | ((flags & MEMF_SSE) ? ISS_SSE : 0) |
                   ISS_SRT(MEMF_SRT(flags)) | ((flags & MEMF_SF) ? ISS_SF : 0) |
                   ((flags & MEMF_AR) ? ISS_AR : 0);
        }
    }
    e.iss = iss;
    if (target == 2 && hpfar_valid(fr)) {
        e.ipa_valid = true;
        e.ipa = fr->ipa;
    }
    cpu_raise_sync(c, target, &e);
}
