/*
 * a83-diff: differential testing of arm83emu against Unicorn (QEMU's A64
 * semantics) on random instruction sequences. See diff.h for the rules the
 * generators follow.
 *
 * Usage: a83-diff [--seed N] [--min-insns N] [--gen a,b,...] [--el 0|1|both]
 *                 [--len N] [--max-fail N] [--verbose]
 *                 [--vs unicorn|interp] [--jit-cache BYTES] [--smc]
 * --vs interp compares the translator with the interpreter instead of
 * arm83emu with Unicorn (diff_jit.c; --smc and --jit-cache apply there).
 * Every sequence is derived from (seed, sequence number) alone, so a
 * reported failure is reproduced with --seed S --first K --count 1.
 * Exits 0 when no mismatch was found and at least --min-insns instructions
 * were compared, 1 on a mismatch, 2 on a usage or set-up error.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "arm83emu/arm83emu.h"
#include "diff.h"

#define MAX_SEQ 64
#define VBAR_ADDR 0x40300000ull   /* exceptions land here: outside the code range */

uint64_t rng_interesting(DiffRng *r)
{
    static const uint64_t special[] = {
        0, 1, 2, 0xffffffffffffffffull, 0x7fffffffffffffffull, 0x8000000000000000ull,
        0xffffffffull, 0x7fffffffull, 0x80000000ull, 0x100000000ull, 0xfffffffeull,
        0x8000000000000001ull, 0x00000000ffff0000ull, 0x5555555555555555ull,
        0xaaaaaaaaaaaaaaaaull, 63, 64, 31, 32,
    };
    switch (rng_below(r, 4)) {
    case 0: return special[rng_below(r, sizeof special / sizeof special[0])];
    case 1: return rng_next(r) & 0xff;
    default: return rng_next(r);
    }
}

/* FP special values (double, single, half bit patterns) for V registers */
static uint64_t rng_fp_lane64(DiffRng *r)
{
    static const uint64_t d[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x7ff0000000000000ull,
        0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000000ull,
        0xfff8000000000001ull, 0x0000000000000001ull, 0x800fffffffffffffull,
        0x0010000000000000ull, 0x7fefffffffffffffull, 0x3ff0000000000000ull,
        0xbff0000000000000ull, 0x4000000000000000ull, 0x3fe0000000000000ull,
        0x43e0000000000000ull, 0xc3e0000000000000ull, 0x41e0000000000000ull,
    };
    static const uint32_t s[] = {
        0x00000000u, 0x80000000u, 0x7f800000u, 0xff800000u, 0x7fc00000u, 0x7fa00000u,
        0xffc00001u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x7f7fffffu, 0x3f800000u,
        0xbf800000u, 0x40000000u, 0x3f000000u, 0x4f000000u, 0xcf000000u, 0x5f000000u,
    };
    switch (rng_below(r, 5)) {
    case 0: return d[rng_below(r, sizeof d / sizeof d[0])];
    case 1: return ((uint64_t)s[rng_below(r, 18)] << 32) | s[rng_below(r, 18)];
    case 2: {
        /* a moderate-exponent double: arithmetic results stay interesting */
        uint64_t m = rng_next(r) & 0x800fffffffffffffull;
        return m | ((uint64_t)(1023 - 20 + rng_below(r, 40)) << 52);
    }
    case 3: {
        uint64_t lo = (rng_next(r) & 0x807fffffu) | ((uint64_t)(127 - 10 + rng_below(r, 20)) << 23);
        uint64_t hi = (rng_next(r) & 0x807fffffu) | ((uint64_t)(127 - 10 + rng_below(r, 20)) << 23);
        return (hi << 32) | lo;
    }
    default: return rng_next(r);
    }
}

static DiffOpts opt = { 1, 0, 0, 0, 32, 5, -1, NULL, 0, 0, 0, 0 };

static csh cs;

void print_seq_at(const uint32_t *code, size_t n, uint64_t base)
{
    for (size_t i = 0; i < n; i++) {
        cs_insn *insn;
        size_t k = cs_disasm(cs, (const uint8_t *)&code[i], 4, base + 4 * i, 1, &insn);
        printf("  %08" PRIx64 ": %08x  %s %s\n", (uint64_t)(base + 4 * i), code[i],
               k ? insn[0].mnemonic : "(unknown)", k ? insn[0].op_str : "");
        if (k)
            cs_free(insn, k);
    }
}

static void print_seq(const uint32_t *code, size_t n)
{
    print_seq_at(code, n, DIFF_CODE_BASE);
}

/* ---- Unicorn side ------------------------------------------------------- */

static uc_engine *uc;

static int uc_setup(void)
{
    if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK)
        return -1;
    uc_ctl_set_cpu_model(uc, UC_CPU_ARM64_MAX);
    if (uc_mem_map(uc, DIFF_CODE_BASE, 0x1000, UC_PROT_ALL) ||
        uc_mem_map(uc, DIFF_WIN_BASE, DIFF_WIN_SIZE, UC_PROT_ALL) ||
        uc_mem_map(uc, VBAR_ADDR, 0x1000, UC_PROT_ALL))
        return -1;
    return 0;
}

/* Returns 0 when the sequence ran to the end, -1 on an exception. */
static int uc_run(const State *in, unsigned el, const uint32_t *code, size_t n, State *out)
{
    uint64_t v;
    uc_mem_write(uc, DIFF_CODE_BASE, code, n * 4);
    uc_ctl_remove_cache(uc, DIFF_CODE_BASE, DIFF_CODE_BASE + 0x1000);
    uc_mem_write(uc, DIFF_WIN_BASE, in->mem, DIFF_WIN_SIZE);
    /* PSTATE: EL0t or EL1h with DAIF masked, NZCV */
    v = (el ? 0x3c5u : 0x3c0u) | in->nzcv;
    uc_reg_write(uc, UC_ARM64_REG_PSTATE, &v);
    for (int i = 0; i < 29; i++)
        uc_reg_write(uc, UC_ARM64_REG_X0 + i, &in->x[i]);
    uc_reg_write(uc, UC_ARM64_REG_X29, &in->x[29]);
    uc_reg_write(uc, UC_ARM64_REG_X30, &in->x[30]);
    uc_reg_write(uc, UC_ARM64_REG_SP, &in->sp);
    for (int i = 0; i < 32; i++) {
        uc_reg_write(uc, UC_ARM64_REG_Q0 + i, in->v[i]);
    }
    uc_reg_write(uc, UC_ARM64_REG_FPCR, &in->fpcr);
    uc_reg_write(uc, UC_ARM64_REG_FPSR, &in->fpsr);
    uc_err e = uc_emu_start(uc, DIFF_CODE_BASE, DIFF_CODE_BASE + 4 * n, 0, 0);
    for (int i = 0; i < 29; i++)
        uc_reg_read(uc, UC_ARM64_REG_X0 + i, &out->x[i]);
    uc_reg_read(uc, UC_ARM64_REG_X29, &out->x[29]);
    uc_reg_read(uc, UC_ARM64_REG_X30, &out->x[30]);
    uc_reg_read(uc, UC_ARM64_REG_SP, &out->sp);
    uc_reg_read(uc, UC_ARM64_REG_PC, &out->pc);
    uc_reg_read(uc, UC_ARM64_REG_NZCV, &out->nzcv);
    out->nzcv &= 0xf0000000u;
    for (int i = 0; i < 32; i++)
        uc_reg_read(uc, UC_ARM64_REG_Q0 + i, out->v[i]);
    uc_reg_read(uc, UC_ARM64_REG_FPCR, &out->fpcr);
    uc_reg_read(uc, UC_ARM64_REG_FPSR, &out->fpsr);
    uc_mem_read(uc, DIFF_WIN_BASE, out->mem, DIFF_WIN_SIZE);
    return e == UC_ERR_OK && out->pc == DIFF_CODE_BASE + 4 * n ? 0 : -1;
}

/* ---- arm83emu side -------------------------------------------------------- */

static a83_machine *m;

static int a83_setup(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    if (a83_machine_create(&cfg, &m) != A83_OK)
        return -1;
    a83_sysreg_write(m, 0, "VBAR_EL1", VBAR_ADDR);
    /* CPACR_EL1.FPEN = 0b11: FP/SIMD usable at EL0 and EL1 (it resets to 0;
     * Unicorn runs with FP enabled). */
    a83_sysreg_write(m, 0, "CPACR_EL1", 3u << 20);
    a83_sysreg_write(m, 0, "CPACR_EL1", 3u << 20);   /* FPEN = 0b11: FP/AdvSIMD untrapped (sys FP trap) */
    return 0;
}

void diff_load_state(a83_machine *mm, const State *in, unsigned el, uint64_t pc)
{
    a83_phys_write(mm, DIFF_WIN_BASE, in->mem, DIFF_WIN_SIZE);
    a83_reg_write(mm, 0, A83_REG_PSTATE, (el ? 0x3c5u : 0x3c0u) | in->nzcv);
    for (int i = 0; i < 31; i++)
        a83_reg_write(mm, 0, (a83_reg)i, in->x[i]);
    a83_reg_write(mm, 0, A83_REG_SP, in->sp);
    a83_reg_write(mm, 0, A83_REG_PC, pc);
    for (int i = 0; i < 32; i++)
        a83_vreg_write(mm, 0, (unsigned)i, in->v[i][0], in->v[i][1]);
    a83_reg_write(mm, 0, A83_REG_FPCR, in->fpcr);
    a83_reg_write(mm, 0, A83_REG_FPSR, in->fpsr);
}

static int a83_exec(const State *in, unsigned el, const uint32_t *code, size_t n, State *out,
                    uint64_t *executed)
{
    a83_phys_write(m, DIFF_CODE_BASE, code, n * 4);
    diff_load_state(m, in, el, DIFF_CODE_BASE);
    uint64_t end = DIFF_CODE_BASE + 4 * n, pc = DIFF_CODE_BASE, i0, i1;
    a83_cpu_counters(m, 0, &i0, NULL);
    /* Forward branches only: at most n steps reach the end. */
    for (size_t s = 0; s < n + 1 && pc >= DIFF_CODE_BASE && pc < end; s++) {
        a83_step(m, 0);
        a83_reg_read(m, 0, A83_REG_PC, &pc);
    }
    a83_cpu_counters(m, 0, &i1, NULL);
    *executed = i1 - i0;
    for (int i = 0; i < 31; i++)
        a83_reg_read(m, 0, (a83_reg)i, &out->x[i]);
    a83_reg_read(m, 0, A83_REG_SP, &out->sp);
    out->pc = pc;
    a83_reg_read(m, 0, A83_REG_NZCV, &out->nzcv);
    for (int i = 0; i < 32; i++)
        a83_vreg_read(m, 0, (unsigned)i, &out->v[i][0], &out->v[i][1]);
    a83_reg_read(m, 0, A83_REG_FPCR, &out->fpcr);
    a83_reg_read(m, 0, A83_REG_FPSR, &out->fpsr);
    a83_phys_read(m, DIFF_WIN_BASE, out->mem, DIFF_WIN_SIZE);
    if (pc != end) {
        uint64_t esr = 0;
        a83_sysreg_read(m, 0, "ESR_EL1", &esr);
        out->nzcv |= 0; /* keep state; the caller prints ESR */
        return (int)(esr >> 26) | 0x100;
    }
    return 0;
}

/* ---- Comparison ------------------------------------------------------------ */

static int compare(const State *a, const State *u, int fp)
{
    int bad = 0;
    for (int i = 0; i < 31; i++)
        if (a->x[i] != u->x[i]) {
            printf("  x%-2d arm83emu %016" PRIx64 "  unicorn %016" PRIx64 "\n", i, a->x[i], u->x[i]);
            bad = 1;
        }
    if (a->sp != u->sp) {
        printf("  sp   arm83emu %016" PRIx64 "  unicorn %016" PRIx64 "\n", a->sp, u->sp);
        bad = 1;
    }
    if (a->nzcv != u->nzcv) {
        printf("  nzcv arm83emu %08" PRIx64 "  unicorn %08" PRIx64 "\n", a->nzcv, u->nzcv);
        bad = 1;
    }
    if (fp) {
        for (int i = 0; i < 32; i++)
            if (a->v[i][0] != u->v[i][0] || a->v[i][1] != u->v[i][1]) {
                printf("  v%-2d arm83emu %016" PRIx64 "%016" PRIx64 "  unicorn %016" PRIx64
                       "%016" PRIx64 "\n", i, a->v[i][1], a->v[i][0], u->v[i][1], u->v[i][0]);
                bad = 1;
            }
        if (a->fpsr != u->fpsr) {
            printf("  fpsr arm83emu %08" PRIx64 "  unicorn %08" PRIx64 "\n", a->fpsr, u->fpsr);
            bad = 1;
        }
    }
    for (unsigned k = 0; k < DIFF_WIN_SIZE; k++)
        if (a->mem[k] != u->mem[k]) {
            printf("  mem[%#x] arm83emu %02x  unicorn %02x\n", k, a->mem[k], u->mem[k]);
            bad = 1;
            break;
        }
    return bad;
}

void make_state(DiffRng *r, State *s, int fp)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < 31; i++)
        s->x[i] = rng_interesting(r);
    s->x[DIFF_BASE_REG] = DIFF_WIN_BASE + DIFF_BASE_OFFSET;
    s->sp = DIFF_WIN_BASE + DIFF_BASE_OFFSET;
    s->nzcv = (rng_next(r) & 0xf) << 28;
    for (unsigned k = 0; k < DIFF_WIN_SIZE; k += 8) {
        uint64_t v = rng_interesting(r);
        memcpy(&s->mem[k], &v, 8);
    }
    if (fp) {
        for (int i = 0; i < 32; i++) {
            s->v[i][0] = rng_fp_lane64(r);
            s->v[i][1] = rng_fp_lane64(r);
        }
        /* FPCR: AHP[26] DN[25] FZ[24] RMode[23:22] */
        s->fpcr = (rng_next(r) & 0x1f) << 22;
    }
}

static int gen_selected(const DiffGenerator *g)
{
    if (!g->fn)
        return 0;
    if (!opt.gens)
        return 1;
    size_t n = strlen(g->name);
    for (const char *p = opt.gens; *p;) {
        const char *q = strchr(p, ',');
        size_t len = q ? (size_t)(q - p) : strlen(p);
        if (len == n && !strncmp(p, g->name, n))
            return 1;
        if (!q)
            break;
        p = q + 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--verbose")) { opt.verbose = 1; continue; }
        if (!strcmp(a, "--smc")) { opt.smc = 1; continue; }
        if (!v) { fprintf(stderr, "a83-diff: %s needs a value\n", a); return 2; }
        i++;
        if (!strcmp(a, "--seed")) opt.seed = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--first")) opt.first = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--count")) opt.count = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--min-insns")) opt.min_insns = strtoull(v, NULL, 0);
        else if (!strcmp(a, "--len")) opt.len = (unsigned)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--max-fail")) opt.max_fail = (unsigned)strtoul(v, NULL, 0);
        else if (!strcmp(a, "--gen")) opt.gens = v;
        else if (!strcmp(a, "--el")) opt.el = !strcmp(v, "both") ? -1 : atoi(v);
        else if (!strcmp(a, "--vs")) {
            if (!strcmp(v, "interp")) opt.vs_interp = 1;
            else if (strcmp(v, "unicorn")) { fprintf(stderr, "a83-diff: --vs unicorn|interp\n"); return 2; }
        }
        else if (!strcmp(a, "--jit-cache")) opt.jit_cache = strtoull(v, NULL, 0);
        else { fprintf(stderr, "a83-diff: unknown option %s\n", a); return 2; }
    }
    if (opt.len == 0 || opt.len > MAX_SEQ) {
        fprintf(stderr, "a83-diff: --len must be 1..%d\n", MAX_SEQ);
        return 2;
    }
    const DiffGenerator *sel[32];
    unsigned nsel = 0;
    for (const DiffGenerator *g = diff_generators; g->name && nsel < 32; g++)
        if (gen_selected(g) && (opt.vs_interp || !g->loops))
            sel[nsel++] = g;
    if (!nsel) {
        fprintf(stderr, "a83-diff: no generator selected or available (%s)\n",
                opt.gens ? opt.gens : "all");
        return 2;
    }
    if (!opt.count && !opt.min_insns)
        opt.count = 1000;
    if (opt.vs_interp) {
        if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK) {
            fprintf(stderr, "a83-diff: set-up failed\n");
            return 2;
        }
        return diff_vs_interp(&opt, sel, nsel);
    }
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK || uc_setup() || a83_setup()) {
        fprintf(stderr, "a83-diff: set-up failed\n");
        return 2;
    }
    uint64_t total = 0, seqs = 0, fails = 0, exc_both = 0;
    static State in, out_a, out_u;
    for (uint64_t k = opt.first;; k++) {
        if (opt.count && k - opt.first >= opt.count)
            break;
        if (!opt.count && total >= opt.min_insns)
            break;
        DiffRng r = { opt.seed * 0x9e3779b97f4a7c15ull ^ (k * 0xda942042e4dd58b5ull) };
        const DiffGenerator *g = sel[k % nsel];
        DiffEnv env = { .el = opt.el >= 0 ? (unsigned)opt.el : (unsigned)((k / nsel) & 1),
                        .mem = g->needs_mem, .fp = g->needs_fp };
        uint32_t code[MAX_SEQ];
        size_t n = g->fn(&r, &env, code, opt.len);
        if (!n)
            continue;
        make_state(&r, &in, env.fp);
        uint64_t executed = 0;
        int ra = a83_exec(&in, env.el, code, n, &out_a, &executed);
        int ru = uc_run(&in, env.el, code, n, &out_u);
        seqs++;
        total += executed;
        int bad;
        if (ra || ru) {
            /* Generators emit only valid, non-faulting sequences: an
             * exception on either side is a failure, on both a generator bug. */
            bad = 1;
            if (ra && ru)
                exc_both++;
            printf("exception mismatch: arm83emu %s (EC %#x, pc %#" PRIx64 "), unicorn %s (pc %#" PRIx64 ")\n",
                       ra ? "raised" : "completed", ra & 0xff, out_a.pc, ru ? "raised" : "completed",
                       out_u.pc);
        } else {
            bad = compare(&out_a, &out_u, env.fp);
        }
        if (bad) {
            fails++;
            printf("MISMATCH gen=%s el=%u seed=%" PRIu64 " seq=%" PRIu64
                   " (reproduce: a83-diff --seed %" PRIu64 " --first %" PRIu64 " --count 1 --gen %s --el %u)\n",
                   g->name, env.el, opt.seed, k, opt.seed, k, g->name, env.el);
            print_seq(code, n);
            if (fails >= opt.max_fail)
                break;
        } else if (opt.verbose) {
            printf("ok gen=%s seq=%" PRIu64 "\n", g->name, k);
            print_seq(code, n);
        }
    }
    printf("a83-diff: %" PRIu64 " sequences, %" PRIu64 " instructions compared, %" PRIu64
           " mismatches, %" PRIu64 " sequences raised on both\n", seqs, total, fails, exc_both);
    printf("%" PRIu64 " passed, %" PRIu64 " failed\n", seqs - fails, fails);
    if (fails)
        return 1;
    if (opt.min_insns && total < opt.min_insns) {
        printf("a83-diff: fewer than %" PRIu64 " instructions compared\n", opt.min_insns);
        return 1;
    }
    return 0;
}
