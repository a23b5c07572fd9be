/*
 * The one feature description of the emulated CPU. ID registers are built
 * from it (src/sysreg/idregs.c) and every feature-gated behaviour consults
 * it, so ID_AA64* always advertise exactly what is implemented.
 */
#ifndef A83_FEATURES_H
#define A83_FEATURES_H

#include <stdint.h>

/* Bit numbers in CPUState.feat / Machine.feat. Arm ARM names (FEAT_xxx). */
enum {
    FEAT_EL2 = 0,    /* EL2 implemented (virtualization=on) */
    FEAT_VHE,        /* v8.1 Virtualization Host Extensions */
    FEAT_PAN,        /* v8.1 Privileged Access Never */
    FEAT_LSE,        /* v8.1 Large System Extensions (atomics) */
    FEAT_RDM,        /* v8.1 SQRDMLAH/SQRDMLSH */
    FEAT_VMID16,     /* v8.1 16-bit VMID */
    FEAT_HPDS,       /* v8.1 hierarchical permission disables */
    FEAT_HAFDBS,     /* v8.1 hardware access flag / dirty state */
    FEAT_LOR,        /* v8.1 limited ordering regions */
    FEAT_UAO,        /* v8.2 User Access Override */
    FEAT_DPB,        /* v8.2 DC CVAP */
    FEAT_PAN2,       /* v8.2 AT S1E1RP/WP */
    FEAT_FP16,       /* v8.2 half-precision arithmetic */
    FEAT_TTCNP,      /* v8.2 common not private translations */
    FEAT_PAuth,      /* v8.3 pointer authentication (QARMA, ID_AA64ISAR1.APA) */
    FEAT_JSCVT,      /* v8.3 FJCVTZS */
    FEAT_FCMA,       /* v8.3 FCMLA/FCADD */
    FEAT_LRCPC,      /* v8.3 LDAPR */
    FEAT_CCIDX,      /* v8.3 64-bit CCSIDR */
    FEAT_NV,         /* v8.3 nested virtualization (HCR_EL2.NV/NV1/AT) */
    FEAT_NV2,        /* v8.4 enhanced nested virtualization (VNCR_EL2) */
    FEAT_CRC32,      /* CRC32/CRC32C instructions */
    FEAT_AES,        /* AES + PMULL */
    FEAT_SHA1,
    FEAT_SHA256,
    FEAT_PMUv3,      /* PMU v3 */
    FEAT_FP,         /* FP and AdvSIMD */
    FEAT_EVT,        /* v8.2 (v8.5 mandatory) enhanced virtualization traps:
                        HCR_EL2.TID4, TICAB, TOCU (ID_AA64MMFR2_EL1.EVT = 1) */
    FEAT_FGT,        /* v8.6 fine-grained traps: HFGRTR/HFGWTR/HFGITR/HDFGRTR/HDFGWTR_EL2
                        (ID_AA64MMFR0_EL1.FGT = 1; src/el2/fgt.c) */
    FEAT_ECV,        /* v8.6 enhanced counter virtualization: CNTPOFF_EL2, CNTHCTL_EL2.ECV,
                        EL1TVT/EL1TVCT/EL1NVPCT/EL1NVVCT/EVNTIS, CNTPCTSS/CNTVCTSS_EL0
                        (ID_AA64MMFR0_EL1.ECV = 2; src/el2/ecv.c) */
    FEAT_S2FWB,      /* v8.4 stage-2 forced write-back: HCR_EL2.FWB (ID_AA64MMFR2_EL1.FWB = 1) */
    FEAT_HCX,        /* v8.7 HCRX_EL2 (ID_AA64MMFR1_EL1.HCX = 1) */
    FEAT_TTL,        /* v8.4 TLBI level hint, address operand bits [47:44]
                        (ID_AA64MMFR2_EL1.TTL = 1) */
    FEAT__COUNT
};

#define FEATBIT(f) (1ull << (f))

/* Features that the default CPU (the ARMv8.3-A profile with NV2) leaves
 * out and `-cpu max` has: the later ones that change what a (nested)
 * hypervisor must trap (docs/features.md). */
#define FEAT_LATER_MASK                                                                   \
    (FEATBIT(FEAT_EVT) | FEATBIT(FEAT_FGT) | FEATBIT(FEAT_ECV) | FEATBIT(FEAT_S2FWB) |        \
     FEATBIT(FEAT_HCX) | FEATBIT(FEAT_TTL))

/** Name of switchable feature i (0, 1, ...), or NULL past the last one. */
const char *feature_switch_name(unsigned i);
/** The FEAT_* number of a switch name (e.g. "vhe"), or -1. */
int feature_by_name(const char *name);
/** f with its dependencies applied: EL2-only features dropped without
 *  FEAT_EL2, NV2 without NV, PAN2 without PAN, SHA256 without SHA1. */
uint64_t features_resolve(uint64_t f);

#endif
