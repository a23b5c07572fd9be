/*
 * Integer data processing in a real program (Arm ARM C3.4, C3.5): each
 * instruction is forced with inline assembly on run-time operands, and the
 * results are printed. alu.expect was computed on the host with plain C
 * arithmetic from the instruction definitions (not with the emulator).
 */
#include "guest.h"

/* Keeps the compiler from folding constants into the instructions. */
static inline uint64_t opaque(uint64_t v)
{
    __asm__ volatile("" : "+r"(v));
    return v;
}

#define X2(insn, a, b) ({ uint64_t r_; __asm__ volatile(insn " %0, %1, %2" : "=r"(r_) : "r"(a), "r"(b)); r_; })
#define W2(insn, a, b) ({ uint64_t r_; __asm__ volatile(insn " %w0, %w1, %w2" : "=r"(r_) : "r"(a), "r"(b)); r_; })
#define X1(insn, a) ({ uint64_t r_; __asm__ volatile(insn " %0, %1" : "=r"(r_) : "r"(a)); r_; })
#define W1(insn, a) ({ uint64_t r_; __asm__ volatile(insn " %w0, %w1" : "=r"(r_) : "r"(a)); r_; })

/* After CMP a, b: bit k set if condition k (EQ..LE, 0..13) holds, via CSET. */
static uint64_t cond_mask(uint64_t a, uint64_t b)
{
    uint64_t m = 0, t;
#define C(k, cc) __asm__ volatile("cmp %1, %2\n cset %0, " cc : "=r"(t) : "r"(a), "r"(b) : "cc"); m |= t << k;
    C(0, "eq") C(1, "ne") C(2, "hs") C(3, "lo") C(4, "mi") C(5, "pl") C(6, "vs") C(7, "vc")
    C(8, "hi") C(9, "ls") C(10, "ge") C(11, "lt") C(12, "gt") C(13, "le")
#undef C
    return m;
}

static uint32_t crc32_str(const char *s, int castagnoli)
{
    uint32_t crc = 0xffffffffu;
    for (; *s; s++) {
        uint64_t c = opaque((unsigned char)*s);
        if (castagnoli)
            __asm__ volatile(".arch_extension crc\n crc32cb %w0, %w0, %w1" : "+r"(crc) : "r"(c));
        else
            __asm__ volatile(".arch_extension crc\n crc32b %w0, %w0, %w1" : "+r"(crc) : "r"(c));
    }
    return ~crc;
}

int main(void)
{
    uint64_t a = opaque(0x0123456789abcdefull), b = opaque(0xfedcba9876543210ull);
    uint64_t m1 = opaque(~0ull), three = opaque(3), zero = opaque(0);
    uint64_t imin = opaque(0x8000000000000000ull);

    /* add/sub, shifted and extended register, with carry */
    putreg("add", X2("add", a, b));
    putreg("sub", X2("sub", a, b));
    putreg("add_lsl", ({ uint64_t r; __asm__ volatile("add %0, %1, %2, lsl #7" : "=r"(r) : "r"(a), "r"(b)); r; }));
    putreg("sub_sxtw", ({ uint64_t r; __asm__ volatile("sub %0, %1, %w2, sxtw #2" : "=r"(r) : "r"(a), "r"(b)); r; }));
    putreg("addw", W2("add", a, b));
    putreg("adc128_hi", ({ uint64_t lo, hi; __asm__ volatile("adds %0, %2, %3\n adc %1, %4, %5"
        : "=&r"(lo), "=r"(hi) : "r"(m1), "r"(three), "r"(a), "r"(b) : "cc"); hi; }));
    putreg("sbc128_hi", ({ uint64_t lo, hi; __asm__ volatile("subs %0, %2, %3\n sbc %1, %4, %5"
        : "=&r"(lo), "=r"(hi) : "r"(zero), "r"(three), "r"(a), "r"(b) : "cc"); hi; }));
    /* conditions */
    putreg("cond_a_b", cond_mask(a, b));
    putreg("cond_b_a", cond_mask(b, a));
    putreg("cond_eq", cond_mask(a, a));
    putreg("cond_ovf", cond_mask(imin, three));
    putreg("csneg", ({ uint64_t r; __asm__ volatile("cmp %1, %2\n csneg %0, %1, %2, gt"
        : "=r"(r) : "r"(three), "r"(a) : "cc"); r; }));
    putreg("ccmp", ({ uint64_t r; __asm__ volatile("cmp %1, #3\n ccmp %2, %1, #2, eq\n cset %0, hi"
        : "=r"(r) : "r"(three), "r"(a) : "cc"); r; }));
    /* logical */
    putreg("and_imm", ({ uint64_t r; __asm__ volatile("and %0, %1, #0x5555555555555555" : "=r"(r) : "r"(b)); r; }));
    putreg("orr_imm_w", ({ uint64_t r; __asm__ volatile("orr %w0, %w1, #0xff00ff00" : "=r"(r) : "r"(a)); r; }));
    putreg("eon_ror", ({ uint64_t r; __asm__ volatile("eon %0, %1, %2, ror #12" : "=r"(r) : "r"(a), "r"(b)); r; }));
    putreg("bics_w", ({ uint64_t r; __asm__ volatile("bics %w0, %w1, %w2, lsr #4" : "=r"(r) : "r"(a), "r"(b) : "cc"); r; }));
    /* moves */
    putreg("movk", ({ uint64_t r = a; __asm__ volatile("movk %0, #0xbeef, lsl #32" : "+r"(r)); r; }));
    putreg("movn_w", ({ uint64_t r; __asm__ volatile("movn %w0, #0x1234, lsl #16" : "=r"(r)); r; }));
    /* bitfield and extract */
    putreg("ubfx", ({ uint64_t r; __asm__ volatile("ubfx %0, %1, #12, #20" : "=r"(r) : "r"(b)); r; }));
    putreg("sbfx", ({ uint64_t r; __asm__ volatile("sbfx %0, %1, #60, #4" : "=r"(r) : "r"(b)); r; }));
    putreg("bfi", ({ uint64_t r = a; __asm__ volatile("bfi %0, %1, #8, #16" : "+r"(r) : "r"(b)); r; }));
    putreg("bfxil_w", ({ uint64_t r = a; __asm__ volatile("bfxil %w0, %w1, #4, #8" : "+r"(r) : "r"(b)); r; }));
    putreg("sxth", ({ uint64_t r; __asm__ volatile("sxth %0, %w1" : "=r"(r) : "r"(b)); r; }));
    putreg("asr_w", ({ uint64_t r; __asm__ volatile("asr %w0, %w1, #5" : "=r"(r) : "r"(b)); r; }));
    putreg("extr", ({ uint64_t r; __asm__ volatile("extr %0, %1, %2, #24" : "=r"(r) : "r"(a), "r"(b)); r; }));
    /* variable shifts */
    putreg("lslv", X2("lsl", a, opaque(68)));
    putreg("rorv_w", W2("ror", a, opaque(40)));
    putreg("asrv", X2("asr", b, opaque(63)));
    /* multiply and divide */
    putreg("mul", X2("mul", a, b));
    putreg("umulh", X2("umulh", m1, opaque(0xfffffffffffffffeull)));
    putreg("smulh", X2("smulh", opaque((uint64_t)-3), opaque(0x7fffffffffffffffull)));
    putreg("smull", ({ uint64_t r; __asm__ volatile("smull %0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b)); r; }));
    putreg("umsubl", ({ uint64_t r; __asm__ volatile("umsubl %0, %w1, %w2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(three)); r; }));
    putreg("udiv", X2("udiv", opaque(1000000007), opaque(97)));
    putreg("sdiv", X2("sdiv", opaque((uint64_t)-7), opaque(2)));
    putreg("sdiv_min", X2("sdiv", imin, m1));
    putreg("udiv_0", X2("udiv", a, zero));
    putreg("sdiv_w", W2("sdiv", opaque(0x80000000u), m1));
    /* bit manipulation */
    putreg("rbit", X1("rbit", a));
    putreg("rev", X1("rev", a));
    putreg("rev16_w", W1("rev16", a));
    putreg("rev32", X1("rev32", a));
    putreg("clz", X1("clz", opaque(0x0000100000000000ull)));
    putreg("cls_w", W1("cls", opaque(0xfff0ffffu)));
    /* CRC32 of "123456789": the standard check values */
    putreg("crc32", crc32_str("123456789", 0));
    putreg("crc32c", crc32_str("123456789", 1));
    return 0;
}
