/*
 * The cycle model's profile loader (docs/timing.md): every documented key
 * lands in its parameter; unknown keys and bad values are rejected with the
 * line named, leaving the profile unchanged.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/machine.h"
#include "timing/timing.h"

static const char *write_tmp(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/a83-timing-%d.ini", (int)getpid());
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_defaults(void **s)
{
    (void)s;
    TimingModel t;
    timing_default(&t);
    assert_int_equal(t.cls_cost[CLS_INT], 1);
    assert_int_equal(t.cls_cost[CLS_LOAD], 4);
    assert_int_equal(t.cls_cost[CLS_DIV], 12);
    assert_int_equal(t.exc_entry, 40);
    assert_int_equal(t.walk_fetch, 20);
}

static void test_load(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    const char *p = write_tmp("; a profile\n[instructions]\nint = 2\nload = 7\nfp_div=30\n"
                              "[exceptions]\nentry = 123\nreturn = 45\n"
                              "[memory]\nwalk_fetch = 9\ntlb_miss=0x10\n[sysregs]\ngic = 77\n");
    assert_int_equal(a83_timing_load(m, p), A83_OK);
    assert_int_equal(m->timing.cls_cost[CLS_INT], 2);
    assert_int_equal(m->timing.cls_cost[CLS_LOAD], 7);
    assert_int_equal(m->timing.cls_cost[CLS_FP_DIV], 30);
    assert_int_equal(m->timing.cls_cost[CLS_STORE], 1);   /* untouched */
    assert_int_equal(m->timing.exc_entry, 123);
    assert_int_equal(m->timing.exc_return, 45);
    assert_int_equal(m->timing.walk_fetch, 9);
    assert_int_equal(m->timing.tlb_miss, 16);
    assert_int_equal(m->timing.sysreg_cost[SRC_GIC], 77);
    assert_int_equal(timing_class_cost(m, CLS_LOAD), 7);
    unlink(p);
    a83_machine_destroy(m);
}

static void test_errors(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    const char *p = write_tmp("[instructions]\nint = 5\nbogus = 3\n");
    assert_int_equal(a83_timing_load(m, p), A83_ERR_CONFIG);
    assert_non_null(strstr(a83_last_error(m), ":3:"));
    assert_non_null(strstr(a83_last_error(m), "bogus"));
    assert_int_equal(m->timing.cls_cost[CLS_INT], 1);      /* unchanged on error */
    p = write_tmp("[instructions]\nload = -4\n");
    assert_int_equal(a83_timing_load(m, p), A83_ERR_CONFIG);
    p = write_tmp("[instructions]\nload = 70000\n");
    assert_int_equal(a83_timing_load(m, p), A83_ERR_CONFIG);
    p = write_tmp("[memory]\nwalk_fetch = 12abc\n");
    assert_int_equal(a83_timing_load(m, p), A83_ERR_CONFIG);
    unlink(p);
    assert_int_equal(a83_timing_load(m, "/nonexistent/profile.ini"), A83_ERR_IO);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_load),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
