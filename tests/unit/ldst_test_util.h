/*
 * Helpers of the load/store unit tests (test_ldst_*.c): instruction
 * encoders written from the Arm ARM encoding diagrams (C4.1.x, "Loads and
 * Stores"), and a small harness that runs code on a machine through the
 * public API.
 */
#ifndef LDST_TEST_UTIL_H
#define LDST_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

#define CODE_PA  0x40080000ull
#define DATA_PA  0x40200000ull
#define VBAR     0x40090000ull
#define VEC_SYNC_CUR_SPX 0x200   /* current EL with SP_ELx, synchronous */
#define CPACR_FPEN_ALL (3u << 20)

/* ---- Encoders ---------------------------------------------------------------- */

/* Load/store register (unsigned immediate): size 111 V 01 opc imm12 Rn Rt */
static inline uint32_t enc_uimm(unsigned size, unsigned v, unsigned opc, unsigned imm12,
                                unsigned rn, unsigned rt)
{
    return size << 30 | 0x39000000u | v << 26 | opc << 22 | (imm12 & 0xfff) << 10 | rn << 5 | rt;
}
/* Load/store register (unscaled / post / unpriv / pre): size 111 V 00 opc 0 imm9 idx Rn Rt */
enum { IDX_UNSCALED = 0, IDX_POST = 1, IDX_UNPRIV = 2, IDX_PRE = 3 };
static inline uint32_t enc_imm9(unsigned size, unsigned v, unsigned opc, int imm9, unsigned idx,
                                unsigned rn, unsigned rt)
{
    return size << 30 | 0x38000000u | v << 26 | opc << 22 | ((unsigned)imm9 & 0x1ff) << 12 |
           idx << 10 | rn << 5 | rt;
}
/* Load/store register (register offset): size 111 V 00 opc 1 Rm option S 10 Rn Rt */
enum { OPT_UXTW = 2, OPT_LSL = 3, OPT_SXTW = 6, OPT_SXTX = 7 };
static inline uint32_t enc_reg(unsigned size, unsigned v, unsigned opc, unsigned rm, unsigned opt,
                               unsigned s, unsigned rn, unsigned rt)
{
    return size << 30 | 0x38200800u | v << 26 | opc << 22 | rm << 16 | opt << 13 | s << 12 |
           rn << 5 | rt;
}
/* Load register (literal): opc 011 V 00 imm19 Rt */
static inline uint32_t enc_lit(unsigned opc, unsigned v, int imm19, unsigned rt)
{
    return opc << 30 | 0x18000000u | v << 26 | ((unsigned)imm19 & 0x7ffff) << 5 | rt;
}
/* Load/store pair: opc 101 V 0 idx L imm7 Rt2 Rn Rt (idx: 0 no-alloc, 1 post, 2 offset, 3 pre) */
enum { PIDX_NA = 0, PIDX_POST = 1, PIDX_OFF = 2, PIDX_PRE = 3 };
static inline uint32_t enc_pair(unsigned opc, unsigned v, unsigned idx, unsigned l, int imm7,
                                unsigned rt2, unsigned rn, unsigned rt)
{
    return opc << 30 | 0x28000000u | v << 26 | idx << 23 | l << 22 | ((unsigned)imm7 & 0x7f) << 15 |
           rt2 << 10 | rn << 5 | rt;
}
/* Exclusive / ordered / CAS: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt */
static inline uint32_t enc_excl(unsigned size, unsigned o2, unsigned l, unsigned o1, unsigned rs,
                                unsigned o0, unsigned rt2, unsigned rn, unsigned rt)
{
    return size << 30 | 0x08000000u | o2 << 23 | l << 22 | o1 << 21 | rs << 16 | o0 << 15 |
           rt2 << 10 | rn << 5 | rt;
}
static inline uint32_t enc_ldxr(unsigned size, unsigned acq, unsigned rn, unsigned rt)
{ return enc_excl(size, 0, 1, 0, 31, acq, 31, rn, rt); }
static inline uint32_t enc_stxr(unsigned size, unsigned rel, unsigned rs, unsigned rn, unsigned rt)
{ return enc_excl(size, 0, 0, 0, rs, rel, 31, rn, rt); }
static inline uint32_t enc_ldxp(unsigned sz64, unsigned acq, unsigned rt2, unsigned rn, unsigned rt)
{ return enc_excl(2 | sz64, 0, 1, 1, 31, acq, rt2, rn, rt); }
static inline uint32_t enc_stxp(unsigned sz64, unsigned rel, unsigned rs, unsigned rt2, unsigned rn,
                                unsigned rt)
{ return enc_excl(2 | sz64, 0, 0, 1, rs, rel, rt2, rn, rt); }
static inline uint32_t enc_ldar(unsigned size, unsigned rn, unsigned rt)
{ return enc_excl(size, 1, 1, 0, 31, 1, 31, rn, rt); }
static inline uint32_t enc_stlr(unsigned size, unsigned rn, unsigned rt)
{ return enc_excl(size, 1, 0, 0, 31, 1, 31, rn, rt); }
static inline uint32_t enc_cas(unsigned size, unsigned acq, unsigned rel, unsigned rs, unsigned rn,
                               unsigned rt)
{ return enc_excl(size, 1, acq, 1, rs, rel, 31, rn, rt); }
static inline uint32_t enc_casp(unsigned sz64, unsigned acq, unsigned rel, unsigned rs, unsigned rn,
                                unsigned rt)
{ return enc_excl(sz64, 0, acq, 1, rs, rel, 31, rn, rt); }
/* Atomic memory operations: size 111 0 00 A R 1 Rs o3 opc 00 Rn Rt */
enum { OP_ADD, OP_CLR, OP_EOR, OP_SET, OP_SMAX, OP_SMIN, OP_UMAX, OP_UMIN };
static inline uint32_t enc_atomic(unsigned size, unsigned a, unsigned r, unsigned rs, unsigned o3,
                                  unsigned opc, unsigned rn, unsigned rt)
{
    return size << 30 | 0x38200000u | a << 23 | r << 22 | rs << 16 | o3 << 15 | opc << 12 |
           rn << 5 | rt;
}
static inline uint32_t enc_ldapr(unsigned size, unsigned rn, unsigned rt)
{ return enc_atomic(size, 1, 0, 31, 1, 4, rn, rt); }

/* ---- Machine harness ----------------------------------------------------------- */

static inline a83_machine *tm_create(unsigned ncpus)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.ram_size = 64ull << 20;
    a83_machine *m = NULL;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    for (unsigned i = 0; i < ncpus; i++) {
        assert_int_equal(a83_sysreg_write(m, i, "VBAR_EL1", VBAR), A83_OK);
        /* CPACR_EL1.FPEN = 0b11: SIMD&FP accesses not trapped at EL0/EL1 */
        assert_int_equal(a83_sysreg_write(m, i, "CPACR_EL1", CPACR_FPEN_ALL), A83_OK);
    }
    return m;
}

static inline void tm_code(a83_machine *m, unsigned cpu, uint64_t pa, const uint32_t *w, size_t n)
{
    assert_int_equal(a83_phys_write(m, pa, w, n * 4), A83_OK);
    assert_int_equal(a83_reg_write(m, cpu, A83_REG_PC, pa), A83_OK);
}

/* Places nwords words at CODE_PA, runs the first n as instructions on
 * CPU 0 and checks that none faulted. */
static inline void tm_run_words(a83_machine *m, const uint32_t *w, size_t nwords, size_t n)
{
    tm_code(m, 0, CODE_PA, w, nwords);
    a83_stop_reason why;
    assert_int_equal(a83_run(m, n, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
    uint64_t pc;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    assert_int_equal(pc, CODE_PA + 4 * n);
}
static inline void tm_run(a83_machine *m, const uint32_t *w, size_t n) { tm_run_words(m, w, n, n); }

static inline uint64_t tm_x(a83_machine *m, unsigned cpu, unsigned r)
{
    uint64_t v = 0;
    assert_int_equal(a83_reg_read(m, cpu, (a83_reg)r, &v), A83_OK);
    return v;
}
static inline void tm_setx(a83_machine *m, unsigned cpu, unsigned r, uint64_t v)
{
    assert_int_equal(a83_reg_write(m, cpu, (a83_reg)r, v), A83_OK);
}
static inline uint64_t tm_rd(a83_machine *m, uint64_t pa, unsigned size)
{
    uint64_t v = 0;
    assert_int_equal(a83_phys_read(m, pa, &v, size), A83_OK);
    return v;
}
static inline void tm_wr(a83_machine *m, uint64_t pa, unsigned size, uint64_t v)
{
    assert_int_equal(a83_phys_write(m, pa, &v, size), A83_OK);
}
static inline uint64_t tm_sysreg(a83_machine *m, unsigned cpu, const char *name)
{
    uint64_t v = 0;
    assert_int_equal(a83_sysreg_read(m, cpu, name, &v), A83_OK);
    return v;
}

/* Steps one instruction at CODE_PA on cpu 0 and checks that it took a
 * synchronous exception to EL1 (VBAR_EL1 + 0x200) with the given ESR_EL1
 * and FAR_EL1 (far_check false: FAR not compared). */
static inline void tm_expect_fault(a83_machine *m, uint32_t insn, uint64_t esr, bool far_check,
                                   uint64_t far)
{
    tm_code(m, 0, CODE_PA, &insn, 1);
    assert_int_equal(a83_step(m, 0), A83_OK);
    uint64_t pc;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    assert_int_equal(pc, VBAR + VEC_SYNC_CUR_SPX);
    assert_int_equal(tm_sysreg(m, 0, "ESR_EL1"), esr);
    assert_int_equal(tm_sysreg(m, 0, "ELR_EL1"), CODE_PA);
    if (far_check)
        assert_int_equal(tm_sysreg(m, 0, "FAR_EL1"), far);
    /* back to the original state for the next case */
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PSTATE, tm_sysreg(m, 0, "SPSR_EL1")), A83_OK);
}

/* ESR_ELx values (Arm ARM D17.2.37): EC << 26 | IL << 25 | ISS */
#define ESR_IL (1u << 25)
#define ESR_DABT_CUR(iss) ((0x25u << 26) | ESR_IL | (iss))
#define DFSC_ALIGN 0x21u
#define ISS_WNR (1u << 6)

#endif
