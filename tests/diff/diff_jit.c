/*
 * a83-diff --vs interp: the translator (src/jit, -accel jit) against the
 * interpreter, its reference (issue 16 part 3). Every random sequence of the
 * selected generators runs on two machines, one per engine, from the same
 * state, in the same time slices (a83_run() budgets: one slice of the whole
 * budget, many slices of 1-8 instructions, random ones, so that slices end
 * inside blocks, where the translator must fall back to single
 * instructions, or exactly one translated block per slice). After every slice the harness compares everything the
 * engines must agree on bit for bit: X0-X30, every SP, PC, PSTATE, NZCV,
 * V0-V31, FPCR, FPSR, ELR/ESR/FAR/SPSR_EL1, the data window, the stop
 * reason and the retired-instruction and cycle counters.
 *
 * Differences from the Unicorn mode: sequences may loop ("flow" generator:
 * backward branches), since the budget bounds them; the word after a
 * sequence and every exception vector hold `B .`, so a run that reaches
 * the end or takes an exception (Arm ARM D1.10) spins there, comparably;
 * the code is placed so that it may straddle a page boundary (blocks end at
 * the page end), or with --smc inside the data window, where the
 * generators' stores rewrite it while it runs (self-modifying code).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm83emu/arm83emu.h"
#include "diff.h"

#define MAX_SEQ 64
#define VBAR_ADDR 0x40300000ull
#define B_SELF 0x14000000u           /* B . (imm26 = 0) */
#define SMC_CODE_OFF 0xa00u          /* --smc: code at this offset of the window */

static const char *const sysregs[] = { "ELR_EL1", "ESR_EL1", "FAR_EL1", "SPSR_EL1" };
#define NSYS (sizeof sysregs / sizeof sysregs[0])

/* Everything compared after a slice. */
typedef struct Snap {
    uint64_t r[A83_REG__COUNT];
    uint64_t v[32][2];
    uint64_t sys[NSYS];
    uint64_t insns, cycles;
    a83_stop_reason why;
    uint8_t mem[DIFF_WIN_SIZE];
} Snap;

static a83_machine *make_machine(const DiffOpts *o, a83_accel accel)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    a83_machine *m;
    if (a83_machine_create(&cfg, &m) != A83_OK)
        return NULL;
    a83_err e = a83_set_accel(m, accel, o->jit_cache);
    if (e != A83_OK) {
        fprintf(stderr, "a83-diff: -accel %s: %s\n", accel == A83_ACCEL_JIT ? "jit" : "interp",
                a83_strerror(e));
        a83_machine_destroy(m);
        return NULL;
    }
    static uint32_t vec[0x800 / 4];
    for (size_t i = 0; i < sizeof vec / 4; i++)
        vec[i] = B_SELF;
    a83_phys_write(m, VBAR_ADDR, vec, sizeof vec);
    a83_sysreg_write(m, 0, "VBAR_EL1", VBAR_ADDR);
    a83_sysreg_write(m, 0, "CPACR_EL1", 3u << 20);   /* FPEN = 0b11: FP/AdvSIMD untrapped */
    return m;
}

/* The state (with the window), then the code (inside the window with --smc). */
static void load(a83_machine *m, const State *in, unsigned el, const uint32_t *code, size_t n,
                 uint64_t base)
{
    diff_load_state(m, in, el, base);
    a83_phys_write(m, base, code, (n + 1) * 4);
}

static void snap(a83_machine *m, a83_stop_reason why, Snap *s)
{
    memset(s, 0, sizeof *s);
    for (unsigned r = 0; r < A83_REG__COUNT; r++)
        if (a83_reg_read(m, 0, (a83_reg)r, &s->r[r]) != A83_OK)
            s->r[r] = 0;
    for (unsigned i = 0; i < 32; i++)
        a83_vreg_read(m, 0, i, &s->v[i][0], &s->v[i][1]);
    for (unsigned i = 0; i < NSYS; i++)
        a83_sysreg_read(m, 0, sysregs[i], &s->sys[i]);
    a83_cpu_counters(m, 0, &s->insns, &s->cycles);
    s->why = why;
    a83_phys_read(m, DIFF_WIN_BASE, s->mem, DIFF_WIN_SIZE);
}

static const char *reg_name(unsigned r)
{
    static char buf[8];
    static const char *const names[] = { "sp", "pc", "pstate", "sp_el0", "sp_el1", "sp_el2",
                                         "nzcv", "fpcr", "fpsr" };
    if (r < 31) {
        snprintf(buf, sizeof buf, "x%u", r);
        return buf;
    }
    return r - 31 < sizeof names / sizeof names[0] ? names[r - 31] : "?";
}

/* Prints every difference (interp first); returns whether there was one. */
static int compare(const Snap *i, const Snap *j)
{
    int bad = 0;
#define DIFF1(name, a, b)                                                                        \
    do {                                                                                         \
        if ((a) != (b)) {                                                                        \
            printf("  %-8s interp %016" PRIx64 "  jit %016" PRIx64 "\n", name, (uint64_t)(a),    \
                   (uint64_t)(b));                                                               \
            bad = 1;                                                                             \
        }                                                                                        \
    } while (0)
    for (unsigned r = 0; r < A83_REG__COUNT; r++)
        DIFF1(reg_name(r), i->r[r], j->r[r]);
    for (unsigned k = 0; k < 32; k++)
        if (i->v[k][0] != j->v[k][0] || i->v[k][1] != j->v[k][1]) {
            printf("  v%-7u interp %016" PRIx64 "%016" PRIx64 "  jit %016" PRIx64 "%016" PRIx64 "\n", k,
                   i->v[k][1], i->v[k][0], j->v[k][1], j->v[k][0]);
            bad = 1;
        }
    for (unsigned k = 0; k < NSYS; k++)
        DIFF1(sysregs[k], i->sys[k], j->sys[k]);
    DIFF1("insns", i->insns, j->insns);
    DIFF1("cycles", i->cycles, j->cycles);
    DIFF1("stop", (uint64_t)i->why, (uint64_t)j->why);
#undef DIFF1
    for (unsigned k = 0; k < DIFF_WIN_SIZE; k++)
        if (i->mem[k] != j->mem[k]) {
            printf("  mem[%#x] interp %02x  jit %02x\n", k, i->mem[k], j->mem[k]);
            bad = 1;
            break;
        }
    return bad;
}

/* The next slice: the whole budget, 1-8 instructions, random, or exactly
 * the translated block at the PC (a83_jit_block_len(): the comparison then
 * falls after every block, as lockstep=block does; 1-8 where the PC's page
 * is not in the iTLB yet). */
static uint64_t next_slice(DiffRng *r, unsigned mode, uint64_t left, a83_machine *mj)
{
    uint64_t s, blk = 0;
    switch (mode) {
    case 0: s = left; break;
    case 1: s = 1 + rng_below(r, 8); break;
    case 2: s = 1 + rng_below(r, (uint32_t)left); break;
    default:
        a83_jit_block_len(mj, 0, &blk);
        s = blk ? blk : 1 + rng_below(r, 8);
        break;
    }
    return s < left ? s : left;
}

/* Adds mj's translator counters to the totals and destroys both machines. */
static void retire(a83_machine *mi, a83_machine *mj, uint64_t *blocks, uint64_t *entries)
{
    a83_jit_stats js;
    a83_get_jit_stats(mj, &js);
    *entries += js.entries;
    *blocks += js.blocks;
    a83_machine_destroy(mi);
    a83_machine_destroy(mj);
}

int diff_vs_interp(const DiffOpts *o, const DiffGenerator *const *sel, unsigned nsel)
{
    if (o->len > MAX_SEQ)
        return 2;
    a83_machine *mi = make_machine(o, A83_ACCEL_INTERP), *mj = make_machine(o, A83_ACCEL_JIT);
    if (!mi || !mj) {
        fprintf(stderr, "a83-diff: --vs interp: set-up failed (the translator needs an x86-64 Linux host)\n");
        return 2;
    }
    uint64_t total = 0, seqs = 0, fails = 0, slices = 0, entries = 0, blocks = 0;
    static State in;
    static Snap si, sj;
    uint64_t count = o->count ? o->count : (o->min_insns ? 0 : 1000);
    for (uint64_t k = o->first;; k++) {
        if (count && k - o->first >= count)
            break;
        if (!count && total >= o->min_insns)
            break;
        DiffRng r = { o->seed * 0x9e3779b97f4a7c15ull ^ (k * 0xda942042e4dd58b5ull) };
        DiffRng lay = { r.s ^ 0x5851f42d4c957f2dull };   /* layout and slices: their own stream */
        const DiffGenerator *g = sel[k % nsel];
        DiffEnv env = { .el = o->el >= 0 ? (unsigned)o->el : (unsigned)((k / nsel) & 1),
                        .mem = g->needs_mem, .fp = g->needs_fp };
        uint32_t code[MAX_SEQ + 1];
        size_t n = g->fn(&r, &env, code, o->len);
        if (!n)
            continue;
        code[n] = B_SELF;
        make_state(&r, &in, env.fp);
        uint64_t base = o->smc ? DIFF_WIN_BASE + SMC_CODE_OFF
                               : DIFF_CODE_BASE + 0x1000 - 4 * (uint64_t)rng_below(&lay, (uint32_t)n + 2);
        load(mi, &in, env.el, code, n, base);
        load(mj, &in, env.el, code, n, base);
        uint64_t budget = g->loops ? 8 * n + rng_below(&lay, 64) : n + 1 + rng_below(&lay, 8);
        unsigned mode = rng_below(&lay, 4);
        uint64_t i0, done = 0;
        a83_cpu_counters(mj, 0, &i0, NULL);
        int bad = 0;
        unsigned sl = 0;
        while (done < budget && !bad) {
            uint64_t s = next_slice(&lay, mode, budget - done, mj);
            a83_stop_reason wi = A83_STOP_NONE, wj = A83_STOP_NONE;
            a83_run(mi, s, &wi);
            a83_run(mj, s, &wj);
            snap(mi, wi, &si);
            snap(mj, wj, &sj);
            slices++;
            if (compare(&si, &sj)) {
                bad = 1;
                printf("  (slice %u of %" PRIu64 " instructions, after %" PRIu64 " of the sequence's budget %"
                       PRIu64 ")\n", sl, s, done, budget);
            }
            done += s;
            sl++;
            if (wi != A83_STOP_LIMIT)
                break;   /* WFI with nothing to wake it, or the like: both stopped alike */
        }
        total += sj.insns - i0;
        seqs++;
        if (bad) {
            fails++;
            printf("MISMATCH (interp vs jit) gen=%s el=%u seed=%" PRIu64 " seq=%" PRIu64 " code at %#" PRIx64
                   " (reproduce: a83-diff --vs interp%s --seed %" PRIu64 " --first %" PRIu64
                   " --count 1 --gen %s --el %u)\n", g->name, env.el, o->seed, k, base, o->smc ? " --smc" : "",
                   o->seed, k, g->name, env.el);
            print_seq_at(code, n + 1, base);
            /* start both machines afresh: their counters no longer agree */
            retire(mi, mj, &blocks, &entries);
            mi = make_machine(o, A83_ACCEL_INTERP);
            mj = make_machine(o, A83_ACCEL_JIT);
            if (!mi || !mj)
                return 2;
            if (fails >= o->max_fail)
                break;
        } else if (o->verbose) {
            printf("ok gen=%s seq=%" PRIu64 " (%u slices)\n", g->name, k, sl);
            print_seq_at(code, n + 1, base);
        }
    }
    retire(mi, mj, &blocks, &entries);
    printf("a83-diff --vs interp: %" PRIu64 " sequences, %" PRIu64 " slices, %" PRIu64
           " instructions compared, %" PRIu64 " mismatches; translator: %" PRIu64 " blocks, %" PRIu64
           " block entries\n", seqs, slices, total, fails, blocks, entries);
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", seqs - fails, fails);
    if (fails)
        return 1;
    if (!entries || !blocks) {
        printf("a83-diff: the translator never ran a block: nothing was compared\n");
        return 1;
    }
    if (o->min_insns && total < o->min_insns) {
        printf("a83-diff: fewer than %" PRIu64 " instructions compared\n", o->min_insns);
        return 1;
    }
    return 0;
}
