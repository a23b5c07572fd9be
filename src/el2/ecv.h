/*
 * FEAT_ECV (Enhanced Counter Virtualization, ID_AA64MMFR0_EL1.ECV = 2): the
 * trap and offset decisions the generic-timer register table
 * (src/timer/timer_regs.c) and the MRS/MSR executor (src/cpu/sys_reg.c) ask
 * for. Arm ARM D24.8 CNTHCTL_EL2 (ECV, EL1TVT, EL1TVCT, EL1NVPCT, EL1NVVCT,
 * EVNTIS), CNTPOFF_EL2, and D12.1 "The physical offset".
 *
 * Without EL3, SCR_EL3.ECVEn is treated as 1. Every decision is false (or
 * the offset 0) without FEAT_ECV, without EL2, at EL2, and in the EL2&0 host
 * regime (HCR_EL2.{E2H,TGE} = {1,1}).
 */
#ifndef A83_EL2_ECV_H
#define A83_EL2_ECV_H

#include "el2/traps.h"

/* CNTHCTL_EL2 fields added by FEAT_ECV (both E2H layouts) */
#define CNTHCTL_ECV      (1u << 12)
#define CNTHCTL_EL1TVT   (1u << 13)
#define CNTHCTL_EL1TVCT  (1u << 14)
#define CNTHCTL_EL1NVPCT (1u << 15)
#define CNTHCTL_EL1NVVCT (1u << 16)
#define CNTHCTL_EVNTIS   (1u << 17)
/* CNTKCTL_EL1.EVNTIS (FEAT_ECV) */
#define CNTKCTL_EVNTIS   (1u << 17)

/** CNTHCTL_EL2.EL1TVT: EL0/EL1 accesses to CNTV_CTL_EL0, CNTV_CVAL_EL0 and
 *  CNTV_TVAL_EL0 trap to EL2 (EC 0x18), after the CNTKCTL_EL1 EL0 checks
 *  and before FEAT_NV2's redirect to the VNCR page. */
bool el2_ecv_trap_vtimer(const CPUState *c);

/** CNTHCTL_EL2.EL1TVCT: EL0/EL1 reads of CNTVCT_EL0 and CNTVCTSS_EL0 trap
 *  to EL2 (EC 0x18), after the CNTKCTL_EL1 EL0 check. */
bool el2_ecv_trap_vcount(const CPUState *c);

/** CNTHCTL_EL2.EL1NVPCT / EL1NVVCT: with HCR_EL2.{NV2,NV1,NV} = {1,0,1} an
 *  EL1 access to CNTP_CTL_EL02/CNTP_CVAL_EL02 (EL1NVPCT) or
 *  CNTV_CTL_EL02/CNTV_CVAL_EL02 (EL1NVVCT), which would be a VNCR page
 *  access, traps to EL2 instead. enc is the accessed encoding. */
bool el2_ecv_trap_el02(const CPUState *c, uint32_t enc);

/** The physical offset in counter ticks: CNTPOFF_EL2 when CNTHCTL_EL2.ECV
 *  is 1 (and EL2 is enabled, not the host regime), else 0. It is subtracted
 *  from the physical count by EL0/EL1 reads of CNTPCT_EL0/CNTPCTSS_EL0 and
 *  by the EL1 physical timer's condition and TVAL view. */
uint64_t el2_ecv_phys_offset(const CPUState *c);

#endif
