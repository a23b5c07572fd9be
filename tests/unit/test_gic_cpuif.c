/*
 * GICv3 CPU interface (ICC_ system registers, GICv3 spec 4.8 and 12.2):
 * priority mask, running priority, preemption by group priority with the
 * binary point, EOImode 0/1 with ICC_DIR, SGIs, and the ICH_HCR_EL2 /
 * ICC_SRE_EL2 trap controls.
 */
#include "gic_test_util.h"

/* GICv3 spec 4.8.5: preemption compares group priorities, split by BPR1. */
static void test_preemption_bpr(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    assert_int_equal(mrs(c, "ICC_BPR1_EL1"), 3);   /* minimum with 5 priority bits */
    msr(c, "ICC_BPR1_EL1", 0);
    assert_int_equal(mrs(c, "ICC_BPR1_EL1"), 3);   /* clamped to the minimum */
    assert_int_equal(mrs(c, "ICC_BPR0_EL1"), 2);
    assert_int_equal((mrs(c, "ICC_CTLR_EL1") >> 8) & 7, 4);   /* PRIbits: 5 bits */
    spi_setup(m, 40, 1, 0x48, 0);
    spi_setup(m, 41, 1, 0x40, 0);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);            /* idle */
    /* BPR1 = 6: group priority bits [7:6]. 0x48 is acknowledged with group
     * priority 0x40, so a pending 0x40 (group priority 0x40) cannot preempt. */
    msr(c, "ICC_BPR1_EL1", 6);
    wr32(m, GICD + 0x204, 1u << 8);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 40);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0x40);
    assert_int_equal(mrs(c, "ICC_AP1R0_EL1"), 1u << 8);
    wr32(m, GICD + 0x204, 1u << 9);
    assert_int_equal(c->irq_lines, 0);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 1023);
    assert_int_equal(mrs(c, "ICC_HPPIR1_EL1"), 41);           /* still the HPPI */
    msr(c, "ICC_EOIR1_EL1", 40);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 41);
    msr(c, "ICC_EOIR1_EL1", 41);
    /* BPR1 = 3: group priority bits [7:3]; 0x40 preempts an active 0x48 */
    msr(c, "ICC_BPR1_EL1", 3);
    wr32(m, GICD + 0x204, 1u << 8);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 40);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0x48);
    assert_int_equal(mrs(c, "ICC_AP1R0_EL1"), 1u << 9);       /* 0x48 >> 3 */
    wr32(m, GICD + 0x204, 1u << 9);
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 41);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0x40);
    assert_int_equal(mrs(c, "ICC_AP1R0_EL1"), (1u << 9) | (1u << 8));
    msr(c, "ICC_EOIR1_EL1", 41);                             /* drops 0x40 */
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0x48);
    msr(c, "ICC_EOIR1_EL1", 40);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);
    /* the priority mask: priority must be strictly below PMR */
    msr(c, "ICC_PMR_EL1", 0x40);
    wr32(m, GICD + 0x204, 1u << 9);
    assert_int_equal(c->irq_lines, 0);
    msr(c, "ICC_PMR_EL1", 0x48);
    assert_int_equal(mrs(c, "ICC_PMR_EL1"), 0x48);
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
    msr(c, "ICC_PMR_EL1", 0xFF);
    assert_int_equal(mrs(c, "ICC_PMR_EL1"), 0xF8);          /* 5 implemented bits */
    /* CBPR: Group 1 uses BPR0's split; BPR1 reads BPR0 + 1 */
    msr(c, "ICC_BPR0_EL1", 5);
    msr(c, "ICC_CTLR_EL1", 1);
    assert_int_equal(mrs(c, "ICC_BPR1_EL1"), 6);
    a83_machine_destroy(m);
}

/* ICC_CTLR_EL1.EOImode = 1: EOIR only drops priority, ICC_DIR deactivates. */
static void test_eoimode_dir(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    spi_setup(m, 60, 1, 0x80, 0);
    msr(c, "ICC_CTLR_EL1", 2);
    assert_int_equal(mrs(c, "ICC_CTLR_EL1") & 3, 2);
    wr32(m, GICD + 0x204 + 0, 0);
    wr32(m, GICD + 0x200 + 4, 1u << 28);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 60);
    msr(c, "ICC_EOIR1_EL1", 60);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);            /* priority dropped */
    assert_int_equal(rd32(m, GICD + 0x304), 1u << 28);       /* still active */
    wr32(m, GICD + 0x204, 1u << 28);
    assert_int_equal(c->irq_lines, 0);                       /* active+pending: held */
    msr(c, "ICC_DIR_EL1", 60);
    assert_int_equal(rd32(m, GICD + 0x304), 0);
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
    /* EOImode 0: EOIR deactivates too */
    msr(c, "ICC_CTLR_EL1", 0);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 60);
    msr(c, "ICC_EOIR1_EL1", 60);
    assert_int_equal(rd32(m, GICD + 0x304), 0);
    a83_machine_destroy(m);
}

static void sgi_enable_all(Machine *m, unsigned id, unsigned grp)
{
    for (unsigned i = 0; i < m->ncpus; i++) {
        wr32(m, GICR(i) + SGI_BASE + 0x80, grp ? 1u << id : 0);
        wr32(m, GICR(i) + SGI_BASE + 0x100, 1u << id);
    }
}

static uint32_t sgi_pending_mask(Machine *m, unsigned id)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < m->ncpus; i++)
        if (rd32(m, GICR(i) + SGI_BASE + 0x200) & (1u << id))
            v |= 1u << i;
    return v;
}

/* ICC_SGI1R_EL1 (GICv3 spec 12.2.23): target list, IRM broadcast, groups. */
static void test_sgis(void **s)
{
    (void)s;
    Machine *m = mk_machine(4, false);
    gic_ready(m);
    sgi_enable_all(m, 3, 1);
    /* INTID 3 to CPUs 1 and 2 (Aff3.Aff2.Aff1 = 0, TargetList 0b0110) */
    msr(m->cpu[0], "ICC_SGI1R_EL1", (3ull << 24) | 0x6);
    assert_int_equal(sgi_pending_mask(m, 3), 0x6);
    assert_int_equal(m->cpu[1]->irq_lines, IRQ_LINE_IRQ);
    assert_int_equal(mrs(m->cpu[2], "ICC_IAR1_EL1"), 3);
    msr(m->cpu[2], "ICC_EOIR1_EL1", 3);
    assert_int_equal(mrs(m->cpu[1], "ICC_IAR1_EL1"), 3);
    msr(m->cpu[1], "ICC_EOIR1_EL1", 3);
    assert_int_equal(sgi_pending_mask(m, 3), 0);
    /* unicast to CPU 3 */
    msr(m->cpu[0], "ICC_SGI1R_EL1", (3ull << 24) | 0x8);
    assert_int_equal(sgi_pending_mask(m, 3), 0x8);
    wr32(m, GICR(3) + SGI_BASE + 0x280, 1u << 3);
    /* a different Aff1 matches nobody */
    msr(m->cpu[0], "ICC_SGI1R_EL1", (3ull << 24) | (1ull << 16) | 0xF);
    assert_int_equal(sgi_pending_mask(m, 3), 0);
    /* IRM = 1: every PE but the sender */
    msr(m->cpu[1], "ICC_SGI1R_EL1", (3ull << 24) | (1ull << 40));
    assert_int_equal(sgi_pending_mask(m, 3), 0xD);
    for (unsigned i = 0; i < 4; i++)
        wr32(m, GICR(i) + SGI_BASE + 0x280, 1u << 3);
    /* SGI0R only reaches an SGI configured as Group 0 */
    msr(m->cpu[0], "ICC_SGI0R_EL1", (3ull << 24) | 0x2);
    assert_int_equal(sgi_pending_mask(m, 3), 0);
    sgi_enable_all(m, 7, 0);
    msr(m->cpu[0], "ICC_SGI0R_EL1", (7ull << 24) | 0x2);
    assert_int_equal(sgi_pending_mask(m, 7), 0x2);
    assert_int_equal(m->cpu[1]->irq_lines, IRQ_LINE_FIQ);
    assert_int_equal(mrs(m->cpu[1], "ICC_IAR0_EL1"), 7);
    a83_machine_destroy(m);
}

/* ICH_HCR_EL2 trap bits and ICC_SRE_EL2.Enable (GICv3 spec 12.4.6, 12.2.17) */
static void test_traps(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, true);
    CPUState *c = m->cpu[0];
    unsigned tel;
    assert_int_equal(mrs(c, "ICC_SRE_EL1"), 7);               /* SRE fixed to 1 */
    c->el = 0;
    assert_int_equal(acc(c, "ICC_IAR1_EL1", true, NULL), SRA_UNDEF);
    assert_int_equal(acc(c, "ICH_HCR_EL2", true, NULL), SRA_UNDEF);
    c->el = 2;
    msr(c, "ICH_HCR_EL2", 1u << 12);                         /* TALL1 */
    c->el = 1;
    assert_int_equal(acc(c, "ICC_IAR1_EL1", true, &tel), SRA_TRAP);
    assert_int_equal(tel, 2);
    assert_int_equal(acc(c, "ICC_IAR0_EL1", true, NULL), SRA_OK);
    assert_int_equal(acc(c, "ICC_PMR_EL1", true, NULL), SRA_OK);
    c->el = 2;
    assert_int_equal(acc(c, "ICC_IAR1_EL1", true, NULL), SRA_OK);   /* EL2 never traps */
    msr(c, "ICH_HCR_EL2", (1u << 10) | (1u << 11));          /* TC, TALL0 */
    c->el = 1;
    assert_int_equal(acc(c, "ICC_PMR_EL1", false, &tel), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_CTLR_EL1", true, NULL), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_DIR_EL1", false, NULL), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_SGI1R_EL1", false, NULL), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_EOIR0_EL1", false, NULL), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_EOIR1_EL1", false, NULL), SRA_OK);
    c->el = 2;
    msr(c, "ICH_HCR_EL2", 1u << 14);                         /* TDIR */
    c->el = 1;
    assert_int_equal(acc(c, "ICC_DIR_EL1", false, NULL), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_PMR_EL1", false, NULL), SRA_OK);
    /* SGI generation at EL1 traps with HCR_EL2.IMO */
    c->sr[SR_HCR_EL2] = HCR_IMO_;
    assert_int_equal(acc(c, "ICC_SGI1R_EL1", false, &tel), SRA_TRAP);
    assert_int_equal(acc(c, "ICC_SGI0R_EL1", false, NULL), SRA_OK);
    c->sr[SR_HCR_EL2] = 0;
    /* ICC_SRE_EL2.Enable = 0 traps EL1 accesses to ICC_SRE_EL1 */
    c->el = 2;
    assert_int_equal(mrs(c, "ICC_SRE_EL2"), 0xF);
    msr(c, "ICC_SRE_EL2", 0);
    assert_int_equal(mrs(c, "ICC_SRE_EL2"), 0x7);
    c->el = 1;
    assert_int_equal(acc(c, "ICC_SRE_EL1", true, &tel), SRA_TRAP);
    assert_int_equal(tel, 2);
    a83_machine_destroy(m);
}

/* Eight CPUs (the board's maximum): a target list with bits 0-7 and IRM. */
static void test_sgis_8cpus(void **s)
{
    (void)s;
    Machine *m = mk_machine(8, false);
    gic_ready(m);
    sgi_enable_all(m, 14, 1);
    msr(m->cpu[5], "ICC_SGI1R_EL1", (14ull << 24) | 0xA5);    /* CPUs 0, 2, 5, 7 */
    assert_int_equal(sgi_pending_mask(m, 14), 0xA5);
    for (unsigned i = 0; i < 8; i++)
        wr32(m, GICR(i) + SGI_BASE + 0x280, 1u << 14);
    msr(m->cpu[7], "ICC_SGI1R_EL1", (14ull << 24) | (1ull << 40));
    assert_int_equal(sgi_pending_mask(m, 14), 0x7F);
    /* RS = 1 names Aff0 16..31: no such CPU */
    for (unsigned i = 0; i < 8; i++)
        wr32(m, GICR(i) + SGI_BASE + 0x280, 1u << 14);
    msr(m->cpu[0], "ICC_SGI1R_EL1", (14ull << 24) | (1ull << 44) | 0xFF);
    assert_int_equal(sgi_pending_mask(m, 14), 0);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_preemption_bpr), cmocka_unit_test(test_eoimode_dir),
        cmocka_unit_test(test_sgis),           cmocka_unit_test(test_traps),
        cmocka_unit_test(test_sgis_8cpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
