/*
 * SCTLR_ELx field constants (SCTLR_EL1, and SCTLR_EL2 whose E2H = 1 layout
 * is SCTLR_EL1's), spelled as the Arm ARM spells the fields: SCTLR_ELx.nTWI
 * is SCTLR_nTWI. Arm ARM D24.2.150 (SCTLR_EL1), D24.2.151 (SCTLR_EL2).
 * No dependencies: any layer may include it.
 */
#ifndef A83_CPU_SCTLR_H
#define A83_CPU_SCTLR_H

#define SCTLR_M    (1ull << 0)    /* stage-1 MMU enable */
#define SCTLR_A    (1ull << 1)    /* alignment check enable */
#define SCTLR_C    (1ull << 2)    /* data cacheability */
#define SCTLR_SA   (1ull << 3)    /* SP alignment check, the regime's own EL */
#define SCTLR_SA0  (1ull << 4)    /* SP alignment check, EL0 */
#define SCTLR_ITD  (1ull << 7)    /* AArch32 IT disable (RES1 without AArch32 EL0) */
#define SCTLR_SED  (1ull << 8)    /* AArch32 SETEND disable (RES1 likewise) */
#define SCTLR_UMA  (1ull << 9)    /* EL0 access to PSTATE.DAIF */
#define SCTLR_EOS  (1ull << 11)   /* exception exit is context synchronizing (RES1 in v8.3) */
#define SCTLR_I    (1ull << 12)   /* instruction cacheability */
#define SCTLR_EnDB (1ull << 13)   /* FEAT_PAuth key DB enable */
#define SCTLR_DZE  (1ull << 14)   /* EL0 DC ZVA */
#define SCTLR_UCT  (1ull << 15)   /* EL0 CTR_EL0 */
#define SCTLR_nTWI (1ull << 16)   /* EL0 WFI not trapped */
#define SCTLR_nTWE (1ull << 18)   /* EL0 WFE not trapped */
#define SCTLR_WXN  (1ull << 19)   /* write permission implies XN */
#define SCTLR_TSCXT (1ull << 20)  /* SCXTNUM trap (RES1 without FEAT_CSV2_2) */
#define SCTLR_EIS  (1ull << 22)   /* exception entry is context synchronizing (RES1) */
#define SCTLR_SPAN (1ull << 23)   /* FEAT_PAN: PSTATE.PAN unchanged on exception entry */
#define SCTLR_EnDA (1ull << 27)   /* FEAT_PAuth key DA enable */
#define SCTLR_UCI  (1ull << 26)   /* EL0 cache maintenance by VA */
#define SCTLR_nTLSMD (1ull << 28) /* FEAT_LSMAOC (RES1 without it) */
#define SCTLR_LSMAOE (1ull << 29) /* FEAT_LSMAOC (RES1 without it) */
#define SCTLR_EnIB (1ull << 30)   /* FEAT_PAuth key IB enable */
#define SCTLR_EnIA (1ull << 31)   /* FEAT_PAuth key IA enable */

#endif
