/*
 * The embedding API (arm83emu.h; docs/embedding.md), driven with real A64
 * code in guest RAM: hooks (code, block, memory, exception entry/return,
 * system registers, interrupt acknowledge), host MMIO devices, host
 * interrupt lines, embedder RAM, time control (a83_run_cycles,
 * a83_cpu_run_cycles, a83_now, a83_next_event, the idle callback),
 * side-effect-free register reads, a83_request_stop from another thread,
 * the exact cycle limit and a83_step over a pending interrupt.
 *
 * The A64 words were assembled with aarch64-linux-gnu-as; each array
 * carries its source. Arm ARM references are on the tests.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "gic_test_util.h"

#define CODE_PA 0x40080000ull
#define VBAR_PA 0x40090000ull
#define IDLE_PA 0x400A0000ull
#define DATA_PA 0x40100000ull
#define DEV_PA 0x20000000ull    /* unused by the board: host device */
#define XRAM_PA 0x30000000ull   /* unused by the board: embedder RAM */

/*      mov  x0, #0
 *      mov  x1, #100
 *  1:  add  x0, x0, #1         // 0x08
 *      str  x0, [x2]           // 0x0c
 *      ldr  x3, [x2]           // 0x10
 *      cmp  x0, x1
 *      b.ne 1b                 // 0x18
 *      svc  #0x42              // 0x1c
 *      mrs  x4, tpidr_el1      // 0x20
 *      msr  tpidr_el1, x0      // 0x24
 *  2:  b    2b                 // 0x28 */
static const uint32_t main_code[] = {
    0xd2800000, 0xd2800c81, 0x91000400, 0xf9000040, 0xf9400043, 0xeb01001f,
    0x54ffff81, 0xd4000841, 0xd538d084, 0xd518d080, 0x14000000,
};
#define MAIN_END (CODE_PA + 0x28)
/* VBAR_EL1 + 0x200 (current EL, SP_ELx, synchronous): mrs x5, esr_el1; eret */
static const uint32_t vec_sync[] = { 0xd5385205, 0xd69f03e0 };
/* VBAR_EL1 + 0x280 (current EL, SP_ELx, IRQ):
 *      mrs x6, icc_iar1_el1; str w6, [x7]; msr icc_eoir1_el1, x6; eret */
static const uint32_t vec_irq[] = { 0xd538cc06, 0xb90000e6, 0xd518cc26, 0xd69f03e0 };
/*      msr daifclr, #2;  1: wfi;  b 1b */
static const uint32_t idle_code[] = { 0xd50342ff, 0xd503207f, 0x17ffffff };

static void put(a83_machine *m, uint64_t pa, const uint32_t *w, size_t n)
{
    assert_int_equal(a83_phys_write(m, pa, w, n * 4), A83_OK);
}

static a83_machine *mk_q(unsigned ncpus, uint32_t quantum)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    if (quantum)
        cfg.quantum = quantum;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    put(m, CODE_PA, main_code, 11);
    put(m, VBAR_PA + 0x200, vec_sync, 2);
    put(m, VBAR_PA + 0x280, vec_irq, 4);
    put(m, IDLE_PA, idle_code, 3);
    assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL1", VBAR_PA), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, CODE_PA), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, 2, DATA_PA), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, 7, DEV_PA), A83_OK);
    return m;
}

static a83_machine *mk(unsigned ncpus) { return mk_q(ncpus, 0); }

static uint64_t xreg(a83_machine *m, unsigned r)
{
    uint64_t v;
    assert_int_equal(a83_reg_read(m, 0, (a83_reg)r, &v), A83_OK);
    return v;
}

/* The GIC set up for INTID id, Group 1, priority 0x80, routed to CPU 0,
 * and the CPU interface of CPU 0 enabled (GICv3 spec 12.9.4 GICD_CTLR
 * ARE + EnableGrp1, 12.2.15 ICC_IGRPEN1_EL1, 12.2.18 ICC_PMR_EL1). */
static void gic_enable(a83_machine *m, unsigned id)
{
    wr32(m, GICD, 0x12);
    wr32(m, GICR(0) + 0x14, 0);   /* GICR_WAKER: wake the redistributor (12.11.41) */
    spi_setup(m, id, 1, 0x80, 0);
    assert_int_equal(a83_sysreg_write(m, 0, "ICC_PMR_EL1", 0xff), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "ICC_IGRPEN1_EL1", 1), A83_OK);
}

/* ---- Hooks ------------------------------------------------------------------- */

typedef struct Rec {
    unsigned code, block, mem_r, mem_w, exc, eret, sysreg_r, sysreg_w, ack;
    a83_hook_event last[A83_HOOK__COUNT];
    uint64_t stop_at;
} Rec;

static void rec_hook(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    Rec *r = opaque;
    r->last[ev->type] = *ev;
    switch (ev->type) {
    case A83_HOOK_CODE: r->code++; break;
    case A83_HOOK_BLOCK: r->block++; break;
    case A83_HOOK_MEM_READ: r->mem_r++; break;
    case A83_HOOK_MEM_WRITE: r->mem_w++; break;
    case A83_HOOK_EXCEPTION: r->exc++; break;
    case A83_HOOK_ERET: r->eret++; break;
    case A83_HOOK_SYSREG: if (ev->write) r->sysreg_w++; else r->sysreg_r++; break;
    case A83_HOOK_IRQ_ACK: r->ack++; break;
    default: break;
    }
    if (ev->type == A83_HOOK_CODE && r->stop_at && ev->pc == r->stop_at)
        a83_request_stop(m);
}

/* Every hook type on the main program: 100 loop iterations of 5
 * instructions, an SVC (Arm ARM D1.10: exception entry to VBAR_EL1 + 0x200,
 * ESR_EL1.EC = 0x15 with the immediate in ISS) and an ERET back, an MRS and
 * an MSR of TPIDR_EL1. */
static void test_hooks_every_type(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    Rec r = { 0 };
    a83_hook h[8];
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, rec_hook, &r, CODE_PA, MAIN_END, &h[0]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_BLOCK, rec_hook, &r, 1, 0, &h[1]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_MEM_READ, rec_hook, &r, DATA_PA, DATA_PA + 7, &h[2]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_MEM_WRITE | A83_HOOK_VIRT, rec_hook, &r, DATA_PA,
                                  DATA_PA, &h[3]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_EXCEPTION, rec_hook, &r, 1, 0, &h[4]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_ERET, rec_hook, &r, 1, 0, &h[5]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_SYSREG, rec_hook, &r, A83_SYSREG(3, 0, 13, 0, 4),
                                  A83_SYSREG(3, 0, 13, 0, 4), &h[6]), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_IRQ_ACK, rec_hook, &r, 1, 0, &h[7]), A83_OK);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 2 + 500 + 1 + 2 + 2 + 5, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    /* code: 2 + 500 + svc + mrs + msr + the branch-to-self 5 times = 510
     * in range; the vector's two instructions are outside the range */
    assert_int_equal(r.code, 2 + 500 + 1 + 2 + 5);
    /* blocks: the start, each taken b.ne (99), the vector, the return, and
     * every taken branch-to-self (4: its first execution is sequential) */
    assert_int_equal(r.block, 1 + 99 + 1 + 1 + 4);
    assert_int_equal(r.mem_r, 100);
    assert_int_equal(r.mem_w, 100);
    assert_int_equal(r.last[A83_HOOK_MEM_WRITE].value, 100);
    assert_int_equal(r.last[A83_HOOK_MEM_WRITE].size, 8);
    assert_int_equal(r.last[A83_HOOK_MEM_WRITE].pa, DATA_PA);
    assert_int_equal(r.last[A83_HOOK_MEM_READ].pc, CODE_PA + 0x10);
    assert_int_equal(r.exc, 1);
    const a83_hook_event *e = &r.last[A83_HOOK_EXCEPTION];
    assert_int_equal(e->va, VBAR_PA + 0x200);
    assert_int_equal(e->vector, 0x200);
    assert_int_equal(e->value >> 26, 0x15);            /* EC: SVC from AArch64 */
    assert_int_equal(e->value & 0xffff, 0x42);
    assert_int_equal(e->pc, CODE_PA + 0x20);           /* preferred return: after the SVC */
    assert_int_equal(e->from_el, 1);
    assert_int_equal(e->to_el, 1);
    assert_int_equal(r.eret, 1);
    assert_int_equal(r.last[A83_HOOK_ERET].va, CODE_PA + 0x20);
    assert_int_equal(r.sysreg_r, 1);
    assert_int_equal(r.sysreg_w, 1);
    assert_int_equal(r.last[A83_HOOK_SYSREG].value, 100);
    assert_int_equal(r.last[A83_HOOK_SYSREG].insn, A83_SYSREG(3, 0, 13, 0, 4));
    assert_int_equal(r.ack, 0);
    /* removal: no more calls; errors for unknown handles */
    for (int i = 0; i < 8; i++)
        assert_int_equal(a83_hook_del(m, h[i]), A83_OK);
    assert_int_equal(a83_hook_del(m, h[0]), A83_ERR_ARG);
    assert_int_equal(a83_hook_del(m, 0), A83_ERR_ARG);
    unsigned before = r.code;
    assert_int_equal(a83_run(m, 10, &why), A83_OK);
    assert_int_equal(r.code, before);
    a83_machine_destroy(m);
}

static void test_hook_errors(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    Rec r = { 0 };
    assert_int_equal(a83_hook_add(NULL, A83_HOOK_CODE, rec_hook, &r, 1, 0, NULL), A83_ERR_ARG);
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, NULL, &r, 1, 0, NULL), A83_ERR_ARG);
    assert_int_equal(a83_hook_add(m, 0, rec_hook, &r, 1, 0, NULL), A83_ERR_ARG);
    assert_int_equal(a83_hook_add(m, A83_HOOK__COUNT, rec_hook, &r, 1, 0, NULL), A83_ERR_ARG);
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE | A83_HOOK_VIRT, rec_hook, &r, 1, 0, NULL),
                     A83_ERR_ARG);
    assert_int_equal(a83_hook_del(NULL, 1), A83_ERR_ARG);
    a83_machine_destroy(m);
}

/* A code hook that requests a stop at an address acts as a breakpoint: the
 * run stops before that instruction executes. Hooks do not change
 * simulated cycles: the same run without hooks ends at the same cycles. */
static void test_code_hook_breakpoint_and_no_cost(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    Rec r = { .stop_at = CODE_PA + 0x1c };   /* the SVC */
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, rec_hook, &r, 1, 0, NULL), A83_OK);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 0, &why), A83_OK);
    assert_int_equal(why, A83_STOP_REQUEST);
    assert_int_equal(xreg(m, A83_REG_PC), CODE_PA + 0x1c);
    assert_int_equal(xreg(m, 0), 100);
    uint64_t insns, cyc;
    a83_cpu_counters(m, 0, &insns, &cyc);
    assert_int_equal(insns, 2 + 500);
    /* without hooks: the same instructions cost the same cycles */
    a83_machine *m2 = mk(1);
    assert_int_equal(a83_run(m2, 502, &why), A83_OK);
    uint64_t insns2, cyc2;
    a83_cpu_counters(m2, 0, &insns2, &cyc2);
    assert_int_equal(insns2, insns);
    assert_int_equal(cyc2, cyc);
    a83_machine_destroy(m2);
    a83_machine_destroy(m);
}

/* A hook that removes itself is not called again; device mapping from a
 * hook is refused (A83_ERR_STATE); a stop requested by a code hook ends a
 * per-CPU run before that instruction. */
typedef struct SelfDel {
    a83_hook h;
    unsigned calls;
    a83_err map_err;
} SelfDel;

static void self_del(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    SelfDel *d = opaque;
    (void)ev;
    d->calls++;
    d->map_err = a83_mmio_map(m, DEV_PA, 0x1000, NULL, NULL, NULL);
    assert_int_equal(a83_hook_del(m, d->h), A83_OK);
    assert_int_equal(a83_hook_del(m, d->h), A83_ERR_ARG);   /* already gone */
}

static void test_hook_self_removal_and_cpu_run_stop(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    SelfDel d = { 0 };
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, self_del, &d, 1, 0, &d.h), A83_OK);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 20, &why), A83_OK);
    assert_int_equal(d.calls, 1);
    assert_int_equal(d.map_err, A83_ERR_STATE);
    Rec r = { .stop_at = CODE_PA + 0x1c };
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, rec_hook, &r, 1, 0, NULL), A83_OK);
    uint64_t used, cyc0, cyc;
    a83_cpu_counters(m, 0, NULL, &cyc0);
    assert_int_equal(a83_cpu_run_cycles(m, 0, 1000000, &used, &why), A83_OK);
    assert_int_equal(why, A83_STOP_REQUEST);
    assert_int_equal(xreg(m, A83_REG_PC), CODE_PA + 0x1c);
    a83_cpu_counters(m, 0, NULL, &cyc);
    assert_int_equal(used, cyc - cyc0);
    a83_machine_destroy(m);
}

/* ---- Host devices, interrupts, idle callback ----------------------------------- */

typedef struct Dev {
    a83_machine *m;
    unsigned writes, idles, reads;
    uint64_t last, last_off;
    unsigned last_size;
} Dev;

static bool dev_read(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t *val)
{
    Dev *d = opaque;
    assert_int_equal(cpu, 0);
    d->reads++;
    *val = 0x1122334455667788ull + off;
    d->last_size = size;
    return off < 0x100;
}

static bool dev_write(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t val)
{
    Dev *d = opaque;
    (void)cpu;
    d->writes++;
    d->last = val;
    d->last_off = off;
    d->last_size = size;
    a83_irq_set(d->m, 96, false);   /* the device lowers its line when served */
    return true;
}

static void idle(a83_machine *m, void *opaque, uint64_t now, uint64_t next)
{
    Dev *d = opaque;
    (void)next;
    assert_int_equal(now, a83_now(m));
    if (d->idles++ == 0)
        assert_int_equal(a83_irq_set(m, 96, true), A83_OK);
    else
        a83_request_stop(m);
}

/* The guest waits in WFI (Arm ARM D1.16.2); the idle callback raises SPI
 * 96; the IRQ handler acknowledges it (ICC_IAR1_EL1, GICv3 spec 12.2.11:
 * the IRQ_ACK hook sees INTID 96), writes the INTID to the host device and
 * ends it (EOIR); the device lowers the line; the next idle stops. */
static void test_host_device_irq_idle(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    Dev d = { .m = m };
    Rec r = { 0 };
    assert_int_equal(a83_mmio_map(m, DEV_PA, 0x1000, dev_read, dev_write, &d), A83_OK);
    assert_int_equal(a83_hook_add(m, A83_HOOK_IRQ_ACK, rec_hook, &r, 96, 96, NULL), A83_OK);
    a83_set_idle_callback(m, idle, &d);
    gic_enable(m, 96);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, IDLE_PA), A83_OK);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 100000, &why), A83_OK);
    assert_int_equal(why, A83_STOP_REQUEST);
    assert_int_equal(d.idles, 2);
    assert_int_equal(d.writes, 1);
    assert_int_equal(d.last, 96);
    assert_int_equal(d.last_off, 0);
    assert_int_equal(d.last_size, 4);
    assert_int_equal(r.ack, 1);
    assert_int_equal(r.last[A83_HOOK_IRQ_ACK].value, 96);
    assert_false(r.last[A83_HOOK_IRQ_ACK].is_virtual);
    a83_machine_destroy(m);
}

/* Host device reads of every size, and a rejected access: a synchronous
 * external abort (Arm ARM D1.10.4, ESR_EL1.EC = 0x25, DFSC = 0x10). */
static void test_host_device_read_and_abort(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    Dev d = { .m = m };
    assert_int_equal(a83_mmio_map(m, DEV_PA, 0x1000, dev_read, NULL, &d), A83_OK);
    /*  ldrh w8, [x7, #2];  ldr x9, [x7, #8];  ldr x10, [x7, #0x200];  b . */
    static const uint32_t code[] = { 0x794004e8, 0xf94004e9, 0xf94100ea, 0x14000000 };
    put(m, CODE_PA, code, 4);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 2, &why), A83_OK);
    assert_int_equal(xreg(m, 8), 0x778a);                  /* 16 bits of 0x..778a */
    assert_int_equal(xreg(m, 9), 0x1122334455667790ull);
    assert_int_equal(a83_run(m, 1, &why), A83_OK);        /* the rejected read */
    uint64_t esr;
    assert_int_equal(a83_sysreg_read(m, 0, "ESR_EL1", &esr), A83_OK);
    assert_int_equal(esr >> 26, 0x25);
    assert_int_equal(esr & 0x3f, 0x10);
    assert_int_equal(xreg(m, A83_REG_PC), VBAR_PA + 0x200);
    /* errors */
    assert_int_equal(a83_mmio_map(m, DEV_PA + 0x800, 0x1000, dev_read, NULL, &d), A83_ERR_OVERLAP);
    assert_int_equal(a83_mmio_map(m, 0x09000000, 0x10, dev_read, NULL, &d), A83_ERR_OVERLAP);
    assert_int_equal(a83_mmio_map(m, 0x40000000 - 0x1000, 0x2000, dev_read, NULL, &d),
                     A83_ERR_OVERLAP);                    /* into RAM */
    assert_int_equal(a83_mmio_map(m, 0x3f000000, 0x10000000, dev_read, NULL, &d),
                     A83_ERR_OVERLAP);                    /* around all of RAM */
    assert_int_equal(a83_mmio_map(m, DEV_PA + 0x10000, 0, dev_read, NULL, &d), A83_ERR_ARG);
    assert_int_equal(a83_mmio_map(m, ~0ull - 0xff, 0x1000, dev_read, NULL, &d), A83_ERR_ARG);
    assert_int_equal(a83_mmio_map(NULL, DEV_PA, 0x10, dev_read, NULL, &d), A83_ERR_ARG);
    a83_machine_destroy(m);
}

/* a83_cpu_stall from a device callback: the accessing CPU's cycles grow by
 * exactly the stall (the TLM wrapper's annotated delay), on top of the
 * access's own cost (timing.md), which stays the same. */
typedef struct StallDev { a83_machine *m; uint64_t stall; } StallDev;

static bool stall_read(void *opaque, unsigned cpu, uint64_t off, unsigned size, uint64_t *val)
{
    StallDev *d = opaque;
    (void)off;
    (void)size;
    *val = 0x5a;
    return a83_cpu_stall(d->m, cpu, d->stall) == A83_OK;
}

static void test_cpu_stall(void **s)
{
    (void)s;
    static const uint32_t ldr_dev[] = { 0xb94000e1 };   /* ldr w1, [x7] */
    uint64_t cost[2];
    for (unsigned k = 0; k < 2; k++) {
        a83_machine *m = mk(1);
        StallDev d = { m, k ? 1000 : 0 };
        assert_int_equal(a83_mmio_map(m, DEV_PA, 0x1000, stall_read, NULL, &d), A83_OK);
        put(m, CODE_PA, ldr_dev, 1);
        uint64_t c0, c1;
        a83_cpu_counters(m, 0, NULL, &c0);
        assert_int_equal(a83_step(m, 0), A83_OK);
        a83_cpu_counters(m, 0, NULL, &c1);
        assert_int_equal(xreg(m, 1), 0x5a);
        cost[k] = c1 - c0;
        assert_int_equal(a83_now(m), c1);
        /* between runs: machine time follows at once */
        assert_int_equal(a83_cpu_stall(m, 0, 7), A83_OK);
        assert_int_equal(a83_now(m), c1 + 7);
        assert_int_equal(a83_cpu_stall(m, 1, 7), A83_ERR_ARG);
        assert_int_equal(a83_cpu_stall(NULL, 0, 7), A83_ERR_ARG);
        a83_machine_destroy(m);
    }
    assert_int_equal(cost[1] - cost[0], 1000);
    assert_true(cost[0] >= 4);   /* at least the load class of the default profile */
}

static void test_irq_set_errors(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    assert_int_equal(a83_irq_set(m, 33, true), A83_ERR_ARG);   /* the PL011's SPI */
    assert_int_equal(a83_irq_set(m, 95, true), A83_ERR_ARG);
    assert_int_equal(a83_irq_set(m, 288, true), A83_ERR_ARG);
    assert_int_equal(a83_irq_set(NULL, 96, true), A83_ERR_ARG);
    assert_int_equal(a83_irq_set(m, A83_HOST_INTID_LAST, true), A83_OK);
    a83_machine_destroy(m);
}

/* Embedder RAM: code runs from it and its stores land in the host buffer. */
static void test_ram_map(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    static uint8_t buf[0x2000] __attribute__((aligned(4096)));
    memset(buf, 0, sizeof buf);
    /*  movz x0, #0xbeef;  str x0, [x1];  b . */
    static const uint32_t code[] = { 0xd297dde0, 0xf9000020, 0x14000000 };
    memcpy(buf, code, sizeof code);
    assert_int_equal(a83_ram_map(m, XRAM_PA, sizeof buf, buf), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, XRAM_PA), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, 1, XRAM_PA + 0x1000), A83_OK);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 3, &why), A83_OK);
    uint64_t v;
    memcpy(&v, buf + 0x1000, 8);
    assert_int_equal(v, 0xbeef);
    assert_int_equal(a83_phys_read(m, XRAM_PA + 0x1000, &v, 8), A83_OK);
    assert_int_equal(v, 0xbeef);
    /* errors */
    assert_int_equal(a83_ram_map(m, XRAM_PA + 0x1000, 0x1000, buf), A83_ERR_OVERLAP);
    assert_int_equal(a83_ram_map(m, 0x40000000, 0x1000, buf), A83_ERR_OVERLAP);
    assert_int_equal(a83_ram_map(m, XRAM_PA + 0x10000, 0x100, buf), A83_ERR_ARG);
    assert_int_equal(a83_ram_map(m, XRAM_PA + 0x10800, 0x1000, buf), A83_ERR_ARG);
    assert_int_equal(a83_ram_map(m, XRAM_PA + 0x10000, 0x1000, buf + 8), A83_ERR_ARG);
    assert_int_equal(a83_ram_map(m, XRAM_PA + 0x10000, 0x1000, NULL), A83_ERR_ARG);
    Dev d = { .m = m };
    assert_int_equal(a83_mmio_map(m, XRAM_PA, 0x10, dev_read, NULL, &d), A83_ERR_OVERLAP);
    a83_machine_destroy(m);
}

/* ---- Time --------------------------------------------------------------------- */

/*  1: add x0, x0, #1;  b 1b */
static const uint32_t spin[] = { 0x91000400, 0x17ffffff };

/* A loop with a 4-cycle load: "1: ldr x3, [x2]; b 1b" (timing.md default
 * profile: load 4, branch 1, MMU off so no walk), so an iteration is 5 cycles
 * and block ends (taken branches) fall on multiples of 5 from cycle 0. */
static const uint32_t ldr_spin[] = { 0xf9400043, 0x17ffffff };

/* The cycle-limit rule (docs/embedding.md "Time"): a run limited to cycle
 * L stops every CPU at its first block end (taken branch, exception, page
 * end) at which its cycle counter is >= L. The spin loop (add 1 + b 1) has
 * a block end every 2 cycles, at even counts. The pinned values follow:
 *   10007 -> 10008: the first even count >= 10007;
 *   then 5000 more from 10008: target 15008, even, reached exactly. */
static void test_run_cycles(void **s)
{
    (void)s;
    uint64_t x0[2], now[2];
    for (int k = 0; k < 2; k++) {
        a83_machine *m = mk(1);
        put(m, CODE_PA, spin, 2);
        assert_int_equal(a83_now(m), 0);
        uint64_t used = 0;
        a83_stop_reason why;
        assert_int_equal(a83_run_cycles(m, 10007, &used, &why), A83_OK);
        assert_int_equal(why, A83_STOP_LIMIT);
        assert_int_equal(used, 10008);
        assert_int_equal(a83_now(m), used);
        uint64_t used2;
        assert_int_equal(a83_run_cycles(m, 5000, &used2, &why), A83_OK);
        assert_int_equal(used2, 5000);
        /* x0 counts iterations: 15008 cycles / 2 per iteration */
        x0[k] = xreg(m, 0);
        assert_int_equal(x0[k], 7504);
        now[k] = a83_now(m);
        assert_int_equal(a83_run_cycles(m, 0, NULL, NULL), A83_ERR_ARG);
        a83_machine_destroy(m);
    }
    assert_int_equal(x0[0], x0[1]);
    assert_int_equal(now[0], now[1]);
    assert_int_equal(a83_run_cycles(NULL, 10, NULL, NULL), A83_ERR_ARG);
}

/* a83_set_max_cycles follows the same rule. Spin loop: 123457 -> 123458
 * (the first even count at or past it). Load loop: block ends at multiples
 * of 5, so 123457 -> 123460, an overshoot of 3 cycles: the limit is
 * reached inside the load (123456 + 4 = 123459 is not a block end: the
 * branch that follows ends the block at 123460). */
static void test_max_cycles_exact(void **s)
{
    (void)s;
    static const struct { const uint32_t *code; uint64_t want; } cases[] = {
        { spin, 123458 },
        { ldr_spin, 123460 },
    };
    for (unsigned i = 0; i < 2; i++) {
        a83_machine *m = mk(1);
        put(m, CODE_PA, cases[i].code, 2);
        a83_set_max_cycles(m, 123457);
        a83_stop_reason why;
        assert_int_equal(a83_run(m, 0, &why), A83_OK);
        assert_int_equal(why, A83_STOP_LIMIT);
        assert_int_equal(a83_now(m), cases[i].want);
        /* the limit is reached: a further run executes nothing */
        uint64_t insns0, insns1;
        a83_cpu_counters(m, 0, &insns0, NULL);
        assert_int_equal(a83_run(m, 0, &why), A83_OK);
        assert_int_equal(why, A83_STOP_LIMIT);
        a83_cpu_counters(m, 0, &insns1, NULL);
        assert_int_equal(insns1, insns0);
        assert_int_equal(a83_now(m), cases[i].want);
        a83_machine_destroy(m);
    }
}

/* a83_cpu_run_cycles stops at the first block end at or past the window's
 * end, whatever the slices (quantum, device deadlines) in between: the same
 * stop points with rounds of 1000 and of 333 cycles. Load loop (block ends
 * at multiples of 5): 1003 -> 1005; +1 -> 1010 (the next block end, 5 more);
 * +2500 from 1010 -> 3510, itself a multiple of 5, reached exactly. */
static void test_cpu_run_cycles_block_end(void **s)
{
    (void)s;
    static const uint32_t quanta[] = { 1000, 333 };
    for (unsigned q = 0; q < 2; q++) {
        a83_machine *m = mk_q(1, quanta[q]);
        put(m, CODE_PA, ldr_spin, 2);
        uint64_t used, cyc;
        a83_stop_reason why;
        assert_int_equal(a83_cpu_run_cycles(m, 0, 1003, &used, &why), A83_OK);
        assert_int_equal(why, A83_STOP_LIMIT);
        assert_int_equal(used, 1005);
        assert_int_equal(a83_cpu_run_cycles(m, 0, 1, &used, &why), A83_OK);
        assert_int_equal(used, 5);
        assert_int_equal(a83_cpu_run_cycles(m, 0, 2500, &used, &why), A83_OK);
        assert_int_equal(used, 2500);
        a83_cpu_counters(m, 0, NULL, &cyc);
        assert_int_equal(cyc, 3510);
        assert_int_equal(a83_now(m), 3510);
        a83_machine_destroy(m);
    }
}

/* The observed mode (a code hook installed) executes one instruction at a
 * time but has the block ends of the run without hooks, so the same limits
 * stop at the same points (docs/embedding.md "Time": a hook, Tarmac or a
 * debugger must not move the end of a round): spin loop 123457 -> 123458
 * (the branch, not the add that reaches the limit), load loop 1003 -> 1005
 * (not the load at 1004). Hooks add no cycles. */
static void count_hook(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m;
    (void)ev;
    ++*(unsigned *)opaque;
}

static void test_cycle_limit_observed_mode(void **s)
{
    (void)s;
    unsigned calls = 0;
    a83_machine *m = mk(1);
    put(m, CODE_PA, spin, 2);
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, count_hook, &calls, 1, 0, NULL), A83_OK);
    a83_set_max_cycles(m, 123457);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 0, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    assert_int_equal(a83_now(m), 123458);
    assert_int_equal(calls, 123458);   /* one instruction per cycle */
    a83_machine_destroy(m);

    m = mk(1);
    put(m, CODE_PA, ldr_spin, 2);
    assert_int_equal(a83_hook_add(m, A83_HOOK_CODE, count_hook, &calls, 1, 0, NULL), A83_OK);
    uint64_t used;
    assert_int_equal(a83_cpu_run_cycles(m, 0, 1003, &used, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    assert_int_equal(used, 1005);
    a83_machine_destroy(m);
}

/* Per-CPU runs for lockstep co-simulation: CPU 1 is off (PSCI), a WFI CPU
 * lets its time pass up to the window's end, a83_next_event reports the
 * armed timer (Arm ARM D13.8: CNTP_CVAL_EL0 in counter ticks). */
static void test_cpu_run_cycles_and_next_event(void **s)
{
    (void)s;
    a83_machine *m = mk(2);
    put(m, CODE_PA, spin, 2);
    uint64_t used;
    a83_stop_reason why;
    assert_int_equal(a83_cpu_run_cycles(m, 1, 100, &used, &why), A83_ERR_STATE);
    assert_int_equal(a83_cpu_run_cycles(m, 2, 100, &used, &why), A83_ERR_ARG);
    assert_int_equal(a83_cpu_run_cycles(m, 0, 0, &used, &why), A83_ERR_ARG);
    assert_int_equal(a83_cpu_run_cycles(m, 0, 3000, &used, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    assert_int_equal(used, 3000);   /* spin loop: block ends at even counts, 3000 is one */
    uint64_t cyc;
    a83_cpu_counters(m, 0, NULL, &cyc);
    assert_int_equal(cyc, used);
    assert_int_equal(a83_now(m), cyc);
    assert_int_equal(a83_next_event(m), UINT64_MAX);
    /* arm the EL1 physical timer 1000 ticks ahead (16 cycles per tick) */
    uint64_t cnt;
    assert_int_equal(a83_sysreg_read(m, 0, "CNTPCT_EL0", &cnt), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "CNTP_CVAL_EL0", cnt + 1000), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "CNTP_CTL_EL0", 1), A83_OK);
    uint64_t next = a83_next_event(m);
    assert_true(next > a83_now(m) && next <= a83_now(m) + 1000 * 16 + 16);
    /* a waiting CPU: WFI with IRQs masked at the GIC (nothing enabled) */
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, IDLE_PA + 4), A83_OK);
    uint64_t before = a83_now(m);
    assert_int_equal(a83_cpu_run_cycles(m, 0, 50000, &used, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    /* WFI halts the CPU; the wait lets time pass to the timer's deadline
     * (its interrupt is not enabled at the GIC, so it wakes nothing), then
     * to the window's end exactly: start + 50000. */
    assert_int_equal(used, 50000);
    assert_int_equal(a83_now(m), before + 50000);
    a83_machine_destroy(m);
}

/* ---- Side-effect-free reads, stepping, stop from another thread ------------------ */

/* Reading ICC_IAR1_EL1 through the API peeks (GICv3 spec 12.2.11 would
 * acknowledge): the interrupt stays pending and the guest still takes it. */
static void test_iar_read_does_not_ack(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    gic_enable(m, 100);
    assert_int_equal(a83_irq_set(m, 100, true), A83_OK);
    uint64_t v;
    assert_int_equal(a83_sysreg_read(m, 0, "ICC_IAR1_EL1", &v), A83_OK);
    assert_int_equal(v, 100);
    assert_int_equal(a83_sysreg_read(m, 0, "ICC_IAR1_EL1", &v), A83_OK);
    assert_int_equal(v, 100);                       /* not acknowledged by the first read */
    assert_int_equal(a83_sysreg_read(m, 0, "ICC_RPR_EL1", &v), A83_OK);
    assert_int_equal(v, 0xff);                      /* nothing active */
    assert_int_equal(a83_sysreg_read(m, 0, "ICC_IAR0_EL1", &v), A83_OK);
    assert_int_equal(v, 1023);                      /* Group 0: nothing pending */
    a83_machine_destroy(m);
}

/* a83_step over a pending, unmasked interrupt: the step takes it and stops
 * at the first instruction of the IRQ vector (VBAR_EL1 + 0x280, Arm ARM
 * D1.10.2) without executing it; the next step executes that instruction. */
static void test_step_over_pending_interrupt(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    gic_enable(m, 97);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, IDLE_PA), A83_OK);
    assert_int_equal(a83_step(m, 0), A83_OK);       /* msr daifclr, #2 */
    assert_int_equal(xreg(m, A83_REG_PC), IDLE_PA + 4);
    assert_int_equal(a83_irq_set(m, 97, true), A83_OK);
    uint64_t i0, i1;
    a83_cpu_counters(m, 0, &i0, NULL);
    assert_int_equal(a83_step(m, 0), A83_OK);
    a83_cpu_counters(m, 0, &i1, NULL);
    assert_int_equal(xreg(m, A83_REG_PC), VBAR_PA + 0x280);
    assert_int_equal(i1, i0);                       /* nothing executed */
    assert_int_equal(xreg(m, 6), 0);
    assert_int_equal(a83_step(m, 0), A83_OK);       /* mrs x6, icc_iar1_el1 */
    assert_int_equal(xreg(m, 6), 97);
    assert_int_equal(xreg(m, A83_REG_PC), VBAR_PA + 0x284);
    assert_int_equal(a83_step(m, 1), A83_ERR_ARG);
    a83_machine_destroy(m);
}

/* Timer registers read through the API name the same register at EL1 and
 * at EL2 with HCR_EL2.{E2H,TGE} = {1,1}, where an MRS of CNTP_CVAL_EL0
 * would reach CNTHP_CVAL_EL2 (Arm ARM D13.8, VHE redirection). */
static void test_timer_view_independent_of_el(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "HCR_EL2", HCR_E2H_ | HCR_TGE_), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "CNTVOFF_EL2", 5), A83_OK);
    uint64_t v, pc, vc;
    for (unsigned el = 1; el <= 2; el++) {
        assert_int_equal(a83_reg_write(m, 0, A83_REG_PSTATE, (el << 2) | 1 | (0xfu << 6)), A83_OK);
        assert_int_equal(a83_sysreg_write(m, 0, "CNTHP_CVAL_EL2", 0x1111), A83_OK);
        assert_int_equal(a83_sysreg_write(m, 0, "CNTP_CVAL_EL0", 0x2222 + el), A83_OK);
        assert_int_equal(a83_sysreg_read(m, 0, "CNTP_CVAL_EL0", &v), A83_OK);
        assert_int_equal(v, 0x2222 + el);
        assert_int_equal(a83_sysreg_read(m, 0, "CNTHP_CVAL_EL2", &v), A83_OK);
        assert_int_equal(v, 0x1111);
        assert_int_equal(a83_sysreg_read(m, 0, "CNTPCT_EL0", &pc), A83_OK);
        assert_int_equal(a83_sysreg_read(m, 0, "CNTVCT_EL0", &vc), A83_OK);
        assert_int_equal(pc - vc, 5);               /* CNTVOFF_EL2 applied at both ELs */
    }
    a83_machine_destroy(m);
}

static volatile int run_done;

static void *stopper(void *arg)
{
    a83_machine *m = arg;
    /* a request made before the run starts is forgotten by it (arm83emu.h),
     * so keep asking until the run has returned */
    while (!__atomic_load_n(&run_done, __ATOMIC_SEQ_CST)) {
        a83_request_stop(m);
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* a83_request_stop from another thread ends an unbounded run (the guest
 * spins forever) with A83_STOP_REQUEST. */
static void test_request_stop_from_thread(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    put(m, CODE_PA, spin, 2);
    pthread_t t;
    run_done = 0;
    assert_int_equal(pthread_create(&t, NULL, stopper, m), 0);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, 0, &why), A83_OK);
    __atomic_store_n(&run_done, 1, __ATOMIC_SEQ_CST);
    pthread_join(t, NULL);
    assert_int_equal(why, A83_STOP_REQUEST);
    a83_request_stop(NULL);   /* accepted, ignored */
    a83_machine_destroy(m);
}

/* The calls that let the command-line tool use only the public header:
 * the device tree (flattened devicetree magic 0xd00dfeed, big-endian,
 * Devicetree Specification 5.2), pending console input, boot modules and
 * the RTC epoch (PL031 RTCDR, offset 0, reads the seconds). */
static void test_cli_support_calls(void **s)
{
    (void)s;
    a83_machine *m = mk(1);
    size_t size = 0;
    assert_int_equal(a83_dtb_get(m, NULL, 0, &size), A83_OK);
    assert_true(size > 64);
    uint8_t small[8];
    assert_int_equal(a83_dtb_get(m, small, sizeof small, &size), A83_ERR_RANGE);
    uint8_t *dtb = malloc(size);
    assert_non_null(dtb);
    assert_int_equal(a83_dtb_get(m, dtb, size, &size), A83_OK);
    assert_int_equal(((uint32_t)dtb[0] << 24) | (dtb[1] << 16) | (dtb[2] << 8) | dtb[3], 0xd00dfeed);
    free(dtb);
    assert_int_equal(a83_dtb_get(m, NULL, 0, NULL), A83_ERR_ARG);

    size_t len = 99;
    assert_int_equal(a83_console_pending(m, NULL, 0, &len), A83_OK);
    assert_int_equal(len, 0);
    assert_int_equal(a83_console_input(m, "abc", 3), A83_OK);
    char buf[2];
    assert_int_equal(a83_console_pending(m, buf, sizeof buf, &len), A83_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(buf, "ab", 2);
    assert_int_equal(a83_console_pending(m, NULL, 0, &len), A83_OK);
    assert_int_equal(len, 3);                                  /* nothing consumed */
    assert_int_equal(a83_console_pending(m, NULL, 4, &len), A83_ERR_ARG);
    assert_int_equal(a83_console_pending(m, buf, 2, NULL), A83_ERR_ARG);

    assert_int_equal(a83_load_module(m, 0x48000000, "/nonexistent/module", true, NULL), A83_ERR_IO);
    assert_int_equal(a83_load_module(m, 0x48000000, NULL, true, NULL), A83_ERR_ARG);

    a83_set_rtc_epoch(m, 1000000);
    assert_int_equal(rd32((Machine *)m, 0x09010000), 1000000);
    a83_set_rtc_epoch(NULL, 1);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hooks_every_type),
        cmocka_unit_test(test_hook_errors),
        cmocka_unit_test(test_code_hook_breakpoint_and_no_cost),
        cmocka_unit_test(test_hook_self_removal_and_cpu_run_stop),
        cmocka_unit_test(test_host_device_irq_idle),
        cmocka_unit_test(test_host_device_read_and_abort),
        cmocka_unit_test(test_irq_set_errors),
        cmocka_unit_test(test_ram_map),
        cmocka_unit_test(test_run_cycles),
        cmocka_unit_test(test_max_cycles_exact),
        cmocka_unit_test(test_cpu_run_cycles_and_next_event),
        cmocka_unit_test(test_cpu_run_cycles_block_end),
        cmocka_unit_test(test_cpu_stall),
        cmocka_unit_test(test_cycle_limit_observed_mode),
        cmocka_unit_test(test_iar_read_does_not_ack),
        cmocka_unit_test(test_step_over_pending_interrupt),
        cmocka_unit_test(test_timer_view_independent_of_el),
        cmocka_unit_test(test_request_stop_from_thread),
        cmocka_unit_test(test_cli_support_calls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
