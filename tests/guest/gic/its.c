/*
 * The GICv3 ITS and LPIs end to end (GICv3 spec chapter 5 "LPIs and the
 * ITS", chapter 6 "ITS commands", 12.19 "ITS registers"): the guest sets
 * up the LPI configuration and pending tables (GICR_PROPBASER/PENDBASER,
 * GICR_CTLR.EnableLPIs, 5.1), the ITS device and collection tables
 * (GITS_BASER<n>) and command queue (GITS_CBASER/CWRITER/CREADR), maps
 * two devices, triggers LPIs through GITS_TRANSLATER (5.2.1) and the INT
 * command, takes them (ICC_IAR1_EL1 returns INTIDs >= 8192 with their
 * configured priority as the running priority), checks the pending table
 * bits in memory and CLEAR, the configuration Enable bit with INV, MOVI to
 * CPU 1's collection, DISCARD, and two bad commands that stall the queue
 * with their exact command errors (INT_UNMAPPED_INTERRUPT 0x010307,
 * MAPC_PROCNUM_OOR 0x010902) recorded in GITS_A83_ERRR (docs/gic.md), then
 * the Retry restart.
 *
 * The same ELF runs on arm83emu's board (tests/guest/gic/its.expect) and
 * as a KVM guest of QEMU 7.2 inside the emulated Linux host, on KVM's vITS
 * (tests/kvm/guest.sh, its.kvm.expect). It prints architected fields only
 * (GITS_CTLR.Enabled, GICR_CTLR.EnableLPIs, GICR_PROPBASER PA + IDbits,
 * GITS_BASER<n> Valid/Type/Entry_Size/PA): the cacheability and
 * shareability fields and GITS_BASER<n>.Page_Size may be fixed by the
 * implementation (12.11.28, 12.19.2), GICR_CTLR.CES/IR and
 * GITS_CTLR.Quiescent while Enabled = 1 are the implementation's. It
 * branches, each branch announced by a line, only where the spec leaves
 * the behaviour IMPLEMENTATION DEFINED:
 *  1. a CPU's write to GITS_TRANSLATER: the DeviceID comes with the write
 *     from the bus (5.2.1); which one a PE's write carries, if it is
 *     translated at all, is the implementation's (arm83emu: DeviceID 0;
 *     KVM: not an MSI). Without it, event 3 of device 0 is raised by INT;
 *  2. the pending table in memory while EnableLPIs = 1 (5.1.2: the
 *     Redistributor may cache pending state): read only when it shows the
 *     two pending bits (arm83emu writes through; KVM keeps the state);
 *  3. command errors (6.3): the ITS either stalls the queue (GITS_CREADR.
 *     Stalled, arm83emu, with its own GITS_A83_ERRR) or ignores the
 *     command and goes on (KVM); both are checked for what they imply.
 */
#include "gic_guest.h"
#include "secondary.h"

#define GITS 0x08080000ul
#define GITS_TRANSLATER (GITS + 0x10040)
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_HPPIR1_EL1 S3_0_C12_C12_2

/* Tables in RAM, far above the image */
#define PEND0 0x41000000ul      /* 64 KiB aligned (GICR_PENDBASER [51:16]) */
#define PEND1 0x41010000ul
#define PROP 0x41020000ul       /* 64 Ki - 8 Ki bytes of configuration */
/* The ITS tables are 64 KiB apart, so that they also fit an ITS that
 * supports only 64 KiB pages (GITS_BASER<n>.Page_Size read-only, as in a
 * KVM guest): with 64 KiB pages PA[15:12] hold PA[51:48] (12.19.2). */
#define DEVT 0x41030000ul       /* device table: one page */
#define COLT 0x41040000ul       /* collection table: one page */
#define ITT0 0x41050000ul       /* device 0: 32 events */
#define CQ 0x41060000ul         /* command queue: one 4 KiB page */
#define ITT1 0x41100000ul       /* device 1: 16 Ki events (MAPI needs EventID >= 8192) */

#define LPI_A 8200u             /* device 0 event 3, priority 0xA0 */
#define LPI_B 8201u             /* device 1 event 8201 (MAPI), priority 0x80 */

volatile uint32_t got[2], last[2], rpr[2], sec_ready;
/* Branch 1: a CPU's GITS_TRANSLATER write is translated (DeviceID 0) */
static int translater_msi;

void on_irq(unsigned cpu, unsigned id)
{
    if (cpu < 2) {
        got[cpu]++;
        last[cpu] = id;
        rpr[cpu] = (uint32_t)RSR(ICC_RPR_EL1);
    }
}

/* PSCI through HVC at EL1 (the board without EL2, and a KVM guest, whose
 * ID registers may still show EL2 to the library's conduit choice). */
static uint64_t psci(uint64_t fn, uint64_t a1, uint64_t a2)
{
    if (current_el() != 1)
        return firmware_call(fn, a1, a2, 0);
    register uint64_t x0 __asm__("x0") = fn;
    register uint64_t x1 __asm__("x1") = a1;
    register uint64_t x2 __asm__("x2") = a2;
    register uint64_t x3 __asm__("x3") = 0;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
    return x0;
}

static inline void w64(uint64_t a, uint64_t v) { *(volatile uint64_t *)a = v; }
static inline uint64_t r64(uint64_t a) { return *(volatile uint64_t *)a; }
static inline void w8(uint64_t a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint8_t r8(uint64_t a) { return *(volatile uint8_t *)a; }
static void zero(uint64_t a, uint64_t n)
{
    for (uint64_t i = 0; i < n; i += 8)
        w64(a + i, 0);
}

static unsigned cq_w;

/* Queues one 32-byte command (GICv3 spec 6.2) and writes GITS_CWRITER. */
static void its_cmd(uint64_t d0, uint64_t d1, uint64_t d2, uint64_t d3)
{
    w64(CQ + cq_w, d0);
    w64(CQ + cq_w + 8, d1);
    w64(CQ + cq_w + 16, d2);
    w64(CQ + cq_w + 24, d3);
    cq_w = (cq_w + 32) % 4096;
    __asm__ volatile("dsb sy" ::: "memory");
    w64(GITS + 0x88, cq_w);
}

#define DEV(id) ((uint64_t)(id) << 32)
#define V (1ul << 63)
static void mapc(unsigned icid, unsigned proc) { its_cmd(0x09, 0, V | (uint64_t)proc << 16 | icid, 0); }
static void mapd(unsigned dev, unsigned size, uint64_t itt) { its_cmd(0x08 | DEV(dev), size, V | itt, 0); }
static void mapti(unsigned dev, uint32_t ev, uint32_t lpi, unsigned icid)
{
    its_cmd(0x0A | DEV(dev), ev | (uint64_t)lpi << 32, icid, 0);
}
static void ev_cmd(unsigned num, unsigned dev, uint32_t ev) { its_cmd(num | DEV(dev), ev, 0, 0); }
static void sync_(unsigned proc) { its_cmd(0x05, 0, (uint64_t)proc << 16, 0); }

static int pend_bit(uint64_t table, unsigned intid) { return (r8(table + intid / 8) >> (intid % 8)) & 1; }

static void lpi_rd_init(unsigned cpu, uint64_t pend)
{
    zero(pend, 0x2000);
    w64(GICR(cpu) + 0x70, PROP | (16 - 1));   /* GICR_PROPBASER: IDbits = 15 */
    w64(GICR(cpu) + 0x78, pend);              /* GICR_PENDBASER */
    w32(GICR(cpu) + 0x0, 1);                  /* GICR_CTLR.EnableLPIs */
}

void secondary_main(void);
void secondary_main(void)
{
    vectors_install();
    gic_cpu_init(1);
    sec_ready = 1;
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    for (;;)
        __asm__ volatile("wfi");
}

/* Waits with IRQs unmasked until *p >= n, for a bounded time (so that
 * the test also ends, with a wrong line, under an ITS that does not
 * deliver: e.g. a KVM guest's, where a CPU write to GITS_TRANSLATER is
 * not a device's MSI). */
static void wait_count(volatile uint32_t *p, uint32_t n)
{
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    for (unsigned i = 0; i < 1000000 && *p < n; i++)
        __asm__ volatile("yield" ::: "memory");
}

/* Makes event 3 of device 0 (LPI_A) pending: by GITS_TRANSLATER where a
 * CPU's write is an MSI with DeviceID 0 (branch 1), else by INT. */
static void trigger_a(void)
{
    if (translater_msi)
        w32(GITS_TRANSLATER, 3);
    else
        its_cmd(0x03 | DEV(0), 3, 0, 0);
}

static void masked_wait_pending(void)
{
    for (volatile int i = 0; i < 100; i++)
        ;
}

int main(void)
{
    vectors_install();
    gic_dist_init();
    gic_cpu_init(0);
    check_eq("CPU_ON", psci(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry), 0);
    while (!sec_ready)
        ;

    /* Identification (GICv3 spec 12.9.38, 12.10.33, 12.19.24) */
    uint32_t dtyper = r32(GICD + 0x4);
    putreg("GICD_TYPER.LPIS", (dtyper >> 17) & 1);
    putreg("GICD_TYPER.IDbits", (dtyper >> 19) & 0x1F);
    putreg("GICR_TYPER.PLPIS", r64(GICR(1) + 0x8) & 1);
    putreg("GITS_TYPER", r64(GITS + 0x8));
    putreg("GITS_CTLR (disabled: Quiescent)", r32(GITS + 0x0));

    /* LPI tables (5.1.1, 5.1.2): every LPI disabled but A and B */
    zero(PROP, 0x10000 - 0x2000);
    w8(PROP + (LPI_A - 8192), 0xA0 | 1);
    w8(PROP + (LPI_B - 8192), 0x80 | 1);
    lpi_rd_init(0, PEND0);
    lpi_rd_init(1, PEND1);
    putreg("GICR_CTLR.EnableLPIs", r32(GICR(0) + 0x0) & 1);
    /* PA [51:12] and IDbits [4:0] (12.11.28) */
    putreg("GICR_PROPBASER (PA, IDbits)", r64(GICR(0) + 0x70) & (0xFFFFFFFFFF000ul | 0x1F));

    /* ITS tables (12.19.2): flat, 4 KiB pages, one page each */
    zero(DEVT, 0x1000);
    zero(COLT, 0x1000);
    zero(CQ, 0x1000);
    w64(GITS + 0x100, V | DEVT);
    w64(GITS + 0x108, V | COLT);
    /* Valid [63], Type [58:56], Entry_Size [52:48], PA [47:16] (12.19.2;
     * the tables are 64 KiB aligned, so PA [15:12] is 0 for any Page_Size) */
    const uint64_t baser_arch = 1ul << 63 | 7ul << 56 | 0x1Ful << 48 | 0xFFFFFFFF0000ul;
    putreg("GITS_BASER0 (Valid, Type, Entry_Size, PA)", r64(GITS + 0x100) & baser_arch);
    putreg("GITS_BASER1 (Valid, Type, Entry_Size, PA)", r64(GITS + 0x108) & baser_arch);
    putreg("GITS_BASER2 (unimplemented)", r64(GITS + 0x110));
    w64(GITS + 0x80, V | CQ);                 /* GITS_CBASER: one 4 KiB page */
    w64(GITS + 0x88, 0);
    w32(GITS + 0x0, 1);                       /* GITS_CTLR.Enabled */
    putreg("GITS_CTLR.Enabled", r32(GITS + 0x0) & 1);

    mapc(0, 0);
    mapc(1, 1);
    mapd(0, 4, ITT0);                         /* 5 EventID bits */
    mapd(1, 13, ITT1);                        /* 14 EventID bits */
    mapti(0, 3, LPI_A, 0);
    its_cmd(0x0B | DEV(1), LPI_B, 0, 0);      /* MAPI: pINTID = EventID */
    sync_(0);
    putreg("GITS_CREADR after mapping", r64(GITS + 0x90));
    putreg("GITS_CWRITER", r64(GITS + 0x88));

    /* Branch 1: GITS_TRANSLATER written by a CPU. On arm83emu it carries
     * DeviceID 0 (docs/gic.md): LPI_A. Where nothing arrives (KVM), nothing
     * else may arrive either, and INT raises LPI_A instead. */
    w32(GITS_TRANSLATER, 3);
    wait_count(&got[0], 1);
    if (got[0]) {
        translater_msi = 1;
        puts_("branch 1: a CPU's TRANSLATER write is an MSI\n");
        putreg("TRANSLATER: INTID", last[0]);
        putreg("TRANSLATER: running priority", rpr[0]);
    } else {
        puts_("branch 1: a CPU's TRANSLATER write is not an MSI\n");
        putreg("TRANSLATER: nothing taken, CPU 1 count", got[1]);
        trigger_a();
        wait_count(&got[0], 1);
        putreg("INT A: INTID", last[0]);
        putreg("INT A: running priority", rpr[0]);
    }

    ev_cmd(0x03, 1, LPI_B);                   /* INT */
    wait_count(&got[0], 2);
    putreg("INT: INTID", last[0]);
    putreg("INT: running priority", rpr[0]);
    putreg("no active state (RPR idle)", RSR(ICC_RPR_EL1));

    /* Both pending with IRQs masked: the higher priority wins (4.8), the
     * pending table in memory holds the bits (5.1.2), CLEAR clears them. */
    __asm__ volatile("msr daifset, #2" ::: "memory");
    trigger_a();
    ev_cmd(0x03, 1, LPI_B);
    masked_wait_pending();
    putreg("HPPIR1 with A and B pending", RSR(ICC_HPPIR1_EL1));
    /* Branch 2: the pending table in memory while EnableLPIs = 1 */
    int bits = pend_bit(PEND0, LPI_A) + pend_bit(PEND0, LPI_B);
    int table = bits == 2;
    if (bits == 2)
        puts_("branch 2: the pending table holds the pending bits\n");
    else if (bits == 0)
        puts_("branch 2: pending state kept in the redistributor\n");
    else
        putreg("FAIL pending table: one of two bits", bits);
    ev_cmd(0x04, 1, LPI_B);                   /* CLEAR */
    putreg("after CLEAR B: HPPIR1", RSR(ICC_HPPIR1_EL1));
    if (table)
        putreg("after CLEAR B: bit B", pend_bit(PEND0, LPI_B));
    ev_cmd(0x04, 0, 3);
    putreg("after CLEAR A: HPPIR1", RSR(ICC_HPPIR1_EL1));
    if (table)
        putreg("after CLEAR A: bit A", pend_bit(PEND0, LPI_A));

    /* The configuration Enable bit (5.1.1): disabled + INV -> not
     * signalled though pending; enabled + INV -> signalled. */
    w8(PROP + (LPI_B - 8192), 0x80);
    ev_cmd(0x0C, 1, LPI_B);                   /* INV */
    ev_cmd(0x03, 1, LPI_B);
    putreg("disabled LPI: HPPIR1", RSR(ICC_HPPIR1_EL1));
    if (table)
        putreg("disabled LPI: still pending", pend_bit(PEND0, LPI_B));
    /* (else: "taken after enable" below shows it stayed pending) */
    w8(PROP + (LPI_B - 8192), 0x80 | 1);
    ev_cmd(0x0C, 1, LPI_B);
    putreg("enabled LPI: HPPIR1", RSR(ICC_HPPIR1_EL1));
    wait_count(&got[0], 3);
    putreg("taken after enable", last[0]);

    /* MOVI to collection 1 (CPU 1), then INT: CPU 1 takes it */
    its_cmd(0x01 | DEV(0), 3, 1, 0);
    ev_cmd(0x03, 0, 3);
    wait_count(&got[1], 1);
    putreg("after MOVI: CPU 1 INTID", last[1]);
    putreg("after MOVI: CPU 1 running priority", rpr[1]);
    putreg("CPU 0 count", got[0]);

    /* DISCARD: the mapping is gone; a translation is dropped, INT is a
     * command error (6.3 INT: UNMAPPED_INTERRUPT). */
    ev_cmd(0x0F, 0, 3);
    if (translater_msi)
        w32(GITS_TRANSLATER, 3);
    sync_(1);
    unsigned bad = cq_w;
    ev_cmd(0x03, 0, 3);
    uint64_t creadr = r64(GITS + 0x90);
    /* Branch 3: a command error stalls the queue or is ignored (6.3) */
    if (creadr & 1) {
        puts_("branch 3: a command error stalls the queue\n");
        putreg("bad INT: CREADR at the command", (creadr & ~1ul) == bad);
        putreg("bad INT: error", r32(GITS + 0xC000));
        /* Replace it with SYNC and retry (GITS_CWRITER.Retry) */
        w64(CQ + bad, 0x05);
        w64(CQ + bad + 8, 0);
        w64(CQ + bad + 16, 0);
        w64(GITS + 0x88, cq_w | 1);
        putreg("retried: CREADR", r64(GITS + 0x90) == cq_w);
        putreg("retried: error", r32(GITS + 0xC000));
        /* MAPC to processor 5 of 2 */
        mapc(2, 5);
        putreg("bad MAPC: CREADR.Stalled", r64(GITS + 0x90) & 1);
        putreg("bad MAPC: error", r32(GITS + 0xC000));
    } else {
        /* Ignored: the queue went on past it, and later commands act */
        puts_("branch 3: a command error is ignored\n");
        putreg("bad INT: CREADR past it", creadr == cq_w);
        mapc(2, 5);
        putreg("bad MAPC: CREADR past it", r64(GITS + 0x90) == cq_w);
        /* The queue still works: INT on LPI_B (device 1, collection 0) */
        ev_cmd(0x03, 1, LPI_B);
        wait_count(&got[0], 4);
        putreg("after the errors: INT: INTID", last[0]);
    }
    for (volatile int i = 0; i < 1000; i++)
        ;
    putreg("CPU 1 count (the discarded event was dropped)", got[1]);
    putreg("CPU 0 count", got[0]);
    /* A failed check: exit status 1 through arm83emu's exit call; a KVM
     * guest's firmware has none, so it powers off and its FAIL line is the
     * verdict (tests/kvm/guest.sh compares the whole output). */
    if (guest_failures)
        firmware_call(A83_SMCCC_EXIT, 1, 0, 0);
    psci(PSCI_SYSTEM_OFF, 0, 0);
    return 1;
}
