/*
 * The PL011 and PL031 seen from a guest, through the GICv3:
 *  - the PL031 counter starts at the configured epoch (--rtc-epoch 1000)
 *    and counts simulated seconds (PL031 TRM 3.3.1);
 *  - scripted console input (--input) is in the PL011 receive FIFO at
 *    start; RXIM/RTIM raise INTID 33 (SPI 1) while data is waiting and
 *    the line drops once the FIFO is drained (FIFO off: RXRIS while a byte waits) (PL011 TRM 3.3.11-3.3.13);
 *  - an RTC match (RTCMR = now + 2) raises INTID 34 (SPI 2) exactly two
 *    simulated seconds later and wakes the CPU from WFI, with time
 *    jumping forward while every CPU waits (docs/board.md).
 * Interrupts stay masked in PSTATE: WFI wakes on a pending IRQ anyway
 * (Arm ARM D1.6.2), and ICC_IAR1_EL1 acknowledges it.
 */
#include "guest.h"

#define GICD 0x08000000ul
#define GICR 0x080A0000ul
#define UART 0x09000000ul
#define RTC  0x09010000ul

#define GICD_CTLR        0x0000
#define GICD_IGROUPR1    0x0084
#define GICD_ISENABLER1  0x0104
#define GICD_IPRIORITYR8 0x0420   /* INTIDs 32..35 */
#define GICD_IROUTER(n)  (0x6000 + 8 * (n))
#define GICR_WAKER       0x0014
#define WAKER_PROCESSORSLEEP (1u << 1)
#define WAKER_CHILDRENASLEEP (1u << 2)

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIMSC 0x38
#define UARTMIS 0x40
#define FR_RXFE (1u << 4)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCMIS 0x18
#define RTCICR 0x1c

static uint32_t r32(unsigned long a) { return *(volatile uint32_t *)a; }
static void w32(unsigned long a, uint32_t v) { *(volatile uint32_t *)a = v; }

static void gic_init(void)
{
    w32(GICR + GICR_WAKER, r32(GICR + GICR_WAKER) & ~WAKER_PROCESSORSLEEP);
    while (r32(GICR + GICR_WAKER) & WAKER_CHILDRENASLEEP)
        ;
    w32(GICD + GICD_CTLR, (1u << 1) | (1u << 4));            /* EnableGrp1, ARE */
    w32(GICD + GICD_IGROUPR1, (1u << 1) | (1u << 2));        /* 33, 34: Group 1 */
    w32(GICD + GICD_IPRIORITYR8, 0x00808000u);
    *(volatile uint64_t *)(GICD + GICD_IROUTER(33)) = 0;     /* to CPU 0 */
    *(volatile uint64_t *)(GICD + GICD_IROUTER(34)) = 0;
    w32(GICD + GICD_ISENABLER1, (1u << 1) | (1u << 2));
    WRITE_SYSREG(ICC_SRE_EL1, READ_SYSREG(ICC_SRE_EL1) | 1);
    ISB();
    WRITE_SYSREG(ICC_PMR_EL1, 0xff);
    WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
    ISB();
}

static uint64_t wait_irq(void)
{
    __asm__ volatile("dsb sy; wfi" ::: "memory");
    uint64_t intid = READ_SYSREG(ICC_IAR1_EL1);
    ISB();
    return intid;
}

static void eoi(uint64_t intid)
{
    WRITE_SYSREG(ICC_EOIR1_EL1, intid);
    ISB();
}

int main(void)
{
    uint32_t t0 = r32(RTC + RTCDR);
    putreg("RTCDR at start", t0);

    gic_init();
    putreg("UARTFR.RXFE", (r32(UART + UARTFR) & FR_RXFE) != 0);
    w32(UART + UARTIMSC, INT_RX | INT_RT);
    uint64_t id = wait_irq();
    putreg("IAR1 (uart)", id);
    putreg("UARTMIS", r32(UART + UARTMIS));
    puts_("received: ");
    while (!(r32(UART + UARTFR) & FR_RXFE))
        putc_((char)r32(UART + UARTDR));
    putc_('\n');
    putreg("UARTMIS drained", r32(UART + UARTMIS));
    eoi(id);
    putreg("IAR1 after", READ_SYSREG(ICC_IAR1_EL1));   /* 1023: nothing pending */
    w32(UART + UARTIMSC, 0);

    uint32_t t1 = r32(RTC + RTCDR);
    w32(RTC + RTCMR, t1 + 2);
    w32(RTC + RTCIMSC, 1);
    putreg("RTCRIS before", r32(RTC + RTCRIS));
    id = wait_irq();
    putreg("IAR1 (rtc)", id);
    putreg("seconds slept", r32(RTC + RTCDR) - t1);
    putreg("RTCMIS", r32(RTC + RTCMIS));
    w32(RTC + RTCICR, 1);
    putreg("RTCRIS cleared", r32(RTC + RTCRIS));
    eoi(id);
    return 0;
}
