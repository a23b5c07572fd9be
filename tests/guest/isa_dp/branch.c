/*
 * Branches in real programs (Arm ARM C3.1): B, BL/RET (recursion), BLR
 * (function pointers), BR and RET Xn to computed addresses, B.cond loops,
 * CBZ/CBNZ, TBZ/TBNZ on low and high bits. branch.expect holds values known
 * independently: popcount(0x0123456789abcdef) = 32, the Collatz trajectory
 * of 27 has 111 steps, gcd(1071, 462) = 21, fib(20) = 6765, 10! = 3628800.
 */
#include "guest.h"

static inline uint64_t opaque(uint64_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

/* TBZ on bit 0 over all 64 bits, B.NE loop. */
static uint64_t popcount_tbz(uint64_t v)
{
    uint64_t cnt, i;
    __asm__ volatile(
        "   mov %[cnt], #0\n"
        "   mov %[i], #0\n"
        "1: tbz %[v], #0, 2f\n"
        "   add %[cnt], %[cnt], #1\n"
        "2: lsr %[v], %[v], #1\n"
        "   add %[i], %[i], #1\n"
        "   cmp %[i], #64\n"
        "   b.ne 1b\n"
        : [cnt] "=&r"(cnt), [i] "=&r"(i), [v] "+r"(v) : : "cc");
    return cnt;
}

/* TBNZ on bit 63: leading zeros by shifting left; CBZ for zero input. */
static uint64_t clz_tbnz(uint64_t v)
{
    uint64_t n;
    __asm__ volatile(
        "   mov %[n], #64\n"
        "   cbz %[v], 2f\n"
        "   mov %[n], #0\n"
        "1: tbnz %[v], #63, 2f\n"
        "   lsl %[v], %[v], #1\n"
        "   add %[n], %[n], #1\n"
        "   b 1b\n"
        "2:\n"
        : [n] "=&r"(n), [v] "+r"(v) : : "cc");
    return n;
}

/* Collatz steps: TBNZ on bit 0, B.HI, B.NE. */
static uint64_t collatz(uint64_t v)
{
    uint64_t steps;
    __asm__ volatile(
        "   mov %[s], #0\n"
        "1: cmp %[v], #1\n"
        "   b.eq 3f\n"
        "   add %[s], %[s], #1\n"
        "   tbnz %[v], #0, 2f\n"
        "   lsr %[v], %[v], #1\n"
        "   b 1b\n"
        "2: add %[v], %[v], %[v], lsl #1\n"
        "   add %[v], %[v], #1\n"
        "   b 1b\n"
        "3:\n"
        : [s] "=&r"(steps), [v] "+r"(v) : : "cc");
    return steps;
}

/* Subtractive gcd: CBZ/CBNZ, B.HI, B.LO (w registers). */
static uint64_t gcd_w(uint64_t a, uint64_t b)
{
    __asm__ volatile(
        "   cbz %w[b], 3f\n"
        "1: cmp %w[a], %w[b]\n"
        "   b.hi 2f\n"
        "   b.lo 4f\n"
        "   b 3f\n"
        "2: sub %w[a], %w[a], %w[b]\n"
        "   cbnz %w[a], 1b\n"
        "4: sub %w[b], %w[b], %w[a]\n"
        "   cbnz %w[b], 1b\n"
        "3:\n"
        : [a] "+r"(a), [b] "+r"(b) : : "cc");
    return a;
}

/* BL/RET recursion (the compiler's calls). */
static __attribute__((noinline)) uint64_t fib(uint64_t n)
{
    return n < 2 ? n : fib(opaque(n - 1)) + fib(opaque(n - 2));
}

/* BLR through a table of function pointers. */
static __attribute__((noinline)) uint64_t f_add(uint64_t x) { return x + 1; }
static __attribute__((noinline)) uint64_t f_dbl(uint64_t x) { return x * 2; }
static __attribute__((noinline)) uint64_t f_sq(uint64_t x) { return x * x; }
static uint64_t (*const table[3])(uint64_t) = { f_add, f_dbl, f_sq };

static uint64_t call_chain(uint64_t x)
{
    for (unsigned i = 0; i < 6; i++) {
        uint64_t (*f)(uint64_t) = table[opaque(i % 3)];
        uint64_t r;
        __asm__ volatile("mov x0, %1\n blr %2\n mov %0, x0"
                         : "=r"(r) : "r"(x), "r"(f)
                         : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
                           "x11", "x12", "x13", "x14", "x15", "x16", "x17", "x30", "cc", "memory");
        x = r;
    }
    return x;
}

/* BR and RET Xn to ADR-computed labels; the skipped MOVs must not run. */
static uint64_t computed_jumps(void)
{
    uint64_t r, t;
    __asm__ volatile(
        "   mov %[r], #0\n"
        "   adr %[t], 1f\n"
        "   br %[t]\n"
        "   orr %[r], %[r], #1\n"
        "1: orr %[r], %[r], #2\n"
        "   adr %[t], 2f\n"
        "   ret %[t]\n"
        "   orr %[r], %[r], #4\n"
        "2: orr %[r], %[r], #8\n"
        : [r] "=&r"(r), [t] "=&r"(t));
    return r;
}

/* 10! by a down-counting CBNZ loop with MUL. */
static uint64_t fact(uint64_t n)
{
    uint64_t r;
    __asm__ volatile(
        "   mov %[r], #1\n"
        "1: mul %[r], %[r], %[n]\n"
        "   sub %[n], %[n], #1\n"
        "   cbnz %[n], 1b\n"
        : [r] "=&r"(r), [n] "+r"(n));
    return r;
}

int main(void)
{
    putreg("popcount", popcount_tbz(opaque(0x0123456789abcdefull)));
    putreg("clz", clz_tbnz(opaque(0x0000100000000000ull)));
    putreg("clz0", clz_tbnz(opaque(0)));
    putreg("collatz27", collatz(opaque(27)));
    putreg("gcd", gcd_w(opaque(1071), opaque(462)));
    putreg("fib20", fib(opaque(20)));
    putreg("chain", call_chain(opaque(3)));
    putreg("jumps", computed_jumps());
    putreg("fact10", fact(opaque(10)));
    return 0;
}
