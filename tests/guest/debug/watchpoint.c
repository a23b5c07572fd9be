/*
 * Watchpoints at EL1 and EL0 (entered at EL1). Arm ARM D2.9: DBGWCR
 * E/PAC/LSC/BAS/MASK, EC 0x34 from a lower EL / 0x35 at the same EL,
 * ISS.WnR (bit 6), DFSC = 0b100010, FAR = the accessed address, ELR = the
 * access instruction, which does not complete (the store is not made).
 * Also: a page already in the TLB fast path before the watchpoint is armed
 * is still watched (the TLB is flushed when watchpoints change).
 */
#include "dbg_harness.h"

static volatile uint64_t data[8] __attribute__((aligned(64)));

/* x0 = address; each snippet does one access then SVC. */
extern char w_str[], w_ldr[], w_ldrb[], w_ldr0[], w_stp[];
__asm__(".text\n"
        "w_str: str x1, [x0]\n svc #0\n"
        "w_ldr: ldr x1, [x0]\n svc #0\n"
        "w_ldrb: ldrb w1, [x0]\n svc #0\n"
        "w_ldr0: ldr x1, [x0]\n svc #0\n"
        "w_stp: stp x1, x1, [x0]\n svc #0\n");

static void set_wp(uint64_t wvr, uint64_t wcr)
{
    WRITE_SYSREG(dbgwvr0_el1, wvr);
    WRITE_SYSREG(dbgwcr0_el1, wcr);
    ISB();
}

static void run(const char *pc, uint64_t spsr, volatile void *addr)
{
    dbg_clear();
    for (unsigned i = 0; i < DBG_MAX; i++)
        dbg_plan[i] = DBG_SKIP;
    dbg_run((uint64_t)pc, spsr, DBG_SP, (uint64_t)addr);
}

#define WP_ESR(ec, wnr) (((uint64_t)(ec) << 26) | ESR_IL | ((uint64_t)(wnr) << 6) | ISS_DBG)

int main(void)
{
    check_eq("CurrentEL", current_el(), 1);
    dbg_install();
    data[1] = 0x1111;
    (void)data[1];      /* the page gets a fast TLB entry before arming */

    /* Store watchpoint on data[1] (BAS = all 8 bytes), EL1 and EL0 */
    WRITE_SYSREG(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
    set_wp((uint64_t)&data[1], WCR_E | WCR_PAC(3) | WCR_LSC(LSC_STORE) | WCR_BAS(0xff));
    run(w_ldr, SPSR_EL1H, &data[1]);
    check_eq("load on store wp n", dbg_n, 1);
    run(w_str, SPSR_EL1H, &data[1]);
    check_eq("str n", dbg_n, 2);
    check_eq("str vec", dbg_log[0].vec, 0x200);
    check_eq("str esr", dbg_log[0].esr, WP_ESR(0x35, 1));
    check_eq("str far", dbg_log[0].far, (uint64_t)&data[1]);
    check_eq("str elr", dbg_log[0].elr, (uint64_t)w_str);
    check_eq("str not done", data[1], 0x1111);

    /* From EL0: EC 0x34, lower-EL vector; STP over data[0..1] hits on the
     * second doubleword (FAR = its address). */
    run(w_stp, SPSR_EL0T, &data[0]);
    check_eq("el0 stp n", dbg_n, 2);
    check_eq("el0 stp vec", dbg_log[0].vec, 0x400);
    check_eq("el0 stp esr", dbg_log[0].esr, WP_ESR(0x34, 1));
    check_eq("el0 stp far", dbg_log[0].far, (uint64_t)&data[1]);
    check_eq("el0 stp elr", dbg_log[0].elr, (uint64_t)w_stp);

    /* PAC = 0b01 (EL1 only): no match at EL0 */
    set_wp((uint64_t)&data[1], WCR_E | WCR_PAC(1) | WCR_LSC(3) | WCR_BAS(0xff));
    run(w_str, SPSR_EL0T, &data[1]);
    check_eq("pac el1 n", dbg_n, 1);

    /* Byte address select: load watchpoint on byte 4 of data[1] only */
    set_wp((uint64_t)&data[1], WCR_E | WCR_PAC(3) | WCR_LSC(LSC_LOAD) | WCR_BAS(0x10));
    run(w_ldrb, SPSR_EL1H, (volatile uint8_t *)&data[1] + 3);
    check_eq("bas byte3 n", dbg_n, 1);
    run(w_ldrb, SPSR_EL1H, (volatile uint8_t *)&data[1] + 4);
    check_eq("bas byte4 n", dbg_n, 2);
    check_eq("bas byte4 esr", dbg_log[0].esr, WP_ESR(0x35, 0));
    check_eq("bas byte4 far", dbg_log[0].far, (uint64_t)&data[1] + 4);
    run(w_ldr, SPSR_EL1H, &data[1]);
    check_eq("bas dword n", dbg_n, 2);
    check_eq("bas dword far", dbg_log[0].far, (uint64_t)&data[1]);
    run(w_str, SPSR_EL1H, &data[1]);
    check_eq("bas store n", dbg_n, 1);

    /* Word-aligned DBGWVR: BAS[3:0] select bytes from DBGWVR */
    set_wp((uint64_t)&data[1] + 4, WCR_E | WCR_PAC(3) | WCR_LSC(LSC_LOAD) | WCR_BAS(0x1));
    run(w_ldrb, SPSR_EL1H, (volatile uint8_t *)&data[1] + 4);
    check_eq("wvr4 n", dbg_n, 2);
    check_eq("wvr4 far", dbg_log[0].far, (uint64_t)&data[1] + 4);
    run(w_ldrb, SPSR_EL1H, (volatile uint8_t *)&data[1]);
    check_eq("wvr4 byte0 n", dbg_n, 1);

    /* MASK = 5: the 32-byte block data[0..3] (BAS = 0xff) */
    set_wp((uint64_t)&data[0], WCR_E | WCR_PAC(3) | WCR_LSC(3) | WCR_BAS(0xff) | WCR_MASK(5));
    run(w_ldr0, SPSR_EL1H, &data[3]);
    check_eq("mask in n", dbg_n, 2);
    check_eq("mask in far", dbg_log[0].far, (uint64_t)&data[3]);
    run(w_ldr0, SPSR_EL1H, &data[4]);
    check_eq("mask out n", dbg_n, 1);

    /* MDSCR_EL1.MDE = 0: none */
    WRITE_SYSREG(mdscr_el1, 0);
    ISB();
    run(w_ldr0, SPSR_EL1H, &data[3]);
    check_eq("mde0 n", dbg_n, 1);
    set_wp(0, 0);

    puts_("watchpoint: done\n");
    return 0;
}
