/*
 * System-register table fragment sysreg_fp_table: FPCR and FPSR
 * (Arm ARM D17.2.55 FPCR, D17.2.60 FPSR). Both are accessible from EL0
 * upwards, subject to the FP/SIMD access check (CPACR_EL1.FPEN,
 * CPTR_EL2.TFP/FPEN), which traps with EC 0x07 before any other check
 * (Arm ARM C5.2.7: "MRS FPCR ... AArch64.CheckFPAdvSIMDEnabled()").
 *
 * Floating-point exception trapping is not implemented: the trap enables
 * FPCR.{IOE,DZE,OFE,UFE,IXE,IDE} are RAZ/WI, as is FPCR.FZ16 (no FEAT_FP16).
 * The AArch32-only fields (Len, Stride, FPSR.NZCV) are RES0.
 */
#include "cpu/fpaccess.h"
#include "cpu/fpcore.h"
#include "sysreg/sysreg.h"

static SysRegAccess fp_reg_access(CPUState *c, const SysRegDesc *r, bool is_read,
                                  unsigned *target_el, uint32_t *ec)
{
    fp_check_access(c);   /* raises EC 0x07 itself when disabled */
    return SRA_OK;
}

static uint64_t fpcr_read(CPUState *c, const SysRegDesc *r) { return c->fpcr; }
static void fpcr_write(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->fpcr = (uint32_t)v & FPCR_WRITABLE;
}
static uint64_t fpsr_read(CPUState *c, const SysRegDesc *r) { return c->fpsr; }
static void fpsr_write(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->fpsr = (uint32_t)v & FPSR_WRITABLE;
}

const SysRegDesc sysreg_fp_table[] = {
    { .name = "FPCR", .enc = A83_SYSREG(3, 3, 4, 4, 0), .slot = SR_NONE, .feature = -1,
      .vncr_offset = -1, .access = fp_reg_access, .read = fpcr_read, .write = fpcr_write },
    { .name = "FPSR", .enc = A83_SYSREG(3, 3, 4, 4, 1), .slot = SR_NONE, .feature = -1,
      .vncr_offset = -1, .access = fp_reg_access, .read = fpsr_read, .write = fpsr_write },
    { .name = NULL },
};
