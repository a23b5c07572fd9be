/*
 * Helpers for the MMU unit tests: a machine at EL1 with EL2 implemented,
 * and a translation-table builder writing descriptors into guest RAM with
 * a83_phys_write (any granule, start level and concatenated first table).
 */
#ifndef MMU_TEST_UTIL_H
#define MMU_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/machine.h"
#include "cpu/exception.h"
#include "mmu/mem.h"
#include "mmu/mmu.h"
#include "sysreg/sysreg.h"

/* Stage-1 descriptor bits (Arm ARM D8.3.2) */
#define D_AF        (1ull << 10)
#define D_NG        (1ull << 11)
#define D_AP_RW_EL1 (0ull << 6)
#define D_AP_RW_ALL (1ull << 6)
#define D_AP_RO_EL1 (2ull << 6)
#define D_AP_RO_ALL (3ull << 6)
#define D_IDX(n)    ((uint64_t)(n) << 2)
#define D_SH_IS     (3ull << 8)
#define D_CONT      (1ull << 52)
#define D_PXN       (1ull << 53)
#define D_UXN       (1ull << 54)
/* Stage-2 descriptor bits */
#define S2_R        (1ull << 6)
#define S2_W        (1ull << 7)
#define S2_NORMAL   (0xfull << 2)   /* MemAttr 1111: Normal, Outer/Inner WB */
#define S2_DEVICE   (0x1ull << 2)   /* MemAttr 0001: Device-nGnRE */
#define S2_XN       (1ull << 54)

/* MAIR_EL1 used by the tests: Attr0 Normal WB, Attr1 Device-nGnRE, Attr2 NC */
#define TEST_MAIR 0x4404ffull

/* TCR fields */
#define TCR_T0SZ(n) ((uint64_t)(n))
#define TCR_T1SZ(n) ((uint64_t)(n) << 16)
#define TCR_TG0_4K  (0ull << 14)
#define TCR_TG0_64K (1ull << 14)
#define TCR_TG0_16K (2ull << 14)
#define TCR_TG1_4K  (2ull << 30)
#define TCR_IPS(n)  ((uint64_t)(n) << 32)
#define TCR_EPD0    (1ull << 7)
#define TCR_TBI0    (1ull << 37)

#define RAM 0x40000000ull

/* The tests' configuration: EL2 with VHE, ncpus CPUs, 64 MiB of RAM. */
static inline void mk_config(a83_config *cfg, unsigned ncpus)
{
    a83_config_default(cfg);
    cfg->virtualization = true;
    cfg->vhe = true;
    cfg->ncpus = ncpus;
    cfg->ram_size = 64ull << 20;
}

/* A machine of cfg with every CPU at EL1, the tests' vectors and MAIRs. */
static inline a83_machine *mk_machine_cfg(const a83_config *cfg)
{
    a83_machine *m = NULL;
    assert_int_equal(a83_machine_create(cfg, &m), A83_OK);
    for (unsigned i = 0; i < cfg->ncpus; i++) {
        CPUState *c = m->cpu[i];
        c->el = 1;
        c->spsel = 1;
        c->sr[SR_VBAR_EL1] = RAM + 0x10000;
        c->sr[SR_VBAR_EL2] = RAM + 0x20000;
        c->sr[SR_MAIR_EL1] = TEST_MAIR;
        c->sr[SR_MAIR_EL2] = TEST_MAIR;
        cpu_update_mmu_context(c);
    }
    return m;
}

static inline a83_machine *mk_machine(unsigned ncpus)
{
    a83_config cfg;
    mk_config(&cfg, ncpus);
    return mk_machine_cfg(&cfg);
}

static inline uint64_t rd64(a83_machine *m, uint64_t pa)
{
    uint64_t v = 0;
    assert_int_equal(a83_phys_read(m, pa, &v, 8), A83_OK);
    return v;
}

static inline void wr64(a83_machine *m, uint64_t pa, uint64_t v)
{
    assert_int_equal(a83_phys_write(m, pa, &v, 8), A83_OK);
}

/* A translation table tree under construction. */
typedef struct PT {
    a83_machine *m;
    uint64_t next;        /* bump allocator (PA) */
    unsigned gs;          /* granule bits */
    unsigned inputsize;
    int start;
    uint64_t root;
} PT;

static inline uint64_t pt_alloc(PT *p, uint64_t size)
{
    uint64_t align = size < (1ull << p->gs) ? (1ull << p->gs) : size;
    uint64_t a = (p->next + align - 1) & ~(align - 1);
    p->next = a + size;
    static const uint8_t zero[4096];
    for (uint64_t o = 0; o < size; o += sizeof zero)
        assert_int_equal(a83_phys_write(p->m, a + o, zero, size - o < sizeof zero ? size - o : sizeof zero), A83_OK);
    return a;
}

static inline void pt_init(PT *p, a83_machine *m, uint64_t pool, unsigned gs, unsigned inputsize,
                           int start)
{
    p->m = m;
    p->next = pool;
    p->gs = gs;
    p->inputsize = inputsize;
    p->start = start;
    unsigned stride = gs - 3;
    unsigned n = inputsize - ((3 - start) * stride + gs);
    p->root = pt_alloc(p, 1ull << (n + 3));
}

static inline unsigned pt_bottom(const PT *p, int l) { return (3 - l) * (p->gs - 3) + p->gs; }

/* Maps va -> pa with a block/page descriptor at level (attrs: the
 * attribute bits); returns the descriptor's PA. */
static inline uint64_t pt_map(PT *p, uint64_t va, uint64_t pa, int level, uint64_t attrs)
{
    uint64_t tbl = p->root;
    unsigned stride = p->gs - 3;
    for (int l = p->start;; l++) {
        unsigned bottom = pt_bottom(p, l);
        unsigned top = l == p->start ? p->inputsize : bottom + stride;
        uint64_t idx = (va >> bottom) & ((1ull << (top - bottom)) - 1);
        uint64_t da = tbl + idx * 8;
        if (l == level) {
            wr64(p->m, da, pa | attrs | (level == 3 ? 3 : 1));
            return da;
        }
        uint64_t d = rd64(p->m, da);
        if (!(d & 1)) {
            uint64_t t = pt_alloc(p, 1ull << p->gs);
            wr64(p->m, da, t | 3);
            d = t | 3;
        }
        tbl = d & ((1ull << 48) - 1) & ~((1ull << p->gs) - 1);
    }
}

/* Translates through the public-to-the-MMU interface. */
static inline bool xlate(CPUState *c, uint64_t va, unsigned idx, unsigned acc, uint64_t *pa,
                         FaultRecord *fr)
{
    AddressDescriptor ad;
    bool ok = AArch64_TranslateAddress(c, va, idx, acc, 8, 0, &ad, fr);
    if (ok && pa)
        *pa = ad.pa;
    return ok;
}

/* Executes a system instruction entry (TLBI/AT/DC/IC) by name with Xt. */
static inline void sys_insn(CPUState *c, const char *name, uint64_t xt)
{
    const SysRegDesc *r = NULL;
    for (const SysRegDesc *d = sysreg_mmu_table; d->name; d++)
        if (!strcmp(d->name, name))
            r = d;
    assert_non_null(r);
    assert_non_null(r->write);
    r->write(c, r, xt);
}

static inline const SysRegDesc *mmu_insn(const char *name)
{
    for (const SysRegDesc *d = sysreg_mmu_table; d->name; d++)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

/* Stage-1 EL1&0 setup: 4 KiB granules both ranges, 48-bit VA and IPS. */
static inline void s1_enable(CPUState *c, uint64_t tcr, uint64_t ttbr0, uint64_t ttbr1)
{
    c->sr[SR_TCR_EL1] = tcr;
    c->sr[SR_TTBR0_EL1] = ttbr0;
    c->sr[SR_TTBR1_EL1] = ttbr1;
    c->sr[SR_SCTLR_EL1] |= 1 | (1u << 2) | (1u << 12);     /* M, C, I */
    mmu_regs_changed(c);
}

#endif
