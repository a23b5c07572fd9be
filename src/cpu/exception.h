/*
 * The AArch64 exception model (Arm ARM D1.10, AArch64.TakeException and
 * AArch64.ExceptionReturn). Exceptions are built in exactly one place,
 * AArch64_TakeException(), which also feeds the exit trace.
 */
#ifndef A83_EXCEPTION_H
#define A83_EXCEPTION_H

#include "cpu/cpu.h"

/* ESR_ELx.EC values (Arm ARM D17.2.37) */
enum {
    EC_UNKNOWN = 0x00,
    EC_WFX = 0x01,
    EC_FP_ACCESS = 0x07,
    EC_ILLEGAL_STATE = 0x0E,
    EC_SVC64 = 0x15,
    EC_HVC64 = 0x16,
    EC_SMC64 = 0x17,
    EC_SYSREG = 0x18,
    EC_ERET = 0x1A,
    EC_PAC_FAIL = 0x1C,
    EC_IABT_LOWER = 0x20,
    EC_IABT_CUR = 0x21,
    EC_PC_ALIGN = 0x22,
    EC_DABT_LOWER = 0x24,
    EC_DABT_CUR = 0x25,
    EC_SP_ALIGN = 0x26,
    EC_FP_EXC64 = 0x2C,
    EC_SERROR = 0x2F,
    EC_BKPT_LOWER = 0x30,
    EC_BKPT_CUR = 0x31,
    EC_SSTEP_LOWER = 0x32,
    EC_SSTEP_CUR = 0x33,
    EC_WATCH_LOWER = 0x34,
    EC_WATCH_CUR = 0x35,
    EC_BRK = 0x3C,
    EC_PAC = 0x09,            /* PAuth instruction trapped by HCR_EL2.API */
};

/* Exception vector offsets (Arm ARM D1.10.2) */
enum {
    VECT_SYNC = 0x000,
    VECT_IRQ = 0x080,
    VECT_FIQ = 0x100,
    VECT_SERROR = 0x180,
};

/** A synchronous exception or interrupt to be taken. */
typedef struct ExceptionRecord {
    uint32_t ec;
    uint32_t iss;          /* ISS[24:0] */
    bool il;               /* instruction length bit (true for A64 insns) */
    bool far_valid;
    uint64_t far;          /* VA for aborts, PC for PC alignment */
    bool ipa_valid;
    uint64_t ipa;          /* faulting IPA for stage-2 aborts (HPFAR_EL2) */
} ExceptionRecord;

/**
 * Takes an exception to target_el (1 or 2): saves PSTATE to SPSR_ELx and
 * preferred_return to ELR_ELx, writes ESR/FAR/HPFAR as the record says
 * (for synchronous vectors only), masks DAIF, sets PSTATE.EL/SP, and jumps
 * to VBAR_ELx + the vector offset chosen by the current and target EL.
 * Arm ARM D1.10 AArch64.TakeException. Does not longjmp.
 */
void AArch64_TakeException(CPUState *c, unsigned target_el, const ExceptionRecord *e,
                           uint64_t preferred_return, unsigned vect_offset);

/** Takes a synchronous exception for the instruction at c->pc and
 *  longjmps back to the run loop. */
_Noreturn void cpu_raise_sync(CPUState *c, unsigned target_el, const ExceptionRecord *e);

/** The EL a synchronous exception from the current EL is taken to by
 *  default: EL1 from EL0/EL1, EL2 from EL0 with HCR_EL2.TGE=1, EL2 from EL2. */
unsigned cpu_default_target_el(const CPUState *c);

/** UNDEFINED (EC 0x00) to the default target EL. Arm ARM D1.10.4. */
_Noreturn void cpu_undefined(CPUState *c);

/**
 * SP alignment check (Arm ARM D1.8.2, "SP alignment checking"): for a
 * load/store whose base register is SP, call with the SP value used as the
 * base (before any offset). When SCTLR_ELx.SA (EL1/EL2) or SA0 (EL0) of the
 * current translation regime is set and sp is not 16-byte aligned, raises
 * the SP alignment fault (EC 0x26, ISS 0) to the default target EL and does
 * not return.
 */
void cpu_check_sp_alignment(CPUState *c, uint64_t sp);

/** ERET: AArch64.ExceptionReturn from the current EL (handles the illegal
 *  return rules). Returns EXEC_EXIT (the context changed). */
int cpu_exception_return(CPUState *c, uint64_t new_pc, uint64_t spsr);

/** Checks c->irq_lines against the masking and routing rules and takes an
 *  IRQ/FIQ/SError (physical or virtual) if one is deliverable. Returns true
 *  if an exception was taken. Arm ARM D1.13. */
bool cpu_check_interrupts(CPUState *c);

/** True if any interrupt is pending for WFI wake-up purposes (masking
 *  ignored, as Arm ARM D1.16.2 says for WFI). */
bool cpu_wfi_wakeup_pending(const CPUState *c);

#endif
