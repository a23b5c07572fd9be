/*
 * AArch64.TranslateAddress (Arm ARM D8). Placeholder: only the MMU-off flat
 * mapping; the stage 1 / stage 2 walkers replace this file.
 */
#include "core/machine.h"
#include "mmu/mmu.h"

#define PA_BITS 48

bool AArch64_TranslateAddress(CPUState *c, uint64_t va, unsigned mmuidx, unsigned acc,
                              unsigned size, uint32_t flags, AddressDescriptor *ad, FaultRecord *fr)
{
    (void)mmuidx;
    (void)size;
    (void)flags;
    memset(fr, 0, sizeof *fr);
    fr->write = acc == ACC_WRITE;
    if (va >> PA_BITS) {
        /* Arm ARM D8.2.11: with the MMU off, an address above the PA size
         * is an Address size fault at level 0. */
        fr->type = FAULT_ADDRSIZE;
        fr->level = 0;
        return false;
    }
    ad->pa = va;
    /* MMU off: data accesses are Device-nGnRnE, instruction fetches Normal
     * (Arm ARM D8.2.11). */
    ad->attrs = acc == ACC_EXEC ? 0 : MATTR_DEVICE;
    (void)c;
    return true;
}

void mmu_regs_changed(CPUState *c)
{
    /* The TLBs are not tagged by ASID/VMID: any change may make entries
     * stale, so drop them all. */
    cpu_tlb_flush_all(c);
    cpu_update_mmu_context(c);
}
