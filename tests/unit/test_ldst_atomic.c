/*
 * FEAT_LSE atomics and FEAT_LRCPC (Arm ARM C6.2 LDADD, LDCLR, LDEOR, LDSET,
 * LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP, CAS, CASP, LDAPR): every operation
 * in every width with the A/L variants, the ST<op> aliases, CAS/CASP
 * success and failure, and alignment faults.
 */
#include "ldst_test_util.h"

static a83_machine *m;

static int setup(void **state)
{
    (void)state;
    m = tm_create(1);
    return 0;
}
static int teardown(void **state)
{
    (void)state;
    a83_machine_destroy(m);
    return 0;
}

static uint64_t ones(unsigned bytes) { return bytes == 8 ? ~0ull : (1ull << (8 * bytes)) - 1; }

/* For every width: memory holds old = 0x80..01 and Rs holds s = 0x7f..ff
 * in its low bits (garbage above, which must be ignored). Then by the
 * definitions in the Arm ARM (MemAtomicOp): ADD wraps to 0, CLR (old AND
 * NOT s) = 0x80..00, EOR = 0xff..fe, SET = 0xff..ff, SMAX = s (old is
 * negative), SMIN = old, UMAX = old, UMIN = s. Rt receives old,
 * zero-extended; the bytes above the location are untouched. */
static void test_ldop_all(void **state)
{
    (void)state;
    for (unsigned size = 0; size < 4; size++) {
        unsigned bytes = 1u << size;
        uint64_t top = 1ull << (8 * bytes - 1);
        uint64_t old = top | 1, s = ones(bytes) >> 1;
        uint64_t expect[8] = {
            [OP_ADD] = 0, [OP_CLR] = top, [OP_EOR] = ones(bytes) - 1, [OP_SET] = ones(bytes),
            [OP_SMAX] = s, [OP_SMIN] = old, [OP_UMAX] = old, [OP_UMIN] = s,
        };
        for (unsigned op = 0; op < 8; op++) {
            unsigned a = op & 1, r = (op >> 1) & 1;    /* cycle through the A/L variants */
            tm_wr(m, DATA_PA, 8, 0xccccccccccccccccull);
            tm_wr(m, DATA_PA + 8, 8, 0xccccccccccccccccull);
            tm_wr(m, DATA_PA, bytes, old);
            tm_setx(m, 0, 1, DATA_PA);
            tm_setx(m, 0, 2, (0xa5a5a5a5a5a5a5a5ull & ~ones(bytes)) | s);
            tm_setx(m, 0, 3, 0x3333);
            uint32_t insn = enc_atomic(size, a, r, 2, 0, op, 1, 3);
            tm_run(m, &insn, 1);
            uint64_t got = tm_rd(m, DATA_PA, bytes);
            if (got != expect[op] || tm_x(m, 0, 3) != old)
                fail_msg("size %u op %u: mem %#llx (want %#llx), rt %#llx", size, op,
                         (unsigned long long)got, (unsigned long long)expect[op],
                         (unsigned long long)tm_x(m, 0, 3));
            if (bytes < 8)
                assert_int_equal(tm_rd(m, DATA_PA + bytes, 1), 0xcc);
            assert_int_equal(tm_rd(m, DATA_PA + 8, 8), 0xccccccccccccccccull);
        }
    }
}

/* ST<op> (LD<op> with Rt = 31, A = 0) writes memory but no register. */
static void test_st_alias(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x20, 8, 0xf0f0);
    tm_setx(m, 0, 1, DATA_PA + 0x20);
    tm_setx(m, 0, 2, 0xff00);
    uint32_t code[] = {
        enc_atomic(3, 0, 1, 2, 0, OP_EOR, 1, 31),   /* steorl x2, [x1] */
        enc_atomic(2, 0, 0, 2, 0, OP_SET, 1, 31),   /* stset w2, [x1] */
    };
    tm_run(m, code, 2);
    assert_int_equal(tm_rd(m, DATA_PA + 0x20, 8), 0xfff0);
}

/* SWP in every width: Rt <- old, memory <- Rs (low bits). */
static void test_swp(void **state)
{
    (void)state;
    for (unsigned size = 0; size < 4; size++) {
        unsigned bytes = 1u << size;
        tm_wr(m, DATA_PA + 0x40, 8, 0x0807060504030201ull);
        tm_setx(m, 0, 1, DATA_PA + 0x40);
        tm_setx(m, 0, 2, 0xf1f2f3f4f5f6f7f8ull);
        uint32_t insn = enc_atomic(size, size & 1, size >> 1, 2, 1, 0, 1, 3);
        tm_run(m, &insn, 1);
        assert_int_equal(tm_x(m, 0, 3), 0x0807060504030201ull & ones(bytes));
        assert_int_equal(tm_rd(m, DATA_PA + 0x40, 8),
                         (0x0807060504030201ull & ~ones(bytes)) | (0xf1f2f3f4f5f6f7f8ull & ones(bytes)));
    }
    /* SWP with Rs == Rt: the old value is read before Rt is written */
    tm_wr(m, DATA_PA + 0x40, 8, 77);
    tm_setx(m, 0, 4, 88);
    uint32_t insn = enc_atomic(3, 1, 1, 4, 1, 0, 1, 4);   /* swpal x4, x4, [x1] */
    tm_run(m, &insn, 1);
    assert_int_equal(tm_x(m, 0, 4), 77);
    assert_int_equal(tm_rd(m, DATA_PA + 0x40, 8), 88);
}

/* CAS: on a match the new value is stored; in both cases Rs receives the
 * old value zero-extended, and the comparison uses only the low bits. */
static void test_cas(void **state)
{
    (void)state;
    for (unsigned size = 0; size < 4; size++) {
        unsigned bytes = 1u << size;
        uint64_t mem = 0x8182838485868788ull;
        /* success: Rs low bits equal memory, garbage above */
        tm_wr(m, DATA_PA + 0x60, 8, mem);
        tm_setx(m, 0, 1, DATA_PA + 0x60);
        tm_setx(m, 0, 2, (0x5555555555555555ull & ~ones(bytes)) | (mem & ones(bytes)));
        tm_setx(m, 0, 3, 0x1122334455667788ull);
        uint32_t insn = enc_cas(size, size & 1, size >> 1, 2, 1, 3);
        tm_run(m, &insn, 1);
        assert_int_equal(tm_x(m, 0, 2), mem & ones(bytes));
        assert_int_equal(tm_rd(m, DATA_PA + 0x60, 8),
                         (mem & ~ones(bytes)) | (0x1122334455667788ull & ones(bytes)));
        /* failure: memory unchanged, Rs = old */
        tm_wr(m, DATA_PA + 0x60, 8, mem);
        tm_setx(m, 0, 2, (mem & ones(bytes)) ^ 1);
        tm_run(m, &insn, 1);
        assert_int_equal(tm_x(m, 0, 2), mem & ones(bytes));
        assert_int_equal(tm_rd(m, DATA_PA + 0x60, 8), mem);
    }
}

/* CASP of W and X pairs: Rs/Rt at the lower address. */
static void test_casp(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0x80, 8, 0x1111111111111111ull);
    tm_wr(m, DATA_PA + 0x88, 8, 0x2222222222222222ull);
    tm_setx(m, 0, 1, DATA_PA + 0x80);
    tm_setx(m, 0, 4, 0x1111111111111111ull);
    tm_setx(m, 0, 5, 0x2222222222222222ull);
    tm_setx(m, 0, 6, 0xaaaa);
    tm_setx(m, 0, 7, 0xbbbb);
    uint32_t insn = enc_casp(1, 1, 1, 4, 1, 6);      /* caspal x4, x5, x6, x7, [x1] */
    tm_run(m, &insn, 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x80, 8), 0xaaaa);
    assert_int_equal(tm_rd(m, DATA_PA + 0x88, 8), 0xbbbb);
    assert_int_equal(tm_x(m, 0, 4), 0x1111111111111111ull);
    assert_int_equal(tm_x(m, 0, 5), 0x2222222222222222ull);
    /* failure: the second word differs */
    tm_setx(m, 0, 4, 0xaaaa);
    tm_setx(m, 0, 5, 0xbbbc);
    tm_run(m, &insn, 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x80, 8), 0xaaaa);
    assert_int_equal(tm_rd(m, DATA_PA + 0x88, 8), 0xbbbb);
    assert_int_equal(tm_x(m, 0, 5), 0xbbbb);
    /* 32-bit pair */
    tm_wr(m, DATA_PA + 0x90, 8, 0x4444444433333333ull);
    tm_setx(m, 0, 2, DATA_PA + 0x90);
    tm_setx(m, 0, 8, 0xffffffff33333333ull);
    tm_setx(m, 0, 9, 0x44444444ull);
    tm_setx(m, 0, 10, 0x12345678ull);
    tm_setx(m, 0, 11, 0x9abcdef0ull);
    insn = enc_casp(0, 0, 0, 8, 2, 10);              /* casp w8, w9, w10, w11, [x2] */
    tm_run(m, &insn, 1);
    assert_int_equal(tm_rd(m, DATA_PA + 0x90, 8), 0x9abcdef012345678ull);
    assert_int_equal(tm_x(m, 0, 8), 0x33333333ull);
    assert_int_equal(tm_x(m, 0, 9), 0x44444444ull);
}

/* LDAPR{B,H,,X} (FEAT_LRCPC) load like LDAR. */
static void test_ldapr(void **state)
{
    (void)state;
    tm_wr(m, DATA_PA + 0xa0, 8, 0xfedcba9876543210ull);
    tm_setx(m, 0, 1, DATA_PA + 0xa0);
    uint32_t code[] = { enc_ldapr(0, 1, 2), enc_ldapr(1, 1, 3), enc_ldapr(2, 1, 4),
                        enc_ldapr(3, 1, 5) };
    tm_run(m, code, 4);
    assert_int_equal(tm_x(m, 0, 2), 0x10);
    assert_int_equal(tm_x(m, 0, 3), 0x3210);
    assert_int_equal(tm_x(m, 0, 4), 0x76543210);
    assert_int_equal(tm_x(m, 0, 5), 0xfedcba9876543210ull);
}

/* Atomics must be aligned (alignment fault, DFSC 0b100001, ISV = 0); the
 * fault would be generated by the read, so WnR = 0 (Arm ARM D17.2.37,
 * ESR_ELx.WnR for atomic instructions). CASP needs Rs, Rt even, else
 * UNDEFINED. */
static void test_atomic_faults(void **state)
{
    (void)state;
    tm_setx(m, 0, 1, DATA_PA + 0xc4);
    tm_wr(m, DATA_PA + 0xc0, 8, 0x1234);
    tm_expect_fault(m, enc_atomic(3, 0, 0, 2, 0, OP_ADD, 1, 3), ESR_DABT_CUR(DFSC_ALIGN), true,
                    DATA_PA + 0xc4);
    tm_setx(m, 0, 1, DATA_PA + 0xc1);
    tm_expect_fault(m, enc_cas(1, 0, 0, 2, 1, 3), ESR_DABT_CUR(DFSC_ALIGN), true, DATA_PA + 0xc1);
    tm_expect_fault(m, enc_atomic(2, 1, 1, 2, 1, 0, 1, 3), ESR_DABT_CUR(DFSC_ALIGN), true,
                    DATA_PA + 0xc1);
    tm_setx(m, 0, 1, DATA_PA + 0xc8);                 /* 8- but not 16-aligned */
    tm_expect_fault(m, enc_casp(1, 0, 0, 4, 1, 6), ESR_DABT_CUR(DFSC_ALIGN), true, DATA_PA + 0xc8);
    assert_int_equal(tm_rd(m, DATA_PA + 0xc0, 8), 0x1234);
    tm_setx(m, 0, 1, DATA_PA + 0xc0);
    tm_expect_fault(m, enc_casp(1, 0, 0, 5, 1, 6), ESR_IL, false, 0);   /* odd Rs */
    tm_expect_fault(m, enc_casp(0, 0, 0, 4, 1, 7), ESR_IL, false, 0);   /* odd Rt */
    /* an unmapped PA: synchronous external abort on the read (WnR = 0) */
    tm_setx(m, 0, 1, 0x10000000ull);
    tm_expect_fault(m, enc_atomic(3, 0, 0, 2, 0, OP_ADD, 1, 3), ESR_DABT_CUR(0x10), true,
                    0x10000000ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ldop_all),
        cmocka_unit_test(test_st_alias),
        cmocka_unit_test(test_swp),
        cmocka_unit_test(test_cas),
        cmocka_unit_test(test_casp),
        cmocka_unit_test(test_ldapr),
        cmocka_unit_test(test_atomic_faults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
