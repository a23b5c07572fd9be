/*
 * Debug exceptions routed to EL2 (entered at EL2, -M virt,virtualization=on).
 * Arm ARM D2.3 (DebugTarget(): MDCR_EL2.TDE routes debug exceptions from
 * EL0/EL1 to EL2), D2.4 (GenerateDebugExceptionsFrom at EL2: KDE, PSTATE.D),
 * D13.3.x MDCR_EL2.TDA/TDOSA (debug register traps, EC 0x18). Exact ESR,
 * ELR, FAR, vector offset and the EL that took each exception.
 */
#include "dbg_harness.h"

#define HCR_RW (1ull << 31)
#define HCR_TGE (1ull << 27)
#define MDCR_TDE (1ull << 8)
#define MDCR_TDA (1ull << 9)
#define MDCR_TDOSA (1ull << 10)

static volatile uint64_t data[2] __attribute__((aligned(16)));

extern char u_code[], u_at[], e_code[], e_at[], e_brk[], e_str[], e_mrs[], e_osl[], h_code[], h_at[];
__asm__(".text\n"
        "e_code: mov x0, #1\ne_at: add x0, x0, #1\n hvc #0\n"
        "e_brk: brk #0x77\n hvc #0\n"
        "e_str: str x1, [x0]\n hvc #0\n"
        "e_mrs: mrs x1, dbgbcr0_el1\n hvc #0\n"
        "e_osl: msr oslar_el1, xzr\n hvc #0\n"
        "u_code: mov x0, #1\nu_at: add x0, x0, #1\n svc #0\n"
        "h_code: mov x0, #1\nh_at: add x0, x0, #1\n svc #0\n");

static uint64_t run(const char *pc, uint64_t spsr, uint64_t x0, uint8_t plan)
{
    dbg_clear();
    for (unsigned i = 0; i < DBG_MAX; i++)
        dbg_plan[i] = plan;
    return dbg_run((uint64_t)pc, spsr, DBG_SP, x0);
}

#define DBG_ESR(ec, iss) (((uint64_t)(ec) << 26) | ESR_IL | (iss))

int main(void)
{
    check_eq("CurrentEL", current_el(), 2);
    WRITE_SYSREG(hcr_el2, HCR_RW);
    dbg_install();

    /* TDE = 1, KDE = 0: an EL1 breakpoint is taken to EL2 (EC 0x30) */
    WRITE_SYSREG(mdcr_el2, MDCR_TDE);
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE);
    WRITE_SYSREG(dbgbvr0_el1, (uint64_t)e_at);
    WRITE_SYSREG(dbgbcr0_el1, BCR_E | BCR_PMC(3) | BCR_BAS_A64);
    ISB();
    uint64_t r = run(e_code, SPSR_EL1H, 0, DBG_SKIP);
    check_eq("bp n", dbg_n, 2);
    check_eq("bp el", dbg_log[0].el, 2);
    check_eq("bp vec", dbg_log[0].vec, 0x400);
    check_eq("bp esr", dbg_log[0].esr, DBG_ESR(0x30, ISS_DBG));
    check_eq("bp elr", dbg_log[0].elr, (uint64_t)e_at);
    check_eq("bp x0", r, 1);

    /* BRK at EL1 with TDE: EC 0x3C at EL2 */
    run(e_brk, SPSR_EL1H, 0, DBG_SKIP);
    check_eq("brk el", dbg_log[0].el, 2);
    check_eq("brk esr", dbg_log[0].esr, DBG_ESR(0x3c, 0x77));
    check_eq("brk elr", dbg_log[0].elr, (uint64_t)e_brk);

    /* Watchpoint at EL1 with TDE: EC 0x34 at EL2, FAR = the address */
    WRITE_SYSREG(dbgbcr0_el1, 0);
    WRITE_SYSREG(dbgwvr0_el1, (uint64_t)&data[1]);
    WRITE_SYSREG(dbgwcr0_el1, WCR_E | WCR_PAC(3) | WCR_LSC(LSC_STORE) | WCR_BAS(0xff));
    ISB();
    run(e_str, SPSR_EL1H, (uint64_t)&data[1], DBG_SKIP);
    check_eq("wp n", dbg_n, 2);
    check_eq("wp el", dbg_log[0].el, 2);
    check_eq("wp esr", dbg_log[0].esr, DBG_ESR(0x34, (1u << 6) | ISS_DBG));
    check_eq("wp far", dbg_log[0].far, (uint64_t)&data[1]);
    check_eq("wp elr", dbg_log[0].elr, (uint64_t)e_str);
    WRITE_SYSREG(dbgwcr0_el1, 0);

    /* Software step of EL1 from EL2 (PSTATE.D of EL1 does not matter:
     * the target EL2 is higher): EC 0x32 at EL2, ELR = next instruction */
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE | MDSCR_SS);
    ISB();
    r = run(e_code, SPSR_EL1H | SPSR_D | SPSR_SS, 0, DBG_SS);
    check_eq("ss n", dbg_n, 3);
    check_eq("ss el", dbg_log[0].el, 2);
    check_eq("ss vec", dbg_log[0].vec, 0x400);
    check_eq("ss esr", dbg_log[0].esr, DBG_ESR(0x32, (1u << 24) | ISS_DBG));
    check_eq("ss elr", dbg_log[0].elr, (uint64_t)e_at);
    check_eq("ss 1 elr", dbg_log[1].elr, (uint64_t)e_at + 4);
    check_eq("ss hvc esr", dbg_log[2].esr, DBG_ESR(0x16, 0));
    check_eq("ss hvc spsr.ss", dbg_log[2].spsr & SPSR_SS, 0);
    check_eq("ss x0", r, 2);

    /* TDE = 0, KDE = 1: an EL1 breakpoint is taken at EL1 (EC 0x31) */
    WRITE_SYSREG(mdcr_el2, 0);
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    WRITE_SYSREG(dbgbcr0_el1, BCR_E | BCR_PMC(3) | BCR_BAS_A64);
    ISB();
    run(e_code, SPSR_EL1H, 0, DBG_SKIP);
    check_eq("el1 bp el", dbg_log[0].el, 1);
    check_eq("el1 bp vec", dbg_log[0].vec, 0x200);
    check_eq("el1 bp esr", dbg_log[0].esr, DBG_ESR(0x31, ISS_DBG));
    /* ... and EL2 itself is not debugged with target EL1 */
    WRITE_SYSREG(dbgbvr0_el1, (uint64_t)h_at);
    WRITE_SYSREG(dbgbcr0_el1, BCR_E | BCR_HMC | BCR_PMC(1) | BCR_BAS_A64);
    ISB();
    run(h_code, SPSR_EL2H, 0, DBG_SKIP);
    check_eq("el2 tde0 n", dbg_n, 1);

    /* TDE = 1, KDE = 1, PSTATE.D = 0 at EL2, HMC = 1: EC 0x31 at EL2 */
    WRITE_SYSREG(mdcr_el2, MDCR_TDE);
    ISB();
    r = run(h_code, SPSR_EL2H, 0, DBG_SKIP);
    check_eq("el2 bp n", dbg_n, 2);
    check_eq("el2 bp vec", dbg_log[0].vec, 0x200);
    check_eq("el2 bp esr", dbg_log[0].esr, DBG_ESR(0x31, ISS_DBG));
    check_eq("el2 bp elr", dbg_log[0].elr, (uint64_t)h_at);
    check_eq("el2 bp x0", r, 1);
    WRITE_SYSREG(dbgbcr0_el1, 0);
    WRITE_SYSREG(mdscr_el1, 0);

    /* HCR_EL2.TGE = 1 (MDCR_EL2.TDE = 0): an EL0 breakpoint is taken to
     * EL2 (EC 0x30, lower-EL vector); the SVC that ends the run too. */
    WRITE_SYSREG(hcr_el2, HCR_RW | HCR_TGE);
    WRITE_SYSREG(mdcr_el2, 0);
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE);
    WRITE_SYSREG(dbgbvr0_el1, (uint64_t)u_at);
    WRITE_SYSREG(dbgbcr0_el1, BCR_E | BCR_PMC(3) | BCR_BAS_A64);
    ISB();
    r = run(u_code, SPSR_EL0T, 0, DBG_SKIP);
    check_eq("tge n", dbg_n, 2);
    check_eq("tge el", dbg_log[0].el, 2);
    check_eq("tge vec", dbg_log[0].vec, 0x400);
    check_eq("tge esr", dbg_log[0].esr, DBG_ESR(0x30, ISS_DBG));
    check_eq("tge elr", dbg_log[0].elr, (uint64_t)u_at);
    check_eq("tge svc el", dbg_log[1].el, 2);
    check_eq("tge x0", r, 1);
    WRITE_SYSREG(dbgbcr0_el1, 0);
    WRITE_SYSREG(mdscr_el1, 0);
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();

    /* MDCR_EL2.TDA traps EL1 DBGBCR0_EL1 access (EC 0x18, ISS: Op0 2,
     * Op1 0, CRn 0, CRm 0, Op2 5, Rt 1, read); TDOSA traps OSLAR_EL1. */
    WRITE_SYSREG(mdcr_el2, MDCR_TDA);
    ISB();
    run(e_mrs, SPSR_EL1H, 0, DBG_SKIP);
    check_eq("tda el", dbg_log[0].el, 2);
    check_eq("tda esr", dbg_log[0].esr,
             DBG_ESR(0x18, (2u << 20) | (5u << 17) | (1u << 5) | 1u));
    WRITE_SYSREG(mdcr_el2, MDCR_TDOSA);
    ISB();
    run(e_osl, SPSR_EL1H, 0, DBG_SKIP);
    check_eq("tdosa el", dbg_log[0].el, 2);
    check_eq("tdosa esr", dbg_log[0].esr,
             DBG_ESR(0x18, (2u << 20) | (4u << 17) | (1u << 10) | (31u << 5)));
    WRITE_SYSREG(mdcr_el2, 0);

    puts_("el2_route: done\n");
    return 0;
}
