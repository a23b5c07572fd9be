/*
 * A minimal hypervisor at EL2 (Arm ARM D8.2.8 stage 2, D17.2.37 ISS for
 * data aborts, D17.2.58 HPFAR_EL2): stage 2 maps the guest's RAM only; the
 * EL1 guest's loads and stores to an "emulated device" at IPA 0x0a001000
 * take stage-2 data aborts, which the hypervisor decodes from ESR_EL2
 * (ISV, SAS, SSE, SRT, SF, WnR) and HPFAR_EL2/FAR_EL2, emulates by reading
 * or writing the guest's saved register, and resumes after the
 * instruction. Then stage 2 is changed (a page remapped), and after TLBI
 * IPAS2E1 + VMALLE1 the guest sees the new mapping; AT S12E1R reports the
 * full translation.
 */
#include "mmu_guest.h"

static uint64_t s2_l1[512] __attribute__((aligned(4096)));
static uint64_t s2_l2[512] __attribute__((aligned(4096)));
static uint64_t s2_l3[512] __attribute__((aligned(4096)));
static uint8_t el1_stack[4096] __attribute__((aligned(16)));
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));

#define DEV_IPA 0x0a001000ul
#define WIN_IPA 0x80000000ul          /* IPA window mapped by stage-2 pages */

static uint64_t dev_reg = 0xfedcba9876543210ul;   /* the emulated device register */
static uint64_t exits, last_esr, last_hpfar, last_far;

uint64_t el2_lower_sync(uint64_t *regs)
{
    uint64_t esr = READ_SYSREG(esr_el2);
    unsigned ec = esr >> 26;
    if (ec == 0x16)                 /* HVC: the guest is done */
        return 1;
    exits++;
    last_esr = esr;
    last_hpfar = READ_SYSREG(hpfar_el2);
    last_far = READ_SYSREG(far_el2);
    if (ec != 0x24 || !(esr & (1u << 24)))
        guest_exit(97);             /* not an emulatable abort */
    unsigned sas = (esr >> 22) & 3, srt = (esr >> 16) & 31;
    bool sse = (esr >> 21) & 1, sf = (esr >> 15) & 1, wnr = (esr >> 6) & 1;
    uint64_t ipa = ((last_hpfar >> 4) << 12) | (last_far & 0xfff);
    unsigned bytes = 1u << sas;
    unsigned off = (unsigned)(ipa & 7);
    uint64_t mask = bytes == 8 ? ~0ul : (1ul << (8 * bytes)) - 1;
    if (wnr) {
        uint64_t v = srt == 31 ? 0 : regs[srt];
        dev_reg = (dev_reg & ~(mask << (8 * off))) | ((v & mask) << (8 * off));
    } else if (srt != 31) {
        uint64_t v = (dev_reg >> (8 * off)) & mask;
        if (sse && bytes < 8 && (v >> (8 * bytes - 1)) & 1)
            v |= ~mask;
        if (!sf)
            v &= 0xffffffffu;
        regs[srt] = v;
    }
    WRITE_SYSREG(elr_el2, READ_SYSREG(elr_el2) + 4);
    return 0;
}

static uint64_t results[8];

/* The EL1 guest (stage 1 off): device accesses with known registers. */
static void guest(uint64_t arg)
{
    uint64_t a = DEV_IPA, r;
    __asm__ volatile("mov x1, %1\n ldr x5, [x1]\n mov %0, x5" : "=r"(r) : "r"(a) : "x1", "x5", "memory");
    results[0] = r;
    __asm__ volatile("mov x1, %1\n ldrsb w7, [x1, #7]\n mov %0, x7" : "=r"(r) : "r"(a) : "x1", "x7", "memory");
    results[1] = r;
    __asm__ volatile("mov x1, %0\n mov x9, #0xbeef\n strh w9, [x1, #2]" ::"r"(a) : "x1", "x9", "memory");
    __asm__ volatile("mov x1, %1\n ldr w3, [x1]\n mov %0, x3" : "=r"(r) : "r"(a) : "x1", "x3", "memory");
    results[2] = r;
    results[3] = *(volatile uint64_t *)(WIN_IPA + arg);
    __asm__ volatile("mov x0, #0\n hvc #0" ::: "x0", "memory");
    __builtin_unreachable();
}

static void guest_win(uint64_t arg)
{
    results[4] = *(volatile uint64_t *)(WIN_IPA + arg);
    __asm__ volatile("mov x0, #0\n hvc #0" ::: "x0", "memory");
    __builtin_unreachable();
}

int main(void)
{
    putreg("CurrentEL", current_el());
    WRITE_SYSREG(vbar_el2, (uint64_t)vectors_el2);
    /* Stage 2: 4KB granule, 32-bit IPA, start level 1 (VTCR_EL2.SL0 = 1):
     * IPA 1-2GB identity as a 1GB block; IPA 0x80000000 -> page_a. */
    s2_l1[1] = 0x40000000ul | S2_NORMAL | S2_RW | D_BLOCK;
    s2_l1[2] = (uint64_t)s2_l2 | D_TABLE;
    s2_l2[0] = (uint64_t)s2_l3 | D_TABLE;
    s2_l3[0] = (uint64_t)page_a | S2_NORMAL | S2_RW | D_PAGE;
    *(volatile uint64_t *)page_a = 0xaaaa;
    *(volatile uint64_t *)page_b = 0xbbbb;
    WRITE_SYSREG(vtcr_el2, 32 | (1ul << 6) | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 16) |
                               (1ul << 31));
    WRITE_SYSREG(vttbr_el2, (uint64_t)s2_l1 | (3ul << 48));
    WRITE_SYSREG(sctlr_el1, 0x30d00800);
    WRITE_SYSREG(hcr_el2, (1ul << 31) | 1);        /* RW, VM */
    ISB();

    run_el1(guest, (uint64_t)el1_stack + sizeof el1_stack, 0);
    putreg("exits", exits);
    putreg("ldr x5 -> x5", results[0]);
    putreg("ldrsb w7 -> x7", results[1]);
    putreg("ldr w3 after strh", results[2]);
    putreg("device register", dev_reg);
    putreg("last ESR_EL2", last_esr);
    putreg("last HPFAR_EL2", last_hpfar);
    putreg("last FAR_EL2", last_far);
    putreg("window (page_a)", results[3]);

    /* Remap the stage-2 window page and invalidate by IPA + VMALLE1. */
    s2_l3[0] = (uint64_t)page_b | S2_NORMAL | S2_RW | D_PAGE;
    __asm__ volatile("dsb ishst\n tlbi ipas2e1is, %0\n dsb ish\n tlbi vmalle1is\n dsb ish\n isb"
                     ::"r"(WIN_IPA >> 12) : "memory");
    run_el1(guest_win, (uint64_t)el1_stack + sizeof el1_stack, 0);
    putreg("window after TLBI IPAS2E1IS", results[4]);

    /* AT S12E1R: stage 1 off, so VA = IPA; PAR holds the PA. */
    __asm__ volatile("at s12e1r, %0\n isb" ::"r"(WIN_IPA + 0x10) : "memory");
    uint64_t par = READ_SYSREG(par_el1);
    check_eq("AT S12E1R PA", par & 0xfffffffff000ul, (uint64_t)page_b);
    /* ... and a stage-2 fault: F = 1, S = 1, FST = translation level 1 */
    __asm__ volatile("at s12e1r, %0\n isb" ::"r"(DEV_IPA) : "memory");
    putreg("AT S12E1R fault PAR", READ_SYSREG(par_el1) & 0xfff);
    return 0;
}
