/*
 * Stage-1 walks through stage 2 (Arm ARM D8.2.8), seen by a hypervisor that
 * maps guest memory lazily, as KVM does: the guest's stage-1 tables live
 * in IPA regions stage 2 does not map yet. Enabling the guest MMU makes the
 * next instruction fetch walk into unmapped IPA space: an instruction abort
 * with S1PTW = 1 and HPFAR_EL2 = the table's IPA. A store whose level-3
 * table is unmapped gives a data abort with S1PTW = 1, ISV = 0 and WnR = 0
 * (the walk reads; Arm ARM D17.2.37). The hypervisor maps the 2MB region
 * and resumes at the same instruction, which then completes.
 */
#include "mmu_guest.h"

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));
static uint8_t el1_stack[4096] __attribute__((aligned(16)));
static uint64_t data_page[512] __attribute__((aligned(4096)));

/* Guest stage-1 tables, at IPAs (= PAs) outside the first 2MB of RAM */
#define G_L1 0x40400000ul
#define G_L2 0x40401000ul
#define G_L3 0x40600000ul
#define G_VA 0x40610000ul            /* mapped by G_L3 to data_page */

static unsigned nexits;
static uint64_t exit_esr[4], exit_hpfar[4], exit_far[4];

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    uint64_t esr = READ_SYSREG(esr_el2);
    unsigned ec = esr >> 26;
    if (ec == 0x16)
        return 1;
    if (nexits < 4) {
        exit_esr[nexits] = esr;
        exit_hpfar[nexits] = READ_SYSREG(hpfar_el2);
        exit_far[nexits] = READ_SYSREG(far_el2);
    }
    nexits++;
    if ((ec != 0x20 && ec != 0x24) || (esr & 0x3c) != 0x04 || nexits > 4)
        guest_exit(96);             /* only stage-2 translation faults expected */
    /* Map the 2MB region of the faulting IPA (identity) and retry the
     * instruction: no TLBI is needed for a previously invalid entry. */
    uint64_t ipa = (READ_SYSREG(hpfar_el2) >> 4) << 12;
    s2_l2[(ipa >> 21) & 511] = (ipa & ~0x1ffffful) | S2_NORMAL | S2_RW | D_BLOCK;
    DSB();
    return 0;
}

static uint64_t guest_result;

static void guest(uint64_t arg)
{
    (void)arg;
    WRITE_SYSREG(mair_el1, MAIR_VAL);
    WRITE_SYSREG(tcr_el1, 25 | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (5ul << 32));
    WRITE_SYSREG(ttbr0_el1, G_L1);
    ISB();
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
    ISB();
    *(volatile uint64_t *)G_VA = 0x77;
    guest_result = *(volatile uint64_t *)G_VA;
    __asm__ volatile("mov x0, #0\n hvc #0" ::: "x0", "memory");
    __builtin_unreachable();
}

static void w64(uint64_t pa, uint64_t v) { *(volatile uint64_t *)pa = v; }

int main(void)
{
    WRITE_SYSREG(vbar_el2, (uint64_t)vectors_el2);
    /* Guest stage 1 (written by the hypervisor with its MMU off):
     * VA 1-2GB identity, the first 2MB as a block, G_VA's 2MB via G_L3. */
    w64(G_L1 + 8 * 1, G_L2 | D_TABLE);
    w64(G_L2 + 8 * 0, 0x40000000ul | NORMAL | D_BLOCK);
    w64(G_L2 + 8 * 3, G_L3 | D_TABLE);
    w64(G_L3 + 8 * 0x10, (uint64_t)data_page | NORMAL | D_PXN | D_PAGE);
    /* Stage 2: only the first 2MB of RAM (code, data, stacks). */
    s2_l1[1] = (uint64_t)s2_l2 | D_TABLE;
    s2_l2[0] = 0x40000000ul | S2_NORMAL | S2_RW | D_BLOCK;
    WRITE_SYSREG(vtcr_el2, 32 | (1ul << 6) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 16) |
                               (1ul << 31));
    WRITE_SYSREG(vttbr_el2, (uint64_t)s2_l1);
    WRITE_SYSREG(sctlr_el1, 0x30d00800);
    WRITE_SYSREG(hcr_el2, (1ul << 31) | 1);
    ISB();
    run_el1(guest, (uint64_t)el1_stack + sizeof el1_stack, 0);

    putreg("stage-2 faults", nexits);
    for (unsigned i = 0; i < nexits && i < 4; i++) {
        putreg("ESR_EL2", exit_esr[i]);
        putreg("  S1PTW", (exit_esr[i] >> 7) & 1);
        putreg("  HPFAR_EL2", exit_hpfar[i]);
    }
    putreg("data FAR_EL2", exit_far[1]);
    putreg("guest result", guest_result);
    check_eq("data page", data_page[0], 0x77);
    return 0;
}
