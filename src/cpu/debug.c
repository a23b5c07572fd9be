/*
 * AArch64 self-hosted debug exceptions: breakpoints, watchpoints, software
 * step. Arm ARM D2 ("AArch64 Self-hosted Debug"); the pseudocode functions
 * named below are those of the Arm ARM (shared/debug). docs/debug.md.
 */
#include "cpu/debug.h"

#include "cpu/exception.h"
#include "cpu/spsr.h"
#include "el2/traps.h"

/* MDSCR_EL1 fields (Arm ARM D13.3.x) */
#define MDSCR_SS  (1ull << 0)
#define MDSCR_KDE (1ull << 13)
#define MDSCR_MDE (1ull << 15)
/* OSLSR_EL1.OSLK, OSDLR_EL1.DLK, DBGPRCR_EL1.CORENPDRQ */
#define OSLSR_OSLK (1ull << 1)
#define OSDLR_DLK  (1ull << 0)
#define DBGPRCR_CORENPDRQ (1ull << 0)

/* DBGBCR<n>_EL1 fields (Arm ARM D13.3.2) */
#define BCR_E        (1ull << 0)
#define BCR_PMC(v)   (((v) >> 1) & 3)
#define BCR_BAS(v)   (((v) >> 5) & 0xf)
#define BCR_HMC(v)   (((v) >> 13) & 1)
#define BCR_SSC(v)   (((v) >> 14) & 3)
#define BCR_LBN(v)   (((v) >> 16) & 0xf)
#define BCR_BT(v)    (((v) >> 20) & 0xf)
/* DBGWCR<n>_EL1 fields (Arm ARM D13.3.11) */
#define WCR_E        (1ull << 0)
#define WCR_PAC(v)   (((v) >> 1) & 3)
#define WCR_LSC(v)   (((v) >> 3) & 3)
#define WCR_BAS(v)   (((v) >> 5) & 0xff)
#define WCR_HMC(v)   (((v) >> 13) & 1)
#define WCR_SSC(v)   (((v) >> 14) & 3)
#define WCR_LBN(v)   (((v) >> 16) & 0xf)
#define WCR_WT(v)    (((v) >> 20) & 1)
#define WCR_MASK(v)  (((v) >> 24) & 0x1f)
#define LSC_LOAD  1u
#define LSC_STORE 2u

/* Breakpoint types, DBGBCR.BT (Arm ARM D2.8.x) */
enum {
    BT_ADDR = 0x0, BT_ADDR_LINKED = 0x1,
    BT_CID = 0x2, BT_CID_LINKED = 0x3,
    BT_CID2 = 0x6, BT_CID2_LINKED = 0x7,
    BT_VMID = 0x8, BT_VMID_LINKED = 0x9,
    BT_VMID_CID = 0xa, BT_VMID_CID_LINKED = 0xb,
    BT_CID1_CID2 = 0xe, BT_CID1_CID2_LINKED = 0xf,
};

/* Implemented comparators, as ID_AA64DFR0_EL1 advertises (idregs.c):
 * BRPs = 6, WRPs = 4, CTX_CMPs = 2 (the highest-numbered breakpoints). */
#define NUM_BRPS 6u
#define NUM_WRPS 4u
#define FIRST_CTX_BRP 4u

/* Debug ESR ISS[5:0] (IFSC/DFSC) "debug exception" (Arm ARM D17.2.37) */
#define ISS_DEBUG_FSC 0x22u
#define ISS_SS_ISV (1u << 24)
#define ISS_SS_EX  (1u << 6)
#define ISS_WP_WNR (1u << 6)
#define ISS_WP_CM  (1u << 8)

/* Address bits compared: VA[48:2] for instructions, VA[48:0] for data
 * (DBGBVR/DBGWVR bits [63:49] are RESS, 48-bit VAs). */
#define VA_CMP_MASK ((1ull << 49) - 1)

bool debug_enabled_from(const CPUState *c, unsigned el, bool dmask)
{
    if (c->sr[SR_OSLSR_EL1] & OSLSR_OSLK)
        return false;
    if ((c->sr[SR_OSDLR_EL1] & OSDLR_DLK) && !(c->sr[SR_DBGPRCR_EL1] & DBGPRCR_CORENPDRQ))
        return false;       /* DoubleLockStatus() */
    unsigned target = el2_debug_target_el(c);
    if (el == target)
        return (c->sr[SR_MDSCR_EL1] & MDSCR_KDE) && !dmask;
    return target > el;
}

static bool enabled_here(const CPUState *c)
{
    return debug_enabled_from(c, c->el, (c->daif & DAIF_D) != 0);
}

void debug_update(CPUState *c)
{
    uint64_t mdscr = c->sr[SR_MDSCR_EL1];
    bool locked = (c->sr[SR_OSLSR_EL1] & OSLSR_OSLK) != 0;
    bool bp = false, wp = false;
    if ((mdscr & MDSCR_MDE) && !locked) {
        for (unsigned n = 0; n < NUM_BRPS; n++)
            bp |= (c->sr[SR_DBGBCR0_EL1 + n] & BCR_E) != 0;
        for (unsigned n = 0; n < NUM_WRPS; n++)
            wp |= (c->sr[SR_DBGWCR0_EL1 + n] & WCR_E) != 0;
    }
    c->dbg_exec = !locked && (bp || (mdscr & MDSCR_SS));
    bool was = c->dbg_wp;
    c->dbg_wp = wp;
    if (wp || was)
        cpu_tlb_flush_all(c);   /* watched pages are refilled with TLB_FLAG_SLOW */
    /* The run loop re-examines the flags at its next outer iteration: the
     * MSR that called this ends its block, and the translator's dispatcher
     * (which goes on after an MSR without cpu_exec(), exec_exit_plain())
     * leaves for C when exit_req is set. */
    if (c->dbg_exec)
        c->exit_req |= EXIT_CHECK;
}

/* The EL-match of a breakpoint or watchpoint (Arm ARM D2.8.x "Execution
 * conditions": HMC, SSC, PMC/PAC), for Non-secure state without EL3:
 * SSC = 0b10 (Secure only) never matches; PMC bit 0 = EL1, bit 1 = EL0;
 * HMC = 1 adds EL2 (and HMC = 1, PMC = 0b00 means EL2 only). */
static bool el_matches(unsigned el, unsigned hmc, unsigned ssc, unsigned pmc)
{
    if (ssc == 2)
        return false;
    switch (el) {
    case 0: return (pmc & 2) != 0;
    case 1: return (pmc & 1) != 0;
    case 2: return hmc && pmc != 2;
    default: return false;
    }
}

/* The current regime is the EL2&0 host regime (ELIsInHost). */
static bool in_host(const CPUState *c)
{
    return c->el == 2 ? el2_e2h(c) : (c->el == 0 && el2_in_host(c));
}

static bool vmid_matches(const CPUState *c, uint64_t bvr)
{
    if (!has_feat(c, FEAT_EL2) || c->el == 2 || in_host(c))
        return false;
    uint64_t mask = has_feat(c, FEAT_VMID16) ? 0xffffull : 0xffull;
    return ((c->sr[SR_VTTBR_EL2] >> 48) & mask) == ((bvr >> 32) & mask);
}

/* AArch64.BreakpointValueMatch() for the context part of breakpoint n
 * (context-aware comparators only). */
static bool context_matches(const CPUState *c, unsigned n)
{
    if (n < FIRST_CTX_BRP || n >= NUM_BRPS)
        return false;
    uint64_t bcr = c->sr[SR_DBGBCR0_EL1 + n], bvr = c->sr[SR_DBGBVR0_EL1 + n];
    if (!(bcr & BCR_E))
        return false;
    uint64_t cid1 = in_host(c) ? c->sr[SR_CONTEXTIDR_EL2] : c->sr[SR_CONTEXTIDR_EL1];
    bool m_cid = (uint32_t)cid1 == (uint32_t)bvr;
    bool m_cid2 = has_feat(c, FEAT_VHE) &&
                  (uint32_t)c->sr[SR_CONTEXTIDR_EL2] == (uint32_t)(bvr >> 32);
    bool m_cid1 = (uint32_t)c->sr[SR_CONTEXTIDR_EL1] == (uint32_t)bvr && !in_host(c);
    switch (BCR_BT(bcr) & ~1u) {
    case BT_CID:      return m_cid;
    case BT_CID2:     return m_cid2;
    case BT_VMID:     return vmid_matches(c, bvr);
    case BT_VMID_CID: return vmid_matches(c, bvr) && m_cid1;
    case BT_CID1_CID2: return m_cid1 && m_cid2;
    default:          return false;
    }
}

/* A linked context breakpoint lbn: it must be enabled and of a linked
 * context type (BT<0> = 1, BT != 0b0001); the EL conditions are those of
 * the linking comparator. */
static bool linked_matches(const CPUState *c, unsigned lbn)
{
    if (lbn < FIRST_CTX_BRP || lbn >= NUM_BRPS)
        return false;
    unsigned bt = BCR_BT(c->sr[SR_DBGBCR0_EL1 + lbn]);
    if (!(bt & 1) || bt == BT_ADDR_LINKED)
        return false;
    return context_matches(c, lbn);
}

void debug_check_breakpoint(CPUState *c)
{
    if (!(c->sr[SR_MDSCR_EL1] & MDSCR_MDE) || !enabled_here(c))
        return;
    uint64_t pc = c->pc;
    for (unsigned n = 0; n < NUM_BRPS; n++) {
        uint64_t bcr = c->sr[SR_DBGBCR0_EL1 + n];
        if (!(bcr & BCR_E) ||
            !el_matches(c->el, BCR_HMC(bcr), BCR_SSC(bcr), BCR_PMC(bcr)))
            continue;
        unsigned bt = BCR_BT(bcr);
        bool hit;
        if (bt == BT_ADDR || bt == BT_ADDR_LINKED) {
            /* A64 instructions: BAS must be 0b1111 (others are CONSTRAINED
             * UNPREDICTABLE; any non-zero BAS is treated as 0b1111). */
            uint64_t bvr = c->sr[SR_DBGBVR0_EL1 + n];
            hit = BCR_BAS(bcr) && !((pc ^ bvr) & VA_CMP_MASK & ~3ull);
            if (hit && bt == BT_ADDR_LINKED)
                hit = linked_matches(c, BCR_LBN(bcr));
        } else if (!(bt & 1)) {
            hit = context_matches(c, n);     /* unlinked context breakpoint */
        } else {
            hit = false;                     /* linked context: only via LBN */
        }
        if (hit) {
            unsigned tel = c->el == 2 ? 2 : el2_debug_target_el(c);
            ExceptionRecord e = { .ec = tel == c->el ? EC_BKPT_CUR : EC_BKPT_LOWER,
                                  .il = true, .iss = ISS_DEBUG_FSC };
            cpu_raise_sync(c, tel, &e);
        }
    }
}

void debug_check_step(CPUState *c)
{
    if (!(c->sr[SR_MDSCR_EL1] & MDSCR_SS) || c->ss || !enabled_here(c))
        return;
    /* Active-pending: AArch64.SoftwareStepException(). ISV = 0 when no
     * instruction was stepped (entered active-pending by an exception
     * return with SPSR.SS = 0). */
    unsigned tel = c->el == 2 ? 2 : el2_debug_target_el(c);
    uint32_t iss = ISS_DEBUG_FSC;
    if (c->ss_stepped)
        iss |= ISS_SS_ISV | (c->ss_ex ? ISS_SS_EX : 0);
    c->ss_stepped = 0;
    ExceptionRecord e = { .ec = tel == c->el ? EC_SSTEP_CUR : EC_SSTEP_LOWER, .il = true,
                          .iss = iss };
    cpu_raise_sync(c, tel, &e);
}

/* Load-exclusive: LDXR, LDAXR, LDXP, LDAXP (load/store exclusive class
 * with L = 1 and o2 = 0; Arm ARM C4.1.x). */
static bool is_load_exclusive(uint32_t insn)
{
    return (insn & 0x3fc00000u) == 0x08400000u;
}

void debug_after_insn(CPUState *c, uint32_t insn)
{
    if (c->ss_eret) {
        c->ss_eret = 0;          /* ERET set PSTATE.SS itself */
        return;
    }
    if (c->ss && (c->sr[SR_MDSCR_EL1] & MDSCR_SS)) {
        c->ss = 0;               /* SSAdvance(): active-not-pending -> active-pending */
        c->ss_stepped = 1;
        c->ss_ex = is_load_exclusive(insn);
    }
}

uint8_t debug_return_ss(const CPUState *c, uint64_t spsr)
{
    if (!(c->sr[SR_MDSCR_EL1] & MDSCR_SS))
        return 0;
    bool at_source = enabled_here(c);
    bool at_dest = debug_enabled_from(c, spsr_m_el(spsr), (spsr & SPSR_D) != 0);
    return (!at_source && at_dest) ? (spsr & SPSR_SS) != 0 : 0;
}

/* The bytes watchpoint n watches within the 8-byte block of `dword`:
 * a BAS mask (bit i = byte dword + i), or all bytes under MASK. */
static bool wp_addr_matches(uint64_t wcr, uint64_t wvr, uint64_t lo, uint64_t hi)
{
    unsigned mask = WCR_MASK(wcr);
    lo &= VA_CMP_MASK;
    hi &= VA_CMP_MASK;
    wvr &= VA_CMP_MASK;
    if (mask) {
        if (mask < 3)
            return false;          /* reserved MASK values: no match */
        uint64_t base = wvr & ~((1ull << mask) - 1);
        uint64_t top = base + (1ull << mask) - 1;
        return lo <= top && hi >= base;
    }
    unsigned bas = WCR_BAS(wcr);
    uint64_t base = wvr & ~7ull;
    if (wvr & 4)
        bas = (bas & 0xf) << 4;    /* word-aligned DBGWVR: BAS[3:0] only */
    for (unsigned i = 0; i < 8; i++)
        if ((bas >> i) & 1) {
            uint64_t b = base + i;
            if (b >= lo && b <= hi)
                return true;
        }
    return false;
}

void debug_check_watchpoint(CPUState *c, uint64_t va, unsigned size, bool write, bool cm,
                            bool el0_access)
{
    if (cm || !(c->sr[SR_MDSCR_EL1] & MDSCR_MDE) || !enabled_here(c))
        return;
    unsigned el = el0_access ? 0 : c->el;
    for (unsigned n = 0; n < NUM_WRPS; n++) {
        uint64_t wcr = c->sr[SR_DBGWCR0_EL1 + n];
        if (!(wcr & WCR_E) || !(WCR_LSC(wcr) & (write ? LSC_STORE : LSC_LOAD)) ||
            !el_matches(el, WCR_HMC(wcr), WCR_SSC(wcr), WCR_PAC(wcr)))
            continue;
        if (!wp_addr_matches(wcr, c->sr[SR_DBGWVR0_EL1 + n], va, va + size - 1))
            continue;
        if (WCR_WT(wcr) && !linked_matches(c, WCR_LBN(wcr)))
            continue;
        unsigned tel = c->el == 2 ? 2 : el2_debug_target_el(c);
        ExceptionRecord e = { .ec = tel == c->el ? EC_WATCH_CUR : EC_WATCH_LOWER, .il = true,
                              .iss = ISS_DEBUG_FSC | (write ? ISS_WP_WNR : 0) |
                                     (cm ? ISS_WP_CM : 0),
                              .far_valid = true, .far = va };
        cpu_raise_sync(c, tel, &e);
    }
}

bool debug_page_watched(const CPUState *c, uint64_t vpage)
{
    for (unsigned n = 0; n < NUM_WRPS; n++) {
        uint64_t wcr = c->sr[SR_DBGWCR0_EL1 + n];
        if ((wcr & WCR_E) &&
            wp_addr_matches(wcr, c->sr[SR_DBGWVR0_EL1 + n], vpage, vpage + PAGE_SIZE - 1))
            return true;
    }
    return false;
}
