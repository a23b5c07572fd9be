/*
 * The GICv3 virtual CPU interface end to end (GICv3 spec 11, 12.3, 12.4):
 * a hypervisor at EL2 puts two virtual interrupts in list registers and
 * enters an EL1 guest with HCR_EL2.IMO = 1; the guest takes them as vIRQs
 * and acknowledges/completes them through the ICC_ encodings (which act as
 * ICV_). LR0 (vINTID 42, EOI = 1) raises the maintenance interrupt (PPI
 * 25) at EL2 when completed; LR1 (vINTID 9, HW = 1, pINTID 9) deactivates
 * the physical SGI 9 that the hypervisor acknowledged with EOImode = 1.
 */
#include "gic_guest.h"

#define ICC_CTLR_EL1 S3_0_C12_C12_4
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_EISR_EL2 S3_4_C12_C11_3
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1

#define LR_PEND (1ul << 62)
#define LR_GRP1 (1ul << 60)
#define LR_HW (1ul << 61)
#define LR_EOI (1ul << 41)
#define LR_PRIO(p) ((uint64_t)(p) << 48)

volatile uint32_t order[4], norder, maint_count, done;
volatile uint64_t maint_eisr;

void on_irq(unsigned cpu, unsigned id)
{
    (void)cpu;
    if (current_el() == 2) {
        if (id == 25) {                        /* maintenance interrupt */
            maint_count++;
            maint_eisr = RSR(ICH_EISR_EL2);
            WSR(ICH_LR0_EL2, 0);               /* handled: free the list register */
            ISB();
        }
        return;
    }
    if (norder < 4)
        order[norder++] = id;                  /* a virtual interrupt, at EL1 */
    if (norder == 2)
        done = 1;
}

void guest_main(void);
void guest_main(void)
{
    puts_("guest at EL");
    putdec(current_el());
    putc_('\n');
    wait_flag(&done);
    putreg("first vINTID", order[0]);
    putreg("second vINTID", order[1]);
    putreg("maintenance interrupts", maint_count);
    putreg("ICH_EISR_EL2 seen", maint_eisr);
    putreg("physical SGI 9 active", (r32(GICR(0) + SGI_BASE + 0x300) >> 9) & 1);
    guest_exit(0);
}

int main(void)
{
    vectors_install();                         /* VBAR_EL2, HCR_EL2.IMO */
    WSR(VBAR_EL1, (uint64_t)gvectors);
    gic_dist_init();
    gic_cpu_init(0);
    gic_enable_private(0, 25);
    gic_enable_private(0, 9);
    /* a physical SGI 9, acknowledged with EOImode = 1: priority dropped,
     * still active (IRQs are masked at EL2, so we poll) */
    WSR(ICC_CTLR_EL1, 2);
    WSR(ICC_SGI1R_EL1, (9ul << 24) | 1);
    ISB();
    putreg("hyp acknowledged", RSR(ICC_IAR1_EL1));
    WSR(ICC_EOIR1_EL1, 9);
    WSR(ICC_CTLR_EL1, 0);
    putreg("physical SGI 9 active", (r32(GICR(0) + SGI_BASE + 0x300) >> 9) & 1);
    /* the virtual interrupts */
    WSR(ICH_VMCR_EL2, (0xF0ul << 24) | 2);     /* VPMR = 0xF0, VENG1 */
    WSR(ICH_LR0_EL2, LR_PEND | LR_GRP1 | LR_EOI | LR_PRIO(0x80) | 42);
    WSR(ICH_LR1_EL2, LR_PEND | LR_GRP1 | LR_HW | (9ul << 32) | LR_PRIO(0x90) | 9);
    WSR(ICH_HCR_EL2, 1);                       /* En */
    WSR(SP_EL1, (uint64_t)__builtin_frame_address(0) - 0x1000);
    WSR(ELR_EL2, (uint64_t)guest_main);
    WSR(SPSR_EL2, 0x5);                        /* EL1h, DAIF clear */
    __asm__ volatile("isb\n eret" ::: "memory");
    return 1;
}
