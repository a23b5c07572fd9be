/*
 * GICv3 distributor and redistributor: identification, the interrupt
 * state machine (GICv3 spec 4.1), level and edge semantics, affinity
 * routing (4.5) and the GICR_WAKER handshake (12.11.41).
 */
#include "gic_test_util.h"

static void test_id_registers(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, false);
    uint32_t typer = rd32(m, GICD + 0x4);
    assert_int_equal(typer & 0x1F, 8);               /* ITLinesNumber: INTIDs up to 287 */
    assert_int_equal((typer >> 17) & 1, 1);          /* LPIS = 1: LPIs with the ITS */
    assert_int_equal((typer >> 19) & 0x1F, 15);      /* IDbits: 16 bits (LPIs to 65535) */
    assert_int_equal((rd32(m, GICD + 0xFFE8) >> 4) & 0xF, 3);   /* GICD_PIDR2.ArchRev = 3 */
    assert_int_equal((rd32(m, GICR(1) + 0xFFE8) >> 4) & 0xF, 3); /* GICR_PIDR2.ArchRev */
    /* GICD_CTLR: ARE and DS read as one (single Security state, 12.9.4) */
    assert_int_equal(rd32(m, GICD + 0x0), 0x50);
    wr32(m, GICD + 0x0, 3);
    assert_int_equal(rd32(m, GICD + 0x0), 0x53);
    /* GICR_TYPER: affinity in [63:32], processor number, Last on the final
     * frame, PLPIS (bit 0) */
    assert_int_equal(mmio_rd(m, GICR(0) + 0x8, 8), 0x1ull);
    assert_int_equal(mmio_rd(m, GICR(1) + 0x8, 8), (1ull << 32) | (1 << 8) | (1 << 4) | 1);
    /* beyond the last redistributor: no device (external abort) */
    assert_null(machine_find_mmio(m, GICR(2)));
    /* GICD_IROUTER is 64-bit; unaligned accesses abort */
    const MMIORegion *r = machine_find_mmio(m, GICD);
    uint64_t v;
    assert_false(r->read(r->opaque, NULL, 0x102, 4, &v));
    a83_machine_destroy(m);
}

static void test_waker_handshake(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    /* the board firmware's hand-off: awake (docs/gic.md); then asleep by
     * software: ProcessorSleep = 1, ChildrenAsleep = 1 */
    assert_int_equal(rd32(m, GICR(0) + 0x14), 0);
    wr32(m, GICR(0) + 0x14, 2);
    assert_int_equal(rd32(m, GICR(0) + 0x14), 0x6);
    wr32(m, GICD + 0x0, 3);
    msr(c, "ICC_PMR_EL1", 0xF0);
    msr(c, "ICC_IGRPEN1_EL1", 1);
    wr32(m, GICR(0) + SGI_BASE + 0x80, 1u << 5);    /* SGI 5 group 1 */
    wr32(m, GICR(0) + SGI_BASE + 0x100, 1u << 5);
    wr32(m, GICR(0) + SGI_BASE + 0x200, 1u << 5);   /* pending */
    assert_int_equal(c->irq_lines & IRQ_LINE_IRQ, 0);  /* asleep: not forwarded */
    wr32(m, GICR(0) + 0x14, 0);                     /* wake */
    assert_int_equal(rd32(m, GICR(0) + 0x14), 0);   /* ChildrenAsleep cleared */
    assert_int_equal(c->irq_lines & IRQ_LINE_IRQ, IRQ_LINE_IRQ);
    wr32(m, GICR(0) + 0x14, 2);
    assert_int_equal(rd32(m, GICR(0) + 0x14), 0x6);
    a83_machine_destroy(m);
}

/* GICv3 spec 4.1.1: inactive -> pending -> active -> inactive, for an SPI
 * made pending by GICD_ISPENDR. */
static void test_spi_state_machine(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, false);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    spi_setup(m, 40, 1, 0x80, 0);
    assert_int_equal(rd32(m, GICD + 0x104), 1u << 8);   /* ISENABLER1 */
    assert_int_equal(c->irq_lines, 0);
    wr32(m, GICD + 0x204, 1u << 8);                     /* ISPENDR1 */
    assert_int_equal(rd32(m, GICD + 0x204), 1u << 8);
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
    assert_int_equal(m->cpu[1]->irq_lines, 0);
    assert_int_equal(mrs(c, "ICC_HPPIR1_EL1"), 40);
    assert_int_equal(mrs(c, "ICC_HPPIR0_EL1"), 1023);   /* not Group 0 */
    assert_int_equal(mrs(c, "ICC_IAR0_EL1"), 1023);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 40);
    assert_int_equal(rd32(m, GICD + 0x204), 0);         /* no longer pending */
    assert_int_equal(rd32(m, GICD + 0x304), 1u << 8);   /* active */
    assert_int_equal(c->irq_lines, 0);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 1023);     /* nothing else */
    msr(c, "ICC_EOIR1_EL1", 40);
    assert_int_equal(rd32(m, GICD + 0x304), 0);
    /* disabled: pending but not forwarded */
    wr32(m, GICD + 0x184, 1u << 8);                     /* ICENABLER1 */
    wr32(m, GICD + 0x204, 1u << 8);
    assert_int_equal(c->irq_lines, 0);
    wr32(m, GICD + 0x284, 1u << 8);                     /* ICPENDR1 */
    assert_int_equal(rd32(m, GICD + 0x204), 0);
    /* group 0 is signalled as FIQ */
    spi_setup(m, 41, 0, 0x80, 0);
    wr32(m, GICD + 0x204, 1u << 9);
    assert_int_equal(c->irq_lines, IRQ_LINE_FIQ);
    assert_int_equal(mrs(c, "ICC_IAR0_EL1"), 41);
    a83_machine_destroy(m);
}

/* Level-sensitive: pending while the input is high; acknowledged with the
 * input high it is active and pending (GICv3 spec 4.1.1). */
static void test_level_spi(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    spi_setup(m, 33, 1, 0x40, 0);
    gic_set_irq(m, 33, true, 0);
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 33);
    assert_int_equal(rd32(m, GICD + 0x204), 2);   /* still pending (level high) */
    assert_int_equal(rd32(m, GICD + 0x304), 2);   /* and active */
    assert_int_equal(c->irq_lines, 0);            /* active+pending is not forwarded */
    msr(c, "ICC_EOIR1_EL1", 33);
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ); /* pending again */
    /* ICPENDR does not clear a level input that is still high */
    wr32(m, GICD + 0x284, 2);
    assert_int_equal(rd32(m, GICD + 0x204), 2);
    gic_set_irq(m, 33, false, 0);
    assert_int_equal(rd32(m, GICD + 0x204), 0);
    assert_int_equal(c->irq_lines, 0);
    a83_machine_destroy(m);
}

/* Edge-triggered (GICD_ICFGR = 0b10): a rising edge latches pending; the
 * acknowledge clears it even with the input high. */
static void test_edge_spi(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    CPUState *c = m->cpu[0];
    gic_ready(m);
    spi_setup(m, 34, 1, 0x40, 0);
    wr32(m, GICD + 0xC08, 2u << 4);               /* ICFGR2: INTID 34 edge */
    assert_int_equal(rd32(m, GICD + 0xC08), 2u << 4);
    gic_set_irq(m, 34, true, 0);
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 34);
    assert_int_equal(rd32(m, GICD + 0x204), 0);   /* not pending although high */
    msr(c, "ICC_EOIR1_EL1", 34);
    assert_int_equal(c->irq_lines, 0);
    gic_set_irq(m, 34, false, 0);
    assert_int_equal(c->irq_lines, 0);
    gic_set_irq(m, 34, true, 0);                  /* a new edge */
    assert_int_equal(c->irq_lines, IRQ_LINE_IRQ);
    a83_machine_destroy(m);
}

/* GICD_IROUTER (GICv3 spec 4.5): affinity routing and 1-of-N. */
static void test_affinity_routing(void **s)
{
    (void)s;
    Machine *m = mk_machine(4, false);
    gic_ready(m);
    spi_setup(m, 50, 1, 0x40, 2);
    assert_int_equal(mmio_rd(m, GICD + 0x6000 + 8 * 50, 8), 2);
    wr32(m, GICD + 0x204, 1u << 18);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(m->cpu[i]->irq_lines, i == 2 ? IRQ_LINE_IRQ : 0);
    assert_int_equal(mrs(m->cpu[1], "ICC_IAR1_EL1"), 1023);
    /* re-route to CPU 3 while pending */
    mmio_wr(m, GICD + 0x6000 + 8 * 50, 8, 3);
    assert_int_equal(m->cpu[2]->irq_lines, 0);
    assert_int_equal(m->cpu[3]->irq_lines, IRQ_LINE_IRQ);
    /* affinity of no CPU: not forwarded anywhere */
    mmio_wr(m, GICD + 0x6000 + 8 * 50, 8, 0x100);
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(m->cpu[i]->irq_lines, 0);
    /* 1-of-N: the lowest-numbered CPU with the group enabled takes it */
    mmio_wr(m, GICD + 0x6000 + 8 * 50, 8, 1ull << 31);
    assert_int_equal(m->cpu[0]->irq_lines, IRQ_LINE_IRQ);
    msr(m->cpu[0], "ICC_IGRPEN1_EL1", 0);
    assert_int_equal(m->cpu[0]->irq_lines, 0);
    assert_int_equal(m->cpu[1]->irq_lines, IRQ_LINE_IRQ);
    assert_int_equal(mrs(m->cpu[1], "ICC_IAR1_EL1"), 50);
    a83_machine_destroy(m);
}

/* PPIs from gic_set_irq reach only their CPU's redistributor. */
static void test_ppi_per_cpu(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, false);
    gic_ready(m);
    for (unsigned i = 0; i < 2; i++) {
        wr32(m, GICR(i) + SGI_BASE + 0x80, 1u << 30);
        wr32(m, GICR(i) + SGI_BASE + 0x100, 1u << 30);
        mmio_wr(m, GICR(i) + SGI_BASE + 0x400 + 30, 1, 0xA0);
    }
    assert_int_equal(mmio_rd(m, GICR(1) + SGI_BASE + 0x400 + 30, 1), 0xA0);
    assert_int_equal(rd32(m, GICR(0) + SGI_BASE + 0xC00), 0xAAAAAAAA);   /* SGIs edge */
    gic_set_irq(m, 30, true, 1);
    assert_int_equal(m->cpu[0]->irq_lines, 0);
    assert_int_equal(m->cpu[1]->irq_lines, IRQ_LINE_IRQ);
    assert_int_equal(rd32(m, GICR(1) + SGI_BASE + 0x200), 1u << 30);
    assert_int_equal(mrs(m->cpu[1], "ICC_IAR1_EL1"), 30);
    assert_int_equal(rd32(m, GICR(1) + SGI_BASE + 0x300), 1u << 30);
    a83_machine_destroy(m);
}

/* Register details: IROUTER halves and mask, 5 implemented priority bits,
 * RAZ/WI registers with DS = 1 and ARE = 1 (GICv3 spec 12.9). */
static void test_register_details(void **s)
{
    (void)s;
    Machine *m = mk_machine(2, false);
    wr32(m, GICD + 0x6000 + 8 * 100, 0xFFFFFFFF);            /* low half */
    wr32(m, GICD + 0x6000 + 8 * 100 + 4, 0xFFFFFFFF);        /* high half: Aff3 */
    assert_int_equal(mmio_rd(m, GICD + 0x6000 + 8 * 100, 8), 0xFF80FFFFFFull);
    assert_int_equal(mmio_rd(m, GICD + 0x6000 + 8 * 31, 8), 0);   /* no IROUTER below 32 */
    mmio_wr(m, GICD + 0x400 + 100, 1, 0xFF);
    assert_int_equal(mmio_rd(m, GICD + 0x400 + 100, 1), 0xF8);
    assert_int_equal(rd32(m, GICD + 0x464), 0xF8);           /* IPRIORITYR25, byte 0 */
    wr32(m, GICD + 0x400, 0xFFFFFFFF);                        /* SGI priorities: RAZ/WI here */
    assert_int_equal(rd32(m, GICD + 0x400), 0);
    wr32(m, GICD + 0xD04, 0xFFFFFFFF);                        /* IGRPMODR1: RAZ/WI (DS = 1) */
    assert_int_equal(rd32(m, GICD + 0xD04), 0);
    wr32(m, GICD + 0x800 + 40, 0x01010101);                   /* ITARGETSR: RAZ/WI (ARE = 1) */
    assert_int_equal(rd32(m, GICD + 0x800 + 40), 0);
    wr32(m, GICD + 0x80, 0xFFFFFFFF);                         /* IGROUPR0: RAZ/WI (ARE = 1) */
    assert_int_equal(rd32(m, GICD + 0x80), 0);
    wr32(m, GICD + 0x84, 0xFFFFFFFF);
    assert_int_equal(rd32(m, GICD + 0x84), 0xFFFFFFFF);
    assert_int_equal(rd32(m, GICD + 0xC00), 0);               /* ICFGR0/1: RAZ in the dist */
    wr32(m, GICR(0) + SGI_BASE + 0xC00, 0);                   /* SGI config is RO */
    assert_int_equal(rd32(m, GICR(0) + SGI_BASE + 0xC00), 0xAAAAAAAA);
    wr32(m, GICR(0) + SGI_BASE + 0xC04, 0x80000000);          /* PPI 31 edge */
    assert_int_equal(rd32(m, GICR(0) + SGI_BASE + 0xC04), 0x80000000);
    const MMIORegion *r = machine_find_mmio(m, GICD);
    assert_false(r->write(r->opaque, NULL, 0x100, 2, 1));     /* halfword: abort */
    assert_false(r->write(r->opaque, NULL, 0x100, 8, 1));     /* 64-bit outside IROUTER */
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_registers),     cmocka_unit_test(test_waker_handshake),
        cmocka_unit_test(test_spi_state_machine), cmocka_unit_test(test_level_spi),
        cmocka_unit_test(test_edge_spi),         cmocka_unit_test(test_affinity_routing),
        cmocka_unit_test(test_ppi_per_cpu),      cmocka_unit_test(test_register_details),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
