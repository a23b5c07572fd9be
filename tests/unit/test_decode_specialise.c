/*
 * Decode-time specialisation (docs/performance.md): the shifted-register
 * add/subtract and logical forms, EXTR, ADD/SUB (immediate) and the
 * register-offset loads/stores have one handler per operand form. These
 * tests check that every form of one instruction keeps its name and timing
 * class (Tarmac and the cycle model see no difference), that distinct forms
 * get distinct handlers, and that the reserved forms still decode to the
 * instruction's catch-all entry (whose handler is UNDEFINED, checked by the
 * execution tests test_dp_reg_exec, test_dp_imm_exec and test_ldst_single).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/decode.h"

static const DecodePattern *look(const Decoder *d, uint32_t insn)
{
    const DecodePattern *p = decoder_lookup(d, insn);
    assert_non_null(p);
    return p;
}

/* C6.2.5 ADD (shifted register): sf 0 0 01011 shift 0 Rm imm6 Rn Rd;
 * shift = '11' is reserved. */
static void test_add_sr_forms(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    assert_non_null(d);
    const DecodePattern *lsl_x = look(d, 0x8b020020);   /* add x0, x1, x2 */
    const DecodePattern *asr_x = look(d, 0x8b822020);   /* add x0, x1, x2, asr #8 */
    const DecodePattern *lsl_w = look(d, 0x0b020020);   /* add w0, w1, w2 */
    const DecodePattern *ror_x = look(d, 0x8bc20020);   /* shift '11': reserved */
    const DecodePattern *all[] = { lsl_x, asr_x, lsl_w, ror_x };
    for (unsigned i = 0; i < 4; i++) {
        assert_string_equal(all[i]->name, "ADD_sr");
        assert_int_equal(all[i]->cls, CLS_INT);
        for (unsigned j = 0; j < i; j++)
            assert_ptr_not_equal(all[i]->fn, all[j]->fn);
    }
    decoder_destroy(d);
}

/* C6.2.100 EXTR: sf 00 100111 N 0 Rm imms Rn Rd; N != sf is UNDEFINED. */
static void test_extr_forms(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    assert_non_null(d);
    const DecodePattern *x = look(d, 0x93c34485);       /* extr x5, x4, x3, #17 */
    const DecodePattern *w = look(d, 0x13834485);       /* extr w5, w4, w3, #17 */
    const DecodePattern *bad = look(d, 0x93834485);     /* sf = 1, N = 0 */
    assert_string_equal(x->name, "EXTR");
    assert_string_equal(w->name, "EXTR");
    assert_string_equal(bad->name, "EXTR");
    assert_ptr_not_equal(x->fn, w->fn);
    assert_ptr_not_equal(bad->fn, x->fn);
    assert_ptr_not_equal(bad->fn, w->fn);
    decoder_destroy(d);
}

/* C6.2.132 LDR (register): size 111 0 00 01 1 Rm option S 10 Rn Rt;
 * option<1> = 0 is unallocated. */
static void test_ldr_reg_forms(void **state)
{
    (void)state;
    Decoder *d = decoder_create();
    assert_non_null(d);
    const DecodePattern *lsl = look(d, 0xf8627820);     /* ldr x0, [x1, x2, lsl #3] */
    const DecodePattern *sxtw = look(d, 0xf862d820);    /* ldr x0, [x1, w2, sxtw #3] */
    const DecodePattern *bad = look(d, 0xf8620820);     /* option 000 */
    assert_string_equal(lsl->name, "LDST_reg_31");
    assert_string_equal(sxtw->name, "LDST_reg_31");
    assert_string_equal(bad->name, "LDST_reg_31");
    assert_int_equal(lsl->cls, CLS_LOAD);
    assert_int_equal(bad->cls, CLS_LOAD);
    assert_ptr_not_equal(lsl->fn, sxtw->fn);
    assert_ptr_not_equal(lsl->fn, bad->fn);
    decoder_destroy(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_sr_forms),
        cmocka_unit_test(test_extr_forms),
        cmocka_unit_test(test_ldr_reg_forms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
