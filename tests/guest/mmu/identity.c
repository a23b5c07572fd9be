/*
 * Stage 1 at EL1 (Arm ARM D8): an identity map with 1GB blocks (Device
 * for 0-1GB, Normal for RAM), a 4KB-page window at VA 0x80000000, then
 *  - AT S1E1R results in PAR_EL1 (PA, ATTR from MAIR, SH; F/FST on a fault);
 *  - TLBI VAE1 makes a changed page descriptor visible;
 *  - a translation fault as a data abort (ESR_EL1, FAR_EL1);
 *  - PAN: privileged loads of EL0-accessible memory fault, LDTR does not,
 *    AT S1E1RP applies PAN and AT S1E1R does not;
 *  - UAO: LDTR of an EL1-only page faults, with PSTATE.UAO = 1 it does not;
 *  - LDAR/STLR: misaligned, an Alignment fault even with SCTLR_EL1.A = 0,
 *    where a misaligned LDR of Normal memory is allowed;
 *  - DC ZVA zeroes DCZID_EL0-sized blocks (64 bytes);
 *  - self-modifying code: write an instruction, DC CVAU + IC IVAU, run it.
 */
#include "mmu_guest.h"

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint8_t page_a[4096] __attribute__((aligned(4096)));
static uint8_t page_b[4096] __attribute__((aligned(4096)));
static uint8_t page_user[4096] __attribute__((aligned(4096)));
static uint32_t page_code[1024] __attribute__((aligned(4096)));
static uint8_t zbuf[256] __attribute__((aligned(128)));
static volatile uint64_t abuf[2] __attribute__((aligned(16)));

#define WIN 0x80000000ul

uint64_t el2_lower_sync(uint64_t *regs)
{
    (void)regs;
    return 1;
}

static uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }

static void sync_code(void *p)
{
    __asm__ volatile("dc cvau, %0\n dsb ish\n ic ivau, %0\n dsb ish\n isb" ::"r"(p) : "memory");
}

int main(void)
{
    WRITE_SYSREG(vbar_el1, (uint64_t)vectors_el1);
    l1[0] = 0x00000000ul | DEVICE | D_BLOCK;
    l1[1] = 0x40000000ul | NORMAL | D_BLOCK;
    l1[2] = (uint64_t)l2 | D_TABLE;
    l2[0] = (uint64_t)l3 | D_TABLE;
    l3[0] = (uint64_t)page_a | NORMAL | D_PXN | D_PAGE;
    l3[1] = (uint64_t)page_user | NORMAL | D_AP_EL0 | D_PXN | D_UXN | D_PAGE;
    /* TCR_EL1: T0SZ = 25 (start level 1), WB WA, Inner Shareable, 4KB,
     * EPD1, IPS = 48 bits. */
    WRITE_SYSREG(mair_el1, MAIR_VAL);
    WRITE_SYSREG(tcr_el1, 25 | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23) | (5ul << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    DSB();
    ISB();
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1 | (1 << 2) | (1 << 12));
    ISB();
    putreg("SCTLR_EL1.M", READ_SYSREG(sctlr_el1) & 1);

    /* AT on identity-mapped RAM: PA = VA, Attr0 (0xff), Inner Shareable */
    uint64_t par = at_s1e1r((uint64_t)l1 + 0x123);
    check_eq("PAR.PA identity", par & 0xfffffffff000ul, (uint64_t)l1);
    putreg("PAR.ATTR", par >> 56);
    putreg("PAR.SH", (par >> 7) & 3);
    putreg("PAR.F", par & 1);

    /* The 4KB window and TLBI VAE1 */
    *(volatile uint64_t *)page_a = 0x1111;
    *(volatile uint64_t *)page_b = 0x2222;
    putreg("window before", rd(WIN));
    l3[0] = (uint64_t)page_b | NORMAL | D_PXN | D_PAGE;
    tlbi_vae1(WIN);
    putreg("window after TLBI", rd(WIN));
    par = at_s1e1r(WIN);
    check_eq("PAR.PA window", par & 0xfffffffff000ul, (uint64_t)page_b);

    /* AT on an unmapped page: F = 1, FST = translation fault level 3 */
    par = at_s1e1r(WIN + 0x2000);
    putreg("PAR fault", par & 0xfff);

    /* A data abort: EC 0x25, DFSC 0b000111, FAR = VA */
    g_exc_count = 0;
    (void)rd(WIN + 0x2008);
    putreg("aborts", g_exc_count);
    putreg("ESR_EL1", g_esr);
    putreg("FAR_EL1", g_far);

    /* PAN */
    *(volatile uint64_t *)page_user = 0x3333;
    set_pan(1);
    g_exc_count = 0;
    (void)rd(WIN + 0x1000);
    putreg("PAN load aborts", g_exc_count);
    putreg("PAN ESR_EL1", g_esr);
    uint64_t v;
    __asm__ volatile("ldtr %0, [%1]" : "=r"(v) : "r"(WIN + 0x1000) : "memory");
    putreg("LDTR under PAN", v);
    __asm__ volatile("sys #0, c7, c9, #0, %0\n isb" /* AT S1E1RP */ ::"r"(WIN + 0x1000) : "memory");
    putreg("AT S1E1RP PAR.F/FST", READ_SYSREG(par_el1) & 0x7f);
    putreg("AT S1E1R PAR.F", at_s1e1r(WIN + 0x1000) & 1);
    set_pan(0);
    putreg("load without PAN", rd(WIN + 0x1000));
    putreg("aborts total", g_exc_count);

    /* UAO (FEAT_UAO): LDTR at EL1 uses EL0 permissions, so the EL1-only
     * window page faults; with PSTATE.UAO = 1 it is an ordinary load. The
     * same loop body runs with UAO 0, 1, 0, 1 (the translator looks up the
     * context in force when it runs: CPUState.tlb_unpriv). */
    uint64_t got = 0;
    g_exc_count = 0;
    for (int i = 0; i < 4; i++) {
        set_uao(i & 1);
        uint64_t w = 0;
        __asm__ volatile("ldtr %0, [%1]" : "+r"(w) : "r"(WIN) : "memory");
        got += w;
    }
    set_uao(0);
    putreg("LDTR, UAO 0,1,0,1: aborts", g_exc_count);
    putreg("LDTR, UAO 0,1,0,1: sum", got);

    /* LDAR/STLR (Arm ARM B2.5.2, "Alignment of data accesses": load-acquire
     * and store-release check alignment whatever SCTLR_ELx.A says, as the
     * exclusives do; the translator inlines them since session 19). A
     * misaligned LDR of Normal memory with SCTLR_EL1.A = 0 is allowed; LDAR
     * and STLR at the same address take an Alignment fault (EC 0x25, DFSC
     * 0b100001), leave Xt and memory unchanged; aligned ones and LDARB at
     * an odd address do not fault. */
    abuf[0] = 0x1122334455667788ul;
    abuf[1] = 0x99aabbccddeeff00ul;
    uint64_t mis = (uint64_t)abuf + 4, ld = 7;
    g_exc_count = 0;
    putreg("misaligned LDR", *(volatile uint64_t *)mis);
    __asm__ volatile("ldar %0, [%1]" : "+r"(ld) : "r"(mis) : "memory");
    putreg("misaligned LDAR: aborts", g_exc_count);
    putreg("misaligned LDAR: ESR_EL1", g_esr);
    putreg("misaligned LDAR: Xt", ld);
    __asm__ volatile("stlr %0, [%1]" ::"r"(0x5555ul), "r"(mis) : "memory");
    putreg("misaligned STLR: aborts", g_exc_count);
    putreg("misaligned STLR: memory", abuf[0]);
    __asm__ volatile("stlr %0, [%1]" ::"r"(0x6666ul), "r"(abuf) : "memory");
    __asm__ volatile("ldar %0, [%1]" : "=r"(ld) : "r"(abuf) : "memory");
    putreg("aligned STLR, LDAR", ld);
    __asm__ volatile("ldarb %w0, [%1]" : "=r"(ld) : "r"(mis + 1) : "memory");
    putreg("LDARB at an odd address", ld);
    putreg("LDAR/STLR aborts", g_exc_count);

    /* DC ZVA */
    putreg("DCZID_EL0", READ_SYSREG(dczid_el0));
    for (unsigned i = 0; i < sizeof zbuf; i++)
        zbuf[i] = 0xa5;
    __asm__ volatile("dc zva, %0" ::"r"(zbuf + 64 + 5) : "memory");
    unsigned zeros = 0;
    for (unsigned i = 0; i < sizeof zbuf; i++)
        zeros += zbuf[i] == 0 && i >= 64 && i < 128;
    putreg("DC ZVA zeroed bytes", zeros);
    check_eq("DC ZVA below", zbuf[63], 0xa5);
    check_eq("DC ZVA above", zbuf[128], 0xa5);

    /* Self-modifying code */
    uint64_t (*fn)(void) = (uint64_t (*)(void))(void *)page_code;
    page_code[0] = 0xd2800540;         /* movz x0, #42 */
    page_code[1] = 0xd65f03c0;         /* ret */
    sync_code(page_code);
    putreg("code v1", fn());
    page_code[0] = 0xd2800560;         /* movz x0, #43 */
    sync_code(page_code);
    putreg("code v2", fn());
    return 0;
}
