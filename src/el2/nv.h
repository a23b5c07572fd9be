/*
 * FEAT_NV / FEAT_NV2: a guest hypervisor running at EL1 as "virtual EL2".
 * Arm ARM D8 (nested virtualization), HCR_EL2.{NV,NV1,NV2} (D24.2.62),
 * VNCR_EL2 (D24.2.220), the pseudocode function EffectiveHCR_EL2_NVx()
 * and the per-register accessor pseudocode (NVMem[offset]).
 *
 * The executor (src/cpu/sys_reg.c) asks nv_vncr_applies() whether an EL1
 * access becomes a 64-bit load/store at VNCR_EL2.BADDR + the entry's
 * vncr_offset, and nv2_el2_redirect() whether an EL1 access to an EL2
 * register reaches an EL1 register instead. Everything else is data in the
 * register tables (vncr_offset, SRF_NV2_NV1X).
 */
#ifndef A83_EL2_NV_H
#define A83_EL2_NV_H

#include "el2/traps.h"

/**
 * Whether an EL1 access to table entry r (reached through encoding enc)
 * is transformed into a VNCR_EL2 memory access under the current
 * EffectiveHCR_EL2_NVx(). The rules follow the accessor pseudocode:
 *  - _EL12/_EL02 aliases: NVx == '101';
 *  - EL2 registers (op1 = 4) and entries flagged SRF_NV2_NV1X
 *    (ACTLR_EL1, MDSCR_EL1): NVx IN {'1x1'};
 *  - other EL1/EL0 registers: NVx == '111'.
 * Only entries with vncr_offset >= 0 qualify. Returns false at EL0/EL2.
 */
bool nv_vncr_applies(const CPUState *c, const SysRegDesc *r);

/** For an EL1 access with NVx IN {'1x1'} to ELR_EL2, SPSR_EL2, ESR_EL2 or
 *  FAR_EL2: the encoding of the EL1 register it reaches (ELR_EL1 ...), else
 *  0 (Arm ARM: the accessor pseudocode of those registers). */
uint32_t nv2_el2_redirect(uint32_t enc);

/** NVMem[offset] read: a 64-bit load from VNCR_EL2.BADDR + offset, with
 *  the EL2 translation regime (EL2&0 when HCR_EL2.E2H = 1) and EL2
 *  privilege. A fault is taken to EL2 as a data abort from a lower EL
 *  (EC 0x24) with ISS.VNCR = 1 (FEAT_NV2). */
uint64_t nv2_mem_read(CPUState *c, unsigned offset);
/** NVMem[offset] write: a 64-bit store, as nv2_mem_read(). */
void nv2_mem_write(CPUState *c, unsigned offset, uint64_t v);

#endif
