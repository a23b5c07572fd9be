/*
 * Debugger memory access by virtual address (arm83emu/debug.h) with the
 * stage-1 MMU on: a83_va_to_pa/a83_va_read/a83_va_write follow the EL1&0
 * regime's tables (Arm ARM D8 AArch64.TranslateAddress), use the
 * privileged view (a page only EL0 may touch is readable with PSTATE.PAN
 * set, D8.4.1.2 / FEAT_PAN), fault nothing, and charge no cycles or walk
 * fetches; a page with AF = 0 (D8.4.5) and an unmapped VA are refused.
 */
#include "mmu_test_util.h"
#include "arm83emu/debug.h"

#define POOL (RAM + 0x200000)

static void test_va_s1(void **state)
{
    (void)state;
    a83_machine *m = mk_machine(1);
    CPUState *c = m->cpu[0];
    PT p;
    pt_init(&p, m, POOL, 12, 48, 0);
    pt_map(&p, 0x0000123456789000ull, 0x40a00000, 3, D_AF | D_IDX(0));
    pt_map(&p, 0x000012345678a000ull, 0x40a01000, 3, D_AF | D_IDX(0) | D_AP_RW_ALL);
    pt_map(&p, 0x000012345678b000ull, 0x40a02000, 3, D_IDX(0));   /* AF = 0 */
    s1_enable(c, TCR_T0SZ(16) | TCR_TG0_4K | TCR_IPS(5) | TCR_T1SZ(16) | TCR_TG1_4K, p.root, 0);
    uint64_t v = 0x1122334455667788ull, r = 0, pa = 0;
    wr64(m, 0x40a00ff8, v);
    uint64_t cyc0 = c->cycles, walks0 = c->walk_fetches;
    assert_int_equal(a83_va_to_pa(m, 0, 0x0000123456789ff8ull, &pa), A83_OK);
    assert_int_equal(pa, 0x40a00ff8);
    assert_int_equal(a83_va_read(m, 0, 0x0000123456789ff8ull, &r, 8, NULL), A83_OK);
    assert_int_equal(r, v);
    /* across the page boundary into the next page (another PA) */
    uint8_t b[16] = { 0 }, w[16];
    for (int i = 0; i < 16; i++)
        w[i] = (uint8_t)(0xa0 + i);
    assert_int_equal(a83_va_write(m, 0, 0x0000123456789ff8ull, w, 16, NULL), A83_OK);
    assert_int_equal(rd64(m, 0x40a01000), 0xafaeadacabaaa9a8ull);
    assert_int_equal(a83_va_read(m, 0, 0x0000123456789ff8ull, b, 16, NULL), A83_OK);
    assert_memory_equal(b, w, 16);
    /* PSTATE.PAN = 1: an EL1 load of the EL0 page would fault; the debugger reads it */
    c->pan = 1;
    cpu_update_mmu_context(c);
    assert_int_equal(a83_va_to_pa(m, 0, 0x000012345678a010ull, &pa), A83_OK);
    assert_int_equal(pa, 0x40a01010);
    /* AF = 0 and an unmapped VA: refused, nothing raised */
    assert_int_equal(a83_va_to_pa(m, 0, 0x000012345678b000ull, &pa), A83_ERR_UNMAPPED);
    size_t done = 7;
    assert_int_equal(a83_va_read(m, 0, 0x0000123456789ffcull, b, 8, &done), A83_OK);
    assert_int_equal(a83_va_read(m, 0, 0x000012345678c000ull, b, 8, &done), A83_ERR_UNMAPPED);
    assert_int_equal(done, 0);
    assert_int_equal(c->el, 1);   /* no exception was taken */
    assert_int_equal(c->cycles, cyc0);
    assert_int_equal(c->walk_fetches, walks0);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_va_s1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
