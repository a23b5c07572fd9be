/*
 * Shared support of the GIC and timer guest tests: an exception vector
 * table whose IRQ entries call on_irq(cpu, intid) between ICC_IAR1_EL1
 * and ICC_EOIR1_EL1 (GICv3 spec 4.1.1), GICv3 set-up helpers (GICv3 spec
 * 12.9, 12.10/12.11 WAKER handshake, 12.2 ICC_), and the masked-WFI wait
 * idiom. Include once per test; the test defines on_irq().
 */
#ifndef GIC_GUEST_H
#define GIC_GUEST_H

#include "guest.h"

#define GICD 0x08000000ul
#define GICR(n) (0x080A0000ul + 0x20000ul * (n))
#define SGI_BASE 0x10000ul

/* GICv3 CPU interface registers by encoding (GICv3 spec Table 12-2) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
/* VHE timer registers (Arm ARM D13.8) */
#define CNTHV_CTL_EL2 S3_4_C14_C3_1
#define CNTHV_TVAL_EL2 S3_4_C14_C3_0
#define CNTP_CTL_EL02 S3_5_C14_C2_1
#define CNTP_TVAL_EL02 S3_5_C14_C2_0
#define CNTV_CTL_EL02 S3_5_C14_C3_1
#define CNTV_TVAL_EL02 S3_5_C14_C3_0

#define HCR_IMO (1ul << 4)
#define HCR_RW (1ul << 31)
#define HCR_E2H (1ul << 34)

/* READ_SYSREG/WRITE_SYSREG with the name macro-expanded first, so the
 * S3_... encodings above reach the assembler. */
#define RSR(r) READ_SYSREG(r)
#define WSR(r, v) WRITE_SYSREG(r, v)

static inline void w32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline uint32_t r32(uint64_t a) { return *(volatile uint32_t *)a; }

/* provided by the test */
void on_irq(unsigned cpu, unsigned intid);

static inline unsigned cpu_id(void) { return READ_SYSREG(MPIDR_EL1) & 0xFF; }

void guest_irq(void);
void guest_irq(void)
{
    unsigned id = RSR(ICC_IAR1_EL1) & 0xFFFFFF;
    if (id >= 1020 && id <= 1023)
        return;   /* special INTIDs; LPIs (>= 8192) are handled (GICv3 spec 2.2.1) */
    on_irq(cpu_id(), id);
    WSR(ICC_EOIR1_EL1, id);
    ISB();
}

void guest_bad_exception(void);
void guest_bad_exception(void)
{
    uint64_t esr = current_el() == 2 ? READ_SYSREG(ESR_EL2) : READ_SYSREG(ESR_EL1);
    uint64_t elr = current_el() == 2 ? READ_SYSREG(ELR_EL2) : READ_SYSREG(ELR_EL1);
    putreg("unexpected exception, ESR", esr);
    putreg("ELR", elr);
    guest_exit(1);
}

/* Vector table (Arm ARM D1.10.2): IRQ from the current EL with SP_ELx
 * (0x280) and from a lower EL (0x480) go to guest_irq; the rest is fatal. */
__asm__(".text\n"
        ".macro gvent label\n"
        ".balign 128\n"
        "b \\label\n"
        ".endm\n"
        ".balign 2048\n"
        ".global gvectors\n"
        "gvectors:\n"
        "gvent gbad\n gvent gbad\n gvent gbad\n gvent gbad\n"
        "gvent gbad\n gvent girq\n gvent gbad\n gvent gbad\n"
        "gvent gbad\n gvent girq\n gvent gbad\n gvent gbad\n"
        "gvent gbad\n gvent gbad\n gvent gbad\n gvent gbad\n"
        "girq:\n"
        "  sub sp, sp, #176\n"
        "  stp x0, x1, [sp, #0]\n   stp x2, x3, [sp, #16]\n  stp x4, x5, [sp, #32]\n"
        "  stp x6, x7, [sp, #48]\n  stp x8, x9, [sp, #64]\n  stp x10, x11, [sp, #80]\n"
        "  stp x12, x13, [sp, #96]\n stp x14, x15, [sp, #112]\n stp x16, x17, [sp, #128]\n"
        "  stp x18, x30, [sp, #144]\n"
        "  bl guest_irq\n"
        "  ldp x0, x1, [sp, #0]\n   ldp x2, x3, [sp, #16]\n  ldp x4, x5, [sp, #32]\n"
        "  ldp x6, x7, [sp, #48]\n  ldp x8, x9, [sp, #64]\n  ldp x10, x11, [sp, #80]\n"
        "  ldp x12, x13, [sp, #96]\n ldp x14, x15, [sp, #112]\n ldp x16, x17, [sp, #128]\n"
        "  ldp x18, x30, [sp, #144]\n"
        "  add sp, sp, #176\n"
        "  eret\n"
        "gbad:\n"
        "  bl guest_bad_exception\n"
        "  b gbad\n");
extern char gvectors[];

/* Installs the vectors at the current EL; at EL2 routes physical IRQs to
 * EL2 (HCR_EL2.IMO, Arm ARM D1.13.2). */
static inline void vectors_install(void)
{
    if (current_el() == 2) {
        WRITE_SYSREG(VBAR_EL2, (uint64_t)gvectors);
        WRITE_SYSREG(HCR_EL2, READ_SYSREG(HCR_EL2) | HCR_IMO | HCR_RW);
    } else {
        WRITE_SYSREG(VBAR_EL1, (uint64_t)gvectors);
    }
    ISB();
}

static inline void gic_dist_init(void)
{
    w32(GICD + 0x0, 3);                      /* GICD_CTLR: EnableGrp0 | EnableGrp1 */
}

/* Wakes this CPU's redistributor and enables its CPU interface for Group 1. */
static inline void gic_cpu_init(unsigned cpu)
{
    w32(GICR(cpu) + 0x14, 0);                /* GICR_WAKER.ProcessorSleep = 0 */
    while (r32(GICR(cpu) + 0x14) & 4)        /* until ChildrenAsleep = 0 */
        ;
    w32(GICR(cpu) + SGI_BASE + 0x80, ~0u);   /* GICR_IGROUPR0: SGIs/PPIs Group 1 */
    WSR(ICC_SRE_EL1, RSR(ICC_SRE_EL1) | 1);
    WSR(ICC_PMR_EL1, 0xF0);
    WSR(ICC_IGRPEN1_EL1, 1);
    ISB();
}

static inline void gic_enable_private(unsigned cpu, unsigned id)
{
    w32(GICR(cpu) + SGI_BASE + 0x100, 1u << id);   /* GICR_ISENABLER0 */
}

/* Waits until *flag is non-zero, sleeping in WFI. IRQs are masked around
 * the test so that an interrupt cannot slip in between it and the WFI
 * (a masked pending IRQ still ends WFI, Arm ARM D1.16.2). */
static inline void wait_flag(volatile uint32_t *flag)
{
    for (;;) {
        __asm__ volatile("msr daifset, #2" ::: "memory");
        if (*flag)
            break;
        __asm__ volatile("wfi" ::: "memory");
        __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
    }
    __asm__ volatile("msr daifclr, #2\n isb" ::: "memory");
}

#endif
