/*
 * Helpers shared by the simd unit tests (tests/unit/test_simd_*.c): a
 * machine created through the public API, instruction words written with
 * a83_phys_write at CODE_PA, run with a83_run, V registers accessed with
 * a83_vreg_read/a83_vreg_write. Instruction words were produced with GNU
 * as (-march=armv8.1-a+crypto); each carries its assembly in a comment.
 */
#ifndef SIMD_HARNESS_H
#define SIMD_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

#define CODE_PA 0x40080000ull
#define DATA_PA 0x40090000ull
#define VBAR_PA 0x400a0000ull
#define FPSR_QC (1u << 27)

typedef struct V128 { uint64_t lo, hi; } V128;

static inline a83_machine *h_new(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    a83_machine *m = NULL;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_sysreg_write(m, 0, "VBAR_EL1", VBAR_PA), A83_OK);
    /* CPACR_EL1.FPEN = 0b11: no FP/AdvSIMD trap at EL1/EL0 (reset value traps) */
    assert_int_equal(a83_sysreg_write(m, 0, "CPACR_EL1", 3u << 20), A83_OK);
    return m;
}

/** Runs n instruction words from CODE_PA; returns the final PC. */
static inline uint64_t h_run(a83_machine *m, const uint32_t *w, size_t n)
{
    a83_stop_reason why;
    uint64_t pc = 0;
    assert_int_equal(a83_phys_write(m, CODE_PA, w, 4 * n), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, CODE_PA), A83_OK);
    assert_int_equal(a83_run(m, n, &why), A83_OK);
    assert_int_equal(a83_reg_read(m, 0, A83_REG_PC, &pc), A83_OK);
    return pc;
}

/** Runs n words and checks that all completed (no exception). */
static inline void h_run_ok(a83_machine *m, const uint32_t *w, size_t n)
{
    assert_int_equal(h_run(m, w, n), CODE_PA + 4 * n);
}

/** Runs one instruction word, which must complete. */
static inline void h_exec(a83_machine *m, uint32_t w)
{
    h_run_ok(m, &w, 1);
}

static inline void h_vset(a83_machine *m, unsigned n, V128 v)
{
    assert_int_equal(a83_vreg_write(m, 0, n, v.lo, v.hi), A83_OK);
}

static inline V128 h_vget(a83_machine *m, unsigned n)
{
    V128 v;
    assert_int_equal(a83_vreg_read(m, 0, n, &v.lo, &v.hi), A83_OK);
    return v;
}

static inline uint64_t h_fpsr(a83_machine *m)
{
    uint64_t v = 0;
    assert_int_equal(a83_reg_read(m, 0, A83_REG_FPSR, &v), A83_OK);
    return v;
}

/** 16 bytes (byte 0 = bits 7:0) as a V128. */
static inline V128 h_bytes(const uint8_t b[16])
{
    V128 v;
    memcpy(&v.lo, b, 8);
    memcpy(&v.hi, b + 8, 8);
    return v;
}

/** Four 32-bit words (w[0] = bits 31:0) as a V128. */
static inline V128 h_words(const uint32_t w[4])
{
    V128 v = { (uint64_t)w[1] << 32 | w[0], (uint64_t)w[3] << 32 | w[2] };
    return v;
}

static inline void h_to_words(V128 v, uint32_t w[4])
{
    w[0] = (uint32_t)v.lo; w[1] = (uint32_t)(v.lo >> 32);
    w[2] = (uint32_t)v.hi; w[3] = (uint32_t)(v.hi >> 32);
}

#define assert_v128(v, elo, ehi) do { V128 _v = (v); \
    assert_int_equal(_v.lo, (uint64_t)(elo)); assert_int_equal(_v.hi, (uint64_t)(ehi)); } while (0)

#endif
