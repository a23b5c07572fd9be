/*
 * AdvSIMD structure loads/stores (Arm ARM C7.2 LD1-LD4, ST1-ST4, LD1R-LD4R;
 * pseudocode LoadStoreMultipleStructures / LoadStoreSingleStructure): every
 * form - multiple structures 1-4 registers, single lane B/H/S/D, replicate,
 * no offset, post-index by immediate and by register, SP base, register
 * numbers wrapping past V31 - and the rule that a faulting load leaves the
 * registers unchanged.
 *
 * Memory at DATA_PA holds byte i = i (mod 256) for loads; B(s) below is the
 * little-endian doubleword of bytes s..s+7.
 */
#include "simd_harness.h"

static a83_machine *M;

static uint64_t B(unsigned s)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < 8; k++)
        v |= (uint64_t)((s + k) & 0xff) << (8 * k);
    return v;
}

static uint64_t xget(unsigned n)
{
    uint64_t v;
    assert_int_equal(a83_reg_read(M, 0, (a83_reg)n, &v), A83_OK);
    return v;
}

static void xset(unsigned n, uint64_t v)
{
    assert_int_equal(a83_reg_write(M, 0, (a83_reg)n, v), A83_OK);
}

/** Loads: memory = byte ramp, V registers = a marker, x0 = DATA_PA + off. */
static void prep_load(unsigned off)
{
    uint8_t buf[256];
    for (unsigned i = 0; i < 256; i++)
        buf[i] = (uint8_t)i;
    assert_int_equal(a83_phys_write(M, DATA_PA, buf, sizeof buf), A83_OK);
    for (unsigned n = 0; n < 32; n++) {
        V128 v = { 0x1111111111111111ull * (n % 15 + 1), 0xfedcba9876543210ull };
        h_vset(M, n, v);
    }
    xset(0, DATA_PA + off);
    xset(1, 100);
}

/** Stores: memory = 0xee, Vj byte k = (j << 5) | k, x0 = DATA_PA. */
static void prep_store(void)
{
    uint8_t buf[128];
    memset(buf, 0xee, sizeof buf);
    assert_int_equal(a83_phys_write(M, DATA_PA, buf, sizeof buf), A83_OK);
    for (unsigned j = 0; j < 4; j++) {
        V128 v = { B(32 * j), B(32 * j + 8) };
        h_vset(M, j, v);
    }
    xset(0, DATA_PA);
    xset(1, 100);
}

static uint8_t vbyte(unsigned j, unsigned k) { return (uint8_t)((j << 5) | k); }

static void mem(uint8_t *out, size_t n)
{
    assert_int_equal(a83_phys_read(M, DATA_PA, out, n), A83_OK);
}

static int setup(void **state) { (void)state; M = h_new(); return 0; }
static int teardown(void **state) { (void)state; a83_machine_destroy(M); return 0; }

/* LD1 (multiple structures), 1-4 registers; 64-bit forms clear bits 127:64. */
static void test_ld1_multi(void **state)
{
    (void)state;
    prep_load(0);
    h_exec(M, 0x4c407000);   /* ld1 {v0.16b}, [x0] */
    assert_v128(h_vget(M, 0), B(0), B(8));
    prep_load(0);
    h_exec(M, 0x0c402000);   /* ld1 {v0.8b-v3.8b}, [x0] */
    for (unsigned i = 0; i < 4; i++)
        assert_v128(h_vget(M, i), B(8 * i), 0);
    assert_int_equal(xget(0), DATA_PA);
    prep_load(0);
    h_exec(M, 0x4c406c00);   /* ld1 {v0.2d-v2.2d}, [x0] */
    for (unsigned i = 0; i < 3; i++)
        assert_v128(h_vget(M, i), B(16 * i), B(16 * i + 8));
    assert_int_equal(h_vget(M, 3).hi, 0xfedcba9876543210ull);   /* v3 untouched */
    prep_load(0);
    h_exec(M, 0x4cdfa800);   /* ld1 {v0.4s, v1.4s}, [x0], #32 */
    assert_v128(h_vget(M, 0), B(0), B(8));
    assert_v128(h_vget(M, 1), B(16), B(24));
    assert_int_equal(xget(0), DATA_PA + 32);
}

/* LD2/LD3/LD4 de-interleave elements into consecutive registers. */
static void test_ld234_multi(void **state)
{
    (void)state;
    prep_load(0);
    h_exec(M, 0x4c408400);   /* ld2 {v0.8h, v1.8h}, [x0] */
    assert_v128(h_vget(M, 0), 0x0d0c090805040100ull, 0x1d1c191815141110ull);
    assert_v128(h_vget(M, 1), 0x0f0e0b0a07060302ull, 0x1f1e1b1a17161312ull);
    prep_load(0);
    h_exec(M, 0x4c404800);   /* ld3 {v0.4s-v2.4s}, [x0] */
    assert_v128(h_vget(M, 0), 0x0f0e0d0c03020100ull, 0x272625241b1a1918ull);
    assert_v128(h_vget(M, 1), 0x1312111007060504ull, 0x2b2a29281f1e1d1cull);
    assert_v128(h_vget(M, 2), 0x171615140b0a0908ull, 0x2f2e2d2c23222120ull);
    prep_load(0);
    h_exec(M, 0x4c400c00);   /* ld4 {v0.2d-v3.2d}, [x0] */
    for (unsigned i = 0; i < 4; i++)
        assert_v128(h_vget(M, i), B(8 * i), B(8 * i + 32));
    prep_load(0);
    h_exec(M, 0x0cc10000);   /* ld4 {v0.8b-v3.8b}, [x0], x1 (x1 = 100) */
    assert_v128(h_vget(M, 0), 0x1c1814100c080400ull, 0);
    assert_v128(h_vget(M, 1), 0x1d1915110d090501ull, 0);
    assert_v128(h_vget(M, 2), 0x1e1a16120e0a0602ull, 0);
    assert_v128(h_vget(M, 3), 0x1f1b17130f0b0703ull, 0);
    assert_int_equal(xget(0), DATA_PA + 100);
}

/* Register numbers wrap modulo 32: LD4 {v31, v0, v1, v2}. */
static void test_ld4_wrap(void **state)
{
    (void)state;
    prep_load(0);
    h_exec(M, 0x4c40001f);   /* ld4 {v31.16b, v0.16b, v1.16b, v2.16b}, [x0] */
    assert_v128(h_vget(M, 31), 0x1c1814100c080400ull, 0x3c3834302c282420ull);
    assert_v128(h_vget(M, 0), 0x1d1915110d090501ull, 0x3d3935312d292521ull);
    assert_v128(h_vget(M, 2), 0x1f1b17130f0b0703ull, 0x3f3b37332f2b2723ull);
    assert_int_equal(h_vget(M, 3).hi, 0xfedcba9876543210ull);
}

/* Single-lane loads write only the selected lane (the rest of the 128-bit
 * register, including bits 127:64, is preserved). */
static void test_ld_single(void **state)
{
    (void)state;
    prep_load(0);
    h_exec(M, 0x4d408000);   /* ld1 {v0.s}[2], [x0] */
    assert_v128(h_vget(M, 0), 0x1111111111111111ull, 0xfedcba9803020100ull);
    prep_load(0);
    h_exec(M, 0x4dff4800);   /* ld2 {v0.h, v1.h}[5], [x0], #4 */
    assert_v128(h_vget(M, 0), 0x1111111111111111ull, 0xfedcba9801003210ull);
    assert_v128(h_vget(M, 1), 0x2222222222222222ull, 0xfedcba9803023210ull);
    assert_int_equal(xget(0), DATA_PA + 4);
    prep_load(0);
    h_exec(M, 0x4d403c00);   /* ld3 {v0.b-v2.b}[15], [x0] */
    assert_v128(h_vget(M, 0), 0x1111111111111111ull, 0x00dcba9876543210ull);
    assert_v128(h_vget(M, 1), 0x2222222222222222ull, 0x01dcba9876543210ull);
    assert_v128(h_vget(M, 2), 0x3333333333333333ull, 0x02dcba9876543210ull);
    prep_load(0);
    h_exec(M, 0x4de1a400);   /* ld4 {v0.d-v3.d}[1], [x0], x1 */
    for (unsigned i = 0; i < 4; i++)
        assert_v128(h_vget(M, i), 0x1111111111111111ull * (i + 1), B(8 * i));
    assert_int_equal(xget(0), DATA_PA + 100);
}

/* LD1R-LD4R replicate one structure to all lanes (Q=0 clears bits 127:64). */
static void test_ld_replicate(void **state)
{
    (void)state;
    prep_load(0x41);
    h_exec(M, 0x0d40c000);   /* ld1r {v0.8b}, [x0] */
    assert_v128(h_vget(M, 0), 0x4141414141414141ull, 0);
    prep_load(16);
    h_exec(M, 0x4dffc800);   /* ld2r {v0.4s, v1.4s}, [x0], #8 */
    assert_v128(h_vget(M, 0), 0x1312111013121110ull, 0x1312111013121110ull);
    assert_v128(h_vget(M, 1), 0x1716151417161514ull, 0x1716151417161514ull);
    assert_int_equal(xget(0), DATA_PA + 24);
    prep_load(0);
    h_exec(M, 0x4d40e400);   /* ld3r {v0.8h-v2.8h}, [x0] */
    assert_v128(h_vget(M, 0), 0x0100010001000100ull, 0x0100010001000100ull);
    assert_v128(h_vget(M, 1), 0x0302030203020302ull, 0x0302030203020302ull);
    assert_v128(h_vget(M, 2), 0x0504050405040504ull, 0x0504050405040504ull);
    prep_load(0);
    h_exec(M, 0x0d60ec00);   /* ld4r {v0.1d-v3.1d}, [x0] */
    for (unsigned i = 0; i < 4; i++)
        assert_v128(h_vget(M, i), B(8 * i), 0);
}

/* ST1-ST4 (multiple structures) interleave elements of consecutive registers. */
static void test_st_multi(void **state)
{
    (void)state;
    uint8_t m[128];
    prep_store();
    h_exec(M, 0x4c007000);   /* st1 {v0.16b}, [x0] */
    mem(m, 17);
    for (unsigned k = 0; k < 16; k++)
        assert_int_equal(m[k], vbyte(0, k));
    assert_int_equal(m[16], 0xee);

    prep_store();
    h_exec(M, 0x0c9f6000);   /* st1 {v0.8b-v2.8b}, [x0], #24 */
    mem(m, 25);
    for (unsigned k = 0; k < 24; k++)
        assert_int_equal(m[k], vbyte(k / 8, k % 8));
    assert_int_equal(m[24], 0xee);
    assert_int_equal(xget(0), DATA_PA + 24);

    prep_store();
    h_exec(M, 0x4c008800);   /* st2 {v0.4s, v1.4s}, [x0] */
    mem(m, 33);
    for (unsigned k = 0; k < 32; k++) {
        unsigned word = k / 4, reg = word % 2, elem = word / 2;
        assert_int_equal(m[k], vbyte(reg, 4 * elem + k % 4));
    }
    assert_int_equal(m[32], 0xee);

    prep_store();
    h_exec(M, 0x4c004000);   /* st3 {v0.16b-v2.16b}, [x0] */
    mem(m, 49);
    for (unsigned k = 0; k < 48; k++)
        assert_int_equal(m[k], vbyte(k % 3, k / 3));
    assert_int_equal(m[48], 0xee);

    prep_store();
    h_exec(M, 0x0c810400);   /* st4 {v0.4h-v3.4h}, [x0], x1 */
    mem(m, 33);
    for (unsigned k = 0; k < 32; k++) {
        unsigned half = k / 2, reg = half % 4, elem = half / 4;
        assert_int_equal(m[k], vbyte(reg, 2 * elem + k % 2));
    }
    assert_int_equal(m[32], 0xee);
    assert_int_equal(xget(0), DATA_PA + 100);
}

/* ST1-ST4 (single structure) store one lane of each register. */
static void test_st_single(void **state)
{
    (void)state;
    uint8_t m[32];
    prep_store();
    h_exec(M, 0x4d008400);   /* st1 {v0.d}[1], [x0] */
    mem(m, 9);
    for (unsigned k = 0; k < 8; k++)
        assert_int_equal(m[k], vbyte(0, 8 + k));
    assert_int_equal(m[8], 0xee);

    prep_store();
    h_exec(M, 0x4dbfb000);   /* st4 {v0.s-v3.s}[3], [x0], #16 */
    mem(m, 17);
    for (unsigned k = 0; k < 16; k++)
        assert_int_equal(m[k], vbyte(k / 4, 12 + k % 4));
    assert_int_equal(m[16], 0xee);
    assert_int_equal(xget(0), DATA_PA + 16);

    prep_store();
    h_exec(M, 0x4d200400);   /* st2 {v0.b, v1.b}[9], [x0] */
    mem(m, 3);
    assert_int_equal(m[0], vbyte(0, 9));
    assert_int_equal(m[1], vbyte(1, 9));
    assert_int_equal(m[2], 0xee);

    prep_store();
    h_exec(M, 0x4d007800);   /* st3 {v0.h-v2.h}[7], [x0] */
    mem(m, 7);
    for (unsigned k = 0; k < 6; k++)
        assert_int_equal(m[k], vbyte(k / 2, 14 + k % 2));
    assert_int_equal(m[6], 0xee);
}

/* Base register 31 is SP. */
static void test_sp_base(void **state)
{
    (void)state;
    prep_load(0);
    xset(A83_REG_SP, DATA_PA + 32);
    h_exec(M, 0x4c407fe0);   /* ld1 {v0.2d}, [sp] */
    assert_v128(h_vget(M, 0), B(32), B(40));
}

/* With the MMU off, data accesses are Device memory and every element
 * must be aligned to its size (Arm ARM B2.5.2): LD1 .4S at an address that
 * is 2 mod 4 takes an alignment fault (DFSC 0b100001), LD1 .16B at any
 * address is fine. */
static void test_alignment(void **state)
{
    (void)state;
    uint64_t esr = 0;
    prep_load(0);
    xset(0, DATA_PA + 3);
    h_exec(M, 0x4c407000);   /* ld1 {v0.16b}, [x0] */
    assert_v128(h_vget(M, 0), B(3), B(11));
    prep_load(0);
    xset(0, DATA_PA + 2);
    uint32_t w = 0x4c407800;   /* ld1 {v0.4s}, [x0] */
    assert_int_equal(h_run(M, &w, 1), VBAR_PA + 0x200);
    assert_int_equal(a83_sysreg_read(M, 0, "ESR_EL1", &esr), A83_OK);
    assert_int_equal(esr >> 26, 0x25);
    assert_int_equal(esr & 0x3f, 0x21);
    assert_v128(h_vget(M, 0), 0x1111111111111111ull, 0xfedcba9876543210ull);
    assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, 0x3c5), A83_OK);
}

/* Transfers that cross a page boundary are split into element accesses in
 * order; the data is the same as within a page. */
static void test_page_cross(void **state)
{
    (void)state;
    uint8_t ramp[64], out[64];
    for (unsigned i = 0; i < 64; i++)
        ramp[i] = (uint8_t)(0x80 + i);
    uint64_t base = DATA_PA + 0x1000 - 24;
    assert_int_equal(a83_phys_write(M, base, ramp, sizeof ramp), A83_OK);
    xset(0, base);
    h_exec(M, 0x4c400800);   /* ld4 {v0.4s-v3.4s}, [x0]: 64 bytes across the page end */
    /* element e of register s is word (4e + s): bytes 0x80 + 16e + 4s .. */
    assert_v128(h_vget(M, 0), 0x9392919083828180ull,
                0xb3b2b1b0a3a2a1a0ull);
    assert_v128(h_vget(M, 3), 0x9f9e9d9c8f8e8d8cull, 0xbfbebdbcafaeadacull);
    h_vset(M, 0, (V128){ 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull });
    h_vset(M, 1, (V128){ 0x1716151413121110ull, 0x1f1e1d1c1b1a1918ull });
    h_exec(M, 0x4c00ac00);   /* st1 {v0.2d, v1.2d}, [x0] */
    assert_int_equal(a83_phys_read(M, base, out, 32), A83_OK);
    for (unsigned i = 0; i < 32; i++)
        assert_int_equal(out[i], i);
}

/* CheckSPAlignment(): with SCTLR_EL1.SA set, an SP base that is not
 * 16-byte aligned raises the SP alignment fault (EC 0x26) before any access. */
static void test_sp_alignment(void **state)
{
    (void)state;
    uint64_t sctlr = 0, esr = 0;
    prep_load(0);
    assert_int_equal(a83_sysreg_read(M, 0, "SCTLR_EL1", &sctlr), A83_OK);
    assert_int_equal(a83_sysreg_write(M, 0, "SCTLR_EL1", sctlr | 8), A83_OK);   /* SA */
    xset(A83_REG_SP, DATA_PA + 8);
    uint32_t w = 0x4c407fe0;   /* ld1 {v0.2d}, [sp] */
    assert_int_equal(h_run(M, &w, 1), VBAR_PA + 0x200);
    assert_int_equal(a83_sysreg_read(M, 0, "ESR_EL1", &esr), A83_OK);
    assert_int_equal(esr >> 26, 0x26);
    assert_v128(h_vget(M, 0), 0x1111111111111111ull, 0xfedcba9876543210ull);
    /* aligned SP: the load completes */
    assert_int_equal(a83_reg_write(M, 0, A83_REG_PSTATE, 0x3c5), A83_OK);
    xset(A83_REG_SP, DATA_PA + 16);
    h_exec(M, w);
    assert_v128(h_vget(M, 0), B(16), B(24));
    assert_int_equal(a83_sysreg_write(M, 0, "SCTLR_EL1", sctlr), A83_OK);
}

/* A load whose second register's elements fault (beyond the end of RAM)
 * takes a data abort. The Arm ARM lets the destination registers of a
 * faulting load become UNKNOWN; this emulator guarantees them unchanged
 * (every element is read before any register is written). */
static void test_fault_no_write(void **state)
{
    (void)state;
    prep_load(0);
    uint64_t ram_end = 0x40000000ull + (16u << 20);
    xset(0, ram_end - 16);
    uint32_t w = 0x4c40a000;   /* ld1 {v0.16b, v1.16b}, [x0] */
    uint64_t pc = h_run(M, &w, 1);
    assert_int_equal(pc, VBAR_PA + 0x200);       /* current EL, SPx, synchronous */
    uint64_t esr = 0;
    assert_int_equal(a83_sysreg_read(M, 0, "ESR_EL1", &esr), A83_OK);
    assert_int_equal(esr >> 26, 0x25);           /* data abort, same EL */
    assert_v128(h_vget(M, 0), 0x1111111111111111ull, 0xfedcba9876543210ull);
    assert_v128(h_vget(M, 1), 0x2222222222222222ull, 0xfedcba9876543210ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ld1_multi),
        cmocka_unit_test(test_ld234_multi),
        cmocka_unit_test(test_ld4_wrap),
        cmocka_unit_test(test_ld_single),
        cmocka_unit_test(test_ld_replicate),
        cmocka_unit_test(test_st_multi),
        cmocka_unit_test(test_st_single),
        cmocka_unit_test(test_sp_base),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_page_cross),
        cmocka_unit_test(test_sp_alignment),
        cmocka_unit_test(test_fault_no_write),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
