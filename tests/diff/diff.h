/*
 * Differential testing against Unicorn (tests/diff/).
 *
 * The harness (diff_main.c) runs random instruction sequences on both
 * arm83emu and Unicorn from the same random register and memory state and
 * compares X0-X30, SP, NZCV (and, for FP generators, V0-V31, FPSR) and the
 * memory window after every sequence. Generators produce the sequences; each
 * is one function in its own file (gen_dp.c, gen_ldst.c, gen_fp.c ...),
 * listed in diff_gens.c.
 *
 * Rules every generator follows so both emulators stay comparable:
 *  - Only encodings that are valid (allocated, not UNPREDICTABLE) for the
 *    given env.el, and only deterministic ones (no MRS of counters, no
 *    exclusives across runs, no system instructions).
 *  - Never write SP or DIFF_BASE_REG (x28): the harness sets both to
 *    DIFF_WIN_BASE + DIFF_BASE_OFFSET (the middle of the window), so a
 *    load/store with base x28 or SP and an offset in [-0x800, 0x7ff - size]
 *    stays inside the window. Accesses are aligned to the access size (with
 *    the MMU off, data accesses are Device memory and unaligned ones fault
 *    on both emulators).
 *  - Branches only forward, to an instruction inside the sequence or to the
 *    word just after it (the harness stops when PC reaches the end).
 */
#ifndef DIFF_H
#define DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIFF_BASE_REG 28
#define DIFF_CODE_BASE 0x40100000ull   /* where sequences are placed */
#define DIFF_WIN_BASE  0x40200000ull   /* data window VA == PA */
#define DIFF_WIN_SIZE  0x1000ull       /* 4 KiB */
#define DIFF_BASE_OFFSET 0x800ull      /* x28 = SP = DIFF_WIN_BASE + 0x800 */

/* splitmix64: a seeded, portable generator (no host randomness). */
typedef struct DiffRng { uint64_t s; } DiffRng;
static inline uint64_t rng_next(DiffRng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static inline uint32_t rng_below(DiffRng *r, uint32_t n) { return (uint32_t)(rng_next(r) % n); }
/* A "special" 64-bit value half of the time (0, -1, 1, INT_MIN, bit patterns). */
uint64_t rng_interesting(DiffRng *r);

typedef struct DiffEnv {
    unsigned el;          /* 0 or 1 */
    bool mem;             /* loads/stores allowed */
    bool fp;              /* FP/SIMD state is set up and compared */
} DiffEnv;

/* Writes up to max words to out; returns how many. */
typedef size_t (*diff_gen_fn)(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);

typedef struct DiffGenerator {
    const char *name;     /* "dp", "ldst", ... (selectable with --gen) */
    diff_gen_fn fn;
    bool needs_mem;
    bool needs_fp;
    bool loops;           /* branches backward: only for --vs interp (budget-bounded) */
} DiffGenerator;

extern const DiffGenerator diff_generators[];   /* diff_gens.c, { NULL }-terminated */

/* Generators (each in its own file) */
size_t gen_dp(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);
size_t gen_ldst(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);
size_t gen_fp(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);
size_t gen_simd(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);
size_t gen_pauth(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);
size_t gen_flow(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max);

/* The state both sides start from and are compared on (diff_main.c). */
typedef struct State {
    uint64_t x[31], sp, pc, nzcv;
    uint64_t v[32][2];
    uint64_t fpcr, fpsr;
    uint8_t mem[DIFF_WIN_SIZE];
} State;

/* Command-line options (diff_main.c's usage). */
typedef struct DiffOpts {
    uint64_t seed, first, count, min_insns;
    unsigned len, max_fail;
    int el;                 /* 0, 1, or -1 for both */
    const char *gens;
    int verbose;
    int vs_interp;          /* --vs interp: translator against interpreter (diff_jit.c) */
    int smc;                /* --smc: the code lies inside the data window */
    uint64_t jit_cache;     /* --jit-cache: code cache bytes (0: the default) */
} DiffOpts;

/* A random start state: registers, NZCV, the data window, FP state if fp. */
void make_state(DiffRng *r, State *s, int fp);
/* Writes in's data window, registers, PSTATE (EL el, h) and FP state into
 * CPU 0 of m and sets its PC (diff_main.c). */
struct a83_machine;
void diff_load_state(struct a83_machine *m, const State *in, unsigned el, uint64_t pc);
/* Prints code[0..n) disassembled, the first word at address base. */
void print_seq_at(const uint32_t *code, size_t n, uint64_t base);
/* --vs interp: runs the selected generators' sequences through both engines;
 * returns the exit status (0 pass, 1 mismatch, 2 set-up error). */
int diff_vs_interp(const DiffOpts *o, const DiffGenerator *const *sel, unsigned nsel);

#endif
