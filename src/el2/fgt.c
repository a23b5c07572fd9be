/*
 * FEAT_FGT trap decisions and the later EL2 registers (fgt.h): the tables
 * from each bit of HFGRTR_EL2/HFGWTR_EL2 (one layout, "HFGxTR"), HFGITR_EL2
 * and HDFGRTR_EL2/HDFGWTR_EL2 (one numbering, "HDFGxTR") to the encodings it
 * traps (Arm ARM D24.2, the field descriptions of those five registers), and
 * the table fragment sysreg_el2_later_table with the five registers and
 * HCRX_EL2 (FEAT_HCX).
 */
#include "el2/fgt.h"

#include "sysreg/sysreg_defs.h"

/* Which accesses a bit traps: reads (MRS, in HFGRTR/HDFGRTR), writes (MSR,
 * in HFGWTR/HDFGWTR) or both. HFGITR bits trap SYS (a write). A register
 * that is read-only (write-only) has its bit only in the read (write)
 * register; the other one's bit is RES0. */
#define FGT_R 1u
#define FGT_W 2u
#define FGT_RW (FGT_R | FGT_W)

/* Encoding masks: the exact encoding, or any CRm (DBGBVR<n> ...), or any
 * CRm[1:0]:op2 (PMEVCNTR<n>_EL0, n = CRm[1:0]:op2), or any op2. */
#define M_EXACT 0xffffu
#define M_ANY_CRM ((uint32_t)~(0xfu << 3) & 0xffffu)
#define M_ANY_N ((uint32_t)~((3u << 3) | 7u) & 0xffffu)
#define M_ANY_OP2 ((uint32_t)~7u & 0xffffu)

typedef struct FgtBit {
    uint8_t bit;       /* bit number in the register(s) */
    uint8_t dir;       /* FGT_R / FGT_W */
    int8_t feat;       /* FEAT_* the trapped register needs, or -1 */
    uint32_t match;    /* A83_SYSREG() of the trapped encoding */
    uint32_t mask;     /* which encoding bits must equal match */
} FgtBit;

#define B(b, d, f, o0, o1, n, m, o2) \
    { .bit = (b), .dir = (d), .feat = (f), .match = A83_SYSREG(o0, o1, n, m, o2), .mask = M_EXACT }
#define BM(b, d, f, o0, o1, n, m, o2, msk) \
    { .bit = (b), .dir = (d), .feat = (f), .match = A83_SYSREG(o0, o1, n, m, o2), .mask = (msk) }

/* HFGRTR_EL2 / HFGWTR_EL2 (same bit positions). Bits 19-23 (LOR*), 30-31
 * (SCXTNUM_ELx), 40-49 (RAS ERR*), 50 (nACCDATA_EL1) and above trap
 * registers of features this CPU does not implement: RES0. */
static const FgtBit hfgxtr_bits[] = {
    B(0, FGT_RW, -1, 3, 0, 5, 1, 0),             /* AFSR0_EL1 */
    B(1, FGT_RW, -1, 3, 0, 5, 1, 1),             /* AFSR1_EL1 */
    B(2, FGT_R, -1, 3, 1, 0, 0, 7),              /* AIDR_EL1 */
    B(3, FGT_RW, -1, 3, 0, 10, 3, 0),            /* AMAIR_EL1 */
    B(4, FGT_RW, FEAT_PAuth, 3, 0, 2, 2, 0),     /* APDAKeyLo_EL1 */
    B(4, FGT_RW, FEAT_PAuth, 3, 0, 2, 2, 1),     /* APDAKeyHi_EL1 */
    B(5, FGT_RW, FEAT_PAuth, 3, 0, 2, 2, 2),     /* APDBKeyLo_EL1 */
    B(5, FGT_RW, FEAT_PAuth, 3, 0, 2, 2, 3),     /* APDBKeyHi_EL1 */
    B(6, FGT_RW, FEAT_PAuth, 3, 0, 2, 3, 0),     /* APGAKeyLo_EL1 */
    B(6, FGT_RW, FEAT_PAuth, 3, 0, 2, 3, 1),     /* APGAKeyHi_EL1 */
    B(7, FGT_RW, FEAT_PAuth, 3, 0, 2, 1, 0),     /* APIAKeyLo_EL1 */
    B(7, FGT_RW, FEAT_PAuth, 3, 0, 2, 1, 1),     /* APIAKeyHi_EL1 */
    B(8, FGT_RW, FEAT_PAuth, 3, 0, 2, 1, 2),     /* APIBKeyLo_EL1 */
    B(8, FGT_RW, FEAT_PAuth, 3, 0, 2, 1, 3),     /* APIBKeyHi_EL1 */
    B(9, FGT_R, -1, 3, 1, 0, 0, 0),              /* CCSIDR_EL1 */
    B(9, FGT_R, FEAT_CCIDX, 3, 1, 0, 0, 2),      /* CCSIDR2_EL1 */
    B(10, FGT_R, -1, 3, 1, 0, 0, 1),             /* CLIDR_EL1 */
    B(11, FGT_RW, -1, 3, 0, 13, 0, 1),           /* CONTEXTIDR_EL1 */
    B(12, FGT_RW, -1, 3, 0, 1, 0, 2),            /* CPACR_EL1 */
    B(13, FGT_RW, -1, 3, 2, 0, 0, 0),            /* CSSELR_EL1 */
    B(14, FGT_R, -1, 3, 3, 0, 0, 1),             /* CTR_EL0 */
    B(15, FGT_R, -1, 3, 3, 0, 0, 7),             /* DCZID_EL0 */
    B(16, FGT_RW, -1, 3, 0, 5, 2, 0),            /* ESR_EL1 */
    B(17, FGT_RW, -1, 3, 0, 6, 0, 0),            /* FAR_EL1 */
    B(18, FGT_R, -1, 3, 0, 12, 1, 0),            /* ISR_EL1 */
    B(19, FGT_RW, FEAT_LOR, 3, 0, 10, 4, 3),     /* LORC_EL1 */
    B(20, FGT_RW, FEAT_LOR, 3, 0, 10, 4, 1),     /* LOREA_EL1 */
    B(21, FGT_R, FEAT_LOR, 3, 0, 10, 4, 7),      /* LORID_EL1 */
    B(22, FGT_RW, FEAT_LOR, 3, 0, 10, 4, 2),     /* LORN_EL1 */
    B(23, FGT_RW, FEAT_LOR, 3, 0, 10, 4, 0),     /* LORSA_EL1 */
    B(24, FGT_RW, -1, 3, 0, 10, 2, 0),           /* MAIR_EL1 */
    B(25, FGT_R, -1, 3, 0, 0, 0, 0),             /* MIDR_EL1 */
    B(26, FGT_R, -1, 3, 0, 0, 0, 5),             /* MPIDR_EL1 */
    B(27, FGT_RW, -1, 3, 0, 7, 4, 0),            /* PAR_EL1 */
    B(28, FGT_R, -1, 3, 0, 0, 0, 6),             /* REVIDR_EL1 */
    B(29, FGT_RW, -1, 3, 0, 1, 0, 0),            /* SCTLR_EL1 */
    B(32, FGT_RW, -1, 3, 0, 2, 0, 2),            /* TCR_EL1 */
    B(33, FGT_RW, -1, 3, 0, 13, 0, 4),           /* TPIDR_EL1 */
    B(34, FGT_RW, -1, 3, 3, 13, 0, 3),           /* TPIDRRO_EL0 */
    B(35, FGT_RW, -1, 3, 3, 13, 0, 2),           /* TPIDR_EL0 */
    B(36, FGT_RW, -1, 3, 0, 2, 0, 0),            /* TTBR0_EL1 */
    B(37, FGT_RW, -1, 3, 0, 2, 0, 1),            /* TTBR1_EL1 */
    B(38, FGT_RW, -1, 3, 0, 12, 0, 0),           /* VBAR_EL1 */
    B(39, FGT_RW, -1, 3, 0, 12, 12, 6),          /* ICC_IGRPEN0_EL1 */
    B(39, FGT_RW, -1, 3, 0, 12, 12, 7),          /* ICC_IGRPEN1_EL1 */
};

/* HFGITR_EL2. Bits 18-27 and 34-41 (TLBI *OS and range forms), 9 (DC
 * CVADP), 48-50 (CFP/DVP/CPP RCTX) and 55-60 trap instructions this CPU
 * does not implement: RES0. ERET and SVC (51-53) are in fgt.h. */
static const FgtBit hfgitr_bits[] = {
    B(0, FGT_W, -1, 1, 0, 7, 1, 0),              /* IC IALLUIS */
    B(1, FGT_W, -1, 1, 0, 7, 5, 0),              /* IC IALLU */
    B(2, FGT_W, -1, 1, 3, 7, 5, 1),              /* IC IVAU */
    B(3, FGT_W, -1, 1, 0, 7, 6, 1),              /* DC IVAC */
    B(4, FGT_W, -1, 1, 0, 7, 6, 2),              /* DC ISW */
    B(5, FGT_W, -1, 1, 0, 7, 10, 2),             /* DC CSW */
    B(6, FGT_W, -1, 1, 0, 7, 14, 2),             /* DC CISW */
    B(7, FGT_W, -1, 1, 3, 7, 11, 1),             /* DC CVAU */
    B(8, FGT_W, FEAT_DPB, 1, 3, 7, 12, 1),       /* DC CVAP */
    B(10, FGT_W, -1, 1, 3, 7, 14, 1),            /* DC CIVAC */
    B(11, FGT_W, -1, 1, 3, 7, 4, 1),             /* DC ZVA */
    B(12, FGT_W, -1, 1, 0, 7, 8, 0),             /* AT S1E1R */
    B(13, FGT_W, -1, 1, 0, 7, 8, 1),             /* AT S1E1W */
    B(14, FGT_W, -1, 1, 0, 7, 8, 2),             /* AT S1E0R */
    B(15, FGT_W, -1, 1, 0, 7, 8, 3),             /* AT S1E0W */
    B(16, FGT_W, FEAT_PAN2, 1, 0, 7, 9, 0),      /* AT S1E1RP */
    B(17, FGT_W, FEAT_PAN2, 1, 0, 7, 9, 1),      /* AT S1E1WP */
    B(28, FGT_W, -1, 1, 0, 8, 3, 0),             /* TLBI VMALLE1IS */
    B(29, FGT_W, -1, 1, 0, 8, 3, 1),             /* TLBI VAE1IS */
    B(30, FGT_W, -1, 1, 0, 8, 3, 2),             /* TLBI ASIDE1IS */
    B(31, FGT_W, -1, 1, 0, 8, 3, 3),             /* TLBI VAAE1IS */
    B(32, FGT_W, -1, 1, 0, 8, 3, 5),             /* TLBI VALE1IS */
    B(33, FGT_W, -1, 1, 0, 8, 3, 7),             /* TLBI VAALE1IS */
    B(42, FGT_W, -1, 1, 0, 8, 7, 0),             /* TLBI VMALLE1 */
    B(43, FGT_W, -1, 1, 0, 8, 7, 1),             /* TLBI VAE1 */
    B(44, FGT_W, -1, 1, 0, 8, 7, 2),             /* TLBI ASIDE1 */
    B(45, FGT_W, -1, 1, 0, 8, 7, 3),             /* TLBI VAAE1 */
    B(46, FGT_W, -1, 1, 0, 8, 7, 5),             /* TLBI VALE1 */
    B(47, FGT_W, -1, 1, 0, 8, 7, 7),             /* TLBI VAALE1 */
    B(54, FGT_W, -1, 1, 3, 7, 10, 1),            /* DC CVAC */
};

/* HDFGRTR_EL2 / HDFGWTR_EL2. Bits 22-56 and 59-63 (PMMIR, SPE, trace,
 * TRBE, BRBE) trap registers of features this CPU does not implement: RES0. */
static const FgtBit hdfgxtr_bits[] = {
    BM(0, FGT_RW, -1, 2, 0, 0, 0, 5, M_ANY_CRM), /* DBGBCR<n>_EL1 */
    BM(1, FGT_RW, -1, 2, 0, 0, 0, 4, M_ANY_CRM), /* DBGBVR<n>_EL1 */
    BM(2, FGT_RW, -1, 2, 0, 0, 0, 7, M_ANY_CRM), /* DBGWCR<n>_EL1 */
    BM(3, FGT_RW, -1, 2, 0, 0, 0, 6, M_ANY_CRM), /* DBGWVR<n>_EL1 */
    B(4, FGT_RW, -1, 2, 0, 0, 2, 2),             /* MDSCR_EL1 */
    B(5, FGT_RW, -1, 2, 0, 7, 8, 6),             /* DBGCLAIMSET_EL1 */
    B(5, FGT_RW, -1, 2, 0, 7, 9, 6),             /* DBGCLAIMCLR_EL1 */
    B(6, FGT_R, -1, 2, 0, 7, 14, 6),             /* DBGAUTHSTATUS_EL1 */
    B(7, FGT_RW, -1, 2, 0, 1, 4, 4),             /* DBGPRCR_EL1 */
    B(8, FGT_W, -1, 2, 0, 1, 0, 4),              /* OSLAR_EL1 */
    B(9, FGT_R, -1, 2, 0, 1, 1, 4),              /* OSLSR_EL1 */
    B(10, FGT_RW, -1, 2, 0, 0, 6, 2),            /* OSECCR_EL1 */
    B(11, FGT_RW, -1, 2, 0, 1, 3, 4),            /* OSDLR_EL1 */
    BM(12, FGT_RW, FEAT_PMUv3, 3, 3, 14, 8, 0, M_ANY_N),    /* PMEVCNTR<n>_EL0 (CRm 8-11) */
    B(12, FGT_RW, FEAT_PMUv3, 3, 3, 9, 13, 2),              /* PMXEVCNTR_EL0 */
    BM(13, FGT_RW, FEAT_PMUv3, 3, 3, 14, 12, 0, M_ANY_OP2), /* PMEVTYPER<n>_EL0, n 0-7 */
    BM(13, FGT_RW, FEAT_PMUv3, 3, 3, 14, 13, 0, M_ANY_OP2), /* n 8-15 */
    BM(13, FGT_RW, FEAT_PMUv3, 3, 3, 14, 14, 0, M_ANY_OP2), /* n 16-23 */
    B(13, FGT_RW, FEAT_PMUv3, 3, 3, 9, 13, 1),   /* PMXEVTYPER_EL0 */
    B(14, FGT_RW, FEAT_PMUv3, 3, 3, 14, 15, 7),  /* PMCCFILTR_EL0 */
    B(15, FGT_RW, FEAT_PMUv3, 3, 3, 9, 13, 0),   /* PMCCNTR_EL0 */
    B(16, FGT_RW, FEAT_PMUv3, 3, 3, 9, 12, 1),   /* PMCNTENSET_EL0 */
    B(16, FGT_RW, FEAT_PMUv3, 3, 3, 9, 12, 2),   /* PMCNTENCLR_EL0 */
    B(17, FGT_RW, FEAT_PMUv3, 3, 0, 9, 14, 1),   /* PMINTENSET_EL1 */
    B(17, FGT_RW, FEAT_PMUv3, 3, 0, 9, 14, 2),   /* PMINTENCLR_EL1 */
    B(18, FGT_RW, FEAT_PMUv3, 3, 3, 9, 12, 3),   /* PMOVSCLR_EL0 */
    B(18, FGT_RW, FEAT_PMUv3, 3, 3, 9, 14, 3),   /* PMOVSSET_EL0 */
    B(19, FGT_RW, FEAT_PMUv3, 3, 3, 9, 12, 5),   /* PMSELR_EL0 */
    B(20, FGT_W, FEAT_PMUv3, 3, 3, 9, 12, 4),    /* PMSWINC_EL0 (HDFGWTR only) */
    B(21, FGT_W, FEAT_PMUv3, 3, 3, 9, 12, 0),    /* PMCR_EL0 (HDFGWTR only: reads untrapped) */
    B(57, FGT_RW, FEAT_PMUv3, 3, 3, 9, 14, 0),   /* PMUSERENR_EL0 */
    B(58, FGT_R, FEAT_PMUv3, 3, 3, 9, 12, 6),    /* PMCEID0_EL0 */
    B(58, FGT_R, FEAT_PMUv3, 3, 3, 9, 12, 7),    /* PMCEID1_EL0 */
};

#define NBITS(t) (sizeof(t) / sizeof((t)[0]))

/* The table and FGT registers an encoding belongs to: op0 = 1 the system
 * instructions (HFGITR); op0 = 2 the debug registers and op0 = 3 with
 * CRn = 9 or CRn = 14, CRm >= 8 the PMU (HDFGxTR); the rest HFGxTR. */
static const FgtBit *table_for(uint32_t enc, size_t *n, unsigned *rd_slot, unsigned *wr_slot)
{
    unsigned op0 = (enc >> 14) & 3, crn = (enc >> 7) & 15, crm = (enc >> 3) & 15;
    if (op0 == 1) {
        *n = NBITS(hfgitr_bits);
        *rd_slot = *wr_slot = SR_HFGITR_EL2;
        return hfgitr_bits;
    }
    if (op0 == 2 || (op0 == 3 && (crn == 9 || (crn == 14 && crm >= 8)))) {
        *n = NBITS(hdfgxtr_bits);
        *rd_slot = SR_HDFGRTR_EL2;
        *wr_slot = SR_HDFGWTR_EL2;
        return hdfgxtr_bits;
    }
    *n = NBITS(hfgxtr_bits);
    *rd_slot = SR_HFGRTR_EL2;
    *wr_slot = SR_HFGWTR_EL2;
    return hfgxtr_bits;
}

/* EL2Enabled() (no Secure state, no EL3: EL2 implemented) with FEAT_FGT,
 * below EL2 and not in the EL2&0 host regime. */
static bool fgt_applies(const CPUState *c)
{
    return has_feat(c, FEAT_FGT) && c->el < 2 && !el2_in_host(c);
}

bool el2_fgt_trap(const CPUState *c, uint32_t enc, bool is_read)
{
    if (!fgt_applies(c))
        return false;
    size_t n;
    unsigned rs, ws;
    const FgtBit *t = table_for(enc, &n, &rs, &ws);
    uint64_t ctl = c->sr[is_read ? rs : ws];
    if (likely(ctl == 0))
        return false;
    unsigned dir = is_read ? FGT_R : FGT_W;
    for (size_t i = 0; i < n; i++)
        if ((enc & t[i].mask) == t[i].match && (t[i].dir & dir))
            return (ctl >> t[i].bit) & 1;
    return false;
}

int el2_fgt_read_slot(uint32_t enc)
{
    size_t n;
    unsigned rs, ws;
    const FgtBit *t = table_for(enc, &n, &rs, &ws);
    for (size_t i = 0; i < n; i++)
        if ((enc & t[i].mask) == t[i].match && (t[i].dir & FGT_R))
            return (int)rs;
    return -1;
}

bool el2_fgt_trap_eret(const CPUState *c)
{
    return fgt_applies(c) && c->el == 1 && (c->sr[SR_HFGITR_EL2] & HFGITR_ERET);
}

bool el2_fgt_trap_svc(const CPUState *c)
{
    return fgt_applies(c) &&
           (c->sr[SR_HFGITR_EL2] & (c->el == 0 ? HFGITR_SVC_EL0 : HFGITR_SVC_EL1));
}

/* ---- The registers -------------------------------------------------------- */

/* The writable bits of an FGT register: those whose trapped register or
 * instruction this CPU implements (every other bit is RES0). */
static uint64_t fgt_writable(const CPUState *c, const FgtBit *t, size_t n, unsigned dir)
{
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++)
        if ((t[i].dir & dir) && (t[i].feat < 0 || has_feat(c, t[i].feat)))
            w |= 1ull << t[i].bit;
    return w;
}

static void wr_fgt(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    uint64_t w;
    switch (r->slot) {
    case SR_HFGRTR_EL2: w = fgt_writable(c, hfgxtr_bits, NBITS(hfgxtr_bits), FGT_R); break;
    case SR_HFGWTR_EL2: w = fgt_writable(c, hfgxtr_bits, NBITS(hfgxtr_bits), FGT_W); break;
    case SR_HDFGRTR_EL2: w = fgt_writable(c, hdfgxtr_bits, NBITS(hdfgxtr_bits), FGT_R); break;
    case SR_HDFGWTR_EL2: w = fgt_writable(c, hdfgxtr_bits, NBITS(hdfgxtr_bits), FGT_W); break;
    default:
        w = fgt_writable(c, hfgitr_bits, NBITS(hfgitr_bits), FGT_W) | HFGITR_ERET |
            HFGITR_SVC_EL0 | HFGITR_SVC_EL1;
        break;
    }
    c->sr[r->slot] = v & w;
}

/* The FEAT_NV2 VNCR_EL2 offsets are the accessor pseudocode's NVMem[]
 * indices (HFGRTR_EL2 0x1B8 ... HDFGWTR_EL2 0x1D8, HCRX_EL2 0xA0). */
#define FG(vo, nm, n, m, o2, sl) \
    SR_ENTRY_V(vo, nm, 3, 4, n, m, o2, sl, FEAT_FGT, .write = wr_fgt)

const SysRegDesc sysreg_el2_later_table[] = {
    FG(0x1b8, "HFGRTR_EL2", 1, 1, 4, SR_HFGRTR_EL2),
    FG(0x1c0, "HFGWTR_EL2", 1, 1, 5, SR_HFGWTR_EL2),
    FG(0x1c8, "HFGITR_EL2", 1, 1, 6, SR_HFGITR_EL2),
    FG(0x1d0, "HDFGRTR_EL2", 3, 1, 4, SR_HDFGRTR_EL2),
    FG(0x1d8, "HDFGWTR_EL2", 3, 1, 5, SR_HDFGWTR_EL2),
    /* HCRX_EL2 (FEAT_HCX): every field belongs to a feature this CPU does
     * not implement (LS64, XS, SME, NMI, CMOW, MOPS, TCR2, SCTLR2, THE,
     * D128, RAS v2, GCS ...), so the whole register is RES0 (docs/el2.md). */
    SR_ENTRY_V(0xa0, "HCRX_EL2", 3, 4, 1, 2, 2, SR_HCRX_EL2, FEAT_HCX, .res0 = ~0ull),
    { .name = NULL },
};
