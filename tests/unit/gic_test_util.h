/*
 * Helpers shared by the GIC and timer unit tests: a machine from the
 * public API, MMIO access through the registered device callbacks, and
 * system-register access through the table functions (access check, then
 * read/write), as the MRS/MSR executor does.
 */
#ifndef GIC_TEST_UTIL_H
#define GIC_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"
#include "core/machine.h"
#include "core/modules.h"
#include "sysreg/sysreg.h"

#define GICD 0x08000000ull
#define GICR(n) (0x080A0000ull + 0x20000ull * (n))
#define SGI_BASE 0x10000ull
#define HCR_IMO_ (1ull << 4)
#define HCR_FMO_ (1ull << 3)
#define HCR_TGE_ (1ull << 27)
#define HCR_E2H_ (1ull << 34)

static inline Machine *mk_machine(unsigned ncpus, bool virt)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.virtualization = virt;
    Machine *m = NULL;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    for (unsigned i = 0; i < ncpus; i++) {
        m->cpu[i]->powered = true;
        m->cpu[i]->el = 1;
    }
    return m;
}

static inline uint64_t mmio_rd(Machine *m, uint64_t pa, unsigned size)
{
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_non_null(r);
    uint64_t v = 0;
    assert_true(r->read(r->opaque, NULL, pa - r->base, size, &v));
    return v;
}

static inline void mmio_wr(Machine *m, uint64_t pa, unsigned size, uint64_t v)
{
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_non_null(r);
    assert_true(r->write(r->opaque, NULL, pa - r->base, size, v));
}

#define rd32(m, pa) ((uint32_t)mmio_rd(m, pa, 4))
#define wr32(m, pa, v) mmio_wr(m, pa, 4, v)

static inline const SysRegDesc *reg(Machine *m, const char *name)
{
    const SysRegDesc *d = sysreg_find_name(m, name);
    if (!d)
        fail_msg("no register %s", name);
    return d;
}

/** The access() verdict for an MRS (rd) or MSR of name on c. */
static inline SysRegAccess acc(CPUState *c, const char *name, bool rd, unsigned *tel)
{
    const SysRegDesc *d = reg(c->m, name);
    unsigned t = 0;
    uint32_t ec = 0x18;
    SysRegAccess a = d->access ? d->access(c, d, rd, &t, &ec) : SRA_OK;
    if (tel)
        *tel = t;
    return a;
}

static inline uint64_t mrs(CPUState *c, const char *name)
{
    assert_int_equal(acc(c, name, true, NULL), SRA_OK);
    return sysreg_read_raw(c, reg(c->m, name));
}

static inline void msr(CPUState *c, const char *name, uint64_t v)
{
    assert_int_equal(acc(c, name, false, NULL), SRA_OK);
    sysreg_write_raw(c, reg(c->m, name), v);
}

/** GIC ready for Group 1 (and 0): distributor groups on, every
 *  redistributor awake, CPU interfaces enabled with PMR 0xF0. */
static inline void gic_ready(Machine *m)
{
    wr32(m, GICD + 0x0, 3);   /* GICD_CTLR.EnableGrp0 | EnableGrp1 */
    for (unsigned i = 0; i < m->ncpus; i++) {
        wr32(m, GICR(i) + 0x14, 0);   /* GICR_WAKER.ProcessorSleep = 0 */
        CPUState *c = m->cpu[i];
        msr(c, "ICC_PMR_EL1", 0xF0);
        msr(c, "ICC_IGRPEN1_EL1", 1);
        msr(c, "ICC_IGRPEN0_EL1", 1);
    }
}

/** Configures SPI intid: group, priority, routed to cpu, enabled. */
static inline void spi_setup(Machine *m, unsigned id, unsigned grp, uint8_t prio, unsigned cpu)
{
    uint64_t w = GICD + 0x80 + 4 * (id / 32);
    wr32(m, w, (rd32(m, w) & ~(1u << (id % 32))) | (uint32_t)grp << (id % 32));
    mmio_wr(m, GICD + 0x400 + id, 1, prio);
    mmio_wr(m, GICD + 0x6000 + 8 * id, 8, cpu);
    wr32(m, GICD + 0x100 + 4 * (id / 32), 1u << (id % 32));
}

#endif
