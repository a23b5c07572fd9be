/*
 * Split runs end exactly where the unsplit run ends (docs/snapshots.md
 * "Split runs", docs/gdb.md): a run cut into a83_run() instruction
 * budgets, or saved and restored at an instruction count, executes the
 * same instructions on the same CPUs at the same cycles as the run that
 * never stopped, wherever the cuts fall: also after the instruction that
 * takes a CPU's clock past its round's end but before the end of its block
 * (the turn goes on to the block's end, where the clock is compared with
 * the round's end), and inside a chunk whose budget would have ended the
 * turn (the cut chunk's budget carries over).
 *
 * Nothing here is an Arm ARM rule: the scheduler's rounds are this
 * emulator's (docs/timers.md "Simulated time"); the guest code only needs
 * A64 loads, stores, ADD/EOR, TBZ and B (Arm ARM C6). Each case runs under
 * the interpreter and under the translator (-accel jit).
 *
 * "Same" is checked on machine time, every CPU's counters, PC and general
 * registers and the shared counters in memory after each split run, and
 * on the whole machine (the bytes of a snapshot of the final state:
 * registers, counters, memory, TLB model, scheduler state; all sections
 * but the exit-trace recorder's) after the restored and some sliced runs.
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

/* Three loops that share two counters, so the final registers depend on
 * the interleaving; blocks of several instructions with a 4-cycle load
 * early in each, so round ends fall inside blocks. TBZ not taken continues
 * the block (EXEC_NEXT), taken ends it. */
static const uint32_t prog[] = {
    /* 0x00 CPU 0 */
    0xd2a80001,   /* mov  x1, #0x40000000 */
    0xf9480023,   /* 1: ldr x3, [x1, #4096] */
    0x91000400,   /* add  x0, x0, #1 */
    0xf9080020,   /* str  x0, [x1, #4096] */
    0x8b000063,   /* add  x3, x3, x0 */
    0x17fffffc,   /* b    1b */
    /* 0x18 CPU 1 */
    0xd2a80001,   /* mov  x1, #0x40000000 */
    0xf9480025,   /* 1: ldr x5, [x1, #4096] */
    0xf9480426,   /* ldr  x6, [x1, #4104] */
    0x8b050084,   /* add  x4, x4, x5 */
    0x91000cc6,   /* add  x6, x6, #3 */
    0xf9080426,   /* str  x6, [x1, #4104] */
    0x17fffffb,   /* b    1b */
    /* 0x34 CPU 2 */
    0xd2a80001,   /* mov  x1, #0x40000000 */
    0x91000529,   /* 1: add x9, x9, #1 */
    0xf9480427,   /* ldr  x7, [x1, #4104] */
    0xca070108,   /* eor  x8, x8, x7 */
    0x3617ffa9,   /* tbz  w9, #2, 1b */
    0xf9480027,   /* ldr  x7, [x1, #4096] */
    0x8b070108,   /* add  x8, x8, x7 */
    0x17fffffa,   /* b    1b */
};
static const uint64_t entry[] = { 0x00, 0x18, 0x34 };

/* The documented case (docs/gdb.md, snapshots.md): "1: ldr x3, [x2]; b 1b",
 * a 4-cycle load and a 1-cycle branch, block ends at multiples of 5. */
static const uint32_t ldr_spin[] = { 0xf9400043, 0x17ffffff };

typedef struct Case {
    unsigned ncpus;
    uint32_t quantum;        /* 0: the default */
    uint64_t max_cycles;     /* 0: none */
    uint64_t insns;          /* the run's length in instructions (0: to the cycle limit) */
    bool spin;               /* ldr_spin on CPU 0 instead of prog */
    unsigned step;           /* split points tried: 1, 1 + step, ... (0: every one) */
} Case;

static a83_machine *make(const Case *k, bool jit)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = k->ncpus;
    cfg.ram_size = 2u << 20;
    if (k->quantum)
        cfg.quantum = k->quantum;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    if (jit)
        assert_int_equal(a83_set_accel(m, A83_ACCEL_JIT, 1u << 20), A83_OK);
    if (k->spin) {
        assert_int_equal(a83_phys_write(m, PROG_PA, ldr_spin, sizeof ldr_spin), A83_OK);
        assert_int_equal(a83_reg_write(m, 0, A83_REG_X0 + 2, PROG_PA + 0x1000), A83_OK);
    } else {
        assert_int_equal(a83_phys_write(m, PROG_PA, prog, sizeof prog), A83_OK);
    }
    for (unsigned i = 0; i < k->ncpus; i++) {
        m->cpu[i]->powered = true;   /* no PSCI needed: power them directly */
        assert_int_equal(a83_reg_write(m, i, A83_REG_PC, PROG_PA + entry[i]), A83_OK);
    }
    if (k->max_cycles)
        a83_set_max_cycles(m, k->max_cycles);
    return m;
}

/* Runs m for n more instructions (0: to the cycle limit). */
static void run(a83_machine *m, uint64_t n)
{
    a83_stop_reason why;
    assert_int_equal(a83_run(m, n, &why), A83_OK);
    assert_int_equal(why, A83_STOP_LIMIT);
}

static uint64_t total_insns(a83_machine *m)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < m->ncpus; i++) {
        uint64_t n;
        assert_int_equal(a83_cpu_counters(m, i, &n, NULL), A83_OK);
        t += n;
    }
    return t;
}

/* The run to the case's end from wherever m is. */
static void run_to_end(a83_machine *m, const Case *k)
{
    if (k->insns)
        run(m, k->insns - total_insns(m));
    else
        run(m, 0);
}

typedef struct Final {
    uint8_t *snap;           /* NULL: not taken */
    size_t len;
    uint64_t now;
    uint64_t insns[3], cycles[3], pc[3], x[3][31];
    uint64_t mem[2];         /* the shared counters */
} Final;

static void final_of(a83_machine *m, Final *f, bool snap)
{
    memset(f, 0, sizeof *f);
    if (snap)
        assert_int_equal(a83_snapshot_save_mem(m, (void **)&f->snap, &f->len), A83_OK);
    f->now = a83_now(m);
    for (unsigned i = 0; i < m->ncpus; i++) {
        assert_int_equal(a83_cpu_counters(m, i, &f->insns[i], &f->cycles[i]), A83_OK);
        assert_int_equal(a83_reg_read(m, i, A83_REG_PC, &f->pc[i]), A83_OK);
        for (unsigned r = 0; r < 31; r++)
            assert_int_equal(a83_reg_read(m, i, (a83_reg)(A83_REG_X0 + r), &f->x[i][r]), A83_OK);
    }
    assert_int_equal(a83_phys_read(m, PROG_PA + 0x1000, f->mem, sizeof f->mem), A83_OK);
}

/* Compares two snapshot files section by section; returns true when they
 * are the same, else prints the first section that differs. The exit-trace
 * recorder's section (TRCE) is left out: its digest states keep stale
 * buffer bytes that a restored machine does not have (same digests,
 * different bytes; not scheduler state). */
static bool same_snapshot(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
    size_t pa = (size_t)ZSTD_getFrameContentSize(a + 96, la - 96);
    size_t pb = (size_t)ZSTD_getFrameContentSize(b + 96, lb - 96);
    uint8_t *x = malloc(pa), *y = malloc(pb);
    bool same = x && y && pa == pb && ZSTD_decompress(x, pa, a + 96, la - 96) == pa &&
                ZSTD_decompress(y, pb, b + 96, lb - 96) == pb;
    for (size_t o = 0; same && o < pa;) {
        uint64_t l, l2;
        memcpy(&l, x + o + 4, 8);
        memcpy(&l2, y + o + 4, 8);
        if (l != l2 || o + 12 + l > pa ||
            (memcmp(x + o, "TRCE", 4) && memcmp(x + o, y + o, 12 + l))) {
            size_t d = 0;
            while (d < l && d < l2 && x[o + 12 + d] == y[o + 12 + d])
                d++;
            print_error("snapshot section %.4s differs at byte %zu of %llu\n", (const char *)x + o, d,
                        (unsigned long long)l);
            same = false;
        }
        o += 12 + l;
    }
    free(x);
    free(y);
    return same;
}

/* Checks that m's final state is ref's (the snapshot bytes too when
 * `snap`); `what` and `at` name the split for the message. */
static void same_final(a83_machine *m, const Final *ref, const char *what, uint64_t at, bool snap)
{
    Final f;
    final_of(m, &f, snap);
    if (f.now != ref->now || memcmp(f.cycles, ref->cycles, sizeof f.cycles))
        print_error("%s at %llu: now %llu (cpu0 %llu cycles), unsplit %llu (%llu)\n", what,
                    (unsigned long long)at, (unsigned long long)f.now,
                    (unsigned long long)f.cycles[0], (unsigned long long)ref->now,
                    (unsigned long long)ref->cycles[0]);
    assert_int_equal(f.now, ref->now);
    for (unsigned i = 0; i < m->ncpus; i++) {
        assert_int_equal(f.insns[i], ref->insns[i]);
        assert_int_equal(f.cycles[i], ref->cycles[i]);
        assert_int_equal(f.pc[i], ref->pc[i]);
        assert_memory_equal(f.x[i], ref->x[i], sizeof f.x[i]);
    }
    assert_memory_equal(f.mem, ref->mem, sizeof f.mem);
    if (snap) {
        bool same = same_snapshot(f.snap, f.len, ref->snap, ref->len);
        if (!same)
            print_error("... %s at %llu\n", what, (unsigned long long)at);
        assert_true(same);
        free(f.snap);
    }
}

/* Every split point 1..N-1 of case k: one cut (two a83_run() calls); at
 * every snap_step-th point and the last one also a snapshot at the cut
 * loaded into a fresh machine that runs on (whole-machine comparison);
 * then runs cut into slices of s instructions for s in 1..max_slice. */
static void check_case(const Case *k, bool jit, unsigned snap_step, unsigned max_slice)
{
    a83_machine *m = make(k, jit);
    run_to_end(m, k);
    Final ref;
    final_of(m, &ref, true);
    uint64_t n = total_insns(m);
    a83_machine_destroy(m);
    assert_true(n > 10);
    for (uint64_t at = 1; at < n; at += k->step ? k->step : 1) {
        m = make(k, jit);
        run(m, at);
        assert_int_equal(total_insns(m), at);
        if (at % snap_step == 0 || at == n - 1) {
            void *buf;
            size_t len;
            assert_int_equal(a83_snapshot_save_mem(m, &buf, &len), A83_OK);
            a83_machine *r = make(k, jit);
            assert_int_equal(a83_snapshot_load_mem(r, buf, len), A83_OK);
            free(buf);
            run_to_end(r, k);
            same_final(r, &ref, "snapshot", at, true);
            a83_machine_destroy(r);
        }
        run_to_end(m, k);
        same_final(m, &ref, "split", at, false);
        a83_machine_destroy(m);
    }
    for (uint64_t s = 1; s <= max_slice; s++) {
        m = make(k, jit);
        while (total_insns(m) + s < n)
            run(m, s);
        run_to_end(m, k);
        same_final(m, &ref, "slices", s, s % 8 == 1);
        a83_machine_destroy(m);
    }
    free(ref.snap);
}

/* The documented case: one CPU, cycle limit 1003. The unsplit run stops at
 * the first block end at or past 1003: the branch at 1005 (402
 * instructions). Split after 401 instructions (the load that ends at 1004,
 * past the limit, inside the block) the resumed run goes on to the branch:
 * 1005 as well (it stopped at 1004 before the fix). */
static void test_documented_case(void **s)
{
    (void)s;
    const Case k = { .ncpus = 1, .max_cycles = 1003, .spin = true };
    for (int jit = 0; jit < 2; jit++) {
        a83_machine *m = make(&k, jit);
        run(m, 0);
        assert_int_equal(a83_now(m), 1005);
        assert_int_equal(total_insns(m), 402);
        a83_machine_destroy(m);
        m = make(&k, jit);
        run(m, 401);
        assert_int_equal(a83_now(m), 1004);
        run(m, 0);
        assert_int_equal(a83_now(m), 1005);
        assert_int_equal(total_insns(m), 402);
        a83_machine_destroy(m);
        check_case(&k, jit, 25, 40);
    }
}

/* Three CPUs, short rounds (37 and 100 cycles) and the default round, with
 * and without a cycle limit: every 2nd or 3rd split point, a snapshot at
 * every 97th (interpreter and translator). */
static void test_three_cpus(void **s)
{
    (void)s;
    static const Case cases[] = {
        { .ncpus = 3, .quantum = 37, .insns = 300, .step = 2 },
        { .ncpus = 3, .quantum = 100, .insns = 400, .step = 3 },
        { .ncpus = 3, .quantum = 37, .max_cycles = 701, .step = 2 },
        { .ncpus = 2, .insns = 300, .step = 3 },
        { .ncpus = 1, .quantum = 10, .insns = 200, .step = 2 },
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (int jit = 0; jit < 2; jit++)
            check_case(&cases[i], jit, 97, 12);
}

/* A chunk cut whose budget would have ended the turn inside a block: in a
 * profile where loads cost 0 cycles, the budget of a chunk (the cycles left
 * to the round's end) runs out before the clock reaches the round's end,
 * and the next chunk goes on. The cut chunk's remaining budget must carry
 * over, not be recomputed from the clock at the cut. */
static void test_zero_cost_profile(void **s)
{
    (void)s;
    static const char *profile = "[instructions]\nload = 0\nstore = 0\n";
    const Case k = { .ncpus = 3, .quantum = 23, .insns = 300 };
    char path[] = "/tmp/a83_runsplit_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(profile, f);
    fclose(f);
    for (int jit = 0; jit < 2; jit++) {
        /* make() per run: the profile is set on each machine below */
        a83_machine *m = make(&k, jit);
        assert_int_equal(a83_timing_load(m, path), A83_OK);
        run_to_end(m, &k);
        Final ref;
        final_of(m, &ref, false);
        a83_machine_destroy(m);
        for (uint64_t at = 1; at < k.insns; at += 2) {
            m = make(&k, jit);
            assert_int_equal(a83_timing_load(m, path), A83_OK);
            run(m, at);
            run_to_end(m, &k);
            same_final(m, &ref, "zero-cost split", at, false);
            a83_machine_destroy(m);
        }
    }
    remove(path);
}

/* The scheduler section's layouts (docs/snapshots.md): layout 2 carries
 * the cut chunk; layout 1 (23 bytes, written before it existed) still
 * loads, as a round cut between two chunks, i.e. the resumed run does
 * what the library that wrote it did (the documented case: 1004); a cut
 * chunk without an open round is refused. */
static void test_scheduler_layouts(void **s)
{
    (void)s;
    const Case k = { .ncpus = 1, .max_cycles = 1003, .spin = true };
    a83_machine *m = make(&k, false);
    run(m, 401);
    uint8_t *snap;
    size_t len;
    assert_int_equal(a83_snapshot_save_mem(m, (void **)&snap, &len), A83_OK);
    a83_machine_destroy(m);
    size_t plen = (size_t)ZSTD_getFrameContentSize(snap + 96, len - 96);
    uint8_t *p = malloc(plen);
    assert_non_null(p);
    assert_int_equal(ZSTD_decompress(p, plen, snap + 96, len - 96), plen);
    /* the last section is the scheduler's: find it */
    size_t off = 0, last = 0;
    while (off < plen) {
        uint64_t l;
        memcpy(&l, p + off + 4, 8);
        last = off;
        off += 12 + l;
    }
    assert_int_equal(off, plen);
    assert_memory_equal(p + last, "SCHD", 4);
    uint64_t l;
    memcpy(&l, p + last + 4, 8);
    assert_int_equal(l, 32);
    const uint8_t *body = p + last + 12;
    assert_int_equal(body[9], 1);                /* round open */
    assert_int_equal(body[31], 1);               /* stopped inside the block */

    /* layout 2 as written: the run ends where the unsplit one does */
    m = make(&k, false);
    assert_int_equal(snapshot_load_payload(m, p, plen), A83_OK);
    run(m, 0);
    assert_int_equal(a83_now(m), 1005);
    a83_machine_destroy(m);

    /* layout 1: the same bytes without the cut chunk */
    uint64_t l1 = 23;
    memcpy(p + last + 4, &l1, 8);
    m = make(&k, false);
    assert_int_equal(snapshot_load_payload(m, p, plen - 9), A83_OK);
    run(m, 0);
    assert_int_equal(a83_now(m), 1004);
    a83_machine_destroy(m);
    memcpy(p + last + 4, &l, 8);

    /* a cut chunk without an open round */
    p[last + 12 + 9] = 0;
    m = make(&k, false);
    assert_int_equal(snapshot_load_payload(m, p, plen), A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "without an open round"));
    a83_machine_destroy(m);
    free(p);
    free(snap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documented_case),
        cmocka_unit_test(test_three_cpus),
        cmocka_unit_test(test_zero_cost_profile),
        cmocka_unit_test(test_scheduler_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
