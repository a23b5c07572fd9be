/*
 * libFuzzer target: the GICv3 ITS command queue and the LPI tables it reads
 * from guest memory (src/gic/gic_its.c, gic_lpi.c; GICv3 spec chapter 6 "ITS
 * commands", 12.19 the GITS_* registers, 5.1 LPIs), driven as a guest
 * driver would drive them (docs/reliability.md, docs/gic.md "ITS and LPIs").
 *
 * The input is a little program (one opcode byte, then its operands; a
 * short operand reads as zeros):
 *   0 REG   sel8 val64      : a write of one GITS register (sel picks
 *                             CTLR, CBASER, CWRITER, BASER0..2, TRANSLATER,
 *                             or any 8-byte-aligned offset of the frames)
 *   1 RAM   off16 len8 bytes: bytes into RAM at 16 * off16
 *   2 CMD   slot8 cmd8 dev16 event16 pintid16 icid8 addr8 size8 flags8
 *                           : a 32-byte command at queue slot (slot % 128)
 *                             of the canned queue, fields where the spec puts
 *                             them; addr picks an ITT/RDbase in RAM or,
 *                             with its top bit, one of a few outside it
 *   3 KICK  n8 retry8       : GITS_CWRITER = GITS_CREADR + 32 * n (mod the
 *                             queue), Retry when retry & 1
 *   4 GICR  cpu8 sel8 val64 : GICR_CTLR, GICR_PROPBASER or GICR_PENDBASER
 *   5 MSI   dev16 event16   : a device's MSI write (its_send_msi)
 *   6 READ  sel8            : a read of a GITS or GICR register
 *   7 SETUP                 : the canned configuration: command queue,
 *                             device and collection tables in RAM, LPI
 *                             tables on both redistributors, LPIs enabled,
 *                             the ITS enabled
 *
 * Checked after every operation (abort = finding):
 *  - the ITS never touches memory outside guest RAM: RAM is 2 MiB with
 *    PROT_NONE guard pages on both sides (when the host has room for them);
 *  - GITS_CREADR stays inside the command queue, 32-byte aligned;
 *  - processing always ends and drains the queue (GICv3 6.2.1): with the
 *    ITS enabled, a valid GITS_CBASER and no stall, GITS_CREADR equals
 *    GITS_CWRITER after a write of GITS_CWRITER or GITS_CTLR;
 *  - GITS_TYPER and GITS_IIDR are read-only.
 * Memory errors inside the GIC are ASan's.
 */
#include "fuzz_util.h"     /* first: _GNU_SOURCE (MAP_FIXED_NOREPLACE) */

#include <string.h>
#include <sys/mman.h>
#include "core/machine.h"
#include "fuzz_machine.h"
#include "core/modules.h"
#include "gic/gic_internal.h"
#include "gic/gic_its.h"

#define RAM_SIZE   (2u << 20)
#define NCPUS      2

/* GITS register offsets (GICv3 spec Table 12-32, 12-33) */
enum {
    GITS_CTLR = 0x0000, GITS_IIDR = 0x0004, GITS_TYPER = 0x0008, GITS_CBASER = 0x0080,
    GITS_CWRITER = 0x0088, GITS_CREADR = 0x0090, GITS_BASER = 0x0100,
    GITS_TRANSLATER = 0x10040,
};
#define GITS_CTLR_ENABLED (1u << 0)
#define GITS_CBASER_VALID (1ull << 63)
#define GITS_CBASER_SIZE_MASK 0xFFull
#define GITS_CREADR_STALLED (1ull << 0)
#define GITS_CQ_OFFSET_MASK 0xFFFE0ull
#define GITS_BASER_VALID (1ull << 63)
#define GITS_BASER_PAGE_64K (2ull << 8)
/* GICR RD_base offsets (12.11) */
enum { GICR_CTLR = 0x0000, GICR_PROPBASER = 0x0070, GICR_PENDBASER = 0x0078 };
#define GICR_CTLR_ENABLELPIS (1u << 0)

/* Canned layout in RAM (offsets from VIRT_RAM_BASE) */
#define CQ_OFF    0x10000ull   /* command queue, 4 KiB = 128 commands */
#define DT_OFF    0x20000ull   /* device table, 64 KiB page */
#define CT_OFF    0x30000ull   /* collection table, 64 KiB page */
#define ITT_OFF   0x40000ull   /* ITTs: 128 slots of 16 KiB from here */
#define PROP_OFF  0x180000ull  /* LPI configuration table (shared), 64 KiB */
#define PEND_OFF  0x1C0000ull  /* pending tables, 64 KiB each per CPU */

/* ITS command numbers (GICv3 spec 6.3) */
static const uint8_t cmd_numbers[] = {
    0x08 /* MAPD */, 0x09 /* MAPC */, 0x0A /* MAPTI */, 0x0B /* MAPI */, 0x01 /* MOVI */,
    0x0F /* DISCARD */, 0x0C /* INV */, 0x0D /* INVALL */, 0x03 /* INT */, 0x04 /* CLEAR */,
    0x05 /* SYNC */, 0x0E /* MOVALL */,
};

static a83_machine *M;

static void setup(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = RAM_SIZE;
    cfg.ncpus = NCPUS;
    if (a83_machine_create(&cfg, &M) != A83_OK)
        abort();
    if (!machine_find_mmio(M, VIRT_GITS_BASE) || !machine_find_mmio(M, VIRT_GICR_BASE))
        abort();   /* the board must have an ITS */
    fuzz_guard(M->ram.host - 4096);
    fuzz_guard(M->ram.host + M->ram.size);
}

static void mmio_write(uint64_t pa, unsigned size, uint64_t v) { fuzz_mmio_write(M, M->cpu[0], pa, size, v); }

static uint64_t mmio_read(uint64_t pa, unsigned size) { return fuzz_mmio_read(M, M->cpu[0], pa, size); }

static void reg_write(uint32_t off, uint64_t v) { mmio_write(VIRT_GITS_BASE + off, off == GITS_CTLR ? 4 : 8, v); }
static uint64_t reg_read(uint32_t off) { return mmio_read(VIRT_GITS_BASE + off, off < GITS_TYPER ? 4 : 8); }
static void rd_write(unsigned cpu, uint32_t off, uint64_t v)
{
    mmio_write(VIRT_GICR_BASE + (cpu % NCPUS) * VIRT_GICR_STRIDE + off, off == GICR_CTLR ? 4 : 8, v);
}

static uint64_t ram_pa(uint64_t off) { return VIRT_RAM_BASE + off; }

static void ram_put(uint64_t off, const void *buf, size_t len) { fuzz_ram_put(M, off, buf, len); }

/* An address for an ITT or an RDbase: in RAM, or one of a few outside */
static uint64_t pick_addr(uint8_t sel)
{
    static const uint64_t outside[8] = {
        0, VIRT_GITS_BASE, VIRT_RAM_BASE - 256, VIRT_RAM_BASE + RAM_SIZE - 256,
        VIRT_RAM_BASE + RAM_SIZE, 0x000FFFFFFFFFFF00ull, 1ull << 48, VIRT_GICR_BASE,
    };
    if (sel & 0x80)
        return outside[sel & 7];
    return ram_pa(ITT_OFF + (uint64_t)(sel & 0x7f) * 0x4000);
}

static void put_cmd(FuzzIn *in)
{
    unsigned slot = (unsigned)fuzz_take(in, 1) % 128;
    uint8_t num = cmd_numbers[fuzz_take(in, 1) % sizeof cmd_numbers];
    uint64_t dev = fuzz_take(in, 2), event = fuzz_take(in, 2), pintid = fuzz_take(in, 2) + 8192 - 64;
    uint64_t icid = fuzz_take(in, 1) % 8, addr = pick_addr((uint8_t)fuzz_take(in, 1));
    uint64_t size = fuzz_take(in, 1) % 32, flags = fuzz_take(in, 1);
    uint64_t c[4] = { 0, 0, 0, 0 };
    c[0] = num | dev << 32;
    switch (num) {
    case 0x08:   /* MAPD: Size DW1[4:0], ITT_addr DW2[51:8], V DW2[63] */
        c[1] = size;
        c[2] = (addr & 0x000FFFFFFFFFFF00ull) | ((flags & 1) ? 0 : 1ull << 63);
        break;
    case 0x09:   /* MAPC: ICID DW2[15:0], RDbase DW2[50:16], V DW2[63] */
        c[2] = icid | ((flags & 2 ? dev : dev % NCPUS) << 16) | ((flags & 1) ? 0 : 1ull << 63);
        break;
    case 0x0D:   /* INVALL: ICID */
        c[2] = icid;
        break;
    case 0x05:   /* SYNC: RDbase DW2[50:16] */
        c[2] = (flags & 2 ? dev : dev % NCPUS) << 16;
        break;
    case 0x0E:   /* MOVALL: RDbase1 DW2[50:16], RDbase2 DW3[50:16] */
        c[2] = (dev % NCPUS) << 16;
        c[3] = (event % NCPUS) << 16;
        break;
    default:     /* MAPTI/MAPI/MOVI/DISCARD/INV/INT/CLEAR: EventID DW1[31:0], pINTID DW1[63:32], ICID DW2[15:0] */
        c[1] = event | pintid << 32;
        c[2] = icid;
        break;
    }
    if (flags & 0x80)   /* junk in the reserved bits */
        c[3] ^= dev * 0x9E3779B97F4A7C15ull;
    ram_put(CQ_OFF + slot * 32u, c, sizeof c);
}

static void canned_setup(void)
{
    reg_write(GITS_CTLR, 0);
    reg_write(GITS_CBASER, GITS_CBASER_VALID | ram_pa(CQ_OFF));               /* 1 page */
    reg_write(GITS_BASER + 0, GITS_BASER_VALID | GITS_BASER_PAGE_64K | ram_pa(DT_OFF));
    reg_write(GITS_BASER + 8, GITS_BASER_VALID | GITS_BASER_PAGE_64K | ram_pa(CT_OFF));
    for (unsigned cpu = 0; cpu < NCPUS; cpu++) {
        rd_write(cpu, GICR_CTLR, 0);
        rd_write(cpu, GICR_PROPBASER, ram_pa(PROP_OFF) | 15);                  /* 16 ID bits */
        rd_write(cpu, GICR_PENDBASER, ram_pa(PEND_OFF + cpu * 0x10000ull));
        rd_write(cpu, GICR_CTLR, GICR_CTLR_ENABLELPIS);
    }
    memset(M->ram.host + PROP_OFF, 0xA1, 0x10000);   /* priority 0xA0, enabled */
    reg_write(GITS_CTLR, GITS_CTLR_ENABLED);
}

static void check(bool drained_expected)
{
    uint64_t cbaser = reg_read(GITS_CBASER), creadr = reg_read(GITS_CREADR);
    uint64_t qsize = ((cbaser & GITS_CBASER_SIZE_MASK) + 1) * 0x1000;
    if ((creadr & ~(GITS_CQ_OFFSET_MASK | GITS_CREADR_STALLED)) != 0)
        abort();
    if ((cbaser & GITS_CBASER_VALID) && (creadr & GITS_CQ_OFFSET_MASK) >= qsize)
        abort();
    if (drained_expected && (reg_read(GITS_CTLR) & GITS_CTLR_ENABLED) && (cbaser & GITS_CBASER_VALID) &&
        !(creadr & GITS_CREADR_STALLED) && (creadr & GITS_CQ_OFFSET_MASK) != reg_read(GITS_CWRITER))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!M)
        setup();
    its_reset(M->gic);       /* the ITS and the redistributors' LPI state to reset */
    gic_lpi_reset(M->gic);
    memset(M->ram.host, 0, RAM_SIZE);
    static const uint32_t regs[] = { GITS_CTLR, GITS_CBASER, GITS_CWRITER, GITS_BASER, GITS_BASER + 8,
                                     GITS_BASER + 16, GITS_TRANSLATER, GITS_CREADR };
    const uint64_t typer = reg_read(GITS_TYPER), iidr = reg_read(GITS_IIDR);
    FuzzIn in = { data, size };
    for (unsigned steps = 0; in.n && steps < 2048; steps++) {
        bool kicked = false;
        switch (fuzz_take(&in, 1) % 8) {
        case 0: {
            uint8_t sel = (uint8_t)fuzz_take(&in, 1);
            uint64_t v = fuzz_take(&in, 8);
            uint32_t off = sel < 0xC0 ? regs[sel % 8] : (uint32_t)((sel & 0x3f) * 0x408) & 0x1FFF8;
            if (off == GITS_TRANSLATER)
                mmio_write(VIRT_GITS_BASE + off, 4, v);
            else
                reg_write(off, v);
            kicked = off == GITS_CWRITER || off == GITS_CTLR;
            break;
        }
        case 1:
            fuzz_op_ram(M, &in);
            break;
        case 2:
            put_cmd(&in);
            break;
        case 3: {
            uint64_t n = fuzz_take(&in, 1), retry = fuzz_take(&in, 1) & 1;
            uint64_t cb = reg_read(GITS_CBASER);
            uint64_t qsize = ((cb & GITS_CBASER_SIZE_MASK) + 1) * 0x1000;
            uint64_t rd = reg_read(GITS_CREADR) & GITS_CQ_OFFSET_MASK;
            reg_write(GITS_CWRITER, ((rd + 32 * n) % qsize) | retry);
            kicked = true;
            break;
        }
        case 4: {
            unsigned cpu = (unsigned)fuzz_take(&in, 1);
            static const uint32_t r[3] = { GICR_CTLR, GICR_PROPBASER, GICR_PENDBASER };
            uint32_t off = r[fuzz_take(&in, 1) % 3];
            rd_write(cpu, off, fuzz_take(&in, 8));
            break;
        }
        case 5: {
            uint32_t dev = (uint32_t)fuzz_take(&in, 2), event = (uint32_t)fuzz_take(&in, 2);
            its_send_msi(M, dev, event);
            break;
        }
        case 6: {
            uint8_t sel = (uint8_t)fuzz_take(&in, 1);
            if (sel & 0x80)
                (void)mmio_read(VIRT_GICR_BASE + (sel & 1) * VIRT_GICR_STRIDE + (sel & 0x78), 8);
            else
                (void)reg_read(regs[sel % 8] == GITS_TRANSLATER ? GITS_CREADR : regs[sel % 8]);
            break;
        }
        case 7:
            canned_setup();
            kicked = true;
            break;
        }
        check(kicked);
    }
    if (reg_read(GITS_TYPER) != typer || reg_read(GITS_IIDR) != iidr)
        abort();
    return 0;
}
