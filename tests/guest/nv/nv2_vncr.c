/*
 * FEAT_NV2 (Arm ARM D8 "Enhanced support for nested virtualization",
 * VNCR_EL2 D24.2.220, the accessor pseudocode NVMem[offset]): with
 * HCR_EL2.{NV,NV2} = {1,1}, EL1 accesses to the listed registers become
 * 64-bit loads/stores at VNCR_EL2.BADDR + offset (EL2 regime, here with the
 * EL2 MMU off, so VA = PA). Every register is written at EL1 with a value
 * unique to its offset and must land in exactly that doubleword of the
 * VNCR page, and read back from a preset doubleword. The offsets below are
 * the architecture's (each register's accessor pseudocode); the conditions:
 *   _EL12 aliases: NVx == '101'; EL2 registers, ACTLR_EL1, MDSCR_EL1:
 *   NVx IN {'1x1'}; EL1/EL0 registers: NVx == '111'.
 * Also: the real registers are not touched; ELR/SPSR/ESR/FAR_EL2 at EL1
 * reach ELR/SPSR/ESR/FAR_EL1; other EL2 registers still trap (EC 0x18);
 * HCR_EL2.TVM takes priority over the transformation; ERET still traps
 * (EC 0x1A); a VNCR access that aborts is a data abort to EL2 (EC 0x24)
 * with ISS.VNCR = 1.
 */
#include "nv_common.h"

volatile uint64_t g_val;

#define GEN(id, reg, off, nm)                                                   \
    ACCESS(w_##id, "ldr x1, =g_val\n ldr x0, [x1]\n msr " reg ", x0")          \
    ACCESS(r_##id, "mrs x0, " reg)
#define ROW(id, reg, off, nm) { nm, w_##id, r_##id, off },

struct ent {
    const char *name;
    char *wfn, *rfn;
    unsigned off;
};

/* NVx = '101' (E2H guest hypervisor): the _EL12 aliases, the EL2
 * registers and the '1x1' EL1 registers */
#define LIST_101(X)                                              \
    X(sctlr12, "S3_5_C1_C0_0", 0x110, "SCTLR_EL12")              \
    X(cpacr12, "S3_5_C1_C0_2", 0x100, "CPACR_EL12")              \
    X(ttbr012, "S3_5_C2_C0_0", 0x200, "TTBR0_EL12")              \
    X(ttbr112, "S3_5_C2_C0_1", 0x210, "TTBR1_EL12")              \
    X(tcr12, "S3_5_C2_C0_2", 0x120, "TCR_EL12")                  \
    X(spsr12, "S3_5_C4_C0_0", 0x160, "SPSR_EL12")                \
    X(elr12, "S3_5_C4_C0_1", 0x230, "ELR_EL12")                  \
    X(afsr012, "S3_5_C5_C1_0", 0x128, "AFSR0_EL12")              \
    X(afsr112, "S3_5_C5_C1_1", 0x130, "AFSR1_EL12")              \
    X(esr12, "S3_5_C5_C2_0", 0x138, "ESR_EL12")                  \
    X(far12, "S3_5_C6_C0_0", 0x220, "FAR_EL12")                  \
    X(mair12, "S3_5_C10_C2_0", 0x140, "MAIR_EL12")               \
    X(amair12, "S3_5_C10_C3_0", 0x148, "AMAIR_EL12")             \
    X(vbar12, "S3_5_C12_C0_0", 0x250, "VBAR_EL12")               \
    X(ctxid12, "S3_5_C13_C0_1", 0x108, "CONTEXTIDR_EL12")        \
    X(vttbr, "vttbr_el2", 0x020, "VTTBR_EL2")                    \
    X(vtcr, "vtcr_el2", 0x040, "VTCR_EL2")                       \
    X(vmpidr, "vmpidr_el2", 0x050, "VMPIDR_EL2")                 \
    X(cntvoff, "cntvoff_el2", 0x060, "CNTVOFF_EL2")              \
    X(hcr, "hcr_el2", 0x078, "HCR_EL2")                          \
    X(hstr, "hstr_el2", 0x080, "HSTR_EL2")                       \
    X(vpidr, "vpidr_el2", 0x088, "VPIDR_EL2")                    \
    X(tpidr2, "tpidr_el2", 0x090, "TPIDR_EL2")                   \
    X(vncr, "S3_4_C2_C2_0", 0x0b0, "VNCR_EL2")                   \
    X(actlr, "actlr_el1", 0x118, "ACTLR_EL1")                    \
    X(mdscr, "mdscr_el1", 0x158, "MDSCR_EL1")                    \
    X(spel1, "sp_el1", 0x240, "SP_EL1")                          \
    X(lr0, "S3_4_C12_C12_0", 0x400, "ICH_LR0_EL2")               \
    X(lr1, "S3_4_C12_C12_1", 0x408, "ICH_LR1_EL2")               \
    X(lr2, "S3_4_C12_C12_2", 0x410, "ICH_LR2_EL2")               \
    X(lr3, "S3_4_C12_C12_3", 0x418, "ICH_LR3_EL2")               \
    X(ap0r0, "S3_4_C12_C8_0", 0x480, "ICH_AP0R0_EL2")            \
    X(ap1r0, "S3_4_C12_C9_0", 0x4a0, "ICH_AP1R0_EL2")            \
    X(ichhcr, "S3_4_C12_C11_0", 0x4c0, "ICH_HCR_EL2")            \
    X(vmcr, "S3_4_C12_C11_7", 0x4c8, "ICH_VMCR_EL2")

/* NVx = '111' (non-VHE guest hypervisor): the EL1/EL0 register names */
#define LIST_111(X)                                              \
    X(sctlr1, "sctlr_el1", 0x110, "SCTLR_EL1")                   \
    X(cpacr1, "cpacr_el1", 0x100, "CPACR_EL1")                   \
    X(ttbr01, "ttbr0_el1", 0x200, "TTBR0_EL1")                   \
    X(ttbr11, "ttbr1_el1", 0x210, "TTBR1_EL1")                   \
    X(tcr1, "tcr_el1", 0x120, "TCR_EL1")                         \
    X(spsr1, "spsr_el1", 0x160, "SPSR_EL1")                      \
    X(elr1, "elr_el1", 0x230, "ELR_EL1")                         \
    X(afsr01, "afsr0_el1", 0x128, "AFSR0_EL1")                   \
    X(afsr11, "afsr1_el1", 0x130, "AFSR1_EL1")                   \
    X(esr1, "esr_el1", 0x138, "ESR_EL1")                         \
    X(far1, "far_el1", 0x220, "FAR_EL1")                         \
    X(mair1, "mair_el1", 0x140, "MAIR_EL1")                      \
    X(amair1, "amair_el1", 0x148, "AMAIR_EL1")                   \
    X(vbar1, "vbar_el1", 0x250, "VBAR_EL1")                      \
    X(ctxid1, "contextidr_el1", 0x108, "CONTEXTIDR_EL1")         \
    X(cntvcval, "cntv_cval_el0", 0x168, "CNTV_CVAL_EL0")         \
    X(cntvctl, "cntv_ctl_el0", 0x170, "CNTV_CTL_EL0")            \
    X(cntpcval, "cntp_cval_el0", 0x178, "CNTP_CVAL_EL0")         \
    X(cntpctl, "cntp_ctl_el0", 0x180, "CNTP_CTL_EL0")            \
    X(hcr_b, "hcr_el2", 0x078, "HCR_EL2")                        \
    X(vttbr_b, "vttbr_el2", 0x020, "VTTBR_EL2")                  \
    X(actlr_b, "actlr_el1", 0x118, "ACTLR_EL1")                  \
    X(mdscr_b, "mdscr_el1", 0x158, "MDSCR_EL1")

LIST_101(GEN)
LIST_111(GEN)
static const struct ent t101[] = { LIST_101(ROW) };
static const struct ent t111[] = { LIST_111(ROW) };
#define N(a) (sizeof(a) / sizeof(a[0]))

ACCESS(a_sctlr2, "mrs x2, sctlr_el2")
ACCESS(a_tcr2, "msr tcr_el2, x3")
ACCESS(a_eret, "eret")
ACCESS(w_elr2, "ldr x1, =g_val\n ldr x0, [x1]\n msr elr_el2, x0")
ACCESS(w_spsr2, "ldr x1, =g_val\n ldr x0, [x1]\n msr spsr_el2, x0")
ACCESS(r_esr2, "mrs x0, esr_el2")
ACCESS(r_far2, "mrs x0, far_el2")
ACCESS(a_sctlr1_tvm, "msr sctlr_el1, x4")
ACCESS(a_bad_vncr, "msr tpidr_el2, x5")

static volatile uint64_t vncr_page[512] __attribute__((aligned(4096)));

static uint64_t wval(unsigned off) { return 0x5a5a000000000000ull | ((uint64_t)off << 20) | off; }
static uint64_t rval(unsigned off) { return 0xc3c3000000000000ull | ((uint64_t)off << 24) | ~off; }

static void clear_page(void)
{
    for (unsigned i = 0; i < 512; i++)
        vncr_page[i] = 0;
}

/* Every entry: EL1 write lands at exactly its doubleword (and no other
 * doubleword changes); EL1 read returns the preset doubleword. */
static void sweep(const char *nvx, const struct ent *t, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        clear_page();
        g_val = wval(t[i].off);
        at_el1(t[i].wfn);
        check_eq(t[i].name, exc_rec.count, 1);          /* only the harness's HVC */
        unsigned hits = 0;
        for (unsigned k = 0; k < 512; k++)
            if (vncr_page[k])
                hits++;
        check_eq(t[i].name, vncr_page[t[i].off / 8], wval(t[i].off));
        check_eq(t[i].name, hits, 1);
        vncr_page[t[i].off / 8] = rval(t[i].off);
        uint64_t got = at_el1(t[i].rfn);
        check_eq(t[i].name, got, rval(t[i].off));
        puts_(nvx);
        puts_(" ");
        puts_(t[i].name);
        puts_(" -> VNCR+");
        puthex(t[i].off);
        puts_(got == rval(t[i].off) && hits == 1 ? " ok\n" : " WRONG\n");
    }
}

static void want_sys_trap(const char *what, char *fn)
{
    at_el1(fn);
    puts_(what);
    puts_(": ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, 8);
    check_eq(what, exc_rec.esr, ESR_SYSREG(iss_sysreg(fn)));
    check_eq(what, exc_rec.elr, (uint64_t)fn);
}

int main(void)
{
    exc_install();
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);   /* VNCR_EL2 */
    WRITE_SYSREG(icc_sre_el2, 0xf);
    ISB();
    putreg("VNCR_EL2", READ_SYSREG(S3_4_C2_C2_0) == (uint64_t)vncr_page);

    /* Real registers that the sweeps must not touch */
    WRITE_SYSREG(vttbr_el2, 0x1230000ull);
    WRITE_SYSREG(tpidr_el2, 0x7777);
    WRITE_SYSREG(vbar_el1, (uint64_t)guest_vectors);
    uint64_t sctlr1 = READ_SYSREG(sctlr_el1);

    set_hcr(HCR_NV | HCR_NV2);
    sweep("101", t101, N(t101));
    set_hcr(HCR_NV | HCR_NV1 | HCR_NV2);
    sweep("111", t111, N(t111));

    check_eq("real HCR_EL2", READ_SYSREG(hcr_el2), HCR_RW | HCR_NV | HCR_NV1 | HCR_NV2);
    check_eq("real VTTBR_EL2", READ_SYSREG(vttbr_el2), 0x1230000ull);
    check_eq("real TPIDR_EL2", READ_SYSREG(tpidr_el2), 0x7777);
    check_eq("real VBAR_EL1", READ_SYSREG(vbar_el1), (uint64_t)guest_vectors);
    check_eq("real SCTLR_EL1", READ_SYSREG(sctlr_el1), sctlr1);
    check_eq("real VNCR_EL2", READ_SYSREG(S3_4_C2_C2_0), (uint64_t)vncr_page);

    /* '101': the EL1 names are the guest hypervisor's own registers */
    set_hcr(HCR_NV | HCR_NV2);
    clear_page();
    g_val = 0xabcd;
    at_el1(w_ctxid1);
    check_eq("CONTEXTIDR_EL1 at 101 is the real register", READ_SYSREG(contextidr_el1), 0xabcd);
    check_eq("CONTEXTIDR_EL1 at 101 not in memory", vncr_page[0x108 / 8], 0);
    putreg("CONTEXTIDR_EL1 (NVx=101, real)", READ_SYSREG(contextidr_el1));

    /* ELR/SPSR/ESR/FAR_EL2 at EL1 reach the EL1 registers (NVx '1x1') */
    g_val = 0x40001234;
    at_el1(w_elr2);
    check_eq("ELR_EL2 -> ELR_EL1", READ_SYSREG(elr_el1), 0x40001234);
    g_val = 0x3c5;
    at_el1(w_spsr2);
    check_eq("SPSR_EL2 -> SPSR_EL1", READ_SYSREG(spsr_el1), 0x3c5);
    WRITE_SYSREG(esr_el1, 0x96000045);
    WRITE_SYSREG(far_el1, 0xdead0000);
    check_eq("ESR_EL2 -> ESR_EL1", at_el1(r_esr2), 0x96000045);
    check_eq("FAR_EL2 -> FAR_EL1", at_el1(r_far2), 0xdead0000);
    putreg("ELR_EL2 at EL1 -> ELR_EL1", READ_SYSREG(elr_el1));
    check_eq("no memory for ELR_EL2", vncr_page[0x230 / 8], 0);

    /* EL2 registers without a VNCR slot still trap */
    want_sys_trap("MRS SCTLR_EL2 (NV2)", a_sctlr2);
    want_sys_trap("MSR TCR_EL2 (NV2)", a_tcr2);
    at_el1(a_eret);
    putreg("ERET (NV2): ESR_EL2", exc_rec.esr);
    check_eq("ERET NV2", exc_rec.esr, (0x1aull << EC_SHIFT) | ESR_IL);

    /* HCR_EL2.TVM is checked before the transformation */
    set_hcr(HCR_NV | HCR_NV1 | HCR_NV2 | HCR_TVM);
    clear_page();
    want_sys_trap("MSR SCTLR_EL1 (NVx=111, TVM=1)", a_sctlr1_tvm);
    check_eq("TVM: no memory write", vncr_page[0x110 / 8], 0);

    /* A VNCR access that cannot complete: data abort to EL2, EC 0x24
     * (from a lower EL), ISS.VNCR [13] = 1, WnR = 1, DFSC = 0b010000
     * (synchronous external abort: no memory at that PA). */
    set_hcr(HCR_NV | HCR_NV2);
    WRITE_SYSREG(S3_4_C2_C2_0, 0x30000000ull);
    ISB();
    at_el1(a_bad_vncr);
    WRITE_SYSREG(S3_4_C2_C2_0, (uint64_t)vncr_page);
    putreg("bad VNCR: ESR_EL2", exc_rec.esr);
    putreg("bad VNCR: FAR_EL2", exc_rec.far);
    check_eq("bad VNCR ESR", exc_rec.esr, (0x24ull << EC_SHIFT) | ESR_IL | (1u << 13) | (1u << 6) | 0x10);
    check_eq("bad VNCR FAR", exc_rec.far, 0x30000090ull);
    check_eq("bad VNCR ELR", exc_rec.elr, (uint64_t)a_bad_vncr);

    set_hcr(0);
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
