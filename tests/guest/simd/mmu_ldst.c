/*
 * Guest test: AdvSIMD structure loads/stores with the stage-1 MMU on
 * (Normal memory, Arm ARM B2.5 / C7.2 LD1, ST1, LD4, LD1R):
 *  - unaligned element accesses are allowed in Normal memory (SCTLR_EL1.A = 0);
 *  - a two-register ST1 whose second register falls on an unmapped page
 *    takes a data abort with FAR = the first faulting element's address,
 *    ISV = 0 (no syndrome for structure accesses), WnR = 1; the elements
 *    before it were written (this emulator's element order; the
 *    architecture permits it);
 *  - a faulting LD4 writes no register (the destination registers keep
 *    their values; the architecture would allow UNKNOWN).
 * The SIMD code is in top-level assembly: guest C is built with
 * -mgeneral-regs-only.
 */
#include "../mmu/mmu_guest.h"

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint64_t buf[8] __attribute__((aligned(16)));

#define WIN 0x80000000ul   /* page 0: page_a; page 1: unmapped */

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    return 1;
}

void simd_ld1_4s(uint64_t src, uint64_t *out);     /* ld1 {v0.4s}, [src] -> out[0..1] */
void simd_ld1r_8h(uint64_t src, uint64_t *out);    /* ld1r {v0.8h}, [src] -> out[0..1] */
void simd_st1_2r(uint64_t dst, const uint64_t *in);  /* in[0..3] -> st1 {v0.16b, v1.16b} */
void simd_ld4_4s(uint64_t src, uint64_t *io);      /* v0-v3 = io[0..7]; ld4; -> io */

__asm__(
    "    .arch armv8-a\n"
    "    .text\n"
    "    .global simd_ld1_4s\n"
    "simd_ld1_4s:\n"
    "    ld1 {v0.4s}, [x0]\n"
    "    st1 {v0.2d}, [x1]\n"
    "    ret\n"
    "    .global simd_ld1r_8h\n"
    "simd_ld1r_8h:\n"
    "    ld1r {v0.8h}, [x0]\n"
    "    st1 {v0.2d}, [x1]\n"
    "    ret\n"
    "    .global simd_st1_2r\n"
    "simd_st1_2r:\n"
    "    ld1 {v0.2d, v1.2d}, [x1]\n"
    "    st1 {v0.16b, v1.16b}, [x0]\n"
    "    ret\n"
    "    .global simd_ld4_4s\n"
    "simd_ld4_4s:\n"
    "    ld1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]\n"
    "    ld4 {v0.4s, v1.4s, v2.4s, v3.4s}, [x0]\n"
    "    st1 {v0.2d, v1.2d, v2.2d, v3.2d}, [x1]\n"
    "    ret\n");

static void report_abort(const char *what)
{
    puts_(what);
    putc_('\n');
    putreg("  aborts", g_exc_count);
    putreg("  EC", g_esr >> 26);
    putreg("  ISV", (g_esr >> 24) & 1);
    putreg("  WnR", (g_esr >> 6) & 1);
    putreg("  DFSC", g_esr & 0x3f);
    putreg("  FAR - WIN", g_far - WIN);
}

int main(void)
{
    WRITE_SYSREG(vbar_el1, (uint64_t)vectors_el1);
    WRITE_SYSREG(cpacr_el1, 3ul << 20);   /* FPEN: no AdvSIMD trap */
    l1[0] = 0x00000000ul | DEVICE | D_BLOCK;
    l1[1] = 0x40000000ul | NORMAL | D_BLOCK;
    l1[2] = (uint64_t)l2 | D_TABLE;
    l2[0] = (uint64_t)l3 | D_TABLE;
    l3[0] = (uint64_t)page_a | NORMAL | D_PXN | D_UXN | D_PAGE;
    WRITE_SYSREG(mair_el1, MAIR_VAL);
    WRITE_SYSREG(tcr_el1, 25 | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (5ul << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    DSB();
    ISB();
    WRITE_SYSREG(sctlr_el1, (READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12)) & ~2ul);
    ISB();
    for (unsigned i = 0; i < 4096; i++)
        page_a[i] = (uint8_t)i;

    /* Unaligned elements in Normal memory */
    simd_ld1_4s(WIN + 2, buf);
    putreg("ld1 .4s at +2 lo", buf[0]);
    putreg("ld1 .4s at +2 hi", buf[1]);
    simd_ld1r_8h(WIN + 1, buf);
    putreg("ld1r .8h at +1", buf[0]);
    check_eq("ld1r .8h hi", buf[1], buf[0]);

    /* ST1 of two registers across into the unmapped page */
    static const uint64_t in[4] = { 0x1111111111111111ul, 0x2222222222222222ul,
                                    0x3333333333333333ul, 0x4444444444444444ul };
    g_exc_count = 0;
    simd_st1_2r(WIN + 0x1000 - 16, in);
    report_abort("st1 {v0, v1} across the page end");
    putreg("  first register stored (lo)", *(volatile uint64_t *)(page_a + 4080));
    putreg("  first register stored (hi)", *(volatile uint64_t *)(page_a + 4088));

    /* LD4 across into the unmapped page: registers keep their values */
    for (unsigned i = 0; i < 8; i++)
        buf[i] = 0xa0a0a0a0a0a0a0a0ul + i;
    g_exc_count = 0;
    simd_ld4_4s(WIN + 0x1000 - 32, buf);
    report_abort("ld4 across the page end");
    for (unsigned i = 0; i < 8; i++)
        check_eq("  ld4 register unchanged", buf[i], 0xa0a0a0a0a0a0a0a0ul + i);
    putreg("failures", (uint64_t)guest_failures);
    return guest_failures;
}
