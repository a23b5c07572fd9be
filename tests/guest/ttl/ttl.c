/*
 * FEAT_TTL (Arm ARM D8.13 "TLB maintenance instructions", the TTL field
 * in bits [47:44] of the TLBI address operand; ID_AA64MMFR2_EL1.TTL) as
 * `-cpu max` implements it, and `ttl=off` (ttl_off.args). The hint is
 * accepted and the invalidation is the same with or without it (the model
 * invalidates every level; docs/el2.md): a stage-2 page is remapped and
 * TLBI IPAS2E1 with TTL = 0b0111 (4 KB granule, level 3) plus TLBI VMALLE1
 * makes EL1 see the new page, and a TLBI VAE1 with a TTL hint does not
 * fault. Without FEAT_TTL the field is RES0 and ignored the same way.
 */
#include "../nv/nv_common.h"

#define HCR_VM (1ull << 0)
#define D_TABLE 3ull
#define D_BLOCK 1ull
#define D_PAGE 3ull
#define D_AF (1ull << 10)
#define D_SH_IS (3ull << 8)
#define S2_RW (3ull << 6)
#define S2_NORMAL (D_AF | D_SH_IS | (0xfull << 2))
#define WIN_IPA 0x80000000ull
#define TTL_4K_L3 (0x7ull << 44)

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));
static uint64_t s2_l3[512] __attribute__((aligned(4096)));
static volatile uint64_t page_a[512] __attribute__((aligned(4096)));
static volatile uint64_t page_b[512] __attribute__((aligned(4096)));

ACCESS(a_read_win, "mov x1, #0x80000000\n ldr x0, [x1]")
ACCESS(a_tlbi_vae1_ttl, "mov x1, #(0x7 << 44)\n orr x1, x1, #0x80000\n tlbi vae1, x1\n dsb ish")

int main(void)
{
    exc_install();
    unsigned ttl = (READ_SYSREG(id_aa64mmfr2_el1) >> 48) & 0xf;
    putreg("ID_AA64MMFR2_EL1.TTL", ttl);
    check_eq("TTL is 0 or 1", ttl <= 1, 1);

    s2_l1[1] = 0x40000000ull | S2_NORMAL | S2_RW | D_BLOCK;
    s2_l1[2] = (uint64_t)s2_l2 | D_TABLE;
    s2_l2[0] = (uint64_t)s2_l3 | D_TABLE;
    s2_l3[0] = (uint64_t)page_a | S2_NORMAL | S2_RW | D_PAGE;
    page_a[0] = 0xaaaa;
    page_b[0] = 0xbbbb;
    WRITE_SYSREG(vtcr_el2, 32 | (1ul << 6) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 16) |
                               (1ul << 31));
    WRITE_SYSREG(vttbr_el2, (uint64_t)s2_l1);
    WRITE_SYSREG(sctlr_el1, 0x30d00800);          /* stage 1 off: VA = IPA */
    set_hcr(HCR_VM);
    __asm__ volatile("tlbi alle1\n dsb ish\n isb" ::: "memory");

    uint64_t v = at_el1(a_read_win);
    putreg("window before", v);
    check_eq("window before", v, 0xaaaa);
    s2_l3[0] = (uint64_t)page_b | S2_NORMAL | S2_RW | D_PAGE;
    __asm__ volatile("dsb ishst\n tlbi ipas2e1, %0\n dsb ish\n tlbi vmalle1\n dsb ish\n isb"
                     ::"r"((WIN_IPA >> 12) | TTL_4K_L3) : "memory");
    v = at_el1(a_read_win);
    putreg("window after TLBI IPAS2E1 with TTL 4K level 3", v);
    check_eq("window after", v, 0xbbbb);

    at_el1(a_tlbi_vae1_ttl);
    check_eq("TLBI VAE1 with a TTL hint: no exception", exc_rec.count, 1);
    check_eq("TLBI VAE1 with a TTL hint: only the HVC back", EC(exc_rec.esr), 0x16);
    puts_("TLBI VAE1 with a TTL hint at EL1: accepted\n");
    set_hcr(0);
    return guest_failures;
}
