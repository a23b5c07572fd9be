/*
 * GICv3 virtual CPU interface (GICv3 spec chapter 11, 12.3 ICV_, 12.4
 * ICH_): list registers acknowledged and completed through the EL1 ICC_
 * encodings with HCR_EL2.IMO/FMO, HW = 1 deactivation of the physical
 * interrupt, EOIcount, ICH_MISR/EISR/ELRSR and the maintenance interrupt.
 */
#include "gic_test_util.h"

#define LR_PEND (1ull << 62)
#define LR_ACT (1ull << 63)
#define LR_GRP1 (1ull << 60)
#define LR_HW (1ull << 61)
#define LR_EOI (1ull << 41)
#define LR_PRIO(p) ((uint64_t)(p) << 48)

static Machine *setup(void)
{
    Machine *m = mk_machine(2, true);
    gic_ready(m);
    CPUState *c = m->cpu[0];
    c->el = 2;
    msr(c, "ICH_VMCR_EL2", (0xF0u << 24) | 2);   /* VPMR = 0xF0, VENG1 */
    msr(c, "ICH_HCR_EL2", 1);                    /* En */
    c->sr[SR_HCR_EL2] = HCR_IMO_ | HCR_FMO_;
    return m;
}

static void test_vtr(void **s)
{
    (void)s;
    Machine *m = setup();
    CPUState *c = m->cpu[0];
    uint64_t vtr = mrs(c, "ICH_VTR_EL2");
    assert_int_equal(vtr & 0x1F, 3);             /* 4 list registers */
    assert_int_equal((vtr >> 29) & 7, 4);        /* PRIbits: 5 */
    assert_int_equal((vtr >> 26) & 7, 4);        /* PREbits: 5 */
    assert_int_equal(mrs(c, "ICH_ELRSR_EL2"), 0xF);   /* all LRs empty */
    /* RES0 fields: [59:56], [47:42], priority [50:48]; pINTID with HW = 0 */
    msr(c, "ICH_LR3_EL2", ~0ull & ~LR_HW);
    assert_int_equal(mrs(c, "ICH_LR3_EL2"), 0xD0F8020000000000ull | 0xFFFFFFFFull);
    msr(c, "ICH_LR3_EL2", 0);
    a83_machine_destroy(m);
}

/* ICV_IAR1/EOIR1 on a list register (GICv3 spec 12.3.x): pending ->
 * active -> invalid, the virtual running priority, vIRQ signalling. */
static void test_icv_ack_eoi(void **s)
{
    (void)s;
    Machine *m = setup();
    CPUState *c = m->cpu[0];
    msr(c, "ICH_LR0_EL2", LR_PEND | LR_GRP1 | LR_PRIO(0x80) | 100);
    assert_int_equal(c->irq_lines, IRQ_LINE_VIRQ);
    assert_int_equal(mrs(c, "ICH_ELRSR_EL2"), 0xE);
    c->el = 1;
    assert_int_equal(mrs(c, "ICC_HPPIR1_EL1"), 100);   /* ICV_HPPIR1 */
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 100);     /* ICV_IAR1 */
    assert_int_equal(c->irq_lines, 0);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0x80);     /* ICV_RPR */
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_LR0_EL2"), LR_ACT | LR_GRP1 | LR_PRIO(0x80) | 100);
    assert_int_equal(mrs(c, "ICH_AP1R0_EL2"), 1u << 16);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);     /* the physical one at EL2 */
    c->el = 1;
    msr(c, "ICC_EOIR1_EL1", 100);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_LR0_EL2") >> 62, 0);  /* invalid */
    assert_int_equal(mrs(c, "ICH_AP1R0_EL2"), 0);
    assert_int_equal(mrs(c, "ICH_ELRSR_EL2"), 0xF);
    assert_int_equal(mrs(c, "ICH_HCR_EL2") >> 27, 0);  /* matched: no EOIcount */
    /* the virtual PMR (ICH_VMCR_EL2.VPMR) masks */
    msr(c, "ICH_LR1_EL2", LR_PEND | LR_GRP1 | LR_PRIO(0xF0) | 101);
    assert_int_equal(c->irq_lines, 0);
    c->el = 1;
    msr(c, "ICC_PMR_EL1", 0xF8);                       /* ICV_PMR -> VMCR.VPMR */
    assert_int_equal(c->irq_lines, IRQ_LINE_VIRQ);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_VMCR_EL2") >> 24, 0xF8);
    /* physical ICC_PMR untouched */
    assert_int_equal(mrs(c, "ICC_PMR_EL1"), 0xF0);
    /* a Group 0 LR signals vFIQ */
    msr(c, "ICH_LR1_EL2", 0);
    msr(c, "ICH_VMCR_EL2", (0xF0u << 24) | 3);
    msr(c, "ICH_LR2_EL2", LR_PEND | LR_PRIO(0x20) | 102);
    assert_int_equal(c->irq_lines, IRQ_LINE_VFIQ);
    c->el = 1;
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 1023);
    assert_int_equal(mrs(c, "ICC_IAR0_EL1"), 102);
    a83_machine_destroy(m);
}

/* HW = 1: deactivating the virtual interrupt deactivates pINTID. */
static void test_hw_lr(void **s)
{
    (void)s;
    Machine *m = setup();
    CPUState *c = m->cpu[0];
    spi_setup(m, 45, 1, 0x80, 0);
    wr32(m, GICD + 0x204, 1u << 13);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 45);       /* physical, at EL2 */
    msr(c, "ICC_CTLR_EL1", 2);                          /* EOImode 1: drop only */
    msr(c, "ICC_EOIR1_EL1", 45);
    assert_int_equal(rd32(m, GICD + 0x304), 1u << 13);  /* still active */
    msr(c, "ICH_LR0_EL2", LR_PEND | LR_HW | (45ull << 32) | LR_GRP1 | LR_PRIO(0x80) | 45);
    assert_int_equal(mrs(c, "ICH_LR0_EL2") >> 32 & 0x3FF, 45);
    c->el = 1;
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 45);
    msr(c, "ICC_EOIR1_EL1", 45);
    assert_int_equal(rd32(m, GICD + 0x304), 0);         /* physical deactivated */
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_ELRSR_EL2"), 0xF);     /* HW LR free: no maintenance */
    assert_int_equal(mrs(c, "ICH_EISR_EL2"), 0);
    a83_machine_destroy(m);
}

static bool maint_pending(Machine *m, unsigned cpu)
{
    return rd32(m, GICR(cpu) + SGI_BASE + 0x200) & (1u << 25);
}

/* ICH_MISR_EL2 conditions and the maintenance PPI (INTID 25). */
static void test_maintenance(void **s)
{
    (void)s;
    Machine *m = setup();
    CPUState *c = m->cpu[0];
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 0);
    assert_false(maint_pending(m, 0));
    /* Underflow: UIE with at most one valid LR */
    msr(c, "ICH_LR0_EL2", LR_PEND | LR_GRP1 | LR_PRIO(0x80) | 32);
    msr(c, "ICH_LR1_EL2", LR_PEND | LR_GRP1 | LR_PRIO(0x80) | 33);
    msr(c, "ICH_HCR_EL2", 1 | 2);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 0);
    msr(c, "ICH_LR1_EL2", 0);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 2);        /* U */
    assert_true(maint_pending(m, 0));
    assert_false(maint_pending(m, 1));
    msr(c, "ICH_HCR_EL2", 0 | 2);                       /* En = 0: no maintenance */
    assert_false(maint_pending(m, 0));
    /* EOI maintenance: HW = 0, EOI = 1 LR completed -> EISR, MISR.EOI */
    msr(c, "ICH_HCR_EL2", 1);
    msr(c, "ICH_LR0_EL2", LR_PEND | LR_EOI | LR_GRP1 | LR_PRIO(0x80) | 32);
    c->el = 1;
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 32);
    msr(c, "ICC_EOIR1_EL1", 32);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_EISR_EL2"), 1);
    assert_int_equal(mrs(c, "ICH_ELRSR_EL2"), 0xE);     /* not free until handled */
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 1);        /* EOI */
    assert_true(maint_pending(m, 0));
    msr(c, "ICH_LR0_EL2", 0);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 0);
    assert_false(maint_pending(m, 0));
    /* EOIcount: an EOI with no matching LR; LRENPIE raises LRENP */
    msr(c, "ICH_HCR_EL2", 1 | 4);
    c->el = 1;
    msr(c, "ICC_EOIR1_EL1", 77);
    msr(c, "ICC_EOIR1_EL1", 78);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_HCR_EL2") >> 27, 2);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 4);        /* LRENP */
    assert_true(maint_pending(m, 0));
    /* NP: no pending LR; VGrp1E: Group 1 enabled */
    msr(c, "ICH_HCR_EL2", 1 | 8 | 0x40);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 8 | 0x40);
    msr(c, "ICH_LR3_EL2", LR_PEND | LR_GRP1 | LR_PRIO(0x80) | 40);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 0x40);
    /* VGrp0D: Group 0 disabled */
    msr(c, "ICH_HCR_EL2", 1 | 0x20);
    assert_int_equal(mrs(c, "ICH_MISR_EL2"), 0x20);
    /* the maintenance PPI is delivered like any PPI */
    wr32(m, GICR(0) + SGI_BASE + 0x80, 1u << 25);
    wr32(m, GICR(0) + SGI_BASE + 0x100, 1u << 25);
    assert_int_equal(c->irq_lines & IRQ_LINE_IRQ, IRQ_LINE_IRQ);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 25);
    a83_machine_destroy(m);
}

/* EOImode split for the virtual interface: ICH_VMCR_EL2.VEOIM and ICV_DIR */
static void test_veoim_dir(void **s)
{
    (void)s;
    Machine *m = setup();
    CPUState *c = m->cpu[0];
    msr(c, "ICH_LR0_EL2", LR_PEND | LR_GRP1 | LR_PRIO(0x80) | 50);
    c->el = 1;
    msr(c, "ICC_CTLR_EL1", 2);                          /* ICV_CTLR.EOImode */
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_VMCR_EL2") & (1u << 9), 1u << 9);
    c->el = 1;
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 50);
    msr(c, "ICC_EOIR1_EL1", 50);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_LR0_EL2") >> 62, 2);   /* still active */
    c->el = 1;
    msr(c, "ICC_DIR_EL1", 50);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_LR0_EL2") >> 62, 0);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vtr),        cmocka_unit_test(test_icv_ack_eoi),
        cmocka_unit_test(test_hw_lr),      cmocka_unit_test(test_maintenance),
        cmocka_unit_test(test_veoim_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
