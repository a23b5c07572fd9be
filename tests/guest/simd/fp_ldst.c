/*
 * Loads and stores of SIMD&FP registers (Arm ARM C6.2 LDR/STR (immediate,
 * register, SIMD&FP), LDUR/STUR, LDP/STP/LDNP/STNP (SIMD&FP)), which the
 * translator inlines (src/jit/jit_inline_mem.c), at EL2 with its stage 1
 * on (Normal memory), checked against the pseudocode:
 *  - S, D and Q registers, every addressing form (unsigned offset, unscaled,
 *    pre- and post-index with writeback, register offset with LSL and SXTW,
 *    pair offset/pre/post, the no-allocate pair): the bytes moved and the
 *    base written back;
 *  - a load writes the whole register: the bits above an S or D access
 *    become zero (V[t] = ZeroExtend(data));
 *  - LDP with Rt == Rt2 (CONSTRAINED UNPREDICTABLE) gives the second
 *    element, as this emulator's handler does (in both engines);
 *  - an access that crosses a page boundary moves the same bytes;
 *  - with CPTR_EL2.TFP = 1 the access traps to EL2 with EC 0x07 and
 *    changes no register, even when its address is misaligned for
 *    SCTLR_EL2.A (the FP trap comes first);
 *  - with SCTLR_EL2.A = 1 a misaligned Q load is an Alignment fault
 *    (DFSC 0x21) that leaves the register and the base unchanged.
 * guest-jit compares the translator with the interpreter after every block.
 */
#include "../mmu/mmu_guest.h"

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint8_t mem[8192] __attribute__((aligned(4096)));
static uint64_t out[16] __attribute__((aligned(16)));

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    return 1;
}

/* x0 = base; results in out[] (v registers read back with STR Q) */
void fp_forms(uint64_t base, uint64_t *o);
void fp_upper(uint64_t base, uint64_t *o);
void fp_same(uint64_t base, uint64_t *o);
void fp_cross(uint64_t base, uint64_t *o);
uint64_t fp_trapped(uint64_t base, uint64_t *o);   /* returns the base after the access */

__asm__(
    "    .arch armv8-a\n"
    "    .text\n"
    /* every form; x0 base, x1 out */
    "    .global fp_forms\n"
    "fp_forms:\n"
    "    ldr q0, [x0, #16]\n"            /* unsigned offset, scaled by 16 */
    "    ldur d1, [x0, #3]\n"            /* unscaled, misaligned */
    "    mov x2, x0\n"
    "    ldr s2, [x2, #8]!\n"            /* pre-index */
    "    ldr q3, [x2], #32\n"            /* post-index */
    "    mov x3, #2\n"
    "    ldr q4, [x0, x3, lsl #4]\n"     /* register offset, LSL 4 */
    "    mov w4, #-1\n"
    "    add x5, x0, #64\n"
    "    ldr d5, [x5, w4, sxtw #3]\n"    /* register offset, SXTW 3 */
    "    ldp q6, q7, [x0, #32]\n"        /* pair offset */
    "    add x6, x0, #128\n"
    "    ldp d16, d17, [x6, #-16]!\n"    /* pair pre-index */
    "    ldp s18, s19, [x6], #24\n"      /* pair post-index */
    "    ldnp q20, q21, [x0, #64]\n"     /* no-allocate pair */
    "    stp q0, q3, [x1]\n"
    "    stp q4, q6, [x1, #32]\n"
    "    stp q7, q20, [x1, #64]\n"
    "    str q21, [x1, #96]\n"
    "    stp d1, d5, [x1, #112]\n"
    "    str s2, [x1, #128]\n"
    "    stp d16, d17, [x1, #136]\n"
    "    stur s18, [x1, #152]\n"
    "    add x7, x1, #156\n"
    "    str s19, [x7], #4\n"
    "    stnp d1, d5, [x7]\n"            /* out[20], out[21] */
    "    str x2, [x1, #176]\n"           /* bases after writeback */
    "    str x6, [x1, #184]\n"
    "    sub x7, x7, x1\n"
    "    str x7, [x1, #192]\n"
    "    ret\n"
    /* S and D loads zero the rest of the register */
    "    .global fp_upper\n"
    "fp_upper:\n"
    "    movi v8.16b, #0xff\n"
    "    movi v9.16b, #0xff\n"
    "    movi v10.16b, #0xff\n"
    "    movi v11.16b, #0xff\n"
    "    ldr s8, [x0]\n"
    "    ldr d9, [x0]\n"
    "    ldp s10, s11, [x0]\n"
    "    stp q8, q9, [x1]\n"
    "    stp q10, q11, [x1, #32]\n"
    "    ret\n"
    /* LDP Rt == Rt2 */
    "    .global fp_same\n"
    "fp_same:\n"
    "    ldp q12, q12, [x0]\n"
    "    ldp d13, d13, [x0, #16]\n"
    "    str q12, [x1]\n"
    "    str q13, [x1, #16]\n"
    "    ret\n"
    /* page crossing: x0 = 8 bytes before a page end */
    "    .global fp_cross\n"
    "fp_cross:\n"
    "    ldr q14, [x0]\n"
    "    ldp d15, d16, [x0]\n"
    "    movi v17.16b, #0x3c\n"
    "    str q17, [x0, #-16]\n"           /* within the page */
    "    stp d17, d17, [x0]\n"            /* crossing */
    "    str q14, [x1]\n"
    "    stp d15, d16, [x1, #16]\n"
    "    ret\n"
    /* the access traps (or faults); x0 = base, writeback form */
    "    .global fp_trapped\n"
    "fp_trapped:\n"
    "    ldr q18, [x0, #16]!\n"
    "    ret\n"
);

static void fill(void)
{
    for (unsigned i = 0; i < sizeof mem; i++)
        mem[i] = (uint8_t)(i * 7 + 1);
}

static void dump(const char *what, unsigned n)
{
    putreg(what, n);
    for (unsigned i = 0; i < n; i++)
        putreg("  ", out[i]);
}

int main(void)
{
    el2_mmu_on(l1);
    fill();

    uint64_t big[25];
    for (unsigned i = 0; i < 25; i++)
        big[i] = 0;
    fp_forms((uint64_t)mem, big);
    putreg("forms", 25);
    for (unsigned i = 0; i < 25; i++)
        putreg("  ", big[i]);
    check_eq("pre/post base", big[22], (uint64_t)mem + 40);
    check_eq("pair pre/post base", big[23], (uint64_t)mem + 136);
    check_eq("store post base", big[24], 160);

    fp_upper((uint64_t)mem + 200, out);
    dump("upper bits", 8);
    check_eq("S load: bits 127:32", out[0] >> 32 | out[1], 0);
    check_eq("D load: bits 127:64", out[3], 0);

    fp_same((uint64_t)mem + 256, out);
    dump("LDP Rt == Rt2", 4);

    fp_cross((uint64_t)mem + 4096 - 8, out);
    dump("page crossing", 4);
    putreg("stored across", *(volatile uint64_t *)(mem + 4096));
    putreg("stored before", *(volatile uint64_t *)(mem + 4096 - 24));

    /* CPTR_EL2.TFP: EC 0x07, the register and base unchanged, also when
     * misaligned with SCTLR_EL2.A = 1 */
    WRITE_SYSREG(sctlr_el2, READ_SYSREG(sctlr_el2) | (1 << 1));     /* A */
    WRITE_SYSREG(cptr_el2, READ_SYSREG(cptr_el2) | (1 << 10));      /* TFP */
    ISB();
    g_exc_count = 0;
    uint64_t b1 = fp_trapped((uint64_t)mem + 3, out);
    putreg("TFP: exceptions", g_exc_count);
    putreg("TFP: ESR_EL2", g_esr);
    check_eq("TFP: base unchanged", b1, (uint64_t)mem + 3);
    WRITE_SYSREG(cptr_el2, READ_SYSREG(cptr_el2) & ~(1ul << 10));
    ISB();
    /* misaligned with A = 1: Alignment fault */
    g_exc_count = 0;
    uint64_t b2 = fp_trapped((uint64_t)mem + 3, out);
    putreg("A: exceptions", g_exc_count);
    putreg("A: ESR_EL2", g_esr);
    putreg("A: FAR_EL2", g_far - (uint64_t)mem);
    check_eq("A: base unchanged", b2, (uint64_t)mem + 3);
    /* aligned with A = 1: loads */
    uint64_t b3 = fp_trapped((uint64_t)mem + 32, out);
    check_eq("A: aligned base", b3, (uint64_t)mem + 48);
    return 0;
}
