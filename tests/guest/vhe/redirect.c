/*
 * FEAT_VHE register redirection, one register at a time (Arm ARM D5.6
 * "Virtualization Host Extensions", and each register's accessor
 * pseudocode: "if ELIsInHost(EL2) then X = <reg>_EL2"):
 *  - at EL2 with HCR_EL2.E2H = 1, the _EL1 name reaches the _EL2 register
 *    (SCTLR, TTBR0, TTBR1, TCR, ESR, FAR, AFSR0/1, MAIR, AMAIR, VBAR,
 *    CONTEXTIDR, ELR, SPSR, CPACR -> CPTR_EL2, CNTKCTL -> CNTHCTL_EL2, and
 *    the EL0 timers CNTP_* -> CNTHP_*_EL2, CNTV_* -> CNTHV_*_EL2);
 *  - the _EL12 / _EL02 name reaches the real EL1 / EL0 register;
 *  - with E2H = 0 the _EL12 / _EL02 names are UNDEFINED (EC 0x00), and so
 *    they are at EL1 (HCR_EL2.NV = 0).
 * For each register: EL2 name <- a, _EL12 <- b (E2H = 1), _EL1 name <- c;
 * then the EL2 name must read c, the _EL12 name b, and with E2H = 0 the
 * _EL1 name b (the values are chosen inside each register's writable
 * bits; the AFSR/AMAIR registers are RES0 here and read 0).
 */
#include "../exc/exc_harness.h"

#define HCR_RW  (1ull << 31)
#define HCR_E2H (1ull << 34)

#define X_REGS(X)                                                                             \
    X(sctlr, "sctlr_el1", "sctlr_el2", "S3_5_C1_C0_0", 0x30c51830ull, 0x30d01980ull,          \
      0x30c50830ull, ~0ull)                                                                   \
    X(ttbr0, "ttbr0_el1", "ttbr0_el2", "S3_5_C2_C0_0", 0x41000ull, 0x42000ull, 0x43000ull, ~0ull) \
    X(ttbr1, "ttbr1_el1", "S3_4_C2_C0_1", "S3_5_C2_C0_1", 0x51000ull, 0x52000ull, 0x53000ull, ~0ull) \
    X(tcr, "tcr_el1", "tcr_el2", "S3_5_C2_C0_2", 0x19ull, 0x20ull, 0x21ull, ~0ull)            \
    X(esr, "esr_el1", "esr_el2", "S3_5_C5_C2_0", 0x11ull, 0x22ull, 0x33ull, ~0ull)            \
    X(far, "far_el1", "far_el2", "S3_5_C6_C0_0", 0x1111ull, 0x2222ull, 0x3333ull, ~0ull)      \
    X(afsr0, "afsr0_el1", "afsr0_el2", "S3_5_C5_C1_0", 1, 2, 3, 0)                            \
    X(afsr1, "afsr1_el1", "afsr1_el2", "S3_5_C5_C1_1", 1, 2, 3, 0)                            \
    X(mair, "mair_el1", "mair_el2", "S3_5_C10_C2_0", 0x44ull, 0xff44ull, 0x4404ull, ~0ull)    \
    X(amair, "amair_el1", "amair_el2", "S3_5_C10_C3_0", 1, 2, 3, 0)                           \
    X(vbar, "vbar_el1", "vbar_el2", "S3_5_C12_C0_0", 0x40000800ull, 0x40001000ull,           \
      0x40001800ull, ~0ull)                                                                   \
    X(ctxid, "contextidr_el1", "S3_4_C13_C0_1", "S3_5_C13_C0_1", 0x5ull, 0x6ull, 0x7ull, ~0ull) \
    X(elr, "elr_el1", "elr_el2", "S3_5_C4_C0_1", 0x1000ull, 0x2000ull, 0x3000ull, ~0ull)      \
    X(spsr, "spsr_el1", "spsr_el2", "S3_5_C4_C0_0", 0x3c5ull, 0x3c4ull, 0x3c9ull, ~0ull)      \
    X(cntkctl, "cntkctl_el1", "cnthctl_el2", "S3_5_C14_C1_0", 0x3ull, 0x2ull, 0x303ull, ~0ull) \
    X(cntpctl, "cntp_ctl_el0", "S3_4_C14_C2_1", "S3_5_C14_C2_1", 0x2ull, 0x2ull, 0x0ull, ~0ull) \
    X(cntpcval, "cntp_cval_el0", "S3_4_C14_C2_2", "S3_5_C14_C2_2", 0x1000000ull,            \
      0x2000000ull, 0x3000000ull, ~0ull)                                                      \
    X(cntvctl, "cntv_ctl_el0", "S3_4_C14_C3_1", "S3_5_C14_C3_1", 0x2ull, 0x2ull, 0x0ull, ~0ull) \
    X(cntvcval, "cntv_cval_el0", "S3_4_C14_C3_2", "S3_5_C14_C3_2", 0x4000000ull,            \
      0x5000000ull, 0x6000000ull, ~0ull)

struct vreg {
    const char *name;
    void (*w1)(uint64_t), (*w2)(uint64_t), (*w12)(uint64_t);
    uint64_t (*r1)(void), (*r2)(void), (*r12)(void);
    uint64_t a, b, c, mask;
    char *undef12;       /* the MRS of the _EL12 name, for the UNDEFINED checks */
};

#define GEN(id, n1, n2, n12, va, vb, vc, m)                                                   \
    static void w1_##id(uint64_t v) { __asm__ volatile("msr " n1 ", %0\n isb" ::"r"(v)); }   \
    static void w2_##id(uint64_t v) { __asm__ volatile("msr " n2 ", %0\n isb" ::"r"(v)); }   \
    static void w12_##id(uint64_t v) { __asm__ volatile("msr " n12 ", %0\n isb" ::"r"(v)); } \
    static uint64_t r1_##id(void) { uint64_t v; __asm__ volatile("mrs %0, " n1 : "=r"(v)); return v; } \
    static uint64_t r2_##id(void) { uint64_t v; __asm__ volatile("mrs %0, " n2 : "=r"(v)); return v; } \
    static uint64_t r12_##id(void) { uint64_t v; __asm__ volatile("mrs %0, " n12 : "=r"(v)); return v; } \
    extern char u12_##id[];                                                                   \
    __asm__(".text\n.balign 4\n.global u12_" #id "\nu12_" #id ":\n mrs x0, " n12 "\n ret\n");
X_REGS(GEN)
#define ROW(id, n1, n2, n12, va, vb, vc, m)                                                   \
    { #id, w1_##id, w2_##id, w12_##id, r1_##id, r2_##id, r12_##id, va, vb, vc, m, u12_##id },
static const struct vreg regs[] = { X_REGS(ROW) };

static void set_hcr(uint64_t v)
{
    WRITE_SYSREG(hcr_el2, HCR_RW | v);
    ISB();
}

int main(void)
{
    exc_install();
    uint64_t vbar2 = READ_SYSREG(vbar_el2);
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        const struct vreg *r = &regs[i];
        set_hcr(0);
        r->w2(r->a);
        set_hcr(HCR_E2H);
        r->w12(r->b);
        r->w1(r->c);
        uint64_t el2 = r->r2(), el12 = r->r12(), el1_host = r->r1();
        set_hcr(0);
        uint64_t el1 = r->r1();
        if (r->w1 == w1_vbar)
            WRITE_SYSREG(vbar_el2, vbar2);        /* the harness's vectors again */
        ISB();
        puts_(r->name);
        puts_(": EL2 name ");
        puthex(el2);
        puts_(", _EL12 ");
        puthex(el12);
        puts_(", _EL1 name without E2H ");
        puthex(el1);
        putc_('\n');
        check_eq(r->name, el2, r->c & r->mask);
        check_eq(r->name, el1_host, r->c & r->mask);
        check_eq(r->name, el12, r->b & r->mask);
        check_eq(r->name, el1, r->b & r->mask);
    }
    /* _EL12/_EL02 are UNDEFINED without E2H, at EL2 (taken to EL2) ... */
    set_hcr(0);
    WRITE_SYSREG(vbar_el1, (uint64_t)guest_vectors);
    unsigned undef2 = 0, undef1 = 0;
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        exc_clear();
        ((uint64_t(*)(void))(void *)regs[i].undef12)();
        if (exc_rec.count == 1 && exc_rec.el == 8 && exc_rec.esr == ESR_IL &&
            exc_rec.elr == (uint64_t)regs[i].undef12)
            undef2++;
        else
            check_eq(regs[i].name, exc_rec.esr, ESR_IL);
    }
    /* ... and at EL1 without HCR_EL2.NV (taken to EL1) */
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        exc_clear();
        run_lower((uint64_t(*)(void))(void *)regs[i].undef12, SPSR_EL1H, LOWER_SP);
        if (exc_rec.el == 4 && exc_rec.esr == ESR_IL && exc_rec.elr == (uint64_t)regs[i].undef12)
            undef1++;
        else
            check_eq(regs[i].name, exc_rec.esr, ESR_IL);
    }
    putreg("_EL12/_EL02 UNDEFINED at EL2 with E2H=0", undef2);
    putreg("_EL12/_EL02 UNDEFINED at EL1", undef1);
    check_eq("undef2", undef2, sizeof regs / sizeof regs[0]);
    check_eq("undef1", undef1, sizeof regs / sizeof regs[0]);
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
