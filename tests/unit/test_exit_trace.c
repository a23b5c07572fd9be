/*
 * Exit-trace round trip (issue 8): records written through the recorder,
 * read back with the reader, every field equal; plain and zstd files;
 * digests identical for identical record streams and different otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>

#include "arm83emu/trace.h"
#include "core/machine.h"
#include "trace/trace.h"

static void make_records(a83_machine *m, unsigned n)
{
    CPUState *c = m->cpu[0];
    for (unsigned i = 0; i < n; i++) {
        c->cycles = 1000 + 37 * i;
        c->x[0] = 0xC4000003ull + i;
        c->x[1] = i;
        c->sr[SR_ESR_EL2] = (0x16ull << 26) | (1u << 25) | (i & 0xffff);
        c->sr[SR_FAR_EL2] = 0x1000 * i;
        c->sr[SR_HPFAR_EL2] = i << 4;
        c->sr[SR_ELR_EL2] = 0x40080000 + 4 * i;
        c->sr[SR_VTTBR_EL2] = (uint64_t)(i % 3) << 48;
        trace_exit_entry(c, 1, A83_VEC_SYNC, c->cycles);
        c->cycles += 250 + i;
        trace_exit_return(c, 1, 0x40080004 + 4 * i);
    }
}

static void roundtrip(const char *path)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(a83_exit_trace_open(m, path), A83_OK);
    assert_int_equal(a83_exit_trace_open(m, path), A83_ERR_STATE);
    make_records(m, 500);
    assert_int_equal(a83_exit_trace_close(m), A83_OK);
    a83_exit_reader *rd;
    assert_int_equal(a83_exit_reader_open(path, &rd), A83_OK);
    uint32_t ncpus;
    uint64_t hz;
    a83_exit_reader_info(rd, &ncpus, &hz);
    assert_int_equal(ncpus, 1);
    assert_int_equal(hz, cfg.cpu_hz);
    a83_exit_record r;
    for (unsigned i = 0; i < 500; i++) {
        assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
        assert_int_equal(r.seq, 2 * i);
        assert_int_equal(r.kind, A83_EXIT_ENTRY);
        assert_int_equal(r.cycle, 1000 + 37 * i);
        assert_int_equal(r.esr, (0x16ull << 26) | (1u << 25) | (i & 0xffff));
        assert_int_equal(r.far, 0x1000 * i);
        assert_int_equal(r.hpfar, (uint64_t)i << 4);
        assert_int_equal(r.elr, 0x40080000 + 4 * i);
        assert_int_equal(r.x0, 0xC4000003ull + i);
        assert_int_equal(r.x1, i);
        assert_int_equal(r.vmid, i % 3);
        assert_int_equal(r.from_el, 1);
        assert_int_equal(r.to_el, 2);
        assert_int_equal(r.level, 1);
        assert_int_equal(r.intid, 1023);
        assert_int_equal(a83_exit_reader_next(rd, &r), A83_OK);
        assert_int_equal(r.seq, 2 * i + 1);
        assert_int_equal(r.kind, A83_EXIT_RETURN);
        assert_int_equal(r.spent, 250 + i);
        assert_int_equal(r.elr, 0x40080004 + 4 * i);
        assert_int_equal(r.from_el, 2);
        assert_int_equal(r.to_el, 1);
    }
    assert_int_equal(a83_exit_reader_next(rd, &r), A83_ERR_RANGE);
    a83_exit_reader_close(rd);
    a83_machine_destroy(m);
    unlink(path);
}

static void test_roundtrip_plain(void **s) { (void)s; roundtrip("/tmp/a83-test-exit.trace"); }
static void test_roundtrip_zstd(void **s) { (void)s; roundtrip("/tmp/a83-test-exit.trace.zst"); }

static void test_bad_file(void **s)
{
    (void)s;
    FILE *f = fopen("/tmp/a83-test-bad.trace", "wb");
    fputs("not a trace at all, really", f);
    fclose(f);
    a83_exit_reader *rd;
    assert_int_equal(a83_exit_reader_open("/tmp/a83-test-bad.trace", &rd), A83_ERR_FORMAT);
    assert_int_equal(a83_exit_reader_open("/nonexistent/x.trace", &rd), A83_ERR_IO);
    unlink("/tmp/a83-test-bad.trace");
}

static uint64_t digest_of(unsigned n, uint8_t console_byte)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    a83_exit_trace_enable(m, true);
    make_records(m, n);
    machine_console_out(m, console_byte);
    uint64_t d1, d2;
    a83_digests(m, &d1, &d2);
    a83_machine_destroy(m);
    return d1 ^ (d2 * 3);
}

static void test_digest(void **s)
{
    (void)s;
    assert_int_equal(digest_of(10, 'a'), digest_of(10, 'a'));
    assert_int_not_equal(digest_of(10, 'a'), digest_of(11, 'a'));
    assert_int_not_equal(digest_of(10, 'a'), digest_of(10, 'b'));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_plain),
        cmocka_unit_test(test_roundtrip_zstd),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
