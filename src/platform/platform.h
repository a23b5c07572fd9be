/*
 * The virt board's platform: loaders, DTB, PL011, PL031, flash and the
 * PSCI/SMCCC firmware that stands in for EL3.
 */
#ifndef A83_PLATFORM_H
#define A83_PLATFORM_H

#include "core/machine.h"

/**
 * Firmware call from HVC or SMC (Arm DEN0028 SMCCC 1.1, DEN0022 PSCI 1.1).
 * The board's conduit is HVC when EL2 is not implemented, SMC otherwise
 * (QEMU's virt rule). sys.c calls this for an HVC/SMC instruction that
 * uses the conduit and is not trapped to EL2; is_smc says which instruction.
 * Returns true if the call was handled (results in X0..X3, PC advanced by
 * the caller), false if the instruction should behave architecturally
 * (HVC to EL2, or UNDEFINED).
 */
bool platform_firmware_call(CPUState *c, bool is_smc, uint16_t imm);

#endif
