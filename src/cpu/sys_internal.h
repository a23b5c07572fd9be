/*
 * Handlers of the A64 "system" group shared between sys.c (the decode
 * fragment), sys_insn.c (hints, barriers, exception generation, ERET,
 * MSR immediate) and sys_reg.c (MRS/MSR/SYS/SYSL).
 */
#ifndef A83_SYS_INTERNAL_H
#define A83_SYS_INTERNAL_H

#include "cpu/cpu.h"

/** The system-register key op0:op1:CRn:CRm:op2 (instruction bits [20:5] of
 *  MRS/MSR/SYS/SYSL, as sys_check() and the EC 0x18 ISS take it) from the
 *  fields of a row (Arm ARM C5.3 "op0 op1 CRn CRm op2"). */
static inline unsigned sysreg_key(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                                  unsigned op2)
{
    return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

/* The key of handler H's rows "1101010100 L 1 o0 op1 CRn CRm op2 Rt" (op0 =
 * 1:o0) and "1101010100 L 01 op1 CRn CRm op2 Rt" (SYS, SYSL: op0 = 01). */
#define SYSREG_KEY(H) \
    sysreg_key(2 | FIELD(H, O, insn), FIELD(H, p, insn), FIELD(H, n, insn), FIELD(H, m, insn), \
               FIELD(H, o, insn))
#define SYS_KEY(H) \
    sysreg_key(1, FIELD(H, p, insn), FIELD(H, n, insn), FIELD(H, m, insn), FIELD(H, o, insn))

int h_hint(CPUState *c, uint32_t insn);
int h_clrex(CPUState *c, uint32_t insn);
int h_dsb(CPUState *c, uint32_t insn);
int h_dmb(CPUState *c, uint32_t insn);
int h_isb(CPUState *c, uint32_t insn);
int h_msr_imm(CPUState *c, uint32_t insn);
int h_svc(CPUState *c, uint32_t insn);
int h_hvc(CPUState *c, uint32_t insn);
int h_smc(CPUState *c, uint32_t insn);
int h_brk(CPUState *c, uint32_t insn);
int h_eret(CPUState *c, uint32_t insn);
int h_sys(CPUState *c, uint32_t insn);
int h_sysl(CPUState *c, uint32_t insn);
int h_dc_zva(CPUState *c, uint32_t insn);
int h_dc_poc(CPUState *c, uint32_t insn);
int h_msr_reg(CPUState *c, uint32_t insn);
int h_mrs(CPUState *c, uint32_t insn);

#endif
