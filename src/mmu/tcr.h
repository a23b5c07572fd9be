/*
 * TCR_ELx field constants, spelled as the Arm ARM spells the fields:
 * TCR_EL1 (and TCR_EL2 with HCR_EL2.E2H = 1, same layout) as TCR_<field>,
 * TCR_EL2 with E2H = 0 (one VA range) as TCR_EL2_<field>. Field
 * extractors take the register value. Arm ARM D24.2.188 (TCR_EL1),
 * D24.2.189 (TCR_EL2). No dependencies: any layer may include it.
 */
#ifndef A83_MMU_TCR_H
#define A83_MMU_TCR_H

/* TCR_EL1, TCR_EL2 with E2H = 1 */
#define TCR_T0SZ(t)  ((unsigned)(t) & 0x3f)
#define TCR_EPD0     (1ull << 7)
#define TCR_TG0(t)   ((unsigned)((t) >> 14) & 3)
#define TCR_T1SZ(t)  ((unsigned)((t) >> 16) & 0x3f)
#define TCR_A1       (1ull << 22)      /* TTBR1_ELx holds the ASID */
#define TCR_EPD1     (1ull << 23)
#define TCR_TG1(t)   ((unsigned)((t) >> 30) & 3)
#define TCR_IPS(t)   ((unsigned)((t) >> 32) & 7)
#define TCR_AS       (1ull << 36)      /* 16-bit ASID */
#define TCR_TBI0     (1ull << 37)
#define TCR_TBI1     (1ull << 38)
#define TCR_TBID0    (1ull << 51)      /* FEAT_PAuth: TBI for data accesses only */
#define TCR_TBID1    (1ull << 52)

/* TCR_EL2 with E2H = 0 */
#define TCR_EL2_PS(t) ((unsigned)((t) >> 16) & 7)
#define TCR_EL2_TBI   (1ull << 20)
#define TCR_EL2_TBID  (1ull << 29)

#endif
