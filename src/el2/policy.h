/*
 * EL2 policy: the effective value of HCR_EL2 and the trap and routing
 * decisions that depend on it, in one place. Everything outside src/el2
 * (cpu, mmu, sysreg, gic, timer) asks these functions instead of testing
 * HCR_EL2 bits; src/trace reads HCR_EL2 only to record it (el2/hcr.h).
 *
 * The functions named like the Arm ARM pseudocode (EL2Enabled(),
 * ELIsInHost(), EffectiveTGE(), EffectiveHCR_EL2_NVx(), ...) follow the
 * pseudocode functions of the same name (Arm ARM DDI 0487, the shared and
 * aarch64 pseudocode libraries), simplified for this PE: no EL3 and no
 * Secure state (so EL2Enabled() is HaveEL(EL2)), and no AArch32
 * (ELUsingAArch32(EL2) is FALSE). The others are the decisions of the instruction and register
 * descriptions, each naming its source.
 *
 * All are pure reads of CPUState (no side effects), usable from any thread
 * that may read the CPU, static inline because several are on hot paths
 * (MMU context, interrupt checks, every system-register access).
 *
 * Invariant relied on: HCR_EL2 never holds a bit of an unimplemented
 * feature (the HCR_EL2 write masks them, src/el2/el2_regs.c), and without
 * EL2 it is never consulted (el2_hcr() is 0).
 */
#ifndef A83_EL2_POLICY_H
#define A83_EL2_POLICY_H

#include "cpu/cpu.h"
#include "el2/hcr.h"

/* Declared in el2/fgt.h too (FEAT_FGT); repeated here because fgt.h
 * includes el2/traps.h, which includes this header: including fgt.h here
 * would make el2/{fgt,policy,traps} an include cycle. */
bool el2_fgt_trap_eret(const CPUState *c);

/* ---- Effective HCR_EL2 -------------------------------------------------- */

/** Pseudocode EL2Enabled(): HaveEL(EL2) here, as there is no EL3 and no
 *  Secure state. */
static inline bool EL2Enabled(const CPUState *c)
{
    return has_feat(c, FEAT_EL2);
}

/** HCR_EL2 as it applies: its value when EL2Enabled(), else 0 (every
 *  control then reads as 0 "for all purposes other than a direct read"). */
static inline uint64_t el2_hcr(const CPUState *c)
{
    return EL2Enabled(c) ? c->sr[SR_HCR_EL2] : 0;
}

/** Pseudocode EffectiveHCR_EL2_E2H() (FEAT_VHE): HCR_EL2.E2H
 *  when FEAT_VHE is implemented and EL2 is enabled, else 0. */
static inline bool EffectiveHCR_EL2_E2H(const CPUState *c)
{
    return has_feat(c, FEAT_VHE) && (el2_hcr(c) & HCR_E2H);
}

/** Older spelling of EffectiveHCR_EL2_E2H(), kept for existing callers. */
static inline bool el2_e2h(const CPUState *c) { return EffectiveHCR_EL2_E2H(c); }

/** Pseudocode EffectiveTGE(): HCR_EL2.TGE when
 *  EL2Enabled(), else 0. */
static inline bool EffectiveTGE(const CPUState *c)
{
    return (el2_hcr(c) & HCR_TGE) != 0;
}

/** Pseudocode ELIsInHost(el): EL2 with
 *  HCR_EL2.E2H = 1, or EL0 with HCR_EL2.{E2H,TGE} = {1,1} (then EL0 runs
 *  in the EL2&0 regime, under the host's controls); never EL1. */
static inline bool ELIsInHost(const CPUState *c, unsigned el)
{
    if (el == 2)
        return EffectiveHCR_EL2_E2H(c);
    if (el == 0)
        return EffectiveHCR_EL2_E2H(c) && EffectiveTGE(c);
    return false;
}

/** Pseudocode IsInHost(): ELIsInHost(PSTATE.EL). */
static inline bool IsInHost(const CPUState *c)
{
    return ELIsInHost(c, c->el);
}

/** HCR_EL2.{E2H,TGE} = {1,1} whatever the current EL: ELIsInHost(EL0), the
 *  host regime that replaces EL1&0 (older name, kept for callers). */
static inline bool el2_in_host(const CPUState *c)
{
    return ELIsInHost(c, 0);
}

/* EffectiveHCR_EL2_NVx() result bits, in the pseudocode's NV2:NV1:NV order */
#define NVX_NV  1u
#define NVX_NV1 2u
#define NVX_NV2 4u

/** Pseudocode EffectiveHCR_EL2_NVx() (FEAT_NV, FEAT_NV2):
 *  HCR_EL2.{NV2,NV1,NV} as 3 bits (NV2 in bit 2), 0 when EL2 or FEAT_NV
 *  is not implemented, when HCR_EL2.NV = 0 (we choose the
 *  Constraint_NVNV1_00 behaviour for NV=0, NV1=1), and NV2 read as 0
 *  without FEAT_NV2. */
static inline unsigned EffectiveHCR_EL2_NVx(const CPUState *c)
{
    if (!has_feat(c, FEAT_NV))
        return 0;
    uint64_t h = el2_hcr(c);
    if (!(h & HCR_NV))
        return 0;
    unsigned v = NVX_NV | ((h & HCR_NV1) ? NVX_NV1 : 0);
    if (has_feat(c, FEAT_NV2) && (h & HCR_NV2))
        v |= NVX_NV2;
    return v;
}

/** Short name of EffectiveHCR_EL2_NVx() used throughout src/el2. */
static inline unsigned el2_nvx(const CPUState *c) { return EffectiveHCR_EL2_NVx(c); }

/** FEAT_NV: at EL1 with EffectiveHCR_EL2_NVx().NV = 1 the guest
 *  hypervisor runs as "virtual EL2", and its ERET/ERETAx, its accesses to
 *  EL2 registers and _EL12/_EL02 aliases, and the EL2-only TLBI and AT
 *  operations trap to EL2 (HCR_EL2.NV description; the pseudocode tests
 *  `PSTATE.EL == EL1 && EL2Enabled() && EffectiveHCR_EL2_NVx()<0> == '1'`).
 *  CurrentEL then reads EL2. */
static inline bool el2_trap_nv(const CPUState *c)
{
    return c->el == 1 && (EffectiveHCR_EL2_NVx(c) & NVX_NV);
}

/** FEAT_NV with EffectiveHCR_EL2_NVx() = '011' (NV2 = 0): a non-VHE guest
 *  hypervisor; EL1 accesses to ELR_EL1, SPSR_EL1 and VBAR_EL1 trap to EL2
 *  (HCR_EL2.NV1 description). Only at EL1. */
static inline bool el2_trap_nv1_el1regs(const CPUState *c)
{
    return c->el == 1 && EffectiveHCR_EL2_NVx(c) == (NVX_NV1 | NVX_NV);
}

/** LDTR/STTR at EL1 are unprivileged unless EffectiveHCR_EL2_NVx()<1:0> =
 *  '11' (the non-VHE guest hypervisor's LDTR acts as at EL2 with E2H = 0);
 *  at EL2 only when ELIsInHost(EL0) (the LDTR/STTR pseudocode,
 *  AArch64.CheckUnprivilegedAccess). False at EL0 (no difference). */
static inline bool el2_ldst_unpriv(const CPUState *c)
{
    if (c->el == 1)
        return (EffectiveHCR_EL2_NVx(c) & (NVX_NV | NVX_NV1)) != (NVX_NV | NVX_NV1);
    if (c->el == 2)
        return ELIsInHost(c, 0);
    return false;
}

/* ---- Interrupt routing (Arm ARM D1.13.2, table D1-15, no EL3) ------------ */

/** The three asynchronous exception classes HCR_EL2.{IMO,FMO,AMO} route. */
enum El2Int {
    EL2_INT_IRQ,     /* HCR_EL2.IMO, HCR_EL2.VI */
    EL2_INT_FIQ,     /* HCR_EL2.FMO, HCR_EL2.VF */
    EL2_INT_SERROR,  /* HCR_EL2.AMO, HCR_EL2.VSE */
};

/** The HCR_EL2 routing bit of an interrupt class (IMO, FMO or AMO). */
static inline uint64_t hcr_route_bit(enum El2Int k)
{
    return k == EL2_INT_IRQ ? HCR_IMO : k == EL2_INT_FIQ ? HCR_FMO : HCR_AMO;
}

/** The effective HCR_EL2.{IMO,FMO,AMO}: the bit, or 1 when HCR_EL2.TGE = 1
 *  ("the PE behaves as if the value of the HCR_EL2.{FMO,IMO,AMO} field is
 *  1 for all purposes other than a direct read", HCR_EL2.TGE description). */
static inline bool EffectiveHCR_EL2_xMO(const CPUState *c, enum El2Int k)
{
    return (el2_hcr(c) & (hcr_route_bit(k) | HCR_TGE)) != 0;
}

/** The EL a physical interrupt of class k is taken to from EL0/EL1: EL2
 *  when the effective HCR_EL2.xMO is 1, else EL1 (table D1-15, the
 *  AArch64.TakePhysical{IRQ,FIQ,SError}Exception pseudocode). */
static inline unsigned el2_phys_int_target_el(const CPUState *c, enum El2Int k)
{
    return EffectiveHCR_EL2_xMO(c, k) ? 2 : 1;
}

/** Virtual interrupts of class k are enabled: HCR_EL2.xMO = 1 and TGE = 0
 *  (Arm ARM D1.13.4, "Virtual interrupts"). They are then taken to EL1
 *  from EL0/EL1 only, and EL1 GIC CPU-interface accesses of that group use
 *  the virtual interface (ICV_). */
static inline bool el2_virt_int_enabled(const CPUState *c, enum El2Int k)
{
    uint64_t h = el2_hcr(c);
    return (h & hcr_route_bit(k)) && !(h & HCR_TGE);
}

/* ---- Target ELs ---------------------------------------------------------- */

/** Default target EL of a synchronous exception (AArch64.TakeException's
 *  callers): EL2 from EL2, EL2 from EL0 with EffectiveTGE(), else EL1. */
static inline unsigned el2_default_target_el(const CPUState *c)
{
    if (c->el == 2)
        return 2;
    return (c->el == 0 && EffectiveTGE(c)) ? 2 : 1;
}

/** Target EL of a trap "to EL1" from EL0/EL1: EL2 from EL0 when
 *  HCR_EL2.TGE = 1 (the routing of every EL1-targeted exception from EL0,
 *  Arm ARM D1.10.4). */
static inline unsigned el1_trap_target(const CPUState *c)
{
    return (c->el == 0 && EffectiveTGE(c)) ? 2 : 1;
}

/** The debug target EL (Arm ARM D2.3, DebugTarget() without Secure state):
 *  EL2 when EL2 is implemented and MDCR_EL2.TDE or HCR_EL2.TGE is set,
 *  else EL1. Breakpoint, watchpoint, software-step and BRK exceptions from
 *  EL0/EL1 are taken there. */
static inline unsigned el2_debug_target_el(const CPUState *c)
{
    if (!EL2Enabled(c))
        return 1;
    return ((c->sr[SR_MDCR_EL2] & MDCR_TDE) || EffectiveTGE(c)) ? 2 : 1;
}

/** The SCTLR_ELx whose EL0 controls (UCT, DZE, UMA, nTWI, nTWE, UCI, SA0)
 *  apply: SCTLR_EL2 when ELIsInHost(EL0), else SCTLR_EL1. */
static inline uint64_t el0_sctlr(const CPUState *c)
{
    return ELIsInHost(c, 0) ? c->sr[SR_SCTLR_EL2] : c->sr[SR_SCTLR_EL1];
}

/* ---- Instruction traps (HCR_EL2 trap bits, D24.2.62) --------------------- */

/** True if an HCR_EL2 trap bit applies at the current EL: EL1, or EL0
 *  with TGE=0 (EL0 accesses of EL0-accessible registers and instructions). */
static inline bool el2_hcr_trap(const CPUState *c, uint64_t bit)
{
    uint64_t h = el2_hcr(c);
    return (h & bit) && (c->el == 1 || (c->el == 0 && !(h & HCR_TGE)));
}

/** WFI (is_wfe = false) or WFE at EL0/EL1 trapped to EL2 by HCR_EL2.TWI /
 *  TWE, not in the host (AArch64.CheckForWFxTrap). EC 0x01. The EL0
 *  SCTLR_ELx.nTWI/nTWE trap to EL1 has priority (the caller's). */
static inline bool el2_trap_wfx(const CPUState *c, bool is_wfe)
{
    return c->el <= 1 && !ELIsInHost(c, 0) && (el2_hcr(c) & (is_wfe ? HCR_TWE : HCR_TWI));
}

/** HVC is UNDEFINED by HCR_EL2.HCD = 1 (HVC instruction pseudocode). Only
 *  meaningful when EL2 is implemented. */
static inline bool el2_hvc_undefined(const CPUState *c)
{
    return (el2_hcr(c) & HCR_HCD) != 0;
}

/** SMC at EL1 trapped to EL2 by HCR_EL2.TSC (AArch64.CheckForSMCUndefOrTrap):
 *  EC 0x17, the preferred return address is the SMC itself. */
static inline bool el2_trap_smc(const CPUState *c)
{
    return c->el == 1 && (el2_hcr(c) & HCR_TSC);
}

/** ERET/ERETAA/ERETAB at EL1 trapped to EL2 (EC 0x1A) under FEAT_NV
 *  (AArch64.CheckForERetTrap): el2_trap_nv(). */
static inline bool el2_trap_eret(const CPUState *c)
{
    return el2_trap_nv(c) || el2_fgt_trap_eret(c);   /* HFGITR_EL2.ERET: el2/fgt.c */
}

/** ERET from EL2 to EL1 with HCR_EL2.TGE = 1 is an illegal exception
 *  return (IllegalExceptionReturn()). */
static inline bool el2_eret_to_el1_illegal(const CPUState *c)
{
    return EffectiveTGE(c);
}

/** HCR_EL2.TIDCP: EL1 accesses to the IMPLEMENTATION DEFINED system
 *  register encodings (op0 = 3, CRn = 11 or 15) trap to EL2 (EC 0x18). */
static inline bool el2_trap_tidcp(const CPUState *c)
{
    return c->el == 1 && (el2_hcr(c) & HCR_TIDCP);
}

/** HCR_EL2.TLOR: EL1 accesses to the LORegion registers trap (FEAT_LOR). */
static inline bool el2_trap_tlor(const CPUState *c)
{
    return c->el == 1 && (el2_hcr(c) & HCR_TLOR);
}

/** PAuth instructions (AddPACxx, AuthXx, PACGA...) trapped to EL2 with
 *  EC 0x09 by HCR_EL2.API = 0: at EL1, and at EL0 unless ELIsInHost(EL0);
 *  never at EL2 (the TrapEL2 condition of those instructions' pseudocode). */
static inline bool el2_trap_api(const CPUState *c)
{
    if (c->el == 2 || !EL2Enabled(c))
        return false;
    if (el2_hcr(c) & HCR_API)
        return false;
    return !(c->el == 0 && ELIsInHost(c, 0));
}

/* ---- Stage 1 and stage 2 of the EL1&0 regime ----------------------------- */

/** Stage 2 of the EL1&0 regime is enabled: EL2 implemented, HCR_EL2.VM or
 *  DC set (DC = 1 behaves as VM = 1), and EL1&0 not replaced by EL2&0
 *  (ELIsInHost(EL0)). Arm ARM D8.1, HCR_EL2.VM/DC. */
static inline bool el2_stage2_enabled(const CPUState *c)
{
    if (ELIsInHost(c, 0))
        return false;
    return (el2_hcr(c) & (HCR_VM | HCR_DC)) != 0;
}

/** HCR_EL2.DC = 1: the EL1&0 stage 1 behaves as disabled with data
 *  accesses Normal Write-Back (HCR_EL2.DC description). */
static inline bool el2_stage1_default_cacheable(const CPUState *c)
{
    return (el2_hcr(c) & HCR_DC) != 0;
}

/** HCR_EL2.TGE = 1: the EL1&0 stage 1 behaves as disabled for every
 *  purpose but direct reads of SCTLR_EL1.M (HCR_EL2.TGE description). */
static inline bool el2_stage1_off_by_tge(const CPUState *c)
{
    return EffectiveTGE(c);
}

/** HCR_EL2.PTW = 1: a stage-1 walk that stage 2 maps to Device memory is a
 *  stage-2 permission fault (HCR_EL2.PTW description). */
static inline bool el2_ptw_device_faults(const CPUState *c)
{
    return (el2_hcr(c) & HCR_PTW) != 0;
}

/** HCR_EL2.FB = 1: TLB maintenance executed at EL1 (not in the host) is
 *  broadcast within the Inner Shareable domain (HCR_EL2.FB description). */
static inline bool el2_force_broadcast(const CPUState *c)
{
    return c->el == 1 && !ELIsInHost(c, 0) && (el2_hcr(c) & HCR_FB);
}

/** HCR_EL2 fields that change what the EL1&0 translation contexts' cached
 *  entries mean (stage 2 on, stage-1 off by DC or TGE, PTW, the FEAT_NV
 *  EL1 permission model): a change of any of them drops those entries. */
#define HCR_E10_TRANSLATION_FIELDS (HCR_VM | HCR_DC | HCR_PTW | HCR_TGE | HCR_NV | HCR_NV1 | HCR_FWB)

#endif
