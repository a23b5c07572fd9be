/*
 * The GICv3 ITS command decoder and LPI delivery (GICv3 spec chapter 6
 * "ITS commands": the field layout of each command and its command
 * errors; 5.1 LPI configuration/pending tables; 12.19 GITS_ registers).
 * Commands go through its_execute() directly and through the queue
 * (GITS_CBASER/CWRITER/CREADR); tables live in the machine's RAM.
 */
#include <string.h>

#include "gic/gic_internal.h"
#include "gic/gic_its.h"
#include "gic_test_util.h"

#define GITS 0x08080000ull
#define RAM 0x40000000ull
#define PEND0 (RAM + 0x100000)
#define PEND1 (RAM + 0x110000)
#define PROP (RAM + 0x120000)
#define DEVT (RAM + 0x130000)
#define COLT (RAM + 0x131000)
#define ITT0 (RAM + 0x132000)
#define CQ (RAM + 0x140000)
#define V (1ull << 63)

static void put8(Machine *m, uint64_t pa, uint8_t v) { assert_int_equal(machine_phys_write(m, pa, &v, 1), A83_OK); }
static uint64_t get64(Machine *m, uint64_t pa)
{
    MemBlock *b = machine_find_mem(m, pa, 8);
    assert_non_null(b);
    uint64_t v;
    memcpy(&v, b->host + (pa - b->base), 8);
    return v;
}
static uint8_t get8(Machine *m, uint64_t pa) { return (uint8_t)get64(m, pa); }

/* Two CPUs, LPIs enabled on both, ITS tables set, ITS enabled. */
static Machine *its_machine(void)
{
    Machine *m = mk_machine(2, false);
    gic_ready(m);
    put8(m, PROP + 0, 0xA0 | 1);        /* LPI 8192: priority 0xA0, enabled */
    put8(m, PROP + 1, 0x40 | 1);        /* LPI 8193: priority 0x40, enabled */
    for (unsigned i = 0; i < 2; i++) {
        mmio_wr(m, GICR(i) + 0x70, 8, PROP | 15);
        mmio_wr(m, GICR(i) + 0x78, 8, i ? PEND1 : PEND0);
        wr32(m, GICR(i) + 0x0, 1);
    }
    mmio_wr(m, GITS + 0x100, 8, V | DEVT);
    mmio_wr(m, GITS + 0x108, 8, V | COLT);
    mmio_wr(m, GITS + 0x80, 8, V | CQ);
    wr32(m, GITS + 0x0, 1);
    return m;
}

static uint32_t exec(Machine *m, uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
    uint64_t c[4] = { d0, d1, d2, d3 };
    return its_execute(m->gic, c);
}

#define DEV(d) ((uint64_t)(d) << 32)
#define MAPC(icid, proc) exec(m, 0x09, 0, V | (uint64_t)(proc) << 16 | (icid), 0)
#define MAPD(dev, size, itt) exec(m, 0x08 | DEV(dev), size, V | (itt), 0)
#define MAPTI(dev, ev, lpi, icid) exec(m, 0x0A | DEV(dev), (ev) | (uint64_t)(lpi) << 32, icid, 0)
#define EVCMD(num, dev, ev) exec(m, (num) | DEV(dev), ev, 0, 0)

static void map_basic(Machine *m)
{
    assert_int_equal(MAPC(0, 0), 0);
    assert_int_equal(MAPC(1, 1), 0);
    assert_int_equal(MAPD(5, 3, ITT0), 0);                 /* 4 EventID bits */
    assert_int_equal(MAPTI(5, 2, 8192, 0), 0);
}

/* GITS_TYPER/BASER/CTLR identification (12.19.24, 12.19.2, 12.19.6) */
static void test_its_registers(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, false);
    uint64_t t = mmio_rd(m, GITS + 0x8, 8);
    assert_int_equal(t & 1, 1);                            /* Physical */
    assert_int_equal((t >> 1) & 1, 0);                     /* Virtual = 0 */
    assert_int_equal((t >> 4) & 0xF, 7);                   /* ITT_entry_size: 8 bytes */
    assert_int_equal((t >> 8) & 0x1F, 15);                 /* IDbits: 16 */
    assert_int_equal((t >> 13) & 0x1F, 15);                /* Devbits: 16 */
    assert_int_equal((t >> 19) & 1, 0);                    /* PTA = 0 */
    assert_int_equal(rd32(m, GITS + 0x0), 0x80000000u);    /* disabled, Quiescent */
    /* BASER0: device table, BASER1: collections, Entry_Size 8; Indirect RAZ/WI */
    mmio_wr(m, GITS + 0x100, 8, V | (1ull << 62) | DEVT | (2ull << 8) | 3);
    uint64_t b0 = mmio_rd(m, GITS + 0x100, 8);
    assert_int_equal((b0 >> 56) & 7, 1);
    assert_int_equal((b0 >> 48) & 0x1F, 7);
    assert_int_equal((b0 >> 62) & 1, 0);
    assert_int_equal(b0 & 0x3FF, (2 << 8) | 3);
    assert_int_equal((mmio_rd(m, GITS + 0x108, 8) >> 56) & 7, 4);
    mmio_wr(m, GITS + 0x110, 8, ~0ull);
    assert_int_equal(mmio_rd(m, GITS + 0x110, 8), 0);      /* BASER2: unimplemented */
    /* 32-bit halves of CBASER */
    wr32(m, GITS + 0x80, (uint32_t)CQ | 1);
    wr32(m, GITS + 0x84, 0x80000000u);
    assert_int_equal(mmio_rd(m, GITS + 0x80, 8), V | CQ | 1);
    a83_machine_destroy(m);
}

/* Command errors of each command (GICv3 spec 6.3) */
static void test_command_errors(void **s)
{
    (void)s;
    Machine *m = its_machine();
    map_basic(m);
    /* MAPD: DeviceID beyond the one-page table (512 entries) / ITT size */
    assert_int_equal(MAPD(512, 3, ITT0), 0x010801);
    assert_int_equal(MAPD(6, 16, ITT0), 0x010802);
    /* MAPC: processor number 2 of 2, ICID beyond the table */
    assert_int_equal(MAPC(3, 2), 0x010902);
    assert_int_equal(MAPC(600, 0), 0x010903);
    /* MAPTI: unmapped device, EventID beyond 4 bits, pINTID not an LPI, ICID */
    assert_int_equal(MAPTI(6, 0, 8192, 0), 0x010A04);
    assert_int_equal(MAPTI(5, 16, 8192, 0), 0x010A05);
    assert_int_equal(MAPTI(5, 1, 8191, 0), 0x010A06);
    assert_int_equal(MAPTI(5, 1, 65536, 0), 0x010A06);
    assert_int_equal(MAPTI(5, 1, 8193, 600), 0x010A03);
    /* MAPI: pINTID = EventID < 8192 */
    assert_int_equal(exec(m, 0x0B | DEV(5), 1, 0, 0), 0x010B06);
    /* INT/CLEAR/INV/DISCARD/MOVI on an unmapped event */
    assert_int_equal(EVCMD(0x03, 5, 1), 0x010307);
    assert_int_equal(EVCMD(0x04, 5, 1), 0x010407);
    assert_int_equal(EVCMD(0x0C, 5, 1), 0x010C07);
    assert_int_equal(EVCMD(0x0F, 5, 1), 0x010F07);
    assert_int_equal(exec(m, 0x01 | DEV(5), 1, 1, 0), 0x010107);
    assert_int_equal(EVCMD(0x03, 70000, 1), 0x010301);      /* DeviceID OOR */
    /* MOVI to an unmapped collection; INVALL of one */
    assert_int_equal(exec(m, 0x01 | DEV(5), 2, 7, 0), 0x010109);
    assert_int_equal(exec(m, 0x0D, 0, 7, 0), 0x010D09);
    /* SYNC / MOVALL to a redistributor that does not exist */
    assert_int_equal(exec(m, 0x05, 0, 2ull << 16, 0), 0x010502);
    assert_int_equal(exec(m, 0x0E, 0, 0, 9ull << 16), 0x010E01);
    /* unknown and GICv4 commands (VMAPP 0x29) */
    assert_int_equal(exec(m, 0x02, 0, 0, 0), 0x0102FF);
    assert_int_equal(exec(m, 0x29, 0, 0, 0), 0x0129FF);
    /* an ITT outside RAM is an error, not a host access */
    assert_int_equal(MAPD(7, 3, 0x1000000000ull), 0);
    assert_int_equal(MAPTI(7, 0, 8192, 0), 0x010AE0);
    a83_machine_destroy(m);
}

/* Table contents and the field decoding of MAPD/MAPC/MAPTI (6.3) */
static void test_decode_fields(void **s)
{
    (void)s;
    Machine *m = its_machine();
    map_basic(m);
    /* DTE of device 5: Valid, ITT address, size (docs/gic.md formats) */
    assert_int_equal(get64(m, DEVT + 5 * 8), V | ITT0 | 3);
    assert_int_equal(get64(m, COLT + 1 * 8), V | 1);
    assert_int_equal(get64(m, ITT0 + 2 * 8), V | 8192);
    /* MAPD V = 0 unmaps: INT then finds no device */
    assert_int_equal(exec(m, 0x08 | DEV(5), 0, 0, 0), 0);
    assert_int_equal(get64(m, DEVT + 5 * 8), 0);
    assert_int_equal(EVCMD(0x03, 5, 2), 0x010304);
    a83_machine_destroy(m);
}

/* INT, CLEAR, MOVI, MOVALL, DISCARD on the pending state (5.1.2, 6.3) */
static void test_pending_state(void **s)
{
    (void)s;
    Machine *m = its_machine();
    map_basic(m);
    GIC *g = m->gic;
    assert_int_equal(EVCMD(0x03, 5, 2), 0);                 /* INT */
    assert_true(gic_lpi_pending(g, 0, 8192));
    assert_int_equal(get8(m, PEND0 + 8192 / 8) & 1, 1);     /* written through */
    assert_int_equal(m->cpu[0]->irq_lines & IRQ_LINE_IRQ, 0);   /* no gic_update yet */
    gic_update(m);
    assert_int_equal(m->cpu[0]->irq_lines & IRQ_LINE_IRQ, IRQ_LINE_IRQ);
    /* acknowledge: INTID 8192, running priority 0xA0; no active state */
    assert_int_equal(mrs(m->cpu[0], "ICC_IAR1_EL1"), 8192);
    assert_int_equal(mrs(m->cpu[0], "ICC_RPR_EL1"), 0xA0);
    assert_false(gic_lpi_pending(g, 0, 8192));
    assert_int_equal(get8(m, PEND0 + 8192 / 8) & 1, 0);
    msr(m->cpu[0], "ICC_EOIR1_EL1", 8192);
    assert_int_equal(mrs(m->cpu[0], "ICC_RPR_EL1"), 0xFF);
    /* MOVI a pending LPI to collection 1: the pending state follows */
    assert_int_equal(EVCMD(0x03, 5, 2), 0);
    assert_int_equal(exec(m, 0x01 | DEV(5), 2, 1, 0), 0);
    assert_false(gic_lpi_pending(g, 0, 8192));
    assert_true(gic_lpi_pending(g, 1, 8192));
    assert_int_equal(get64(m, ITT0 + 2 * 8), V | (1ull << 32) | 8192);
    /* MOVALL 1 -> 0 */
    assert_int_equal(exec(m, 0x0E, 0, 1ull << 16, 0), 0);
    assert_true(gic_lpi_pending(g, 0, 8192));
    assert_false(gic_lpi_pending(g, 1, 8192));
    /* CLEAR */
    assert_int_equal(exec(m, 0x01 | DEV(5), 2, 0, 0), 0);
    assert_int_equal(EVCMD(0x04, 5, 2), 0);
    assert_false(gic_lpi_pending(g, 0, 8192));
    /* its_send_msi (a device's MSI): pending; after DISCARD: dropped */
    assert_int_equal(its_send_msi(m, 5, 2), 0);
    assert_true(gic_lpi_pending(g, 0, 8192));
    assert_int_equal(EVCMD(0x0F, 5, 2), 0);
    assert_false(gic_lpi_pending(g, 0, 8192));
    assert_int_equal(its_send_msi(m, 5, 2), ITS_ERR(0, ITS_ERR_UNMAPPED_INTERRUPT));
    assert_int_equal(its_send_msi(m, 6, 0), ITS_ERR(0, ITS_ERR_UNMAPPED_DEVICE));
    a83_machine_destroy(m);
}

/* The command queue: processing on CWRITER, stall on error, Retry
 * (12.19.4/12.19.5), the cost per command (docs/timing.md). */
static void test_queue(void **s)
{
    (void)s;
    Machine *m = its_machine();
    uint64_t cmds[3][4] = {
        { 0x09, 0, V | 0, 0 },                 /* MAPC 0 -> CPU 0 */
        { 0x09, 0, V | (5ull << 16) | 1, 0 },  /* MAPC 1 -> CPU 5: error */
        { 0x05, 0, 0, 0 },                     /* SYNC */
    };
    assert_int_equal(machine_phys_write(m, CQ, cmds, sizeof cmds), A83_OK);
    CPUState *c = m->cpu[0];
    uint64_t cy = c->cycles;
    const MMIORegion *r = machine_find_mmio(m, GITS);
    assert_true(r->write(r->opaque, c, 0x88, 8, 96));
    assert_int_equal(mmio_rd(m, GITS + 0x90, 8), 32 | 1);          /* stalled at MAPC 1 */
    assert_int_equal(rd32(m, GITS + 0xC000), 0x010902);
    assert_int_equal(c->cycles - cy, 2 * m->timing.its_command);
    /* CWRITER without Retry: still stalled */
    mmio_wr(m, GITS + 0x88, 8, 96);
    assert_int_equal(mmio_rd(m, GITS + 0x90, 8), 32 | 1);
    /* fix the command, Retry */
    uint64_t ok = V | (1ull << 16) | 1;
    assert_int_equal(machine_phys_write(m, CQ + 32 + 16, &ok, 8), A83_OK);
    mmio_wr(m, GITS + 0x88, 8, 96 | 1);
    assert_int_equal(mmio_rd(m, GITS + 0x90, 8), 96);
    assert_int_equal(rd32(m, GITS + 0xC000), 0);
    assert_int_equal(get64(m, COLT + 8), V | 1);
    /* a queue outside RAM stalls with the IMPLEMENTATION DEFINED error */
    wr32(m, GITS + 0x0, 0);
    mmio_wr(m, GITS + 0x80, 8, V | 0x2000000000ull);
    assert_int_equal(mmio_rd(m, GITS + 0x90, 8), 0);
    wr32(m, GITS + 0x0, 1);
    mmio_wr(m, GITS + 0x88, 8, 32);
    assert_int_equal(mmio_rd(m, GITS + 0x90, 8), 1);
    assert_int_equal(rd32(m, GITS + 0xC000), 0x0100E0);
    a83_machine_destroy(m);
}

/* LPI configuration (5.1.1): priority order, Enable bit, PROPBASER.IDbits */
static void test_lpi_config(void **s)
{
    (void)s;
    Machine *m = its_machine();
    map_basic(m);
    assert_int_equal(MAPTI(5, 3, 8193, 0), 0);
    assert_int_equal(EVCMD(0x03, 5, 2), 0);
    assert_int_equal(EVCMD(0x03, 5, 3), 0);
    gic_update(m);
    assert_int_equal(mrs(m->cpu[0], "ICC_HPPIR1_EL1"), 8193);   /* 0x40 beats 0xA0 */
    put8(m, PROP + 1, 0x40);                                    /* disable 8193 */
    assert_int_equal(EVCMD(0x0C, 5, 3), 0);                     /* INV */
    assert_int_equal(mrs(m->cpu[0], "ICC_HPPIR1_EL1"), 8192);
    /* GICR_PROPBASER.IDbits < 13: no LPI; writes ignored while enabled */
    mmio_wr(m, GICR(0) + 0x70, 8, PROP | 12);
    assert_int_equal(mmio_rd(m, GICR(0) + 0x70, 8), PROP | 15);
    wr32(m, GICR(0) + 0x0, 0);                                  /* EnableLPIs = 0 */
    assert_int_equal(rd32(m, GICR(0) + 0x0), 0);
    mmio_wr(m, GICR(0) + 0x70, 8, PROP | 12);
    wr32(m, GICR(0) + 0x0, 1);
    assert_false(gic_lpi_pending(m->gic, 0, 8192));
    assert_int_equal(gic_lpi_idbits(&m->gic->lpi[0]), 0);
    /* re-enabled with IDbits 15: the pending table in memory is loaded */
    wr32(m, GICR(0) + 0x0, 0);
    mmio_wr(m, GICR(0) + 0x70, 8, PROP | 15);
    wr32(m, GICR(0) + 0x0, 1);
    assert_true(gic_lpi_pending(m->gic, 0, 8192));
    assert_true(gic_lpi_pending(m->gic, 0, 8193));
    /* PTZ: the table is taken as zero */
    wr32(m, GICR(0) + 0x0, 0);
    mmio_wr(m, GICR(0) + 0x78, 8, PEND0 | (1ull << 62));
    assert_int_equal(mmio_rd(m, GICR(0) + 0x78, 8), PEND0);   /* PTZ reads 0 */
    wr32(m, GICR(0) + 0x0, 1);
    assert_false(gic_lpi_pending(m->gic, 0, 8192));
    a83_machine_destroy(m);
}

/* A virtual LPI in a list register (GICv3 spec 12.4.8 State, 12.4.6
 * EOIcount): ICV_IAR1 makes the LR invalid (no active state), ICV_EOIR1
 * drops the priority and does not count an EOI. */
static void test_virtual_lpi(void **s)
{
    (void)s;
    Machine *m = mk_machine(1, true);
    gic_ready(m);
    CPUState *c = m->cpu[0];
    c->el = 2;
    msr(c, "ICH_VMCR_EL2", (0xF0u << 24) | 2);   /* VPMR = 0xF0, VENG1 */
    msr(c, "ICH_HCR_EL2", 1);                    /* En */
    c->sr[SR_HCR_EL2] = HCR_IMO_ | HCR_FMO_;
    msr(c, "ICH_LR0_EL2", (1ull << 62) | (1ull << 60) | (0x80ull << 48) | 8300);
    c->el = 1;
    assert_int_equal(mrs(c, "ICC_IAR1_EL1"), 8300);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0x80);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_LR0_EL2") >> 62, 0);   /* invalid */
    c->el = 1;
    msr(c, "ICC_EOIR1_EL1", 8300);
    assert_int_equal(mrs(c, "ICC_RPR_EL1"), 0xFF);
    c->el = 2;
    assert_int_equal(mrs(c, "ICH_HCR_EL2") >> 27, 0);   /* EOIcount */
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_its_registers), cmocka_unit_test(test_command_errors),
        cmocka_unit_test(test_decode_fields), cmocka_unit_test(test_pending_state),
        cmocka_unit_test(test_queue),         cmocka_unit_test(test_lpi_config),
        cmocka_unit_test(test_virtual_lpi),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
