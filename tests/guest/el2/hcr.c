/*
 * HCR_EL2 controls of ARMv8.3 not covered by tests/guest/el2traps (Arm ARM
 * D24.2.62 HCR_EL2, each field's description), each with the exact
 * syndrome and, where the access has no other effect, the control clear:
 *  TVM/TRVM on every EL1 virtual-memory control register, TTLB, TSW, TPCP,
 *  TPU, TDZ (with DCZID_EL0.DZP), TIDCP, VF/VI/VSE with FMO/IMO/AMO
 *  (virtual FIQ, IRQ, SError taken at EL1; VSE clears when taken), RW
 *  (RAO/WI), the writable bits (RES0: TLOR without FEAT_LOR, TERR/TEA
 *  without FEAT_RAS, MIOCNP), VPIDR_EL2/VMPIDR_EL2 as MIDR_EL1/MPIDR_EL1
 *  at EL1 (APK/API: tests of branch pauth), HSTR_EL2 (storage only: its traps concern AArch32 EL1/EL0, which
 *  is not implemented).
 */
#include "../nv/nv_common.h"

#define HCR_FMO  (1ull << 3)
#define HCR_IMO  (1ull << 4)
#define HCR_AMO  (1ull << 5)
#define HCR_VF   (1ull << 6)
#define HCR_VI   (1ull << 7)
#define HCR_VSE  (1ull << 8)
#define HCR_TDZ  (1ull << 28)
#define HCR_TRVM (1ull << 30)
#define HCR_TIDCP (1ull << 20)
#define HCR_TSW  (1ull << 22)
#define HCR_TPCP (1ull << 23)
#define HCR_TPU  (1ull << 24)
#define HCR_TTLB (1ull << 25)
#define HCR_APK  (1ull << 40)
#define HCR_API  (1ull << 41)

/* TVM (writes) / TRVM (reads): the EL1 virtual-memory controls */
#define VMREGS(X) X(sctlr, "sctlr_el1") X(ttbr0, "ttbr0_el1") X(ttbr1, "ttbr1_el1")        \
    X(tcr, "tcr_el1") X(esr, "esr_el1") X(far, "far_el1") X(afsr0, "afsr0_el1")            \
    X(afsr1, "afsr1_el1") X(mair, "mair_el1") X(amair, "amair_el1") X(ctxid, "contextidr_el1")
#define GENVM(id, n) ACCESS(vw_##id, "mrs x3, " n "\n msr " n ", x3") ACCESS(vr_##id, "mrs x4, " n)
VMREGS(GENVM)
#define ROWVM(id, n) { n, vw_##id, vr_##id },
static const struct { const char *n; char *w, *r; } vmregs[] = { VMREGS(ROWVM) };

/* the trapping instruction is labelled <name>_i */
#define ACCESS2(name, setup, insn)                                                  \
    extern char name[], name##_i[];                                                 \
    __asm__(".text\n.balign 4\n.global " #name "\n.global " #name "_i\n" #name ":\n" \
            setup "\n" #name "_i: " insn "\nret\n");
ACCESS(a_ttlb, "tlbi vmalle1")
ACCESS(a_tsw, "dc isw, x1")
ACCESS2(a_tpcp, "mov x1, sp", "dc cvac, x1")
ACCESS2(a_tpu_dc, "mov x1, sp", "dc cvau, x1")
ACCESS2(a_tpu_ic, "mov x1, sp", "ic ivau, x1")
ACCESS2(a_tdz, "mov x1, sp\n sub x1, x1, #256\n and x1, x1, #~63", "dc zva, x1")
ACCESS(a_tidcp, "mrs x5, S3_0_C15_C0_0")
ACCESS(a_dczid, "mrs x0, dczid_el0")
ACCESS(a_midr, "mrs x0, midr_el1")
ACCESS(a_mpidr, "mrs x0, mpidr_el1")
ACCESS(a_wait_virq, "msr daifclr, #0xf\n nop\n nop\n msr daifset, #0xf")

static void want_trap(const char *what, char *fn, const char *at, uint64_t hcr)
{
    set_hcr(hcr);
    at_el1(fn);
    uint64_t want = ESR_SYSREG(iss_sysreg(at));
    puts_(what);
    puts_(": ESR_EL2 ");
    puthex(exc_rec.esr);
    putc_('\n');
    check_eq(what, exc_rec.el, 8);
    check_eq(what, exc_rec.vec, 0x400);
    check_eq(what, exc_rec.esr, want);
    check_eq(what, exc_rec.elr, (uint64_t)at);
}

/* With the control clear the access executes (only the harness's HVC). */
static void want_ok(const char *what, char *fn, uint64_t hcr)
{
    set_hcr(hcr);
    at_el1(fn);
    check_eq(what, exc_rec.count, 1);
    check_eq(what, EC(exc_rec.esr), 0x16);
}

/* A virtual exception taken at EL1 (vector offset vec from the current
 * EL with SP_EL1, 0x200 + ...), and no exception with the route bit clear. */
static void want_virtual(const char *what, uint64_t route, uint64_t pend, uint64_t vec)
{
    set_hcr(route | pend);
    at_el1(a_wait_virq);
    puts_(what);
    puts_(": taken at EL");
    putdec(exc_rec.el >> 2);
    puts_(" vector ");
    puthex(exc_rec.vec);
    putc_('\n');
    check_eq(what, exc_rec.el, 4);
    check_eq(what, exc_rec.vec, vec);
    set_hcr(pend);                         /* not routed: no virtual exception */
    at_el1(a_wait_virq);
    check_eq(what, exc_rec.count, 1);
}

int main(void)
{
    exc_install();

    for (unsigned i = 0; i < sizeof vmregs / sizeof vmregs[0]; i++) {
        char *w = vmregs[i].w, *r = vmregs[i].r;
        /* TVM: the MSR (second instruction of vw_) traps; the MRS does not */
        want_trap(vmregs[i].n, w, w + 4, HCR_TVM);
        want_trap(vmregs[i].n, r, r, HCR_TRVM);
        want_ok(vmregs[i].n, w, HCR_TRVM & 0);
    }
    want_trap("HCR_EL2.TTLB: TLBI VMALLE1", a_ttlb, a_ttlb, HCR_TTLB);
    want_ok("TTLB=0", a_ttlb, 0);
    want_trap("HCR_EL2.TSW: DC ISW", a_tsw, a_tsw, HCR_TSW);
    want_ok("TSW=0", a_tsw, 0);
    want_trap("HCR_EL2.TPCP: DC CVAC", a_tpcp, a_tpcp_i, HCR_TPCP);
    want_ok("TPCP=0", a_tpcp, 0);
    want_trap("HCR_EL2.TPU: DC CVAU", a_tpu_dc, a_tpu_dc_i, HCR_TPU);
    want_trap("HCR_EL2.TPU: IC IVAU", a_tpu_ic, a_tpu_ic_i, HCR_TPU);
    want_ok("TPU=0", a_tpu_ic, 0);
    want_trap("HCR_EL2.TDZ: DC ZVA", a_tdz, a_tdz_i, HCR_TDZ);
    /* TDZ = 0: DC ZVA executes at EL1; with the stage-1 MMU off the
     * target is Device memory, so it takes an alignment fault at EL1
     * (EC 0x25) instead of trapping to EL2 */
    set_hcr(0);
    at_el1(a_tdz);
    check_eq("TDZ=0 el", exc_rec.el, 4);
    check_eq("TDZ=0 ec", EC(exc_rec.esr), 0x25);
    set_hcr(HCR_TDZ);
    uint64_t dz1 = at_el1(a_dczid);
    set_hcr(0);
    uint64_t dz0 = at_el1(a_dczid);
    putreg("DCZID_EL0 at EL1, TDZ=1", dz1);
    putreg("DCZID_EL0 at EL1, TDZ=0", dz0);
    check_eq("DZP with TDZ", dz1, 0x14);
    check_eq("DZP without TDZ", dz0, 0x4);
    want_trap("HCR_EL2.TIDCP: S3_0_C15_C0_0", a_tidcp, a_tidcp, HCR_TIDCP);

    want_virtual("HCR_EL2.VI with IMO", HCR_IMO, HCR_VI, 0x280);
    want_virtual("HCR_EL2.VF with FMO", HCR_FMO, HCR_VF, 0x300);
    want_virtual("HCR_EL2.VSE with AMO", HCR_AMO, HCR_VSE, 0x380);
    set_hcr(HCR_AMO | HCR_VSE);
    at_el1(a_wait_virq);
    putreg("virtual SError ESR_EL1", exc_rec.esr);
    check_eq("vSError ESR", exc_rec.esr, (0x2full << EC_SHIFT) | ESR_IL);
    putreg("HCR_EL2.VSE after it was taken", (READ_SYSREG(hcr_el2) >> 8) & 1);
    check_eq("VSE cleared", (READ_SYSREG(hcr_el2) >> 8) & 1, 0);

    /* RW is RAO/WI; the writable bits of this implementation */
    WRITE_SYSREG(hcr_el2, 0);
    putreg("HCR_EL2 after writing 0", READ_SYSREG(hcr_el2));
    check_eq("RW RAO", READ_SYSREG(hcr_el2), HCR_RW);
    WRITE_SYSREG(hcr_el2, ~0ull & ~(HCR_VI | HCR_VF | HCR_VSE | HCR_E2H | (1ull << 27)));
    uint64_t all = READ_SYSREG(hcr_el2);
    set_hcr(0);
    putreg("HCR_EL2 after writing ones", all);
    /* [33:0] but VI/VF/VSE/TGE, E2H clear; APK, API, NV, NV1, AT, NV2;
     * TLOR (no FEAT_LOR), TERR/TEA (no FEAT_RAS), MIOCNP and above: RES0 */
    check_eq("writable", all, (0x3ffffffffull & ~(HCR_VI | HCR_VF | HCR_VSE | (1ull << 27))) |
                                  HCR_APK | HCR_API | HCR_NV | HCR_NV1 | HCR_AT | HCR_NV2);

    /* VPIDR_EL2 / VMPIDR_EL2 are what EL1 reads as MIDR_EL1 / MPIDR_EL1 */
    uint64_t midr = READ_SYSREG(midr_el1), mpidr = READ_SYSREG(mpidr_el1);
    WRITE_SYSREG(vpidr_el2, 0x410fd123);
    WRITE_SYSREG(vmpidr_el2, 0x80000107);
    uint64_t vm = at_el1(a_midr), vmp = at_el1(a_mpidr);
    putreg("MIDR_EL1 at EL1", vm);
    putreg("MPIDR_EL1 at EL1", vmp);
    check_eq("VPIDR", vm, 0x410fd123);
    check_eq("VMPIDR", vmp, 0x80000107);
    check_eq("MIDR at EL2", READ_SYSREG(midr_el1), midr);
    WRITE_SYSREG(vpidr_el2, midr);
    WRITE_SYSREG(vmpidr_el2, mpidr);
    /* HSTR_EL2: T<n> bits [15:0] except 4 and 14 */
    WRITE_SYSREG(hstr_el2, ~0ull);
    putreg("HSTR_EL2 after writing ones", READ_SYSREG(hstr_el2));
    check_eq("HSTR", READ_SYSREG(hstr_el2), 0xbfef);
    WRITE_SYSREG(hstr_el2, 0);

    set_hcr(0);
    puts_(guest_failures ? "FAIL\n" : "PASS\n");
    return guest_failures;
}
