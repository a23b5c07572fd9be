/*
 * FEAT_NV with HCR_EL2.{NV,NV1} = {1,1}: the EL1&0 stage-1 permission model
 * changes (Arm ARM AArch64.S1DecodePermissions / S1ComputePermissions with
 * walkparams.nv1 = EffectiveHCR_EL2_NVx()<1>): AP[1] is treated as 0 (no
 * EL0 access), bit[54] is PXN, and PSTATE.PAN has no effect. Checked with
 * AT S1E0R / S1E1RP (with PSTATE.PAN = 1) from EL2 (the regime's walk does not depend on the
 * current EL), reading PAR_EL1 (F = bit 0, FST = bits [6:1]).
 * Execution at EL1 from a page with bit[54] (UXN, or PXN under NV1) or
 * from under a table with bit[60] (UXNTable, or PXNTable under NV1) set.
 * Also LDTR at EL1: an unprivileged load normally, checked against EL0
 * permissions (a permission fault on EL1-only memory), but with
 * {NV,NV1} = {1,1} a plain EL1 load (Arm ARM C6.2 LDTR: "if
 * EffectiveHCR_EL2_NVx()<1:0> == '11' ... unprivileged = FALSE").
 */
#include "nv_common.h"

#define D_TABLE 3ull
#define D_PAGE  3ull
#define D_AF    (1ull << 10)
#define D_AP_EL0 (1ull << 6)
#define PAR_F   1ull
#define FST_PERM_L3 0x0full

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint8_t target[4096] __attribute__((aligned(4096)));

#define VA_P1 0x1000ull     /* AP = 01: EL1 and EL0 read/write */

#define D_BLOCK 1ull
#define D_SH_IS (3ull << 8)
volatile uint64_t ldtr_target = 0x1234abcdull;
ACCESS(a_ldtr, "ldr x1, =ldtr_target\n ldtr x0, [x1]")

static uint64_t l3b[512] __attribute__((aligned(4096)));
static uint32_t xpage[1024] __attribute__((aligned(4096)));
#define VA_X1 0x2000ull       /* leaf bit 54 set */
#define VA_X2 0x201000ull     /* under an L2 table descriptor with bit 60 */

/* EL1 vectors that leave to EL2 at once (HVC #0xffff ends run_lower),
 * so an EL1 exception taken under NV needs no EL1 handler */
extern char el1_leave_vectors[];
__asm__(".text\n.balign 2048\n.global el1_leave_vectors\nel1_leave_vectors:\n"
        ".rept 16\n.balign 128\nhvc #0xffff\n.endr\n");

/* Runs the code at va at EL1; returns ESR_EL1 of the exception it took at
 * EL1, or 0 if it returned normally. */
static uint64_t exec_el1(uint64_t va)
{
    WRITE_SYSREG(esr_el1, 0);
    at_el1((char *)va);
    return exc_rec.count == 1 ? READ_SYSREG(esr_el1) : ~0ull;
}

static uint64_t at_s1e0r(uint64_t va)
{
    __asm__ volatile("at s1e0r, %0\n isb" ::"r"(va));
    return READ_SYSREG(par_el1);
}

static uint64_t at_s1e1rp(uint64_t va)
{
    /* PSTATE.PAN = 1 (MSR PAN, #1), AT S1E1RP, PSTATE.PAN = 0 */
    __asm__ volatile(".inst 0xd500419f\n sys #0, c7, c9, #0, %0\n isb\n .inst 0xd500409f" ::"r"(va));
    return READ_SYSREG(par_el1);
}

static void show(const char *what, uint64_t par, int want_fault)
{
    puts_(what);
    puts_(want_fault ? ": fault, FST " : ": ok, PA ");
    puthex(want_fault ? (par >> 1) & 0x3f : par & 0xfffffffff000ull);
    putc_('\n');
    check_eq(what, par & PAR_F, want_fault ? 1 : 0);
    if (want_fault)
        check_eq(what, (par >> 1) & 0x3f, FST_PERM_L3);
    else
        check_eq(what, par & 0xfffffffff000ull, (uint64_t)target);
}

int main(void)
{
    l1[0] = (uint64_t)l2 | D_TABLE;
    l2[0] = (uint64_t)l3 | D_TABLE;
    l3[1] = (uint64_t)target | D_PAGE | D_AF | D_AP_EL0;
    WRITE_SYSREG(mair_el1, 0xff);
    /* T0SZ = 25 (start at level 1), 4 KiB granule, EPD1, IPS = 40 bits */
    WRITE_SYSREG(tcr_el1, 25ull | (1ull << 23) | (2ull << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1);
    ISB();

    set_hcr(0);
    show("AT S1E0R, NV1=0", at_s1e0r(VA_P1), 0);
    show("AT S1E1RP (PAN), NV1=0", at_s1e1rp(VA_P1), 1);
    set_hcr(HCR_NV);
    show("AT S1E0R, NV=1 NV1=0", at_s1e0r(VA_P1), 0);
    set_hcr(HCR_NV | HCR_NV1);
    /* AP[1] treated as 0: no EL0 access, so also not subject to PAN */
    show("AT S1E0R, NV1=1", at_s1e0r(VA_P1), 1);
    show("AT S1E1RP (PAN), NV1=1", at_s1e1rp(VA_P1), 0);

    /* LDTR at EL1 with the EL1 MMU on: RAM is one EL1-only block
     * (AP = 00, executable at EL1) */
    exc_install();
    l1[1] = 0x40000000ull | D_BLOCK | D_AF | D_SH_IS;
    __asm__ volatile("dsb sy\n tlbi vmalle1\n dsb sy\n isb" ::: "memory");
    set_hcr(0);
    at_el1(a_ldtr);
    putreg("LDTR at EL1, NV1=0: ESR_EL1", exc_rec.esr);
    check_eq("LDTR NV1=0 el", exc_rec.el, 4);
    /* EC 0x25, IL, DFSC = permission fault at level 1 */
    check_eq("LDTR NV1=0 esr", exc_rec.esr & ~(0x3ffull << 14),
             (0x25ull << EC_SHIFT) | ESR_IL | 0x0d);
    check_eq("LDTR NV1=0 far", exc_rec.far, (uint64_t)&ldtr_target);
    set_hcr(HCR_NV | HCR_NV1);
    uint64_t v = at_el1(a_ldtr);
    putreg("LDTR at EL1, NV1=1: loaded", v);
    check_eq("LDTR NV1=1 value", v, 0x1234abcdull);
    check_eq("LDTR NV1=1 no exception", exc_rec.count, 1);

    /* Execution: bit 54 of the leaf, bit 60 of a table descriptor */
    xpage[0] = 0xd65f03c0;                               /* RET */
    l3[2] = (uint64_t)xpage | D_PAGE | D_AF | (1ull << 54);
    l2[1] = (uint64_t)l3b | D_TABLE | (1ull << 60);
    l3b[1] = (uint64_t)xpage | D_PAGE | D_AF;
    WRITE_SYSREG(vbar_el1, (uint64_t)el1_leave_vectors);
    __asm__ volatile("dsb sy\n tlbi vmalle1\n dsb sy\n isb" ::: "memory");
    set_hcr(0);
    uint64_t e1 = exec_el1(VA_X1), e2 = exec_el1(VA_X2);
    putreg("EL1 exec, bit 54 (UXN), NV1=0: ESR_EL1", e1);
    putreg("EL1 exec, table bit 60 (UXNTable), NV1=0: ESR_EL1", e2);
    check_eq("UXN does not stop EL1", e1, 0);
    check_eq("UXNTable does not stop EL1", e2, 0);
    set_hcr(HCR_NV | HCR_NV1);
    e1 = exec_el1(VA_X1);
    uint64_t f1 = READ_SYSREG(far_el1);
    e2 = exec_el1(VA_X2);
    uint64_t f2 = READ_SYSREG(far_el1);
    putreg("EL1 exec, bit 54 (PXN), NV1=1: ESR_EL1", e1);
    putreg("EL1 exec, table bit 60 (PXNTable), NV1=1: ESR_EL1", e2);
    /* instruction abort, same EL (EC 0x21), IL, IFSC permission level 3 */
    check_eq("PXN under NV1", e1, (0x21ull << EC_SHIFT) | ESR_IL | 0x0f);
    check_eq("PXNTable under NV1", e2, (0x21ull << EC_SHIFT) | ESR_IL | 0x0f);
    check_eq("FAR 1", f1, VA_X1);
    check_eq("FAR 2", f2, VA_X2);
    WRITE_SYSREG(vbar_el1, (uint64_t)guest_vectors);

    set_hcr(0);
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) & ~1ull);
    ISB();
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
