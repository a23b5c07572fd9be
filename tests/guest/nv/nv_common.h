/*
 * Shared helpers of the FEAT_NV / FEAT_NV2 guest tests (tests/guest/nv):
 * the exception harness of tests/guest/exc, HCR_EL2 bits, and the EC 0x18
 * ISS computed from an MRS/MSR/SYS instruction word (Arm ARM D24.2.45,
 * ISS encoding for EC 0x18: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10]
 * Rt[9:5] CRm[4:1] Direction[0]).
 */
#ifndef NV_COMMON_H
#define NV_COMMON_H

#include "../exc/exc_harness.h"

#define HCR_TVM (1ull << 26)
#define HCR_RW  (1ull << 31)
#define HCR_E2H (1ull << 34)
#define HCR_NV  (1ull << 42)
#define HCR_NV1 (1ull << 43)
#define HCR_AT  (1ull << 44)
#define HCR_NV2 (1ull << 45)

#define EC_SHIFT 26
#define ESR_SYSREG(iss) ((0x18ull << EC_SHIFT) | ESR_IL | (iss))

/* One EL1 function per access: "name: <insn>; ret". The trapping
 * instruction is the first one (label name). */
#define ACCESS(name, insn)                                                              \
    extern char name[];                                                                 \
    __asm__(".text\n.balign 4\n.global " #name "\n" #name ":\n" insn "\nret\n");

static inline uint32_t iss_sysreg(const char *at)
{
    uint32_t insn = *(const volatile uint32_t *)at;
    uint32_t op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7, crn = (insn >> 12) & 15;
    uint32_t crm = (insn >> 8) & 15, op2 = (insn >> 5) & 7, rt = insn & 31;
    uint32_t dir = (insn >> 21) & 1;   /* L: 1 = MRS/SYSL (read) */
    return (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) | (crm << 1) | dir;
}

static inline void set_hcr(uint64_t v)
{
    WRITE_SYSREG(hcr_el2, HCR_RW | v);
    ISB();
}

/* Runs fn at EL1h; returns fn's x0. */
static inline uint64_t at_el1(char *fn)
{
    exc_clear();
    return run_lower((uint64_t(*)(void))(void *)fn, SPSR_EL1H, LOWER_SP);
}

#endif
