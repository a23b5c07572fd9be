/*
 * The cycle model adds up (issue 8, docs/timing.md): for a fixed bare-metal
 * sequence the CPU's cycle count equals the sum of the documented costs of
 * what it executed: per-class instruction costs only, with the MMU off:
 * no translation regime is in use, so no TLB is involved and the TLB model
 * charges nothing (docs/timing.md "TLB model"; tlb_miss and walk_fetch are
 * set huge so that a charge would show).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

#define CODE 0x40080000ull
#define DATA 0x40200000ull

static void test_sum(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    char path[64];
    snprintf(path, sizeof path, "/tmp/a83-sum-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("[instructions]\nint = 2\nmul = 7\ndiv = 11\nload = 5\nstore = 3\nbranch = 13\n"
          "[memory]\ntlb_miss = 100\nwalk_fetch = 1000\n", f);
    fclose(f);
    assert_int_equal(a83_timing_load(m, path), A83_OK);
    unlink(path);
    const uint32_t code[] = {
        0x91000400, /* add  x0, x0, #1     int   2 */
        0x91000400, /* add  x0, x0, #1     int   2 */
        0x9b027c21, /* mul  x1, x1, x2     mul   7 */
        0x9ac40c63, /* sdiv x3, x3, x4     div  11 */
        0xf94000c5, /* ldr  x5, [x6]       load  5 (MMU off: no TLB cost) */
        0xf94004c7, /* ldr  x7, [x6, #8]   load  5 */
        0xf90008c5, /* str  x5, [x6, #16]  store 3 (the read's fill covers writes) */
        0xf9000cc7, /* str  x7, [x6, #24]  store 3 */
        0x14000001, /* b    .+4            branch 13 */
        0x91000400, /* add  x0, x0, #1     int   2 */
        0x14000000, /* b    .              (not executed: the run stops before it) */
    };
    assert_int_equal(a83_phys_write(m, CODE, code, sizeof code), A83_OK);
    a83_reg_write(m, 0, A83_REG_PC, CODE);
    a83_reg_write(m, 0, A83_REG_X0 + 6, DATA);
    a83_reg_write(m, 0, A83_REG_X0 + 4, 3);
    uint64_t c0, i0, c1, i1;
    a83_cpu_counters(m, 0, &i0, &c0);
    assert_int_equal(a83_run(m, 10, NULL), A83_OK);
    a83_cpu_counters(m, 0, &i1, &c1);
    assert_int_equal(i1 - i0, 10);
    uint64_t want = 2 + 2 + 7 + 11 + 5 + 5 + 3 + 3 + 13 + 2;  /* instruction classes */
    assert_int_equal(c1 - c0, want);
    a83_machine_destroy(m);
}

/* The cache tag models (timing/cache.c): L1D of 2 sets x 2 ways of 64-byte
 * lines, so lines 0, 2 and 4 of the data page share set 0. Loads of lines
 * 0, 2, 4 miss to memory (4 evicts 0, the least recently used), line 0
 * again misses L1 but hits L2, line 4 again hits L1. The code (6 words,
 * one line) misses once to memory through the L1I. */
static void test_cache(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    char path[64];
    snprintf(path, sizeof path, "/tmp/a83-cache-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs("[instructions]\nint = 2\nload = 5\n[memory]\ntlb_miss = 1000\n"
          "[cache]\nenabled = 1\nline = 64\nl1i_size = 1024\nl1i_ways = 2\n"
          "l1d_size = 256\nl1d_ways = 2\nl2_size = 65536\nl2_ways = 4\nl2_hit = 10\nmemory = 100\n", f);
    fclose(f);
    assert_int_equal(a83_timing_load(m, path), A83_OK);
    /* a geometry without a power-of-two number of sets is rejected */
    f = fopen(path, "w");
    fputs("[cache]\nenabled = 1\nl1d_size = 3000\n", f);
    fclose(f);
    assert_int_equal(a83_timing_load(m, path), A83_ERR_CONFIG);
    unlink(path);
    const uint32_t code[] = {
        0xf94000c5, /* ldr x5, [x6]        line 0: miss, memory */
        0xf94040c5, /* ldr x5, [x6, #128]  line 2: miss, memory */
        0xf94080c5, /* ldr x5, [x6, #256]  line 4: miss, memory; evicts line 0 */
        0xf94000c5, /* ldr x5, [x6]        line 0: L1 miss, L2 hit */
        0xf94080c5, /* ldr x5, [x6, #256]  line 4: L1 hit */
        0x91000400, /* add x0, x0, #1 */
    };
    assert_int_equal(a83_phys_write(m, CODE, code, sizeof code), A83_OK);
    a83_reg_write(m, 0, A83_REG_PC, CODE);
    a83_reg_write(m, 0, A83_REG_X0 + 6, DATA);
    uint64_t c0, c1;
    a83_cpu_counters(m, 0, NULL, &c0);
    assert_int_equal(a83_run(m, 6, NULL), A83_OK);
    a83_cpu_counters(m, 0, NULL, &c1);
    uint64_t want = 5 * 5 + 2            /* instruction classes */
                    + 0                  /* MMU off: no TLB cost */
                    + 100                /* the code line, L1I and L2 miss */
                    + 3 * 100 + 10 + 0;  /* the data lines */
    assert_int_equal(c1 - c0, want);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_sum), cmocka_unit_test(test_cache) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
