/*
 * FEAT_NV2 register-to-memory transformation (Arm ARM D8, "Enhanced
 * support for nested virtualization"; VNCR_EL2; the accessor pseudocode
 * "X[t, 64] = NVMem[offset]" / "NVMem[offset] = X[t, 64]").
 */
#include "el2/nv.h"

#include "core/machine.h"
#include "cpu/exception.h"
#include "mmu/mem.h"
#include "mmu/mmu.h"
#include "mmu/mmu_internal.h"

/* Data-abort ISS bits used here (Arm ARM D24.2.45, ESR_EL2 ISS for
 * EC 0x24): VNCR [13] (FEAT_NV2: the access came from VNCR_EL2), WnR [6]. */
#define ISS_DABT_VNCR (1u << 13)
#define ISS_DABT_WNR  (1u << 6)

/* VNCR_EL2.BADDR is bits [63:12] (bits [63:53] RESS) */
#define VNCR_BADDR_MASK (~0xfffull)

bool nv_vncr_applies(const CPUState *c, const SysRegDesc *r)
{
    if (c->el != 1 || r->vncr_offset < 0)
        return false;
    unsigned nvx = el2_nvx(c);
    if (!(nvx & NVX_NV2))
        return false;
    if (r->flags & SRF_EL12)
        return nvx == (NVX_NV2 | NVX_NV);                       /* '101' */
    unsigned op1 = (r->enc >> 11) & 7;
    if (op1 == 4 || (r->flags & SRF_NV2_NV1X))
        return true;                                            /* '1x1' */
    return nvx == (NVX_NV2 | NVX_NV1 | NVX_NV);                 /* '111' */
}

uint32_t nv2_el2_redirect(uint32_t enc)
{
    switch (enc) {
    case A83_SYSREG(3, 4, 4, 0, 1): return A83_SYSREG(3, 0, 4, 0, 1);   /* ELR_EL2 -> ELR_EL1 */
    case A83_SYSREG(3, 4, 4, 0, 0): return A83_SYSREG(3, 0, 4, 0, 0);   /* SPSR_EL2 -> SPSR_EL1 */
    case A83_SYSREG(3, 4, 5, 2, 0): return A83_SYSREG(3, 0, 5, 2, 0);   /* ESR_EL2 -> ESR_EL1 */
    case A83_SYSREG(3, 4, 6, 0, 0): return A83_SYSREG(3, 0, 6, 0, 0);   /* FAR_EL2 -> FAR_EL1 */
    default: return 0;
    }
}

/* Translates VNCR_EL2.BADDR + offset in the EL2 (or EL2&0) regime with EL2
 * privilege; raises the EL2 data abort on a fault. Returns the PA. */
static uint64_t nv2_translate(CPUState *c, unsigned offset, bool write, uint64_t *va_out)
{
    uint64_t va = (c->sr[SR_VNCR_EL2] & VNCR_BADDR_MASK) + offset;
    unsigned idx = (el2_hcr(c) & HCR_E2H) && has_feat(c, FEAT_VHE) ? MMUIDX_E20_2 : MMUIDX_E2;
    unsigned acc = write ? ACC_WRITE : ACC_READ;
    AddressDescriptor ad;
    FaultRecord fr;
    *va_out = va;
    if (!mmu_translate_charged(c, va, idx, acc, TLBM_SIDE_D, &ad, &fr, NULL)) {
        ExceptionRecord e = { .ec = EC_DABT_LOWER, .il = true, .far_valid = true, .far = va,
                              .iss = mmu_fault_status(&fr) | ISS_DABT_VNCR |
                                     (write ? ISS_DABT_WNR : 0) };
        cpu_raise_sync(c, 2, &e);
    }
    return ad.pa;
}

static _Noreturn void nv2_external_abort(CPUState *c, uint64_t va, bool write)
{
    FaultRecord fr = { .type = FAULT_SYNCEXT };
    ExceptionRecord e = { .ec = EC_DABT_LOWER, .il = true, .far_valid = true, .far = va,
                          .iss = mmu_fault_status(&fr) | ISS_DABT_VNCR |
                                 (write ? ISS_DABT_WNR : 0) };
    cpu_raise_sync(c, 2, &e);
}

uint64_t nv2_mem_read(CPUState *c, unsigned offset)
{
    uint64_t va, v;
    uint64_t pa = nv2_translate(c, offset, false, &va);
    if (!phys_read(c, pa, 8, &v))
        nv2_external_abort(c, va, false);
    return v;
}

void nv2_mem_write(CPUState *c, unsigned offset, uint64_t v)
{
    uint64_t va;
    uint64_t pa = nv2_translate(c, offset, true, &va);
    if (!phys_write(c, pa, 8, v))
        nv2_external_abort(c, va, true);
}
