/*
 * The translator (src/jit) against the interpreter, its reference: the same
 * guest program run by both engines, in the same time slices, must leave
 * every general register, the PC, NZCV, ELR/ESR and the retired-instruction
 * and cycle counters bit-identical. The program exercises what a block must
 * get exactly right (docs/ARCHITECTURE.md "Translator"):
 *  - self-modifying code inside a running block: a STR rewrites the
 *    instruction two slots after it in the same block, which must execute
 *    in its new form (Arm ARM B2.2.5 / K11.5: the emulator makes stores
 *    visible to the next fetch of the location, like the interpreter);
 *  - a synchronous exception (UNDEFINED, EC 0x00, Arm ARM D1.10) in the
 *    middle of a block: ELR_EL1 is the faulting instruction's address and
 *    the counters are those of the interpreter;
 *  - random integer code of the inlined families (jit_inline.c: ADD/SUB/
 *    ADDS/SUBS immediate and shifted register, MOVZ/MOVN/MOVK, logical
 *    shifted register and immediate incl. ANDS/BICS, CSEL/CSINC/CSINV/
 *    CSNEG, CCMN/CCMP, MADD/MSUB, SMADDL/UMADDL/SMSUBL/UMSUBL, SMULH/UMULH;
 *    Arm ARM C6.2) mixed with flag-reading instructions
 *    that stay handler calls (ADC/SBC) and inlined conditional branches
 *    (B.cond, CBZ/CBNZ, TBZ/TBNZ), from register values at the carry and
 *    overflow limits (AddWithCarry(): 0, 1, 0x7fff..., 0x8000..., ~0);
 *  - random loads and stores of the inlined forms (jit_inline_mem.c:
 *    LDR/STR/LDRS* unsigned, unscaled, pre- and post-indexed, LDP/STP W/X)
 *    on SP and two bases, one of them 16 bytes before a page end (page-
 *    crossing accesses take the slow path), a load from an unmapped PA (a
 *    synchronous External abort in the middle of a block) and an MMIO load,
 *    with memory compared between the engines;
 *  - time slices that end inside a block (the budget rule: a block is only
 *    entered when the budget covers it) and a code cache so small that it is
 *    flushed many times.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

#define CODE_PA 0x40001000ull
#define PATCHED 0xd2800047u    /* movz x7, #2 */
#define ORIGINAL 0xd2800027u   /* movz x7, #1 */

/* Assembled with aarch64-linux-gnu-as (source in the comments). */
static const uint32_t prog[] = {
    0xd2800000u,  /* start: movz x0, #0 */
    0xd2807d01u,  /*   movz x1, #1000 */
    0x10000102u,  /*   adr  x2, patch */
    0x18000263u,  /*   ldr  w3, newinsn */
    0x91000c00u,  /* loop: add x0, x0, #3 */
    0xca010004u,  /*   eor x4, x0, x1 */
    0xf1000421u,  /*   subs x1, x1, #1 */
    0x54ffffa1u,  /*   b.ne loop */
    0xb9000043u,  /*   str w3, [x2]       rewrites `patch` (same block) */
    0x910005efu,  /*   add x15, x15, #1   (no block end before `patch`) */
    ORIGINAL,     /* patch: movz x7, #1   executes as movz x7, #2 */
    0x00000000u,  /*   udf: UNDEFINED, the vector skips it */
    0x910014e8u,  /*   add x8, x7, #5 */
    0xd2800641u,  /*   movz x1, #50 */
    0xf9400049u,  /* loop2: ldr x9, [x2] */
    0x8b09014au,  /*   add x10, x10, x9 */
    0xab09a18cu,  /*   adds x12, x12, x9, lsl #40 */
    0x9a9f37edu,  /*   cset x13, cs */
    0xf1000421u,  /*   subs x1, x1, #1 */
    0x54ffff61u,  /*   b.ne loop2 */
    0xb900004eu,  /*   str w14, [x2]      puts movz x7, #1 back */
    0x17ffffebu,  /*   b start */
    PATCHED,      /* newinsn: .word (movz x7, #2) */
};
static const uint32_t vec[] = {   /* at VBAR_EL1 + 0 and + 0x200 (synchronous, current EL) */
    0xd5384026u,  /* mrs x6, elr_el1 */
    0x910010c6u,  /* add x6, x6, #4 */
    0xd5184026u,  /* msr elr_el1, x6 */
    0x9100056bu,  /* add x11, x11, #1 */
    0xd69f03e0u,  /* eret */
};

typedef struct State {
    uint64_t x[31], pc, nzcv, insns, cycles, elr, esr;
} State;

static a83_machine *make(a83_accel accel, uint64_t cache)
{
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_set_accel(m, accel, cache), A83_OK);
    assert_int_equal(a83_get_accel(m), accel);
    assert_int_equal(a83_phys_write(m, CODE_PA, prog, sizeof prog), A83_OK);
    /* the vectors for the current EL with SP_EL0 (the reset state) and SP_ELx */
    assert_int_equal(a83_phys_write(m, CODE_PA + 0x200, vec, sizeof vec), A83_OK);
    assert_int_equal(a83_phys_write(m, CODE_PA + 0x200 + 0x200, vec, sizeof vec), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL1", CODE_PA + 0x200), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 14, ORIGINAL), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, CODE_PA), A83_OK);
    return m;
}

static void snap(a83_machine *m, State *s)
{
    for (unsigned i = 0; i < 31; i++)
        assert_int_equal(a83_reg_read(m, 0, (a83_reg)i, &s->x[i]), A83_OK);
    assert_int_equal(a83_reg_read(m, 0, A83_REG_PC, &s->pc), A83_OK);
    assert_int_equal(a83_reg_read(m, 0, A83_REG_NZCV, &s->nzcv), A83_OK);
    assert_int_equal(a83_cpu_counters(m, 0, &s->insns, &s->cycles), A83_OK);
    assert_int_equal(a83_sysreg_read(m, 0, "ELR_EL1", &s->elr), A83_OK);
    assert_int_equal(a83_sysreg_read(m, 0, "ESR_EL1", &s->esr), A83_OK);
}

static void same(const State *a, const State *b, const char *what)
{
    for (unsigned i = 0; i < 31; i++)
        if (a->x[i] != b->x[i])
            fail_msg("%s: x%u %llx vs %llx", what, i, (unsigned long long)a->x[i],
                     (unsigned long long)b->x[i]);
    if (a->pc != b->pc || a->nzcv != b->nzcv || a->insns != b->insns || a->cycles != b->cycles ||
        a->elr != b->elr || a->esr != b->esr)
        fail_msg("%s: pc %llx/%llx nzcv %llx/%llx insns %llu/%llu cycles %llu/%llu", what,
                 (unsigned long long)a->pc, (unsigned long long)b->pc, (unsigned long long)a->nzcv,
                 (unsigned long long)b->nzcv, (unsigned long long)a->insns,
                 (unsigned long long)b->insns, (unsigned long long)a->cycles,
                 (unsigned long long)b->cycles);
}

/* Runs interp and jit (cache bytes) side by side in slices; compares after
 * each slice. Returns the jit machine's statistics. */
static void lockstep(uint64_t cache, const unsigned *slices, unsigned nslices, unsigned rounds,
                     a83_jit_stats *js)
{
    a83_machine *mi = make(A83_ACCEL_INTERP, 0), *mj = make(A83_ACCEL_JIT, cache);
    State si, sj;
    char what[64];
    for (unsigned r = 0; r < rounds; r++) {
        unsigned n = slices[r % nslices];
        a83_stop_reason wi, wj;
        assert_int_equal(a83_run(mi, n, &wi), A83_OK);
        assert_int_equal(a83_run(mj, n, &wj), A83_OK);
        assert_int_equal(wi, wj);
        snap(mi, &si);
        snap(mj, &sj);
        snprintf(what, sizeof what, "slice %u (%u insns)", r, n);
        same(&si, &sj, what);
    }
    /* The program really did what the test is about. */
    assert_int_equal(sj.x[8], 7);        /* the rewritten movz x7, #2 ran */
    assert_true(sj.x[11] > 0);           /* the UDF was taken and skipped */
    assert_int_equal(sj.esr >> 26, 0);   /* EC 0x00: Unknown reason */
    assert_int_equal(sj.elr, CODE_PA + 11 * 4 + 4);   /* the vector stepped over it */
    assert_int_equal(a83_get_jit_stats(mj, js), A83_OK);
    a83_jit_stats none;
    assert_int_equal(a83_get_jit_stats(mi, &none), A83_OK);
    assert_int_equal(none.blocks, 0);
    a83_machine_destroy(mi);
    a83_machine_destroy(mj);
}

static void test_long_slices(void **s)
{
    (void)s;
    static const unsigned sl[] = { 100000 };
    a83_jit_stats js;
    lockstep(0, sl, 1, 5, &js);
    assert_true(js.blocks > 5);
    /* translated code ran: every UDF enters from C (the exception longjmps),
     * the vector's ERET goes on in translated code (exec_exit_plain()) */
    assert_true(js.entries > 200);
    assert_true(js.page_invals >= 10);        /* every SMC store dropped the page's blocks */
    assert_int_equal(js.flushes, 0);
}

static void test_odd_slices_tiny_cache(void **s)
{
    (void)s;
    /* slices that end at every offset inside the blocks */
    static const unsigned sl[] = { 1, 2, 3, 5, 7, 11, 13, 64, 65, 97, 1000, 4099 };
    a83_jit_stats js;
    lockstep(1, sl, 12, 1500, &js);   /* cache=1: the minimum, a few blocks */
    assert_true(js.flushes > 0);
    assert_true(js.entries > 1000);
}

/* Deterministic generator (xorshift64*), seeded: the same program every run. */
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

/* One random instruction of the inlined families (jit_inline.c) - every
 * register number including 31 (SP or XZR), both sizes, every shift type
 * and amount, reserved combinations included (those are UNDEFINED and take
 * the vector) - or of a flag-setting family that stays a handler call
 * (ADDS/SUBS shifted register), so that inlined and called instructions
 * interleave. */
static uint32_t random_insn(bool branches)
{
    uint32_t r = (uint32_t)rnd(), sf = (r & 1u) << 31, regs = (uint32_t)(rnd() & 0x1fffff);
    uint32_t rd = regs & 31, rn = (regs >> 5) & 31, rm = (regs >> 10) & 31;
    uint32_t imm6 = (regs >> 15) & 63, ra = (regs >> 15) & 31, k = 1 + (r >> 20) % 3;
    switch ((r >> 1) % (branches ? 22 : 20)) {
    case 0:   /* ADD/SUB (immediate) */
        return 0x11000000u | sf | ((r >> 4) & 1u) << 30 | ((r >> 5) & 1u) << 22 |
               ((r >> 6) & 0xfffu) << 10 | rn << 5 | rd;
    case 1: { /* MOVZ / MOVN / MOVK (opc 01 unallocated too) */
        return 0x12800000u | sf | ((r >> 4) & 3u) << 29 | ((r >> 6) & 3u) << 21 |
               ((r >> 8) & 0xffffu) << 5 | rd;
    }
    case 2:   /* AND/ORR/EOR/BIC/ORN/EON (shifted register) */
    case 3:
        return 0x0a000000u | sf | ((r >> 4) % 3u) << 29 | ((r >> 6) & 3u) << 22 |
               ((r >> 8) & 1u) << 21 | rm << 16 | imm6 << 10 | rn << 5 | rd;
    case 4:   /* ADD/SUB (shifted register), shift 11 reserved */
        return 0x0b000000u | sf | ((r >> 4) & 1u) << 30 | ((r >> 6) & 3u) << 22 | rm << 16 |
               imm6 << 10 | rn << 5 | rd;
    case 5:   /* ADDS/SUBS (shifted register): handler, sets NZCV */
        return 0x2b000000u | sf | ((r >> 4) & 1u) << 30 | ((r >> 6) % 3u) << 22 | rm << 16 |
               (imm6 & (sf ? 63u : 31u)) << 10 | rn << 5 | rd;
    case 6:   /* ADC/ADCS/SBC/SBCS (NGC/NGCS): read C, the S forms set NZCV */
        return 0x1a000000u | sf | ((r >> 4) & 1u) << 30 | ((r >> 5) & 1u) << 29 | rm << 16 | rn << 5 | rd;
    case 7:   /* ADDS/SUBS (immediate): CMN/CMP with Rd 31, Rn 31 is SP */
        return 0x31000000u | sf | ((r >> 4) & 1u) << 30 | ((r >> 5) & 1u) << 22 |
               (((r >> 6) & 1u) ? 0xfffu : (r >> 7) & 0xfffu) << 10 | rn << 5 | rd;
    case 8:   /* AND/ORR/EOR/ANDS (immediate), reserved bit masks included */
        return 0x12000000u | sf | ((r >> 4) & 3u) << 29 | ((r >> 6) & 1u) << 22 | ((r >> 7) & 63u) << 16 |
               ((r >> 13) & 63u) << 10 | rn << 5 | rd;
    case 9:   /* ANDS/BICS (shifted register): TST */
        return 0x6a000000u | sf | ((r >> 4) & 3u) << 22 | ((r >> 6) & 1u) << 21 | rm << 16 |
               imm6 << 10 | rn << 5 | rd;
    case 10:  /* CSEL/CSINC/CSINV/CSNEG, every condition (AL and NV too) */
        return 0x1a800000u | sf | ((r >> 4) & 1u) << 30 | rm << 16 | ((r >> 5) & 15u) << 12 |
               ((r >> 9) & 1u) << 10 | rn << 5 | rd;
    case 11:  /* MADD/MSUB */
        return 0x1b000000u | sf | rm << 16 | ((r >> 4) & 1u) << 15 | ra << 10 | rn << 5 | rd;
    case 12:  /* ADD/SUB/ADDS/SUBS (extended register), imm3 5-7 reserved */
        return 0x0b200000u | sf | ((r >> 4) & 3u) << 29 | rm << 16 | ((r >> 6) & 7u) << 13 |
               ((r >> 9) & 7u) << 10 | rn << 5 | rd;
    case 13:  /* SBFM/BFM/UBFM, N = sf mostly (reserved combinations too) */
        return 0x13000000u | sf | ((r >> 4) & 3u) << 29 | ((r >> 6) & 7u ? sf >> 9 : ((r >> 9) & 1u) << 22) |
               ((r >> 10) & (sf || !((r >> 22) & 7u) ? 63u : 31u)) << 16 |
               ((r >> 16) & (sf || !((r >> 25) & 7u) ? 63u : 31u)) << 10 | rn << 5 | rd;
    case 14:  /* EXTR / ROR (immediate) */
        return 0x13800000u | sf | sf >> 9 | rm << 16 | ((r >> 4) & (sf ? 63u : 31u)) << 10 |
               rn << 5 | rd;
    case 15:  /* CCMN/CCMP (register and immediate), every condition and nzcv */
        return 0x3a400000u | sf | ((r >> 4) & 1u) << 30 | rm << 16 | ((r >> 5) & 15u) << 12 |
               ((r >> 9) & 1u) << 11 | rn << 5 | ((r >> 10) & 15u);
    case 16:  /* SMADDL/SMSUBL/UMADDL/UMSUBL */
        return 0x9b200000u | ((r >> 4) & 1u) << 23 | rm << 16 | ((r >> 5) & 1u) << 15 | ra << 10 |
               rn << 5 | rd;
    case 17:  /* SMULH/UMULH (Ra 31; other values: handler) */
        return 0x9b400000u | ((r >> 4) & 1u) << 23 | rm << 16 | ((r >> 5) & 7u ? 31u : ra) << 10 |
               rn << 5 | rd;
    case 18:  /* LSLV/LSRV/ASRV/RORV: counts of edge values (0 with a W result too) */
        return 0x1ac02000u | sf | rm << 16 | ((r >> 4) & 3u) << 10 | rn << 5 | rd;
    case 19:  /* RBIT/REV16/REV/REV32 (REV with sf = 0, opc = 11 unallocated) */
        return 0x5ac00000u | sf | ((r >> 4) & 3u) << 10 | rn << 5 | rd;
    case 20:  /* B.cond skipping k instructions forward, every condition */
        return 0x54000000u | k << 5 | ((r >> 4) & 15u);
    default:  /* CBZ/CBNZ, TBZ/TBNZ skipping k instructions (case 21) */
        if ((r >> 4) & 1u)
            return 0x34000000u | sf | ((r >> 5) & 1u) << 24 | k << 5 | rd;
        return 0x36000000u | ((r >> 6) & 1u) << 31 | ((r >> 5) & 1u) << 24 | ((r >> 7) & 31u) << 19 |
               k << 5 | rd;
    }
}

/* Register values at the limits of AddWithCarry() (Arm ARM J1
 * shared/functions/integer/AddWithCarry): carry out and signed overflow in
 * both widths, or a random value. */
static uint64_t edge_value(void)
{
    static const uint64_t edge[] = { 0, 1, 0x7fffffffull, 0x80000000ull, 0xffffffffull,
                                     0x7fffffffffffffffull, 0x8000000000000000ull, ~0ull,
                                     0xfffull, 0x100000000ull };
    uint64_t r = rnd();
    return r & 1 ? edge[(r >> 1) % (sizeof edge / sizeof edge[0])] : rnd();
}

/* Two machines, interp (mm[0]) and jit (mm[1]), with code at pa, the
 * vectors of `vec`, X0.. = init[0..ninit), SP = sp and PC = pa. */
/* make_pair() with EL2 implemented (a83_config.virtualization). */
static void make_pair_virt(a83_machine *mm[2], uint64_t pa, const uint32_t *code, size_t bytes,
                           const uint64_t *init, unsigned ninit, uint64_t sp, bool virt)
{
    for (int e = 0; e < 2; e++) {
        a83_config cfg;
        a83_config_default(&cfg);
        cfg.virtualization = virt;
        assert_int_equal(a83_machine_create(&cfg, &mm[e]), A83_OK);
        assert_int_equal(a83_set_accel(mm[e], e ? A83_ACCEL_JIT : A83_ACCEL_INTERP, 0), A83_OK);
        assert_int_equal(a83_phys_write(mm[e], pa, code, bytes), A83_OK);
        assert_int_equal(a83_phys_write(mm[e], CODE_PA + 0x200, vec, sizeof vec), A83_OK);
        assert_int_equal(a83_phys_write(mm[e], CODE_PA + 0x400, vec, sizeof vec), A83_OK);
        assert_int_equal(a83_sysreg_write(mm[e], 0, "VBAR_EL1", CODE_PA + 0x200), A83_OK);
        for (unsigned i = 0; i < ninit; i++)
            assert_int_equal(a83_reg_write(mm[e], 0, (a83_reg)i, init[i]), A83_OK);
        assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_SP, sp), A83_OK);
        assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PC, pa), A83_OK);
    }
}

static void make_pair(a83_machine *mm[2], uint64_t pa, const uint32_t *code, size_t bytes,
                      const uint64_t *init, unsigned ninit, uint64_t sp)
{
    make_pair_virt(mm, pa, code, bytes, init, ninit, sp, false);
}

/* Runs both machines n instructions and compares their state (SP too);
 * *a gets the interpreter's. */
static void step_pair(a83_machine *mm[2], unsigned n, const char *what, State *a)
{
    State b;
    a83_stop_reason wi, wj;
    assert_int_equal(a83_run(mm[0], n, &wi), A83_OK);
    assert_int_equal(a83_run(mm[1], n, &wj), A83_OK);
    assert_int_equal(wi, wj);
    snap(mm[0], a);
    snap(mm[1], &b);
    same(a, &b, what);
    uint64_t spa, spb;
    assert_int_equal(a83_reg_read(mm[0], 0, A83_REG_SP, &spa), A83_OK);
    assert_int_equal(a83_reg_read(mm[1], 0, A83_REG_SP, &spb), A83_OK);
    if (spa != spb)
        fail_msg("%s: sp %llx vs %llx", what, (unsigned long long)spa, (unsigned long long)spb);
}

/* step_pair() for `rounds` slices, cycling through sl[0..nsl-1]; failures
 * name the label and the slice. *a gets the interpreter's state. */
static void step_slices(a83_machine *mm[2], const unsigned *sl, unsigned nsl, unsigned rounds,
                        const char *label, State *a)
{
    char what[80];
    for (unsigned r = 0; r < rounds; r++) {
        snprintf(what, sizeof what, "%s slice %u", label, r);
        step_pair(mm, sl[r % nsl], what, a);
    }
}

/* Random straight-line integer code (a loop of 300 instructions) through
 * both engines in odd slices: every register, NZCV, counters identical. */
static void test_random_integer(void **s)
{
    (void)s;
    enum { N = 300 };
    static uint32_t code[N + 1];
    for (unsigned i = 0; i < N; i++)
        code[i] = random_insn(i + 4 < N);   /* forward branches stay inside the loop */
    code[N] = 0x14000000u | ((uint32_t)-N & 0x3ffffffu);   /* b start */
    uint64_t init[32];
    for (unsigned i = 0; i < 32; i++)
        init[i] = edge_value();
    a83_machine *mm[2];
    make_pair(mm, CODE_PA + 0x1000, code, sizeof code, init, 31, init[31]);
    static const unsigned sl[] = { 1, 3, 17, 64, 65, 150, 299, 301, 1000 };
    State a;
    step_slices(mm, sl, 9, 120, "random", &a);
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_true(js.inlined > 100);     /* the inlined forms were really emitted */
    assert_true(a.insns > 20000);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

#define DATA_PA 0x40010000ull      /* two pages of data, VA = PA (MMU off) */
#define UNMAPPED_PA 0x30000000ull  /* no RAM, no device: External abort */

/* step_slices() that also compares the data pages (DATA_PA and the pages
 * either side) after every slice. */
static void step_slices_data(a83_machine *mm[2], const unsigned *sl, unsigned nsl, unsigned rounds,
                             const char *label, State *a)
{
    static uint8_t data[2][3 * 4096];
    char what[80];
    for (unsigned r = 0; r < rounds; r++) {
        snprintf(what, sizeof what, "%s slice %u", label, r);
        step_pair(mm, sl[r % nsl], what, a);
        for (int e = 0; e < 2; e++)
            assert_int_equal(a83_phys_read(mm[e], DATA_PA - 4096, data[e], sizeof data[e]), A83_OK);
        if (memcmp(data[0], data[1], sizeof data[0]))
            fail_msg("%s: data pages differ", what);
    }
}

/* One random load/store of the inlined forms on base x28 (page start), x27
 * (16 bytes before the page end) or SP; transfer registers x0-x22 or XZR;
 * some unallocated and PRFM encodings too (handler calls), and LDAR/STLR
 * and the LSE atomics (LD<op>, SWP, CAS) of every size. */
static uint32_t random_mem(void)
{
    uint32_t r = (uint32_t)rnd(), q = (uint32_t)rnd();
    static const uint32_t bases[3] = { 28, 27, 31 };
    uint32_t rn = bases[q % 3], rt = (q >> 2) % 24, rt2 = (q >> 7) % 24;
    rt = rt == 23 ? 31 : rt == 11 ? 12 : rt;        /* x11 counts the exceptions */
    rt2 = rt2 == 23 ? 31 : rt2 == 11 ? 13 : rt2;
    uint32_t size = (r >> 2) & 3, opc = (r >> 4) & 3;
    switch (r & 3) {
    case 0:   /* unsigned offset, or register offset (x24 > 0, x23 < 0; any extend) */
        if ((r >> 10) & 1) {
            /* UXTW, LSL, SXTW, SXTX (the other extends are unallocated: rarely) */
            uint32_t option = (r >> 16) & 15 ? 2u | ((r >> 12) & 1u) | ((r >> 13) & 1u) << 2 : (r >> 12) & 7u;
            return 0x38200800u | size << 30 | opc << 22 | (23u + ((r >> 11) & 1u)) << 16 | option << 13 |
                   ((r >> 15) & 1u) << 12 | (rn == 31 ? 28u : rn) << 5 | rt;
        }
        return 0x39000000u | size << 30 | opc << 22 | ((q >> 12) & 0x1ffu) << 10 | rn << 5 | rt;
    case 1: { /* unscaled, post-index, pre-index (idx 10 = LDTR/STTR: handler) */
        uint32_t idx = (r >> 6) & 3;
        return 0x38000000u | size << 30 | opc << 22 | ((q >> 12) & 0x1ffu) << 12 | idx << 10 | rn << 5 | rt;
    }
    case 2:
        if (((q >> 20) & 3) == 0) {   /* LDAR/STLR (B, H, W, X; o0 = 0: LDLAR/STLLR, UNDEFINED) */
            uint32_t o0 = (q >> 21) & 7 ? 1u : 0u;
            return 0x08800000u | size << 30 | ((r >> 6) & 1u) << 22 | 31u << 16 | o0 << 15 | 31u << 10 |
                   rn << 5 | rt;
        }
        if (((q >> 20) & 3) == 1) {   /* LSE: LD<op> (every opc), SWP, CAS; Rs = rt2 */
            uint32_t ar = (r >> 6) & 3u, kind = (q >> 22) % 3;
            if (kind == 0)
                return 0x38200000u | size << 30 | ar << 22 | rt2 << 16 | ((q >> 24) & 7u) << 12 | rn << 5 | rt;
            if (kind == 1)
                return 0x38208000u | size << 30 | ar << 22 | rt2 << 16 | rn << 5 | rt;
            return 0x08a07c00u | size << 30 | (ar & 1u) << 22 | rt2 << 16 | (ar >> 1) << 15 | rn << 5 | rt;
        }
        /* fall through */
    default: { /* LDP/STP W or X, every index mode (00: LDNP/STNP, handler) */
        uint32_t o = (r >> 6) & 1 ? 2u : 0u, idx = (r >> 7) & 3, l = (r >> 9) & 1;
        return 0x28000000u | o << 30 | idx << 23 | l << 22 | ((q >> 12) & 0x7fu) << 15 | rt2 << 10 |
               rn << 5 | rt;
    }
    }
}

/* Random loads, stores and integer code in a loop that resets its bases:
 * registers, SP, NZCV, counters and the data pages identical in every
 * slice (docs/ARCHITECTURE.md "Translator": the inline TLB test is
 * mem.h's, so hits, misses and model costs are the interpreter's). */
static void test_random_memory(void **s)
{
    (void)s;
    enum { N = 400, HEAD = 10 };
    static uint32_t code[HEAD + N + 1];
    unsigned k = 0;
    code[k++] = 0xd2800000u | (uint32_t)(DATA_PA & 0xffff) << 5 | 28;          /* movz x28, #lo */
    code[k++] = 0xf2a00000u | (uint32_t)((DATA_PA >> 16) & 0xffff) << 5 | 28;  /* movk x28, #hi, lsl 16 */
    code[k++] = 0x91000000u | 0xff0u << 10 | 28u << 5 | 27;                     /* add x27, x28, #0xff0 */
    code[k++] = 0x91000000u | 0x800u << 10 | 28u << 5 | 31;                     /* add sp, x28, #0x800 */
    code[k++] = 0xd2a00000u | (uint32_t)(UNMAPPED_PA >> 16) << 5 | 26;         /* movz x26, #hi, lsl 16 */
    code[k++] = 0xd2a00000u | (uint32_t)(0x09000000u >> 16) << 5 | 25;         /* movz x25, PL011 */
    code[k++] = 0xb9401b21u;                                                   /* ldr w1, [x25, #0x18] (UARTFR, MMIO) */
    code[k++] = 0xb9400342u;                                                   /* ldr w2, [x26]: External abort */
    code[k++] = 0xd2800518u;                                                   /* movz x24, #0x28 */
    code[k++] = 0x928000f7u;                                                   /* movn x23, #7: -8 */
    for (unsigned i = 0; i < N; i++) {
        uint32_t w;
        if (rnd() % 3) {
            w = random_mem();
        } else {
            w = random_insn(false);
            w = (w & ~31u) | ((w & 31u) % 23u);   /* never writes x23-x28 or SP */
            if ((w & 31u) == 11)
                w ^= 1;                           /* nor x11 (the exception count) */
        }
        code[k++] = w;
    }
    code[k] = 0x14000000u | ((uint32_t)-(int32_t)k & 0x3ffffffu);   /* b start */
    uint64_t init[25], seed = 0x1234;
    for (unsigned i = 0; i < 25; i++)
        init[i] = seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    a83_machine *mm[2];
    make_pair(mm, CODE_PA + 0x3000, code, sizeof code, init, 25, 0);
    static const unsigned sl[] = { 1, 5, 64, 65, 211, 400, 409, 1000, 4001 };
    State a;
    step_slices_data(mm, sl, 9, 90, "memory", &a);
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_true(js.inlined > 200);
    assert_true(a.insns > 40000);
    /* the unmapped load was taken as an exception each time round (and
     * the UNDEFINED encodings, SP alignment faults) */
    uint64_t x11;
    assert_int_equal(a83_reg_read(mm[1], 0, A83_REG_X0 + 11, &x11), A83_OK);
    assert_true(x11 > 10);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* Branches that leave the page and indirect branches: BL to another page,
 * RET back, ADR + BR into the other page and B back (Arm ARM C6.2.34,
 * C6.2.227, C6.2.37). The translator's dispatcher chains them through the
 * iTLB in translated code (docs/ARCHITECTURE.md "Translator"); state and
 * counters must equal the interpreter's in every slice, and with long
 * slices the blocks must run without returning to C per branch. */
static void test_cross_page(void **s)
{
    (void)s;
    static const uint32_t page_a[] = {
        0xd2817701u,  /* start: mov x1, #3000 */
        0x940003ffu,  /* loop: bl funcB */
        0x91000442u,  /*   add x2, x2, #1 */
        0x10008034u,  /*   adr x20, tgtB */
        0xd61f0280u,  /*   br x20 */
        0xf1000421u,  /* back: subs x1, x1, #1 */
        0x54ffff61u,  /*   b.ne loop */
        0x17fffff9u,  /*   b start */
    };
    static const uint32_t page_b[] = {
        0x91000c00u,  /* funcB: add x0, x0, #3 */
        0xca000063u,  /*   eor x3, x3, x0 */
        0xd65f03c0u,  /*   ret */
        0xd503201fu,  /*   nop */
        0x91000884u,  /* tgtB: add x4, x4, #2 */
        0x17fffc00u,  /*   b back */
    };
    const uint64_t a_pa = CODE_PA + 0x5000;
    static const unsigned sl[][5] = { { 1, 7, 64, 333, 1000 }, { 100000, 100000, 100000, 100000, 100000 } };
    for (int pass = 0; pass < 2; pass++) {
        a83_machine *mm[2];
        make_pair(mm, a_pa, page_a, sizeof page_a, NULL, 0, 0);
        for (int e = 0; e < 2; e++)
            assert_int_equal(a83_phys_write(mm[e], a_pa + 0x1000, page_b, sizeof page_b), A83_OK);
        State a;
        step_slices(mm, sl[pass], 5, 40, pass ? "cross-page pass 1" : "cross-page pass 0", &a);
        assert_true(a.x[0] > 3 * 1000);       /* the calls and returns ran */
        assert_true(a.x[4] > 2 * 1000);       /* and the indirect branches */
        a83_jit_stats js;
        assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
        if (pass)   /* 4 branches per 9 instructions; entries from C far fewer */
            assert_true(js.entries * 100 < a.insns);
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* Hints that do nothing here and DMB/DSB (a64_is_nop(): Arm ARM C6.2 HINT,
 * DMB, DSB) retire without code and do not end a block, while SEVL (a hint
 * with an effect) still calls its handler: the loop body below is one
 * block, and counters and registers equal the interpreter's in odd slices
 * (stop points inside the block) and in long ones. ADRP (inline, C6.2.11)
 * sits after a handler call, where the block's deferred PC restarts. */
static void test_nops_inside_blocks(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd2807d03u,  /* mov x3, #1000 */
        0xd503201fu,  /* loop: nop */
        0x91000421u,  /*   add x1, x1, #1 */
        0xd5033bbfu,  /*   dmb ish */
        0x8b010042u,  /*   add x2, x2, x1 */
        0xd503245fu,  /*   bti c (a hint without FEAT_BTI) */
        0xd503203fu,  /*   yield */
        0xd5033f9fu,  /*   dsb sy */
        0xd503221fu,  /*   esb */
        0xd503229fu,  /*   csdb */
        0xd50320bfu,  /*   sevl: sets the event register, a handler call */
        0xb0000006u,  /*   adrp x6, #1 (inline: from the block's deferred PC) */
        0xd0ffffe7u,  /*   adrp x7, #-2 */
        0xf1000463u,  /*   subs x3, x3, #1 */
        0x54fffe61u,  /*   b.ne loop */
        0x14000000u,  /* b . */
    };
    static const unsigned sl[][5] = { { 1, 3, 7, 13, 64 }, { 100000, 100000, 100000, 100000, 100000 } };
    for (int pass = 0; pass < 2; pass++) {
        a83_machine *mm[2];
        make_pair(mm, CODE_PA, code, sizeof code, NULL, 0, 0);
        State a;
        step_slices(mm, sl[pass], 5, pass ? 2u : 800u, pass ? "nops pass 1" : "nops pass 0", &a);
        assert_int_equal(a.x[1], 1000);
        assert_int_equal(a.x[2], 500500);
        assert_int_equal(a.x[6], (CODE_PA & ~0xfffull) + 0x1000);
        assert_int_equal(a.x[7], (CODE_PA & ~0xfffull) - 0x2000);
        a83_jit_stats js;
        assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
        if (pass)   /* from 0 and from the loop head to the SEVL, SUBS + B.NE, B . */
            assert_true(js.blocks <= 4);
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* BLR, RET and BR end blocks inline when AArch64.BranchAddr() leaves the
 * target alone (Arm ARM C6.2.36/37/254); a tagged BR target with
 * TCR_EL1.TBI0 = 1 takes the handler, which strips the tag. Both engines
 * in odd and long slices, at EL1 (two VA ranges: bit 55 extended) and at
 * EL2 without E2H (one range, TCR_EL2.TBI = 1: ZeroExtend(target<55:0>),
 * J1 aarch64/functions/memory/AArch64.BranchAddr; since session 16 its
 * untagged targets take the inline path too). */
static void test_indirect_branches(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0x10000181u,  /* loop: adr x1, f */
        0xd63f0020u,  /*   blr x1 */
        0x10000183u,  /*   adr x3, g */
        0xf2e24003u,  /*   movk x3, #0x1200, lsl #48: a tag in bits 63:56 */
        0xd61f0060u,  /*   br x3 */
        0xf10004a5u,  /* back: subs x5, x5, #1 */
        0x54ffff41u,  /*   b.ne loop */
        0x14000000u,  /* b . */
        0xd503201fu, 0xd503201fu, 0xd503201fu, 0xd503201fu,
        0x91000442u,  /* f: add x2, x2, #1 */
        0xd65f03c0u,  /*   ret */
        0x91000484u,  /* g: add x4, x4, #1 */
        0x17fffff6u,  /*   b back */
    };
    static const unsigned sl[][5] = { { 1, 2, 5, 9, 31 }, { 100000, 100000, 100000, 100000, 100000 } };
    const uint64_t init[6] = { 0, 0, 0, 0, 0, 200 };
    for (int pass = 0; pass < 4; pass++) {
        a83_machine *mm[2];
        bool el2 = pass >= 2;
        make_pair_virt(mm, CODE_PA + 0x3000, code, sizeof code, init, 6, 0, el2);
        for (int e = 0; e < 2; e++) {
            assert_int_equal(a83_sysreg_write(mm[e], 0, "TCR_EL1", 1ull << 37), A83_OK);   /* TBI0 */
            if (el2) {
                assert_int_equal(a83_sysreg_write(mm[e], 0, "TCR_EL2", 1ull << 20), A83_OK);   /* TBI */
                assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PSTATE, 0x3c9), A83_OK);   /* EL2h */
            }
        }
        State a;
        static const char *const label[] = { "indirect EL1 pass 0", "indirect EL1 pass 1",
                                             "indirect EL2 pass 0", "indirect EL2 pass 1" };
        step_slices(mm, sl[pass & 1], 5, (pass & 1) ? 2u : 400u, label[pass], &a);
        assert_int_equal(a.x[2], 200);
        assert_int_equal(a.x[4], 200);
        assert_int_equal(a.x[11], 0);   /* no exception */
        /* at EL2 a target whose bits 63:56 are the extension of bit 55 but
         * not zero is still tagged (one range): BR x3 goes to
         * ZeroExtend(x3<55:0>), which the two-range fast test would miss */
        const uint64_t g_va = CODE_PA + 0x3000 + 14 * 4;
        for (int e = 0; el2 && e < 2; e++) {
            uint64_t pc;
            a83_stop_reason why;
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_X0 + 3, 0xff80000000000000ull | g_va), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PC, CODE_PA + 0x3000 + 4 * 4), A83_OK);
            assert_int_equal(a83_run(mm[e], 1, &why), A83_OK);
            assert_int_equal(a83_reg_read(mm[e], 0, A83_REG_PC, &pc), A83_OK);
            assert_int_equal(pc, 0x0080000000000000ull | g_va);
        }
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* A store into a block that a CPU's jump cache holds (CPUState.jit_jc):
 * BLR calls the function in the next page 200 times through the
 * dispatcher, which finds its block in the jump cache from the third call
 * on; after the 101st call the loop rewrites the function's first
 * instruction (MOVZ X0, #1 -> #2). The store drops the block and its jump
 * cache entries (jit.c jc_drop()), so the next calls run the new
 * instruction: x22 = 101 * 1 + 99 * 2, as the interpreter and the
 * architecture (self-modifying code on one PE, no cache maintenance
 * needed in this model) give. */
static void test_jump_cache_smc(void **s)
{
    (void)s;
    static uint32_t code[1024 + 2] = {
        0xd2801915u,  /* movz x21, #200 */
        0xd2800016u,  /* movz x22, #0 */
        0x10ffffd4u,  /* adr x20, start */
        0x91400694u,  /* add x20, x20, #0x1000: the function */
        0xd63f0280u,  /* loop: blr x20 */
        0x8b0002d6u,  /*   add x22, x22, x0 */
        0xf10192bfu,  /*   cmp x21, #100 */
        0x54000061u,  /*   b.ne 1f */
        0x180000b7u,  /*   ldr w23, newinsn */
        0xb9000297u,  /*   str w23, [x20] */
        0xf10006b5u,  /* 1: subs x21, x21, #1 */
        0x54ffff21u,  /*   b.ne loop */
        0x14000000u,  /* b . */
        0xd2800040u,  /* newinsn: movz x0, #2 */
    };
    code[1024] = 0xd2800020u;       /* function: movz x0, #1 */
    code[1024 + 1] = 0xd65f03c0u;   /*   ret */
    static const unsigned sl[] = { 100000 };
    a83_machine *mm[2];
    make_pair(mm, CODE_PA + 0x3000, code, sizeof code, NULL, 0, 0);
    State a;
    step_slices(mm, sl, 1, 1, "jump cache smc", &a);
    assert_int_equal(a.x[22], 101 * 1 + 99 * 2);
    assert_int_equal(a.pc, CODE_PA + 0x3000 + 12 * 4);   /* at the final b . */
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_true(js.page_invals >= 1);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* An instruction for a loop body that neither ends a block nor faults, so
 * that iterations reach the back edge: random_insn() (ADC/SBC, handler
 * calls, only with calls) or (mem) random_mem() redrawn until it is of an
 * always-allocated form (an UNDEFINED encoding
 * would end the block), writes none of x11 (the exception count), x21-x28
 * and SP except through a load/store's base write-back, and accesses
 * memory aligned (with the MMU off data accesses are Device memory, where
 * an unaligned access faults: Arm ARM B2.5.2) on x27 or x28. */
static uint32_t random_loop_insn(bool mem, bool calls)
{
    for (;;) {
        uint32_t w;
        if (mem && rnd() % 3) {
            w = random_mem();
            bool single = (w & 0x3a000000u) == 0x38000000u;   /* not LDP/STP */
            uint32_t size = w >> 30, opc = (w >> 22) & 3;
            if (single && opc >= 2 && size >= 2)
                continue;   /* PRFM/unallocated forms that differ by index mode */
            if (single && (w & 0x3b200c00u) == 0x38200800u && ((w >> 13) & 7) < 6 && ((w >> 13) & 7) != 3)
                continue;   /* register offset: LSL, SXTW, SXTX only (x23 = -8, x24 = 0x28) */
            if ((w & 0x3b200000u) == 0x38000000u)
                w &= ~(0xfu << 12);   /* imm9 (unscaled, pre-, post-index) a multiple of 16 */
            if (!single && ((w >> 23) & 1))
                w &= ~(3u << 15);     /* a pair's write-back keeps the base 16-byte aligned */
            if (((w >> 5) & 31) == 31)
                continue;             /* not SP: its base offsets are not aligned */
            uint32_t rt = w & 31, rt2 = (w >> 10) & 31;
            if ((rt >= 21 && rt < 31) || (!single && rt2 >= 21 && rt2 < 31))
                continue;
            return w;
        }
        w = random_insn(false);
        bool ok = (w & 0x1f800000u) == 0x11000000u ||        /* ADD/SUB/ADDS/SUBS (immediate) */
                  (w & 0x3fe00410u) == 0x3a400000u ||        /* CCMN/CCMP */
                  (w & 0xff600000u) == 0x9b200000u ||        /* SMADDL/UMADDL/SMSUBL/UMSUBL */
                  (w & 0x7fe00000u) == 0x1b000000u ||        /* MADD/MSUB */
                  (w & 0x3fe00800u) == 0x1a800000u ||        /* CSEL/CSINC/CSINV/CSNEG */
                  (calls && (w & 0x3fe0fc00u) == 0x1a000000u) ||   /* ADC/SBC */
                  (w & 0x9f000000u) == 0x8a000000u;          /* logical (shifted register), 64-bit */
        unsigned rd = w & 31;
        if (ok && rd < 21 && rd != 11)
            return w;
    }
}

/* Blocks that loop on themselves (translate(): translated twice, the loop
 * head pins the registers the loop uses most in host registers): eight
 * loops of 8-54 instructions naming up to 23 registers (more than the 10
 * host registers): inlined integer code only (loops 0 and 4: nothing
 * reloads a register the back edge should have kept), with handler calls
 * (ADC/SBC: 2, 6), with aligned loads and stores (slow paths at the page
 * end: 1, 5) and with both (3, 7). Each loop
 * starts by resetting its bases and ends with SUB + CBNZ on x26. In odd
 * slices (budget exhausted at the back edge, rounds ending inside the loop:
 * the out-of-line path of emit_self_loop()) registers, SP, NZCV, counters
 * and memory must equal the interpreter's. */
static void test_self_loops(void **s)
{
    (void)s;
    enum { LOOPS = 8 };
    static uint32_t code[LOOPS * 65 + 1];
    unsigned k = 0;
    for (unsigned l = 0; l < LOOPS; l++) {
        code[k++] = 0xd2800000u | (3u + l % 4u) << 5 | 26;                           /* movz x26, #iterations */
        unsigned head = k;
        code[k++] = 0xd2800000u | (uint32_t)(DATA_PA & 0xffff) << 5 | 28;          /* movz x28, #lo */
        code[k++] = 0xf2a00000u | (uint32_t)((DATA_PA >> 16) & 0xffff) << 5 | 28;  /* movk x28, #hi, lsl 16 */
        code[k++] = 0x91000000u | 0xff0u << 10 | 28u << 5 | 27;                     /* add x27, x28, #0xff0 */
        code[k++] = 0x91000000u | 0x800u << 10 | 28u << 5 | 31;                     /* add sp, x28, #0x800 */
        unsigned body = l == 0 ? 54 : 8 + (unsigned)(rnd() % 47);
        for (unsigned i = 0; i < body; i++)
            code[k++] = random_loop_insn(l & 1, l & 2);
        /* x22 accumulates across iterations: used most, it is pinned
         * (in the slot a C call's argument overwrites) and carried */
        code[k++] = 0xca000000u | 0u << 16 | 22u << 5 | 22;                         /* eor x22, x22, x0 */
        code[k++] = 0xca000000u | 3u << 22 | 5u << 16 | 7u << 10 | 22u << 5 | 22;   /* eor x22, x22, x5, ror #7 */
        code[k++] = 0x8b000000u | 9u << 16 | 22u << 5 | 22;                         /* add x22, x22, x9 */
        code[k++] = 0xca000000u | 15u << 16 | 3u << 10 | 22u << 5 | 22;             /* eor x22, x22, x15, lsl #3 */
        code[k++] = 0xd1000400u | 26u << 5 | 26;                                    /* sub x26, x26, #1 */
        code[k] = 0xb5000000u | ((uint32_t)(head - k) & 0x7ffffu) << 5 | 26;        /* cbnz x26, head */
        k++;
    }
    code[k] = 0x14000000u | ((uint32_t)-(int32_t)k & 0x3ffffffu);   /* b start */
    k++;
    uint64_t init[25], seed = 0x5eed;
    for (unsigned i = 0; i < 25; i++)
        init[i] = seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    init[23] = (uint64_t)-8;
    init[11] = 0;
    init[24] = 0x28;            /* the register-offset forms' index registers */
    a83_machine *mm[2];
    make_pair(mm, CODE_PA + 0x5000, code, k * 4, init, 25, 0);
    static const unsigned sl[] = { 1, 5, 63, 64, 65, 211, 400, 409, 1000, 4001, 30011 };
    State a;
    step_slices_data(mm, sl, 11, 110, "self-loop", &a);
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_true(js.loops >= LOOPS / 2);   /* the loops were really translated as such */
    assert_true(a.insns > 40000);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* Side exits (jit.c side_exit()): conditional branches inside a block,
 * which goes on through their not-taken path, and a BL to the block's own
 * first instruction after them (a loop on itself that links). `func`
 * recurses five levels: each level reads X30 into x9 and x11 (so X30 is in
 * the register map, pinned at the loop head), then CBZ, B.EQ (fused with
 * its CMP) and TBNZ are not taken until the last level, whose CBZ is.
 * Every BL must leave X30 = its address + 4 (Arm ARM C6.2.34) in the host
 * register the loop head expects as well: with the old X30 there (jit.c
 * emit_branch() without jr_mirror()), x11 differs at the second level.
 * 40 instructions per pass from `start`; after 1000 passes, exact values. */
static void test_side_exits(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd28000aau,  /* start: movz x10, #5 */
        0x94000001u,  /*   bl func */
        0xaa1e03e9u,  /* func: mov x9, x30 */
        0x8b09016bu,  /*   add x11, x11, x9 */
        0xd100054au,  /*   sub x10, x10, #1 */
        0xb40000aau,  /*   cbz x10, out */
        0xf101915fu,  /*   cmp x10, #100 */
        0x54000060u,  /*   b.eq out */
        0xb7f8004bu,  /*   tbnz x11, #63, out */
        0x97fffff9u,  /*   bl func */
        0x8b09018cu,  /* out: add x12, x12, x9 */
        0x17fffff5u,  /*   b start */
    };
    const uint64_t pa = CODE_PA + 0x5000;
    a83_machine *mm[2];
    make_pair(mm, pa, code, sizeof code, NULL, 0, 0);
    static const unsigned sl[] = { 7, 33, 40, 1, 39, 64, 400, 3416, 36000 };   /* 40,000 in all */
    State a;
    step_slices(mm, sl, 9, 9, "side exits", &a);
    assert_int_equal(a.insns, 40000);
    assert_int_equal(a.pc, pa);
    assert_int_equal(a.x[10], 0);
    assert_int_equal(a.x[9], pa + 0x28);                            /* the last BL's link */
    assert_int_equal(a.x[11], 1000 * ((pa + 8) + 4 * (pa + 0x28)));
    assert_int_equal(a.x[12], 1000 * (pa + 0x28));
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_true(js.side_exits >= 3);
    assert_true(js.loops >= 1);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* A slice whose budget does not cover the block at its PC runs the rest
 * of that slice in the interpreter (jit.c jit_exec_page() `tail`): 40
 * straight-line instructions then a branch back, run in slices of 7. The
 * first slice translates the one block at its start, not one block per
 * slot it steps through (before: 7, each found too long for the budget and
 * kept), and every slice still matches the interpreter. */
static void test_budget_tail(void **s)
{
    (void)s;
    static uint32_t code[41];
    for (unsigned i = 0; i < 40; i++)
        code[i] = 0x91000400u | (i % 8u) << 5 | (i % 8u);                /* add xI, xI, #1 */
    code[40] = 0x14000000u | ((uint32_t)-40 & 0x3ffffffu);              /* b start */
    a83_machine *mm[2];
    make_pair(mm, CODE_PA + 0x5000, code, sizeof code, NULL, 0, 0);
    State a;
    step_pair(mm, 7, "tail slice 0", &a);
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_int_equal(js.blocks, 1);
    assert_int_equal(js.entries, 0);
    static const unsigned sl[] = { 7, 41, 3, 100, 64 };
    step_slices(mm, sl, 5, 20, "tail", &a);
    assert_int_equal(a.insns, 7 + 4 * (7 + 41 + 3 + 100 + 64));
    assert_int_equal(a.x[0] + a.x[1] + a.x[2] + a.x[3] + a.x[4] + a.x[5] + a.x[6] + a.x[7],
                     (7 + 4 * 215) / 41 * 40 + (7 + 4 * 215) % 41);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* The multiplies with a 128-bit or widened product and the conditional
 * compares, inlined (jit_inline.c): SMULH/UMULH (Arm ARM C6.2.243,
 * C6.2.361), SMADDL/SMSUBL/UMADDL/UMSUBL/SMULL (C6.2.238 ...), CCMP/CCMN
 * register and immediate with the condition holding or not (C6.2.51-54:
 * NZCV from AddWithCarry() or the immediate), the last one fused with a
 * B.HI (C and Z together). Each result in its own register, NZCV read by
 * MRS after each compare; 300 operand sets of edge values, both engines. */
static void test_mul_ccmp(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0x9b417c0au,  /* smulh x10, x0, x1 */
        0x9bc17c0bu,  /* umulh x11, x0, x1 */
        0x9b21080cu,  /* smaddl x12, w0, w1, x2 */
        0x9ba1880du,  /* umsubl x13, w0, w1, x2 */
        0x9b21804eu,  /* smsubl x14, w2, w1, x0 */
        0x9ba1004fu,  /* umaddl x15, w2, w1, x0 */
        0x9b227c30u,  /* smull x16, w1, w2 */
        0xeb02001fu,  /* cmp x0, x2 */
        0xfa411005u,  /* ccmp x0, x1, #5, ne */
        0xd53b4211u,  /* mrs x17, nzcv */
        0x3a43482au,  /* ccmn w1, #3, #0xa, mi */
        0xd53b4212u,  /* mrs x18, nzcv */
        0x7a40a040u,  /* ccmp w2, w0, #0, ge */
        0xd53b4213u,  /* mrs x19, nzcv */
        0xba5fb02fu,  /* ccmn x1, xzr, #15, lt */
        0x54000048u,  /* b.hi 1f */
        0xd2800034u,  /* mov x20, #1 */
        0xd53b4215u,  /* 1: mrs x21, nzcv */
        0x14000000u,  /* b . */
    };
    a83_machine *mm[2];
    make_pair(mm, CODE_PA, code, sizeof code, NULL, 0, 0);
    State a;
    char what[64];
    unsigned took[2] = { 0, 0 };
    for (unsigned set = 0; set < 300; set++) {
        uint64_t v[3] = { edge_value(), edge_value(), edge_value() };
        if (set % 4 == 0)
            v[2] = v[0];        /* CMP equal: CCMP NE fails, takes #5 */
        for (int e = 0; e < 2; e++) {
            for (unsigned i = 0; i < 3; i++)
                assert_int_equal(a83_reg_write(mm[e], 0, (a83_reg)i, v[i]), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_X0 + 20, 0), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PC, CODE_PA), A83_OK);
        }
        snprintf(what, sizeof what, "mul/ccmp set %u", set);
        step_pair(mm, 18, what, &a);
        assert_int_equal(a.pc, CODE_PA + 18 * 4);
        took[a.x[17] >> 28 == 5]++;
    }
    assert_true(took[0] > 0 && took[1] > 0);    /* both outcomes of the first CCMP */
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* make_pair() of code at CODE_PA with no registers set; returns the
 * translator's count of inlined instructions so far. */
static uint64_t make_pair_counted(a83_machine *mm[2], const uint32_t *code, size_t bytes)
{
    make_pair(mm, CODE_PA, code, bytes, NULL, 0, 0);
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    return js.inlined;
}

/* Destroys both machines; returns the translator's count of inlined
 * instructions. */
static uint64_t destroy_pair_inlined(a83_machine *mm[2])
{
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
    return js.inlined;
}

/* BFM (BFI, BFXIL, BFC; both sizes, a field at bit 0, at the top and the
 * whole register) and ADC/ADCS/SBC/SBCS/NGCS with the carry in both
 * states, inlined since session 19 (jit_inline.c bitfield_move(),
 * add_sub_carry()): 300 operand sets of edge values and carries in both
 * engines, and set 0's results checked against the Arm ARM pseudocode
 * (C6.2.30 BFM: the field replaces the same bits of Xd, the rest stay;
 * J1 AddWithCarry(): NZCV of x + y + C, SBC adding NOT(y)), worked out by
 * hand: x0 = 0x123456789abcdef0, x1 = 0xfedcba9876543210,
 * x2 = 0xf00f0f0f8f0f0f0f, NZCV = C. */
static void test_bfm_carry(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd51b4203u,  /* msr nzcv, x3 */
        0xaa0203eau,  /* mov x10, x2 */
        0xb3783c0au,  /* bfi x10, x0, #8, #16 */
        0x2a0203ebu,  /* mov w11, w2 */
        0x3303582bu,  /* bfxil w11, w1, #3, #20 */
        0xaa0203ecu,  /* mov x12, x2 */
        0xb3440fecu,  /* bfc x12, #60, #4 */
        0xaa0203edu,  /* mov x13, x2 */
        0xb340fc0du,  /* bfxil x13, x0, #0, #64 */
        0x2a0203eeu,  /* mov w14, w2 */
        0x3301000eu,  /* bfi w14, w0, #31, #1 */
        0x9a01000fu,  /* adc x15, x0, x1 */
        0x3a010010u,  /* adcs w16, w0, w1 */
        0xd53b4211u,  /* mrs x17, nzcv */
        0xd51b4203u,  /* msr nzcv, x3 */
        0xfa010012u,  /* sbcs x18, x0, x1 */
        0xd53b4213u,  /* mrs x19, nzcv */
        0x5a000034u,  /* sbc w20, w1, w0 */
        0xfa0103f5u,  /* ngcs x21, x1 */
        0xd53b4216u,  /* mrs x22, nzcv */
        0xba02001fu,  /* adcs xzr, x0, x2 */
        0xd53b4217u,  /* mrs x23, nzcv */
        0x14000000u,  /* b . */
    };
    static const uint64_t want[14] = {
        0xf00f0f0f8fdef00full, 0x8f0a8642ull, 0x000f0f0f8f0f0f0full, 0x123456789abcdef0ull,
        0x0f0f0f0full, 0x1111111111111101ull, 0x11111101ull, 0x20000000ull, 0x13579be02468ace0ull,
        0, 0xdb97531full, 0x0123456789abcdefull, 0, 0x20000000ull,
    };
    a83_machine *mm[2];
    uint64_t inlined0 = make_pair_counted(mm, code, sizeof code);
    State a;
    char what[64];
    for (unsigned set = 0; set < 300; set++) {
        uint64_t v[4] = { edge_value(), edge_value(), edge_value(), (rnd() & 15) << 28 };
        if (set == 0) {
            v[0] = 0x123456789abcdef0ull;
            v[1] = 0xfedcba9876543210ull;
            v[2] = 0xf00f0f0f8f0f0f0full;
            v[3] = 0x20000000ull;
        }
        for (int e = 0; e < 2; e++) {
            for (unsigned i = 0; i < 4; i++)
                assert_int_equal(a83_reg_write(mm[e], 0, (a83_reg)i, v[i]), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PC, CODE_PA), A83_OK);
        }
        snprintf(what, sizeof what, "bfm/carry set %u", set);
        step_pair(mm, 22, what, &a);
        assert_int_equal(a.pc, CODE_PA + 22 * 4);
        if (set == 0)
            for (unsigned i = 0; i < 14; i++)
                if (a.x[10 + i] != want[i])
                    fail_msg("x%u = %llx, want %llx", 10 + i, (unsigned long long)a.x[10 + i],
                             (unsigned long long)want[i]);
    }
    /* the translator inlined them: every instruction but the MSRs and MRSs */
    assert_true(destroy_pair_inlined(mm) - inlined0 >= 15);
}

/* FEAT_LSE atomics inlined since session 19 (jit_inline_mem.c
 * decode_atomic()): LDADD, LDCLRAL (W), LDEORB, LDSETH, STADD, SWP, CAS
 * (equal: stores), CASB (different: no store), CASAL (W, equal), LDSMAXH
 * and LDUMIN (where signed and unsigned order differ) on RAM,
 * a misaligned LDADD, which takes the Alignment fault (EC 0x25, DFSC
 * 0b100001, WnR 0: the read would have faulted; atomic.c) and leaves Rt
 * unchanged, and an LDADD into the code page (whose write tag is slow:
 * its handler makes the new MOVZ the next one fetched). 300 operand sets in both engines; set 0 against values worked
 * out from the Arm ARM's pseudocode (C6.2.110 LDADD ... C6.2.43 CAS: Rt or
 * Rs gets the old value zero-extended from the access size, memory the
 * operation's result in the access's bytes). */
static void test_atomics(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd280001cu,  /* mov x28, #0x10000 (DATA_PA) */
        0xf2a8003cu,  /* movk x28, #0x4001, lsl #16 */
        0xd280000bu,  /* mov x11, #0 */
        0xf9000382u,  /* str x2, [x28] */
        0xf8200383u,  /* ldadd x0, x3, [x28] */
        0xb8e11384u,  /* ldclral w1, w4, [x28] */
        0x38202385u,  /* ldeorb w0, w5, [x28] */
        0x78213391u,  /* ldseth w1, w17, [x28] (x6: the handler's) */
        0xf820039fu,  /* stadd x0, [x28] */
        0xf8218387u,  /* swp x1, x7, [x28] */
        0xf9400388u,  /* ldr x8, [x28] */
        0xc8a87f80u,  /* cas x8, x0, [x28] */
        0xf9400389u,  /* ldr x9, [x28] */
        0x08a17f82u,  /* casb w1, w2, [x28] */
        0xf940038au,  /* ldr x10, [x28] */
        0x9100079bu,  /* add x27, x28, #1 */
        0xf820036cu,  /* ldadd x0, x12, [x27]: misaligned */
        0xaa0b03edu,  /* mov x13, x11 */
        0xd538520eu,  /* mrs x14, esr_el1 */
        0x88efff82u,  /* casal w15, w2, [x28] */
        0xf9400390u,  /* ldr x16, [x28] */
        0x78204396u,  /* ldsmaxh w0, w22, [x28]: signed, 0x4444 > (int16_t)0xcdef */
        0xf8287397u,  /* ldumin x8, x23, [x28]: unsigned, 0x0123... < 0xfedc... (x8: CAS's old) */
        0xf9400398u,  /* ldr x24, [x28] */
        0x1000009au,  /* adr x26, 1f */
        0x52800414u,  /* mov w20, #0x20 */
        0xb9400355u,  /* ldr w21, [x26]: a fast read tag for the code page (its write tag is slow) */
        0xb8340353u,  /* ldadd w20, w19, [x26]: into code (MOVZ's imm16 + 1) */
        0xd2800032u,  /* 1: movz x18, #1 (+ 1 each pass) */
        0x14000000u,  /* b . */
    };
    a83_machine *mm[2];
    uint64_t inlined0 = make_pair_counted(mm, code, sizeof code);
    State a;
    char what[64];
    for (unsigned set = 0; set < 300; set++) {
        uint64_t v[3] = { edge_value(), edge_value(), edge_value() }, w15 = edge_value();
        if (set == 0) {
            v[0] = 0x0123456789abcdefull;
            v[1] = 0xfedcba9876543211ull;
            v[2] = 0x1111222233334444ull;
            w15 = 0x89abcdefull;
        } else if (set % 3 == 0) {
            w15 = v[0];     /* CASAL compares equal */
        }
        for (int e = 0; e < 2; e++) {
            for (unsigned i = 0; i < 3; i++)
                assert_int_equal(a83_reg_write(mm[e], 0, (a83_reg)i, v[i]), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_X0 + 12, 0x1200), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_X0 + 15, w15), A83_OK);
            assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PC, CODE_PA), A83_OK);
        }
        snprintf(what, sizeof what, "atomics set %u", set);
        step_pair(mm, 40, what, &a);     /* 29 and the handler's 5, then b . */
        assert_int_equal(a.pc, CODE_PA + 29 * 4);
        /* the LDADD into the code page went through its handler, which
         * made the store visible to the next fetch (mem_code_written()) */
        assert_int_equal(a.x[19], 0xd2800032u + 0x20u * set);
        assert_int_equal(a.x[21], a.x[19]);
        assert_int_equal(a.x[18], 2 + set);
        assert_int_equal(a.x[13], 1);                   /* the misaligned LDADD faulted */
        assert_int_equal(a.x[14], 0x96000021u);
        assert_int_equal(a.x[12], 0x1200);              /* and left Rt */
        if (set == 0) {
            static const struct { unsigned r; uint64_t v; } want[] = {
                { 3, 0x1111222233334444ull }, { 4, 0xbcdf1233ull }, { 5, 0x22 }, { 17, 0xcd },
                { 7, 0x1357acf1123700ccull }, { 8, 0xfedcba9876543211ull }, { 9, 0x0123456789abcdefull },
                { 1, 0xef }, { 10, 0x0123456789abcdefull }, { 15, 0x89abcdefull },
                { 16, 0x0123456733334444ull }, { 22, 0x4444 }, { 23, 0x0123456733334444ull },
                { 24, 0x0123456733334444ull },
            };
            for (unsigned i = 0; i < sizeof want / sizeof want[0]; i++)
                if (a.x[want[i].r] != want[i].v)
                    fail_msg("x%u = %llx, want %llx", want[i].r, (unsigned long long)a.x[want[i].r],
                             (unsigned long long)want[i].v);
        }
    }
    /* the translator inlined the atomics (eleven of them each time round) */
    assert_true(destroy_pair_inlined(mm) - inlined0 >= 11);
}

/* Runs code at CODE_PA in both engines, in slices of `slice` instructions
 * until `total` are done, comparing them after every slice (step_slices());
 * *a gets the interpreter's final state, *js (if not NULL) the translator's
 * counters. */
static void run_sliced(const uint32_t *code, size_t bytes, unsigned slice, unsigned total,
                       const char *label, State *a, a83_jit_stats *js)
{
    a83_machine *mm[2];
    make_pair(mm, CODE_PA, code, bytes, NULL, 0, 0);
    step_slices(mm, &slice, 1, total / slice + 1, label, a);
    if (js)
        assert_int_equal(a83_get_jit_stats(mm[1], js), A83_OK);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* A loop of 2,000 passes that counts in x5 and ends at instruction `end`
 * (b .), run in lockstep in slices of several sizes (all at once, then 5,
 * 7, 64, 999 and 4,099 instructions); the run in one slice must enter
 * translated code from C fewer than max_entries times. *last (if not
 * NULL) gets the interpreter's final state. */
static void loop_in_slices(const uint32_t *code, size_t bytes, unsigned total, const char *label,
                           unsigned end, uint64_t max_entries, State *last)
{
    const unsigned sl[] = { total, 5, 7, 64, 999, 4099 };
    for (unsigned k = 0; k < 6; k++) {
        State a;
        a83_jit_stats js;
        run_sliced(code, bytes, sl[k], total, label, &a, &js);
        assert_int_equal(a.x[5], 2000);
        assert_int_equal(a.pc, CODE_PA + 4ull * end);
        if (k == 0 && js.entries >= max_entries)
            fail_msg("%s: %llu entries from C", label, (unsigned long long)js.entries);
        if (last)
            *last = a;
    }
}

/* A page that held code and then holds data (freed init code, a reused page
 * cache page) stops being code for writes once every decoded instruction in
 * it was written (DecodePage.ndecoded: its stores take the fast path
 * again), and becomes code again when an instruction in it is decoded
 * (mem_page_decoding()): a store after that must still reach the decoded
 * entry and the blocks (Arm ARM B2.2.5: the emulator makes stores visible
 * to the next fetch of the location). Code at 0x40003000 is written, run,
 * wiped with 512 stores, stored to 2,000 times more, written and run again,
 * then patched once more and run: X20, X21, X22 = 1, 2, 3 in both engines,
 * in slices of several sizes. Without the second flagging the last call
 * runs the stale MOVZ X0, #2. */
static void test_code_page_reuse(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd2860002u,  /* movz x2, #0x3000 */
        0xf2a80002u,  /* movk x2, #0x4000, lsl #16 */
        0x18000323u,  /* ldr w3, insn1 */
        0x18000324u,  /* ldr w4, insnret */
        0xb9000043u,  /* str w3, [x2] */
        0xb9000444u,  /* str w4, [x2, #4] */
        0xd63f0040u,  /* blr x2               x0 = 1 */
        0xaa0003f4u,  /* mov x20, x0 */
        0xaa0203e5u,  /* mov x5, x2 */
        0xd2804006u,  /* mov x6, #512 */
        0xf80084bfu,  /* 1: str xzr, [x5], #8   the whole page: no code left */
        0xf10004c6u,  /* subs x6, x6, #1 */
        0x54ffffc1u,  /* b.ne 1b */
        0xd280fa06u,  /* mov x6, #2000 */
        0xf9000446u,  /* 2: str x6, [x2, #8]    data stores (fast again) */
        0xf10004c6u,  /* subs x6, x6, #1 */
        0x54ffffc1u,  /* b.ne 2b */
        0x18000183u,  /* ldr w3, insn2 */
        0xb9000043u,  /* str w3, [x2] */
        0xb9000444u,  /* str w4, [x2, #4] */
        0xd63f0040u,  /* blr x2               x0 = 2: code again */
        0xaa0003f5u,  /* mov x21, x0 */
        0x18000103u,  /* ldr w3, insn3 */
        0xb9000043u,  /* str w3, [x2]         must reach the decoded entry */
        0xd63f0040u,  /* blr x2               x0 = 3 */
        0xaa0003f6u,  /* mov x22, x0 */
        0x14000000u,  /* b . */
        0xd2800020u,  /* insn1: movz x0, #1 */
        0xd65f03c0u,  /* insnret: ret */
        0xd2800040u,  /* insn2: movz x0, #2 */
        0xd2800060u,  /* insn3: movz x0, #3 */
    };
    static const unsigned sl[] = { 20000, 7, 333, 4099 };
    for (unsigned k = 0; k < 4; k++) {
        State a;
        run_sliced(code, sizeof code, sl[k], 20000, "code page reuse", &a, NULL);
        assert_int_equal(a.x[20], 1);
        assert_int_equal(a.x[21], 2);
        assert_int_equal(a.x[22], 3);
        assert_int_equal(a.pc, CODE_PA + 26 * 4);
    }
}

/* A chain site whose target is translated after it is patched to jump
 * straight there (jit_chain_patch()), and a patched site must never follow
 * a block that an invalidation dropped: the loop's `b target` is
 * translated before `target`, then `target`'s first instruction is
 * rewritten (its block dropped and translated again elsewhere in the
 * cache) and the loop runs again through the same site. x7 sums x0 over
 * both passes: 1000 * 1 + 1000 * 2 (2000 if the stale block ran), in both
 * engines, in slices of several sizes. */
static void test_chain_patch_stale(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd2800007u,  /* movz x7, #0 */
        0x100000e2u,  /* adr x2, target */
        0x180001e3u,  /* ldr w3, newinsn */
        0xd2807d06u,  /* movz x6, #1000 */
        0xd2800049u,  /* movz x9, #2 */
        0x910004a5u,  /* loop: add x5, x5, #1 */
        0x14000002u,  /* b target            a chain site to a later block */
        0xd503201fu,  /* nop (not reached) */
        0xd2800020u,  /* target: movz x0, #1 */
        0x8b0000e7u,  /* add x7, x7, x0 */
        0xf10004c6u,  /* subs x6, x6, #1 */
        0x54ffff41u,  /* b.ne loop */
        0xb9000043u,  /* str w3, [x2]        target: movz x0, #2 */
        0xd2807d06u,  /* movz x6, #1000 */
        0xf1000529u,  /* subs x9, x9, #1 */
        0x54fffec1u,  /* b.ne loop */
        0x14000000u,  /* b . */
        0xd2800040u,  /* newinsn: movz x0, #2 */
    };
    static const unsigned sl[] = { 20000, 7, 333, 4099 };
    for (unsigned k = 0; k < 4; k++) {
        State a;
        a83_jit_stats js;
        run_sliced(code, sizeof code, sl[k], 20000, "chain patch", &a, &js);
        assert_int_equal(a.x[7], 3000);
        assert_int_equal(a.x[5], 2000);
        assert_int_equal(a.pc, CODE_PA + 16 * 4);
        if (k == 0)
            assert_true(js.chain_patches >= 2);   /* before and after the rewrite */
    }
}

/* After an MSR that ends its block the translator goes on in the block of
 * the next slot of the same page only while the iTLB still maps the PC to
 * that page (jit.c emit_exit_next()). Here MSR TTBR0_EL1 remaps the code's
 * own VA page (table A: VA = PA; table B, another ASID, nG mappings: the
 * VA's 2 MiB to PA + 2 MiB, a copy whose MOVZ and ADD differ), so the
 * instruction after each MSR comes from the other copy: the emulator's
 * rule, the interpreter's, is that the fetch after an instruction that
 * ends the block uses the new context. 50 passes: x5 = 50 * 2 (the copy's
 * MOVZ), x6 = 50 (the original's ADD); stale code gives 50 or 5,000. Both
 * engines, slices of several sizes, MMU on (the TLB model charges walks). */
static void test_msr_remaps_next(void **s)
{
    (void)s;
    static const uint32_t orig[] = {
        0xd5182001u,  /* 0: msr ttbr0_el1, x1    (table B) */
        0xd2800020u,  /*    movz x0, #1           (the copy: movz x0, #2) */
        0x8b0000a5u,  /*    add x5, x5, x0 */
        0xd5182002u,  /*    msr ttbr0_el1, x2    (table A) */
        0x910004c6u,  /*    add x6, x6, #1        (the copy: add x6, x6, #100) */
        0xf10004e7u,  /*    subs x7, x7, #1 */
        0x54ffff41u,  /*    b.ne 0b */
        0x14000000u,  /*    b . */
    };
    uint32_t copy[8];
    memcpy(copy, orig, sizeof copy);
    copy[1] = 0xd2800040u;   /* movz x0, #2 */
    copy[4] = 0x910190c6u;   /* add x6, x6, #100 */
    const uint64_t ta = 0x40100000ull, tb = 0x40101000ull, tb2 = 0x40102000ull;
    /* stage-1 descriptors (Arm ARM D8.3): AF, inner shareable, AttrIndx 0, nG */
    const uint64_t attrs = (1ull << 10) | (3ull << 8) | (1ull << 11);
    const uint64_t init[8] = { 0, tb | 2ull << 48, ta | 1ull << 48, 0, 0, 0, 0, 50 };
    static const unsigned sl[] = { 5000, 3, 7, 64, 999 };
    for (unsigned k = 0; k < 5; k++) {
        a83_machine *mm[2];
        make_pair(mm, CODE_PA, orig, sizeof orig, init, 8, 0);
        for (int e = 0; e < 2; e++) {
            a83_machine *m = mm[e];
            uint64_t d = 0x40000000ull | attrs | 1;      /* L1[1]: 1 GiB block, VA = PA */
            assert_int_equal(a83_phys_write(m, ta + 8, &d, 8), A83_OK);
            d = tb2 | 3;                                   /* L1[1]: table */
            assert_int_equal(a83_phys_write(m, tb + 8, &d, 8), A83_OK);
            for (uint64_t i = 0; i < 512; i++) {           /* L2: 2 MiB blocks */
                d = (0x40000000ull + (i ? i << 21 : 0x200000ull)) | attrs | 1;
                assert_int_equal(a83_phys_write(m, tb2 + 8 * i, &d, 8), A83_OK);
            }
            assert_int_equal(a83_phys_write(m, CODE_PA + 0x200000, copy, sizeof copy), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "MAIR_EL1", 0xff), A83_OK);
            /* T0SZ 25 (start at level 1), WB WA inner/outer, inner
             * shareable, 4 KiB granule, EPD1 */
            assert_int_equal(a83_sysreg_write(m, 0, "TCR_EL1", 25 | 1u << 8 | 1u << 10 | 3u << 12 | 1u << 23),
                             A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "TTBR0_EL1", init[2]), A83_OK);
            uint64_t sctlr = 0;
            assert_int_equal(a83_sysreg_read(m, 0, "SCTLR_EL1", &sctlr), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "SCTLR_EL1", sctlr | 1 | 1u << 2 | 1u << 12), A83_OK);
        }
        State a;
        step_slices(mm, &sl[k], 1, 5000 / sl[k] + 1, "msr remaps next", &a);
        assert_int_equal(a.x[5], 100);
        assert_int_equal(a.x[6], 50);
        assert_int_equal(a.pc, CODE_PA + 7 * 4);
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* SYS and ISB end their blocks (EXEC_EXIT, cpu.h), and translated code
 * goes on after them as cpu_exec() would (jit_stubs.c dispatch_exit: the
 * clock, interrupt lines, stop requests, then the iTLB even in the same
 * page). A loop of DC CIVAC, ISB and IC IVAU (Arm ARM C5.3.x: cache
 * maintenance by VA, no effect on the emulator's memory) in slices of
 * several sizes, both engines: the same state after every slice, and the
 * 6,000 block ends of the loop take few entries from C. */
static void test_sys_block_ends(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd2a80002u,  /* movz x2, #0x4000, lsl #16 */
        0x91404042u,  /* add x2, x2, #0x10, lsl #12 */
        0xd280fa03u,  /* mov x3, #2000 */
        0xd50b7e22u,  /* 1: dc civac, x2 */
        0xd5033fdfu,  /* isb */
        0x910004a5u,  /* add x5, x5, #1 */
        0xd50b7522u,  /* ic ivau, x2 */
        0xf1000463u,  /* subs x3, x3, #1 */
        0x54ffff61u,  /* b.ne 1b */
        0x14000000u,  /* b . */
    };
    loop_in_slices(code, sizeof code, 30000, "sys block ends", 9, 100, NULL);   /* 6,000 without
                                                                                  dispatch_exit */
}

/* MSR (register and immediate) and the hints WFE/SEVL end their blocks
 * with a plain EXEC_EXIT (exec_exit_plain()): translated code goes on
 * through dispatch_exit as cpu_exec() would, in lockstep with the
 * interpreter in slices of several sizes, with few entries from C. */
static void test_msr_block_ends(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0xd280fa03u,  /* mov x3, #2000 */
        0xd518d085u,  /* 1: msr tpidr_el1, x5 */
        0xd50342dfu,  /* msr daifset, #2 */
        0xd50342ffu,  /* msr daifclr, #2 */
        0xd50320bfu,  /* sevl */
        0xd503205fu,  /* wfe             (consumes the event: goes on) */
        0x910004a5u,  /* add x5, x5, #1 */
        0xd538d088u,  /* mrs x8, tpidr_el1 */
        0xf1000463u,  /* subs x3, x3, #1 */
        0x54ffff01u,  /* b.ne 1b */
        0x14000000u,  /* b . */
    };
    /* 8,132 entries from C without the plain exits; SEVL and WFE change the
     * event register, which ends each round in a83_run() (about 140) */
    State a;
    loop_in_slices(code, sizeof code, 40000, "msr block ends", 10, 400, &a);
    assert_int_equal(a.x[8], 1999);
}

/* An MSR that arms a breakpoint (MDSCR_EL1.MDE/KDE with DBGBCR0_EL1 set
 * and the OS lock open: debug_update()) must stop translated code: the
 * next instruction runs in cpu_exec()'s debug mode, which checks the
 * breakpoint before each fetch (Arm ARM D2.8; this emulator makes the
 * MSR's effect visible at once, without the ISB the architecture asks
 * for). The breakpoint on `target` fires (EC 0x31, the vector skips it:
 * x11 = 1, x5 = 0) in both engines; without debug_update()'s EXIT_CHECK
 * the dispatcher ran `target` in translated code. */
static void test_msr_arms_debug(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0x10000121u,  /* adr x1, target */
        0xd5100081u,  /* msr dbgbvr0_el1, x1 */
        0xd2803ce2u,  /* mov x2, #0x1e7      E, PMC = 0b11, BAS = 0b1111 */
        0xd51000a2u,  /* msr dbgbcr0_el1, x2 */
        0xd510109fu,  /* msr oslar_el1, xzr  OS lock open */
        0xd2940003u,  /* mov x3, #0xa000     MDE, KDE */
        0xd5100243u,  /* msr mdscr_el1, x3 */
        0xd50348ffu,  /* msr daifclr, #8     PSTATE.D = 0 */
        0x91000529u,  /* add x9, x9, #1 */
        0x910004a5u,  /* target: add x5, x5, #1 */
        0x910004e7u,  /* add x7, x7, #1 */
        0x14000000u,  /* b . */
    };
    static const unsigned sl[] = { 1000, 3, 9 };
    for (unsigned k = 0; k < 3; k++) {
        State a;
        run_sliced(code, sizeof code, sl[k], 1000, "msr arms debug", &a, NULL);
        assert_int_equal(a.x[9], 1);
        assert_int_equal(a.x[11], 1);
        assert_int_equal(a.x[5], 0);
        assert_int_equal(a.x[7], 1);
        assert_int_equal(a.esr >> 26, 0x31);
    }
}

/* An illegal exception return (ERET at EL1 to EL2: Arm ARM D1.11.4) keeps
 * the EL, sets PSTATE.IL and goes to ELR_EL1; the next instruction takes
 * the Illegal State exception (EC 0x0E, ELR = that instruction) instead of
 * executing. ERET's exit is plain (exec_exit_plain()), so the translator's
 * dispatcher must leave for C when PSTATE.IL is set. The exception's SPSR
 * keeps IL = 1, so the vector's own ERET is illegal too and every later
 * instruction is skipped the same way: x5 stays 0, x11 counts the
 * exceptions, in lockstep with the interpreter in several slice sizes. */
static void test_eret_illegal(void **s)
{
    (void)s;
    static const uint32_t code[] = {
        0x100000a1u,  /* adr x1, after */
        0xd5184021u,  /* msr elr_el1, x1 */
        0xd2807922u,  /* mov x2, #0x3c9     M = EL2h from EL1: illegal */
        0xd5184002u,  /* msr spsr_el1, x2 */
        0xd69f03e0u,  /* eret */
        0x910004a5u,  /* after: add x5, x5, #1 */
        0x910004a5u,  /* add x5, x5, #1 */
        0x14000000u,  /* b . */
    };
    static const unsigned sl[] = { 40, 1, 2, 7 };
    for (unsigned k = 0; k < 4; k++) {
        State a;
        run_sliced(code, sizeof code, sl[k], 40, "illegal eret", &a, NULL);
        assert_int_equal(a.x[5], 0);
        assert_true(a.x[11] >= 2);
        assert_int_equal(a.esr >> 26, 0x0e);
    }
}

/* A64 encodings with a byte offset (Arm ARM C6.2.26 B, C6.2.25 B.cond,
 * C6.2.10 ADR). */
static uint32_t enc_b(int64_t off) { return 0x14000000u | (uint32_t)((off / 4) & 0x3ffffff); }
static uint32_t enc_bne(int64_t off) { return 0x54000001u | (uint32_t)((off / 4) & 0x7ffff) << 5; }
static uint32_t enc_adr(unsigned d, int64_t off)
{
    return 0x10000000u | (uint32_t)(off & 3) << 29 | (uint32_t)((off >> 2) & 0x7ffff) << 5 | d;
}

/* Both CPUs' registers, PC and counters equal in the two engines. */
static void same_cpus(a83_machine *mm[2], unsigned ncpus, const char *what)
{
    for (unsigned cpu = 0; cpu < ncpus; cpu++) {
        uint64_t v[2][34];
        for (int e = 0; e < 2; e++) {
            for (unsigned i = 0; i < 31; i++)
                assert_int_equal(a83_reg_read(mm[e], cpu, (a83_reg)i, &v[e][i]), A83_OK);
            assert_int_equal(a83_reg_read(mm[e], cpu, A83_REG_PC, &v[e][31]), A83_OK);
            assert_int_equal(a83_cpu_counters(mm[e], cpu, &v[e][32], &v[e][33]), A83_OK);
        }
        for (unsigned i = 0; i < 34; i++)
            if (v[0][i] != v[1][i])
                fail_msg("%s: cpu%u value %u (x0-x30, pc, insns, cycles): %llx vs %llx", what, cpu, i,
                         (unsigned long long)v[0][i], (unsigned long long)v[1][i]);
    }
}


/* One pass's checks of test_pac_hint_context() for key A (b = 0) or B
 * (b = 1), written at p (30 words): twice "sign X9 with PACIxSP and with
 * PACIx X30, SP, count a difference in X22; AUTIxSP must give X9 back",
 * then "AUTIxSP and AUTIx X30, SP of the signed value with bit 52 flipped
 * must agree". Returns the next word. */
static uint32_t *pac_checks(uint32_t *p, unsigned b)
{
    static const uint32_t sign[11] = {
        0xaa0903feu,  /* mov x30, x9 */
        0xd503233fu,  /* paciasp (pacibsp: | 0x40) */
        0xaa1e03e1u,  /* mov x1, x30 */
        0xaa0903feu,  /* mov x30, x9 */
        0xdac103feu,  /* pacia x30, sp (pacib: | 0x400) */
        0xeb1e003fu,  /* cmp x1, x30 */
        0x9a9606d6u,  /* cinc x22, x22, ne */
        0xaa0103feu,  /* mov x30, x1 */
        0xd50323bfu,  /* autiasp (autibsp: | 0x40) */
        0xeb0903dfu,  /* cmp x30, x9 */
        0x9a9606d6u,  /* cinc x22, x22, ne */
    };
    static const uint32_t corrupt[8] = {
        0xd24c003eu,  /* eor x30, x1, #(1 << 52) */
        0xaa1e03e2u,  /* mov x2, x30 */
        0xd50323bfu,  /* autiasp (autibsp: | 0x40) */
        0xaa1e03e1u,  /* mov x1, x30 */
        0xaa0203feu,  /* mov x30, x2 */
        0xdac113feu,  /* autia x30, sp (autib: | 0x400) */
        0xeb1e003fu,  /* cmp x1, x30 */
        0x9a9606d6u,  /* cinc x22, x22, ne */
    };
    for (unsigned r = 0; r < 2; r++)
        for (unsigned i = 0; i < 11; i++)
            *p++ = sign[i] | (b && (i == 1 || i == 8) ? 0x40u : 0) | (b && i == 4 ? 0x400u : 0);
    for (unsigned i = 0; i < 8; i++)
        *p++ = corrupt[i] | (b && i == 2 ? 0x40u : 0) | (b && i == 5 ? 0x400u : 0);
    return p;
}

/* The PAC hints on X30 in translated code (jit_inline_pac.c) read the
 * first way of the handler's near memo set under the context id the CPU
 * keeps in CPUState.pac_hint_cur, which every change of the context's
 * inputs must drop (cpu_pac_hint_drop()). Each pass at EL2 signs X9 with
 * PACIASP, PACIASP, PACIBSP, PACIBSP (the second of each finds its entry in
 * the first way), compares each result with PACIA/PACIB X30, SP (the same
 * pseudocode without the memo: Arm ARM D8.8 AddPAC()), checks that
 * AUTIASP/AUTIBSP give X9 back, and compares AUTIASP/AUTIBSP of the
 * signed value with PAC bit 52 flipped with AUTIA/AUTIB (Auth()'s error
 * code; a near entry for the good value must not answer it); X22 counts
 * the differences and must stay 0, in lockstep with the interpreter in slices of several sizes. Between
 * passes: APIAKeyHi_EL1 changes (passes 8k + 2), TCR_EL2.TBI0 (every
 * 16th), SP moves between two values (the second in passes 4k + 3 only),
 * and every odd pass makes the same checks at EL1 (ERET there, HVC back),
 * whose SP_EL1 is the first of those values and whose TCR_EL1.T0SZ = 25
 * (TCR_EL2's is 16) puts the PAC in other bits (CalculateBottomPACBit()).
 * Without the drop on a system register write (sysreg_write_raw()) the
 * pass after a key change finds the old key's entry at the second SP;
 * without the drop on a change of EL (cpu_update_mmu_context()) EL2's
 * hints find EL1's entries at the shared SP, and the reverse. */
static void test_pac_hint_context(void **s)
{
    (void)s;
    /* one pass's checks: at 0x000 at EL2 and at 0x154 at EL1, 61 words */
    uint32_t check[61], *p = pac_checks(pac_checks(check, 0), 1);
    *p = 0x910012f7u;   /* add x23, x23, #4 */
    static const uint32_t pass_end[] = {   /* at 0x0f4, after the checks at EL2 */
        0x9100054au,  /* 0f4: add x10, x10, #0x1 */
        0x9240094bu,  /* 0f8: and x11, x10, #0x7 */
        0xf100097fu,  /* 0fc: cmp x11, #0x2 */
        0x54000061u,  /* 100: b.ne 10c <start+0x10c> */
        0x91000463u,  /* 104: add x3, x3, #0x1 */
        0xd5182123u,  /* 108: msr apiakeyhi_el1, x3 */
        0xf2400d5fu,  /* 10c: tst x10, #0xf */
        0x54000061u,  /* 110: b.ne 11c <start+0x11c> */
        0xd25b0084u,  /* 114: eor x4, x4, #0x2000000000 */
        0xd51c2044u,  /* 118: msr tcr_el2, x4 */
        0xf27f015fu,  /* 11c: tst x10, #0x2 */
        0x54000060u,  /* 120: b.eq 12c <start+0x12c> */
        0xd27801adu,  /* 124: eor x13, x13, #0x100 */
        0x910001bfu,  /* 128: mov sp, x13 */
        0xf240015fu,  /* 12c: tst x10, #0x1 */
        0x540000c0u,  /* 130: b.eq 148 <back> */
        0x1000010cu,  /* 134: adr x12, 154 <el1code> */
        0xd51c402cu,  /* 138: msr elr_el2, x12 */
        0xd28078acu,  /* 13c: mov x12, #0x3c5 */
        0xd51c400cu,  /* 140: msr spsr_el2, x12 */
        0xd69f03e0u,  /* 144: eret */
        0xf10004e7u,  /* 148: subs x7, x7, #0x1 */
        0x54fff5a1u,  /* 14c: b.ne 0 <start> */
        0x14000000u,  /* 150: b 150 <back+0x8> */
    };
    static const uint32_t hvc = 0xd4000002u;   /* 248: hvc #0, after the checks at EL1 */
    uint32_t code[2 * 61 + 24 + 1];
    _Static_assert(sizeof pass_end == 24 * 4, "the layout the branches assume");
    memcpy(code, check, sizeof check);
    memcpy(code + 61, pass_end, sizeof pass_end);
    memcpy(code + 61 + 24, check, sizeof check);
    code[2 * 61 + 24] = hvc;
    static const uint32_t hvc_vec[] = {   /* at VBAR_EL2 + 0x400: lower EL, synchronous */
        0x10ffaa4cu,  /* c00: adr x12, 148 <back> */
        0xd61f0180u,  /* c04: br x12 */
    };
    static const unsigned sl[] = { 320000, 7, 64, 999 };
    for (unsigned k = 0; k < 4; k++) {
        a83_machine *mm[2];
        for (int e = 0; e < 2; e++) {
            a83_config cfg;
            a83_config_default(&cfg);
            cfg.virtualization = true;
            assert_int_equal(a83_machine_create(&cfg, &mm[e]), A83_OK);
            a83_machine *m = mm[e];
            assert_int_equal(a83_set_accel(m, e ? A83_ACCEL_JIT : A83_ACCEL_INTERP, 0), A83_OK);
            assert_int_equal(a83_phys_write(m, CODE_PA, code, sizeof code), A83_OK);
            assert_int_equal(a83_phys_write(m, CODE_PA + 0xc00, hvc_vec, sizeof hvc_vec), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL2", CODE_PA + 0x800), A83_OK);
            /* HCR_EL2.RW (EL1 is AArch64), API and APK (no PAuth traps) */
            assert_int_equal(a83_sysreg_write(m, 0, "HCR_EL2", 1ull << 31 | 1ull << 41 | 1ull << 40),
                             A83_OK);
            for (int el = 1; el <= 2; el++) {
                uint64_t sctlr = 0;
                const char *sn = el == 1 ? "SCTLR_EL1" : "SCTLR_EL2";
                assert_int_equal(a83_sysreg_read(m, 0, sn, &sctlr), A83_OK);
                assert_int_equal(a83_sysreg_write(m, 0, sn, sctlr | 1ull << 31 | 1ull << 30), A83_OK);
            }                                                  /* EnIA, EnIB */
            assert_int_equal(a83_sysreg_write(m, 0, "TCR_EL1", 25), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "TCR_EL2", 16), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "APIAKeyHi_EL1", 0x0123456789abcdefull), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "APIAKeyLo_EL1", 0xfedcba9876543210ull), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "APIBKeyHi_EL1", 0x1111222233334444ull), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "APIBKeyLo_EL1", 0x5555666677778888ull), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "SP_EL1", 0x40030000ull), A83_OK);   /* = SP_EL2 every other 4 passes */
            assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 3, 0x0123456789abcdefull), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 4, 16), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 7, 2000), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 9, 0x123456789cull), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 13, 0x40030000ull), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_PSTATE, 0x3c9), A83_OK);   /* EL2h */
            assert_int_equal(a83_reg_write(m, 0, A83_REG_SP, 0x40030000ull), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, CODE_PA), A83_OK);
        }
        State a;
        step_slices(mm, &sl[k], 1, 320000 / sl[k] + 1, "pac hint context", &a);
        assert_int_equal(a.pc, CODE_PA + 0x150);     /* b . after 2,000 passes */
        assert_int_equal(a.x[23], 4 * (2000 + 1000));
        assert_int_equal(a.x[22], 0);
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* MRS of the registers whose read is a plain load (cpu/exec.h
 * exec_mrs_fast(): SP_EL0, DAIF, TPIDR_EL1, TPIDR_EL2) is inlined by the
 * translator behind tests of what would make the handler do anything else
 * (jit_inline_sys.c); those cases go to the handler, which decides as the
 * interpreter does. Each pass reads TPIDR_EL2, SP_EL0 and DAIF at EL2,
 * changes TPIDR_EL2, sets HFGRTR_EL2.TPIDR_EL1 (bit 33, FEAT_FGT: -cpu
 * max) on odd passes, then at EL1 reads TPIDR_EL1 (odd passes: the
 * fine-grained trap, EC 0x18 to EL2, whose handler skips it: x21), SP_EL0
 * with PSTATE.SP = 1 and with PSTATE.SP = 0 (UNDEFINED, Arm ARM C5.2.16:
 * the EL1 vector skips it, x11), TPIDR_EL2 (UNDEFINED at EL1 without
 * HCR_EL2.NV: x11 again) and DAIF, changes TPIDR_EL1 and returns by HVC;
 * x20 sums what the reads gave. In lockstep with the interpreter in slices
 * of several sizes, and once more with an A83_HOOK_SYSREG hook on both
 * machines, which must see the same reads in both (the inline path's hook
 * test). Without the EL test the EL1 read of TPIDR_EL2 succeeds; without
 * the PSTATE.SP test the SP_EL0 read is not UNDEFINED; without the FGT test
 * x21 stays 0; without the hook test the translator's machine sees fewer
 * events. */
typedef struct SysregHookCount {
    uint64_t reads, sum;
} SysregHookCount;

static void count_sysreg(a83_machine *m, const a83_hook_event *ev, void *opaque)
{
    (void)m;
    SysregHookCount *h = opaque;
    if (!ev->write) {
        h->reads++;
        h->sum += ev->value ^ ev->insn;
    }
}

static void test_mrs_inline(void **s)
{
    (void)s;
    static const uint32_t code[] = {   /* at CODE_PA, EL2 */
        0xd53cd045u,  /* 000: mrs x5, tpidr_el2 */
        0x8b050294u,  /* 004: add x20, x20, x5 */
        0xd5384112u,  /* 008: mrs x18, sp_el0 */
        0x8b120294u,  /* 00c: add x20, x20, x18 */
        0xd53b4227u,  /* 010: mrs x7, daif */
        0x8b070294u,  /* 014: add x20, x20, x7 */
        0x910004a5u,  /* 018: add x5, x5, #0x1 */
        0xd51cd045u,  /* 01c: msr tpidr_el2, x5 */
        0xf240015fu,  /* 020: tst x10, #0x1 */
        0x54000060u,  /* 024: b.eq 030 */
        0xd2c0004du,  /* 028: mov x13, #0x200000000 */
        0x14000002u,  /* 02c: b 034 */
        0xd280000du,  /* 030: mov x13, #0x0 */
        0xd51c118du,  /* 034: msr hfgrtr_el2, x13 */
        0x1000012cu,  /* 038: adr x12, 05c <el1code> */
        0xd51c402cu,  /* 03c: msr elr_el2, x12 */
        0xd28078acu,  /* 040: mov x12, #0x3c5 */
        0xd51c400cu,  /* 044: msr spsr_el2, x12 */
        0xd69f03e0u,  /* 048: eret */
        0x9100054au,  /* 04c: back: add x10, x10, #0x1 */
        0xf10005ceu,  /* 050: subs x14, x14, #0x1 */
        0x54fffd61u,  /* 054: b.ne 000 */
        0x14000000u,  /* 058: b . */
        0xd538d088u,  /* 05c: el1code: mrs x8, tpidr_el1 */
        0x8b080294u,  /* 060: add x20, x20, x8 */
        0xd5384109u,  /* 064: mrs x9, sp_el0 */
        0x8b090294u,  /* 068: add x20, x20, x9 */
        0xd50040bfu,  /* 06c: msr spsel, #0x0 */
        0xd5384109u,  /* 070: mrs x9, sp_el0 */
        0xd50041bfu,  /* 074: msr spsel, #0x1 */
        0xd53cd04fu,  /* 078: mrs x15, tpidr_el2 */
        0xd53b4230u,  /* 07c: mrs x16, daif */
        0x8b100294u,  /* 080: add x20, x20, x16 */
        0x91000631u,  /* 084: add x17, x17, #0x1 */
        0xd518d091u,  /* 088: msr tpidr_el1, x17 */
        0xd4000002u,  /* 08c: hvc #0x0 */
    };
    static const uint32_t el2vec[] = {   /* at VBAR_EL2 + 0x400 = CODE_PA + 0x1c00 */
        0xd53c520cu,  /* 1c00: mrs x12, esr_el2 */
        0xd35afd8cu,  /* 1c04: lsr x12, x12, #26 */
        0xf100599fu,  /* 1c08: cmp x12, #0x16     HVC? */
        0x540000c0u,  /* 1c0c: b.eq 1c24 */
        0x910006b5u,  /* 1c10: add x21, x21, #0x1 */
        0xd53c402cu,  /* 1c14: mrs x12, elr_el2 */
        0x9100118cu,  /* 1c18: add x12, x12, #0x4 */
        0xd51c402cu,  /* 1c1c: msr elr_el2, x12 */
        0xd69f03e0u,  /* 1c20: eret */
        0x10ff214cu,  /* 1c24: adr x12, 04c <back> */
        0xd61f0180u,  /* 1c28: br x12 */
    };
    static const unsigned sl[] = { 100000, 7, 64, 999 };
    for (unsigned k = 0; k < 5; k++) {
        a83_machine *mm[2];
        SysregHookCount hc[2] = { { 0, 0 }, { 0, 0 } };
        for (int e = 0; e < 2; e++) {
            a83_config cfg;
            a83_config_default(&cfg);
            cfg.virtualization = true;
            assert_int_equal(a83_config_set_cpu(&cfg, "max"), A83_OK);
            assert_int_equal(a83_machine_create(&cfg, &mm[e]), A83_OK);
            a83_machine *m = mm[e];
            assert_int_equal(a83_set_accel(m, e ? A83_ACCEL_JIT : A83_ACCEL_INTERP, 0), A83_OK);
            assert_int_equal(a83_phys_write(m, CODE_PA, code, sizeof code), A83_OK);
            assert_int_equal(a83_phys_write(m, CODE_PA + 0x800, vec, sizeof vec), A83_OK);
            assert_int_equal(a83_phys_write(m, CODE_PA + 0xa00, vec, sizeof vec), A83_OK);
            assert_int_equal(a83_phys_write(m, CODE_PA + 0x1c00, el2vec, sizeof el2vec), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL1", CODE_PA + 0x800), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL2", CODE_PA + 0x1800), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "HCR_EL2", 1ull << 31), A83_OK);   /* RW */
            assert_int_equal(a83_sysreg_write(m, 0, "TPIDR_EL2", 7), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "TPIDR_EL1", 0x99), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "SP_EL0", 0x1234000ull), A83_OK);
            assert_int_equal(a83_sysreg_write(m, 0, "SP_EL1", 0x40030000ull), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 14, 500), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_PSTATE, 0x3c9), A83_OK);   /* EL2h */
            assert_int_equal(a83_reg_write(m, 0, A83_REG_SP, 0x40020000ull), A83_OK);
            assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, CODE_PA), A83_OK);
            a83_hook h;
            if (k == 4)
                assert_int_equal(a83_hook_add(m, A83_HOOK_SYSREG, count_sysreg, &hc[e], 1, 0, &h),
                                 A83_OK);
        }
        State a;
        step_slices(mm, &sl[k % 4], 1, 100000 / sl[k % 4] + 1, "mrs inline", &a);
        assert_int_equal(a.pc, CODE_PA + 0x58);      /* b . after 500 passes */
        assert_int_equal(a.x[21], 250);              /* the odd passes' FGT traps */
        assert_int_equal(a.x[11], 1000);             /* two UNDEFINED reads per pass */
        assert_int_equal(a.x[5], 7 + 500);
        assert_int_equal(a.x[18], 0x1234000ull);     /* SP_EL0 at EL2 */
        assert_int_equal(a.x[7], 0x3c0);             /* DAIF at EL2: all masked */
        assert_int_equal(a.x[16], 0x3c0);            /* and at EL1 */
        assert_int_equal(a.x[8], 498);               /* TPIDR_EL1 as pass 497 left it */
        if (k == 4) {
            assert_int_equal(hc[0].reads, hc[1].reads);
            assert_int_equal(hc[0].sum, hc[1].sum);
            assert_true(hc[0].reads >= 500 * 6);
        }
        a83_jit_stats js;
        assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
        assert_true(js.inlined > 0);
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* The dispatchers' jump cache (CPUState.jit_jc, jit_priv.h jit_jc_entry())
 * keeps the block index entry of a branch target with its DecodePage's
 * jit_epoch, which the translator gives anew when the page gets a new
 * JitPage (after a flush) or loses a block. A loop calls four functions on
 * four other pages by BLR, each twice; each adds 1 to its own register 875 times in
 * 125 blocks (a B to the next instruction ends every eighth) and returns.
 * Their blocks overflow a code cache of the minimum size, which flushes on
 * every pass, in lockstep with the interpreter: an entry kept across a
 * flush would send a call to whatever block now sits at the old offset. */
static void test_jump_cache_flush(void **s)
{
    (void)s;
    static const uint32_t loop[] = {
        0xd63f0280u,  /* loop: blr x20 */
        0xd63f0280u,  /*   blr x20 */
        0xd63f02a0u,  /*   blr x21 */
        0xd63f02a0u,  /*   blr x21 */
        0xd63f02c0u,  /*   blr x22 */
        0xd63f02c0u,  /*   blr x22 */
        0xd63f02e0u,  /*   blr x23 */
        0xd63f02e0u,  /*   blr x23 */
        0xf10004a5u,  /*   subs x5, x5, #1 */
        0x54fffee1u,  /*   b.ne loop */
        0x14000000u,  /*   b . */
    };
    static uint32_t fn[4][1001];
    for (unsigned k = 0; k < 4; k++) {
        for (unsigned i = 0; i < 1000; i++)   /* add x(10+k), x(10+k), #1, or b .+4 */
            fn[k][i] = i % 8 == 7 ? 0x14000001u : 0x91000400u | (10 + k) << 5 | (10 + k);
        fn[k][1000] = 0xd65f03c0u;            /* ret */
    }
    uint64_t init[24] = { 0 };
    init[5] = 300;
    for (unsigned k = 0; k < 4; k++)
        init[20 + k] = CODE_PA + 0x4000 + 0x1000ull * k;
    static const unsigned sl[][3] = { { 3000000, 3000000, 3000000 }, { 999, 4099, 65537 } };
    for (unsigned pass = 0; pass < 2; pass++) {
        a83_machine *mm[2];
        make_pair(mm, CODE_PA + 0x3000, loop, sizeof loop, init, 24, 0);
        assert_int_equal(a83_set_accel(mm[1], A83_ACCEL_JIT, 1), A83_OK);   /* the minimum */
        for (int e = 0; e < 2; e++)
            for (unsigned k = 0; k < 4; k++)
                assert_int_equal(a83_phys_write(mm[e], init[20 + k], fn[k], sizeof fn[k]), A83_OK);
        State a;
        step_slices(mm, sl[pass], 3, pass ? 300u : 1u, "jump cache flush", &a);
        assert_int_equal(a.pc, CODE_PA + 0x3000 + 10 * 4);
        for (unsigned k = 0; k < 4; k++)
            assert_int_equal(a.x[10 + k], 2 * 875 * 300);
        a83_jit_stats js;
        assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
        assert_true(js.flushes > 100);
        a83_machine_destroy(mm[0]);
        a83_machine_destroy(mm[1]);
    }
}

/* At a block end whose target page the iTLB does not hold, translated code
 * makes cpu_exec()'s fetch itself (jit_stubs.c jit_fetch_block()) and
 * enters the block there without looking at the clock again, as
 * cpu_exec() does after its fetch: the TLB model's refill (an L1 miss
 * costs cycles: docs/timing.md "TLB model") may take the clock past the
 * round's end, and the round ends at the next block end, not here. Two
 * CPUs (rounds alternate between them, so the point where one ends is
 * visible in both), MMU on, a loop over 64 code pages, more than the
 * model's 48-entry L1 I, so that every page is refilled: each page falls
 * through its end into the next (a block end, jit.c: dispatch_exit), one
 * page leaves by BR (dispatch) and the others by B to the page's end; on
 * page 16 one pass in eight branches by BR to an unmapped VA (the
 * Instruction Abort is taken in the dispatcher's fetch, with the fetch's
 * budget slot used, and the handler starts the loop again); a 97-cycle
 * quantum puts round ends everywhere. With the clock looked at again after
 * the fetch, the CPUs' counters part in the third slice; without the
 * fetch's budget slot, in the fourth. */
static void test_fetch_round_ends(void **s)
{
    (void)s;
    static const uint32_t stub[] = {
        0xd2800060u,  /* movz x0, #3 */
        0xf2b88000u,  /* movk x0, #0xc400, lsl #16: PSCI CPU_ON (SMC64) */
        0xd2800021u,  /* movz x1, #1: MPIDR of CPU 1 */
        0x10000062u,  /* adr x2, mmu_on */
        0xd2800003u,  /* movz x3, #0 */
        0xd4000002u,  /* hvc #0 (the conduit without EL2) */
        0xd2a80601u,  /* mmu_on: movz x1, #0x4030, lsl #16 */
        0xf2810001u,  /*   movk x1, #0x800 */
        0xd518c001u,  /*   msr vbar_el1, x1 */
        0xd2a80201u,  /*   movz x1, #0x4010, lsl #16 */
        0xd5182001u,  /*   msr ttbr0_el1, x1 */
        0xd2801fe1u,  /*   movz x1, #0xff */
        0xd518a201u,  /*   msr mair_el1, x1 */
        0xd286a321u,  /*   movz x1, #0x3519: T0SZ 25, WBWA, inner shareable, 4 KiB, EPD1 */
        0xf2a01001u,  /*   movk x1, #0x80, lsl #16 */
        0xd5182041u,  /*   msr tcr_el1, x1 */
        0xd5381001u,  /*   mrs x1, sctlr_el1 */
        0xb2400021u,  /*   orr x1, x1, #1: M */
        0xb27e0021u,  /*   orr x1, x1, #4: C */
        0xb2740021u,  /*   orr x1, x1, #0x1000: I */
        0xd5181001u,  /*   msr sctlr_el1, x1 */
        0xd5033fdfu,  /*   isb */
        0xd2a00206u,  /*   movz x6, #0x10, lsl #16: loop count */
        0xd2a80407u,  /*   movz x7, #0x4020, lsl #16 */
        0xd61f00e0u,  /*   br x7: page 0 */
    };
    const uint64_t stub_pa = 0x40300000ull, code_pa = 0x40200000ull, table = 0x40100000ull;
    const unsigned npages = 64;
    static uint32_t page[1024];
    a83_machine *mm[2];
    for (int e = 0; e < 2; e++) {
        a83_config cfg;
        a83_config_default(&cfg);
        cfg.ncpus = 2;
        cfg.quantum = 97;
        assert_int_equal(a83_machine_create(&cfg, &mm[e]), A83_OK);
        assert_int_equal(a83_set_accel(mm[e], e ? A83_ACCEL_JIT : A83_ACCEL_INTERP, 0), A83_OK);
        /* L1[1]: a 1 GiB block, VA = PA (Arm ARM D8.3: AF, inner shareable, AttrIndx 0) */
        uint64_t d = 0x40000000ull | 1ull << 10 | 3ull << 8 | 1;
        assert_int_equal(a83_phys_write(mm[e], table + 8, &d, 8), A83_OK);
        assert_int_equal(a83_phys_write(mm[e], stub_pa, stub, sizeof stub), A83_OK);
        /* VBAR_EL1 + 0x200 (current EL, SPx, synchronous): count, start again at page 0 */
        static const uint32_t vec_abort[] = {
            0x9100056bu,  /* add x11, x11, #1 */
            0xd2a80407u,  /* movz x7, #0x4020, lsl #16 */
            0xd61f00e0u,  /* br x7 */
        };
        assert_int_equal(a83_phys_write(mm[e], stub_pa + 0x800 + 0x200, vec_abort, sizeof vec_abort), A83_OK);
        for (unsigned k = 0; k <= npages; k++) {
            memset(page, 0, sizeof page);
            if (k == npages) {
                page[0] = enc_b(0);                       /* the loop's end: b . */
            } else {
                page[0] = 0x91000463u;                    /* add x3, x3, #1 */
                if (k == npages / 2) {
                    page[1] = enc_adr(7, 4096 - 4);       /* adr x7, the next page */
                    page[2] = 0xd61f00e0u;                /* br x7 */
                } else if (k == npages / 4) {
                    page[1] = 0xf24008dfu;                /* tst x6, #7 */
                    page[2] = enc_bne(4088 - 8);          /* b.ne to the page's last two */
                    page[3] = 0xd2b00007u;                /* movz x7, #0x8000, lsl #16: unmapped */
                    page[4] = 0xd61f00e0u;                /* br x7: Instruction Abort on the fetch */
                } else {
                    page[1] = enc_b(4088 - 4);            /* b to the page's last two */
                }
                if (k + 1 < npages) {
                    page[1022] = 0x91000484u;             /* add x4, x4, #1 */
                    page[1023] = 0x910004a5u;             /* add x5, x5, #1: on into the next page */
                } else {
                    page[1022] = 0xf10004c6u;             /* subs x6, x6, #1 */
                    page[1023] = enc_bne(-(int64_t)(k * 4096 + 4092));   /* b.ne page 0 */
                }
            }
            assert_int_equal(a83_phys_write(mm[e], code_pa + k * 4096ull, page, sizeof page), A83_OK);
        }
        assert_int_equal(a83_reg_write(mm[e], 0, A83_REG_PC, stub_pa), A83_OK);
    }
    static const unsigned sl[] = { 1, 7, 64, 333, 1000, 4099 };
    char what[64];
    for (unsigned r = 0; r < 600; r++) {
        a83_stop_reason wi, wj;
        unsigned n = sl[r % 6];
        assert_int_equal(a83_run(mm[0], n, &wi), A83_OK);
        assert_int_equal(a83_run(mm[1], n, &wj), A83_OK);
        assert_int_equal(wi, wj);
        snprintf(what, sizeof what, "slice %u (%u insns)", r, n);
        same_cpus(mm, 2, what);
    }
    /* both CPUs went round the pages many times, and took the aborts */
    for (unsigned cpu = 0; cpu < 2; cpu++) {
        uint64_t x4 = 0, x11 = 0, esr = 0;
        assert_int_equal(a83_reg_read(mm[1], cpu, (a83_reg)4, &x4), A83_OK);
        assert_int_equal(a83_reg_read(mm[1], cpu, (a83_reg)11, &x11), A83_OK);
        assert_true(x4 > 20 * npages);
        assert_true(x11 > 5);
        assert_int_equal(a83_sysreg_read(mm[1], cpu, "ESR_EL1", &esr), A83_OK);
        assert_int_equal(esr >> 26, 0x21);   /* EC: Instruction Abort, same EL (D17.2.37) */
    }
    /* and translated code made the fetches: entries from C far fewer than
     * the pages entered */
    uint64_t x3 = 0;
    assert_int_equal(a83_reg_read(mm[1], 0, (a83_reg)3, &x3), A83_OK);
    a83_jit_stats js;
    assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
    assert_true(js.entries * 4 < 2 * x3);
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

/* a83_set_accel() while a machine runs: the translator dropped and made
 * anew (JIT -> interpreter -> JIT, and JIT -> JIT with another cache size)
 * between slices of the same program, which keeps its pages, their decoded
 * instructions and the CPUs' jump caches. The new translator must use
 * nothing of the old one's (its block indexes were freed; its jump cache
 * entries name offsets in an unmapped cache): the program goes on exactly
 * as in the interpreter, and blocks are translated again. */
static void test_accel_switch(void **s)
{
    (void)s;
    a83_machine *mm[2] = { make(A83_ACCEL_INTERP, 0), make(A83_ACCEL_JIT, 0) };
    static const struct {
        a83_accel accel;
        uint64_t cache;
    } next[] = {
        { A83_ACCEL_INTERP, 0 }, { A83_ACCEL_JIT, 0 }, { A83_ACCEL_JIT, 1u << 20 },
        { A83_ACCEL_JIT, 0 },
    };
    State a;
    uint64_t blocks = 0;
    static const unsigned sl[] = { 20000 };
    char label[32];
    for (unsigned r = 0; r < 16; r++) {
        snprintf(label, sizeof label, "accel switch %u", r);
        step_slices(mm, sl, 1, 1, label, &a);
        a83_jit_stats js;
        assert_int_equal(a83_get_jit_stats(mm[1], &js), A83_OK);
        blocks += js.blocks;
        assert_int_equal(a83_set_accel(mm[1], next[r % 4].accel, next[r % 4].cache), A83_OK);
    }
    assert_true(blocks > 12);     /* every translator made blocks of its own */
    assert_true(a.x[11] > 0);     /* the UDF was taken and skipped */
    a83_machine_destroy(mm[0]);
    a83_machine_destroy(mm[1]);
}

static void test_accel_args(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_get_accel(m), A83_ACCEL_INTERP);   /* the library's default */
    assert_int_equal(a83_set_accel(NULL, A83_ACCEL_JIT, 0), A83_ERR_ARG);
    assert_int_equal(a83_set_accel(m, (a83_accel)7, 0), A83_ERR_ARG);
    assert_int_equal(a83_set_accel(m, A83_ACCEL_JIT, (1ull << 30) + 1), A83_ERR_ARG);
    assert_int_equal(a83_get_accel(m), A83_ACCEL_INTERP);
    assert_int_equal(a83_set_accel(m, A83_ACCEL_JIT, 0), A83_OK);
    assert_int_equal(a83_get_accel(m), A83_ACCEL_JIT);
    assert_int_equal(a83_set_accel(m, A83_ACCEL_INTERP, 0), A83_OK);
    assert_int_equal(a83_get_accel(m), A83_ACCEL_INTERP);
    assert_int_equal(a83_get_jit_stats(m, NULL), A83_ERR_ARG);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_long_slices),
        cmocka_unit_test(test_accel_switch),
        cmocka_unit_test(test_odd_slices_tiny_cache),
        cmocka_unit_test(test_random_integer),
        cmocka_unit_test(test_random_memory),
        cmocka_unit_test(test_cross_page),
        cmocka_unit_test(test_nops_inside_blocks),
        cmocka_unit_test(test_indirect_branches),
        cmocka_unit_test(test_jump_cache_smc),
        cmocka_unit_test(test_self_loops),
        cmocka_unit_test(test_side_exits),
        cmocka_unit_test(test_budget_tail),
        cmocka_unit_test(test_mul_ccmp),
        cmocka_unit_test(test_bfm_carry),
        cmocka_unit_test(test_atomics),
        cmocka_unit_test(test_code_page_reuse),
        cmocka_unit_test(test_chain_patch_stale),
        cmocka_unit_test(test_msr_remaps_next),
        cmocka_unit_test(test_sys_block_ends),
        cmocka_unit_test(test_msr_block_ends),
        cmocka_unit_test(test_msr_arms_debug),
        cmocka_unit_test(test_eret_illegal),
        cmocka_unit_test(test_fetch_round_ends),
        cmocka_unit_test(test_pac_hint_context),
        cmocka_unit_test(test_jump_cache_flush),
        cmocka_unit_test(test_mrs_inline),
        cmocka_unit_test(test_accel_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
