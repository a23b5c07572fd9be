/*
 * The GICv3 ITS (GICv3 spec chapter 5.2-5.3 "The ITS", chapter 6 "ITS
 * commands", 12.19 "The GIC ITS register map"), at VIRT_GITS_BASE.
 *
 * Configuration (GITS_TYPER): physical LPIs only (Virtual = 0, no GICv4),
 * 16 DeviceID bits, 16 EventID bits, 8-byte ITT entries, PTA = 0 (a
 * collection targets a redistributor by processor number), HCC = 0 (every
 * collection is in the collection table in guest memory), CIL = 0 (16-bit
 * ICIDs), SEIS = 0. GITS_BASER0 is the device table, GITS_BASER1 the
 * collection table; both flat only (Indirect is RAZ/WI); BASER2..7 are
 * unimplemented (Type = 0, RAZ/WI). 4 KiB, 16 KiB and 64 KiB pages.
 *
 * Table entry formats (IMPLEMENTATION DEFINED, 8 little-endian bytes each):
 *   DTE  [63] Valid, [51:8] ITT address, [4:0] ITT size (EventID bits - 1)
 *   CTE  [63] Valid, [15:0] target processor number (RDbase with PTA = 0)
 *   ITE  [63] Valid, [47:32] ICID, [15:0] pINTID
 *
 * Commands are processed synchronously when GITS_CWRITER is written (or
 * GITS_CTLR.Enabled goes 0 -> 1), in queue order, each costing the timing
 * profile's [gic] its_command cycles, charged to the CPU that wrote. A
 * command that fails stalls the queue: GITS_CREADR keeps its offset and
 * gets Stalled = 1, and the error is recorded in the IMPLEMENTATION
 * DEFINED register GITS_A83_ERRR (docs/gic.md "ITS and LPIs").
 */
#include <string.h>

#include "core/machine.h"
#include "core/modules.h"
#include "gic/gic_internal.h"
#include "gic/gic_its.h"

/* Control frame offsets (GICv3 spec Table 12-32) */
enum {
    GITS_CTLR = 0x0000, GITS_IIDR = 0x0004, GITS_TYPER = 0x0008, GITS_CBASER = 0x0080,
    GITS_CWRITER = 0x0088, GITS_CREADR = 0x0090, GITS_BASER = 0x0100,
    GITS_A83_ERRR = 0xC000,      /* IMPLEMENTATION DEFINED: the last command error */
    GITS_PIDR4 = 0xFFD0,
    GITS_TRANSLATER = 0x10040,   /* translation frame (Table 12-33) */
};

/* GITS_CTLR (12.19.6) */
#define GITS_CTLR_ENABLED (1u << 0)
#define GITS_CTLR_QUIESCENT (1u << 31)
#define GITS_IIDR_VALUE 0x0000043Bu           /* Implementer Arm */

/* GITS_TYPER (12.19.24) */
#define GITS_TYPER_PHYSICAL (1ull << 0)
#define GITS_TYPER_ITT_ENTRY_SIZE_SHIFT 4
#define GITS_TYPER_IDBITS_SHIFT 8
#define GITS_TYPER_DEVBITS_SHIFT 13
#define GITS_TYPER_VALUE (GITS_TYPER_PHYSICAL |                                           \
                          ((uint64_t)(ITS_ENTRY_SIZE - 1) << GITS_TYPER_ITT_ENTRY_SIZE_SHIFT) | \
                          ((uint64_t)(ITS_EVENTBITS - 1) << GITS_TYPER_IDBITS_SHIFT) |    \
                          ((uint64_t)(ITS_DEVBITS - 1) << GITS_TYPER_DEVBITS_SHIFT))

/* GITS_CBASER (12.19.1) */
#define GITS_CBASER_VALID (1ull << 63)
#define GITS_CBASER_SIZE_MASK 0xFFull
#define GITS_CBASER_PA_MASK 0x000FFFFFFFFFF000ull
#define GITS_CBASER_RW_MASK 0xB8EFFFFFFFFFFCFFull   /* Valid, InnerCache, OuterCache, PA, Shareability, Size */
/* GITS_CWRITER / GITS_CREADR (12.19.5, 12.19.4) */
#define GITS_CQ_OFFSET_MASK 0xFFFE0ull            /* Offset [19:5] */
#define GITS_CWRITER_RETRY (1ull << 0)
#define GITS_CREADR_STALLED (1ull << 0)

/* GITS_BASER<n> (12.19.2) */
#define GITS_BASER_VALID (1ull << 63)
#define GITS_BASER_TYPE_SHIFT 56
#define GITS_BASER_ENTRY_SIZE_SHIFT 48
#define GITS_BASER_PAGE_SIZE_SHIFT 8
#define GITS_BASER_PAGE_SIZE_MASK (3ull << GITS_BASER_PAGE_SIZE_SHIFT)
#define GITS_BASER_SIZE_MASK 0xFFull
#define GITS_BASER_RW_MASK 0xB8E0FFFFFFFFFFFFull   /* Valid, InnerCache, OuterCache, PA, Sh, Page_Size, Size */
enum { GITS_BASER_TYPE_NONE = 0, GITS_BASER_TYPE_DEVICE = 1, GITS_BASER_TYPE_COLLECTION = 4 };
enum { BASER_DEVICE = 0, BASER_COLLECTION = 1 };

/* Table entries (this implementation's formats, see above) */
#define ITS_ENTRY_VALID (1ull << 63)
#define DTE_ITT_MASK 0x000FFFFFFFFFFF00ull
#define DTE_SIZE_MASK 0x1Full
#define CTE_PROC_MASK 0xFFFFull
#define ITE_ICID_SHIFT 32
#define ITE_PINTID_MASK 0xFFFFull

/* Command fields (GICv3 spec 6.3: DW0..DW3) */
#define CMD_NUM(c) ((unsigned)((c)[0] & 0xFF))
#define CMD_DEVICEID(c) ((uint32_t)((c)[0] >> 32))
#define CMD_EVENTID(c) ((uint32_t)(c)[1])
#define CMD_PINTID(c) ((uint32_t)((c)[1] >> 32))
#define CMD_SIZE(c) ((unsigned)((c)[1] & 0x1F))
#define CMD_ICID(c) ((uint32_t)((c)[2] & 0xFFFF))
#define CMD_ITT_ADDR(c) ((c)[2] & 0x000FFFFFFFFFFF00ull)   /* [51:8] */
#define CMD_RDBASE(c, dw) (((c)[dw] >> 16) & 0xFFFFFFFFFull)   /* [51:16] */
#define CMD_VALID(c) (((c)[2] >> 63) & 1)

/* ---- Guest memory (bounds-checked: no host access outside RAM) ------------- */

static bool mem_rd64(GIC *g, uint64_t pa, uint64_t *v)
{
    MemBlock *b = machine_find_mem(g->m, pa, 8);
    if (!b)
        return false;
    memcpy(v, b->host + (pa - b->base), 8);
    return true;
}

static bool mem_wr64(GIC *g, uint64_t pa, uint64_t v)
{
    MemBlock *b = machine_find_mem(g->m, pa, 8);
    if (!b || b->readonly)
        return false;
    return machine_phys_write(g->m, pa, &v, 8) == A83_OK;
}

/* ---- GITS_BASER<n> ---------------------------------------------------------- */

static uint64_t baser_type(unsigned n)
{
    return n == BASER_DEVICE ? GITS_BASER_TYPE_DEVICE
         : n == BASER_COLLECTION ? GITS_BASER_TYPE_COLLECTION : GITS_BASER_TYPE_NONE;
}

static uint64_t baser_read(const GICITS *its, unsigned n)
{
    if (baser_type(n) == GITS_BASER_TYPE_NONE)
        return 0;
    return its->baser[n] | baser_type(n) << GITS_BASER_TYPE_SHIFT |
           (uint64_t)(ITS_ENTRY_SIZE - 1) << GITS_BASER_ENTRY_SIZE_SHIFT;
}

static uint64_t baser_page_size(uint64_t b)
{
    switch ((b & GITS_BASER_PAGE_SIZE_MASK) >> GITS_BASER_PAGE_SIZE_SHIFT) {
    case 0: return 0x1000;
    case 1: return 0x4000;
    default: return 0x10000;
    }
}

/* The table's PA and size in bytes; false if the BASER is not Valid. */
static bool baser_table(const GICITS *its, unsigned n, uint64_t *pa, uint64_t *size)
{
    uint64_t b = its->baser[n];
    if (!(b & GITS_BASER_VALID))
        return false;
    uint64_t ps = baser_page_size(b);
    if (ps == 0x10000)   /* 64 KiB pages: PA[51:48] in bits [15:12] */
        *pa = (b & 0x0000FFFFFFFF0000ull) | ((b >> 12) & 0xF) << 48;
    else
        *pa = b & 0x0000FFFFFFFFF000ull & ~(ps - 1);
    *size = ((b & GITS_BASER_SIZE_MASK) + 1) * ps;
    return true;
}

/* The address of entry id of table n, or false (no table, id beyond it). */
static bool table_entry(const GICITS *its, unsigned n, uint32_t id, uint64_t *pa)
{
    uint64_t base, size;
    if (!baser_table(its, n, &base, &size) || (uint64_t)id * ITS_ENTRY_SIZE >= size)
        return false;
    *pa = base + (uint64_t)id * ITS_ENTRY_SIZE;
    return true;
}

/* ---- Translation (GICv3 spec 5.2, 6.3 pseudocode) --------------------------- */

/* The result of looking up DeviceID/EventID: the ITE and where it is. */
typedef struct ItsEvent {
    uint64_t ite_pa, ite;
    uint32_t pintid, icid;
} ItsEvent;

/* Reads the DTE of devid. Returns 0 or the cause of an error. */
static uint32_t read_dte(GIC *g, uint32_t devid, uint64_t *dte)
{
    uint64_t pa;
    if (devid >= (1u << ITS_DEVBITS) || !table_entry(&g->its, BASER_DEVICE, devid, &pa))
        return ITS_ERR_DEVICE_OOR;
    if (!mem_rd64(g, pa, dte))
        return ITS_ERR_TABLE_MEMORY;
    return 0;
}

/* DTE -> ITE for devid/eventid (the common first steps of MOVI, INT,
 * CLEAR, INV, DISCARD, MAPTI and translation). need_ite: the ITE must be
 * valid. Returns 0 or an error cause. */
static uint32_t lookup_event(GIC *g, uint32_t devid, uint32_t eventid, bool need_ite, ItsEvent *ev)
{
    uint64_t dte;
    uint32_t e = read_dte(g, devid, &dte);
    if (e)
        return e;
    if (!(dte & ITS_ENTRY_VALID))
        return ITS_ERR_UNMAPPED_DEVICE;
    unsigned bits = (unsigned)(dte & DTE_SIZE_MASK) + 1;
    if (bits < 32 && eventid >= (1u << bits))
        return ITS_ERR_ID_OOR;
    ev->ite_pa = (dte & DTE_ITT_MASK) + (uint64_t)eventid * ITS_ENTRY_SIZE;
    if (!mem_rd64(g, ev->ite_pa, &ev->ite))
        return ITS_ERR_TABLE_MEMORY;
    if (need_ite && !(ev->ite & ITS_ENTRY_VALID))
        return ITS_ERR_UNMAPPED_INTERRUPT;
    ev->pintid = (uint32_t)(ev->ite & ITE_PINTID_MASK);
    ev->icid = (uint32_t)(ev->ite >> ITE_ICID_SHIFT) & 0xFFFF;
    return 0;
}

/* Reads the CTE of icid: *cpu gets the target processor. Returns 0 or an
 * error cause (COLLECTION_OOR, TABLE_MEMORY, UNMAPPED_COLLECTION). */
static uint32_t lookup_collection(GIC *g, uint32_t icid, unsigned *cpu)
{
    uint64_t pa, cte;
    if (icid >= (1u << ITS_CIDBITS) || !table_entry(&g->its, BASER_COLLECTION, icid, &pa))
        return ITS_ERR_COLLECTION_OOR;
    if (!mem_rd64(g, pa, &cte))
        return ITS_ERR_TABLE_MEMORY;
    if (!(cte & ITS_ENTRY_VALID) || (cte & CTE_PROC_MASK) >= g->ncpus)
        return ITS_ERR_UNMAPPED_COLLECTION;
    *cpu = (unsigned)(cte & CTE_PROC_MASK);
    return 0;
}

static bool pintid_ok(uint32_t id) { return id >= GIC_LPI_BASE && id < GIC_LPI_LIMIT; }

uint32_t its_send_msi(Machine *m, uint32_t devid, uint32_t eventid)
{
    GIC *g = m->gic;
    if (!g || !(g->its.ctlr & GITS_CTLR_ENABLED))
        return ITS_ERR(0, ITS_ERR_UNSUPPORTED);
    ItsEvent ev;
    unsigned cpu;
    uint32_t e = lookup_event(g, devid, eventid, true, &ev);
    if (!e)
        e = lookup_collection(g, ev.icid, &cpu);
    if (e) {
        g->its.dropped++;
        return ITS_ERR(0, e);
    }
    gic_lpi_set_pending(g, cpu, ev.pintid, true);
    gic_update(m);
    return 0;
}

/* ---- Commands (GICv3 spec 6.3) ------------------------------------------------ */

static uint32_t cmd_mapd(GIC *g, const uint64_t *c)
{
    uint64_t pa;
    uint32_t devid = CMD_DEVICEID(c);
    if (devid >= (1u << ITS_DEVBITS) || !table_entry(&g->its, BASER_DEVICE, devid, &pa))
        return ITS_ERR_DEVICE_OOR;
    uint64_t dte = 0;
    if (CMD_VALID(c)) {
        if (CMD_SIZE(c) + 1 > ITS_EVENTBITS)
            return ITS_ERR_SIZE_OOR;
        dte = ITS_ENTRY_VALID | CMD_ITT_ADDR(c) | CMD_SIZE(c);
    }
    return mem_wr64(g, pa, dte) ? 0 : ITS_ERR_TABLE_MEMORY;
}

static uint32_t cmd_mapc(GIC *g, const uint64_t *c)
{
    uint64_t pa;
    uint32_t icid = CMD_ICID(c);
    if (!table_entry(&g->its, BASER_COLLECTION, icid, &pa))
        return ITS_ERR_COLLECTION_OOR;
    uint64_t rd = CMD_RDBASE(c, 2), cte = 0;
    if (CMD_VALID(c)) {
        if (rd >= g->ncpus)
            return ITS_ERR_PROCNUM_OOR;
        cte = ITS_ENTRY_VALID | rd;
    }
    return mem_wr64(g, pa, cte) ? 0 : ITS_ERR_TABLE_MEMORY;
}

static uint32_t cmd_mapti(GIC *g, const uint64_t *c, bool mapi)
{
    ItsEvent ev;
    uint32_t eventid = CMD_EVENTID(c), pintid = mapi ? eventid : CMD_PINTID(c);
    uint32_t e = lookup_event(g, CMD_DEVICEID(c), eventid, false, &ev);
    if (e)
        return e;
    uint64_t pa;
    if (!table_entry(&g->its, BASER_COLLECTION, CMD_ICID(c), &pa))
        return ITS_ERR_COLLECTION_OOR;
    if (!pintid_ok(pintid))
        return ITS_ERR_PHYSICALID_OOR;
    uint64_t ite = ITS_ENTRY_VALID | (uint64_t)CMD_ICID(c) << ITE_ICID_SHIFT | pintid;
    return mem_wr64(g, ev.ite_pa, ite) ? 0 : ITS_ERR_TABLE_MEMORY;
}

/* INT, CLEAR, INV, DISCARD: the event's LPI on its collection's target. */
static uint32_t cmd_event(GIC *g, const uint64_t *c, unsigned num)
{
    ItsEvent ev;
    unsigned cpu;
    uint32_t e = lookup_event(g, CMD_DEVICEID(c), CMD_EVENTID(c), true, &ev);
    if (!e)
        e = lookup_collection(g, ev.icid, &cpu);
    if (e)
        return e;
    switch (num) {
    case ITS_CMD_INT: gic_lpi_set_pending(g, cpu, ev.pintid, true); break;
    case ITS_CMD_CLEAR: gic_lpi_set_pending(g, cpu, ev.pintid, false); break;
    case ITS_CMD_DISCARD:
        gic_lpi_set_pending(g, cpu, ev.pintid, false);
        if (!mem_wr64(g, ev.ite_pa, 0))
            return ITS_ERR_TABLE_MEMORY;
        break;
    default: break;   /* INV: no configuration is cached (gic_lpi.c) */
    }
    return 0;
}

static uint32_t cmd_movi(GIC *g, const uint64_t *c)
{
    ItsEvent ev;
    unsigned from, to;
    uint32_t e = lookup_event(g, CMD_DEVICEID(c), CMD_EVENTID(c), true, &ev);
    if (e)
        return e;
    if ((e = lookup_collection(g, CMD_ICID(c), &to)))
        return e;
    if ((e = lookup_collection(g, ev.icid, &from)))
        return e;
    /* A pending LPI moves with its mapping (6.3.x MOVI). */
    if (from != to && gic_lpi_pending(g, from, ev.pintid)) {
        gic_lpi_set_pending(g, from, ev.pintid, false);
        gic_lpi_set_pending(g, to, ev.pintid, true);
    }
    uint64_t ite = (ev.ite & ~(0xFFFFull << ITE_ICID_SHIFT)) |
                   (uint64_t)CMD_ICID(c) << ITE_ICID_SHIFT;
    return mem_wr64(g, ev.ite_pa, ite) ? 0 : ITS_ERR_TABLE_MEMORY;
}

uint32_t its_execute(GIC *g, const uint64_t c[4])
{
    unsigned num = CMD_NUM(c), cpu;
    uint32_t e = 0;
    switch (num) {
    case ITS_CMD_MAPD: e = cmd_mapd(g, c); break;
    case ITS_CMD_MAPC: e = cmd_mapc(g, c); break;
    case ITS_CMD_MAPTI: e = cmd_mapti(g, c, false); break;
    case ITS_CMD_MAPI: e = cmd_mapti(g, c, true); break;
    case ITS_CMD_INT: case ITS_CMD_CLEAR: case ITS_CMD_INV: case ITS_CMD_DISCARD:
        e = cmd_event(g, c, num);
        break;
    case ITS_CMD_MOVI: e = cmd_movi(g, c); break;
    case ITS_CMD_INVALL:
        e = lookup_collection(g, CMD_ICID(c), &cpu);   /* nothing cached: a re-evaluation */
        break;
    case ITS_CMD_SYNC:
        /* every effect is complete when a command finishes */
        if (CMD_RDBASE(c, 2) >= g->ncpus)
            e = ITS_ERR_PROCNUM_OOR;
        break;
    case ITS_CMD_MOVALL: {
        uint64_t r1 = CMD_RDBASE(c, 2), r2 = CMD_RDBASE(c, 3);
        if (r1 >= g->ncpus || r2 >= g->ncpus)
            e = ITS_ERR_DEVICE_OOR;   /* MOVALL_PROCNUM_OOR: cause 0x01 */
        else
            gic_lpi_move_all(g, (unsigned)r1, (unsigned)r2);
        break;
    }
    default: e = ITS_ERR_UNSUPPORTED; break;   /* incl. GICv4 commands: Virtual = 0 */
    }
    return e ? ITS_ERR(num, e) : 0;
}

/* Processes the queue from GITS_CREADR up to GITS_CWRITER (GICv3 spec
 * 6.2.1), stopping at the first command that fails. At most one pass over
 * the queue, so it always ends. c (may be NULL) pays the cycles. */
static void its_process(GIC *g, CPUState *c)
{
    GICITS *its = &g->its;
    if (!(its->ctlr & GITS_CTLR_ENABLED) || !(its->cbaser & GITS_CBASER_VALID) ||
        (its->creadr & GITS_CREADR_STALLED))
        return;
    uint64_t qsize = ((its->cbaser & GITS_CBASER_SIZE_MASK) + 1) * 0x1000;
    uint64_t base = its->cbaser & GITS_CBASER_PA_MASK;
    if (its->cwriter >= qsize) {   /* CWRITER beyond the queue: UNPREDICTABLE, stalls */
        its->creadr |= GITS_CREADR_STALLED;
        its->error = ITS_ERR(0, ITS_ERR_TABLE_MEMORY);
        return;
    }
    uint64_t n = 0;
    while ((its->creadr & GITS_CQ_OFFSET_MASK) != its->cwriter) {
        uint64_t off = its->creadr & GITS_CQ_OFFSET_MASK, cmd[4];
        uint32_t e = 0;
        for (unsigned k = 0; k < 4 && !e; k++)
            if (!mem_rd64(g, base + off + 8 * k, &cmd[k]))
                e = ITS_ERR(0, ITS_ERR_TABLE_MEMORY);
        if (!e)
            e = its_execute(g, cmd);
        n++;
        if (e) {
            its->creadr = off | GITS_CREADR_STALLED;
            its->error = e;
            break;
        }
        its->creadr = (off + ITS_CMD_SIZE) % qsize;
        its->commands++;
    }
    if (c)
        c->cycles += n * g->m->timing.its_command;
    gic_update(g->m);
}

/* ---- MMIO --------------------------------------------------------------------- */

static uint64_t gits_reg_read(GIC *g, uint32_t off)
{
    GICITS *its = &g->its;
    switch (off) {
    case GITS_CTLR:
        return its->ctlr | (its->ctlr & GITS_CTLR_ENABLED ? 0 : GITS_CTLR_QUIESCENT);
    case GITS_IIDR: return GITS_IIDR_VALUE;
    case GITS_TYPER: return GITS_TYPER_VALUE;
    case GITS_CBASER: return its->cbaser;
    case GITS_CWRITER: return its->cwriter;
    case GITS_CREADR: return its->creadr;
    case GITS_A83_ERRR: return its->error;
    }
    if (off >= GITS_BASER && off < GITS_BASER + 8 * ITS_NR_BASER)
        return baser_read(its, (off - GITS_BASER) / 8);
    if (off >= GITS_PIDR4 && off <= 0xFFFC)
        return gic_id_reg(off);
    return 0;   /* reserved, GITS_TRANSLATER (WO): RAZ */
}

static void gits_reg_write(GIC *g, CPUState *c, uint32_t off, uint64_t v)
{
    GICITS *its = &g->its;
    bool enabled = its->ctlr & GITS_CTLR_ENABLED;
    if (off == GITS_CTLR) {
        its->ctlr = (uint32_t)v & GITS_CTLR_ENABLED;
        if (!enabled && (its->ctlr & GITS_CTLR_ENABLED))
            its_process(g, c);   /* commands written while disabled run now */
    } else if (off == GITS_CBASER) {
        if (enabled)
            return;   /* UNPREDICTABLE while Enabled = 1: ignored */
        its->cbaser = v & GITS_CBASER_RW_MASK;
        its->creadr = 0;   /* 12.19.1: a write sets GITS_CREADR to 0 (and clears Stalled) */
        its->error = 0;
    } else if (off == GITS_CWRITER) {
        its->cwriter = v & GITS_CQ_OFFSET_MASK;
        if ((v & GITS_CWRITER_RETRY) && (its->creadr & GITS_CREADR_STALLED)) {
            its->creadr &= ~GITS_CREADR_STALLED;   /* retry the stalled command */
            its->error = 0;
        }
        its_process(g, c);
    } else if (off >= GITS_BASER && off < GITS_BASER + 8 * ITS_NR_BASER) {
        unsigned n = (off - GITS_BASER) / 8;
        if (enabled || baser_type(n) == GITS_BASER_TYPE_NONE)
            return;   /* unimplemented: RAZ/WI; while Enabled = 1: ignored */
        v &= GITS_BASER_RW_MASK;
        if ((v & GITS_BASER_PAGE_SIZE_MASK) == GITS_BASER_PAGE_SIZE_MASK)   /* reserved -> 64K */
            v &= ~(1ull << GITS_BASER_PAGE_SIZE_SHIFT);
        its->baser[n] = v;
    }
    /* GITS_IIDR, GITS_TYPER, GITS_CREADR (RO with no GICv4.1), reserved: WI */
}

static bool is_reg64(uint32_t off)
{
    return off == GITS_TYPER || off == GITS_CBASER || off == GITS_CWRITER ||
           off == GITS_CREADR || (off >= GITS_BASER && off < GITS_BASER + 8 * ITS_NR_BASER);
}

bool gits_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    GIC *g = opaque;
    (void)cpu;
    if (off & (size - 1) || (size != 4 && size != 8) || (size == 8 && !is_reg64((uint32_t)off)))
        return false;
    uint32_t o = (uint32_t)off;
    if (size == 4 && (o & 4) && is_reg64(o - 4)) {
        *val = gits_reg_read(g, o - 4) >> 32;   /* upper half of a 64-bit register */
        return true;
    }
    uint64_t v = gits_reg_read(g, o);
    *val = size == 4 ? (uint32_t)v : v;
    return true;
}

bool gits_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val)
{
    GIC *g = opaque;
    uint32_t o = (uint32_t)off;
    if (o == GITS_TRANSLATER || o == GITS_TRANSLATER + 2) {
        /* 16- or 32-bit write of the EventID (12.19.27); a CPU's write
         * carries DeviceID 0 (IMPLEMENTATION DEFINED: docs/gic.md). */
        if ((size != 2 && size != 4) || (o & (size - 1)))
            return false;
        if (o == GITS_TRANSLATER)
            its_send_msi(g->m, 0, (uint32_t)val);
        return true;
    }
    if (off & (size - 1) || (size != 4 && size != 8) || (size == 8 && !is_reg64(o)))
        return false;
    if (size == 8 || !is_reg64(o & ~7u)) {
        gits_reg_write(g, cpu, o, val);
        return true;
    }
    /* 32-bit half of a 64-bit register: merge with the current value */
    uint32_t r = o & ~7u;
    uint64_t cur = r == GITS_CWRITER ? g->its.cwriter : r == GITS_CBASER ? g->its.cbaser
                 : (r >= GITS_BASER ? g->its.baser[(r - GITS_BASER) / 8] : 0);
    uint64_t nv = (o & 4) ? (cur & 0xFFFFFFFFull) | val << 32
                          : (cur & ~0xFFFFFFFFull) | (val & 0xFFFFFFFFull);
    gits_reg_write(g, cpu, r, nv);
    return true;
}

void its_reset(GIC *g)
{
    memset(&g->its, 0, sizeof g->its);
}
