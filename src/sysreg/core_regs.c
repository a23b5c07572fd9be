/* System-register table fragment: the EL0/EL1 core registers (Arm ARM D17). */
#include "sysreg/sysreg.h"

const SysRegDesc sysreg_core_table[] = {
    { .name = "SCTLR_EL1", .enc = A83_SYSREG(3, 0, 1, 0, 0), .slot = SR_SCTLR_EL1, .feature = -1,
      .reset = 0x30d00800, .vncr_offset = -1 },
    { .name = "VBAR_EL1", .enc = A83_SYSREG(3, 0, 12, 0, 0), .slot = SR_VBAR_EL1, .feature = -1,
      .res0 = 0x7ff, .vncr_offset = -1 },
    { .name = "ELR_EL1", .enc = A83_SYSREG(3, 0, 4, 0, 1), .slot = SR_ELR_EL1, .feature = -1,
      .vncr_offset = -1 },
    { .name = "SPSR_EL1", .enc = A83_SYSREG(3, 0, 4, 0, 0), .slot = SR_SPSR_EL1, .feature = -1,
      .vncr_offset = -1 },
    { .name = "ESR_EL1", .enc = A83_SYSREG(3, 0, 5, 2, 0), .slot = SR_ESR_EL1, .feature = -1,
      .vncr_offset = -1 },
    { .name = "FAR_EL1", .enc = A83_SYSREG(3, 0, 6, 0, 0), .slot = SR_FAR_EL1, .feature = -1,
      .vncr_offset = -1 },
    { .name = "TPIDR_EL0", .enc = A83_SYSREG(3, 3, 13, 0, 2), .slot = SR_TPIDR_EL0, .feature = -1,
      .vncr_offset = -1 },
    { .name = NULL },
};
