/*
 * Hardware breakpoints and BRK at EL1 (entered at EL1, no EL2).
 * Arm ARM D2.6 (BRK: EC 0x3C, ISS = imm16, ELR = the BRK), D2.8
 * (breakpoints: DBGBCR E/PMC/BAS/BT/LBN, EC 0x30 from a lower EL, 0x31 at
 * the same EL, ISS.IFSC = 0b100010, ELR = the instruction), D2.4
 * (AArch64.GenerateDebugExceptionsFrom: MDSCR_EL1.MDE/KDE, PSTATE.D, OS lock).
 */
#include "dbg_harness.h"

extern char code_brk[], code_bp[], code_bp_at[], code_el0[], code_el0_at[];
__asm__(".text\n"
        "code_brk: brk #0x1234\n svc #0\n"
        "code_bp: mov x0, #1\ncode_bp_at: add x0, x0, #1\n svc #0\n"
        "code_el0: mov x0, #1\ncode_el0_at: add x0, x0, #1\n svc #0\n");

static void set_bp(unsigned n, uint64_t bvr, uint64_t bcr)
{
    switch (n) {
    case 0: WRITE_SYSREG(dbgbvr0_el1, bvr); WRITE_SYSREG(dbgbcr0_el1, bcr); break;
    case 4: WRITE_SYSREG(dbgbvr4_el1, bvr); WRITE_SYSREG(dbgbcr4_el1, bcr); break;
    }
    ISB();
}

static uint64_t run(const char *pc, uint64_t spsr)
{
    dbg_clear();
    for (unsigned i = 0; i < DBG_MAX; i++)
        dbg_plan[i] = DBG_SKIP;
    return dbg_run((uint64_t)pc, spsr, DBG_SP, 0);
}

int main(void)
{
    check_eq("CurrentEL", current_el(), 1);
    dbg_install();
    check_eq("OSLSR after unlock", READ_SYSREG(oslsr_el1), 0x8);

    /* BRK needs no enable: EC 0x3C, ISS = imm16, ELR = the BRK, at EL1 */
    run(code_brk, SPSR_EL1H);
    check_eq("brk n", dbg_n, 2);
    check_eq("brk vec", dbg_log[0].vec, 0x200);
    check_eq("brk esr", dbg_log[0].esr, (0x3cull << 26) | ESR_IL | 0x1234);
    check_eq("brk elr", dbg_log[0].elr, (uint64_t)code_brk);

    /* Address breakpoint at EL1, PMC = 0b11, KDE = 1, PSTATE.D = 0:
     * EC 0x31, ELR = the instruction, not executed (skipped: x0 = 1). */
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    set_bp(0, (uint64_t)code_bp_at, BCR_E | BCR_PMC(3) | BCR_BAS_A64);
    uint64_t r = run(code_bp, SPSR_EL1H);
    check_eq("bp n", dbg_n, 2);
    check_eq("bp vec", dbg_log[0].vec, 0x200);
    check_eq("bp esr", dbg_log[0].esr, (0x31ull << 26) | ESR_IL | ISS_DBG);
    check_eq("bp elr", dbg_log[0].elr, (uint64_t)code_bp_at);
    check_eq("bp x0", r, 1);

    /* PSTATE.D = 1 masks debug exceptions at the debug target EL */
    r = run(code_bp, SPSR_EL1H | SPSR_D);
    check_eq("bp masked n", dbg_n, 1);
    check_eq("bp masked x0", r, 2);

    /* KDE = 0: no breakpoint at EL1 */
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE);
    r = run(code_bp, SPSR_EL1H);
    check_eq("bp kde0 n", dbg_n, 1);

    /* From EL0 (target EL1 > EL0: enabled without KDE): EC 0x30, vector
     * "lower EL" 0x400. */
    set_bp(0, (uint64_t)code_el0_at, BCR_E | BCR_PMC(3) | BCR_BAS_A64);
    r = run(code_el0, SPSR_EL0T);
    check_eq("el0 bp n", dbg_n, 2);
    check_eq("el0 bp vec", dbg_log[0].vec, 0x400);
    check_eq("el0 bp esr", dbg_log[0].esr, (0x30ull << 26) | ESR_IL | ISS_DBG);
    check_eq("el0 bp elr", dbg_log[0].elr, (uint64_t)code_el0_at);
    check_eq("el0 bp x0", r, 1);

    /* PMC = 0b01 (EL1 only) does not match at EL0 */
    set_bp(0, (uint64_t)code_el0_at, BCR_E | BCR_PMC(1) | BCR_BAS_A64);
    run(code_el0, SPSR_EL0T);
    check_eq("pmc el1 n", dbg_n, 1);

    /* MDE = 0: none */
    set_bp(0, (uint64_t)code_el0_at, BCR_E | BCR_PMC(3) | BCR_BAS_A64);
    WRITE_SYSREG(mdscr_el1, 0);
    run(code_el0, SPSR_EL0T);
    check_eq("mde0 n", dbg_n, 1);

    /* OS lock set: none (OSLAR_EL1.OSLK = 1), and OSLSR reports it */
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE);
    WRITE_SYSREG(oslar_el1, 1);
    ISB();
    check_eq("OSLSR locked", READ_SYSREG(oslsr_el1), 0xa);
    run(code_el0, SPSR_EL0T);
    check_eq("oslk n", dbg_n, 1);
    WRITE_SYSREG(oslar_el1, 0);
    ISB();

    /* Linked address + CONTEXTIDR_EL1 breakpoint: bp0 BT = 0b0001 with
     * LBN = 4, bp4 (context-aware) BT = 0b0011. */
    WRITE_SYSREG(contextidr_el1, 0x55);
    set_bp(4, 0x55, BCR_E | BCR_PMC(3) | BCR_BT(3));
    set_bp(0, (uint64_t)code_el0_at, BCR_E | BCR_PMC(3) | BCR_BAS_A64 | BCR_BT(1) | BCR_LBN(4));
    run(code_el0, SPSR_EL0T);
    check_eq("linked match n", dbg_n, 2);
    check_eq("linked match esr", dbg_log[0].esr, (0x30ull << 26) | ESR_IL | ISS_DBG);
    check_eq("linked match elr", dbg_log[0].elr, (uint64_t)code_el0_at);
    WRITE_SYSREG(contextidr_el1, 0x56);
    ISB();
    run(code_el0, SPSR_EL0T);
    check_eq("linked mismatch n", dbg_n, 1);

    /* Unlinked context breakpoint (bp4, BT = 0b0010, EL1 only): every EL1
     * instruction with CONTEXTIDR_EL1 = 0x56 (the harness skips one per
     * exception, so the run ends after DBG_MAX of them). */
    set_bp(0, 0, 0);
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    set_bp(4, 0x56, BCR_E | BCR_PMC(1) | BCR_BT(2));
    run(code_bp, SPSR_EL1H);
    check_eq("ctx n", dbg_n, DBG_MAX);
    check_eq("ctx esr", dbg_log[0].esr, (0x31ull << 26) | ESR_IL | ISS_DBG);
    check_eq("ctx elr", dbg_log[0].elr, (uint64_t)code_bp);
    check_eq("ctx elr 2", dbg_log[1].elr, (uint64_t)code_bp + 4);
    set_bp(4, 0, 0);
    WRITE_SYSREG(mdscr_el1, 0);

    puts_("breakpoint: done\n");
    return 0;
}
