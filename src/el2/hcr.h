/*
 * HCR_EL2 field constants (and those of the other EL2 trap controls,
 * CPTR_EL2 and MDCR_EL2, with CPACR_EL1 whose layout CPTR_EL2 takes with
 * E2H = 1), spelled as the Arm ARM spells the fields
 * (HCR_EL2.TGE is HCR_TGE). Arm ARM D24.2.62 (D13.2.46 in older issues).
 *
 * This header has no dependencies: any layer may name an HCR_EL2 field
 * (trace/ to observe it, el2/ to decide with it). Decisions belong in
 * src/el2/policy.h; code outside src/el2 asks those functions and does not
 * test these bits itself (src/trace only records them).
 */
#ifndef A83_EL2_HCR_H
#define A83_EL2_HCR_H

#define HCR_VM    (1ull << 0)
#define HCR_SWIO  (1ull << 1)
#define HCR_PTW   (1ull << 2)
#define HCR_FMO   (1ull << 3)
#define HCR_IMO   (1ull << 4)
#define HCR_AMO   (1ull << 5)
#define HCR_VF    (1ull << 6)
#define HCR_VI    (1ull << 7)
#define HCR_VSE   (1ull << 8)
#define HCR_FB    (1ull << 9)
#define HCR_BSU_SHIFT 10
#define HCR_DC    (1ull << 12)
#define HCR_TWI   (1ull << 13)
#define HCR_TWE   (1ull << 14)
#define HCR_TID0  (1ull << 15)
#define HCR_TID1  (1ull << 16)
#define HCR_TID2  (1ull << 17)
#define HCR_TID3  (1ull << 18)
#define HCR_TSC   (1ull << 19)
#define HCR_TIDCP (1ull << 20)
#define HCR_TACR  (1ull << 21)
#define HCR_TSW   (1ull << 22)
#define HCR_TPCP  (1ull << 23)
#define HCR_TPU   (1ull << 24)
#define HCR_TTLB  (1ull << 25)
#define HCR_TVM   (1ull << 26)
#define HCR_TGE   (1ull << 27)
#define HCR_TDZ   (1ull << 28)
#define HCR_HCD   (1ull << 29)
#define HCR_TRVM  (1ull << 30)
#define HCR_RW    (1ull << 31)
#define HCR_CD    (1ull << 32)
#define HCR_ID    (1ull << 33)
#define HCR_E2H   (1ull << 34)
#define HCR_TLOR  (1ull << 35)
#define HCR_TERR  (1ull << 36)
#define HCR_TEA   (1ull << 37)
#define HCR_APK   (1ull << 40)
#define HCR_API   (1ull << 41)
#define HCR_NV    (1ull << 42)
#define HCR_NV1   (1ull << 43)
#define HCR_AT    (1ull << 44)
#define HCR_NV2   (1ull << 45)
#define HCR_FWB   (1ull << 46)   /* FEAT_S2FWB */
/* FEAT_EVT (ID_AA64MMFR2_EL1.EVT = 1): writable only when implemented */
#define HCR_TID4  (1ull << 49)
#define HCR_TICAB (1ull << 50)
#define HCR_TOCU  (1ull << 52)

/* CPTR_EL2 fields. E2H=0 layout (Arm ARM D13.2.31): */
#define CPTR_TFP   (1ull << 10)
#define CPTR_TTA   (1ull << 20)
#define CPTR_TCPAC (1ull << 31)
#define CPTR_RES1_NVHE 0x33ffull          /* bits [13:12] and [9:0] */
/* E2H=1 layout (same as CPACR_EL1 plus TCPAC): */
#define CPTR_E2H_FPEN_SHIFT 20
#define CPTR_E2H_TTA (1ull << 28)

/* CPACR_EL1 fields */
#define CPACR_FPEN_SHIFT 20
#define CPACR_TTA (1ull << 28)

/* MDCR_EL2 fields (Arm ARM D13.3.x) */
#define MDCR_HPMN_MASK 0x1full
#define MDCR_TPMCR (1ull << 5)
#define MDCR_TPM   (1ull << 6)
#define MDCR_HPME  (1ull << 7)
#define MDCR_TDE   (1ull << 8)
#define MDCR_TDA   (1ull << 9)
#define MDCR_TDOSA (1ull << 10)
#define MDCR_TDRA  (1ull << 11)
#define MDCR_HPMD  (1ull << 17)

#endif
