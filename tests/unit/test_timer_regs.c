/*
 * Generic timer registers (Arm ARM D11, D13.8): the counter derived from
 * simulated cycles, CVAL/TVAL/ISTATUS, CNTVOFF_EL2, the timer PPIs, the
 * CNTKCTL_EL1/CNTHCTL_EL2 access controls (both E2H layouts) and the VHE
 * redirection of the EL0 timer registers.
 */
#include "gic_test_util.h"

/* default configuration: 1 GHz CPU, 62.5 MHz counter = 16 cycles a tick */

static void test_counter_from_cycles(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    assert_int_equal(mrs(c, "CNTFRQ_EL0"), 62500000);
    c->cycles = 1600;
    assert_int_equal(mrs(c, "CNTPCT_EL0"), 100);
    c->cycles = 1615;
    assert_int_equal(mrs(c, "CNTPCT_EL0"), 100);        /* floor */
    c->cycles = 1ull << 62;                              /* needs 128-bit product */
    assert_int_equal(mrs(c, "CNTPCT_EL0"), 1ull << 58);
    assert_int_equal(mrs(c, "CNTVCT_EL0"), 1ull << 58);  /* no EL2: offset 0 */
    a83_machine_destroy(m);

    a83_config cfg;
    a83_config_default(&cfg);
    cfg.cpu_hz = 3;
    cfg.cntfrq_hz = 2;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    c = m->cpu[0];
    c->el = 1;
    c->cycles = 5;
    assert_int_equal(mrs(c, "CNTPCT_EL0"), 3);          /* floor(5 * 2 / 3) */
    c->cycles = UINT64_MAX;
    assert_int_equal(mrs(c, "CNTPCT_EL0"), (uint64_t)(((unsigned __int128)UINT64_MAX * 2) / 3));
    a83_machine_destroy(m);
}

static void test_cval_tval_istatus(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    c->cycles = 1600;                                    /* count 100 */
    msr(c, "CNTP_CVAL_EL0", 200);
    msr(c, "CNTP_CTL_EL0", 1);
    assert_int_equal(mrs(c, "CNTP_CTL_EL0"), 1);         /* ISTATUS 0 */
    assert_int_equal(mrs(c, "CNTP_TVAL_EL0"), 100);
    c->cycles = 3200;                                    /* count 200 */
    assert_int_equal(mrs(c, "CNTP_CTL_EL0"), 5);         /* ISTATUS 1 */
    assert_int_equal(mrs(c, "CNTP_TVAL_EL0"), 0);
    c->cycles = 4000;                                    /* count 250 */
    assert_int_equal(mrs(c, "CNTP_TVAL_EL0"), 0xFFFFFFCEu);   /* -50 as 32 bits */
    /* TVAL writes are sign-extended: CVAL = count + (int32)v */
    msr(c, "CNTP_TVAL_EL0", 0xFFFFFFF6u);
    assert_int_equal(mrs(c, "CNTP_CVAL_EL0"), 240);
    msr(c, "CNTP_TVAL_EL0", 1000);
    assert_int_equal(mrs(c, "CNTP_CVAL_EL0"), 1250);
    assert_int_equal(mrs(c, "CNTP_CTL_EL0"), 1);
    /* disabled: ISTATUS reads 0; IMASK is kept */
    msr(c, "CNTP_CTL_EL0", 2);
    assert_int_equal(mrs(c, "CNTP_CTL_EL0"), 2);
    /* the virtual timer counts the same without EL2 */
    msr(c, "CNTV_CVAL_EL0", 250);
    msr(c, "CNTV_CTL_EL0", 1);
    assert_int_equal(mrs(c, "CNTV_CTL_EL0"), 5);
    a83_machine_destroy(m);
}

static void test_cntvoff(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, true);
    CPUState *c = m->cpu[0];
    c->el = 2;
    msr(c, "CNTVOFF_EL2", 50);
    c->el = 1;
    c->cycles = 1600;                                    /* physical 100 */
    assert_int_equal(mrs(c, "CNTVCT_EL0"), 50);
    msr(c, "CNTV_CVAL_EL0", 60);
    msr(c, "CNTV_CTL_EL0", 1);
    assert_int_equal(mrs(c, "CNTV_TVAL_EL0"), 10);
    assert_int_equal(mrs(c, "CNTV_CTL_EL0"), 1);
    /* fires at physical count 110 = cycle 1760 */
    assert_int_equal(timer_next_deadline(m), 1760);
    c->cycles = 1760;
    assert_int_equal(mrs(c, "CNTV_CTL_EL0"), 5);
    a83_machine_destroy(m);
}

static bool ppi_pending(Machine *m, unsigned cpu, unsigned id)
{
    return rd32(m, GICR(cpu) + SGI_BASE + 0x200) & (1u << id);
}

/* Each timer drives its PPI (EL1 phys 30, EL1 virt 27, EL2 phys 26, EL2
 * virt 28) when ISTATUS = 1 and IMASK = 0, at the right cycle. */
static void test_timer_ppis(void **s)
{
    (void)s;
    static const struct { const char *ctl, *cval; unsigned ppi; } t[] = {
        { "CNTP_CTL_EL0", "CNTP_CVAL_EL0", 30 },
        { "CNTV_CTL_EL0", "CNTV_CVAL_EL0", 27 },
        { "CNTHP_CTL_EL2", "CNTHP_CVAL_EL2", 26 },
        { "CNTHV_CTL_EL2", "CNTHV_CVAL_EL2", 28 },
    };
    for (unsigned k = 0; k < 4; k++) {
        Machine *m = mk_machine(2, true);
        gic_ready(m);
        CPUState *c = m->cpu[1];
        c->el = 2;
        wr32(m, GICR(1) + SGI_BASE + 0x80, 1u << t[k].ppi);
        wr32(m, GICR(1) + SGI_BASE + 0x100, 1u << t[k].ppi);
        msr(c, t[k].cval, 1000);                         /* cycle 16000 */
        msr(c, t[k].ctl, 1);
        assert_int_equal(timer_next_deadline(m), 16000);
        c->cycles = 15999;
        timer_advance(m);
        assert_false(ppi_pending(m, 1, t[k].ppi));
        assert_int_equal(c->irq_lines, 0);
        c->cycles = 16000;
        timer_advance(m);
        assert_true(ppi_pending(m, 1, t[k].ppi));
        assert_false(ppi_pending(m, 0, t[k].ppi));
        assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
        assert_int_equal(timer_next_deadline(m), UINT64_MAX);   /* already firing */
        msr(c, t[k].ctl, 3);                             /* IMASK drops the line */
        assert_false(ppi_pending(m, 1, t[k].ppi));
        msr(c, t[k].ctl, 1);
        assert_int_equal(mrs(c, "ICC_IAR1_EL1"), t[k].ppi);
        a83_machine_destroy(m);
    }
}

static void expect_trap(CPUState *c, const char *name, bool rd, unsigned el)
{
    unsigned tel = 99;
    SysRegAccess a = acc(c, name, rd, &tel);
    if (a != SRA_TRAP || tel != el)
        fail_msg("%s at EL%u: access %d target %u, want trap to EL%u", name, c->el, a, tel, el);
}

static void expect_ok(CPUState *c, const char *name, bool rd)
{
    SysRegAccess a = acc(c, name, rd, NULL);
    if (a != SRA_OK)
        fail_msg("%s at EL%u: access %d, want OK", name, c->el, a);
}

/* CNTKCTL_EL1 (EL0) and CNTHCTL_EL2 (EL1/EL0) access controls. */
static void test_access_traps(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, true);
    CPUState *c = m->cpu[0];
    /* EL0 with CNTKCTL_EL1 = 0: counter and timers trap to EL1 */
    c->el = 0;
    expect_trap(c, "CNTPCT_EL0", true, 1);
    expect_trap(c, "CNTVCT_EL0", true, 1);
    expect_trap(c, "CNTFRQ_EL0", true, 1);
    expect_trap(c, "CNTP_CTL_EL0", true, 1);
    expect_trap(c, "CNTV_CVAL_EL0", false, 1);
    assert_int_equal(acc(c, "CNTKCTL_EL1", true, NULL), SRA_UNDEF);
    assert_int_equal(acc(c, "CNTHCTL_EL2", true, NULL), SRA_UNDEF);
    c->el = 1;
    msr(c, "CNTKCTL_EL1", (1u << 0) | (1u << 1) | (1u << 8) | (1u << 9));
    c->el = 0;
    expect_ok(c, "CNTVCT_EL0", true);
    expect_ok(c, "CNTV_CTL_EL0", true);
    expect_ok(c, "CNTFRQ_EL0", true);
    assert_int_equal(acc(c, "CNTFRQ_EL0", false, NULL), SRA_UNDEF);
    /* with TGE = 1 (E2H = 0) EL0 traps go to EL2 */
    c->el = 1;
    msr(c, "CNTKCTL_EL1", 0);
    c->sr[SR_HCR_EL2] = HCR_TGE_;
    c->el = 0;
    expect_trap(c, "CNTVCT_EL0", true, 2);
    c->sr[SR_HCR_EL2] = 0;
    /* CNTHCTL_EL2, E2H = 0: EL1PCTEN (bit 0) and EL1PCEN (bit 1) */
    c->el = 2;
    assert_int_equal(mrs(c, "CNTHCTL_EL2"), 3);          /* reset: EL1 untrapped */
    msr(c, "CNTHCTL_EL2", 0);
    c->el = 1;
    expect_trap(c, "CNTPCT_EL0", true, 2);
    expect_trap(c, "CNTP_CTL_EL0", false, 2);
    expect_trap(c, "CNTP_TVAL_EL0", true, 2);
    expect_ok(c, "CNTVCT_EL0", true);
    expect_ok(c, "CNTV_CTL_EL0", true);
    assert_int_equal(acc(c, "CNTFRQ_EL0", false, NULL), SRA_UNDEF);   /* EL2 is highest */
    /* E2H = 1: the bits move to EL1PCTEN (10) and EL1PTEN (11) */
    c->sr[SR_HCR_EL2] = HCR_E2H_;
    c->el = 2;
    msr(c, "CNTHCTL_EL2", 3);
    c->el = 1;
    expect_trap(c, "CNTPCT_EL0", true, 2);
    expect_trap(c, "CNTP_CVAL_EL0", true, 2);
    c->el = 2;
    msr(c, "CNTHCTL_EL2", (1u << 10) | (1u << 11));
    c->el = 1;
    expect_ok(c, "CNTPCT_EL0", true);
    expect_ok(c, "CNTP_CVAL_EL0", true);
    /* E2H = TGE = 1 at EL0: CNTHCTL_EL2 EL0 bits, traps to EL2 */
    c->sr[SR_HCR_EL2] = HCR_E2H_ | HCR_TGE_;
    c->el = 0;
    expect_trap(c, "CNTPCT_EL0", true, 2);
    expect_trap(c, "CNTP_CTL_EL0", true, 2);
    c->el = 2;
    msr(c, "CNTHCTL_EL2", 1u | (1u << 9));               /* EL0PCTEN, EL0PTEN */
    c->el = 0;
    expect_ok(c, "CNTPCT_EL0", true);
    expect_ok(c, "CNTP_CTL_EL0", true);
    expect_trap(c, "CNTV_CTL_EL0", true, 2);
    a83_machine_destroy(m);
}

/* VHE: at EL2 with E2H = 1 the EL0 timer registers reach the EL2 timers,
 * the _EL02 aliases reach the EL1 ones, CNTKCTL_EL1 reaches CNTHCTL_EL2. */
static void test_vhe_redirect(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, true);
    CPUState *c = m->cpu[0];
    c->el = 2;
    assert_int_equal(acc(c, "CNTP_CTL_EL02", true, NULL), SRA_UNDEF);   /* E2H = 0 */
    msr(c, "CNTP_CVAL_EL0", 11);                          /* E2H = 0: EL1 timer */
    c->sr[SR_HCR_EL2] = HCR_E2H_;
    msr(c, "CNTP_CVAL_EL0", 22);                          /* CNTHP_CVAL_EL2 */
    msr(c, "CNTV_CVAL_EL0", 33);                          /* CNTHV_CVAL_EL2 */
    assert_int_equal(mrs(c, "CNTHP_CVAL_EL2"), 22);
    assert_int_equal(mrs(c, "CNTHV_CVAL_EL2"), 33);
    assert_int_equal(mrs(c, "CNTP_CVAL_EL02"), 11);
    msr(c, "CNTV_CVAL_EL02", 44);
    c->sr[SR_HCR_EL2] = 0;
    assert_int_equal(mrs(c, "CNTV_CVAL_EL0"), 44);
    assert_int_equal(mrs(c, "CNTP_CVAL_EL0"), 11);
    c->sr[SR_HCR_EL2] = HCR_E2H_;
    msr(c, "CNTKCTL_EL1", 0x5);
    assert_int_equal(mrs(c, "CNTHCTL_EL2"), 0x5);
    msr(c, "CNTKCTL_EL12", 0x3);
    c->el = 1;
    c->sr[SR_HCR_EL2] = 0;
    assert_int_equal(mrs(c, "CNTKCTL_EL1"), 0x3);
    a83_machine_destroy(m);
}

/* CNTFRQ_EL0 is writable only at the highest implemented EL (EL2 here);
 * the event stream of CNTKCTL_EL1 counts the virtual count, that of
 * CNTHCTL_EL2 the physical count (Arm ARM D11.2.3). */
static void test_frq_and_event_streams(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, true);
    CPUState *c = m->cpu[0];
    c->el = 2;
    msr(c, "CNTFRQ_EL0", 0x123456789ull);
    assert_int_equal(mrs(c, "CNTFRQ_EL0"), 0x23456789);      /* bits [63:32] RES0 */
    c->el = 1;
    assert_int_equal(mrs(c, "CNTFRQ_EL0"), 0x23456789);
    /* virtual count = physical - 3; EVNTI = 2, 0 -> 1: virtual counts 4, 12, ...
     * i.e. physical 7 = cycle 112 */
    c->el = 2;
    msr(c, "CNTVOFF_EL2", 3);
    msr(c, "CNTHCTL_EL2", 3);                                 /* no physical stream */
    c->el = 1;
    msr(c, "CNTKCTL_EL1", (1u << 2) | (2u << 4));
    c->cycles = 16 * 3;                                       /* physical 3, virtual 0 */
    timer_advance(m);                                         /* ev_last = now */
    c->event_reg = false;
    assert_int_equal(timer_next_deadline(m), 112);
    c->cycles = 111;
    timer_advance(m);
    assert_false(c->event_reg);
    c->cycles = 112;
    timer_advance(m);
    assert_true(c->event_reg);
    /* CNTHCTL_EL2 stream on the physical count: EVNTI = 3, 1 -> 0 at 16 */
    msr(c, "CNTKCTL_EL1", 0);
    c->el = 2;
    msr(c, "CNTHCTL_EL2", 3 | (1u << 2) | (1u << 3) | (3u << 4));
    c->event_reg = false;
    assert_int_equal(timer_next_deadline(m), 16 * 16);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counter_from_cycles), cmocka_unit_test(test_cval_tval_istatus),
        cmocka_unit_test(test_cntvoff),             cmocka_unit_test(test_timer_ppis),
        cmocka_unit_test(test_access_traps),        cmocka_unit_test(test_vhe_redirect),
        cmocka_unit_test(test_frq_and_event_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
