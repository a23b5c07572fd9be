/*
 * A tiny harness for instruction tests through the public API: one
 * machine, code at CODE_PA (MMU off, EL1h), VBAR_EL1 in RAM so an
 * UNDEFINED instruction is observable as PC = VBAR_EL1 + 0x200 with
 * ESR_EL1.EC = 0 (Arm ARM D1.10.2, D17.2.37).
 */
#ifndef DP_MACHINE_H
#define DP_MACHINE_H

#include <arm83emu/arm83emu.h>

#define CODE_PA 0x40080000ull
#define VBAR_PA 0x40000000ull
#define PSTATE_EL1H_MASKED 0x3c5ull   /* DAIF set, M = EL1h */

static a83_machine *M;

static int machine_setup(void **state)
{
    (void)state;
    a83_config cfg;
    a83_config_default(&cfg);
    if (a83_machine_create(&cfg, &M) != A83_OK)
        return -1;
    if (a83_sysreg_write(M, 0, "VBAR_EL1", VBAR_PA) != A83_OK)
        return -1;
    return a83_reg_write(M, 0, A83_REG_PSTATE, PSTATE_EL1H_MASKED) == A83_OK ? 0 : -1;
}

static int machine_teardown(void **state)
{
    (void)state;
    a83_machine_destroy(M);
    M = NULL;
    return 0;
}

static void setx(unsigned n, uint64_t v) { assert_int_equal(a83_reg_write(M, 0, (a83_reg)n, v), A83_OK); }
static uint64_t getx(unsigned n)
{
    uint64_t v;
    assert_int_equal(a83_reg_read(M, 0, (a83_reg)n, &v), A83_OK);
    return v;
}
static inline void set_nzcv(uint32_t f) { setx(A83_REG_NZCV, (uint64_t)f << 28); }
static inline uint32_t get_nzcv(void) { return (uint32_t)(getx(A83_REG_NZCV) >> 28); }
static inline uint64_t getpc(void) { return getx(A83_REG_PC); }

/* Places n words at CODE_PA and runs `steps` instructions from there. */
static void run_code(const uint32_t *w, size_t n, uint64_t steps)
{
    assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, PSTATE_EL1H_MASKED | ((uint64_t)get_nzcv() << 28)),
                     A83_OK);
    assert_int_equal(a83_phys_write(M, CODE_PA, w, n * 4), A83_OK);
    setx(A83_REG_PC, CODE_PA);
    assert_int_equal(a83_run(M, steps, NULL), A83_OK);
}

static inline void exec1(uint32_t insn) { run_code(&insn, 1, 1); }

/* True if the last instruction took the UNDEFINED exception. */
static inline bool took_undef(void)
{
    uint64_t esr = 0, elr = 0;
    a83_sysreg_read(M, 0, "ESR_EL1", &esr);
    a83_sysreg_read(M, 0, "ELR_EL1", &elr);
    return getpc() == VBAR_PA + 0x200 && (esr >> 26) == 0 && elr == CODE_PA;
}

/* Runs insn, which must be UNDEFINED. */
static inline void expect_undef(uint32_t insn)
{
    a83_sysreg_write(M, 0, "ESR_EL1", 0xffffffffu);
    a83_sysreg_write(M, 0, "ELR_EL1", 0);
    exec1(insn);
    if (!took_undef())
        fail_msg("insn %08x did not raise UNDEFINED (pc %llx)", insn, (unsigned long long)getpc());
}

/* Runs insn, which must execute and fall through. */
static inline void expect_ok(uint32_t insn)
{
    exec1(insn);
    if (getpc() != CODE_PA + 4)
        fail_msg("insn %08x: pc %llx, expected fall-through", insn, (unsigned long long)getpc());
}

#endif
