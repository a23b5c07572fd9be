/*
 * Machine snapshots (src/core/snapshot.c, docs/snapshots.md):
 *  - a machine restored from a snapshot and run on is the machine that never
 *    stopped: same registers, counters, memory, and a second snapshot of
 *    both is byte-identical (so every saved field round-trips);
 *  - a refused snapshot leaves the machine unchanged (its snapshot is the
 *    same bytes before and after): truncated, flipped byte, another
 *    configuration, another version, unknown / missing / duplicated
 *    section, trailing bytes, and a corrupt last section after valid ones
 *    (the dry validation pass).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zstd.h>

#include "arm83emu/arm83emu.h"
#include "core/machine.h"
#include "core/snapshot.h"

#define PROG_PA 0x40000000ull
#define DATA_OFF 0x1000u

/* x1 = 0x40000000; loop: x0 += 1; [x1 + 0x1000] = x0; b loop */
static const uint32_t prog[] = {
    0xD2A80001,   /* MOVZ X1, #0x4000, LSL #16 */
    0x91000400,   /* ADD X0, X0, #1 */
    0xF9080020,   /* STR X0, [X1, #0x1000] */
    0x17FFFFFE,   /* B .-8 */
};

static a83_machine *make(unsigned ncpus)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.ram_size = 16u << 20;
    cfg.virtualization = true;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    assert_int_equal(machine_phys_write(m, PROG_PA, prog, sizeof prog), A83_OK);
    assert_int_equal(a83_reg_write(m, 0, A83_REG_PC, PROG_PA), A83_OK);
    return m;
}

static void run(a83_machine *m, uint64_t n)
{
    a83_stop_reason why;
    assert_int_equal(a83_run(m, n, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
}

static void save(a83_machine *m, uint8_t **buf, size_t *len)
{
    assert_int_equal(a83_snapshot_save_mem(m, (void **)buf, len), A83_OK);
    assert_true(*len > 96);
}

static uint64_t mem64(a83_machine *m, uint64_t pa)
{
    uint64_t v;
    memcpy(&v, m->ram.host + (pa - m->ram.base), 8);
    return v;
}

static void test_restore_equals_never_stopped(void **s)
{
    (void)s;
    a83_machine *a = make(1), *b = make(1);
    run(a, 1001);
    uint8_t *snap;
    size_t len;
    save(a, &snap, &len);
    run(a, 5000);
    /* b ran nothing of its own: the load replaces its state */
    assert_int_equal(a83_snapshot_load_mem(b, snap, len), A83_OK);
    run(b, 5000);
    uint64_t xa, xb, pa, pb, ia, ib, ca, cb;
    a83_reg_read(a, 0, A83_REG_X0, &xa);
    a83_reg_read(b, 0, A83_REG_X0, &xb);
    a83_reg_read(a, 0, A83_REG_PC, &pa);
    a83_reg_read(b, 0, A83_REG_PC, &pb);
    a83_cpu_counters(a, 0, &ia, &ca);
    a83_cpu_counters(b, 0, &ib, &cb);
    assert_int_equal(xa, xb);
    assert_int_equal(xa, 2000);   /* 6001 instructions: 1 MOVZ, then 3 per round */
    assert_int_equal(pa, pb);
    assert_int_equal(ia, 6001);
    assert_int_equal(ib, ia);
    assert_int_equal(cb, ca);
    assert_int_equal(mem64(b, PROG_PA + DATA_OFF), xa);
    uint8_t *sa, *sb;
    size_t la, lb;
    save(a, &sa, &la);
    save(b, &sb, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(sa, sb, la);
    free(sa);
    free(sb);
    free(snap);
    a83_machine_destroy(a);
    a83_machine_destroy(b);
}

/* Loads buf into m expecting err; m's snapshot must not change. */
static void refused(a83_machine *m, const void *buf, size_t len, a83_err err, const char *msg_part)
{
    uint8_t *before, *after;
    size_t lb, la;
    save(m, &before, &lb);
    assert_int_equal(a83_snapshot_load_mem(m, buf, len), err);
    assert_non_null(strstr(a83_last_error(m), msg_part));
    save(m, &after, &la);
    assert_int_equal(la, lb);
    assert_memory_equal(before, after, la);
    free(before);
    free(after);
}

static void refused_payload(a83_machine *m, const uint8_t *p, size_t len, const char *msg_part)
{
    uint8_t *before, *after;
    size_t lb, la;
    save(m, &before, &lb);
    assert_int_equal(snapshot_load_payload(m, p, len), A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), msg_part));
    save(m, &after, &la);
    assert_int_equal(la, lb);
    assert_memory_equal(before, after, la);
    free(before);
    free(after);
}

static void test_refused_files_change_nothing(void **s)
{
    (void)s;
    a83_machine *a = make(1), *m = make(1);
    run(a, 777);
    uint8_t *snap;
    size_t len;
    save(a, &snap, &len);
    run(m, 333);   /* m's own, different state */

    refused(m, snap, len - 1, A83_ERR_FORMAT, "truncated");
    refused(m, snap, 40, A83_ERR_FORMAT, "truncated");
    uint8_t *bad = malloc(len);
    memcpy(bad, snap, len);
    bad[96 + (len - 96) / 2] ^= 0x10;          /* inside the zstd frame */
    refused(m, bad, len, A83_ERR_FORMAT, "corrupt");
    memcpy(bad, snap, len);
    bad[80] ^= 1;                              /* the checksum itself */
    refused(m, bad, len, A83_ERR_FORMAT, "bad checksum");
    memcpy(bad, snap, len);
    bad[16] = '7';                             /* the version tag */
    refused(m, bad, len, A83_ERR_UNSUPPORTED, "written by arm83emu 7");
    memcpy(bad, snap, len);
    bad[8] = 9;                                /* the format version */
    refused(m, bad, len, A83_ERR_UNSUPPORTED, "format version 9");
    memcpy(bad, snap, len);
    bad[0] = 'X';
    refused(m, bad, len, A83_ERR_FORMAT, "bad magic");
    free(bad);
    /* another configuration: 2 CPUs */
    a83_machine *two = make(2);
    refused(two, snap, len, A83_ERR_CONFIG, "another machine configuration");
    a83_machine_destroy(two);

    /* Payload-level damage (past the checksum): the decompressed sections. */
    size_t plen = (size_t)ZSTD_getFrameContentSize(snap + 96, len - 96);
    uint8_t *p = malloc(plen + 64);
    assert_int_equal(ZSTD_decompress(p, plen, snap + 96, len - 96), plen);
    assert_int_equal(snapshot_load_payload(m, p, plen), A83_OK);   /* as is: fine */
    a83_machine_destroy(m);
    m = make(1);
    run(m, 333);
    /* the sections' offsets */
    size_t off[16], n = 0;
    for (size_t pos = 0; pos < plen && n < 16;) {
        off[n++] = pos;
        uint64_t l;
        memcpy(&l, p + pos + 4, 8);
        pos += 12 + l;
    }
    assert_true(n >= 9);
    uint8_t *q = malloc(plen + 64);
    memcpy(q, p, plen);
    memcpy(q + off[1], "ZZZZ", 4);                          /* unknown tag */
    refused_payload(m, q, plen, "unknown section 'ZZZZ'");
    memcpy(q, p, plen);
    refused_payload(m, q, off[n - 1], "missing");           /* last section dropped */
    memcpy(q, p, plen);
    memcpy(q + off[2], q + off[1], 4);                      /* a tag twice */
    refused_payload(m, q, plen, "twice");
    /* trailing byte in the last section (the scheduler) */
    memcpy(q, p, plen);
    uint64_t l;
    memcpy(&l, q + off[n - 1] + 4, 8);
    l++;
    memcpy(q + off[n - 1] + 4, &l, 8);
    q[plen] = 0;
    refused_payload(m, q, plen + 1, "left over");
    /* a corrupt value in the last section, after valid memory and CPU
     * sections that differ from m's state: the dry pass refuses it before
     * anything is applied (round CPU out of range) */
    memcpy(q, p, plen);
    size_t cpu_field = off[n - 1] + 12 + 8 + 1 + 1 + 1;
    q[cpu_field] = 5;
    refused_payload(m, q, plen, "round CPU");
    /* a boolean byte that is not 0 or 1 (booted) */
    memcpy(q, p, plen);
    q[off[n - 1] + 12 + 8] = 2;
    refused_payload(m, q, plen, "boolean");
    free(q);
    free(p);
    free(snap);
    a83_machine_destroy(a);
    a83_machine_destroy(m);
}

/* A run split by a83_run()'s instruction limit inside a scheduling round
 * resumes that round: the split run equals the unsplit one (2 CPUs). */
static void test_split_run_equals_unsplit(void **s)
{
    (void)s;
    a83_machine *a = make(2), *b = make(2);
    /* CPU 1 runs the same loop (PSCI is not needed: power it directly) */
    for (unsigned i = 0; i < 2; i++) {
        a83_machine *m = i ? b : a;
        m->cpu[1]->powered = true;
        assert_int_equal(a83_reg_write(m, 1, A83_REG_PC, PROG_PA), A83_OK);
    }
    run(a, 100000);
    for (unsigned k = 0; k < 100; k++)
        run(b, 1000);
    for (unsigned c = 0; c < 2; c++) {
        uint64_t ia, ib, ca, cb;
        a83_cpu_counters(a, c, &ia, &ca);
        a83_cpu_counters(b, c, &ib, &cb);
        assert_int_equal(ia, ib);
        assert_int_equal(ca, cb);
    }
    assert_int_equal(a83_now(a), a83_now(b));
    a83_machine_destroy(a);
    a83_machine_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restore_equals_never_stopped),
        cmocka_unit_test(test_refused_files_change_nothing),
        cmocka_unit_test(test_split_run_equals_unsplit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
