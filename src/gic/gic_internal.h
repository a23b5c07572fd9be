/*
 * GICv3 model: internal state shared by the distributor (gic_dist.c),
 * redistributors (gic_redist.c), the physical CPU interface (gic_cpuif.c)
 * and the virtual CPU interface (gic_virt.c).
 *
 * References: Arm IHI 0069 "GIC architecture specification, GICv3 and
 * GICv4" (cited as "GICv3 spec"), chapters 4 (interrupt handling and
 * prioritization), 11 (virtual CPU interface), 12 (register descriptions).
 *
 * Configuration: one Security state (GICD_CTLR.DS == 1, RAO/WI), affinity
 * routing always enabled (GICD_CTLR.ARE RAO/WI), 5 bits of priority
 * (physical and virtual), INTIDs 0..287 (SGIs, PPIs, SPIs 32..287), LPIs
 * 8192..65535 with an ITS (gic_its.h, gic_lpi.c, gic_its.c), no extended
 * ranges. Group 0 is signalled as FIQ, Group 1
 * as IRQ (GICv3 spec 4.6, single Security state).
 */
#ifndef A83_GIC_INTERNAL_H
#define A83_GIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/machine.h"
#include "gic/gic_its_state.h"
#include "sysreg/sysreg.h"

#define GIC_NR_IRQS 288               /* INTIDs 0..287 */
#define GIC_NR_WORDS (GIC_NR_IRQS / 32)
#define GIC_NR_PRIV 32                /* SGIs 0..15, PPIs 16..31 */
#define GIC_SPURIOUS 1023u
#define GIC_PRIO_BITS 5               /* implemented priority bits */
#define GIC_PRIO_MASK 0xF8u           /* (0xFF << (8 - GIC_PRIO_BITS)) & 0xFF */
#define GIC_IDLE_PRIO 0xFFu           /* running priority with nothing active */
#define GIC_MIN_BPR0 2                /* 7 - GIC_PRIO_BITS */
#define GIC_MIN_BPR1 3                /* GIC_MIN_BPR0 + 1 */
#define GIC_NR_LRS 4                  /* ICH_VTR_EL2.ListRegs + 1 */

/* GICD_CTLR fields with DS == 1 (GICv3 spec 12.9.4) */
#define GICD_CTLR_ENABLEGRP0 (1u << 0)
#define GICD_CTLR_ENABLEGRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_E1NWF (1u << 7)

/* GICR_WAKER (GICv3 spec 12.11.41) */
#define GICR_WAKER_PROCESSORSLEEP (1u << 1)
#define GICR_WAKER_CHILDRENASLEEP (1u << 2)

/* ICC_CTLR_EL1 (GICv3 spec 12.2.6) */
#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_PRIBITS_SHIFT 8

/* ICC_SRE_ELx (GICv3 spec 12.2.16/12.2.17) */
#define ICC_SRE_SRE (1u << 0)
#define ICC_SRE_DFB (1u << 1)
#define ICC_SRE_DIB (1u << 2)
#define ICC_SRE_ENABLE (1u << 3)

/* ICH_HCR_EL2 (GICv3 spec 12.4.6) */
#define ICH_HCR_EN (1u << 0)
#define ICH_HCR_UIE (1u << 1)
#define ICH_HCR_LRENPIE (1u << 2)
#define ICH_HCR_NPIE (1u << 3)
#define ICH_HCR_VGRP0EIE (1u << 4)
#define ICH_HCR_VGRP0DIE (1u << 5)
#define ICH_HCR_VGRP1EIE (1u << 6)
#define ICH_HCR_VGRP1DIE (1u << 7)
#define ICH_HCR_TC (1u << 10)
#define ICH_HCR_TALL0 (1u << 11)
#define ICH_HCR_TALL1 (1u << 12)
#define ICH_HCR_TSEI (1u << 13)
#define ICH_HCR_TDIR (1u << 14)
#define ICH_HCR_EOICOUNT_SHIFT 27
#define ICH_HCR_EOICOUNT_MASK (0x1Fu << ICH_HCR_EOICOUNT_SHIFT)

/* ICH_MISR_EL2 (GICv3 spec 12.4.9) */
#define ICH_MISR_EOI (1u << 0)
#define ICH_MISR_U (1u << 1)
#define ICH_MISR_LRENP (1u << 2)
#define ICH_MISR_NP (1u << 3)
#define ICH_MISR_VGRP0E (1u << 4)
#define ICH_MISR_VGRP0D (1u << 5)
#define ICH_MISR_VGRP1E (1u << 6)
#define ICH_MISR_VGRP1D (1u << 7)

/* ICH_VMCR_EL2 (GICv3 spec 12.4.12) */
#define ICH_VMCR_VENG0 (1u << 0)
#define ICH_VMCR_VENG1 (1u << 1)
#define ICH_VMCR_VFIQEN (1u << 3)
#define ICH_VMCR_VCBPR (1u << 4)
#define ICH_VMCR_VEOIM (1u << 9)
#define ICH_VMCR_VBPR1_SHIFT 18
#define ICH_VMCR_VBPR0_SHIFT 21
#define ICH_VMCR_VPMR_SHIFT 24

/* ICH_LR<n>_EL2 (GICv3 spec 12.4.8) */
#define ICH_LR_VINTID_MASK 0xFFFFFFFFull
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_PINTID_MASK 0x3FFull
#define ICH_LR_EOI (1ull << 41)
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_GROUP (1ull << 60)
#define ICH_LR_HW (1ull << 61)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_PENDING (1ull << 62)
#define ICH_LR_ACTIVE (1ull << 63)

/** Per-CPU state: the redistributor's SGIs/PPIs, the ICC_ CPU interface,
 *  and the ICH_ virtual interface. Bit n of the 32-bit words is INTID n. */
typedef struct GICCpu {
    /* Redistributor (GICv3 spec 12.10, 12.11) */
    uint32_t group, enable, pend_latch, active, level, edge; /* edge: ICFGR bit 1 */
    uint8_t prio[GIC_NR_PRIV];
    uint32_t waker;
    uint32_t rd_ctlr;
    /* CPU interface (GICv3 spec 12.2) */
    uint8_t pmr, bpr0, bpr1;
    uint32_t ctlr;            /* CBPR, EOImode */
    bool igrpen0, igrpen1;
    uint32_t ap0r, ap1r;      /* ICC_AP0R0/AP1R0: bit n = group priority n << 3 */
    uint32_t sre_el2;         /* ICC_SRE_EL2.Enable (SRE/DFB/DIB read as one) */
    /* Virtual interface (GICv3 spec 12.4) */
    uint32_t ich_hcr, ich_vmcr;
    uint32_t ich_ap0r, ich_ap1r;
    uint64_t lr[GIC_NR_LRS];
} GICCpu;

struct GIC {
    Machine *m;
    unsigned ncpus;
    uint32_t ctlr;                               /* GICD_CTLR */
    /* SPI state, indexed by INTID (words 0 are unused: private INTIDs
     * live in GICCpu). */
    uint32_t group[GIC_NR_WORDS], enable[GIC_NR_WORDS], pend_latch[GIC_NR_WORDS];
    uint32_t active[GIC_NR_WORDS], level[GIC_NR_WORDS], edge[GIC_NR_WORDS];
    uint8_t prio[GIC_NR_IRQS];
    uint64_t irouter[GIC_NR_IRQS];
    GICCpu cpu[A83_MAX_CPUS];
    GICLpiRd lpi[A83_MAX_CPUS];                  /* redistributors' LPI state */
    GICITS its;                                  /* the ITS (all of its state) */
};
typedef struct GIC GIC;

static inline GIC *gic_of(const CPUState *c) { return c->m->gic; }
static inline GICCpu *gic_cpu(const CPUState *c) { return (GICCpu *)c->gic_cpu; }

/* ---- Interrupt state (gic_dist.c) ---------------------------------------- */

/** True if INTID is pending for CPU cpu (its latch, or its level input for
 *  a level-sensitive interrupt). GICv3 spec 4.1.1. */
bool gic_irq_pending(const GIC *g, unsigned cpu, unsigned intid);
bool gic_irq_active(const GIC *g, unsigned cpu, unsigned intid);
void gic_irq_set_active(GIC *g, unsigned cpu, unsigned intid, bool on);
void gic_irq_set_pending(GIC *g, unsigned cpu, unsigned intid, bool on);
unsigned gic_irq_prio(const GIC *g, unsigned cpu, unsigned intid);
unsigned gic_irq_group(const GIC *g, unsigned cpu, unsigned intid);

/** The highest-priority pending interrupt for cpu among those that are
 *  enabled, not active, routed to cpu and whose group is enabled in the
 *  distributor (GICv3 spec 4.8.2). Ties go to the lowest INTID. Returns
 *  GIC_SPURIOUS if none; *prio receives its priority. */
unsigned gic_hppi(const GIC *g, unsigned cpu, unsigned *prio);

/** The CPU an SPI is currently routed to (IROUTER, 1-of-N resolved to the
 *  lowest-numbered CPU that has the interrupt's group enabled). */
unsigned gic_spi_target(const GIC *g, unsigned intid);

/* ---- LPIs (gic_lpi.c, GICv3 spec 5.1) -------------------------------------- */

static inline bool gic_is_lpi(unsigned intid) { return intid >= GIC_LPI_BASE; }
/** The number of INTID bits the redistributor's LPI tables cover:
 *  min(GICR_PROPBASER.IDbits + 1, GIC_LPI_ID_BITS), or 0 when that leaves
 *  no LPI (IDbits < 13: 5.1.1). */
unsigned gic_lpi_idbits(const GICLpiRd *rd);
/** Reads the configuration byte of LPI intid (5.1.1: priority [7:2],
 *  Enable [0]) from the table in guest memory. False if intid is outside
 *  the table or the byte is outside guest RAM. */
bool gic_lpi_config(const GIC *g, unsigned cpu, unsigned intid, uint8_t *cfg);
bool gic_lpi_pending(const GIC *g, unsigned cpu, unsigned intid);
/** Sets or clears the pending state of LPI intid on redistributor cpu and
 *  writes it through to the pending table. Ignored if the redistributor's
 *  EnableLPIs is 0 or intid is beyond its tables. Does not call gic_update. */
void gic_lpi_set_pending(GIC *g, unsigned cpu, unsigned intid, bool on);
/** Moves every pending LPI of redistributor from to redistributor to (MOVALL). */
void gic_lpi_move_all(GIC *g, unsigned from, unsigned to);
/** Improves best and bprio with the highest-priority enabled pending LPI of
 *  cpu (Group 1 with one Security state: 5.1). */
void gic_lpi_hppi(const GIC *g, unsigned cpu, unsigned *best, unsigned *bprio);
/** GICR_CTLR, GICR_PROPBASER, GICR_PENDBASER accesses (gic_redist.c). */
uint64_t gic_lpi_reg_read(GIC *g, unsigned cpu, uint32_t off);
void gic_lpi_reg_write(GIC *g, unsigned cpu, uint32_t off, uint64_t v, unsigned size);
void gic_lpi_reset(GIC *g);

/* ---- ITS (gic_its.c) --------------------------------------------------------- */

/** Executes one 32-byte ITS command (four little-endian doublewords).
 *  Returns 0 or the command error, ITS_ERR(cmd, cause). Does not call
 *  gic_update. */
uint32_t its_execute(GIC *g, const uint64_t cmd[4]);
bool gits_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val);
bool gits_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val);
void its_reset(GIC *g);

/* ---- CPU interface (gic_cpuif.c) ----------------------------------------- */

/** Group priority mask for group grp given the BPRs (GICv3 spec 4.8.5). */
uint8_t gic_group_prio_mask(const GICCpu *gc, unsigned grp);
/** ICC_RPR_EL1: the running priority from the active priority registers. */
unsigned gic_running_prio(const GICCpu *gc);
/** The lines (IRQ_LINE_IRQ/FIQ) the physical CPU interface signals. */
uint32_t gic_cpuif_lines(const GIC *g, unsigned cpu);
/** Sends SGIs from CPU src per an ICC_SGI0R/SGI1R/ASGI1R value. */
void gic_send_sgi(GIC *g, unsigned src, uint64_t val, unsigned grp);

/* ---- Virtual interface (gic_virt.c) -------------------------------------- */

/** ICH_MISR_EL2 value. */
uint32_t gic_ich_misr(const GICCpu *gc);
/** The lines (IRQ_LINE_VIRQ/VFIQ) the virtual CPU interface signals. */
uint32_t gic_virt_lines(const GICCpu *gc);
/** True if EL1 ICC_ accesses of group grp are virtualised (HCR_EL2.IMO for
 *  group 1, FMO for group 0; "common" registers use either). */
bool gic_use_icv(const CPUState *c, int grp);

/** The CoreSight identification registers at 0xFFD0..0xFFFC of a frame. */
uint32_t gic_id_reg(uint64_t off);

/* ---- MMIO (gic_dist.c, gic_redist.c) ------------------------------------- */
bool gicd_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val);
bool gicd_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val);
bool gicr_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val);
bool gicr_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val);

/* Register functions used by the sysreg table (gic_regs.c) */
#define GIC_RD(name) uint64_t name(CPUState *c, const SysRegDesc *r)
#define GIC_WR(name) void name(CPUState *c, const SysRegDesc *r, uint64_t v)
#define GIC_AC(name) SysRegAccess name(CPUState *c, const SysRegDesc *r, bool is_read, \
                                       unsigned *target_el, uint32_t *ec)
/* physical/virtual dispatching ICC_ accessors (gic_cpuif.c) */
GIC_RD(icc_iar_read); GIC_WR(icc_eoir_write); GIC_RD(icc_hppir_read);
GIC_RD(icc_bpr_read); GIC_WR(icc_bpr_write); GIC_RD(icc_ap_read); GIC_WR(icc_ap_write);
GIC_RD(icc_igrpen_read); GIC_WR(icc_igrpen_write);
GIC_RD(icc_pmr_read); GIC_WR(icc_pmr_write); GIC_RD(icc_rpr_read);
GIC_WR(icc_dir_write); GIC_RD(icc_ctlr_read); GIC_WR(icc_ctlr_write);
GIC_WR(icc_sgi_write); GIC_RD(icc_sre_el1_read); GIC_WR(icc_sre_el1_write);
GIC_RD(icc_sre_el2_read); GIC_WR(icc_sre_el2_write);
GIC_AC(icc_access_grp0); GIC_AC(icc_access_grp1); GIC_AC(icc_access_common);
GIC_AC(icc_access_dir); GIC_AC(icc_access_sgi); GIC_AC(icc_access_sre_el1);
GIC_AC(gic_access_el2);
/* ICV_ behaviour (gic_virt.c), called by the ICC_ accessors */
uint64_t icv_iar(CPUState *c, unsigned grp);
void icv_eoir(CPUState *c, unsigned grp, uint64_t v);
uint64_t icv_hppir(CPUState *c, unsigned grp);
void icv_dir(CPUState *c, uint64_t v);
uint64_t icv_rpr(CPUState *c);
/* ICH_ registers (gic_virt.c) */
GIC_RD(ich_hcr_read); GIC_WR(ich_hcr_write); GIC_RD(ich_vtr_read);
GIC_RD(ich_vmcr_read); GIC_WR(ich_vmcr_write); GIC_RD(ich_misr_read);
GIC_RD(ich_eisr_read); GIC_RD(ich_elrsr_read);
GIC_RD(ich_lr_read); GIC_WR(ich_lr_write); GIC_RD(ich_ap_read); GIC_WR(ich_ap_write);

#endif
