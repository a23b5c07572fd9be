/*
 * DC ZVA (Arm ARM C6.2.81 "DC ZVA", D7.5.9), and DC CVAC and DC CIVAC
 * (C6.2.76, C6.2.74): their own decode rows and handlers (src/cpu/sys.c,
 * h_dc_zva(), h_dc_poc()) against the generic SYS executor
 * (h_sys(), which reaches the same operation through the system-register
 * table), and the PF_ZERO page flag (core/machine.h) that lets DC ZVA skip
 * RAM the guest never wrote.
 *
 * The handler's trap checks are those of the table entry's access()
 * (SCTLR_ELx.DZE at EL0, HCR_EL2.TDZ) and the fine-grained trap
 * (HFGITR_EL2.DCZVA): test_same_as_generic runs every combination of them
 * through both executors and requires the same outcome (PC, EL, ESR, FAR,
 * memory, cycles).
 */
#include "mmu_test_util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/exec.h"
#include "cpu/sctlr.h"
#include "cpu/sys_internal.h"
#include "el2/hcr.h"
#include "timing/timing.h"

#define DC_ZVA(rt) (0xd50b7420u | (rt))          /* SYS #3, C7, C4, #1, Xt */
#define DC_CVAC(rt) (0xd50b7a20u | (rt))         /* SYS #3, C7, C10, #1, Xt */
#define DC_CIVAC(rt) (0xd50b7e20u | (rt))        /* SYS #3, C7, C14, #1, Xt */
#define DC_ZVA_KEY sysreg_key(1, 3, 7, 4, 1)
#define CODE_PA RAM                              /* the instruction; EL0- and EL1-executable */
#define DATA_PA (RAM + 0x400000)                 /* read/write at EL0 and EL1 */
#define POOL (RAM + 0x100000)                    /* translation tables */
#define PS_EL0 0x3c0ull                          /* SPSR layout: EL, SP, DAIF masked */
#define PS_EL1 0x3c5ull
#define PS_EL2 0x3c9ull

/* A machine (FEAT_FGT on) whose EL1&0 stage 1 maps the first 64 MiB of
 * RAM flat in 2 MiB blocks of Normal memory: the first block read-only
 * and executable at EL0 and EL1, the others read/write and never
 * executable. EL2's stage 1 stays off. */
static a83_machine *mk(unsigned ncpus)
{
    a83_config cfg;
    mk_config(&cfg, ncpus);
    assert_int_equal(a83_config_set_feature(&cfg, "fgt", true), A83_OK);
    a83_machine *m = mk_machine_cfg(&cfg);
    PT p;
    pt_init(&p, m, POOL, 12, 48, 0);
    pt_map(&p, RAM, RAM, 2, D_AF | D_AP_RO_ALL);
    for (uint64_t o = 0x200000; o < cfg.ram_size; o += 0x200000)
        pt_map(&p, RAM + o, RAM + o, 2, D_AF | D_AP_RW_ALL | D_PXN | D_UXN);
    for (unsigned i = 0; i < ncpus; i++) {
        CPUState *c = m->cpu[i];
        s1_enable(c, TCR_T0SZ(16) | TCR_IPS(5) | TCR_T1SZ(16) | TCR_TG1_4K, p.root, 0);
    }
    return m;
}

/* Puts insn at CODE_PA and executes it on CPU cpu with PSTATE pstate. */
static void exec_at(a83_machine *m, unsigned cpu, uint32_t insn, uint64_t pstate)
{
    assert_int_equal(a83_phys_write(m, CODE_PA, &insn, 4), A83_OK);
    assert_int_equal(a83_reg_write(m, cpu, A83_REG_PSTATE, pstate), A83_OK);
    assert_int_equal(a83_reg_write(m, cpu, A83_REG_PC, CODE_PA), A83_OK);
    cpu_step(m->cpu[cpu]);
}

/* An instruction with its own row and the controls of its traps: the EL0
 * enable in SCTLR_ELx, the HCR_EL2 trap, the HFGITR_EL2 bit (Arm ARM
 * D19.2.53: DCZVA 11, DCCIVAC 10, DCCVAC 54). */
typedef struct RowInsn {
    uint32_t insn;          /* with Xt = X7 */
    InsnHandler fn;
    uint64_t sctlr_en, hcr_trap, hfgitr;
    bool zeroes;            /* DC ZVA: the block is zeroed */
    const char *name;
} RowInsn;

static const RowInsn row_insns[] = {
    { DC_ZVA(7), h_dc_zva, SCTLR_DZE, HCR_TDZ, 1ull << 11, true, "DC ZVA" },
    { DC_CVAC(7), h_dc_poc, SCTLR_UCI, HCR_TPCP, 1ull << 54, false, "DC CVAC" },
    { DC_CIVAC(7), h_dc_poc, SCTLR_UCI, HCR_TPCP, 1ull << 10, false, "DC CIVAC" },
};

/* One configuration of the controls the instruction's traps read (dze1/
 * dze2: the EL0 enable of SCTLR_EL1/EL2, tdz: the HCR_EL2 trap, fgt: the
 * HFGITR_EL2 bit). */
typedef struct Cfg {
    unsigned el;
    bool dze1, dze2, tdz, tge, e2h, fgt;
    const RowInsn *ri;
} Cfg;

/* What an execution left behind. */
typedef struct Outcome {
    uint64_t pc, esr1, esr2, far1, far2, cycles;
    unsigned el;
    uint8_t mem[128];
} Outcome;

static void prepare(a83_machine *m, const Cfg *k)
{
    CPUState *c = m->cpu[0];
    const RowInsn *ri = k->ri;
    c->sr[SR_HCR_EL2] = HCR_RW | (k->tdz ? ri->hcr_trap : 0) | (k->tge ? HCR_TGE : 0) |
                        (k->e2h ? HCR_E2H : 0);
    c->sr[SR_SCTLR_EL1] = (c->sr[SR_SCTLR_EL1] & ~ri->sctlr_en) | (k->dze1 ? ri->sctlr_en : 0);
    c->sr[SR_SCTLR_EL2] = (c->sr[SR_SCTLR_EL2] & ~ri->sctlr_en) | (k->dze2 ? ri->sctlr_en : 0);
    c->sr[SR_HFGITR_EL2] = k->fgt ? ri->hfgitr : 0;
    c->sr[SR_ESR_EL1] = c->sr[SR_ESR_EL2] = c->sr[SR_FAR_EL1] = c->sr[SR_FAR_EL2] = 0;
    mmu_regs_changed(c);
    uint8_t pattern[128];
    for (unsigned i = 0; i < sizeof pattern; i++)
        pattern[i] = (uint8_t)(0x11 + i);
    assert_int_equal(a83_phys_write(m, DATA_PA, pattern, sizeof pattern), A83_OK);
    c->x[7] = DATA_PA + 0x47;   /* the second 64-byte block */
}

static void collect(a83_machine *m, Outcome *o, uint64_t cycles0)
{
    CPUState *c = m->cpu[0];
    memset(o, 0, sizeof *o);     /* padding too: outcomes are compared with memcmp() */
    o->pc = c->pc;
    o->el = c->el;
    o->esr1 = c->sr[SR_ESR_EL1];
    o->esr2 = c->sr[SR_ESR_EL2];
    o->far1 = c->sr[SR_FAR_EL1];
    o->far2 = c->sr[SR_FAR_EL2];
    o->cycles = c->cycles - cycles0;
    assert_int_equal(a83_phys_read(m, DATA_PA, o->mem, sizeof o->mem), A83_OK);
}

static const uint64_t pstate_of[3] = { PS_EL0, PS_EL1, PS_EL2 };

/* Through the decoder: the instruction's own row (h_dc_zva(), h_dc_poc()). The instruction is
 * run twice and the second run kept: the first one's fetch may walk (and
 * the TLB model charge it), which run_generic() does not do. */
static void run_decoded(a83_machine *m, const Cfg *k, Outcome *o)
{
    prepare(m, k);
    exec_at(m, 0, k->ri->insn, pstate_of[k->el]);
    prepare(m, k);
    uint64_t c0 = m->cpu[0]->cycles;
    exec_at(m, 0, k->ri->insn, pstate_of[k->el]);
    collect(m, o, c0);
    /* the instruction's class cost, charged by the loop, not the handler */
    o->cycles -= timing_class_cost(m, CLS_SYS);
}

/* Through the generic executor (h_sys()), as before the row existed,
 * after the same warm-up as run_decoded(). */
static void run_generic(a83_machine *m, const Cfg *k, Outcome *o)
{
    prepare(m, k);
    exec_at(m, 0, k->ri->insn, pstate_of[k->el]);
    prepare(m, k);
    CPUState *c = m->cpu[0];
    uint32_t insn = k->ri->insn;
    a83_phys_write(m, CODE_PA, &insn, 4);
    a83_reg_write(m, 0, A83_REG_PSTATE, pstate_of[k->el]);
    a83_reg_write(m, 0, A83_REG_PC, CODE_PA);
    uint64_t c0 = c->cycles;
    if (!setjmp(c->jmp))
        assert_int_equal(h_sys(c, insn), EXEC_EXIT);
    collect(m, o, c0);
}

/* Both executors agree on every combination of the trap controls, at
 * EL0, EL1 and EL2, and the combinations cover each outcome: executed,
 * trapped to EL1 (the SCTLR_EL1 enable) and trapped to EL2 (the HCR_EL2
 * trap, the SCTLR_EL2 enable in the host, the HFGITR_EL2 bit). (Some
 * combinations end in a Data Abort instead, e.g. EL2's stage 1 is off and
 * DC ZVA on Device memory is an Alignment fault: both executors must agree
 * there too.) */
static void same_as_generic(a83_machine *m, const RowInsn *ri)
{
    assert_ptr_equal(decoder_lookup(m->dec, ri->insn)->fn, ri->fn);
    unsigned seen_ok = 0, seen_el1 = 0, seen_el2 = 0;
    for (unsigned bits = 0; bits < 64 * 3; bits++) {
        Cfg k = { .el = bits / 64, .dze1 = bits & 1, .dze2 = bits & 2, .tdz = bits & 4,
                  .tge = bits & 8, .e2h = bits & 16, .fgt = bits & 32, .ri = ri };
        Outcome a, b;
        run_decoded(m, &k, &a);
        run_generic(m, &k, &b);
        if (memcmp(&a, &b, sizeof a)) {
            fail_msg("%s EL%u en1 %d en2 %d trap %d tge %d e2h %d fgt %d: decoded pc 0x%llx "
                     "el %u esr 0x%llx/0x%llx, generic pc 0x%llx el %u esr 0x%llx/0x%llx",
                     ri->name, k.el, k.dze1, k.dze2, k.tdz, k.tge, k.e2h, k.fgt,
                     (unsigned long long)a.pc, a.el, (unsigned long long)a.esr1,
                     (unsigned long long)a.esr2, (unsigned long long)b.pc, b.el,
                     (unsigned long long)b.esr1, (unsigned long long)b.esr2);
        }
        if (a.pc == CODE_PA + 4) {
            seen_ok++;
            /* DC ZVA: exactly the block containing Xt is zero; the others
             * change no memory */
            for (unsigned i = 0; i < sizeof a.mem; i++)
                assert_int_equal(a.mem[i], i >= 64 && ri->zeroes ? 0 : (uint8_t)(0x11 + i));
        } else if (a.el == 1 && (a.esr1 >> 26) == 0x18) {   /* EC: trapped SYS */
            seen_el1++;
        } else if (a.el == 2 && (a.esr2 >> 26) == 0x18) {
            seen_el2++;
        }
    }
    assert_true(seen_ok > 0);
    assert_true(seen_el1 > 0);
    assert_true(seen_el2 > 0);
}

static void test_same_as_generic(void **state)
{
    (void)state;
    a83_machine *m = mk(1);
    for (size_t n = 0; n < sizeof row_insns / sizeof row_insns[0]; n++)
        same_as_generic(m, &row_insns[n]);
    a83_machine_destroy(m);
}

/* The rows cover DC ZVA, DC CVAC and DC CIVAC with every Xt and nothing
 * else: their neighbours (another op1, CRm or op2) stay with SYS; the
 * entries have the properties h_dc_zva() and h_dc_poc() rely on instead of
 * reading them. */
static void test_row_and_entry(void **state)
{
    (void)state;
    a83_machine *m = mk(1);
    for (unsigned rt = 0; rt < 32; rt++) {
        assert_ptr_equal(decoder_lookup(m->dec, DC_ZVA(rt))->fn, h_dc_zva);
        assert_ptr_equal(decoder_lookup(m->dec, DC_CVAC(rt))->fn, h_dc_poc);
        assert_ptr_equal(decoder_lookup(m->dec, DC_CIVAC(rt))->fn, h_dc_poc);
    }
    static const uint32_t others[] = {
        0xd5087420u,   /* op1 = 0 */
        0xd50b7440u,   /* op2 = 2 */
        0xd50b7b20u,   /* DC CVAU: CRm = 11 */
        0xd50b7c20u,   /* DC CVAP: CRm = 12 */
        0xd5087e20u,   /* DC CIVAC with op1 = 0 */
        0xd50b7e40u,   /* DC CIVAC with op2 = 2 */
        0xd5087620u,   /* DC IVAC: op1 = 0, CRm = 6 */
    };
    for (unsigned i = 0; i < sizeof others / sizeof others[0]; i++)
        assert_ptr_equal(decoder_lookup(m->dec, others[i])->fn, h_sys);
    const struct { uint32_t key; const char *name; } ent[] = {
        { DC_ZVA_KEY, "DC ZVA" },
        { sysreg_key(1, 3, 7, 10, 1), "DC CVAC" },
        { sysreg_key(1, 3, 7, 14, 1), "DC CIVAC" },
    };
    for (unsigned i = 0; i < 3; i++) {
        const SysRegDesc *r = sysreg_find(m, ent[i].key);
        assert_non_null(r);
        assert_string_equal(r->name, ent[i].name);
        assert_int_equal(r->flags & (SRF_INSN | SRF_WO | SRF_RO | SRF_EL12), SRF_INSN | SRF_WO);
        assert_int_equal(r->e2h_redirect, 0);
        assert_true(r->vncr_offset < 0);
        assert_int_equal(r->feature, -1);   /* always present */
    }
    a83_machine_destroy(m);
}

/* Whether the host page holding p is resident (mincore()). */
static bool resident(const void *p)
{
    long ps = sysconf(_SC_PAGESIZE);
    unsigned char v = 0;
    void *pg = (void *)((uintptr_t)p & ~(uintptr_t)(ps - 1));
    assert_int_equal(mincore(pg, (size_t)ps, &v), 0);
    return v & 1;
}

static uint8_t pflags(a83_machine *m, uint64_t pa)
{
    return m->ram.pflags[(pa - m->ram.base) >> PAGE_BITS];
}

/* Executes DC ZVA Xt=va on CPU cpu at EL1. */
static void zva_el1(a83_machine *m, unsigned cpu, uint64_t va)
{
    m->cpu[cpu]->x[7] = va;
    exec_at(m, cpu, DC_ZVA(7), PS_EL1);
    assert_int_equal(m->cpu[cpu]->pc, CODE_PA + 4);
}

/* PF_ZERO: RAM the guest never wrote is skipped by DC ZVA without being
 * touched (the host page stays non-resident), through the slow path and
 * through the TLB entry it leaves (TLB_FLAG_SLOW | TLB_FLAG_PAGE). Every
 * kind of write clears the flag, and a DC ZVA after it zeroes the block
 * even through that same TLB entry: a write by the embedder
 * (a83_phys_write), a store of this CPU (its first store to the page goes
 * through phys_write()), a store of another CPU. A monitor on an untouched
 * block is cleared all the same. */
static void test_pf_zero(void **state)
{
    (void)state;
    a83_machine *m = mk(2);
    const uint64_t pa = RAM + 0x3000000;     /* 48 MiB into RAM: nothing there */
    const uint8_t *host = m->ram.host + (pa - m->ram.base);
    assert_true(pflags(m, pa) & PF_ZERO);
    assert_false(pflags(m, POOL) & PF_ZERO);     /* the tables, written */
    zva_el1(m, 0, pa);          /* slow path: fills the TLB */
    zva_el1(m, 0, pa + 64);     /* the entry's PF_ZERO path */
    assert_true(pflags(m, pa) & PF_ZERO);
    assert_false(resident(host));
    assert_int_equal(rd64(m, pa + 64), 0);

    /* the embedder writes: PF_ZERO goes, the same TLB entry zeroes */
    const uint64_t v = 0x1122334455667788ull;
    wr64(m, pa + 64, v);
    assert_false(pflags(m, pa) & PF_ZERO);
    zva_el1(m, 0, pa + 64);
    assert_int_equal(rd64(m, pa + 64), 0);

    /* this CPU's store to another untouched page, then DC ZVA */
    CPUState *c0 = m->cpu[0], *c1 = m->cpu[1];
    const uint64_t pb = pa + 0x10000;
    zva_el1(m, 0, pb);
    c0->el = 1;
    mem_write(c0, pb + 8, 8, v, 0);
    assert_false(pflags(m, pb) & PF_ZERO);
    assert_int_equal(rd64(m, pb + 8), v);
    zva_el1(m, 0, pb);
    assert_int_equal(rd64(m, pb + 8), 0);

    /* another CPU's stores, after this CPU's DC ZVA left its entry */
    const uint64_t pc = pa + 0x20000;
    zva_el1(m, 0, pc);
    c1->el = 1;
    cpu_update_mmu_context(c1);
    mem_write(c1, pc + 16, 8, v, 0);
    mem_write(c1, pc + 24, 8, v, 0);   /* through the fast tag by now */
    zva_el1(m, 0, pc);
    assert_int_equal(rd64(m, pc + 16), 0);
    assert_int_equal(rd64(m, pc + 24), 0);

    /* an exclusive monitor on an untouched block: DC ZVA there clears it */
    const uint64_t pd = pa + 0x30000;
    c1->excl_valid = true;
    c1->excl_pa = pd + 64;
    c1->excl_size = 8;
    mem_monitor_publish(c1);
    assert_true(pflags(m, pd) & PF_ZERO);
    zva_el1(m, 0, pd + 64);
    assert_false(c1->excl_valid);
    a83_machine_destroy(m);
}

/* A snapshot load leaves PF_ZERO on exactly the pages it leaves zero: a
 * page the snapshot holds loses it (and DC ZVA zeroes it), a page written
 * in the loading machine but zero in the snapshot gets it back and reads
 * as zero; a save does not read (touch) PF_ZERO pages. */
static void test_pf_zero_snapshot(void **state)
{
    (void)state;
    /* x and y in different 2 MiB regions: the host may back RAM with huge pages */
    const uint64_t x = RAM + 0x2000000, y = RAM + 0x2800000, v = 0x0102030405060708ull;
    a83_machine *a = mk(1), *b = mk(1);
    wr64(a, x + 64, v);
    wr64(b, y, v);
    void *buf = NULL;
    size_t len = 0;
    assert_int_equal(a83_snapshot_save_mem(a, &buf, &len), A83_OK);
    assert_false(resident(a->ram.host + (y - a->ram.base)));
    assert_int_equal(a83_snapshot_load_mem(b, buf, len), A83_OK);
    free(buf);
    assert_false(pflags(b, x) & PF_ZERO);
    assert_true(pflags(b, y) & PF_ZERO);
    assert_int_equal(rd64(b, x + 64), v);
    assert_int_equal(rd64(b, y), 0);
    zva_el1(b, 0, x + 64);
    assert_int_equal(rd64(b, x + 64), 0);
    a83_machine_destroy(a);
    a83_machine_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_and_entry),
        cmocka_unit_test(test_same_as_generic),
        cmocka_unit_test(test_pf_zero),
        cmocka_unit_test(test_pf_zero_snapshot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
