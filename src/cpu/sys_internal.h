/*
 * Handlers of the A64 "system" group shared between sys.c (the decode
 * fragment), sys_insn.c (hints, barriers, exception generation, ERET,
 * MSR immediate) and sys_reg.c (MRS/MSR/SYS/SYSL).
 */
#ifndef A83_SYS_INTERNAL_H
#define A83_SYS_INTERNAL_H

#include "cpu/cpu.h"

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
int h_msr_reg(CPUState *c, uint32_t insn);
int h_mrs(CPUState *c, uint32_t insn);

#endif
