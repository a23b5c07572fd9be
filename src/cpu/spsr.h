/*
 * SPSR_ELx field constants for an exception taken from AArch64 (the saved
 * PSTATE), spelled as the Arm ARM spells the fields: SPSR_ELx.M[3:2] is
 * SPSR_M_EL. Arm ARM D24.2.170 (SPSR_EL1), C5.2.18, and PSTATE (D1.4).
 * The PSTATE access registers NZCV, DAIF, CurrentEL, PAN and UAO hold their
 * fields at the same positions (NZCV[31:28], DAIF[9:6], CurrentEL.EL[3:2],
 * PAN[22], UAO[23]), so they use these constants too.
 * No dependencies: any layer may include it.
 */
#ifndef A83_CPU_SPSR_H
#define A83_CPU_SPSR_H

#include <stdint.h>

#define SPSR_M_SP        (1ull << 0)    /* M[0]: SP_ELx (1) or SP_EL0 (0) */
#define SPSR_M_RES       (1ull << 1)    /* M[1]: reserved, an illegal return if set */
#define SPSR_M_EL_SHIFT  2              /* M[3:2]: the exception level */
#define SPSR_M_EL_MASK   (3ull << SPSR_M_EL_SHIFT)
#define SPSR_M_MASK      0xfull         /* M[3:0] */
#define SPSR_M_nRW       (1ull << 4)    /* M[4]: 1 = AArch32 (not implemented) */
#define SPSR_DAIF_SHIFT  6              /* F[6], I[7], A[8], D[9] as PSTATE.DAIF */
#define SPSR_DAIF_MASK   (0xfull << SPSR_DAIF_SHIFT)
#define SPSR_D           (1ull << 9)
#define SPSR_IL          (1ull << 20)   /* illegal execution state */
#define SPSR_SS          (1ull << 21)   /* software step */
#define SPSR_PAN         (1ull << 22)   /* FEAT_PAN */
#define SPSR_UAO         (1ull << 23)   /* FEAT_UAO */
#define SPSR_NZCV_MASK   0xf0000000ull  /* N[31], Z[30], C[29], V[28] */

/** SPSR_ELx.M[3:2]: the exception level an exception return goes to. */
static inline unsigned spsr_m_el(uint64_t spsr)
{
    return (unsigned)((spsr & SPSR_M_EL_MASK) >> SPSR_M_EL_SHIFT);
}

#endif
