/*
 * ESR_ELx field constants, spelled as the Arm ARM spells the fields:
 * ESR_ELx.EC[31:26], IL[25], ISS[24:0]. Arm ARM D24.2.40 (ESR_EL1). The
 * exception class values are EC_* in cpu/exception.h.
 * No dependencies: any layer may include it (src/trace decodes records).
 */
#ifndef A83_CPU_ESR_H
#define A83_CPU_ESR_H

#include <stdbool.h>
#include <stdint.h>

#define ESR_EC_SHIFT 26
#define ESR_EC_MASK  0x3fu              /* EC, after the shift */
#define ESR_IL       (1ull << 25)       /* 32-bit instruction trapped */
#define ESR_ISS_MASK 0x1ffffffull       /* ISS[24:0] */
/* ISS of trapped A64 instructions with a condition field (EC 0x01, 0x07,
 * ...): CV = 1 and COND = 0b1110 (AL), as A64 instructions report. */
#define ESR_ISS_CV          (1u << 24)
#define ESR_ISS_COND_SHIFT  20
#define ESR_ISS_COND_AL     (ESR_ISS_CV | (0xEu << ESR_ISS_COND_SHIFT))

/** ESR_ELx.EC of a syndrome. */
static inline unsigned esr_ec(uint64_t esr)
{
    return (unsigned)(esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
}

/** An ESR_ELx value from its fields (ISS truncated to 25 bits). */
static inline uint64_t esr_make(unsigned ec, bool il, uint64_t iss)
{
    return ((uint64_t)ec << ESR_EC_SHIFT) | (il ? ESR_IL : 0) | (iss & ESR_ISS_MASK);
}

#endif
