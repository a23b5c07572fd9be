/*
 * System-register table fragment sysreg_debug_table: the self-hosted debug
 * registers (Arm ARM D2 "AArch64 Self-hosted Debug", D13.3). Writes of the
 * registers that arm breakpoints, watchpoints and software step
 * (DBGB*, DBGW*, MDSCR_EL1, OSLAR_EL1, OSDLR_EL1) call debug_update(), which
 * recomputes the CPU's "debug armed" flags (cpu/debug.c, docs/debug.md).
 *
 * Traps (Arm ARM D13.3.x MDCR_EL2): TDA (most debug registers), TDOSA (OS
 * lock and power-down registers), TDRA (MDRAR_EL1); MDCR_EL2.TDE and
 * HCR_EL2.TGE make all three behave as 1. MDSCR_EL1.TDCC traps EL0 use of
 * the debug communication channel to EL1.
 */
#include "cpu/debug.h"
#include "el2/traps.h"
#include "sysreg/sysreg_defs.h"

#define MDSCR_TDCC (1ull << 12)
#define MDSCR_RW ((1ull << 0) | (1ull << 6) | (1ull << 12) | (1ull << 13) | (1ull << 15) | \
                  (3ull << 22))

static bool mdcr_trap(const CPUState *c, uint64_t bit)
{
    if (c->el > 1 || !has_feat(c, FEAT_EL2))
        return false;
    uint64_t mdcr = c->sr[SR_MDCR_EL2];
    return (mdcr & (bit | MDCR_TDE)) || EffectiveTGE(c);
}

static SysRegAccess acc_tda(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    return mdcr_trap(c, MDCR_TDA) ? sra_trap_el2(tel, ec) : SRA_OK;
}
static SysRegAccess acc_tdosa(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    return mdcr_trap(c, MDCR_TDOSA) ? sra_trap_el2(tel, ec) : SRA_OK;
}
static SysRegAccess acc_tdra(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    (void)r; (void)rd;
    return mdcr_trap(c, MDCR_TDRA) ? sra_trap_el2(tel, ec) : SRA_OK;
}
/* Debug communication channel at EL0: MDSCR_EL1.TDCC, then TDA. */
static SysRegAccess acc_dcc(CPUState *c, const SysRegDesc *r, bool rd, unsigned *tel, uint32_t *ec)
{
    if (c->el == 0 && (c->sr[SR_MDSCR_EL1] & MDSCR_TDCC))
        return sra_trap_el1(c, tel, ec);
    return acc_tda(c, r, rd, tel, ec);
}

/* OS lock (Arm ARM D2.x): OSLSR_EL1.OSLM = 0b10 (bits 3 and 0), OSLK bit 1
 * set at cold reset; OSLAR_EL1 writes OSLK. */
#define OSLSR_OSLM 0x8ull
#define OSLSR_OSLK 0x2ull
static void wr_oslar(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    (void)r;
    c->sr[SR_OSLSR_EL1] = OSLSR_OSLM | ((v & 1) ? OSLSR_OSLK : 0);
    debug_update(c);
}

/* Stores the value as the table's res0 says, then re-arms debug. */
static void wr_arm(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    c->sr[r->slot] = (v & ~r->res0) | r->res1;
    debug_update(c);
}

/* Claim tags: DBGCLAIMSET_EL1 reads as the implemented tags (8), writes of
 * 1 set; DBGCLAIMCLR_EL1 reads the tags, writes of 1 clear. */
static uint64_t rd_claimset(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0xff; }
static void wr_claimset(CPUState *c, const SysRegDesc *r, uint64_t v) { (void)r; c->sr[SR_DBGCLAIM] |= v & 0xff; }
static void wr_claimclr(CPUState *c, const SysRegDesc *r, uint64_t v) { (void)r; c->sr[SR_DBGCLAIM] &= ~(v & 0xff); }

/* DBGAUTHSTATUS_EL1: non-secure invasive and non-invasive debug
 * implemented and enabled (0b11 each), no Secure state. */
static uint64_t rd_authstatus(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0xf; }
static uint64_t rd_zero(CPUState *c, const SysRegDesc *r) { (void)c; (void)r; return 0; }

/* DBGDTRRX_EL0 (read) and DBGDTRTX_EL0 (write) share one encoding. */
static uint64_t rd_dtrrx(CPUState *c, const SysRegDesc *r) { (void)r; return c->sr[SR_DBGDTRRX_EL0]; }
static void wr_dtrtx(CPUState *c, const SysRegDesc *r, uint64_t v) { (void)r; c->sr[SR_DBGDTRTX_EL0] = v & 0xffffffffull; }

#define D(nm, o1, n, m, o2, sl, ...) SR_ENTRY(nm, 2, o1, n, m, o2, sl, -1, __VA_ARGS__)
/* DBGBCR: E, PMC, BAS[8:5], HMC, SSC, LBN, BT writable (bits [12:9] of
 * the AArch32 BAS are RES0 in AArch64). DBGWCR: E, PAC, LSC, BAS, HMC,
 * SSC, LBN, WT, MASK. */
#define BP(i) D("DBGBVR" #i "_EL1", 0, 0, i, 4, SR_DBGBVR0_EL1 + (i), .access = acc_tda, \
                .write = wr_arm), \
              D("DBGBCR" #i "_EL1", 0, 0, i, 5, SR_DBGBCR0_EL1 + (i), .access = acc_tda, \
                .res0 = SR_ONLY(0x00ffe1e7ull), .write = wr_arm)
#define WP(i) D("DBGWVR" #i "_EL1", 0, 0, i, 6, SR_DBGWVR0_EL1 + (i), .access = acc_tda, \
                .res0 = 3, .write = wr_arm), \
              D("DBGWCR" #i "_EL1", 0, 0, i, 7, SR_DBGWCR0_EL1 + (i), .access = acc_tda, \
                .res0 = SR_ONLY(0x1f1fffffull), .write = wr_arm)

const SysRegDesc sysreg_debug_table[] = {
    D("OSDTRRX_EL1", 0, 0, 0, 2, SR_OSDTRRX_EL1, .access = acc_tda, .res0 = SR_MASK32),
    D("MDCCINT_EL1", 0, 0, 2, 0, SR_MDCCINT_EL1, .access = acc_tda,
      .res0 = SR_ONLY(3ull << 29)),
    /* FEAT_NV2: NVMem[0x158] with NVx IN {'1x1'} (branch el2) */
    SR_ENTRY_V(0x158, "MDSCR_EL1", 2, 0, 0, 2, 2, SR_MDSCR_EL1, -1, .flags = SRF_NV2_NV1X,
               .access = acc_tda, .res0 = SR_ONLY(MDSCR_RW), .write = wr_arm),
    D("OSDTRTX_EL1", 0, 0, 3, 2, SR_OSDTRTX_EL1, .access = acc_tda, .res0 = SR_MASK32),
    D("OSECCR_EL1", 0, 0, 6, 2, SR_OSECCR_EL1, .access = acc_tda, .res0 = SR_MASK32),
    BP(0), BP(1), BP(2), BP(3), BP(4), BP(5),
    WP(0), WP(1), WP(2), WP(3),
    D("MDRAR_EL1", 0, 1, 0, 0, SR_NONE, .flags = SRF_RO, .access = acc_tdra, .read = rd_zero),
    D("OSLAR_EL1", 0, 1, 0, 4, SR_NONE, .flags = SRF_WO, .access = acc_tdosa, .write = wr_oslar),
    D("OSLSR_EL1", 0, 1, 1, 4, SR_OSLSR_EL1, .flags = SRF_RO, .access = acc_tdosa,
      .reset = OSLSR_OSLM | OSLSR_OSLK),
    D("OSDLR_EL1", 0, 1, 3, 4, SR_OSDLR_EL1, .access = acc_tdosa, .res0 = SR_ONLY(1),
      .write = wr_arm),
    D("DBGPRCR_EL1", 0, 1, 4, 4, SR_DBGPRCR_EL1, .access = acc_tdosa, .res0 = SR_ONLY(1)),
    D("DBGCLAIMSET_EL1", 0, 7, 8, 6, SR_NONE, .access = acc_tda, .read = rd_claimset,
      .write = wr_claimset),
    D("DBGCLAIMCLR_EL1", 0, 7, 9, 6, SR_DBGCLAIM, .access = acc_tda, .write = wr_claimclr),
    D("DBGAUTHSTATUS_EL1", 0, 7, 14, 6, SR_NONE, .flags = SRF_RO, .access = acc_tda,
      .read = rd_authstatus),
    D("MDCCSR_EL0", 3, 0, 1, 0, SR_NONE, .flags = SRF_RO, .access = acc_dcc, .read = rd_zero),
    D("DBGDTR_EL0", 3, 0, 4, 0, SR_NONE, .access = acc_dcc, .read = rd_zero),
    D("DBGDTRRX_EL0", 3, 0, 5, 0, SR_DBGDTRRX_EL0, .access = acc_dcc, .read = rd_dtrrx,
      .write = wr_dtrtx),
    { .name = NULL },
};
