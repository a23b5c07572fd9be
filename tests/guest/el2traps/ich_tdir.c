/*
 * ICH_VTR_EL2.TDS = 1 and the trap it advertises (GICv3 spec 12.4.11
 * ICH_VTR_EL2.TDS, 12.4.6 ICH_HCR_EL2.TDIR): with ICH_HCR_EL2.TDIR = 1 an
 * EL1 write of ICC_DIR_EL1 traps to EL2 with EC 0x18 (Arm ARM D13.2.37,
 * ISS: Op0, Op2, Op1, CRn, Rt, CRm, Direction = 0 for a write),
 * ELR_EL2 = the MSR, both when HCR_EL2.IMO/FMO make it an ICV_DIR_EL1
 * access (the virtual CPU interface a guest under KVM uses) and when it
 * reaches the physical ICC_DIR_EL1. With TDIR = 0 the write executes.
 */
#include "../exc/exc_harness.h"

#define HCR_RW (1ull << 31)
#define HCR_FMO (1ull << 3)
#define HCR_IMO (1ull << 4)
#define ICH_HCR_EN (1ull << 0)
#define ICH_HCR_TDIR (1ull << 14)
#define ICH_VTR_TDS (1ull << 19)
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define RSR(r) READ_SYSREG(r)
#define WSR(r, v) WRITE_SYSREG(r, v)

/* ICC_DIR_EL1 / ICV_DIR_EL1: op0 3, op1 0, CRn 12, CRm 11, op2 1 */
extern char a_dir[];
__asm__(".text\n.balign 4\n.global a_dir\na_dir:\n msr S3_0_C12_C11_1, x5\n ret\n");

static uint32_t iss_sysreg(const char *at)
{
    uint32_t insn = *(const volatile uint32_t *)at;
    uint32_t op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
    uint32_t crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31;
    uint32_t dir = (insn >> 21) & 1;
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | dir;
}

static void run_dir(const char *what, uint64_t hcr, uint64_t ich_hcr, int traps)
{
    WRITE_SYSREG(hcr_el2, HCR_RW | hcr);
    WSR(ICH_HCR_EL2, ich_hcr);
    ISB();
    exc_clear();
    run_lower((uint64_t(*)(void))(void *)a_dir, SPSR_EL1H, LOWER_SP);
    if (traps) {
        uint64_t want = (0x18ull << 26) | ESR_IL | iss_sysreg(a_dir);
        puts_(what);
        puts_(": ESR_EL2 ");
        puthex(exc_rec.esr);
        putc_('\n');
        check_eq(what, exc_rec.el, 8);
        check_eq(what, exc_rec.vec, 0x400);    /* lower EL, AArch64, synchronous */
        check_eq(what, exc_rec.esr, want);
        check_eq(what, exc_rec.esr, 0x623230b6ull);   /* the same, spelt out */
        check_eq(what, exc_rec.elr, (uint64_t)a_dir);
    } else {
        puts_(what);
        puts_(": no trap\n");
        check_eq(what, exc_rec.count, 1);     /* only the harness's HVC */
    }
}

int main(void)
{
    exc_install();
    uint64_t vtr = RSR(ICH_VTR_EL2);
    check_eq("ICH_VTR_EL2.TDS", vtr & ICH_VTR_TDS, ICH_VTR_TDS);
    run_dir("ICV_DIR_EL1 with TDIR", HCR_IMO | HCR_FMO, ICH_HCR_EN | ICH_HCR_TDIR, 1);
    run_dir("ICC_DIR_EL1 with TDIR", 0, ICH_HCR_TDIR, 1);
    run_dir("ICV_DIR_EL1 without TDIR", HCR_IMO | HCR_FMO, ICH_HCR_EN, 0);
    WSR(ICH_HCR_EL2, 0);
    WRITE_SYSREG(hcr_el2, HCR_RW);
    ISB();
    puts_(guest_failures ? "ich_tdir: FAILED\n" : "ich_tdir: done\n");
    return guest_failures;
}
