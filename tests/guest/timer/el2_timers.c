/*
 * Every timer fires at EL2 with its PPI (DESIGN.md section 4): the EL2
 * physical timer CNTHP (26); the EL1 physical (30) and virtual (27) timers
 * through the CNTP_ and CNTV_ registers with HCR_EL2.E2H = 0; then with E2H = 1 (VHE) the
 * EL0 timer registers reach the EL2 timers, CNTV_* the EL2 virtual timer
 * CNTHV (28), and the _EL02 aliases the EL1 timers (Arm ARM D11.2,
 * D13.8). Physical IRQs are taken at EL2 with HCR_EL2.IMO = 1.
 */
#include "../gic/gic_guest.h"

volatile uint32_t fired;
volatile uint64_t fired_id;

void on_irq(unsigned cpu, unsigned id)
{
    (void)cpu;
    fired_id = id;
    /* lower the timer's level before EOI: every timer of this test */
    WSR(CNTHP_CTL_EL2, 0);
    if (RSR(HCR_EL2) & HCR_E2H) {
        WSR(CNTHV_CTL_EL2, 0);
        WSR(CNTP_CTL_EL02, 0);
        WSR(CNTV_CTL_EL02, 0);
    } else {
        WSR(CNTP_CTL_EL0, 0);
        WSR(CNTV_CTL_EL0, 0);
    }
    ISB();
    fired = 1;
}

#define FIRE(name, tval, ctl)                   \
    do {                                        \
        fired = 0;                              \
        WSR(tval, 500);                \
        WSR(ctl, 1);                   \
        ISB();                                  \
        wait_flag(&fired);                      \
        putreg(name, fired_id);                 \
    } while (0)

int main(void)
{
    vectors_install();
    gic_dist_init();
    gic_cpu_init(0);
    gic_enable_private(0, 26);
    gic_enable_private(0, 27);
    gic_enable_private(0, 28);
    gic_enable_private(0, 30);
    putreg("EL", current_el());
    FIRE("CNTHP (EL2 physical) INTID", CNTHP_TVAL_EL2, CNTHP_CTL_EL2);
    FIRE("CNTP (EL1 physical) INTID", CNTP_TVAL_EL0, CNTP_CTL_EL0);
    FIRE("CNTV (EL1 virtual) INTID", CNTV_TVAL_EL0, CNTV_CTL_EL0);
    WSR(HCR_EL2, RSR(HCR_EL2) | HCR_E2H);
    ISB();
    FIRE("E2H=1 CNTP_EL0 -> CNTHP INTID", CNTP_TVAL_EL0, CNTP_CTL_EL0);
    FIRE("E2H=1 CNTV_EL0 -> CNTHV INTID", CNTV_TVAL_EL0, CNTV_CTL_EL0);
    FIRE("E2H=1 CNTHV INTID", CNTHV_TVAL_EL2, CNTHV_CTL_EL2);
    FIRE("E2H=1 CNTP_EL02 INTID", CNTP_TVAL_EL02, CNTP_CTL_EL02);
    FIRE("E2H=1 CNTV_EL02 INTID", CNTV_TVAL_EL02, CNTV_CTL_EL02);
    return 0;
}
